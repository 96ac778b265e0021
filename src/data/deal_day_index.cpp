// DealDayIndex: a counting sort of the deal rows by (pipeline, bucket of UTC days).
#include "dealstat/data/deal_day_index.hpp"

#include <algorithm>
#include <limits>

#include "dealstat/core/types.hpp"

namespace dealstat {
inline namespace v1 {

namespace {
// Floor of a / b for b > 0.
std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
}  // namespace

DealDayIndex DealDayIndex::build(std::size_t pipelines, std::span<const std::uint32_t> pipeline,
                                 std::span<const std::int64_t> created_at, std::span<const std::int64_t> closed_at,
                                 std::span<const std::uint8_t> skip) {
  DealDayIndex x;
  x.pipelines = static_cast<std::uint32_t>(pipelines);
  const std::size_t n = created_at.size();
  const bool by_close = !closed_at.empty();
  auto key = [&](std::size_t i) { return by_close && closed_at[i] != kNoTime ? closed_at[i] : created_at[i]; };
  // The day range of the keys (one pass; the columns are read again below while still warm in part).
  std::int64_t lo = std::numeric_limits<std::int64_t>::max(), hi = std::numeric_limits<std::int64_t>::min();
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (skip[i]) continue;
    const std::int64_t t = key(i);
    lo = std::min(lo, t);
    hi = std::max(hi, t);
    ++kept;
  }
  if (kept == 0 || pipelines == 0) {
    x.offset.assign(1, 0);
    return x;
  }
  x.base_s = floor_div(lo, kDayS) * kDayS;
  const std::uint64_t days = static_cast<std::uint64_t>(floor_div(hi, kDayS) - floor_div(lo, kDayS)) + 1;
  // The smallest shift keeping pipelines x buckets within max(4096, deals / 4).
  const std::uint64_t limit = std::max<std::uint64_t>(4096, n / 4);
  while (pipelines * (((days - 1) >> x.shift) + 1) > limit && (days - 1) >> x.shift > 0) ++x.shift;
  x.buckets = static_cast<std::uint32_t>(((days - 1) >> x.shift) + 1);
  const std::size_t keys = pipelines * x.buckets;
  // Counting sort: counts per key, prefix sums, then each row at its key's next position (stable).
  x.offset.assign(keys + 1, 0);
  for (std::size_t i = 0; i < n; ++i)
    if (!skip[i]) ++x.offset[static_cast<std::size_t>(pipeline[i]) * x.buckets + x.bucket_of(key(i)) + 1];
  for (std::size_t k = 0; k < keys; ++k) x.offset[k + 1] += x.offset[k];
  std::vector<std::uint32_t> next(x.offset.begin(), x.offset.end() - 1);
  x.rows.resize(kept);
  for (std::size_t i = 0; i < n; ++i)
    if (!skip[i]) x.rows[next[static_cast<std::size_t>(pipeline[i]) * x.buckets + x.bucket_of(key(i))]++] = static_cast<std::uint32_t>(i);
  return x;
}

}  // namespace v1
}  // namespace dealstat
