// The number of successes among independent Bernoulli(p_i) trials: how many
// of the open deals will be won within the horizon when each has its own
// probability (SPEC section 10, pipeline part). Exact by dynamic programming
// (with negligible-tail trimming); a refined normal approximation with a
// skewness correction when the exact cost is too high. Also the normal
// approximation of a weighted sum (expected won budget).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dealstat/core/export.hpp"

namespace dealstat {
inline namespace v1 {

//! How the distribution is computed.
enum class PoissonBinomialMethod : std::uint8_t {
  automatic = 0,       //!< exact when n * min(n + 1, 20 sigma + 64) <= 4e8, else refined_normal
  exact = 1,           //!< dynamic programming over the pmf (tails below 1e-17 trimmed; lost mass <= (n+1) 1e-17)
  refined_normal = 2,  //!< Volkova's refined normal approximation (RNA), O(n); cdf error ~ O(1 / sigma^2)
};

//! A central interval of counts.
struct CountInterval {
  std::int64_t lower = 0;  //!< quantile((1 - level) / 2)
  std::int64_t upper = 0;  //!< quantile((1 + level) / 2)
};

//! The Poisson-binomial distribution of a sum of independent Bernoulli(p_i).
class DEALSTAT_API PoissonBinomial {
 public:
  //! Builds the distribution of sum Bernoulli(p_i). Throws Error(invalid_option, "p") for p outside [0, 1].
  explicit PoissonBinomial(std::span<const double> p,
                           PoissonBinomialMethod method = PoissonBinomialMethod::automatic);
  //! Number of trials n.
  std::int64_t size() const noexcept { return n_; }
  //! The method actually used (never `automatic`).
  PoissonBinomialMethod method() const noexcept { return method_; }
  //! Mean sum p_i.
  double mean() const noexcept { return mean_; }
  //! Variance sum p_i (1 - p_i).
  double variance() const noexcept { return variance_; }
  //! P(X = k).
  double pmf(std::int64_t k) const;
  //! P(X <= k).
  double cdf(std::int64_t k) const;
  //! Smallest k with P(X <= k) >= prob (prob in [0, 1]; prob = 0 gives the smallest possible k).
  std::int64_t quantile(double prob) const;
  //! Central interval [quantile((1 - level) / 2), quantile((1 + level) / 2)], level in (0, 1).
  CountInterval interval(double level) const;

 private:
  std::int64_t n_ = 0;
  PoissonBinomialMethod method_ = PoissonBinomialMethod::exact;
  double mean_ = 0, variance_ = 0, skew_ = 0;
  std::int64_t lo_ = 0;      // exact: cdf_[i] = P(X <= lo_ + i)
  std::vector<double> cdf_;  // exact only
};

//! Normal approximation of S = sum w_i B_i with B_i ~ Bernoulli(p_i) independent.
struct WeightedBernoulliSum {
  double mean = 0.0;      //!< sum p_i w_i
  double variance = 0.0;  //!< sum p_i (1 - p_i) w_i^2
  double lower = 0.0;     //!< mean - z sd, clamped to the smallest possible sum (sum of negative w)
  double upper = 0.0;     //!< mean + z sd, clamped to the largest possible sum (sum of positive w)
};

//! The expected-budget interval: mean, variance and a two-sided normal interval at `level`.
//! Throws Error(invalid_option) naming "p", "weights" or "level".
DEALSTAT_API WeightedBernoulliSum weighted_bernoulli_sum(std::span<const double> p, std::span<const double> weights,
                                                         double level = 0.95);

}  // namespace v1
}  // namespace dealstat
