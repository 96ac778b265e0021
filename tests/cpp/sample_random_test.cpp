// Tests of the sample generator's private randomness (src/io/sample_random.hpp):
// the generators against their published reference outputs, and the integer
// distributions against their definitions. These are what make a seed give the
// same sample on every platform.
#include "../../src/io/sample_random.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace {

using dealstat::detail::SampleRng;
using dealstat::detail::scale_pow2;
using dealstat::detail::splitmix64;

TEST(SampleRandom, SplitMix64ReferenceOutputs) {
  // Reference outputs of Vigna's splitmix64.c from state 0.
  std::uint64_t s = 0;
  EXPECT_EQ(splitmix64(s), 0xE220A8397B1DCDAFull);
  EXPECT_EQ(splitmix64(s), 0x6E789E6AA1B965F4ull);
  EXPECT_EQ(splitmix64(s), 0x06C45D188009454Full);
}

TEST(SampleRandom, Xoshiro256StarStarReferenceOutputs) {
  // xoshiro256** (Blackman and Vigna, xoshiro256starstar.c) from the state {1, 2, 3, 4}.
  SampleRng rng = SampleRng::from_state({1, 2, 3, 4});
  EXPECT_EQ(rng.next(), 11520u);
  EXPECT_EQ(rng.next(), 0u);
  EXPECT_EQ(rng.next(), 1509978240u);
  EXPECT_EQ(rng.next(), 1215971899390074240u);
}

TEST(SampleRandom, SeedingGoesThroughSplitMix64) {
  std::uint64_t st = 42;
  std::array<std::uint64_t, 4> words{};
  for (auto& w : words) w = splitmix64(st);
  SampleRng a(42);
  SampleRng b = SampleRng::from_state(words);
  for (int i = 0; i < 16; ++i) EXPECT_EQ(a.next(), b.next());
}

TEST(SampleRandom, BelowAndBetweenStayInRange) {
  SampleRng rng(1);
  for (int i = 0; i < 100000; ++i) {
    EXPECT_LT(rng.below(7), 7u);
    const auto v = rng.between(-5, 5);
    EXPECT_GE(v, -5);
    EXPECT_LT(v, 5);
  }
  EXPECT_EQ(rng.below(1), 0u);
  const std::int64_t big = std::int64_t{1} << 40;
  for (int i = 0; i < 1000; ++i) {
    const auto v = rng.between(big, 3 * big);
    EXPECT_GE(v, big);
    EXPECT_LT(v, 3 * big);
  }
}

TEST(SampleRandom, ChanceMatchesItsRate) {
  SampleRng rng(2);
  int hits = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) hits += rng.chance(2500);
  // 25% of 200000 = 50000, standard deviation sqrt(n p (1-p)) = 194: allow 5 sd.
  EXPECT_NEAR(hits, 50000, 1000);
  EXPECT_FALSE(SampleRng(3).chance(0));
  EXPECT_TRUE(SampleRng(3).chance(10000));
}

TEST(SampleRandom, ScalePow2IsExactOnTheTable) {
  EXPECT_EQ(scale_pow2(1000, 0), 1000);
  EXPECT_EQ(scale_pow2(1000, 1024), 2000);
  EXPECT_EQ(scale_pow2(1000, 3 * 1024), 8000);
  EXPECT_EQ(scale_pow2(1000, -1024), 500);
  EXPECT_EQ(scale_pow2(65536, 512), 92682);   // 2^(1/2) = 1.414214 in Q16, rounded
  EXPECT_EQ(scale_pow2(65536, -512), 46341);  // 2^(-1/2) = 0.707107: 92682 / 2
  EXPECT_EQ(scale_pow2(65536, 32), 66987);    // halfway between 2^0 and 2^(1/16) in the table: (65536+68438)/2
  EXPECT_EQ(scale_pow2(0, 5000), 0);
}

TEST(SampleRandom, NormalHasMeanZeroUnitVarianceAndBoundedTails) {
  SampleRng rng(4);
  const int n = 200000;
  std::int64_t sum = 0, sum_sq = 0, lo = 0, hi = 0;
  for (int i = 0; i < n; ++i) {
    const std::int64_t z = rng.normal_fx();
    sum += z;
    sum_sq += z * z;
    lo = std::min(lo, z);
    hi = std::max(hi, z);
  }
  const double mean = static_cast<double>(sum) / n / 1024.0;
  const double var = static_cast<double>(sum_sq) / n / (1024.0 * 1024.0) - mean * mean;
  EXPECT_NEAR(mean, 0.0, 0.02);
  EXPECT_NEAR(var, 1.0, 0.03);
  EXPECT_GE(lo, -3553);  // sqrt(12) = 3.464 sd
  EXPECT_LE(hi, 3553);
  EXPECT_GT(hi, 3 * 1024);  // the tails are reached
}

TEST(SampleRandom, LognormalHasTheGivenMedian) {
  SampleRng rng(5);
  const int n = 100001;
  int below_median = 0;
  for (int i = 0; i < n; ++i) below_median += rng.lognormal(1'000'000, 1024) < 1'000'000;
  EXPECT_NEAR(below_median, n / 2, 1500);
}

TEST(SampleRandom, PickFollowsWeights) {
  SampleRng rng(6);
  std::array<std::uint32_t, 3> w = {1, 0, 3};
  std::array<int, 3> count{};
  for (int i = 0; i < 40000; ++i) ++count[rng.pick(w)];
  EXPECT_EQ(count[1], 0);
  EXPECT_NEAR(count[0], 10000, 500);
  EXPECT_NEAR(count[2], 30000, 500);
}

}  // namespace
