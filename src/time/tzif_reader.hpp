// Private: reader for TZif files (RFC 8536, versions 1 to 4), the compiled
// IANA tz database in /usr/share/zoneinfo. Keeps what offset lookups need:
// the transition instants, the UTC offset after each, the offset before the
// first, and the footer TZ string that extends the rules past the last one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "posix_tz.hpp"

namespace dealstat {
inline namespace v1 {
namespace detail {

//! The contents of one TZif file that matter for offsets.
struct TzifData {
  std::int32_t initial_offset = 0;      //!< offset before the first transition (local time type 0)
  std::vector<Transition> transitions;  //!< in time order
  std::string footer;                   //!< POSIX TZ string for later instants ("" = none)
};

//! Parses TZif bytes. Returns false with `why` set if the data is not a usable TZif file
//! (truncated, inconsistent, or with leap seconds, which Unix timestamps do not count).
bool parse_tzif(std::string_view bytes, TzifData& out, std::string& why);

}  // namespace detail
}  // namespace v1
}  // namespace dealstat
