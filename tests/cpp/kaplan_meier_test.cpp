// Tests for the Kaplan-Meier accumulator, curve, median and serialization.
#include "dealstat/stats/kaplan_meier.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "dealstat/core/error.hpp"

using namespace dealstat;

namespace {
// lifelines' documentation example, control group g3.
KaplanMeierAccumulator g3() {
  KaplanMeierAccumulator acc;
  const double d[] = {34, 32, 9, 19, 50, 48};
  const bool e[] = {true, true, true, true, false, false};
  for (int i = 0; i < 6; ++i) acc.add(d[i], e[i]);
  return acc;
}
}  // namespace

TEST(KaplanMeier, MatchesLifelinesG3) {
  const auto c = g3().finalize();
  ASSERT_EQ(c.times, (std::vector<double>{9, 19, 32, 34, 48, 50}));
  EXPECT_EQ(c.at_risk, (std::vector<std::int64_t>{6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(c.events, (std::vector<std::int64_t>{1, 1, 1, 1, 0, 0}));
  EXPECT_EQ(c.censored, (std::vector<std::int64_t>{0, 0, 0, 0, 1, 1}));
  const double s[] = {5.0 / 6, 4.0 / 6, 3.0 / 6, 2.0 / 6, 2.0 / 6, 2.0 / 6};
  for (int i = 0; i < 6; ++i) EXPECT_NEAR(c.survival[i], s[i], 1e-15);
  // lifelines' KM_estimate_lower_0.95, as printed (4 decimals).
  const double lower[] = {0.2731, 0.1946, 0.1109, 0.0461};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(c.ci_lower[i], lower[i], 5e-5);
}

TEST(KaplanMeier, LogLogGreenwoodBoundsByFormula) {
  // At t = 9: S = 5/6, Greenwood sum = 1/(6*5); theta = log(-log S), se = sqrt(sum)/|log S|,
  // bounds = exp(-exp(theta +- z se)).
  const auto c = g3().finalize(0.90);
  const double z = 1.6448536269514722;
  const double ls = std::log(5.0 / 6), se = std::sqrt(1.0 / 30) / -ls;
  EXPECT_NEAR(c.ci_lower[0], std::exp(-std::exp(std::log(-ls) + z * se)), 1e-14);
  EXPECT_NEAR(c.ci_upper[0], std::exp(-std::exp(std::log(-ls) - z * se)), 1e-14);
  // At t = 34: sum = 1/30 + 1/20 + 1/12 + 1/6 = 1/3.
  const double ls4 = std::log(2.0 / 6), se4 = std::sqrt(1.0 / 3) / -ls4;
  EXPECT_NEAR(c.ci_upper[3], std::exp(-std::exp(std::log(-ls4) - z * se4)), 1e-14);
  EXPECT_DOUBLE_EQ(c.confidence, 0.90);
}

TEST(KaplanMeier, MedianFollowsLifelines) {
  // lifelines: median = first t with S(t) <= 0.5 -> 32 (S(32) = 0.5 exactly); the CI of the median
  // is the same rule applied to the CI curves: lower curve is 0.2731 at 9, the upper never gets to 0.5.
  const auto m = g3().finalize().median();
  EXPECT_EQ(m.median, 32.0);
  EXPECT_EQ(m.lower, 9.0);
  EXPECT_EQ(m.upper, INFINITY);
}

TEST(KaplanMeier, TiesOfEventsAndCensoringsAtOneTime) {
  // Censorings at t count as at risk at t. n=5: t=1 (1 event, 1 censored): S = 4/5;
  // t=2 (n=3, 2 events): S = 4/5 * 1/3; t=3 censored.
  KaplanMeierAccumulator acc;
  acc.add(1, true);
  acc.add(1, false);
  acc.add(2, true);
  acc.add_counts(2, 1, 0);
  acc.add(3, false);
  const auto c = acc.finalize();
  ASSERT_EQ(c.times.size(), 3u);
  EXPECT_NEAR(c.survival[0], 0.8, 1e-15);
  EXPECT_NEAR(c.survival[1], 0.8 / 3, 1e-15);
  EXPECT_EQ(c.at_risk[1], 3);
  EXPECT_NEAR(c.survival_at(0.5), 1.0, 0);
  EXPECT_NEAR(c.survival_at(2.5), 0.8 / 3, 1e-15);
  EXPECT_EQ(c.quantile_time(0.5), 2.0);
}

TEST(KaplanMeier, AllClosedEndsAtZeroWithZeroWidth) {
  KaplanMeierAccumulator acc;
  acc.add(1, true);
  acc.add(2, true);
  const auto c = acc.finalize();
  EXPECT_EQ(c.survival[1], 0.0);
  EXPECT_EQ(c.ci_lower[1], 0.0);
  EXPECT_EQ(c.ci_upper[1], 0.0);
  EXPECT_EQ(c.median().median, 1.0);
}

TEST(KaplanMeier, EmptyAccumulatorGivesEmptyCurve) {
  const auto c = KaplanMeierAccumulator{}.finalize();
  EXPECT_TRUE(c.times.empty());
  EXPECT_EQ(c.median().median, INFINITY);
  EXPECT_EQ(c.survival_at(10), 1.0);
}

TEST(KaplanMeier, MergeIsExactCommutativeAndAssociative) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> day(0, 200);
  std::bernoulli_distribution closed(0.7);
  KaplanMeierAccumulator whole, a, b, c;
  for (int i = 0; i < 30000; ++i) {
    const double d = day(rng) * 86400.0;
    const bool e = closed(rng);
    whole.add(d, e);
    (i % 3 == 0 ? a : i % 3 == 1 ? b : c).add(d, e);
  }
  KaplanMeierAccumulator ab_c = a, a_bc = a, cba = c, bc = b;
  ab_c.merge(b);
  ab_c.merge(c);
  bc.merge(c);
  a_bc.merge(bc);
  cba.merge(b);
  cba.merge(a);
  EXPECT_EQ(ab_c, whole);
  EXPECT_EQ(a_bc, whole);
  EXPECT_EQ(cba, whole);
  EXPECT_EQ(cba.size(), 30000);
  const auto x = whole.finalize(), y = cba.finalize();
  EXPECT_EQ(x.survival, y.survival);
  EXPECT_EQ(x.ci_lower, y.ci_lower);
}

TEST(KaplanMeier, SelfMergeDoublesCounts) {
  auto acc = g3();
  acc.merge(acc);
  EXPECT_EQ(acc.size(), 12);
  EXPECT_EQ(acc.counts()[0].events, 2);
}

TEST(KaplanMeier, SerializationRoundTrip) {
  auto acc = g3();
  acc.add(0.25, false);
  const auto bytes = acc.serialize();
  // magic + version + flags + rows + 7 rows of 24 bytes.
  ASSERT_EQ(bytes.size(), 4u + 2 + 2 + 8 + 7 * 24);
  EXPECT_EQ(bytes[4], 1);  // version, little-endian
  EXPECT_EQ(bytes[5], 0);
  const auto back = KaplanMeierAccumulator::deserialize(bytes);
  EXPECT_EQ(back, acc);
  EXPECT_EQ(back.size(), acc.size());
  EXPECT_EQ(back.finalize().survival, acc.finalize().survival);
}

TEST(KaplanMeier, DeserializeRefusesNewerVersionAndBadBytes) {
  auto bytes = g3().serialize();
  auto newer = bytes;
  newer[4] = 2;
  try {
    KaplanMeierAccumulator::deserialize(newer);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::unsupported_version);
  }
  auto truncated = bytes;
  truncated.pop_back();
  try {
    KaplanMeierAccumulator::deserialize(truncated);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::parse);
  }
  auto bad_magic = bytes;
  bad_magic[0] = 'X';
  EXPECT_THROW(KaplanMeierAccumulator::deserialize(bad_magic), Error);
}

TEST(KaplanMeier, RejectsBadArguments) {
  KaplanMeierAccumulator acc;
  try {
    acc.add(-1.0, true);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_option);
    EXPECT_EQ(e.problem().field, "duration");
  }
  EXPECT_THROW(acc.add(NAN, true), Error);
  EXPECT_THROW(acc.add_counts(1.0, -1, 0), Error);
  EXPECT_THROW(acc.finalize(1.5), Error);
}
