// Private: parsing and evaluating POSIX TZ rule strings (see posix_tz.hpp).
// Boost.Date_Time's posix_time_zone is not used: it reads the offset with
// the opposite sign ("MSK-3" comes out as UTC-3), rejects quoted names
// ("<+03>-3") and rule times beyond 0..24h ("M3.4.4/26"), all of which appear
// in the footers of the system's TZif files. See docs/time.md.
#include "posix_tz.hpp"

#include <algorithm>

#include "civil.hpp"

namespace dealstat {
inline namespace v1 {
namespace detail {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

//! A cursor over the string being parsed.
struct Cursor {
  std::string_view s;
  std::size_t i = 0;
  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
  //! Reads 1..max_digits digits; -1 if none.
  std::int32_t number(int max_digits) {
    if (!is_digit(peek())) return -1;
    std::int32_t v = 0;
    for (int k = 0; k < max_digits && is_digit(peek()); ++k) v = v * 10 + (s[i++] - '0');
    return is_digit(peek()) ? -1 : v;  // too many digits
  }
};

//! Zone abbreviation: 3+ letters, or <...> of letters, digits, '+' and '-'.
bool name(Cursor& c) {
  if (c.eat('<')) {
    const std::size_t from = c.i;
    while (!c.done() && c.peek() != '>') {
      const char ch = c.peek();
      if (!is_alpha(ch) && !is_digit(ch) && ch != '+' && ch != '-') return false;
      ++c.i;
    }
    if (c.i - from < 1 || !c.eat('>')) return false;
    return true;
  }
  const std::size_t from = c.i;
  while (is_alpha(c.peek())) ++c.i;
  return c.i - from >= 3;
}

//! [+-]hh[:mm[:ss]] with hh <= max_hours; seconds, signed as written. nullopt if malformed.
std::optional<std::int32_t> hms(Cursor& c, std::int32_t max_hours) {
  std::int32_t sign = 1;
  if (c.eat('-')) {
    sign = -1;
  } else {
    c.eat('+');
  }
  const std::int32_t h = c.number(3);
  if (h < 0 || h > max_hours) return std::nullopt;
  std::int32_t total = h * 3600;
  if (c.eat(':')) {
    const std::int32_t m = c.number(2);
    if (m < 0 || m > 59) return std::nullopt;
    total += m * 60;
    if (c.eat(':')) {
      const std::int32_t sec = c.number(2);
      if (sec < 0 || sec > 59) return std::nullopt;
      total += sec;
    }
  }
  return sign * total;
}

std::optional<PosixDate> date_rule(Cursor& c) {
  PosixDate d;
  if (c.eat('J')) {
    d.kind = PosixDate::Kind::julian1;
    d.n = c.number(3);
    if (d.n < 1 || d.n > 365) return std::nullopt;
  } else if (c.eat('M')) {
    d.kind = PosixDate::Kind::month_week_day;
    d.month = c.number(2);
    if (d.month < 1 || d.month > 12 || !c.eat('.')) return std::nullopt;
    d.week = c.number(1);
    if (d.week < 1 || d.week > 5 || !c.eat('.')) return std::nullopt;
    d.wday = c.number(1);
    if (d.wday < 0 || d.wday > 6) return std::nullopt;
  } else {
    d.kind = PosixDate::Kind::julian0;
    d.n = c.number(3);
    if (d.n < 0 || d.n > 365) return std::nullopt;
  }
  if (c.eat('/')) {
    const auto t = hms(c, 167);  // RFC 8536 section 3.3.1
    if (!t) return std::nullopt;
    d.time = *t;
  }
  return d;
}

//! Day (since 1970-01-01) on which rule d falls in year y.
std::int32_t rule_day(const PosixDate& d, std::int32_t y) {
  const std::int32_t jan1 = days_from_civil(y, 1, 1);
  switch (d.kind) {
    case PosixDate::Kind::julian1:
      return jan1 + d.n - 1 + (is_leap(y) && d.n >= 60 ? 1 : 0);
    case PosixDate::Kind::julian0:
      return jan1 + d.n;
    case PosixDate::Kind::month_week_day:
      break;
  }
  const std::int32_t first = days_from_civil(y, d.month, 1);
  const std::int32_t first_wday = iso_weekday(first) % 7;  // 0 = Sunday
  std::int32_t day = first + (d.wday - first_wday + 7) % 7 + (d.week - 1) * 7;
  const std::int32_t month_end = first + days_in_month(y, d.month);
  while (day >= month_end) day -= 7;  // week 5 = the last such weekday
  return day;
}

}  // namespace

std::optional<PosixTz> parse_posix_tz(std::string_view s) {
  Cursor c{s};
  PosixTz tz;
  if (!name(c)) return std::nullopt;
  const auto std_off = hms(c, 24);
  if (!std_off) return std::nullopt;
  tz.std_offset = -*std_off;
  if (c.done()) return tz;
  if (!name(c)) return std::nullopt;
  tz.has_dst = true;
  tz.dst_offset = tz.std_offset + 3600;
  if (is_digit(c.peek()) || c.peek() == '+' || c.peek() == '-') {
    const auto dst_off = hms(c, 24);
    if (!dst_off) return std::nullopt;
    tz.dst_offset = -*dst_off;
  }
  if (c.done()) {  // no rules: the US rules, as glibc assumes
    tz.start = PosixDate{PosixDate::Kind::month_week_day, 0, 3, 2, 0, 7200};
    tz.end = PosixDate{PosixDate::Kind::month_week_day, 0, 11, 1, 0, 7200};
    return tz;
  }
  if (!c.eat(',')) return std::nullopt;
  const auto start = date_rule(c);
  if (!start || !c.eat(',')) return std::nullopt;
  const auto end = date_rule(c);
  if (!end || !c.done()) return std::nullopt;
  tz.start = *start;
  tz.end = *end;
  return tz;
}

void append_posix_transitions(const PosixTz& tz, std::int32_t first_year, std::int32_t last_year,
                              std::vector<Transition>& out) {
  if (!tz.has_dst) return;
  const std::size_t from = out.size();
  for (std::int32_t y = first_year; y <= last_year; ++y) {
    const std::int64_t start = std::int64_t{rule_day(tz.start, y)} * 86400 + tz.start.time - tz.std_offset;
    const std::int64_t end = std::int64_t{rule_day(tz.end, y)} * 86400 + tz.end.time - tz.dst_offset;
    out.push_back(Transition{start, tz.dst_offset});
    out.push_back(Transition{end, tz.std_offset});
  }
  // Southern-hemisphere rules end DST before they start it; equal times keep generation order so
  // an all-year DST rule ("0/0,J365/25") ends one year and restarts the next in that order.
  std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(from), out.end(),
                   [](const Transition& a, const Transition& b) { return a.at < b.at; });
}

}  // namespace detail
}  // namespace v1
}  // namespace dealstat
