// DealDayIndex: the deal rows grouped by (pipeline, day of one instant of the
// deal), built once with the Dataset, so that a report filtered by a period
// reads only the deals whose instant can fall in it (DealSelector::candidates).
//
// Layout: a counting sort of the deal rows by key (pipeline, bucket), where a
// bucket is a run of 2^shift UTC days starting at base_s (a UTC midnight);
// `rows` holds the rows in key order, ascending within a key, and
// `offset[pipeline * buckets + bucket]` is the first position of a key (CSR).
// Deleted deals are left out (no filter ever selects them). The buckets are
// UTC days, not local days: a period in any time zone resolves to an instant
// range [start_s, end_s), and the buckets overlapping that range hold every
// deal whose instant falls in it (the day at each end is taken whole, so a
// few deals more are read; each is still tested with DealSelector::selects).
//
// Size: 4 bytes per deal in `rows`, and 4 bytes per (pipeline, bucket) in
// `offset`; `shift` is the smallest that keeps pipelines x buckets at most
// max(4096, deals / 4), so the offsets take at most one byte per deal.
// The dataset holds two (Dataset::deals_by_auto_day, deals_by_created_day).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "dealstat/core/export.hpp"

namespace dealstat {
inline namespace v1 {

//! Deal rows by (pipeline, bucket of UTC days of one instant per deal); see the banner.
struct DEALSTAT_API DealDayIndex {
  static constexpr std::int64_t kDayS = 86400;  //!< seconds per UTC day
  std::int64_t base_s = 0;              //!< start of bucket 0 (a UTC midnight at or before every key)
  std::uint32_t shift = 0;              //!< a bucket spans 2^shift days
  std::uint32_t buckets = 0;            //!< buckets per pipeline (0 when there are no deals)
  std::uint32_t pipelines = 0;          //!< pipelines of the dataset
  std::vector<std::uint32_t> offset;    //!< pipelines * buckets + 1 offsets into rows
  std::vector<std::uint32_t> rows;      //!< deal rows by (pipeline, bucket), ascending within one

  //! Bucket of instant t, clamped to [0, buckets - 1] (buckets > 0).
  std::uint32_t bucket_of(std::int64_t t) const {
    if (t <= base_s) return 0;
    const auto b = (static_cast<std::uint64_t>(t - base_s) / static_cast<std::uint64_t>(kDayS)) >> shift;
    return b >= buckets ? buckets - 1 : static_cast<std::uint32_t>(b);
  }
  //! The rows of pipeline p in buckets [b0, b1) (b0 <= b1 <= buckets), ascending within each bucket.
  std::span<const std::uint32_t> range(std::uint32_t p, std::uint32_t b0, std::uint32_t b1) const {
    const std::size_t k = static_cast<std::size_t>(p) * buckets;
    return {rows.data() + offset[k + b0], rows.data() + offset[k + b1]};
  }
  //! Bytes held (rows and offsets).
  std::size_t bytes() const { return (rows.size() + offset.size()) * sizeof(std::uint32_t); }

  //! Builds the index of deal rows 0..n-1 (n = created_at.size()) with pipeline row pipeline[i]
  //! (< pipelines), keyed by closed_at[i] where that is set (not kNoTime) and created_at[i] otherwise;
  //! closed_at empty = every deal by created_at; rows with skip[i] != 0 are left out. Instants are
  //! kMinValidTime..kMaxValidTime. Linear: two passes over the deals.
  static DealDayIndex build(std::size_t pipelines, std::span<const std::uint32_t> pipeline,
                            std::span<const std::int64_t> created_at, std::span<const std::int64_t> closed_at,
                            std::span<const std::uint8_t> skip);
};

}  // namespace v1
}  // namespace dealstat
