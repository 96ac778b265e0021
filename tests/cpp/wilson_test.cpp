// Tests for the Wilson score interval.
#include "dealstat/stats/wilson.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "dealstat/core/error.hpp"
#include "dealstat/stats/distributions.hpp"

using namespace dealstat;

TEST(Wilson, MatchesStatsmodels) {
  // statsmodels.stats.proportion.proportion_confint(count, nobs, method="wilson").
  auto a = wilson_interval(19, 38);
  EXPECT_NEAR(a.lower, 0.348499283643951, 1e-12);
  EXPECT_NEAR(a.upper, 0.651500716356049, 1e-12);
  auto b = wilson_interval(18, 20);
  EXPECT_NEAR(b.lower, 0.6989663547715128, 1e-12);
  EXPECT_NEAR(b.upper, 0.972133518786232, 1e-12);
}

TEST(Wilson, ClosedFormAtTheEdges) {
  // x = 0: lower = 0, upper = z^2 / (n + z^2); x = n mirrors it.
  const double z = 1.959963984540054;
  auto zero = wilson_interval(0, 10);
  EXPECT_EQ(zero.lower, 0.0);
  EXPECT_NEAR(zero.upper, z * z / (10 + z * z), 1e-14);
  auto all = wilson_interval(10, 10);
  EXPECT_EQ(all.upper, 1.0);
  EXPECT_NEAR(all.lower, 10 / (10 + z * z), 1e-14);
}

TEST(Wilson, OtherConfidence) {
  // 90%: z = 1.6448536269514722; 3/10 by the formula.
  const double z = 1.6448536269514722, n = 10, p = 0.3;
  const double c = (p + z * z / (2 * n)) / (1 + z * z / n);
  const double h = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
  auto w = wilson_interval(3, 10, 0.90);
  EXPECT_NEAR(w.lower, c - h, 1e-14);
  EXPECT_NEAR(w.upper, c + h, 1e-14);
}

TEST(Wilson, NoTrialsMeansNothingIsKnown) {
  auto w = wilson_interval(0, 0);
  EXPECT_EQ(w.lower, 0.0);
  EXPECT_EQ(w.upper, 1.0);
}

TEST(Wilson, RateInPercent) {
  // 18/20 = 90%; the interval is statsmodels' (above) times 100.
  auto r = wilson_rate_pct(18, 20);
  EXPECT_DOUBLE_EQ(r.pct, 90.0);
  EXPECT_NEAR(r.lower_pct, 69.89663547715128, 1e-10);
  EXPECT_NEAR(r.upper_pct, 97.2133518786232, 1e-10);
  // 0/10: 0% with lower end exactly 0 and upper 100 z^2 / (10 + z^2) (z for 95%).
  const double z = 1.959963984540054;
  auto zero = wilson_rate_pct(0, 10);
  EXPECT_EQ(zero.pct, 0.0);
  EXPECT_EQ(zero.lower_pct, 0.0);
  EXPECT_NEAR(zero.upper_pct, 100 * z * z / (10 + z * z), 1e-12);
  // No trials: no rate and no interval.
  auto none = wilson_rate_pct(0, 0);
  EXPECT_TRUE(std::isnan(none.pct) && std::isnan(none.lower_pct) && std::isnan(none.upper_pct));
  EXPECT_THROW(wilson_rate_pct(3, 2), Error);
}

TEST(Wilson, RejectsBadCounts) {
  auto field_of = [](auto f) -> std::string {
    try {
      f();
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_option);
      return e.problem().field;
    }
    return "no throw";
  };
  EXPECT_EQ(field_of([] { wilson_interval(-1, 5); }), "successes");
  EXPECT_EQ(field_of([] { wilson_interval(1, -5); }), "trials");
  EXPECT_EQ(field_of([] { wilson_interval(6, 5); }), "successes");
  EXPECT_EQ(field_of([] { wilson_interval(1, 5, 1.0); }), "confidence");
  EXPECT_EQ(field_of([] { wilson_interval(1, 5, 0.0); }), "confidence");
}
