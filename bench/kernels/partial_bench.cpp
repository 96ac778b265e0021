// The partial/merge path against one in-process call, over the shared sample
// account (report_data.hpp) at 1M deals on one thread: the report function as is; the same rows split
// into P partials (accumulate over ranges), each serialized and read back,
// merged, finalized (what a distributed run does, without the engine); and
// the serialize / deserialize+merge steps alone with the bytes per partial.
// Recorded baseline: bench/results/distributed.md.
#include <benchmark/benchmark.h>

#include "dealstat/reports/partial.hpp"
#include "report_data.hpp"

namespace {

namespace ds = dealstat;

ds::ReportOptions options_of(std::int64_t kind) {
  switch (kind) {
    case 1: return ds::FunnelOptions{};
    case 2: return ds::StageTimeOptions{};
    case 3: return ds::MovementOptions{};
    case 4: return ds::EmployeesOptions{};
    case 5: return ds::UnsortedOptions{};
    default: return ds::SummaryOptions{};
  }
}

// One in-process partial over every row, one thread: the report function's own path.
void BM_ReportDirect(benchmark::State& state) {
  const ds::Dataset* sample = dealstat_bench::report_sample_or_skip(state, 1'000'000);
  if (sample == nullptr) return;
  const ds::Dataset& data = *sample;
  const ds::ReportOptions o = options_of(state.range(0));
  for (auto _ : state) {
    ds::ReportPartial p = ds::ReportPartial::make(data, o);
    p.accumulate(data, 1u);
    benchmark::DoNotOptimize(p.finalize(data));
  }
  state.SetLabel(ds::report_kind_name(static_cast<ds::ReportKind>(state.range(0))));
}
BENCHMARK(BM_ReportDirect)->DenseRange(1, 6)->ArgName("kind")->Unit(benchmark::kMillisecond);

// P partials over ranges, each through bytes, merged, finalized.
void BM_ReportThroughPartials(benchmark::State& state) {
  const ds::Dataset* sample = dealstat_bench::report_sample_or_skip(state, 1'000'000);
  if (sample == nullptr) return;
  const ds::Dataset& data = *sample;
  const ds::ReportOptions o = options_of(state.range(0));
  const auto parts = static_cast<std::size_t>(state.range(1));
  std::size_t bytes = 0;
  for (auto _ : state) {
    ds::ReportPartial empty = ds::ReportPartial::make(data, o);
    const std::size_t n = empty.rows(data);
    std::vector<ds::ReportPartial> shipped;
    bytes = 0;
    for (std::size_t k = 0; k < parts; ++k) {
      ds::ReportPartial p = empty;
      p.accumulate(data, n * k / parts, n * (k + 1) / parts);
      const auto b = p.serialize();
      bytes += b.size();
      shipped.push_back(ds::ReportPartial::deserialize(b));
    }
    for (std::size_t k = 1; k < shipped.size(); ++k) shipped[0].merge(shipped[k]);
    benchmark::DoNotOptimize(shipped[0].finalize(data));
  }
  state.counters["bytes_per_partial"] = static_cast<double>(bytes) / static_cast<double>(parts);
  state.SetLabel(ds::report_kind_name(static_cast<ds::ReportKind>(state.range(0))));
}
BENCHMARK(BM_ReportThroughPartials)
    ->ArgNames({"kind", "parts"})
    ->ArgsProduct({{1, 2, 3, 4, 5, 6}, {8}})
    ->Args({1, 64})
    ->Unit(benchmark::kMillisecond);

// Serialize, then deserialize + merge, of one full partial alone.
void BM_PartialBytes(benchmark::State& state) {
  const ds::Dataset* sample = dealstat_bench::report_sample_or_skip(state, 1'000'000);
  if (sample == nullptr) return;
  const ds::Dataset& data = *sample;
  ds::ReportPartial p = ds::ReportPartial::make(data, options_of(state.range(0)));
  p.accumulate(data, 2u);
  std::size_t size = 0;
  for (auto _ : state) {
    const auto b = p.serialize();
    ds::ReportPartial q = ds::ReportPartial::deserialize(b);
    q.merge(ds::ReportPartial::deserialize(b));
    size = b.size();
    benchmark::DoNotOptimize(q);
  }
  state.counters["bytes"] = static_cast<double>(size);
  state.SetLabel(ds::report_kind_name(static_cast<ds::ReportKind>(state.range(0))));
}
BENCHMARK(BM_PartialBytes)->DenseRange(1, 6)->ArgName("kind")->Unit(benchmark::kMicrosecond);

}  // namespace
