// EventIndex: the event log's indexes, built once per Dataset, that let the
// events list (SPEC section 8) answer a filtered page without scanning.
//
// Events are ranked newest first: by `at` descending, and among events with
// the same `at` by row descending (the row added later comes first). The rank
// of an event is its position in that order; order()[rank] is its row. Every
// posting list below holds ranks in ascending order (newest first), so
//   - a period is one contiguous range of ranks (two binary searches);
//   - a cursor (at, row) is one rank, the same in every list;
//   - a page is the first `limit` entries of a list from a rank on.
// Posting lists: one per event type (StrCode), one per user who made the
// event (UserIndex; the last list holds events with no user), one per entity
// type and one per entity (entity type, entity id). And the links from a
// contact or a company to its deals (deals.contact_id / company_id), so that
// "events of a contact" can take its deals' events too without a scan.
//
//   EventIndex idx = EventIndex::build(dataset);   // once, O(n) memory, radix sort
//   auto page = events_list(dataset, idx, opts);    // many times, milliseconds
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dealstat/core/export.hpp"
#include "dealstat/core/types.hpp"
#include "dealstat/data/dataset.hpp"

namespace dealstat {
inline namespace v1 {

//! Indexes over a Dataset's event log; immutable once built, safe to share between threads.
class DEALSTAT_API EventIndex {
 public:
  //! An empty index (of a dataset without events).
  EventIndex() = default;
  //! Builds the order and the posting lists of dataset.events(); threads = 0 uses all cores.
  static EventIndex build(const Dataset& dataset, unsigned threads = 0);

  //! Number of events indexed (equals dataset.events().size() of the dataset it was built from).
  std::size_t size() const { return order_.size(); }
  //! Rows newest first: order()[rank] is the row of the event with that rank.
  std::span<const std::uint32_t> order() const { return order_; }
  //! `at` of the event with this rank (non-increasing in rank).
  std::int64_t at(std::size_t rank) const { return at_[rank]; }
  //! Ranks of the events of this type (empty for a code no event has).
  std::span<const std::uint32_t> by_type(StrCode type) const;
  //! Ranks of the events made by this user (UserIndex value); kNone gives the events with no user.
  std::span<const std::uint32_t> by_user(std::uint32_t user) const;
  //! Ranks of the events on entities of this type (entity type code).
  std::span<const std::uint32_t> by_entity_type(StrCode entity_type) const;
  //! Ranks of the events of one entity (entity type code, CRM id).
  std::span<const std::uint32_t> by_entity(StrCode entity_type, std::int64_t entity_id) const;
  //! CRM ids of the deals whose contact_id is this contact (sorted, deleted deals included).
  std::span<const std::int64_t> deals_of_contact(std::int64_t contact_id) const;
  //! CRM ids of the deals whose company_id is this company (sorted, deleted deals included).
  std::span<const std::int64_t> deals_of_company(std::int64_t company_id) const;
  //! First rank whose event sorts after (at, row) in newest-first order: at' < at, or at' == at and
  //! row' < row. Everything before it was at or before a cursor (at, row) in a page already served.
  std::size_t first_rank_after(std::int64_t at, std::uint32_t row) const;
  //! First rank whose `at` is < t (the events from there on happened before t).
  std::size_t first_rank_before_time(std::int64_t t) const;

 private:
  std::vector<std::uint32_t> order_;        // rank -> row
  std::vector<std::int64_t> at_;            // rank -> at (for binary searches without indirection)
  std::vector<std::uint64_t> type_offset_;  // CSR by StrCode, size codes + 1
  std::vector<std::uint32_t> type_ranks_;
  std::vector<std::uint64_t> user_offset_;  // CSR by user (users + 1 slots: the last = no user)
  std::vector<std::uint32_t> user_ranks_;
  std::vector<std::uint64_t> etype_offset_;  // CSR by entity type StrCode
  std::vector<std::uint32_t> etype_ranks_;
  std::vector<std::uint32_t> entity_code_;  // entity keys, sorted by (code, id)
  std::vector<std::int64_t> entity_id_;
  std::vector<std::uint32_t> entity_list_;  // sorted key -> list number
  std::vector<std::uint64_t> entity_offset_;  // CSR by list number, size keys + 1
  std::vector<std::uint32_t> entity_ranks_;
  std::vector<std::int64_t> contact_key_, contact_deal_;  // (contact id, deal id) sorted
  std::vector<std::int64_t> company_key_, company_deal_;  // (company id, deal id) sorted
};

}  // namespace v1
}  // namespace dealstat
