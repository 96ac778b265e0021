// Descriptive statistics: the exact mean and median the reports print (time
// to close, time in stage), and DDSketch, a mergeable quantile sketch with a
// guaranteed relative error for distributed runs where exact medians would
// need every value in one place.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "dealstat/core/export.hpp"

namespace dealstat {
inline namespace v1 {

//! Arithmetic mean (compensated summation); NaN for no values. Throws Error(invalid_option, "values") on NaN.
DEALSTAT_API double mean(std::span<const double> values);

//! Median by nth_element on a copy; the average of the two middle values for an even count; NaN for none.
DEALSTAT_API double median(std::span<const double> values);

//! DDSketch (Masson, Rim, Lee 2019): quantiles of non-negative values within relative error alpha.
//! Bucket i holds values in (gamma^(i-1), gamma^i], gamma = (1 + alpha) / (1 - alpha); zeros are
//! counted apart. Buckets are dense int32-indexed counts (never collapsed: at most ~1420 / alpha buckets
//! over all doubles), so merge is exact, commutative and associative.
class DEALSTAT_API DDSketch {
 public:
  //! A sketch with relative accuracy `alpha` in (0, 1). Throws Error(invalid_option, "alpha").
  explicit DDSketch(double alpha = 0.01);
  //! Adds a value >= 0 (finite). Throws Error(invalid_option, "value") for negative, NaN or infinite values.
  void add(double value);
  //! Folds another sketch with the same alpha into this one. Throws Error(invalid_option, "alpha") otherwise.
  void merge(const DDSketch& other);
  //! Value at quantile q in [0, 1]: within alpha (relative) of the exact order statistic x_(floor(q (n - 1))).
  //! NaN for an empty sketch.
  double quantile(double q) const;

  //! The relative accuracy.
  double alpha() const noexcept { return alpha_; }
  //! Values added.
  std::uint64_t count() const noexcept { return count_; }
  //! Values equal to zero.
  std::uint64_t zero_count() const noexcept { return zero_count_; }
  //! Sum of the values (floating point: merge order can change the last bits).
  double sum() const noexcept { return sum_; }
  //! Smallest value added (+inf when empty).
  double min() const noexcept { return min_; }
  //! Largest value added (-inf when empty).
  double max() const noexcept { return max_; }
  //! Non-empty buckets as (index, count), ascending by index.
  std::vector<std::pair<std::int32_t, std::uint64_t>> buckets() const;
  //! The bucket index a positive value falls in: ceil(log(value) / log(gamma)).
  std::int32_t bucket_index(double value) const;

  //! Portable bytes: magic "DSDD", u16 version, u16 flags, f64 alpha, u64 count, u64 zero_count, f64 sum,
  //! f64 min, f64 max, i32 first index, u32 n, n x u64 counts; little-endian.
  std::vector<std::uint8_t> serialize() const;
  //! Reads serialize()'s bytes; Error(unsupported_version) for a newer version, Error(parse) for bad bytes.
  static DDSketch deserialize(std::span<const std::uint8_t> bytes);
  //! The serialization format version this build writes.
  static constexpr std::uint16_t format_version = 1;

  //! Same alpha, counts, zero count, min, max and buckets (sum is not compared: it is floating point).
  friend DEALSTAT_API bool operator==(const DDSketch& a, const DDSketch& b);

 private:
  void grow_to(std::int32_t index);
  double alpha_, gamma_, inv_log_gamma_;
  std::uint64_t count_ = 0, zero_count_ = 0;
  double sum_ = 0.0, min_, max_;
  std::int32_t offset_ = 0;             // index of counts_[0]
  std::vector<std::uint64_t> counts_;  // dense buckets
};

}  // namespace v1
}  // namespace dealstat
