// Civil calendar arithmetic on LocalDate: Howard Hinnant's days_from_civil /
// civil_from_days (proleptic Gregorian, branch-light integer math), ISO
// weekdays, and the day/week/month/quarter/year buckets.
#include "dealstat/time/calendar.hpp"

#include <array>
#include <cstdio>

#include "dealstat/core/error.hpp"
#include "civil.hpp"

namespace dealstat {
inline namespace v1 {

namespace {

bool ascii_iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

}  // namespace

LocalDate make_date(std::int32_t year, std::int32_t month, std::int32_t day) {
  if (!detail::valid_civil(year, month, day)) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%d-%d-%d", year, month, day);
    throw Error::bad_option("date", buf, "no such calendar date (years 1..9999)");
  }
  return LocalDate{detail::days_from_civil(year, month, day)};
}

CivilDay civil(LocalDate d) {
  const detail::Ymd c = detail::civil_from_days(d.days);
  return CivilDay{c.y, c.m, c.d};
}

Weekday weekday(LocalDate d) { return static_cast<Weekday>(detail::iso_weekday(d.days)); }

LocalDate parse_date(std::string_view text, std::string_view option) {
  if (auto d = detail::parse_ymd(text)) return *d;
  throw Error::bad_option(std::string(option), std::string(text), "expected a date YYYY-MM-DD");
}

std::string format_date(LocalDate d) {
  const detail::Ymd c = detail::civil_from_days(d.days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.y, c.m, c.d);
  return buf;
}

LocalDate bucket_start(LocalDate d, Bucket b, Weekday first_day_of_week) {
  switch (b) {
    case Bucket::day:
      return d;
    case Bucket::week: {
      const int wd = detail::iso_weekday(d.days);               // 1..7
      const int first = static_cast<int>(first_day_of_week);     // 1..7
      return LocalDate{d.days - (wd - first + 7) % 7};
    }
    case Bucket::month: {
      const detail::Ymd c = detail::civil_from_days(d.days);
      return LocalDate{d.days - (c.d - 1)};
    }
    case Bucket::quarter: {
      const detail::Ymd c = detail::civil_from_days(d.days);
      return LocalDate{detail::days_from_civil(c.y, (c.m - 1) / 3 * 3 + 1, 1)};
    }
    case Bucket::year: {
      const detail::Ymd c = detail::civil_from_days(d.days);
      return LocalDate{detail::days_from_civil(c.y, 1, 1)};
    }
  }
  throw Error::bad_option("bucket", std::to_string(static_cast<int>(b)), "unknown bucket");
}

LocalDate bucket_next(LocalDate d, Bucket b, Weekday first_day_of_week) {
  switch (b) {
    case Bucket::day:
      return LocalDate{d.days + 1};
    case Bucket::week:
      return LocalDate{bucket_start(d, b, first_day_of_week).days + 7};
    case Bucket::month: {
      const detail::Ymd c = detail::civil_from_days(d.days);
      return c.m == 12 ? LocalDate{detail::days_from_civil(c.y + 1, 1, 1)}
                       : LocalDate{detail::days_from_civil(c.y, c.m + 1, 1)};
    }
    case Bucket::quarter: {
      const detail::Ymd c = detail::civil_from_days(d.days);
      const int next_q_month = (c.m - 1) / 3 * 3 + 4;  // 4, 7, 10 or 13
      return next_q_month > 12 ? LocalDate{detail::days_from_civil(c.y + 1, 1, 1)}
                               : LocalDate{detail::days_from_civil(c.y, next_q_month, 1)};
    }
    case Bucket::year: {
      const detail::Ymd c = detail::civil_from_days(d.days);
      return LocalDate{detail::days_from_civil(c.y + 1, 1, 1)};
    }
  }
  throw Error::bad_option("bucket", std::to_string(static_cast<int>(b)), "unknown bucket");
}

Bucket parse_bucket(std::string_view text, std::string_view option) {
  static constexpr std::array<Bucket, 5> kAll{Bucket::day, Bucket::week, Bucket::month, Bucket::quarter,
                                              Bucket::year};
  for (Bucket b : kAll) {
    if (ascii_iequal(text, bucket_name(b))) return b;
  }
  throw Error::bad_option(std::string(option), std::string(text),
                          "expected one of day, week, month, quarter, year");
}

const char* bucket_name(Bucket b) {
  switch (b) {
    case Bucket::day:
      return "day";
    case Bucket::week:
      return "week";
    case Bucket::month:
      return "month";
    case Bucket::quarter:
      return "quarter";
    case Bucket::year:
      return "year";
  }
  return "unknown";
}

Weekday parse_weekday(std::string_view text, std::string_view option) {
  static constexpr std::array<std::string_view, 7> kNames{"monday", "tuesday",  "wednesday", "thursday",
                                                          "friday", "saturday", "sunday"};
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (ascii_iequal(text, kNames[i]) || ascii_iequal(text, kNames[i].substr(0, 3))) {
      return static_cast<Weekday>(i + 1);
    }
  }
  throw Error::bad_option(std::string(option), std::string(text), "expected a day of week, monday..sunday");
}

}  // namespace v1
}  // namespace dealstat
