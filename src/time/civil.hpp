// Private: the inline civil-date kernels shared by calendar.cpp, time_zone.cpp
// and the value parsers (hot paths: one call per CSV cell or per report row).
// days_from_civil / civil_from_days are Howard Hinnant's algorithms
// (http://howardhinnant.github.io/date_algorithms.html), proleptic Gregorian.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "dealstat/core/types.hpp"

namespace dealstat {
inline namespace v1 {
namespace detail {

//! A broken-down date, the kernel's own (no dependency on calendar.hpp).
struct Ymd {
  std::int32_t y;  //!< year
  std::int32_t m;  //!< month 1..12
  std::int32_t d;  //!< day 1..31
};

//! Days since 1970-01-01 of a proleptic Gregorian date (any valid y/m/d).
constexpr std::int32_t days_from_civil(std::int32_t y, std::int32_t m, std::int32_t d) noexcept {
  y -= m <= 2;
  const std::int32_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int32_t yoe = y - era * 400;                                  // [0, 399]
  const std::int32_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const std::int32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          // [0, 146096]
  return era * 146097 + doe - 719468;
}

//! The date of a day count since 1970-01-01.
constexpr Ymd civil_from_days(std::int32_t z) noexcept {
  z += 719468;
  const std::int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int32_t doe = z - era * 146097;                                    // [0, 146096]
  const std::int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int32_t y = yoe + era * 400;
  const std::int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);  // [0, 365]
  const std::int32_t mp = (5 * doy + 2) / 153;                       // [0, 11]
  const std::int32_t d = doy - (153 * mp + 2) / 5 + 1;               // [1, 31]
  const std::int32_t m = mp < 10 ? mp + 3 : mp - 9;                  // [1, 12]
  return Ymd{y + (m <= 2), m, d};
}

//! True in a leap year of the Gregorian calendar.
constexpr bool is_leap(std::int32_t y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

//! Number of days in month m of year y.
constexpr std::int32_t days_in_month(std::int32_t y, std::int32_t m) noexcept {
  constexpr std::int32_t kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

//! True for a real date with a year in 1..9999 (the range dealstat reads and writes).
constexpr bool valid_civil(std::int32_t y, std::int32_t m, std::int32_t d) noexcept {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

//! ISO day of week of a day count: Monday = 1 ... Sunday = 7 (1970-01-01 was a Thursday).
constexpr int iso_weekday(std::int32_t days) noexcept {
  const std::int32_t r = (days + 3) % 7;  // 0 = Monday
  return static_cast<int>(r < 0 ? r + 7 : r) + 1;
}

//! Parses exactly n ASCII digits at p; -1 if any is not a digit.
constexpr std::int32_t parse_digits(const char* p, int n) noexcept {
  std::int32_t v = 0;
  for (int i = 0; i < n; ++i) {
    const unsigned c = static_cast<unsigned char>(p[i]) - '0';
    if (c > 9) return -1;
    v = v * 10 + static_cast<std::int32_t>(c);
  }
  return v;
}

//! Parses exactly "YYYY-MM-DD" into a LocalDate; nullopt if malformed or not a real date.
constexpr std::optional<LocalDate> parse_ymd(std::string_view s) noexcept {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const std::int32_t y = parse_digits(s.data(), 4);
  const std::int32_t m = parse_digits(s.data() + 5, 2);
  const std::int32_t d = parse_digits(s.data() + 8, 2);
  if (y < 0 || m < 0 || d < 0 || !valid_civil(y, m, d)) return std::nullopt;
  return LocalDate{days_from_civil(y, m, d)};
}

}  // namespace detail
}  // namespace v1
}  // namespace dealstat
