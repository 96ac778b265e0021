// DatasetBuilder: collects rows (or whole columns) of every entity, then
// validates every rule of SPEC section 1 and builds an immutable Dataset with
// its path index in one step.
//
// Each row remembers where it came from (a source name such as "deals.csv"
// set with set_source, and the line number given to add_*), so that every
// problem names the file, row, field and value. build() either throws on the
// first problem (ValidationPolicy::strict) or leaves bad records out and
// lists them (lenient); in both cases nothing is half-added.
//
//   DatasetBuilder b;
//   b.add_pipeline({PipelineId{1}, "Sales"});
//   b.add_stage({PipelineId{1}, StageId{10}, "New", 10, StageKind::open});
//   ...
//   BuildResult r = std::move(b).build(ValidationPolicy::lenient);
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dealstat/core/error.hpp"
#include "dealstat/core/export.hpp"
#include "dealstat/core/types.hpp"
#include "dealstat/data/dataset.hpp"

namespace dealstat {
inline namespace v1 {

//! The tables a builder fills; names the source of each table's rows.
enum class Table : std::uint8_t {
  account, users, pipelines, stages, deals, stage_changes, tasks, contacts, companies,
  customers, invoices, purchases, unsorted, events
};
//! The default source name of a table ("deals.csv").
DEALSTAT_API const char* default_source(Table t);

//! A user (manager).
struct UserRow {
  UserId id;               //!< CRM id
  std::string name;        //!< display name
  std::string group;       //!< group (department) name, empty = none
};

//! A pipeline.
struct PipelineRow {
  PipelineId id;     //!< CRM id
  std::string name;  //!< display name
};

//! A stage (status) of a pipeline.
struct StageRow {
  PipelineId pipeline;                //!< owning pipeline
  StageId id;                         //!< status id, unique within the pipeline
  std::string name;                   //!< display name
  std::int32_t sort = 0;              //!< CRM sort order
  StageKind kind = StageKind::open;   //!< unsorted / open / won / lost
};

//! A deal (lead).
struct DealRow {
  DealId id;                               //!< CRM id
  PipelineId pipeline;                     //!< current pipeline
  StageId stage;                           //!< current stage (within pipeline)
  Timestamp created_at;                    //!< creation instant
  std::optional<Timestamp> closed_at;      //!< set iff the current stage is won or lost
  Money budget;                            //!< budget (>= 0)
  std::optional<UserId> responsible;       //!< responsible user
  std::string name;                        //!< deal name or external key
  std::string channel;                     //!< source channel
  std::vector<std::string> tags;           //!< tags
  std::string loss_reason;                 //!< loss reason, empty = none
  std::optional<std::int64_t> contact_id;  //!< main contact
  std::optional<std::int64_t> company_id;  //!< company
  bool deleted = false;                    //!< deleted deals are kept but never counted
};

//! A stage change; a change may move the deal to another pipeline.
struct StageChangeRow {
  DealId deal;                                  //!< the deal
  Timestamp at;                                 //!< when
  std::optional<PipelineId> from_pipeline;      //!< pipeline of from_stage (default: to_pipeline or the deal's)
  std::optional<StageId> from_stage;            //!< none = the deal's creation record
  std::optional<PipelineId> to_pipeline;        //!< pipeline of to_stage (default: the deal's current pipeline)
  StageId to_stage;                             //!< the stage entered
  std::optional<UserId> by_user;                //!< who moved it
};

//! A deal as a reader parsed it, for add_deal_fields: strings as views (valid during the call, interned
//! there, no std::string made), absent values as kNoId / kNoTime. The same deal as the DealRow with
//! those fields.
struct DealFields {
  std::int64_t id = 0;                        //!< CRM id
  std::int64_t pipeline_id = 0;               //!< current pipeline
  std::int64_t stage_id = 0;                  //!< current stage
  std::int64_t created_at = 0;                //!< creation instant, Unix seconds
  std::int64_t closed_at = kNoTime;           //!< kNoTime = not closed
  std::int64_t budget_minor = 0;              //!< budget in minor units
  std::int64_t responsible_id = kNoId;        //!< kNoId = none
  std::string_view name;                      //!< deal name
  std::string_view channel;                   //!< source channel
  std::span<const std::string_view> tags;     //!< tags
  std::string_view loss_reason;               //!< loss reason, empty = none
  std::int64_t contact_id = kNoId;            //!< kNoId = none
  std::int64_t company_id = kNoId;            //!< kNoId = none
  bool deleted = false;                       //!< deleted deal
};

//! A stage change as ids, for add_stage_change_ids: absent values as kNoId. The same change as the
//! StageChangeRow with those fields.
struct StageChangeIds {
  std::int64_t deal_id = 0;               //!< the deal
  std::int64_t at = 0;                    //!< when, Unix seconds
  std::int64_t from_pipeline_id = kNoId;  //!< kNoId = default (see StageChangeRow)
  std::int64_t from_stage_id = kNoId;     //!< kNoId = the deal's creation record
  std::int64_t to_pipeline_id = kNoId;    //!< kNoId = the deal's current pipeline
  std::int64_t to_stage_id = 0;           //!< the stage entered
  std::int64_t by_user_id = kNoId;        //!< kNoId = unknown
};

//! A task.
struct TaskRow {
  TaskId id;                              //!< CRM id
  std::optional<UserId> responsible;      //!< responsible user
  Timestamp created_at;                   //!< creation instant
  std::optional<Timestamp> due_at;        //!< deadline
  std::optional<Timestamp> completed_at;  //!< completion instant, none = open
  std::string entity_type;                //!< linked entity type ("lead", ...)
  std::optional<std::int64_t> entity_id;  //!< linked entity id
  std::string type;                       //!< task type
};

//! A contact, company, customer or invoice.
struct SimpleEntityRow {
  std::int64_t id = 0;                //!< CRM id
  Timestamp created_at;               //!< creation instant
  std::optional<UserId> responsible;  //!< responsible user
};

//! A purchase.
struct PurchaseRow {
  PurchaseId id;                          //!< CRM id
  std::optional<std::int64_t> customer;   //!< customer id
  Timestamp at;                           //!< when
  Money amount;                           //!< amount (>= 0)
};

//! An unsorted (incoming) item.
struct UnsortedRow {
  UnsortedId id;                          //!< CRM id
  std::string channel;                    //!< mail / forms / sip / chats / other
  Timestamp created_at;                   //!< arrival
  std::optional<Timestamp> resolved_at;   //!< accepted/declined instant
  UnsortedOutcome outcome = UnsortedOutcome::pending;  //!< pending / accepted / declined
  std::optional<DealId> deal;             //!< deal created from it
  std::optional<PipelineId> pipeline;     //!< pipeline it arrived in
};

//! An event of the event log.
struct EventRow {
  std::string id;                        //!< CRM id (a string in amoCRM)
  std::string type;                      //!< event type
  std::string entity_type;               //!< entity type
  std::int64_t entity_id = 0;            //!< entity id
  Timestamp at;                          //!< when
  std::optional<UserId> by_user;         //!< who (none = automation)
  std::string value_before;              //!< as given
  std::string value_after;               //!< as given
};

//! Columns of deals handed over at once (the C ABI and Python use this); spans must be equal length.
struct DealColumns {
  std::span<const std::int64_t> id;            //!< required
  std::span<const std::int64_t> pipeline_id;   //!< required
  std::span<const std::int64_t> stage_id;      //!< required
  std::span<const std::int64_t> created_at;    //!< required, Unix seconds
  std::span<const std::int64_t> closed_at;     //!< optional (empty span), kNoTime = none
  std::span<const std::int64_t> budget_minor;  //!< optional
  std::span<const std::int64_t> responsible_id;  //!< optional, kNoId = none
};

//! Columns of stage changes handed over at once.
struct StageChangeColumns {
  std::span<const std::int64_t> deal_id;        //!< required
  std::span<const std::int64_t> at;             //!< required, Unix seconds
  std::span<const std::int64_t> from_stage_id;  //!< optional, kNoId = creation record
  std::span<const std::int64_t> to_stage_id;    //!< required
  std::span<const std::int64_t> to_pipeline_id; //!< optional, kNoId = the deal's pipeline
  std::span<const std::int64_t> by_user_id;     //!< optional, kNoId = unknown
};

//! A built dataset and the problems a lenient build left out.
struct BuildResult {
  DatasetPtr dataset;  //!< never null
  Problems problems;   //!< records left out (lenient) -- empty after a strict build
};

//! Rewrites a problem found in one table's rows before it is reported (an importer turns the row
//! number it passed to add_* into its file, record and JSON path, and a column name into a JSON field).
using ProblemLocator = std::function<void(Problem&)>;

//! Collects rows, validates them, builds a Dataset. Not thread-safe, with one exception: one thread
//! may call add_deal / add_deal_fields / add_deal_columns / append_deals while another calls add_stage_change /
//! add_stage_change_ids / add_stage_change_columns / append_stage_changes (their staging shares nothing), after set_source of
//! both tables; the CSV directory reader does.
class DEALSTAT_API DatasetBuilder {
 public:
  DatasetBuilder();
  ~DatasetBuilder();
  DatasetBuilder(DatasetBuilder&&) noexcept;
  DatasetBuilder& operator=(DatasetBuilder&&) noexcept;

  //! Names where a table's rows come from (used in problems); default "<table>.csv".
  void set_source(Table table, std::string source);
  //! Sets a function that rewrites every problem of a table's rows before it is reported (see ProblemLocator).
  void set_locator(Table table, ProblemLocator locator);
  //! Sets the account settings.
  void set_account(Account account);
  //! Adds a user; line is the row number in its source (0 = unknown).
  void add_user(UserRow row, std::int64_t line = 0);
  //! Adds a pipeline.
  void add_pipeline(PipelineRow row, std::int64_t line = 0);
  //! Adds a stage.
  void add_stage(StageRow row, std::int64_t line = 0);
  //! Adds a deal.
  void add_deal(DealRow row, std::int64_t line = 0);
  //! Adds a stage change.
  void add_stage_change(const StageChangeRow& row, std::int64_t line = 0);
  //! Adds a deal from parsed fields (no std::string per cell: the fast path of the CSV reader).
  void add_deal_fields(const DealFields& deal, std::int64_t line = 0);
  //! Adds a stage change from ids (no optionals: the fast path of the CSV reader).
  void add_stage_change_ids(const StageChangeIds& change, std::int64_t line = 0);
  //! Adds a task.
  void add_task(TaskRow row, std::int64_t line = 0);
  //! Adds a contact.
  void add_contact(const SimpleEntityRow& row, std::int64_t line = 0);
  //! Adds a company.
  void add_company(const SimpleEntityRow& row, std::int64_t line = 0);
  //! Adds a customer.
  void add_customer(const SimpleEntityRow& row, std::int64_t line = 0);
  //! Adds an invoice.
  void add_invoice(const SimpleEntityRow& row, std::int64_t line = 0);
  //! Adds a purchase.
  void add_purchase(const PurchaseRow& row, std::int64_t line = 0);
  //! Adds an unsorted item.
  void add_unsorted(UnsortedRow row, std::int64_t line = 0);
  //! Adds an event.
  void add_event(EventRow row, std::int64_t line = 0);
  //! Adds many deals from columns (row numbers are 1-based positions); throws if lengths differ.
  void add_deal_columns(const DealColumns& cols);
  //! Adds many stage changes from columns; throws if lengths differ.
  void add_stage_change_columns(const StageChangeColumns& cols);
  //! Moves the deals staged in `part` to the end of this builder's, adding line_offset to their lines.
  void append_deals(DatasetBuilder&& part, std::int64_t line_offset = 0);
  //! Moves the stage changes staged in `part` to the end of this builder's, adding line_offset to their lines.
  void append_stage_changes(DatasetBuilder&& part, std::int64_t line_offset = 0);
  //! Reserves room for about n deals and m stage changes.
  void reserve(std::size_t deals, std::size_t stage_changes);

  //! Validates everything and builds the dataset; the builder is consumed.
  BuildResult build(ValidationPolicy policy = ValidationPolicy::strict) &&;
  //! Threads build() runs its heavy steps on (0 = all cores, the default) and stage changes per block
  //! (0 = the default, 2^18); the dataset and the problems, in their order, do not depend on either.
  void set_build_threads(unsigned threads, std::size_t block_rows = 0);

  struct Impl;  //!< implementation detail

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace v1
}  // namespace dealstat
