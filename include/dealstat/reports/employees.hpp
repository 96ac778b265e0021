// Employees (Отчет по сотрудникам, SPEC section 7): per responsible user and
// per group, over the period: new deals, won (count, budget), lost, in work
// at the period's end, win rate won / (won + lost) with its Wilson interval,
// mean and median time to close of the won deals, and tasks created,
// completed and overdue at the period's end. Rows can be ranked by any
// column, and chosen users compared side by side with the team's median.
//
// Rules (docs/reports-employees-unsorted.md, "Employees"):
//   - each figure is placed by its own date, like the movement report: new
//     deals by created_at, won and lost by closed_at (final closes only: a
//     deal's current stage is won or lost), tasks created / completed by
//     their own instants. The filter's status and date basis do not apply;
//   - the end E of the period is min(period end, as-of + 1 s); "at the end"
//     means everything strictly before E: a deal is in work when it was
//     created before E and its path's last entry before E is not won/lost;
//     a task is overdue when it was created before E, its due_at is before E
//     and it was not completed before E (completed later still counts);
//   - attribution `current`: every deal figure goes to the deal's current
//     responsible user; `at_close`: to the user responsible at the instant
//     the figure refers to (won/lost and time to close at closed_at, new
//     deals at created_at, in work at E), from the owner history
//     (data/owner_history.hpp). Tasks always go to the task's responsible user;
//   - the filter's users / groups choose rows: a deal or task counts only when
//     it is attributed to a chosen user (unassigned work then drops out); its
//     pipeline, tags and channels choose deals (tasks are not filtered by them);
//   - every user of the dataset has a row (zeros when idle); work attributed
//     to nobody goes to an "unassigned" row; users + unassigned = team, and the
//     groups (users without a group and unassigned work in "(no group)") = team.
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

//! Who a deal's figures are credited to.
enum class Attribution : std::uint8_t {
  current = 0,   //!< the deal's current responsible user (default; amoCRM's rule)
  at_close = 1,  //!< the user responsible when it happened: won/lost at close, new at creation, in work at the end
};

//! Parses "current|at_close"; throws Error(invalid_option) naming "attribution".
DEALSTAT_API Attribution parse_attribution(std::string_view s);
//! Name of an attribution ("at_close").
DEALSTAT_API const char* attribution_name(Attribution a);

//! Options of the employees report.
struct EmployeesOptions {
  DealFilter filter;                        //!< period, pipeline, users/groups, tags, channels (status, date basis unused)
  std::optional<Timestamp> as_of;           //!< default: the latest instant of deals, paths and tasks
  Attribution attribution = Attribution::current;  //!< who gets the deal figures
  std::string rank_by = "won_budget_minor"; //!< column to rank users and groups by (see employee_columns())
  bool ascending = false;                   //!< rank smallest first (default: largest first)
  std::vector<std::int64_t> compare;        //!< CRM ids of users to compare with the team's median
  double confidence = 0.95;                 //!< level of the Wilson interval
  unsigned threads = 0;                     //!< 0 = all cores
};

//! One row: a user, a group, the unassigned work or the team.
struct EmployeeRow {
  std::int64_t user_id = 0;            //!< CRM user id (kNoId for group, unassigned and team rows)
  std::string name;                    //!< user name, group name, "(unassigned)" or "(team)"
  std::string group;                   //!< the user's group ("" = none)
  std::int64_t rank = 0;               //!< 1-based place by rank_by (0 = not ranked: unassigned, team)
  std::int64_t new_deals = 0;          //!< deals created in the period
  std::int64_t won = 0;                //!< deals won in the period (final closes)
  std::int64_t won_budget_minor = 0;   //!< their budget
  double won_budget_share_pct = 0;     //!< share of the team's won budget, % (NaN when the team won nothing)
  std::int64_t lost = 0;               //!< deals lost in the period (final closes)
  std::int64_t in_work = 0;            //!< deals active at the end of the period
  double win_rate_pct = 0;             //!< won / (won + lost), % (NaN when nothing closed)
  double win_rate_lower_pct = 0;       //!< Wilson lower bound, % (NaN when nothing closed)
  double win_rate_upper_pct = 0;       //!< Wilson upper bound, % (NaN when nothing closed)
  double mean_time_to_close_s = 0;     //!< mean closed_at - created_at of the won deals (NaN when none)
  double median_time_to_close_s = 0;   //!< median of the same (NaN when none)
  std::int64_t tasks_created = 0;      //!< tasks created in the period
  std::int64_t tasks_completed = 0;    //!< tasks completed in the period
  std::int64_t tasks_overdue = 0;      //!< tasks overdue at the end of the period
};

//! Chosen users side by side with the team's median, column by column.
struct EmployeesComparison {
  std::vector<std::string> metrics;            //!< ranking columns, in employee_columns() order
  std::vector<std::int64_t> user_ids;          //!< compared users, as asked
  std::vector<std::string> user_names;         //!< their names
  std::vector<std::vector<double>> values;     //!< values[u][m]: user u's metric m
  std::vector<double> team_median;             //!< per metric: median over the user rows (NaN values left out)
};

//! The employees report.
struct EmployeesResult {
  std::int64_t period_start_s = 0;     //!< first instant of the period (kNoTime = unbounded)
  std::int64_t period_end_s = 0;       //!< E: end instant used for "at the end" (exclusive)
  Attribution attribution = Attribution::current;  //!< attribution used
  std::string rank_by;                 //!< ranking column used
  bool ascending = false;              //!< ranking order used
  std::vector<EmployeeRow> users;      //!< one per user the filter keeps, in rank order
  std::optional<EmployeeRow> unassigned;  //!< work attributed to nobody (absent when there is none)
  std::vector<EmployeeRow> groups;     //!< one per group, plus "(no group)" when needed, in rank order
  EmployeeRow team;                    //!< totals over everything
  EmployeesComparison comparison;      //!< empty unless options.compare names users
  std::int64_t owner_changes = 0;      //!< owner-change events used (at_close attribution)

  //! Tables "employees" (users, then unassigned), "employees_groups", "employees_team" and, when users are
  //! compared, "employees_comparison" (one row per metric; a column per user and "team_median").
  std::vector<ResultTable> to_tables() const;
};

//! The columns rank_by accepts, in display order ("new_deals", "won", ..., "tasks_overdue").
DEALSTAT_API const std::vector<std::string>& employee_columns();
//! Value of column `name` of a row (NaN-able); throws Error(invalid_option) naming "rank_by" when unknown.
DEALSTAT_API double employee_column_value(const EmployeeRow& row, std::string_view name);

//! Computes the employees report; throws Error(invalid_option) naming a bad option ("rank_by", "compare",
//! "confidence", and the filter's "pipeline", "users", "groups", "to").
DEALSTAT_API EmployeesResult employees(const Dataset& dataset, const EmployeesOptions& options = {});

}  // namespace v1
}  // namespace dealstat
