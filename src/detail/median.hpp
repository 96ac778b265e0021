// Exact mean and median of a vector of durations (seconds).
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace dealstat::inline v1::detail {

//! Mean of the values; NaN when empty.
inline double mean(const std::vector<std::int64_t>& v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  long double sum = 0;
  for (auto x : v) sum += static_cast<long double>(x);
  return static_cast<double>(sum / static_cast<long double>(v.size()));
}

//! Median (average of the two middle values for an even count); reorders v; NaN when empty.
inline double median_inplace(std::vector<std::int64_t>& v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  const std::size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double hi = static_cast<double>(v[mid]);
  if (v.size() % 2 == 1) return hi;
  const double lo = static_cast<double>(*std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid)));
  return (lo + hi) / 2.0;
}

}  // namespace dealstat::inline v1::detail
