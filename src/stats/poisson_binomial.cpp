// Poisson-binomial distribution and weighted Bernoulli sums
// (see include/dealstat/stats/poisson_binomial.hpp).
#include "dealstat/stats/poisson_binomial.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "dealstat/core/error.hpp"
#include "dealstat/stats/distributions.hpp"

namespace dealstat {
inline namespace v1 {
namespace {

constexpr double kTrim = 1e-17;
constexpr double kExactBudget = 4e8;

void check_p(std::span<const double> p) {
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!(p[i] >= 0.0 && p[i] <= 1.0))
      throw Error::bad_option("p", std::to_string(p[i]),
                              "probability #" + std::to_string(i) + " must be in [0, 1]");
}

void check_level(double level) {
  if (!(level > 0.0 && level < 1.0)) throw Error::bad_option("level", std::to_string(level), "must be in (0, 1)");
}

}  // namespace

PoissonBinomial::PoissonBinomial(std::span<const double> p, PoissonBinomialMethod method) {
  check_p(p);
  n_ = static_cast<std::int64_t>(p.size());
  double third = 0.0;
  for (double pi : p) {
    mean_ += pi;
    variance_ += pi * (1.0 - pi);
    third += pi * (1.0 - pi) * (1.0 - 2.0 * pi);
  }
  const double sigma = std::sqrt(variance_);
  skew_ = variance_ > 0.0 ? third / (variance_ * sigma) : 0.0;
  if (method == PoissonBinomialMethod::automatic) {
    const double n = static_cast<double>(n_);
    const double cost = n * std::min(n + 1.0, 20.0 * sigma + 64.0);
    method = cost <= kExactBudget ? PoissonBinomialMethod::exact : PoissonBinomialMethod::refined_normal;
  }
  if (method == PoissonBinomialMethod::refined_normal && variance_ == 0.0) method = PoissonBinomialMethod::exact;
  method_ = method;
  if (method_ != PoissonBinomialMethod::exact) return;

  // pmf over [lo, lo + size); each step: new[k] = old[k] (1 - p) + old[k - 1] p; then trim tiny ends.
  std::vector<double> pmf{1.0};
  pmf.reserve(1024);
  std::int64_t lo = 0;
  for (double pi : p) {
    const double qi = 1.0 - pi;
    pmf.push_back(0.0);
    for (std::size_t k = pmf.size() - 1; k > 0; --k) pmf[k] = pmf[k] * qi + pmf[k - 1] * pi;
    pmf[0] *= qi;
    std::size_t first = 0;
    while (first + 1 < pmf.size() && pmf[first] < kTrim) ++first;
    std::size_t last = pmf.size();
    while (last > first + 1 && pmf[last - 1] < kTrim) --last;
    if (first > 0 || last < pmf.size()) {
      pmf.erase(pmf.begin() + static_cast<std::ptrdiff_t>(last), pmf.end());
      pmf.erase(pmf.begin(), pmf.begin() + static_cast<std::ptrdiff_t>(first));
      lo += static_cast<std::int64_t>(first);
    }
  }
  double total = 0.0;
  for (double v : pmf) total += v;
  lo_ = lo;
  cdf_.resize(pmf.size());
  double acc = 0.0;
  for (std::size_t i = 0; i < pmf.size(); ++i) {
    acc += pmf[i] / total;
    cdf_[i] = std::min(acc, 1.0);
  }
  cdf_.back() = 1.0;
}

double PoissonBinomial::cdf(std::int64_t k) const {
  if (k < 0) return 0.0;
  if (k >= n_) return 1.0;
  if (method_ == PoissonBinomialMethod::exact) {
    if (k < lo_) return 0.0;
    const auto i = static_cast<std::size_t>(k - lo_);
    return i < cdf_.size() ? cdf_[i] : 1.0;
  }
  // RNA: G(x) = Phi(x) + skew (1 - x^2) phi(x) / 6 at x = (k + 0.5 - mean) / sigma.
  const double x = (static_cast<double>(k) + 0.5 - mean_) / std::sqrt(variance_);
  const double phi = std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
  return std::clamp(normal_cdf(x) + skew_ * (1.0 - x * x) * phi / 6.0, 0.0, 1.0);
}

double PoissonBinomial::pmf(std::int64_t k) const {
  if (k < 0 || k > n_) return 0.0;
  return std::max(cdf(k) - cdf(k - 1), 0.0);
}

std::int64_t PoissonBinomial::quantile(double prob) const {
  if (!(prob >= 0.0 && prob <= 1.0)) throw Error::bad_option("prob", std::to_string(prob), "must be in [0, 1]");
  if (method_ == PoissonBinomialMethod::exact) {
    if (prob == 0.0) {
      for (std::size_t i = 0; i < cdf_.size(); ++i)
        if (cdf_[i] > 0.0) return lo_ + static_cast<std::int64_t>(i);
    }
    const auto it = std::lower_bound(cdf_.begin(), cdf_.end(), prob);
    return lo_ + static_cast<std::int64_t>(it - cdf_.begin());
  }
  // Binary search for the smallest k with cdf(k) >= prob (strictly positive for prob == 0).
  std::int64_t lo = 0, hi = n_;
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    const double c = cdf(mid);
    if (prob == 0.0 ? c > 0.0 : c >= prob) hi = mid; else lo = mid + 1;
  }
  return lo;
}

CountInterval PoissonBinomial::interval(double level) const {
  check_level(level);
  return {quantile(0.5 - 0.5 * level), quantile(0.5 + 0.5 * level)};
}

WeightedBernoulliSum weighted_bernoulli_sum(std::span<const double> p, std::span<const double> weights, double level) {
  check_p(p);
  check_level(level);
  if (weights.size() != p.size())
    throw Error::bad_option("weights", std::to_string(weights.size()) + " values",
                            "expected one weight per probability (" + std::to_string(p.size()) + ")");
  WeightedBernoulliSum s;
  double min_sum = 0.0, max_sum = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double w = weights[i];
    if (!std::isfinite(w)) throw Error::bad_option("weights", std::to_string(w), "must be finite");
    s.mean += p[i] * w;
    s.variance += p[i] * (1.0 - p[i]) * w * w;
    // Only outcomes that can happen bound the sum: a weight with p = 0 never counts, with p = 1 always does.
    if (p[i] > 0.0) (w < 0.0 ? min_sum : max_sum) += (p[i] == 1.0 ? 0.0 : w);
    if (p[i] == 1.0) {
      min_sum += w;
      max_sum += w;
    }
  }
  const double z = normal_quantile(0.5 + 0.5 * level);
  const double sd = std::sqrt(s.variance);
  s.lower = std::clamp(s.mean - z * sd, min_sum, max_sum);
  s.upper = std::clamp(s.mean + z * sd, min_sum, max_sum);
  return s;
}

}  // namespace v1
}  // namespace dealstat
