// Private: POSIX TZ strings ("EST5EDT,M3.2.0,M11.1.0", "<+03>-3") as used
// both for TimeZone::parse and for the footer of TZif v2+ files, with the
// RFC 8536 extension (rule times from -167h to +167h). Offsets here are
// seconds EAST of Greenwich, i.e. the negation of what the string spells.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace dealstat {
inline namespace v1 {
namespace detail {

//! From `at` (Unix seconds) on, local time is UTC + `offset` seconds.
struct Transition {
  std::int64_t at;      //!< first instant of the new offset
  std::int32_t offset;  //!< seconds east of UTC
};

//! The day a DST change happens, in one of the three POSIX forms.
struct PosixDate {
  enum class Kind : std::uint8_t { julian1, julian0, month_week_day };
  Kind kind = Kind::month_week_day;  //!< Jn (1..365, no Feb 29), n (0..365), or Mm.w.d
  std::int32_t n = 0;                //!< day number for julian1/julian0
  std::int32_t month = 0;            //!< 1..12 for Mm.w.d
  std::int32_t week = 0;             //!< 1..5 (5 = last) for Mm.w.d
  std::int32_t wday = 0;             //!< 0 = Sunday .. 6 for Mm.w.d
  std::int32_t time = 7200;          //!< local seconds after midnight (default 02:00; may be <0 or >24h)
};

//! A parsed POSIX TZ string.
struct PosixTz {
  std::int32_t std_offset = 0;  //!< standard time, seconds east of UTC
  bool has_dst = false;         //!< whether a DST rule follows
  std::int32_t dst_offset = 0;  //!< DST, seconds east of UTC
  PosixDate start;              //!< DST starts (given in local standard time)
  PosixDate end;                //!< DST ends (given in local daylight time)
};

//! Parses a POSIX TZ string; nullopt if it is not one. A DST name without rules gets the US
//! rules "M3.2.0,M11.1.0" (what glibc does).
std::optional<PosixTz> parse_posix_tz(std::string_view s);

//! Appends the DST changes of years [first_year, last_year] to out, sorted by time.
void append_posix_transitions(const PosixTz& tz, std::int32_t first_year, std::int32_t last_year,
                              std::vector<Transition>& out);

}  // namespace detail
}  // namespace v1
}  // namespace dealstat
