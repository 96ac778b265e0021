// The sales funnel (Воронка продаж, SPEC section 3): for one pipeline, per
// stage in funnel order, how many deals reached it under a skip policy, the
// conversion from the first stage and from the stage before (95% Wilson
// intervals), budgets, the drop-off ("lost here"), and time to close: mean
// and median for won and for lost deals, and the Kaplan-Meier median in
// which active deals are censored at the as-of time.
//
// Rules chosen where SPEC is silent (docs/reports.md, "Sales funnel"):
//   - rows: every stage of the pipeline but lost, in funnel order;
//   - the unsorted stage counts the deals that entered it, under every
//     policy; the funnel's first stage (100%) is the first open stage;
//   - a deal's past won/lost entries that were reopened do not count
//     (SPEC section 1): only a deal whose current stage is won reached won;
//   - strict: the open stages count while the path holds them in order
//     (the first entry of each after the one counted before it);
//   - a deal with no recorded unsorted/open stage in the pipeline (only its
//     final stage is known) counts as having entered the first open stage;
//   - path entries in other pipelines are ignored;
//   - without a pipeline in the filter the first pipeline is used.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dealstat/core/export.hpp"
#include "dealstat/core/table.hpp"
#include "dealstat/data/dataset.hpp"
#include "dealstat/reports/filter.hpp"

namespace dealstat {
inline namespace v1 {

//! What "reached a stage" means (SPEC section 3).
enum class SkipPolicy : std::uint8_t {
  implied = 0,   //!< reaching a later stage counts as passing every earlier open stage (default)
  observed = 1,  //!< only stages actually entered
  strict = 2,    //!< only if every earlier open stage was entered, in order
};
//! Whether conversions compare deal counts or budgets.
enum class ValueMode : std::uint8_t { count = 0, budget = 1 };

//! Parses "implied|observed|strict"; throws Error(invalid_option) naming "skip".
DEALSTAT_API SkipPolicy parse_skip_policy(std::string_view s);
//! Parses "count|budget"; throws Error(invalid_option) naming "value".
DEALSTAT_API ValueMode parse_value_mode(std::string_view s);

//! Options of the funnel report.
struct FunnelOptions {
  DealFilter filter;                 //!< common filter (SPEC section 2)
  std::optional<Timestamp> as_of;    //!< censoring time; default: the dataset's latest instant
  SkipPolicy skip = SkipPolicy::implied;  //!< meaning of "reached"
  ValueMode value = ValueMode::count;     //!< conversions by count or by budget
  double confidence = 0.95;          //!< level of the Wilson and Kaplan-Meier intervals
  unsigned threads = 0;              //!< 0 = all cores
};

//! One stage row of the funnel.
struct FunnelStage {
  std::uint32_t stage = 0;                //!< StageIndex value
  std::int64_t stage_id = 0;              //!< CRM status id
  std::string name;                       //!< stage name
  StageKind kind = StageKind::open;       //!< unsorted / open / won
  std::int64_t reached = 0;               //!< distinct deals that reached the stage
  std::int64_t budget_minor = 0;          //!< sum of their budgets
  double conversion_from_first_pct = 0;   //!< reached / reached at the first stage, % (NaN for unsorted)
  double conversion_from_first_lower_pct = 0;  //!< Wilson lower bound, % (NaN in budget mode)
  double conversion_from_first_upper_pct = 0;  //!< Wilson upper bound, %
  double step_conversion_pct = 0;         //!< reached / reached at the stage before, % (NaN for the first)
  double step_conversion_lower_pct = 0;   //!< Wilson lower bound, %
  double step_conversion_upper_pct = 0;   //!< Wilson upper bound, %
  std::int64_t lost_here = 0;             //!< lost deals whose furthest stage is this one
  std::int64_t lost_here_budget_minor = 0;  //!< their budgets
};

//! Mean and median of a set of durations.
struct DurationSummary {
  std::int64_t deals = 0;   //!< how many durations
  double mean_s = 0;        //!< mean, seconds (NaN when none)
  double median_s = 0;      //!< median, seconds (NaN when none)
};

//! The funnel report.
struct FunnelResult {
  std::uint32_t pipeline = 0;          //!< PipelineIndex value
  std::string pipeline_name;           //!< its name
  std::int64_t as_of_s = 0;            //!< censoring instant used
  std::int64_t deals = 0;              //!< deals the filter selected (the population)
  std::int64_t won = 0;                //!< of them, won
  std::int64_t lost = 0;               //!< of them, lost
  std::int64_t active = 0;             //!< of them, active
  std::vector<FunnelStage> stages;     //!< in funnel order
  DurationSummary won_time_to_close;   //!< closed_at - created_at of won deals
  DurationSummary lost_time_to_close;  //!< closed_at - created_at of lost deals
  double km_median_time_to_close_s = 0;  //!< Kaplan-Meier median time to close (NaN if S never drops to 0.5)
  double km_median_lower_s = 0;          //!< its confidence interval, lower (NaN if undefined)
  double km_median_upper_s = 0;          //!< its confidence interval, upper (NaN if undefined)
  std::int64_t km_closed = 0;            //!< deals closed by as-of (events)
  std::int64_t km_censored = 0;          //!< deals still active at as-of (censored)

  //! The stage rows and the summary as tables ("funnel", "funnel_summary").
  std::vector<ResultTable> to_tables() const;
};

//! Computes the funnel; throws Error(invalid_option) naming a bad option.
DEALSTAT_API FunnelResult funnel(const Dataset& dataset, const FunnelOptions& options = {});

}  // namespace v1
}  // namespace dealstat
