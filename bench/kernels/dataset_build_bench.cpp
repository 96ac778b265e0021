// Building a dataset from rows already in a DatasetBuilder: strict
// validation, string interning, and the path index (sorting each deal's
// stage changes into its CSR path), on the sample account without its event
// log at 1M deals (about 4.9 stage changes each). The rows are generated
// outside the timed region, afresh for every iteration (build() consumes the
// builder). Wall time and process CPU time are both reported.
// Recorded baseline (bench/results/reports.md; 2 cores, Debian 12, GCC 12,
// 2026-11-30, load average ~11 from other builds; process CPU time):
//   BM_DatasetBuild 1M: 1.48 s (5.87M path entries; 675k deals/s).
#include <benchmark/benchmark.h>

#include "dealstat/data/dataset_builder.hpp"
#include "dealstat/io/sample_generator.hpp"

namespace {

namespace ds = dealstat;

// Args: deals.
void BM_DatasetBuild(benchmark::State& state) {
  ds::SampleOptions o;
  o.deals = state.range(0);
  o.events = false;
  std::int64_t entries = 0;
  for (auto _ : state) {
    state.PauseTiming();
    ds::DatasetBuilder b;
    ds::generate_sample(o, b);
    state.ResumeTiming();
    ds::BuildResult r = std::move(b).build(ds::ValidationPolicy::strict);
    benchmark::DoNotOptimize(r);
    state.PauseTiming();
    entries = static_cast<std::int64_t>(r.dataset->paths().offset.back());
    r.dataset.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * o.deals);
  state.counters["path_entries"] = static_cast<double>(entries);
}
BENCHMARK(BM_DatasetBuild)
    ->ArgNames({"deals"})
    ->Arg(1'000'000)
    ->Iterations(3)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
