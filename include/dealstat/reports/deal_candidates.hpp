// DealCandidates: the deal rows a report must test with DealSelector::selects,
// as DealSelector::candidates() finds them through the dataset's day index
// (DealDayIndex): a superset of the selected rows, visited in ascending row
// order, restricted to any row range (a thread's share, a partial's rows), and
// split into runs of about equal size for the threads. When the index does
// not narrow the rows enough (docs/reports.md, "Candidate rows") it stands
// for every row and visiting it is the plain loop.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "dealstat/core/export.hpp"

namespace dealstat {
inline namespace v1 {

//! A set of deal rows in ascending order: every row of [0, rows) or a bitmap over a band of rows.
class DEALSTAT_API DealCandidates {
 public:
  //! Every row of [0, rows).
  static DealCandidates all_rows(std::size_t rows);
  //! The rows listed (any order, no duplicates, each < rows).
  template <class Lists>
  static DealCandidates of_lists(std::size_t rows, const Lists& lists);

  //! True when it stands for every row (the index did not narrow them).
  bool all() const noexcept { return all_; }
  //! Number of rows in the set.
  std::size_t size() const noexcept { return count_; }
  //! Size of the row space [0, rows).
  std::size_t rows() const noexcept { return rows_; }

  //! Calls f(row) for every row of the set in [b, e), in ascending order.
  template <class F>
  void for_each(std::size_t b, std::size_t e, F&& f) const {
    if (all_) {
      for (std::size_t i = b; i < e && i < rows_; ++i) f(i);
      return;
    }
    b = b < lo_ ? lo_ : b;
    e = e > hi_ ? hi_ : e;
    if (b >= e) return;
    const std::size_t base = lo_ & ~std::size_t{63};
    const std::size_t w0 = (b - base) >> 6, w1 = (e - 1 - base) >> 6;
    for (std::size_t w = w0; w <= w1; ++w) {
      std::uint64_t bits = words_[w];
      if (w == w0) bits &= ~std::uint64_t{0} << ((b - base) & 63);
      if (w == w1) bits &= ~std::uint64_t{0} >> (63 - ((e - 1 - base) & 63));
      while (bits) {
        f(base + (w << 6) + static_cast<std::size_t>(std::countr_zero(bits)));
        bits &= bits - 1;
      }
    }
  }

  //! parts + 1 row boundaries 0 = r0 <= r1 <= ... <= r_parts = rows() such that each [r_k, r_k+1) holds
  //! about size() / parts of the rows (equal row counts when all()).
  std::vector<std::size_t> split(std::size_t parts) const;

 private:
  void set(std::size_t row) { words_[(row - (lo_ & ~std::size_t{63})) >> 6] |= std::uint64_t{1} << (row & 63); }
  void band(std::size_t lo, std::size_t hi);  // allocates the bitmap for rows [lo, hi)
  std::size_t rows_ = 0;
  bool all_ = true;
  std::size_t count_ = 0;
  std::size_t lo_ = 0, hi_ = 0;         // the band of rows the bitmap covers: [lo_, hi_)
  std::vector<std::uint64_t> words_;    // bit (row - floor64(lo_)) set = row in the set
};

template <class Lists>
DealCandidates DealCandidates::of_lists(std::size_t rows, const Lists& lists) {
  std::size_t lo = rows, hi = 0, count = 0;
  for (const auto& list : lists)
    for (auto r : list) {
      lo = r < lo ? r : lo;
      hi = r + 1 > hi ? r + 1 : hi;
      ++count;
    }
  DealCandidates c;
  c.rows_ = rows;
  c.all_ = false;
  c.count_ = count;
  if (count == 0) return c;
  c.band(lo, hi);
  for (const auto& list : lists)
    for (auto r : list) c.set(r);
  return c;
}

}  // namespace v1
}  // namespace dealstat
