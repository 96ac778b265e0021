// Benchmarks of the sales forecast: a 90-day forecast with its full
// rolling-origin backtest on the sample account, 100k and 1M deals.
//
// Recorded (bench/results/forecast.md; 2 cores, Debian 12, Release, load ~9):
//   BM_Forecast90WithBacktest 1M deals, monthly origins: 0.95 s; weekly: 2.3 s;
//   100k monthly: 0.16 s; BM_Forecast90NoBacktest 1M: 0.41 s.
//   Origins scored on the threads (load 7-8): weekly 1M main-thread CPU 1.47 s -> 0.39 s.
#include <benchmark/benchmark.h>

#include "dealstat/forecast/forecast.hpp"
#include "dealstat/io/sample_generator.hpp"

namespace {

const dealstat::Dataset& sample(std::int64_t deals) {
  static std::int64_t made = 0;
  static dealstat::DatasetPtr ds;
  if (made != deals) {
    dealstat::SampleOptions o;
    o.deals = deals;
    o.events = false;
    ds = dealstat::make_sample(o);
    made = deals;
  }
  return *ds;
}

void BM_Forecast90WithBacktest(benchmark::State& state) {
  const auto& ds = sample(state.range(0));
  dealstat::ForecastOptions o;
  o.horizon_days = 90;
  o.bucket = state.range(1) == 0 ? dealstat::Bucket::month : dealstat::Bucket::week;
  for (auto _ : state) {
    auto r = dealstat::forecast(ds, o);
    benchmark::DoNotOptimize(r.won_count.mean);
    state.counters["origins"] = static_cast<double>(r.backtest.origins.size());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Forecast90WithBacktest)->Args({100000, 0})->Args({1000000, 0})->Args({1000000, 1})
    ->Unit(benchmark::kMillisecond)->Iterations(2);

void BM_Forecast90NoBacktest(benchmark::State& state) {
  const auto& ds = sample(state.range(0));
  dealstat::ForecastOptions o;
  o.horizon_days = 90;
  o.backtest = false;
  for (auto _ : state) {
    auto r = dealstat::forecast(ds, o);
    benchmark::DoNotOptimize(r.won_count.mean);
  }
}
BENCHMARK(BM_Forecast90NoBacktest)->Arg(1000000)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace
