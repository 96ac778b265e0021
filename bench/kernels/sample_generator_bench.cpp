// Benchmark of the sample account generator: generation alone (into a
// builder) and generation + strict build, at 100k and 1M deals, with and
// without the event log. Recorded baseline: bench/results/sample_generator.md.
#include <benchmark/benchmark.h>

#include "dealstat/io/sample_generator.hpp"

namespace {

void BM_SampleGenerate(benchmark::State& state) {
  dealstat::SampleOptions o;
  o.deals = state.range(0);
  o.events = state.range(1) != 0;
  for (auto _ : state) {
    dealstat::DatasetBuilder b;
    dealstat::generate_sample(o, b);
    benchmark::DoNotOptimize(b);
    state.PauseTiming();
    { dealstat::DatasetBuilder drop = std::move(b); }
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * o.deals);
}

void BM_SampleGenerateAndBuild(benchmark::State& state) {
  dealstat::SampleOptions o;
  o.deals = state.range(0);
  o.events = state.range(1) != 0;
  for (auto _ : state) {
    auto ds = dealstat::make_sample(o);
    benchmark::DoNotOptimize(ds);
    state.PauseTiming();
    ds.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * o.deals);
}

}  // namespace

BENCHMARK(BM_SampleGenerate)->ArgsProduct({{100'000, 1'000'000}, {0, 1}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SampleGenerateAndBuild)->ArgsProduct({{100'000, 1'000'000}, {0, 1}})->Unit(benchmark::kMillisecond);
