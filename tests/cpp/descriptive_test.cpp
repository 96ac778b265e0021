// Tests for exact mean/median and the DDSketch quantile sketch.
#include "dealstat/stats/descriptive.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "dealstat/core/error.hpp"

using namespace dealstat;

TEST(Descriptive, MeanAndMedian) {
  EXPECT_DOUBLE_EQ(mean(std::vector<double>{1, 2, 3, 4}), 2.5);
  EXPECT_EQ(median(std::vector<double>{5, 1, 3}), 3.0);
  EXPECT_EQ(median(std::vector<double>{4, 1, 3, 2}), 2.5);  // numpy: average of the middle two
  EXPECT_TRUE(std::isnan(mean(std::vector<double>{})));
  EXPECT_TRUE(std::isnan(median(std::vector<double>{})));
  // Compensated sum: 1e16 + 1 + -1e16 + 1 -> 2 / 4 (naive summation gives 0.25 or 0).
  EXPECT_DOUBLE_EQ(mean(std::vector<double>{1e16, 1, -1e16, 1}), 0.5);
  try {
    median(std::vector<double>{1, NAN});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.problem().field, "values");
  }
}

namespace {
std::vector<double> lognormal(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> d(10.0, 2.0);  // seconds-like durations, wide spread
  std::vector<double> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}
}  // namespace

TEST(DDSketch, RelativeErrorBoundOnLognormal) {
  const auto values = lognormal(100000, 42);
  for (double alpha : {0.01, 0.05}) {
    DDSketch s(alpha);
    for (double v : values) s.add(v);
    auto sorted = values;
    std::sort(sorted.begin(), sorted.end());
    for (double q : {0.0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1.0}) {
      const double exact = sorted[static_cast<std::size_t>(std::floor(q * (sorted.size() - 1)))];
      // Guarantee: |estimate - exact| <= alpha * exact (plus rounding of log at bucket edges).
      EXPECT_LE(std::fabs(s.quantile(q) - exact), (alpha + 1e-12) * exact) << "alpha " << alpha << " q " << q;
    }
    EXPECT_EQ(s.count(), values.size());
    EXPECT_EQ(s.min(), sorted.front());
    EXPECT_EQ(s.max(), sorted.back());
  }
}

TEST(DDSketch, ZerosAreCountedApart) {
  DDSketch s;
  for (int i = 0; i < 6; ++i) s.add(0.0);
  for (int i = 1; i <= 4; ++i) s.add(i * 100.0);
  EXPECT_EQ(s.zero_count(), 6u);
  EXPECT_EQ(s.quantile(0.5), 0.0);  // rank 4.5 < 6 zeros
  EXPECT_NEAR(s.quantile(1.0), 400.0, 4.0);
  EXPECT_TRUE(std::isnan(DDSketch().quantile(0.5)));
}

TEST(DDSketch, BucketBoundaries) {
  // gamma = 1.01/0.99; bucket i holds (gamma^(i-1), gamma^i]: 1 is in bucket 0, gamma^2 (nearly) in bucket 2.
  DDSketch s(0.01);
  EXPECT_EQ(s.bucket_index(1.0), 0);
  EXPECT_EQ(s.bucket_index(1.015), 1);
  EXPECT_EQ(s.bucket_index(0.99), 0);
  EXPECT_EQ(s.bucket_index(0.97), -1);
}

TEST(DDSketch, MergeOfAnySplitEqualsTheWhole) {
  const auto values = lognormal(20000, 3);
  DDSketch whole, a, b, c;
  for (std::size_t i = 0; i < values.size(); ++i) {
    whole.add(values[i]);
    (i % 7 < 2 ? a : i % 7 < 5 ? b : c).add(values[i]);
  }
  whole.add(0.0);
  c.add(0.0);
  DDSketch ab_c = a, a_bc = a, bc = b, cba = c;
  ab_c.merge(b);
  ab_c.merge(c);
  bc.merge(c);
  a_bc.merge(bc);
  cba.merge(b);
  cba.merge(a);
  EXPECT_EQ(ab_c, whole);
  EXPECT_EQ(a_bc, whole);
  EXPECT_EQ(cba, whole);
  EXPECT_EQ(cba.buckets(), whole.buckets());
  EXPECT_NEAR(cba.sum(), whole.sum(), 1e-9 * whole.sum());
  for (double q : {0.1, 0.5, 0.9}) EXPECT_EQ(cba.quantile(q), whole.quantile(q));
  DDSketch empty;
  empty.merge(whole);
  EXPECT_EQ(empty, whole);
}

TEST(DDSketch, SelfMergeDoubles) {
  DDSketch s;
  s.add(5.0);
  s.merge(s);
  EXPECT_EQ(s.count(), 2u);
  EXPECT_EQ(s.buckets().front().second, 2u);
}

TEST(DDSketch, SerializationRoundTrip) {
  DDSketch s(0.02);
  for (double v : lognormal(5000, 9)) s.add(v);
  s.add(0.0);
  const auto bytes = s.serialize();
  const auto back = DDSketch::deserialize(bytes);
  EXPECT_EQ(back, s);
  EXPECT_EQ(back.sum(), s.sum());
  EXPECT_EQ(back.alpha(), 0.02);
  EXPECT_EQ(back.serialize(), bytes);
  EXPECT_EQ(back.quantile(0.5), s.quantile(0.5));
  EXPECT_EQ(bytes[4], 1);
  auto newer = bytes;
  newer[4] = 9;
  try {
    DDSketch::deserialize(newer);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::unsupported_version);
  }
  auto truncated = bytes;
  truncated.resize(bytes.size() - 3);
  try {
    DDSketch::deserialize(truncated);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::parse);
  }
}

TEST(DDSketch, RejectsBadArguments) {
  EXPECT_THROW(DDSketch(0.0), Error);
  EXPECT_THROW(DDSketch(1.0), Error);
  DDSketch s;
  try {
    s.add(-1.0);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.problem().field, "value");
  }
  EXPECT_THROW(s.add(INFINITY), Error);
  DDSketch other(0.05);
  try {
    s.merge(other);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.problem().field, "alpha");
  }
  EXPECT_THROW(s.quantile(2.0), Error);
}
