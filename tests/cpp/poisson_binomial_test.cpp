// Tests for the Poisson-binomial distribution and weighted Bernoulli sums.
#include "dealstat/stats/poisson_binomial.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "dealstat/core/error.hpp"

using namespace dealstat;

TEST(PoissonBinomial, TwoFairCoins) {
  const std::vector<double> p = {0.5, 0.5};
  PoissonBinomial d(p);
  EXPECT_EQ(d.method(), PoissonBinomialMethod::exact);
  EXPECT_NEAR(d.pmf(0), 0.25, 1e-15);
  EXPECT_NEAR(d.pmf(1), 0.5, 1e-15);
  EXPECT_NEAR(d.pmf(2), 0.25, 1e-15);
  EXPECT_NEAR(d.cdf(1), 0.75, 1e-15);
  EXPECT_EQ(d.cdf(2), 1.0);
  EXPECT_EQ(d.cdf(-1), 0.0);
  EXPECT_DOUBLE_EQ(d.mean(), 1.0);
  EXPECT_DOUBLE_EQ(d.variance(), 0.5);
  EXPECT_EQ(d.quantile(0.25), 0);
  EXPECT_EQ(d.quantile(0.26), 1);
  EXPECT_EQ(d.quantile(0.75), 1);
  EXPECT_EQ(d.quantile(1.0), 2);
  const auto iv = d.interval(0.5);  // [q(0.25), q(0.75)]
  EXPECT_EQ(iv.lower, 0);
  EXPECT_EQ(iv.upper, 1);
}

TEST(PoissonBinomial, ThreeDealsByHand) {
  // p = 0.2, 0.7, 0.9:
  // P0 = .8*.3*.1 = .024
  // P1 = .2*.3*.1 + .8*.7*.1 + .8*.3*.9 = .006 + .056 + .216 = .278
  // P2 = .2*.7*.1 + .2*.3*.9 + .8*.7*.9 = .014 + .054 + .504 = .572
  // P3 = .2*.7*.9 = .126; mean 1.8; variance .16 + .21 + .09 = .46.
  const std::vector<double> p = {0.2, 0.7, 0.9};
  PoissonBinomial d(p);
  EXPECT_NEAR(d.pmf(0), 0.024, 1e-15);
  EXPECT_NEAR(d.pmf(1), 0.278, 1e-15);
  EXPECT_NEAR(d.pmf(2), 0.572, 1e-15);
  EXPECT_NEAR(d.pmf(3), 0.126, 1e-15);
  EXPECT_NEAR(d.mean(), 1.8, 1e-15);
  EXPECT_NEAR(d.variance(), 0.46, 1e-15);
  // 80%: q(0.1) = 1 (F(0) = .024 < .1 <= F(1) = .302); q(0.9) = 3 (F(2) = .874 < .9).
  const auto iv = d.interval(0.8);
  EXPECT_EQ(iv.lower, 1);
  EXPECT_EQ(iv.upper, 3);
}

TEST(PoissonBinomial, EqualProbabilitiesGiveTheBinomial) {
  const int n = 60;
  const double p = 0.3;
  PoissonBinomial d(std::vector<double>(n, p));
  // Binomial pmf by the recurrence P(k+1) = P(k) (n-k)/(k+1) p/(1-p), P(0) = (1-p)^n.
  double b = std::pow(1 - p, n), cdf = 0;
  for (int k = 0; k <= n; ++k) {
    cdf += b;
    EXPECT_NEAR(d.pmf(k), b, 1e-14 + 1e-12 * b) << k;
    EXPECT_NEAR(d.cdf(k), cdf, 1e-13) << k;
    b *= double(n - k) / (k + 1) * p / (1 - p);
  }
}

TEST(PoissonBinomial, DegenerateProbabilities) {
  PoissonBinomial d(std::vector<double>{1.0, 1.0, 0.0});
  EXPECT_EQ(d.pmf(2), 1.0);
  EXPECT_EQ(d.quantile(0.0), 2);
  EXPECT_EQ(d.quantile(0.5), 2);
  PoissonBinomial empty(std::vector<double>{});
  EXPECT_EQ(empty.pmf(0), 1.0);
  EXPECT_EQ(empty.quantile(0.5), 0);
}

