// detail::DurationSet (src/reports/partial_state.hpp): the two-pass exact median (histogram, plan,
// pick) equals the median of all values kept (nth_element), on split and merged inputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <random>
#include <span>
#include <vector>

#include "reports/partial_state.hpp"

using dealstat::detail::DurationSet;

namespace {

// The median by sorting (the definition: average of the two middle values for an even count).
double sorted_median(std::vector<std::int64_t> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  if (n % 2 == 1) return static_cast<double>(v[n / 2]);
  return (static_cast<double>(v[n / 2 - 1]) + static_cast<double>(v[n / 2])) / 2.0;
}

// Two-pass over `parts` (each a "thread"): histogram, merge, plan, pick per part, merge the picks.
double two_pass(const std::vector<std::vector<std::int64_t>>& parts, DurationSet* out = nullptr) {
  DurationSet whole;
  whole.use_histogram();
  for (const auto& p : parts) {
    DurationSet s;
    s.use_histogram();
    for (auto v : p) s.add(v);
    whole.merge(s);
  }
  if (whole.plan()) {
    DurationSet picks = DurationSet::select_like(whole);
    for (const auto& p : parts) {
      DurationSet s = DurationSet::select_like(whole);
      for (auto v : p) s.add(v);
      picks.merge(s);
    }
    whole.take_picks(picks);
  }
  if (out) *out = whole;
  return whole.median();
}

}  // namespace

TEST(DurationSet, BinsAreMonotoneAndExactBelow128) {
  EXPECT_EQ(DurationSet::bin_of(-5), 0u);
  EXPECT_EQ(DurationSet::bin_of(0), 1u);
  EXPECT_EQ(DurationSet::bin_of(127), 128u);
  EXPECT_EQ(DurationSet::bin_of(128), 129u);
  EXPECT_EQ(DurationSet::bin_of(129), 130u);
  EXPECT_EQ(DurationSet::bin_of(256), 129u + 128u);
  EXPECT_EQ(DurationSet::bin_of(257), 129u + 128u);  // width 2 from 256
  EXPECT_EQ(DurationSet::bin_of(INT64_MAX), DurationSet::kBins - 1);
  std::mt19937_64 rng(3);
  for (int i = 0; i < 100000; ++i) {
    const auto a = static_cast<std::int64_t>(rng() >> (rng() % 64));
    const auto b = static_cast<std::int64_t>(rng() >> (rng() % 64));
    if (a <= b) {
      EXPECT_LE(DurationSet::bin_of(a), DurationSet::bin_of(b));
    }
  }
}

TEST(DurationSet, TwoPassMedianEqualsTheSortedMedian) {
  // Hand-worked: {5, 1, 9, 3} -> (3 + 5) / 2 = 4; {7} -> 7; {2, 2, 2} -> 2.
  EXPECT_EQ(two_pass({{5, 1}, {9, 3}}), 4.0);
  EXPECT_EQ(two_pass({{7}}), 7.0);
  EXPECT_EQ(two_pass({{2, 2}, {2}}), 2.0);
  // Middle values in different bins, far apart: {100, 1000000} -> 500050.
  EXPECT_EQ(two_pass({{100}, {1000000}}), 500050.0);
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    const int parts_n = 1 + static_cast<int>(rng() % 4);
    const int n = 1 + static_cast<int>(rng() % 5000);
    std::vector<std::vector<std::int64_t>> parts(static_cast<std::size_t>(parts_n));
    std::vector<std::int64_t> all;
    const int shape = trial % 4;
    for (int i = 0; i < n; ++i) {
      std::int64_t v;
      if (shape == 0) v = static_cast<std::int64_t>(rng() % 200);                        // many ties, exact bins
      else if (shape == 1) v = static_cast<std::int64_t>(rng() % (30 * 86400));          // seconds over a month
      else if (shape == 2) v = static_cast<std::int64_t>(rng() >> (20 + rng() % 44));    // magnitudes 1 .. 2^44
      else v = 86400 + static_cast<std::int64_t>(rng() % 7);                             // one wide bin
      parts[rng() % parts.size()].push_back(v);
      all.push_back(v);
    }
    DurationSet whole;
    EXPECT_EQ(two_pass(parts, &whole), sorted_median(all)) << trial;
    EXPECT_EQ(whole.count(), n);
    // The mean stays exact.
    long double sum = 0;
    for (auto v : all) sum += static_cast<long double>(v);
    EXPECT_EQ(whole.mean(), static_cast<double>(sum / n)) << trial;
  }
}

TEST(DurationSet, EmptyAndNotPlannedSets) {
  DurationSet empty;
  empty.use_histogram();
  EXPECT_FALSE(empty.plan());
  EXPECT_TRUE(std::isnan(empty.median()));
  DurationSet h;
  h.use_histogram();
  h.add(3);
  EXPECT_THROW(h.median(), std::logic_error);  // pass 2 not run
  DurationSet used;
  used.add(1);
  EXPECT_THROW(used.use_histogram(), std::logic_error);
}

// bin_low(b) is the smallest value of bin b: bin_of maps it to b and the value before it to b - 1.
TEST(DurationSet, BinLowIsTheInverseOfBinOf) {
  for (std::size_t b = 1; b < DurationSet::kBins; ++b) {
    ASSERT_EQ(DurationSet::bin_of(DurationSet::bin_low(b)), b) << b;
    ASSERT_EQ(DurationSet::bin_of(DurationSet::bin_low(b) - 1), b - 1) << b;
  }
  EXPECT_EQ(DurationSet::bin_of(DurationSet::bin_low(0)), 0u);
}

// Pass 2 by pick() from values kept elsewhere gives the median of sorting them all, whatever the split.
TEST(DurationSet, PickFromKeptValuesEqualsSorting) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t n = 1 + rng() % 3000;
    std::vector<std::int64_t> all(n);
    for (auto& v : all) v = trial % 3 == 0 ? static_cast<std::int64_t>(rng() % 300) : static_cast<std::int64_t>(rng() % 50000000);
    DurationSet planned;
    planned.use_histogram();
    for (auto v : all) planned.add(v);
    if (planned.plan()) {
      const std::size_t cut = rng() % (n + 1);  // picked from two spans, as from two users' kept values
      planned.pick(std::span<const std::int64_t>(all.data(), cut));
      planned.pick(std::span<const std::int64_t>(all.data() + cut, n - cut));
    }
    ASSERT_EQ(planned.median(), sorted_median(all)) << trial;
  }
}
