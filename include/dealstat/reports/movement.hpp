// Sales analysis (Анализ продаж, SPEC section 5): how deals moved through
// the funnel over time. Per bucket (day, week, month, quarter, year, in the
// account's time zone) of the period: transitions from -> to with counts and
// budgets; per stage, the distinct deals that entered it (a deal's creation
// stage counts as entered at created_at); deals created, won and lost (by the
// final close: a close undone by a reopening does not count); won budget.
// The filter's users, groups, tags, channels and pipeline choose the deals;
// the period bounds the event dates (the status filter and date basis do not
// apply, since each event is placed by its own date).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dealstat/core/export.hpp"
#include "dealstat/core/table.hpp"
#include "dealstat/data/dataset.hpp"
#include "dealstat/reports/filter.hpp"
#include "dealstat/time/calendar.hpp"

namespace dealstat {
inline namespace v1 {

//! Options of the movement report.
struct MovementOptions {
  DealFilter filter;                //!< common filter; its period bounds the events
  Bucket bucket = Bucket::week;     //!< bucket size
  std::optional<Timestamp> as_of;   //!< end of an open period; default: the dataset's latest instant
  unsigned threads = 0;             //!< 0 = all cores
};

//! Transitions between two stages in one bucket.
struct MovementTransition {
  std::size_t bucket = 0;           //!< index into MovementResult::bucket_starts
  std::uint32_t from_stage = 0;     //!< StageIndex value
  std::uint32_t to_stage = 0;       //!< StageIndex value
  std::int64_t deals = 0;           //!< number of moves
  std::int64_t budget_minor = 0;    //!< sum of the moved deals' budgets
};

//! Entries into one stage in one bucket.
struct MovementEntry {
  std::size_t bucket = 0;           //!< index into MovementResult::bucket_starts
  std::uint32_t stage = 0;          //!< StageIndex value
  std::int64_t deals = 0;           //!< distinct deals that entered
  std::int64_t budget_minor = 0;    //!< their budgets
};

//! Per-bucket totals.
struct MovementTotals {
  std::int64_t created = 0;         //!< deals created
  std::int64_t won = 0;             //!< deals won (final close)
  std::int64_t lost = 0;            //!< deals lost (final close)
  std::int64_t won_budget_minor = 0;  //!< budget of the deals won
};

//! The movement report.
struct MovementResult {
  Bucket bucket = Bucket::week;               //!< bucket size used
  std::vector<LocalDate> bucket_starts;       //!< first local day of each bucket
  std::vector<MovementTransition> transitions;  //!< sorted by bucket, from, to
  std::vector<MovementEntry> entries;           //!< sorted by bucket, stage
  std::vector<MovementTotals> totals;           //!< one per bucket
  std::vector<std::string> stage_names;         //!< by StageIndex value, "Pipeline / Stage"
  //! Tables "movement_totals", "movement_transitions", "movement_entries".
  std::vector<ResultTable> to_tables() const;
};

//! Computes the movement report; throws Error(invalid_option) naming a bad option.
DEALSTAT_API MovementResult movement(const Dataset& dataset, const MovementOptions& options = {});

}  // namespace v1
}  // namespace dealstat
