// Report periods: validating [from, to) in local dates, resolving them to
// instants in the account's zone, and cutting them into date buckets.
#include "dealstat/time/period.hpp"

#include "dealstat/core/error.hpp"

namespace dealstat {
inline namespace v1 {

void Period::validate() const {
  if (from && to && *to <= *from) {
    throw Error::bad_option("to", format_date(*to), "period ends before it starts (from " + format_date(*from) + ")");
  }
}

InstantRange resolve(const Period& p, const TimeZone& tz) {
  InstantRange r;
  if (p.from) r.start_s = tz.start_of_day(*p.from).seconds;
  if (p.to) r.end_s = tz.start_of_day(*p.to).seconds;
  return r;
}

std::vector<LocalDate> bucket_edges(LocalDate from, LocalDate to, Bucket b, Weekday first_day_of_week) {
  Period{from, to}.validate();
  std::vector<LocalDate> edges;
  LocalDate e = bucket_start(from, b, first_day_of_week);
  edges.push_back(e);
  while (e < to) {
    e = bucket_next(e, b, first_day_of_week);
    edges.push_back(e);
  }
  return edges;
}

}  // namespace v1
}  // namespace dealstat
