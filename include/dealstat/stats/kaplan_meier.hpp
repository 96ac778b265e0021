// Kaplan-Meier survival: the censored estimate of "how long until a deal
// closes" (SPEC section 3, time to close) and of stage durations. The
// accumulator keeps exact counts per distinct duration, so accumulate over
// ranges of deals, merge in any order (merge is exact, commutative and
// associative) and finalize once; it serializes to bytes for distributed merges.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dealstat/core/export.hpp"

namespace dealstat {
inline namespace v1 {

//! Counts observed at one distinct duration.
struct KaplanMeierCount {
  double time = 0.0;          //!< the duration (caller's unit, e.g. seconds)
  std::int64_t events = 0;    //!< closings observed at this duration
  std::int64_t censored = 0;  //!< observations censored at this duration (still open at as-of)
  friend bool operator==(const KaplanMeierCount&, const KaplanMeierCount&) = default;
};

//! A median survival time with its confidence interval; +inf where a curve never reaches 0.5.
struct KaplanMeierMedian {
  double median = 0.0;  //!< first time with S(t) <= 0.5 (lifelines' convention); +inf if never
  double lower = 0.0;   //!< first time the lower confidence curve is <= 0.5
  double upper = 0.0;   //!< first time the upper confidence curve is <= 0.5; +inf if never
};

//! The finalized step curve: one row per distinct duration (event or censoring), ascending.
//! S(t) = 1 before times[0]; between rows the curve is constant.
struct DEALSTAT_API KaplanMeierCurve {
  std::vector<double> times;           //!< distinct durations, ascending
  std::vector<double> survival;        //!< S(t) just after each time (product of 1 - d/n)
  std::vector<std::int64_t> at_risk;   //!< n: observations with duration >= time
  std::vector<std::int64_t> events;    //!< d: events at time
  std::vector<std::int64_t> censored;  //!< censorings at time
  std::vector<double> ci_lower;        //!< lower confidence bound (Greenwood variance, log-log transform)
  std::vector<double> ci_upper;        //!< upper confidence bound
  double confidence = 0.95;            //!< two-sided level of ci_lower/ci_upper

  //! The median survival time and its interval, read off the curve and the two CI curves.
  KaplanMeierMedian median() const;
  //! First time with S(t) <= q (q in (0, 1)); +inf if the curve stays above q. median() uses q = 0.5.
  double quantile_time(double q) const;
  //! S(t) at any t (step function, right-continuous).
  double survival_at(double t) const;
};

//! Mergeable accumulator of (duration, event) observations.
class DEALSTAT_API KaplanMeierAccumulator {
 public:
  //! Adds one observation: `duration` >= 0 and finite; `event` = true if it closed, false if censored.
  //! Throws Error(invalid_option, "duration") for a negative, NaN or infinite duration.
  void add(double duration, bool event);
  //! Adds `events` closings and `censored` censorings at one duration (counts >= 0).
  void add_counts(double duration, std::int64_t events, std::int64_t censored);
  //! Folds another accumulator into this one (exact; order does not matter).
  void merge(const KaplanMeierAccumulator& other);
  //! Total observations added.
  std::int64_t size() const noexcept { return total_; }
  //! Counts per distinct duration, ascending and without zero rows (the canonical state).
  std::vector<KaplanMeierCount> counts() const;
  //! Builds the curve with a two-sided `confidence` in (0, 1).
  KaplanMeierCurve finalize(double confidence = 0.95) const;

  //! Portable bytes: magic "DSKM", u16 version, u16 flags, u64 rows, rows of (f64 time, i64 events, i64 censored), LE.
  std::vector<std::uint8_t> serialize() const;
  //! Reads serialize()'s bytes; Error(unsupported_version) for a newer version, Error(parse) for bad bytes.
  static KaplanMeierAccumulator deserialize(std::span<const std::uint8_t> bytes);
  //! The serialization format version this build writes.
  static constexpr std::uint16_t format_version = 1;

  //! Equal when the canonical counts are equal.
  friend bool operator==(const KaplanMeierAccumulator& a, const KaplanMeierAccumulator& b) {
    return a.counts() == b.counts();
  }

 private:
  void compact();
  std::vector<KaplanMeierCount> sorted_;   // canonical: ascending unique times
  std::vector<KaplanMeierCount> pending_;  // unsorted recent additions
  std::int64_t total_ = 0;
};

}  // namespace v1
}  // namespace dealstat
