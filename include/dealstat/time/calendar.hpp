// Civil calendar arithmetic on LocalDate (Howard Hinnant's days_from_civil
// algorithms inside, proleptic Gregorian): year/month/day, day of week, and
// date buckets.
//
// A bucket is a run of local days: a day; a week starting on the account's
// first day of week; a calendar month, quarter or year. bucket_start() maps a
// day to the first day of its bucket, bucket_next() to the first day of the
// following one, so [bucket_start(d), bucket_next(d)) contains d.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dealstat/core/export.hpp"
#include "dealstat/core/types.hpp"

namespace dealstat {
inline namespace v1 {

//! Size of a date bucket.
enum class Bucket : std::uint8_t { day = 0, week = 1, month = 2, quarter = 3, year = 4 };

//! Day of week, ISO numbering (Monday = 1 ... Sunday = 7).
enum class Weekday : std::uint8_t { monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday };

//! A broken-down civil date.
struct CivilDay {
  std::int32_t year = 1970;  //!< e.g. 2024
  std::int32_t month = 1;    //!< 1..12
  std::int32_t day = 1;      //!< 1..31
};

//! The LocalDate of a year/month/day; throws Error(invalid_option) if the date does not exist.
DEALSTAT_API LocalDate make_date(std::int32_t year, std::int32_t month, std::int32_t day);
//! Breaks a LocalDate into year, month and day.
DEALSTAT_API CivilDay civil(LocalDate d);
//! Day of week of a date.
DEALSTAT_API Weekday weekday(LocalDate d);
//! Parses "YYYY-MM-DD"; throws Error(invalid_option) naming `option` when it is not a valid date.
DEALSTAT_API LocalDate parse_date(std::string_view text, std::string_view option = "date");
//! Formats as "YYYY-MM-DD".
DEALSTAT_API std::string format_date(LocalDate d);

//! First day of the bucket that contains d.
DEALSTAT_API LocalDate bucket_start(LocalDate d, Bucket b, Weekday first_day_of_week = Weekday::monday);
//! First day of the bucket after the one that contains d.
DEALSTAT_API LocalDate bucket_next(LocalDate d, Bucket b, Weekday first_day_of_week = Weekday::monday);
//! Parses "day" | "week" | "month" | "quarter" | "year"; throws Error(invalid_option) naming `option`.
DEALSTAT_API Bucket parse_bucket(std::string_view text, std::string_view option = "bucket");
//! The bucket's name ("week").
DEALSTAT_API const char* bucket_name(Bucket b);
//! Parses "monday".."sunday" (or "mon".."sun", case-insensitive); throws Error(invalid_option).
DEALSTAT_API Weekday parse_weekday(std::string_view text, std::string_view option = "first_day_of_week");

}  // namespace v1
}  // namespace dealstat
