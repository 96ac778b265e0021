// The per-deal stage path of SPEC section 1, built once with the Dataset:
// for deal i, entries [offset[i], offset[i+1]) of the flat arrays give the
// stages it went through and when it entered each, in time order. The first
// entry is the creation stage at created_at. Every report walks paths from
// here without sorting or hashing again.
//
// Rules applied when building (docs/csv-format.md, "Path building"):
//   - changes are taken in time order (input order among equal instants);
//   - a change without a from-stage is the deal's creation record: its stage is
//     entered at created_at and it sorts before the deal's other changes;
//   - otherwise the path starts at the first change's from-stage at created_at;
//   - a change to the stage the deal is already in adds no entry;
//   - a deal with no changes has the path [current stage]; its entry time is
//     created_at, or closed_at when the current stage is won or lost;
//   - when the last recorded stage is not the deal's current stage (history
//     kept for a limited time), the current stage is appended at closed_at
//     (closed deals) or at the last known time (active deals), flagged implied.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dealstat/core/types.hpp"

namespace dealstat {
inline namespace v1 {

//! One deal's path as views into the PathIndex arrays.
struct PathView {
  std::span<const std::uint32_t> stage;       //!< StageIndex values, in time order
  std::span<const std::int64_t> entered_at;   //!< entry instants (Unix seconds), non-decreasing
  std::span<const std::uint32_t> by_user;     //!< who moved it there (UserIndex value or kNone)
  //! Number of entries.
  std::size_t size() const { return stage.size(); }
};

//! Stage paths of all deals in CSR layout.
struct PathIndex {
  std::vector<std::uint64_t> offset;      //!< deals + 1 offsets into the arrays below
  std::vector<std::uint32_t> stage;       //!< StageIndex value of each entry
  std::vector<std::int64_t> entered_at;   //!< entry instant of each entry
  std::vector<std::uint32_t> by_user;     //!< UserIndex value of who made the move (kNone = unknown)
  std::vector<std::uint8_t> implied;      //!< 1 = entry inferred from the deal's current stage, not recorded

  //! The path of deal i.
  PathView path(std::size_t deal) const {
    auto b = offset[deal], e = offset[deal + 1];
    return PathView{{stage.data() + b, e - b}, {entered_at.data() + b, e - b}, {by_user.data() + b, e - b}};
  }
  //! Number of deals indexed.
  std::size_t deals() const { return offset.empty() ? 0 : offset.size() - 1; }
  //! Total entries over all paths.
  std::size_t entries() const { return stage.size(); }
};

}  // namespace v1
}  // namespace dealstat
