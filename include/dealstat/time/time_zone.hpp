// The account's time zone: maps absolute instants (Timestamp) to local civil
// time and back. Three spellings are accepted, as CRMs report them:
//   - an IANA name ("Europe/Moscow", "America/New_York"), read from the
//     system's zoneinfo files (TZif, /usr/share/zoneinfo or $TZDIR);
//   - a POSIX TZ string ("MSK-3", "EST5EDT,M3.2.0,M11.1.0", "<+03>-3"),
//     evaluated by dealstat itself (docs/time.md says why not Boost's);
//   - a fixed offset ("UTC", "+03:00", "-0530", "UTC+3"; east positive, so
//     "UTC+3" is Moscow, unlike POSIX where "UTC+3" would be three hours west).
// Every zone is a table of transitions precomputed for 1970..2100, so an
// offset lookup is one binary search and never parses a rule.
// Conversions are pure functions of the rules, safe to call from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "dealstat/core/export.hpp"
#include "dealstat/core/types.hpp"

namespace dealstat {
inline namespace v1 {

//! A time zone: offset rules from UTC to local time.
class DEALSTAT_API TimeZone {
 public:
  //! UTC.
  TimeZone();
  //! Parses an IANA name, POSIX TZ string or fixed offset; throws Error(invalid_option) naming the spec.
  static TimeZone parse(std::string_view spec);
  //! A zone with a constant offset from UTC, in seconds east of Greenwich.
  static TimeZone fixed(std::int32_t offset_seconds);

  //! The spelling this zone was made from ("UTC" for the default).
  const std::string& name() const;
  //! Offset of local time from UTC at the instant t, in seconds (east positive). t must be a real
  //! instant (not kNoTime).
  std::int32_t offset_at(Timestamp t) const;
  //! Local civil day that contains the instant t.
  LocalDate local_date(Timestamp t) const;
  //! Seconds since local midnight of the instant t (0..86399, 86400+ never).
  std::int32_t local_seconds_of_day(Timestamp t) const;
  //! The first instant of local day d (local midnight, or the first valid instant after a gap).
  Timestamp start_of_day(LocalDate d) const;
  //! The instant of local civil time d + seconds_of_day. A time that occurs twice (fall back) gives the
  //! earlier instant; a time skipped by a gap is moved forward by the gap's length (02:30 in a
  //! 02:00->03:00 gap gives 03:30 of the new offset).
  Timestamp from_local(LocalDate d, std::int32_t seconds_of_day) const;

  ~TimeZone();
  TimeZone(const TimeZone&);
  TimeZone& operator=(const TimeZone&);
  TimeZone(TimeZone&&) noexcept;
  TimeZone& operator=(TimeZone&&) noexcept;

  struct Rules;  //!< implementation detail (transition table)

 private:
  explicit TimeZone(std::shared_ptr<const Rules> rules);
  std::shared_ptr<const Rules> rules_;
};

}  // namespace v1
}  // namespace dealstat
