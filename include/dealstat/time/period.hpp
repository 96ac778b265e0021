// A report period: [from, to) in local dates of the account's time zone, and
// the same period resolved to instants ([start, end) in Unix seconds).
#pragma once

#include <optional>
#include <vector>

#include "dealstat/core/export.hpp"
#include "dealstat/core/types.hpp"
#include "dealstat/time/calendar.hpp"
#include "dealstat/time/time_zone.hpp"

namespace dealstat {
inline namespace v1 {

//! A half-open range of local days [from, to); either end may be open.
struct Period {
  std::optional<LocalDate> from;  //!< first day included; none = since the beginning
  std::optional<LocalDate> to;    //!< first day excluded; none = until the end
  //! Throws Error(invalid_option) naming "to" when to <= from.
  void validate() const;
};

//! A period resolved to instants in one time zone: [start_s, end_s).
struct InstantRange {
  std::int64_t start_s = kNoTime;  //!< first instant included (kNoTime = unbounded)
  std::int64_t end_s = kNoTime;    //!< first instant excluded (kNoTime = unbounded)
  //! True when t falls in [start_s, end_s).
  bool contains(std::int64_t t) const {
    return (start_s == kNoTime || t >= start_s) && (end_s == kNoTime || t < end_s);
  }
};

//! Resolves a local-date period to instants in the zone: each end is tz.start_of_day() of its day.
//! Does not validate: an inverted period gives a range that contains nothing.
DEALSTAT_API InstantRange resolve(const Period& p, const TimeZone& tz);

//! The buckets that cover [from, to): each bucket's first day, plus `to` rounded up at the end.
//! Example: 2024-01-15..2024-03-01 by month gives 2024-01-01, 02-01, 03-01. Throws Error(invalid_option)
//! naming "to" when to <= from.
DEALSTAT_API std::vector<LocalDate> bucket_edges(LocalDate from, LocalDate to, Bucket b,
                                                 Weekday first_day_of_week = Weekday::monday);

}  // namespace v1
}  // namespace dealstat
