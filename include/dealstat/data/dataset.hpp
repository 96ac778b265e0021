// Dataset: one CRM account's data, immutable once built, columnar (struct of
// arrays, see tables.hpp) with interned strings and the stage-path index.
// Build one with DatasetBuilder (rows or columns), the CSV directory reader,
// the amoCRM importer or the sample generator. A built Dataset is never
// modified, so any number of threads may read it at once.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dealstat/core/export.hpp"
#include "dealstat/data/deal_day_index.hpp"
#include "dealstat/data/path_index.hpp"
#include "dealstat/data/string_pool.hpp"
#include "dealstat/data/tables.hpp"
#include "dealstat/time/calendar.hpp"
#include "dealstat/time/time_zone.hpp"

namespace dealstat {
inline namespace v1 {

//! Account-wide settings.
struct Account {
  TimeZone time_zone;                           //!< for every date bucket
  Weekday first_day_of_week = Weekday::monday;  //!< weeks start on this day
  std::string currency = "";                    //!< ISO 4217 code, informative
  std::int32_t minor_digits = 2;                //!< decimals of the minor unit (2 = cents, 0 = yen); money columns count these units
};

//! An immutable, columnar CRM dataset with its path index.
class DEALSTAT_API Dataset {
 public:
  //! Account settings (time zone, first day of week, currency).
  const Account& account() const { return account_; }
  //! Users and groups.
  const UserTable& users() const { return users_; }
  //! Pipelines with their ordered stages.
  const PipelineTable& pipelines() const { return pipelines_; }
  //! Stages.
  const StageTable& stages() const { return stages_; }
  //! Deals.
  const DealTable& deals() const { return deals_; }
  //! Stage paths, one per deal (row i of deals()).
  const PathIndex& paths() const { return paths_; }
  //! Tasks.
  const TaskTable& tasks() const { return tasks_; }
  //! Contacts.
  const SimpleEntityTable& contacts() const { return contacts_; }
  //! Companies.
  const SimpleEntityTable& companies() const { return companies_; }
  //! Customers.
  const SimpleEntityTable& customers() const { return customers_; }
  //! Invoices.
  const SimpleEntityTable& invoices() const { return invoices_; }
  //! Purchases.
  const PurchaseTable& purchases() const { return purchases_; }
  //! Unsorted (incoming) items.
  const UnsortedTable& unsorted() const { return unsorted_; }
  //! The event log.
  const EventTable& events() const { return events_; }
  //! Interned strings (names, tags, channels, types).
  const StringPool& strings() const { return strings_; }
  //! Shortcut: the text of a string code.
  std::string_view str(StrCode code) const { return strings_.view(code); }

  //! Row of the pipeline with this CRM id, if any (a hash look-up).
  std::optional<PipelineIndex> find_pipeline(PipelineId id) const;
  //! Row of the first pipeline with this name, if any (a hash look-up, no allocation).
  std::optional<PipelineIndex> find_pipeline(std::string_view name) const;
  //! Row of the stage (pipeline, status id), if any.
  std::optional<StageIndex> find_stage(PipelineIndex pipeline, StageId id) const;
  //! Row of the user with this CRM id, if any (a hash look-up).
  std::optional<UserIndex> find_user(UserId id) const;
  //! Row of the deal with this CRM id, if any (binary search over a sorted id index).
  std::optional<DealIndex> find_deal(DealId id) const;
  //! Stage kind of the deal's current stage.
  StageKind deal_kind(std::size_t deal) const { return stages_.kind[deals_.stage[deal]]; }
  //! Latest instant of the deals (created_at, closed_at) and their path entries; 0 when none
  //! (computed once when built: the default as-of of the reports, dataset_end()).
  std::int64_t deals_end_s() const noexcept { return deals_end_s_; }
  //! Earliest created_at of the deals; INT64_MAX when there are none (computed once when built).
  std::int64_t deals_start_s() const noexcept { return deals_start_s_; }
  //! Latest created_at or completed_at of the tasks; kNoTime when none (computed once when built).
  std::int64_t tasks_end_s() const noexcept { return tasks_end_s_; }
  //! Latest created_at or resolved_at of the unsorted items; kNoTime when none (computed once when built).
  std::int64_t unsorted_end_s() const noexcept { return unsorted_end_s_; }
  //! Per deal: the instant of its path's last entry when that entry is the deal's current stage, else
  //! INT64_MAX (empty path or a different stage). For t > this instant the last path entry before t is that
  //! entry, so "in work at t" is the current stage's kind without walking the path (computed once when built).
  const std::vector<std::int64_t>& deal_settled_s() const noexcept { return deal_settled_s_; }
  //! Deal rows by (pipeline, UTC day of closed_at for won/lost deals, of created_at for the others), deleted
  //! deals left out: the day index of the `auto` and `closed` date bases (built once; DealSelector::candidates()).
  const DealDayIndex& deals_by_auto_day() const noexcept { return by_auto_day_; }
  //! Deal rows by (pipeline, UTC day of created_at), deleted deals left out: the `created` basis's day index.
  const DealDayIndex& deals_by_created_day() const noexcept { return by_created_day_; }

 private:
  friend class DatasetBuilder;
  // Computes the cached instants (deals_end_s_, ...) from the built tables.
  void cache_instants(unsigned threads = 0);
  // Builds the two day indexes (deals_by_auto_day, deals_by_created_day) from the built deals.
  void index_deal_days();
  Dataset();
  struct Lookup;  // hash indexes of users and pipelines (dataset.cpp)
  // The indexes, made on the first find_user / find_pipeline (once, thread-safe).
  const Lookup& lookup() const;

  Account account_;
  StringPool strings_;
  UserTable users_;
  PipelineTable pipelines_;
  StageTable stages_;
  DealTable deals_;
  PathIndex paths_;
  TaskTable tasks_;
  SimpleEntityTable contacts_, companies_, customers_, invoices_;
  PurchaseTable purchases_;
  UnsortedTable unsorted_;
  EventTable events_;
  std::vector<std::uint32_t> deal_by_id_;  // deal rows sorted by id, for find_deal
  // Instants cached by DatasetBuilder::build (see the accessors).
  std::int64_t deals_end_s_ = 0;
  std::int64_t deals_start_s_ = std::numeric_limits<std::int64_t>::max();
  std::int64_t tasks_end_s_ = kNoTime;
  std::int64_t unsorted_end_s_ = kNoTime;
  std::vector<std::int64_t> deal_settled_s_;  // see deal_settled_s()
  DealDayIndex by_auto_day_, by_created_day_;  // see deals_by_auto_day(), deals_by_created_day()
  std::shared_ptr<Lookup> lookup_;  // shared by copies: same tables, same rows
};

//! Shared ownership of an immutable dataset (the C ABI and Python hold these).
using DatasetPtr = std::shared_ptr<const Dataset>;

}  // namespace v1
}  // namespace dealstat
