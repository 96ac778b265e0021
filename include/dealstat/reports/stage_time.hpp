// Time in stage (SPEC section 4): from every selected deal's path, each visit
// to a stage lasts from its entry to the next entry; the current visit of an
// active deal is censored at the as-of time. Won and lost end a path: time
// after closing is not stage time, and a reopened deal's time spent in won
// or lost before the reopening is reported apart, as time closed. Revisits
// are separate visits. Per stage: visits, total time (completed plus the
// censored part), share of all stage time, mean and median of completed
// visits, and the censored current visits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dealstat/core/export.hpp"
#include "dealstat/core/table.hpp"
#include "dealstat/data/dataset.hpp"
#include "dealstat/reports/filter.hpp"

namespace dealstat {
inline namespace v1 {

//! Options of the time-in-stage report.
struct StageTimeOptions {
  DealFilter filter;               //!< common filter; with a pipeline, only its stages are rows
  std::optional<Timestamp> as_of;  //!< censoring time; default: the dataset's latest instant
  unsigned threads = 0;            //!< 0 = all cores
};

//! One stage's time figures.
struct StageTimeRow {
  std::uint32_t stage = 0;              //!< StageIndex value
  std::int64_t stage_id = 0;            //!< CRM status id
  std::string pipeline;                 //!< pipeline name
  std::string name;                     //!< stage name
  std::int64_t visits = 0;              //!< all visits (completed + censored)
  std::int64_t completed_visits = 0;    //!< visits that ended by as-of
  std::int64_t censored_visits = 0;     //!< current visits of active deals, cut at as-of
  std::int64_t total_time_s = 0;        //!< time of all visits up to as-of, seconds
  double share_pct = 0;                 //!< total_time_s / all stages' total time, %
  double mean_completed_s = 0;          //!< mean of completed visits, seconds (NaN if none)
  double median_completed_s = 0;        //!< median of completed visits, seconds (NaN if none)
};

//! The time-in-stage report.
struct StageTimeResult {
  std::int64_t as_of_s = 0;             //!< censoring instant used
  std::int64_t deals = 0;               //!< deals selected
  std::vector<StageTimeRow> stages;     //!< unsorted and open stages, pipeline by pipeline, in funnel order
  std::int64_t total_time_s = 0;        //!< all stage time (denominator of share_pct)
  std::int64_t time_closed_s = 0;       //!< time reopened deals spent in won/lost before reopening
  //! The rows and the summary as tables ("stage_time", "stage_time_summary").
  std::vector<ResultTable> to_tables() const;
};

//! Computes time in stage; throws Error(invalid_option) naming a bad option.
DEALSTAT_API StageTimeResult stage_time(const Dataset& dataset, const StageTimeOptions& options = {});

}  // namespace v1
}  // namespace dealstat