TEST(PoissonBinomial, TrimmedExactMatchesUntrimmedMassOnLargeN) {
  // 200k deals with p = 1e-4 each: sigma ~ 4.5, so the trimmed DP stays exact and cheap;
  // compare with Binomial(200000, 1e-4) at a few points (recurrence in long double).
  const int n = 200000;
  PoissonBinomial d(std::vector<double>(n, 1e-4));
  EXPECT_EQ(d.method(), PoissonBinomialMethod::exact);
  long double b = std::pow(1.0L - 1e-4L, n), cdf = 0;
  for (int k = 0; k <= 60; ++k) {
    cdf += b;
    EXPECT_NEAR(d.cdf(k), static_cast<double>(cdf), 1e-11) << k;
    b *= (long double)(n - k) / (k + 1) * 1e-4L / (1 - 1e-4L);
  }
}

TEST(PoissonBinomial, RefinedNormalIsCloseToExact) {
  // 3000 probabilities uniform in (0.05, 0.95): sigma ~ 24. Measured max |F_RNA - F| = 1.24e-5;
  // we assert 5e-5 (the RNA error is O(1/sigma^2)).
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(0.05, 0.95);
  std::vector<double> p(3000);
  for (auto& v : p) v = u(rng);
  PoissonBinomial exact(p, PoissonBinomialMethod::exact);
  PoissonBinomial rna(p, PoissonBinomialMethod::refined_normal);
  EXPECT_EQ(rna.method(), PoissonBinomialMethod::refined_normal);
  double worst = 0;
  for (std::int64_t k = 0; k <= 3000; ++k) worst = std::max(worst, std::fabs(exact.cdf(k) - rna.cdf(k)));
  EXPECT_LT(worst, 5e-5);
  EXPECT_NEAR(rna.quantile(0.5), exact.quantile(0.5), 1);
  EXPECT_NEAR(rna.interval(0.95).upper, exact.interval(0.95).upper, 1);
}

TEST(PoissonBinomial, AutomaticSwitchesToNormalForHugeSpread) {
  std::vector<double> p(1000000, 0.5);
  PoissonBinomial d(p);
  EXPECT_EQ(d.method(), PoissonBinomialMethod::refined_normal);
  // Symmetric (skew 0): F(n/2 - 1) + F(n/2)... median is n/2.
  EXPECT_EQ(d.quantile(0.5), 500000);
  EXPECT_DOUBLE_EQ(d.mean(), 500000.0);
}

TEST(PoissonBinomial, RejectsBadProbabilities) {
  try {
    PoissonBinomial d(std::vector<double>{0.5, 1.5});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_option);
    EXPECT_EQ(e.problem().field, "p");
  }
  EXPECT_THROW(PoissonBinomial(std::vector<double>{-0.1}), Error);
  EXPECT_THROW(PoissonBinomial(std::vector<double>{NAN}), Error);
  PoissonBinomial d(std::vector<double>{0.5});
  EXPECT_THROW(d.interval(1.0), Error);
  EXPECT_THROW(d.quantile(1.1), Error);
}

TEST(WeightedBernoulliSum, NormalApproximationWithClamping) {
  // p = .5, .2; budgets 100, 50: mean 60; var .25*1e4 + .16*2500 = 2900;
  // 60 -+ 1.959963984540054 sqrt(2900) = [-45.5, 165.5], clamped to the possible range [0, 150].
  const auto s = weighted_bernoulli_sum(std::vector<double>{0.5, 0.2}, std::vector<double>{100, 50});
  EXPECT_NEAR(s.mean, 60, 1e-12);
  EXPECT_NEAR(s.variance, 2900, 1e-9);
  EXPECT_EQ(s.lower, 0.0);
  EXPECT_EQ(s.upper, 150.0);
  // Unclamped case at 80%: 40 deals of p = .5, budget 10 -> mean 200, sd = sqrt(40 * .25 * 100) = 31.62...
  const auto t = weighted_bernoulli_sum(std::vector<double>(40, 0.5), std::vector<double>(40, 10.0), 0.8);
  EXPECT_NEAR(t.lower, 200 - 1.2815515655446004 * std::sqrt(1000.0), 1e-10);
  EXPECT_NEAR(t.upper, 200 + 1.2815515655446004 * std::sqrt(1000.0), 1e-10);
}

TEST(WeightedBernoulliSum, RejectsMismatchedWeights) {
  try {
    weighted_bernoulli_sum(std::vector<double>{0.5}, std::vector<double>{1, 2});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.problem().field, "weights");
  }
  EXPECT_THROW(weighted_bernoulli_sum(std::vector<double>{2.0}, std::vector<double>{1}), Error);
}
