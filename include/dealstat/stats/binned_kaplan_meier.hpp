// Kaplan-Meier on a fixed time grid: durations are counted in the bin they
// end in, rounded up to a whole bin (bin = ceil(duration / width); time of
// bin k = k * width). Its state is an array of (events, censored) per bin,
// bounded by the data's time span, not by the number of observations, and
// it merges exactly by adding counts. The funnel uses it with 1-hour bins
// (docs/reports.md, "Time to close"). On the same ceiled durations it gives
// exactly the curve of KaplanMeierAccumulator; median() computes only what
// the median and its interval need.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <utility>
#include <vector>

#include "dealstat/core/export.hpp"
#include "dealstat/stats/kaplan_meier.hpp"

namespace dealstat {
inline namespace v1 {

//! Mergeable Kaplan-Meier accumulator on a grid of whole bins of `bin_width_s` seconds.
class DEALSTAT_API BinnedKaplanMeier {
 public:
  //! An empty accumulator with bins of `bin_width_s` > 0 seconds (throws Error(invalid_option) naming "bin_width_s").
  explicit BinnedKaplanMeier(std::int64_t bin_width_s = 3600);
  //! Adds one observation of `duration_s` >= 0 (throws Error(invalid_option) naming "duration" when negative),
  //! counted in bin ceil(duration_s / bin width); `event` = closed, otherwise censored.
  void add(std::int64_t duration_s, bool event) {
    if (duration_s >= 0) {
      const auto b = static_cast<std::uint64_t>(duration_s / width_ + (duration_s % width_ != 0 ? 1 : 0));
      if (b < dense_.size()) {
        ++(event ? dense_[b].first : dense_[b].second);
        ++total_;
        return;
      }
    }
    add_slow(duration_s, event);
  }
  //! Adds `events` closings and `censored` censorings in bin `bin` >= 0 (counts >= 0).
  void add_counts(std::int64_t bin, std::int64_t events, std::int64_t censored);
  //! Folds another accumulator with the same bin width in (exact; order does not matter).
  //! Throws Error(invalid_option) naming "bin_width_s" when the widths differ.
  void merge(const BinnedKaplanMeier& other);
  //! Width of a bin, seconds.
  std::int64_t bin_width_s() const noexcept { return width_; }
  //! Total observations added.
  std::int64_t size() const noexcept { return total_; }
  //! Total events (closings) added.
  std::int64_t events() const;
  //! Non-empty bins, ascending, as counts at time = bin * width (what KaplanMeierAccumulator would hold).
  std::vector<KaplanMeierCount> counts() const;
  //! The median and its two-sided `confidence` interval (Greenwood, log-log), the same values as
  //! KaplanMeierAccumulator::finalize(confidence).median() on counts(); evaluates the band only until
  //! its upper curve crosses 0.5. +inf where a curve never reaches 0.5.
  KaplanMeierMedian median(double confidence = 0.95) const;

  //! Portable bytes: magic "DSKB", u16 version, u16 flags, i64 bin width, u64 rows, rows of
  //! (i64 bin, i64 events, i64 censored) ascending, little-endian.
  std::vector<std::uint8_t> serialize() const;
  //! Reads serialize()'s bytes; Error(unsupported_version) for a newer version, Error(parse) for bad bytes.
  static BinnedKaplanMeier deserialize(std::span<const std::uint8_t> bytes);
  //! The serialization format version this build writes.
  static constexpr std::uint16_t format_version = 1;

  //! Equal when the bin widths and the non-empty bins are equal.
  friend bool operator==(const BinnedKaplanMeier& a, const BinnedKaplanMeier& b) {
    return a.width_ == b.width_ && a.counts() == b.counts();
  }

 private:
  static constexpr std::int64_t kDenseBins = std::int64_t{1} << 20;  // bins in the dense array at most (120 years of hours)
  void add_slow(std::int64_t duration_s, bool event);
  void add_bin(std::int64_t bin, std::int64_t events, std::int64_t censored);
  std::int64_t width_;
  std::vector<std::pair<std::int64_t, std::int64_t>> dense_;          // bin -> (events, censored)
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> far_;  // bins >= kDenseBins
  std::int64_t total_ = 0;
};

}  // namespace v1
}  // namespace dealstat
