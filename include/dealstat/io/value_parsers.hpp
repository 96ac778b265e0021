// Parsers for the values found in CSV cells and mapping files: integers,
// timestamps (Unix seconds or ISO 8601), local dates, money as exact decimal
// strings. Each comes in a throwing form and a Try form that returns
// std::nullopt instead of throwing, so loaders can report a Problem.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "dealstat/core/export.hpp"
#include "dealstat/core/types.hpp"
#include "dealstat/time/time_zone.hpp"

namespace dealstat {
inline namespace v1 {

//! Parses a decimal integer (optional sign, no spaces); nullopt if malformed or out of range.
DEALSTAT_API std::optional<std::int64_t> try_parse_int(std::string_view s);

//! Parses a timestamp: Unix seconds ("1700000000"), or ISO 8601 "YYYY-MM-DD[ T]HH:MM[:SS[.fff]][Z|+hh:mm]"
//! or a bare "YYYY-MM-DD". Text without an offset is local time in `tz` (TimeZone::from_local: a
//! repeated time gives the earlier instant, a skipped one moves forward by the gap; a bare date is
//! tz.start_of_day). Fractions of a second are dropped. nullopt if malformed.
DEALSTAT_API std::optional<Timestamp> try_parse_timestamp(std::string_view s, const TimeZone& tz);

//! Parses a local date "YYYY-MM-DD" (years 1..9999); nullopt if malformed or not a real date.
DEALSTAT_API std::optional<LocalDate> try_parse_date(std::string_view s);

//! Parses money given as a decimal string ("1234.5", "-0.07", "1 234,50" not accepted) exactly into
//! minor units with `minor_digits` decimals (2 for cents); more decimals than that are rounded half
//! away from zero. nullopt if malformed or out of range.
DEALSTAT_API std::optional<Money> try_parse_money(std::string_view s, int minor_digits = 2);

//! Parses "true/false/1/0/yes/no" (case-insensitive); nullopt otherwise.
DEALSTAT_API std::optional<bool> try_parse_bool(std::string_view s);

}  // namespace v1
}  // namespace dealstat
