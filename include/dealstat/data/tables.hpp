// The columns of a Dataset, one struct per entity of SPEC section 1, each a
// struct of arrays (row i of a table is element i of every column). Foreign
// keys to users, stages and pipelines are dense Index values (already
// resolved and validated); keys to other entities keep the CRM's int64 id
// (kNoId when absent). Strings are StrCodes into Dataset::strings().
// Nullable timestamps hold kNoTime.
#pragma once

#include <cstdint>
#include <vector>

#include "dealstat/core/types.hpp"
#include "dealstat/data/string_pool.hpp"

namespace dealstat {
inline namespace v1 {

//! Outcome of an unsorted (incoming) item.
enum class UnsortedOutcome : std::uint8_t { pending = 0, accepted = 1, declined = 2 };

//! Users (managers) and the groups (departments) they belong to.
struct UserTable {
  std::vector<std::int64_t> id;         //!< CRM user id
  std::vector<StrCode> name;            //!< display name
  std::vector<std::uint32_t> group;     //!< GroupIndex value (kNone = no group)
  std::vector<StrCode> group_name;      //!< name of group g (indexed by GroupIndex value)
  //! Number of users.
  std::size_t size() const { return id.size(); }
};

//! Pipelines; each owns its stages in funnel order.
struct PipelineTable {
  std::vector<std::int64_t> id;              //!< CRM pipeline id
  std::vector<StrCode> name;                 //!< display name
  std::vector<std::uint32_t> stages_offset;  //!< size() + 1 offsets into stages_ordered
  std::vector<std::uint32_t> stages_ordered; //!< StageIndex values, pipeline by pipeline, in funnel order
  //! Number of pipelines.
  std::size_t size() const { return id.size(); }
};

//! Stages (statuses). Funnel order within a pipeline: unsorted, then open by sort, then won, then lost.
struct StageTable {
  std::vector<std::int64_t> id;         //!< CRM status id (unique within its pipeline)
  std::vector<std::uint32_t> pipeline;  //!< PipelineIndex value
  std::vector<StrCode> name;            //!< display name
  std::vector<std::int32_t> sort;       //!< CRM sort order
  std::vector<StageKind> kind;          //!< unsorted / open / won / lost
  std::vector<std::uint32_t> position;  //!< 0-based rank in the pipeline's funnel order
  //! Number of stages.
  std::size_t size() const { return id.size(); }
};

//! Deals (leads).
struct DealTable {
  std::vector<std::int64_t> id;            //!< CRM deal id
  std::vector<StrCode> name;               //!< deal name or external key
  std::vector<std::uint32_t> pipeline;     //!< PipelineIndex value of the current pipeline
  std::vector<std::uint32_t> stage;        //!< StageIndex value of the current stage
  std::vector<std::int64_t> created_at;    //!< Unix seconds
  std::vector<std::int64_t> closed_at;     //!< Unix seconds; kNoTime unless the current stage is won/lost
  std::vector<std::int64_t> budget_minor;  //!< budget in minor units
  std::vector<std::uint32_t> responsible;  //!< UserIndex value (kNone = nobody)
  std::vector<StrCode> channel;            //!< source channel
  std::vector<StrCode> loss_reason;        //!< loss reason (0 = none)
  std::vector<std::int64_t> contact_id;    //!< main contact's id or kNoId
  std::vector<std::int64_t> company_id;    //!< company's id or kNoId
  std::vector<std::uint8_t> deleted;       //!< 1 = deleted (never counted)
  std::vector<std::uint32_t> tags_offset;  //!< size() + 1 offsets into tags
  std::vector<StrCode> tags;               //!< tag codes, deal by deal
  //! Number of deals.
  std::size_t size() const { return id.size(); }
};

//! Tasks.
struct TaskTable {
  std::vector<std::int64_t> id;            //!< CRM task id
  std::vector<std::uint32_t> responsible;  //!< UserIndex value (kNone = nobody)
  std::vector<std::int64_t> created_at;    //!< Unix seconds
  std::vector<std::int64_t> due_at;        //!< Unix seconds or kNoTime
  std::vector<std::int64_t> completed_at;  //!< Unix seconds or kNoTime (open task)
  std::vector<StrCode> entity_type;        //!< linked entity's type ("lead", "contact", ...)
  std::vector<std::int64_t> entity_id;     //!< linked entity's id or kNoId
  std::vector<StrCode> type;               //!< task type ("call", "meeting", ...)
  //! Number of tasks.
  std::size_t size() const { return id.size(); }
};

//! Contacts, companies, customers and invoices share one shape.
struct SimpleEntityTable {
  std::vector<std::int64_t> id;            //!< CRM id
  std::vector<std::int64_t> created_at;    //!< Unix seconds
  std::vector<std::uint32_t> responsible;  //!< UserIndex value (kNone = nobody)
  //! Number of rows.
  std::size_t size() const { return id.size(); }
};

//! Purchases by customers.
struct PurchaseTable {
  std::vector<std::int64_t> id;            //!< CRM id
  std::vector<std::int64_t> customer_id;   //!< the customer's id or kNoId
  std::vector<std::int64_t> at;            //!< Unix seconds
  std::vector<std::int64_t> amount_minor;  //!< amount in minor units
  //! Number of purchases.
  std::size_t size() const { return id.size(); }
};

//! Unsorted (incoming) items.
struct UnsortedTable {
  std::vector<std::int64_t> id;               //!< CRM id
  std::vector<StrCode> channel;               //!< mail / forms / sip / chats / other
  std::vector<std::int64_t> created_at;       //!< Unix seconds
  std::vector<std::int64_t> resolved_at;      //!< Unix seconds or kNoTime (pending)
  std::vector<UnsortedOutcome> outcome;       //!< pending / accepted / declined
  std::vector<std::int64_t> deal_id;          //!< deal created from it, or kNoId
  std::vector<std::uint32_t> pipeline;        //!< PipelineIndex value (kNone = unknown)
  //! Number of items.
  std::size_t size() const { return id.size(); }
};

//! The event log.
struct EventTable {
  StringColumn id;                       //!< CRM event id (a string in amoCRM)
  std::vector<StrCode> type;             //!< event type ("lead_status_changed", ...)
  std::vector<StrCode> entity_type;      //!< "lead", "contact", "company", ...
  std::vector<std::int64_t> entity_id;   //!< the entity's id
  std::vector<std::int64_t> at;          //!< Unix seconds
  std::vector<std::uint32_t> by_user;    //!< UserIndex value (kNone = automation or unknown)
  StringColumn value_before;             //!< value before, as given (JSON or text)
  StringColumn value_after;              //!< value after, as given (JSON or text)
  //! Number of events.
  std::size_t size() const { return at.size(); }
};

}  // namespace v1
}  // namespace dealstat
