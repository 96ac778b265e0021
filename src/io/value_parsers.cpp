// Parsers for CSV cell values: integers, timestamps, local dates, money and
// booleans. They run once per cell in the loaders, so they allocate nothing,
// ignore the locale and never throw.
#include "dealstat/io/value_parsers.hpp"

#include <charconv>
#include <limits>

#include "../time/civil.hpp"

namespace dealstat {
inline namespace v1 {

namespace {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

constexpr char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequal(std::string_view a, std::string_view lower_b) {
  if (a.size() != lower_b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower_b[i]) return false;
  }
  return true;
}

//! v = v * 10 + d, false on uint64 overflow.
bool push_digit(std::uint64_t& v, unsigned d) {
  return !__builtin_mul_overflow(v, 10u, &v) && !__builtin_add_overflow(v, d, &v);
}

}  // namespace

std::optional<std::int64_t> try_parse_int(std::string_view s) {
  // Fast path for the usual cell: [-] and 1 to 18 digits (no overflow possible); anything else goes to
  // from_chars below, which accepts and rejects the same strings.
  {
    const bool neg = !s.empty() && s[0] == '-';
    const std::size_t digits = s.size() - (neg ? 1 : 0);
    if (digits >= 1 && digits <= 18) {
      std::int64_t v = 0;
      bool ok = true;
      for (std::size_t i = neg ? 1 : 0; i < s.size(); ++i) {
        const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(s[i])) - static_cast<unsigned>('0');
        if (d > 9) {
          ok = false;
          break;
        }
        v = v * 10 + static_cast<std::int64_t>(d);
      }
      if (ok) return neg ? -v : v;
    }
  }
  if (!s.empty() && s[0] == '+') {
    s.remove_prefix(1);
    if (s.empty() || !is_digit(s[0])) return std::nullopt;  // "+", "+-1"
  }
  if (s.empty()) return std::nullopt;
  std::int64_t v = 0;
  const char* end = s.data() + s.size();
  const auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || p != end) return std::nullopt;
  return v;
}

std::optional<LocalDate> try_parse_date(std::string_view s) { return detail::parse_ymd(s); }

std::optional<Timestamp> try_parse_timestamp(std::string_view s, const TimeZone& tz) {
  if (s.size() < 10 || s[4] != '-') {
    const auto v = try_parse_int(s);
    if (!v) return std::nullopt;
    return Timestamp{*v};
  }
  const auto date = detail::parse_ymd(s.substr(0, 10));
  if (!date) return std::nullopt;
  if (s.size() == 10) return tz.start_of_day(*date);

  // [T t space]HH:MM
  if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s.size() < 16 || s[13] != ':') return std::nullopt;
  const std::int32_t h = detail::parse_digits(s.data() + 11, 2);
  const std::int32_t m = detail::parse_digits(s.data() + 14, 2);
  if (h < 0 || h > 23 || m < 0 || m > 59) return std::nullopt;
  std::int32_t sec = 0;
  std::size_t i = 16;
  if (i < s.size() && s[i] == ':') {  // :SS[.fff]
    if (s.size() < i + 3) return std::nullopt;
    sec = detail::parse_digits(s.data() + i + 1, 2);
    if (sec < 0 || sec > 59) return std::nullopt;
    i += 3;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      const std::size_t from = ++i;
      while (i < s.size() && is_digit(s[i])) ++i;
      if (i == from || i - from > 9) return std::nullopt;
    }
  }
  const std::int32_t sod = h * 3600 + m * 60 + sec;
  if (i == s.size()) return tz.from_local(*date, sod);

  std::int32_t off = 0;
  if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == s.size()) {
    off = 0;
  } else if (s[i] == '+' || s[i] == '-') {  // +hh, +hhmm, +hh:mm
    const std::int32_t sign = s[i] == '-' ? -1 : 1;
    const std::string_view o = s.substr(i + 1);
    std::int32_t oh = -1;
    std::int32_t om = 0;
    if (o.size() == 2) {
      oh = detail::parse_digits(o.data(), 2);
    } else if (o.size() == 4) {
      oh = detail::parse_digits(o.data(), 2);
      om = detail::parse_digits(o.data() + 2, 2);
    } else if (o.size() == 5 && o[2] == ':') {
      oh = detail::parse_digits(o.data(), 2);
      om = detail::parse_digits(o.data() + 3, 2);
    }
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return std::nullopt;
    off = sign * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  return Timestamp{std::int64_t{date->days} * 86400 + sod - off};
}

std::optional<Money> try_parse_money(std::string_view s, int minor_digits) {
  if (minor_digits < 0 || minor_digits > 18) return std::nullopt;
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  std::uint64_t v = 0;  // magnitude in minor units
  int digits = 0;
  while (i < s.size() && is_digit(s[i])) {
    if (!push_digit(v, static_cast<unsigned>(s[i++] - '0'))) return std::nullopt;
    ++digits;
  }
  int frac = 0;         // fraction digits kept (<= minor_digits)
  int round_digit = 0;  // first dropped fraction digit
  if (i < s.size() && s[i] == '.') {
    ++i;
    bool dropped = false;
    while (i < s.size() && is_digit(s[i])) {
      const unsigned d = static_cast<unsigned>(s[i++] - '0');
      ++digits;
      if (frac < minor_digits) {
        if (!push_digit(v, d)) return std::nullopt;
        ++frac;
      } else if (!dropped) {
        round_digit = static_cast<int>(d);
        dropped = true;
      }
    }
  }
  if (i != s.size() || digits == 0) return std::nullopt;
  for (; frac < minor_digits; ++frac) {
    if (!push_digit(v, 0)) return std::nullopt;
  }
  if (round_digit >= 5 && __builtin_add_overflow(v, 1u, &v)) return std::nullopt;  // half away from zero
  constexpr std::uint64_t kMaxPos = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (v > kMaxPos + (negative ? 1 : 0)) return std::nullopt;
  return Money{negative ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v)};
}

std::optional<bool> try_parse_bool(std::string_view s) {
  if (s.size() > 5) return std::nullopt;
  if (iequal(s, "true") || iequal(s, "1") || iequal(s, "yes")) return true;
  if (iequal(s, "false") || iequal(s, "0") || iequal(s, "no")) return false;
  return std::nullopt;
}

}  // namespace v1
}  // namespace dealstat
