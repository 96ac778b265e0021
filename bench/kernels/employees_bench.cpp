// Benchmark of the employees report at 1M deals of the sample account (with
// its tasks and event log): current attribution, at_close attribution (owner
// history rebuilt from the event log on each call), the owner history alone,
// and a one-month period. Recorded baseline: bench/results/employees_unsorted.md.
#include <benchmark/benchmark.h>

#include "dealstat/data/owner_history.hpp"
#include "dealstat/io/sample_generator.hpp"
#include "dealstat/reports/employees.hpp"
#include "dealstat/time/calendar.hpp"

namespace {

const dealstat::Dataset& sample_1m() {
  static const dealstat::DatasetPtr ds = [] {
    dealstat::SampleOptions o;
    o.deals = 1000000;
    return dealstat::make_sample(o);
  }();
  return *ds;
}

void BM_Employees(benchmark::State& state) {
  const auto& ds = sample_1m();
  dealstat::EmployeesOptions o;
  o.attribution = static_cast<dealstat::Attribution>(state.range(0));
  o.threads = static_cast<unsigned>(state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize(dealstat::employees(ds, o));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(ds.deals().size()));
}

void BM_EmployeesOneMonth(benchmark::State& state) {
  const auto& ds = sample_1m();
  dealstat::EmployeesOptions o;
  o.filter.period.from = dealstat::make_date(2024, 6, 1);
  o.filter.period.to = dealstat::make_date(2024, 7, 1);
  o.compare = {ds.users().id[0], ds.users().id[1]};
  for (auto _ : state) benchmark::DoNotOptimize(dealstat::employees(ds, o));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(ds.deals().size()));
}

void BM_OwnerHistory(benchmark::State& state) {
  const auto& ds = sample_1m();
  for (auto _ : state) benchmark::DoNotOptimize(dealstat::build_owner_history(ds));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(ds.events().size()));
}

}  // namespace

BENCHMARK(BM_Employees)->ArgNames({"at_close", "threads"})->Args({0, 1})->Args({0, 2})->Args({1, 1})->Args({1, 2})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EmployeesOneMonth)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OwnerHistory)->Unit(benchmark::kMillisecond);
