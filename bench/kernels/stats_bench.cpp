// Benchmarks of the stats kernels: Poisson-binomial, Kaplan-Meier, DDSketch.
// Baseline (shared 2-core dev VM, Release, --benchmark_min_time=0.05; indicative only):
//   BM_PoissonBinomial/10000 1.6 ms (exact, trimmed DP), /1000000 0.9 ms (refined normal)
//   BM_KaplanMeierAccumulateFinalize/1000000 175 ms
//   BM_DDSketchAdd/10000000 82 ms
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "dealstat/stats/descriptive.hpp"
#include "dealstat/stats/kaplan_meier.hpp"
#include "dealstat/stats/poisson_binomial.hpp"

namespace {

std::vector<double> probabilities(std::size_t n) {
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> p(n);
  for (auto& v : p) v = u(rng);
  return p;
}

void BM_PoissonBinomial(benchmark::State& state) {
  const auto p = probabilities(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    dealstat::PoissonBinomial d(p);
    benchmark::DoNotOptimize(d.interval(0.95));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_PoissonBinomial)->Arg(10000)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_KaplanMeierAccumulateFinalize(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(2);
  std::exponential_distribution<double> dur(1.0 / (30 * 86400.0));
  std::bernoulli_distribution ev(0.7);
  std::vector<double> d(n);
  std::vector<char> e(n);
  for (std::size_t i = 0; i < n; ++i) {
    d[i] = static_cast<double>(static_cast<long long>(dur(rng)));  // whole seconds, like timestamps
    e[i] = ev(rng);
  }
  for (auto _ : state) {
    dealstat::KaplanMeierAccumulator acc;
    for (std::size_t i = 0; i < n; ++i) acc.add(d[i], e[i] != 0);
    auto curve = acc.finalize();
    benchmark::DoNotOptimize(curve.median());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_KaplanMeierAccumulateFinalize)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_DDSketchAdd(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(3);
  std::lognormal_distribution<double> ln(10.0, 2.0);
  std::vector<double> v(n);
  for (auto& x : v) x = ln(rng);
  for (auto _ : state) {
    dealstat::DDSketch s;
    for (double x : v) s.add(x);
    benchmark::DoNotOptimize(s.quantile(0.5));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_DDSketchAdd)->Arg(10000000)->Unit(benchmark::kMillisecond);

}  // namespace
