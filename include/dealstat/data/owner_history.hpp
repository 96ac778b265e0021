// Owner history: who was responsible for each deal at any instant, rebuilt
// from the event log's responsible-user changes (amoCRM API v4 event type
// `entity_responsible_changed` on entity type `lead`). The employees report
// uses it for its "at close" attribution; building it costs one scan of the
// event types plus one small parse per owner change.
//
// Accepted value_before / value_after forms (anything else: the event is
// skipped and counted in `skipped`):
//   - amoCRM's JSON: [{"responsible_user":{"id":7}}] (the first array element
//     that has a responsible user), or the bare object {"responsible_user":{"id":7}};
//   - {"responsible_user_id":7};
//   - a plain user id: 7 or "7" (JSON number or string, surrounding blanks allowed);
//   - null, 0 or an empty text: in value_before "not given", in value_after
//     "nobody" (the deal became unassigned).
// An id that is not in the users table means "nobody we know" (unassigned).
// Only events whose entity type is `lead` (or `leads`) and whose entity id is
// a deal of the dataset count.
//
// owner_at(deal, t): the value_after of the deal's last change at or before
// t; before its first change, that change's value_before when given, else
// the deal's current responsible user. Changes at the same instant keep
// their event-log order. A deal without changes always has its current
// responsible user.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "dealstat/core/export.hpp"
#include "dealstat/data/dataset.hpp"

namespace dealstat {
inline namespace v1 {

//! Responsible-user changes per deal, in CSR layout (deal i: entries [offset[i], offset[i+1])).
struct DEALSTAT_API OwnerHistory {
  //! A value_before that was not given (kept apart from "nobody").
  static constexpr std::uint32_t kNotGiven = 0xFFFFFFFEu;

  std::vector<std::uint64_t> offset;   //!< deals + 1 offsets into the arrays below
  std::vector<std::int64_t> at;        //!< instant of each change, non-decreasing within a deal
  std::vector<std::uint32_t> before;   //!< UserIndex value before (kNone = nobody, kNotGiven = not given)
  std::vector<std::uint32_t> after;    //!< UserIndex value after (kNone = nobody / unknown id)
  std::int64_t changes = 0;            //!< owner-change events used
  std::int64_t skipped = 0;            //!< owner-change events whose value_after was not understood
  std::int64_t unknown_deal = 0;       //!< owner-change events of deals not in the dataset

  //! The deal's responsible user at instant t (UserIndex value, kNone = nobody); see the file banner.
  std::uint32_t owner_at(const Dataset& dataset, std::size_t deal, std::int64_t t) const;
};

//! Parses one value_before / value_after into a CRM user id: >0 = id, 0 = null/empty/zero, -1 = not understood.
DEALSTAT_API std::int64_t parse_responsible_value(std::string_view value);

//! Builds the owner history of every deal from the dataset's event log.
DEALSTAT_API OwnerHistory build_owner_history(const Dataset& dataset);

}  // namespace v1
}  // namespace dealstat
