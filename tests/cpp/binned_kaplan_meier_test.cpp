// BinnedKaplanMeier: the hour-grid rule by hand, equality with KaplanMeierAccumulator (a second
// implementation) fed the same ceiled durations, exact merges and the byte format.
#include "dealstat/stats/binned_kaplan_meier.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "dealstat/core/error.hpp"

using namespace dealstat;

namespace {

constexpr std::int64_t kHour = 3600;

// Bitwise equality of doubles (inf == inf).
bool same(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST(BinnedKaplanMeier, DurationsAreCeiledToWholeBins) {
  BinnedKaplanMeier km;  // one hour
  km.add(0, true);              // 0 stays 0
  km.add(1, true);              // 1 s -> 1 h
  km.add(kHour, false);         // exactly 1 h stays 1 h
  km.add(kHour + 1, true);      // -> 2 h
  km.add(2 * kHour - 1, true);  // -> 2 h
  const auto c = km.counts();
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0], (KaplanMeierCount{0.0, 1, 0}));
  EXPECT_EQ(c[1], (KaplanMeierCount{3600.0, 1, 1}));
  EXPECT_EQ(c[2], (KaplanMeierCount{7200.0, 2, 0}));
  EXPECT_EQ(km.size(), 5);
  EXPECT_EQ(km.events(), 4);
}

TEST(BinnedKaplanMeier, MedianByHand) {
  // Durations 30 min, 1 h, 1 h 1 min, 2 h closed; 10 min and 5 h 33 min 20 s censored.
  // On the hour grid: 1 h: 2 events + 1 censored (n = 6), 2 h: 2 events (n = 3), 6 h: censored.
  // S(1 h) = 4/6, S(2 h) = 4/6 * 1/3 = 2/9 <= 0.5: the median is 2 h (exact times would give 3660 s).
  // Lower curve at 1 h: greenwood 2 / (6 * 4) = 1/12, log S = log(2/3),
  // exp(-exp(log(-log S) + 1.959964 * sqrt(1/12) / -log S)) = 0.1946 <= 0.5: lower = 1 h.
  // Upper curve at 2 h: greenwood 1/12 + 2 / (3 * 1) = 0.75, S = 2/9: exp(-exp(log(-log S) -
  // 1.959964 * sqrt(0.75) / -log S)) = 0.6147 > 0.5, and no later event: upper = +inf.
  BinnedKaplanMeier km;
  for (std::int64_t d : {1800, 3600, 3660, 7200}) km.add(d, true);
  km.add(600, false);
  km.add(20000, false);
  const auto m = km.median(0.95);
  EXPECT_EQ(m.median, 7200.0);
  EXPECT_EQ(m.lower, 3600.0);
  EXPECT_TRUE(std::isinf(m.upper));
}

TEST(BinnedKaplanMeier, SameMedianAsTheExactAccumulatorOnCeiledDurations) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 40; ++trial) {
    BinnedKaplanMeier binned;
    KaplanMeierAccumulator exact;
    const int n = 1 + static_cast<int>(rng() % 3000);
    const std::int64_t span = 1 + static_cast<std::int64_t>(rng() % (90 * 86400));
    const unsigned censor_pct = static_cast<unsigned>(rng() % 90);
    for (int i = 0; i < n; ++i) {
      const auto d = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(span));
      const bool event = rng() % 100 >= censor_pct;
      binned.add(d, event);
      exact.add(static_cast<double>((d + kHour - 1) / kHour * kHour), event);
    }
    EXPECT_EQ(binned.counts(), exact.counts());
    for (double conf : {0.8, 0.95}) {
      const auto a = binned.median(conf);
      const auto b = exact.finalize(conf).median();
      EXPECT_TRUE(same(a.median, b.median)) << trial;
      EXPECT_TRUE(same(a.lower, b.lower)) << trial;
      EXPECT_TRUE(same(a.upper, b.upper)) << trial;
    }
  }
}

TEST(BinnedKaplanMeier, MergeAddsCountsExactly) {
  BinnedKaplanMeier whole, a, b;
  for (std::int64_t d = 0; d < 200000; d += 997) {
    whole.add(d, d % 3 != 0);
    (d % 2 ? a : b).add(d, d % 3 != 0);
  }
  whole.add(std::int64_t{1} << 42, true);  // beyond the dense bins
  b.add(std::int64_t{1} << 42, true);
  BinnedKaplanMeier ab = a, ba = b;
  ab.merge(b);
  ba.merge(a);
  EXPECT_EQ(ab, whole);
  EXPECT_EQ(ba, whole);
  EXPECT_EQ(ab.size(), whole.size());
  BinnedKaplanMeier self = a;
  self.merge(self);
  EXPECT_EQ(self.size(), 2 * a.size());
  EXPECT_THROW(a.merge(BinnedKaplanMeier(60)), Error);
}

TEST(BinnedKaplanMeier, BytesRoundTripAndBadBytes) {
  BinnedKaplanMeier km;
  for (std::int64_t d : {0, 5, 3600, 86400, 1000000}) km.add(d, d != 5);
  km.add(std::int64_t{1} << 45, false);
  const auto bytes = km.serialize();
  const auto back = BinnedKaplanMeier::deserialize(bytes);
  EXPECT_EQ(back, km);
  EXPECT_EQ(back.serialize(), bytes);
  auto newer = bytes;
  newer[4] = static_cast<std::uint8_t>(BinnedKaplanMeier::format_version + 1);
  try {
    BinnedKaplanMeier::deserialize(newer);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::unsupported_version);
  }
  auto truncated = bytes;
  truncated.pop_back();
  EXPECT_THROW(BinnedKaplanMeier::deserialize(truncated), Error);
}

TEST(BinnedKaplanMeier, RejectsBadArguments) {
  EXPECT_THROW(BinnedKaplanMeier(0), Error);
  BinnedKaplanMeier km;
  EXPECT_THROW(km.add(-1, true), Error);
  EXPECT_THROW(km.add_counts(-1, 1, 0), Error);
  EXPECT_THROW(km.add_counts(1, -1, 0), Error);
  EXPECT_THROW(km.median(1.0), Error);
  EXPECT_EQ(km.size(), 0);
  EXPECT_TRUE(std::isinf(km.median().median));
}
