// The C ABI's overhead: a report on 1M deals through dealstat_funnel /
// dealstat_stage_time / dealstat_movement against the same C++ call, on one
// dataset (the sample account, 1M deals, no event log). The C call includes
// what a C caller needs and a C++ caller may skip: to_tables() and laying the
// tables out in Arrow's format (the result handle), plus the option checks.
//
// Recorded baseline: bench/results/capi.md (2 cores, Debian 12, GCC 12, -O3, loaded machine), wall time:
//   funnel        C++ + to_tables 840 ± 14 ms, C API 833 ± 59 ms
//   time in stage C++ + to_tables 516 ± 22 ms, C API 500 ± 9 ms
//   movement/day  C++ + to_tables 1260 ± 70 ms, C API 1298 ± 59 ms  (no measurable overhead)
#include <benchmark/benchmark.h>

#include "../../capi/src/capi_internal.hpp"  // the dataset behind a handle, so both sides share one
#include "dealstat.h"
#include "dealstat/reports/funnel.hpp"
#include "dealstat/reports/movement.hpp"
#include "dealstat/reports/stage_time.hpp"

namespace {

// One 1M-deal dataset for every benchmark here, made through the C API.
dealstat_dataset shared_dataset() {
  static dealstat_dataset ds = [] {
    dealstat_sample_options o = DEALSTAT_SAMPLE_OPTIONS_INIT;
    o.deals = 1000000;
    o.events = 0;
    dealstat_dataset h = nullptr;
    if (dealstat_make_sample(&o, &h) != DEALSTAT_OK) std::abort();
    return h;
  }();
  return ds;
}

void BM_FunnelCpp(benchmark::State& state) {
  const dealstat::Dataset& d = *shared_dataset()->dataset;
  for (auto _ : state) benchmark::DoNotOptimize(dealstat::funnel(d, {}));
}
BENCHMARK(BM_FunnelCpp)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FunnelCppTables(benchmark::State& state) {
  const dealstat::Dataset& d = *shared_dataset()->dataset;
  for (auto _ : state) benchmark::DoNotOptimize(dealstat::funnel(d, {}).to_tables());
}
BENCHMARK(BM_FunnelCppTables)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FunnelCApi(benchmark::State& state) {
  dealstat_dataset ds = shared_dataset();
  for (auto _ : state) {
    dealstat_result r = nullptr;
    if (dealstat_funnel(ds, nullptr, &r) != DEALSTAT_OK) state.SkipWithError(dealstat_last_error_message());
    dealstat_result_destroy(&r);
  }
}
BENCHMARK(BM_FunnelCApi)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_StageTimeCppTables(benchmark::State& state) {
  const dealstat::Dataset& d = *shared_dataset()->dataset;
  for (auto _ : state) benchmark::DoNotOptimize(dealstat::stage_time(d, {}).to_tables());
}
BENCHMARK(BM_StageTimeCppTables)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_StageTimeCApi(benchmark::State& state) {
  dealstat_dataset ds = shared_dataset();
  for (auto _ : state) {
    dealstat_result r = nullptr;
    if (dealstat_stage_time(ds, nullptr, &r) != DEALSTAT_OK) state.SkipWithError(dealstat_last_error_message());
    dealstat_result_destroy(&r);
  }
}
BENCHMARK(BM_StageTimeCApi)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_MovementCppTables(benchmark::State& state) {
  const dealstat::Dataset& d = *shared_dataset()->dataset;
  dealstat::MovementOptions o;
  o.bucket = dealstat::Bucket::day;  // the largest tables: every day of two years
  for (auto _ : state) benchmark::DoNotOptimize(dealstat::movement(d, o).to_tables());
}
BENCHMARK(BM_MovementCppTables)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_MovementCApi(benchmark::State& state) {
  dealstat_dataset ds = shared_dataset();
  dealstat_movement_options o = DEALSTAT_MOVEMENT_OPTIONS_INIT;
  o.bucket = DEALSTAT_BUCKET_DAY;
  for (auto _ : state) {
    dealstat_result r = nullptr;
    if (dealstat_movement(ds, &o, &r) != DEALSTAT_OK) state.SkipWithError(dealstat_last_error_message());
    dealstat_result_destroy(&r);
  }
}
BENCHMARK(BM_MovementCApi)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
