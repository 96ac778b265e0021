// Events list (Список событий, SPEC section 8): the event log filtered by
// period, entity, contact or company, user and event types in any
// combination (every filter given must hold), newest first, one page at a
// time, with a count of all matches.
//
// Rules (docs/reports-summary-events.md, "Events list"):
//   - order: `at` descending; events with the same `at` by row descending
//     (the event added to the log later comes first). The order is total,
//     so pages never repeat or skip an event;
//   - the period [from, to) is in local dates of the account's time zone
//     and bounds the events' `at`;
//   - entity: entity_type ("lead", "contact", "company", ...) alone matches
//     every event of that type of entity; with entity_id, one entity;
//   - contact / company: the events of that contact (company) itself AND the
//     events of the deals whose contact_id (company_id) is it; deleted deals
//     included (the log is a log);
//   - users: events made by any of these users (by_user); an unknown user id
//     is a bad option; types: any of; an unknown type matches nothing;
//   - cursor: opaque; it names the last event served (its at and row), and
//     the next page starts with the first event that sorts after it. Events
//     appended to the log later (new rows) never shift a page already served:
//     newer ones, and ones tied in `at` with the cursor, sort before it and
//     appear on a fresh first page; older ones appear on the later pages in
//     their place by time.
//
// Speed: with an EventIndex the page costs a few binary searches plus a walk
// of the most selective posting list (the others are checked per event); the
// total walks that same list within the period, and is a sum of list lengths
// when one filter kind alone is given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dealstat/core/export.hpp"
#include "dealstat/core/table.hpp"
#include "dealstat/data/dataset.hpp"
#include "dealstat/data/event_index.hpp"
#include "dealstat/time/period.hpp"

namespace dealstat {
inline namespace v1 {

//! Options of the events list. Every filter given must hold (AND); within a list, any of (OR).
struct EventsListOptions {
  Period period;                            //!< [from, to) in local dates, bounds `at`; open ends allowed
  std::string entity_type;                  //!< "lead", "contact", "company", ...; empty = any
  std::optional<std::int64_t> entity_id;    //!< one entity (needs entity_type)
  std::optional<std::int64_t> contact_id;   //!< events of this contact and of its deals
  std::optional<std::int64_t> company_id;   //!< events of this company and of its deals
  std::vector<std::int64_t> users;          //!< CRM ids of the users who made the events (any of)
  std::vector<std::string> types;           //!< event types (any of); unknown types match nothing
  std::int64_t limit = 50;                  //!< page size, >= 1
  std::string cursor;                       //!< empty = first page; else next_cursor of the previous page
  bool count_total = true;                  //!< also count all matches (ignores the cursor)
};

//! One event of a page.
struct EventsListRow {
  std::uint32_t row = 0;         //!< row in Dataset::events()
  std::string id;                //!< CRM event id
  std::int64_t at_s = 0;         //!< Unix seconds
  std::string type;              //!< event type
  std::string entity_type;       //!< entity type
  std::int64_t entity_id = 0;    //!< entity id
  std::int64_t user_id = kNoId;  //!< CRM id of who made it (kNoId = automation or unknown)
  std::string user;              //!< that user's name ("" when none)
  std::string value_before;      //!< as given
  std::string value_after;       //!< as given
};

//! One page of the events list.
struct EventsListResult {
  std::vector<EventsListRow> events;  //!< at most limit events, newest first
  std::string next_cursor;            //!< pass as cursor for the next page; empty when this page is the last
  std::int64_t total = -1;            //!< all matches of the filters (not only after the cursor); -1 if not counted
  //! Tables "events" and "events_page" (next_cursor, total).
  std::vector<ResultTable> to_tables() const;
};

//! The cursor of an event: "e1" then 16 hex digits of at and 8 of row (opaque to callers).
DEALSTAT_API std::string encode_event_cursor(std::int64_t at, std::uint32_t row);

//! One page of the events list over a prebuilt index of this dataset; throws Error(invalid_option) naming
//! a bad option ("limit", "cursor", "entity_id", "users", "to", "index").
DEALSTAT_API EventsListResult events_list(const Dataset& dataset, const EventIndex& index,
                                          const EventsListOptions& options = {});

//! Same, building the index first (for one-off calls; keep an EventIndex for repeated pages).
DEALSTAT_API EventsListResult events_list(const Dataset& dataset, const EventsListOptions& options = {});

}  // namespace v1
}  // namespace dealstat
