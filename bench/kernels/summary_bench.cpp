// Summary report over the shared sample account (report_data.hpp, no event log) at 1M
// deals: the whole report (series, stage snapshot, tasks per user, and the
// stage_time() call it makes), by month and by day, on 1 and 2 threads, and
// with a pipeline + users filter. Recorded baseline:
// bench/results/summary_events.md.
#include <benchmark/benchmark.h>

#include "dealstat/reports/stage_time.hpp"
#include "dealstat/reports/summary.hpp"
#include "report_data.hpp"

namespace {

namespace ds = dealstat;

void BM_Summary(benchmark::State& state) {
  const ds::Dataset* sample = dealstat_bench::report_sample_or_skip(state, 1'000'000);
  if (sample == nullptr) return;
  const ds::Dataset& data = *sample;
  ds::SummaryOptions o;
  o.bucket = state.range(0) ? ds::Bucket::day : ds::Bucket::month;
  o.threads = static_cast<unsigned>(state.range(1));
  if (state.range(2)) {
    o.filter.pipeline = std::string(data.str(data.pipelines().name[0]));
    o.filter.users = {data.users().id[0], data.users().id[1], data.users().id[2]};
  }
  for (auto _ : state) benchmark::DoNotOptimize(ds::summary(data, o));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(data.deals().size()));
}
// Args: day buckets (0 = month), threads, filtered.
BENCHMARK(BM_Summary)
    ->ArgNames({"day", "threads", "filtered"})
    ->Args({0, 1, 0})
    ->Args({0, 2, 0})
    ->Args({1, 2, 0})
    ->Args({0, 2, 1})
    ->Unit(benchmark::kMillisecond);

// The part of the summary that is stage_time(), for comparison.
void BM_SummaryStageTimePart(benchmark::State& state) {
  const ds::Dataset* sample = dealstat_bench::report_sample_or_skip(state, 1'000'000);
  if (sample == nullptr) return;
  const ds::Dataset& data = *sample;
  ds::StageTimeOptions o;
  o.threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(ds::stage_time(data, o));
}
BENCHMARK(BM_SummaryStageTimePart)->Arg(2)->Unit(benchmark::kMillisecond);

}  // namespace
