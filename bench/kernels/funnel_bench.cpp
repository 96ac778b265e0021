// Funnel report (SPEC section 3) over the sample account without its event
// log (report_data.hpp): 1M and 10M deals, about 4.9 stage changes each, on
// 1 and 2 threads, skip policy implied (the default); at 1M also strict and
// observed. Wall time and process CPU time (all threads) are both reported.
// Recorded baseline (bench/results/reports.md; 2 cores, Debian 12, GCC 12,
// 2026-11-30, load average 11-15 from other builds; process CPU time):
//   BM_Funnel implied 1M: 185 ms (1 thread), 164 ms (2); 10M: 1.78 s (1), 1.60 s (2).
//   After the hour-grid Kaplan-Meier and two-pass medians (load 8-10): 1M 49 ms (1), 51 ms (2);
//   10M 0.48 s (1), 0.51 s (2).
//   BM_FunnelQuarter (the compare question; day index, load 5-7): 1M 7.4 ms (1), 7.8 ms (2); 10M 78 ms (2).
#include <benchmark/benchmark.h>

#include "compare_quarter.hpp"
#include "dealstat/reports/funnel.hpp"
#include "report_data.hpp"

namespace {

namespace ds = dealstat;

// Args: deals, threads, skip policy (0 implied, 1 observed, 2 strict).
void BM_Funnel(benchmark::State& state) {
  const ds::Dataset* data = dealstat_bench::report_sample_or_skip(state, state.range(0));
  if (!data) return;
  ds::FunnelOptions o;
  o.threads = static_cast<unsigned>(state.range(1));
  o.skip = static_cast<ds::SkipPolicy>(state.range(2));
  for (auto _ : state) benchmark::DoNotOptimize(ds::funnel(*data, o));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(data->deals().size()));
  state.counters["changes_per_deal"] =
      static_cast<double>(dealstat_bench::stage_changes(*data)) / static_cast<double>(data->deals().size());
}
BENCHMARK(BM_Funnel)
    ->ArgNames({"deals", "threads", "skip"})
    ->Args({1'000'000, 1, 0})
    ->Args({1'000'000, 2, 0})
    ->Args({1'000'000, 2, 1})
    ->Args({1'000'000, 2, 2})
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Funnel)
    ->ArgNames({"deals", "threads", "skip"})
    ->Args({10'000'000, 1, 0})
    ->Args({10'000'000, 2, 0})
    ->Iterations(3)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The compare question 1 (bench/compare): pipeline Sales (id 3), the quarter 2024-07-01 .. 2024-10-01,
// date basis auto, implied; reads only the day index's candidate rows (docs/reports.md, "Candidate rows").
// Args: deals, threads.
void BM_FunnelQuarter(benchmark::State& state) {
  const ds::Dataset* data = dealstat_bench::report_sample_or_skip(state, state.range(0));
  if (!data) return;
  ds::FunnelOptions o;
  o.threads = static_cast<unsigned>(state.range(1));
  o.filter = dealstat_bench::compare_funnel_filter();
  for (auto _ : state) benchmark::DoNotOptimize(ds::funnel(*data, o));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(data->deals().size()));
}
BENCHMARK(BM_FunnelQuarter)
    ->ArgNames({"deals", "threads"})
    ->Args({1'000'000, 1})
    ->Args({1'000'000, 2})
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FunnelQuarter)
    ->ArgNames({"deals", "threads"})
    ->Args({10'000'000, 2})
    ->Iterations(5)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
