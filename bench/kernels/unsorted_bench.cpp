// Benchmark of the unsorted report on the sample account at 1M deals (its
// unsorted items), all items and one channel over one month. Recorded
// baseline: bench/results/employees_unsorted.md.
#include <benchmark/benchmark.h>

#include "dealstat/io/sample_generator.hpp"
#include "dealstat/reports/unsorted_report.hpp"
#include "dealstat/time/calendar.hpp"

namespace {

const dealstat::Dataset& sample_1m() {
  static const dealstat::DatasetPtr ds = [] {
    dealstat::SampleOptions o;
    o.deals = 1000000;
    o.events = false;  // the unsorted report does not read the event log
    return dealstat::make_sample(o);
  }();
  return *ds;
}

void BM_Unsorted(benchmark::State& state) {
  const auto& ds = sample_1m();
  dealstat::UnsortedOptions o;
  o.threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(dealstat::unsorted_report(ds, o));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(ds.unsorted().size()));
}

void BM_UnsortedOneChannelOneMonth(benchmark::State& state) {
  const auto& ds = sample_1m();
  dealstat::UnsortedOptions o;
  o.filter.period.from = dealstat::make_date(2024, 6, 1);
  o.filter.period.to = dealstat::make_date(2024, 7, 1);
  o.filter.channels = {"sip"};
  for (auto _ : state) benchmark::DoNotOptimize(dealstat::unsorted_report(ds, o));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(ds.unsorted().size()));
}

}  // namespace

BENCHMARK(BM_Unsorted)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_UnsortedOneChannelOneMonth)->Unit(benchmark::kMillisecond);
