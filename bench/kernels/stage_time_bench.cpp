// Time in stage (SPEC section 4) over the sample account without its event
// log (report_data.hpp): 1M and 10M deals, about 4.9 stage changes each, on
// 1 and 2 threads. Wall time and process CPU time (all threads) are both
// reported.
// Recorded baseline (bench/results/reports.md; 2 cores, Debian 12, GCC 12,
// 2026-11-30, load average 11-15 from other builds; process CPU time):
//   BM_StageTime 1M: 76 ms (1 thread), 81 ms (2); 10M: 0.91 s (1), 1.09 s (2).
//   After the two-pass medians (load 8-10): 1M 65 ms (1), 67 ms (2); 10M 0.64 s (1), 0.64 s (2).
#include <benchmark/benchmark.h>

#include "dealstat/reports/stage_time.hpp"
#include "report_data.hpp"

namespace {

namespace ds = dealstat;

// Args: deals, threads.
void BM_StageTime(benchmark::State& state) {
  const ds::Dataset* data = dealstat_bench::report_sample_or_skip(state, state.range(0));
  if (!data) return;
  ds::StageTimeOptions o;
  o.threads = static_cast<unsigned>(state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize(ds::stage_time(*data, o));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(data->deals().size()));
}
BENCHMARK(BM_StageTime)
    ->ArgNames({"deals", "threads"})
    ->Args({1'000'000, 1})
    ->Args({1'000'000, 2})
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StageTime)
    ->ArgNames({"deals", "threads"})
    ->Args({10'000'000, 1})
    ->Args({10'000'000, 2})
    ->Iterations(3)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
