// Internal: the switch the tests use to compare the reports with the day
// index (DealSelector::candidates) against the plain scan of every row, as
// they ran before the index. On by default; not installed.
#pragma once

#include "dealstat/core/export.hpp"

namespace dealstat::inline v1::detail {

//! Turns the day index on (the default) or off: off, DealSelector::candidates() gives every row.
//! Process-wide; for tests (set it while no report runs).
DEALSTAT_API void set_day_index_enabled(bool on);
//! True unless set_day_index_enabled(false) is in force.
DEALSTAT_API bool day_index_enabled();

}  // namespace dealstat::inline v1::detail
