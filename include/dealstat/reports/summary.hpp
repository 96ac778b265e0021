// Summary (Сводный отчет, SPEC section 6): what happened in the account per
// bucket, and where things stand at the end of the period.
//   - per bucket (day, week, month, quarter, year in the account's time
//     zone): entities created (deals, contacts, companies, customers, tasks,
//     invoices) and purchases (count, amount): line-chart series;
//   - at the end of the period: deals at each stage (count, budget, shares);
//     time-in-stage shares (the stage_time report, SPEC section 4); tasks per
//     user with each user's share: pie-chart shares that sum to 100%.
//
// Rules chosen where SPEC is silent (docs/reports-summary-events.md, "Summary"):
//   - created series: deals by created_at and the filter's pipeline (current
//     pipeline), users/groups, tags and channels; the status and date basis do
//     not apply (each deal is placed by its creation date, as in movement).
//     Contacts, companies, customers, tasks and invoices by created_at and
//     the filter's users/groups (their responsible user); purchases by `at`,
//     under the users/groups filter through their customer's responsible user;
//   - open period ends: from the earliest created instant of any series, to
//     the as-of day; default as-of: the latest instant of deals, paths and
//     every created/purchase date;
//   - the snapshot instant is min(as_of, end of period - 1 s): a deal's stage
//     is its last path entry at or before it. Rows: every stage of the
//     filter's pipeline (or of every pipeline) in funnel order, won and lost
//     included. Unsorted/open stages hold the deals sitting there; won/lost
//     hold the deals that entered that final stage within the period. The
//     pipeline is that of the stage at the snapshot; the status filter
//     applies to the state at the snapshot; budget is the current budget;
//   - time in stage: stage_time() with the same filter and the snapshot as
//     its as-of;
//   - tasks per user: tasks created in the period, per responsible user;
//     every user the filter allows is a row (zero included), plus "(nobody)"
//     when some task has no responsible user; sorted by tasks descending,
//     then user row.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dealstat/core/export.hpp"
#include "dealstat/core/table.hpp"
#include "dealstat/data/dataset.hpp"
#include "dealstat/reports/filter.hpp"
#include "dealstat/reports/stage_time.hpp"
#include "dealstat/time/calendar.hpp"

namespace dealstat {
inline namespace v1 {

//! Options of the summary report.
struct SummaryOptions {
  DealFilter filter;                //!< common filter; its period bounds the series and sets the snapshot
  Bucket bucket = Bucket::month;    //!< bucket size of the series
  std::optional<Timestamp> as_of;   //!< end of an open period; default: the dataset's latest instant
  unsigned threads = 0;             //!< 0 = all cores
};

//! Entities created and purchases in one bucket.
struct SummaryBucket {
  LocalDate start;                     //!< first local day of the bucket (clipped to the period)
  std::int64_t deals = 0;              //!< deals created
  std::int64_t contacts = 0;           //!< contacts created
  std::int64_t companies = 0;          //!< companies created
  std::int64_t customers = 0;          //!< customers created
  std::int64_t tasks = 0;              //!< tasks created
  std::int64_t invoices = 0;           //!< invoices created
  std::int64_t purchases = 0;          //!< purchases made
  std::int64_t purchase_amount_minor = 0;  //!< their amount
};

//! Deals at one stage at the snapshot.
struct SummaryStage {
  std::uint32_t stage = 0;          //!< StageIndex value
  std::int64_t stage_id = 0;        //!< CRM status id
  std::string pipeline;             //!< pipeline name
  std::string name;                 //!< stage name
  StageKind kind = StageKind::open; //!< unsorted / open / won / lost
  std::int64_t deals = 0;           //!< deals at this stage
  std::int64_t budget_minor = 0;    //!< their budgets
  double share_pct = 0;             //!< deals / all deals of the rows, % (NaN when there are none)
  double budget_share_pct = 0;      //!< budget / all budgets of the rows, % (NaN when zero)
};

//! One user's tasks.
struct SummaryUserTasks {
  std::int64_t user_id = kNoId;     //!< CRM user id (kNoId = "(nobody)")
  std::string name;                 //!< user name, or "(nobody)"
  std::int64_t tasks = 0;           //!< tasks created in the period
  double share_pct = 0;             //!< tasks / all tasks, % (NaN when there are none)
};

//! The summary report.
struct SummaryResult {
  Bucket bucket = Bucket::month;             //!< bucket size used
  std::int64_t as_of_s = 0;                  //!< as-of used
  std::int64_t snapshot_s = 0;               //!< instant of the stage snapshot (and stage_time's as-of)
  std::vector<SummaryBucket> buckets;        //!< the series, in time order
  std::vector<SummaryStage> stages;          //!< deals per stage at the snapshot, in funnel order
  std::int64_t stage_deals = 0;              //!< sum of stages[].deals
  StageTimeResult stage_time;                //!< time-in-stage report (its share_pct is the pie)
  std::vector<SummaryUserTasks> tasks_by_user;  //!< tasks per user, most first
  std::int64_t tasks = 0;                    //!< sum of tasks_by_user[].tasks
  //! Tables "summary_created" and "summary_purchases" (line charts: bucket_start + series),
  //! "summary_stages", "summary_stage_time" and "summary_tasks_by_user" (pies: label, value, share_pct),
  //! and "summary_info".
  std::vector<ResultTable> to_tables() const;
};

//! Computes the summary; throws Error(invalid_option) naming a bad option.
DEALSTAT_API SummaryResult summary(const Dataset& dataset, const SummaryOptions& options = {});

}  // namespace v1
}  // namespace dealstat
