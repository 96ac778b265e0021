// Movement (sales analysis, SPEC section 5) over the sample account without
// its event log (report_data.hpp): 1M and 10M deals, about 4.9 stage changes
// each, by week over the whole two years, on 1 and 2 threads; at 1M also by
// day. Wall time and process CPU time (all threads) are both reported.
// Recorded baseline (bench/results/reports.md; 2 cores, Debian 12, GCC 12,
// 2026-11-30, load average 11-15 from other builds; process CPU time):
//   BM_Movement week 1M: 112 ms (1 thread), 119 ms (2); day 1M: 206 ms (2);
//   week 10M: 1.11 s (1), 1.15 s (2).
#include <benchmark/benchmark.h>

#include "dealstat/reports/movement.hpp"
#include "report_data.hpp"

namespace {

namespace ds = dealstat;

// Args: deals, threads, bucket (0 day, 1 week, 2 month).
void BM_Movement(benchmark::State& state) {
  const ds::Dataset* data = dealstat_bench::report_sample_or_skip(state, state.range(0));
  if (!data) return;
  ds::MovementOptions o;
  o.threads = static_cast<unsigned>(state.range(1));
  o.bucket = static_cast<ds::Bucket>(state.range(2));
  for (auto _ : state) benchmark::DoNotOptimize(ds::movement(*data, o));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(data->deals().size()));
}
BENCHMARK(BM_Movement)
    ->ArgNames({"deals", "threads", "bucket"})
    ->Args({1'000'000, 1, 1})
    ->Args({1'000'000, 2, 1})
    ->Args({1'000'000, 2, 0})
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Movement)
    ->ArgNames({"deals", "threads", "bucket"})
    ->Args({10'000'000, 1, 1})
    ->Args({10'000'000, 2, 1})
    ->Iterations(3)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
