// Small strong types of the domain (SPEC section 1).
//
// A Timestamp is an absolute instant (Unix seconds, UTC); a LocalDate is a
// civil day in the account's time zone (days since 1970-01-01), with no
// instant attached: turning one into the other needs a TimeZone. Money is an
// integer count of minor units (kopecks, cents). Ids are the CRM's own int64
// ids, each kind its own type, so a stage id cannot be passed where a user id
// is expected. Dense *Index types number the rows of a Dataset table 0..n-1.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <limits>

namespace dealstat {
inline namespace v1 {

//! An absolute instant: Unix seconds, UTC.
struct Timestamp {
  std::int64_t seconds = 0;  //!< seconds since 1970-01-01T00:00:00Z
  friend constexpr auto operator<=>(Timestamp, Timestamp) = default;
};

//! A civil calendar day in some time zone: days since 1970-01-01.
struct LocalDate {
  std::int32_t days = 0;  //!< days since 1970-01-01 (negative before)
  friend constexpr auto operator<=>(LocalDate, LocalDate) = default;
};

//! An amount of money in minor units (kopecks, cents) of the account's currency.
struct Money {
  std::int64_t minor = 0;  //!< minor units
  friend constexpr auto operator<=>(Money, Money) = default;
  //! Sum of two amounts.
  friend constexpr Money operator+(Money a, Money b) { return Money{a.minor + b.minor}; }
};

//! A CRM id of one kind of entity; Tag keeps the kinds apart.
template <class Tag>
struct Id {
  std::int64_t value = 0;  //!< the CRM's own id
  friend constexpr auto operator<=>(Id, Id) = default;
};

//! A dense row number into one table of a Dataset; Tag keeps the tables apart.
template <class Tag>
struct Index {
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t value = kNone;  //!< row number, or kNone
  //! True when this refers to a row.
  constexpr bool valid() const { return value != kNone; }
  friend constexpr auto operator<=>(Index, Index) = default;
};

struct DealTag;
struct UserTag;
struct PipelineTag;
struct StageTag;
struct TaskTag;
struct ContactTag;
struct CompanyTag;
struct CustomerTag;
struct InvoiceTag;
struct PurchaseTag;
struct UnsortedTag;
struct EventTag;
struct GroupTag;

using DealId = Id<DealTag>;          //!< a deal's (lead's) CRM id
using UserId = Id<UserTag>;          //!< a user's (manager's) CRM id
using PipelineId = Id<PipelineTag>;  //!< a pipeline's CRM id
using StageId = Id<StageTag>;        //!< a stage's (status's) CRM id, unique within its pipeline
using TaskId = Id<TaskTag>;          //!< a task's CRM id
using ContactId = Id<ContactTag>;    //!< a contact's CRM id
using CompanyId = Id<CompanyTag>;    //!< a company's CRM id
using CustomerId = Id<CustomerTag>;  //!< a customer's CRM id
using InvoiceId = Id<InvoiceTag>;    //!< an invoice's CRM id
using PurchaseId = Id<PurchaseTag>;  //!< a purchase's CRM id
using UnsortedId = Id<UnsortedTag>;  //!< an unsorted item's CRM id
using EventId = Id<EventTag>;        //!< an event's CRM id

using DealIndex = Index<DealTag>;          //!< row of Dataset::deals()
using UserIndex = Index<UserTag>;          //!< row of Dataset::users()
using PipelineIndex = Index<PipelineTag>;  //!< row of Dataset::pipelines()
using StageIndex = Index<StageTag>;        //!< row of Dataset::stages()
using GroupIndex = Index<GroupTag>;        //!< a user group (department), dense

//! Sentinel for "no timestamp" in nullable timestamp columns.
inline constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();
//! Sentinel for "no id" in nullable id columns.
inline constexpr std::int64_t kNoId = std::numeric_limits<std::int64_t>::min();
//! Smallest timestamp accepted (1970-01-01T00:00:00Z).
inline constexpr std::int64_t kMinValidTime = 0;
//! Largest timestamp accepted (2100-01-01T00:00:00Z).
inline constexpr std::int64_t kMaxValidTime = 4102444800;

//! Kind of a stage (SPEC section 1).
enum class StageKind : std::uint8_t { unsorted = 0, open = 1, won = 2, lost = 3 };

//! True for the stages where a deal's path ends (won, lost).
constexpr bool is_closed_kind(StageKind k) { return k == StageKind::won || k == StageKind::lost; }

}  // namespace v1
}  // namespace dealstat

template <class Tag>
struct std::hash<dealstat::Id<Tag>> {
  std::size_t operator()(dealstat::Id<Tag> id) const noexcept { return std::hash<std::int64_t>{}(id.value); }
};
