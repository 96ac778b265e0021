// Internal: the interface every report's partial state implements (the
// private State structs of funnel.cpp, stage_time.cpp, ... derive from it),
// and DurationSet, the exact-or-sketched multiset of durations the medians
// come from. Not installed.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "dealstat/reports/partial.hpp"
#include "dealstat/stats/descriptive.hpp"
#include "stats/byte_codec.hpp"

namespace dealstat {
inline namespace v1 {
namespace detail {

//! Durations in whole seconds: the exact values while in one process; a DDSketch (relative
//! accuracy kPartialSketchAlpha) once serialized. Count, sum and so the mean stay exact.
class DurationSet {
 public:
  //! Adds one duration (>= 0).
  void add(std::int64_t v) {
    ++count_;
    sum_ += v;
    if (sketch_) sketch_->add(static_cast<double>(std::max<std::int64_t>(v, 0)));
    else values_.push_back(v);
  }
  //! Folds another set in; exact unless either side is sketched.
  void merge(const DurationSet& o) {
    count_ += o.count_;
    sum_ += o.sum_;
    if (!sketch_ && !o.sketch_) {
      values_.insert(values_.end(), o.values_.begin(), o.values_.end());
      return;
    }
    to_sketch();
    if (o.sketch_) sketch_->merge(*o.sketch_);
    else
      for (auto v : o.values_) sketch_->add(static_cast<double>(std::max<std::int64_t>(v, 0)));
  }
  //! Values added.
  std::int64_t count() const noexcept { return count_; }
  //! True while the values are kept exactly.
  bool exact() const noexcept { return !sketch_; }
  //! Exact mean (the same long double division as detail::mean); NaN when empty.
  double mean() const {
    if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
    return static_cast<double>(static_cast<long double>(sum_) / static_cast<long double>(count_));
  }
  //! Exact median, or the sketch's lower-middle quantile; NaN when empty.
  double median() const {
    if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
    if (sketch_) return sketch_->quantile(0.5);
    // The average of the two middle values for an even count (as detail/median.hpp's median_inplace).
    std::vector<std::int64_t> v = values_;
    const std::size_t mid = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
    const double hi = static_cast<double>(v[mid]);
    if (v.size() % 2 == 1) return hi;
    const double lo = static_cast<double>(*std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid)));
    return (lo + hi) / 2.0;
  }
  //! Writes the sketched form: i64 count, i64 sum, u64 n, n bytes of DDSketch.
  void write(ByteWriter& w) const {
    w.uint(static_cast<std::uint64_t>(count_));
    w.uint(static_cast<std::uint64_t>(sum_));
    std::vector<std::uint8_t> b;
    if (sketch_) {
      b = sketch_->serialize();
    } else {
      DDSketch s(kPartialSketchAlpha);
      for (auto v : values_) s.add(static_cast<double>(std::max<std::int64_t>(v, 0)));
      b = s.serialize();
    }
    w.uint(static_cast<std::uint64_t>(b.size()));
    w.bytes(b);
  }
  //! Reads write()'s form (sketched).
  static DurationSet read(ByteReader& r) {
    DurationSet d;
    d.count_ = static_cast<std::int64_t>(r.uint<std::uint64_t>());
    d.sum_ = static_cast<std::int64_t>(r.uint<std::uint64_t>());
    const auto n = r.uint<std::uint64_t>();
    d.sketch_ = DDSketch::deserialize(r.bytes(n));
    if (d.sketch_->alpha() != kPartialSketchAlpha) r.fail("unexpected sketch accuracy");
    if (static_cast<std::int64_t>(d.sketch_->count()) != d.count_) r.fail("sketch count does not match");
    return d;
  }

 private:
  void to_sketch() {
    if (sketch_) return;
    sketch_.emplace(kPartialSketchAlpha);
    for (auto v : values_) sketch_->add(static_cast<double>(std::max<std::int64_t>(v, 0)));
    values_.clear();
    values_.shrink_to_fit();
  }
  std::int64_t count_ = 0, sum_ = 0;
  std::vector<std::int64_t> values_;
  std::optional<DDSketch> sketch_;
};

//! Writes a vector of int64 as u64 n + n x i64.
inline void write_i64s(ByteWriter& w, const std::vector<std::int64_t>& v) {
  w.uint(static_cast<std::uint64_t>(v.size()));
  for (auto x : v) w.uint(static_cast<std::uint64_t>(x));
}
//! Reads write_i64s()'s form; the count must equal `expected` unless it is SIZE_MAX.
inline std::vector<std::int64_t> read_i64s(ByteReader& r, std::size_t expected = SIZE_MAX) {
  const auto n = r.uint<std::uint64_t>();
  if (expected != SIZE_MAX && n != expected) r.fail("array length does not match");
  if (n > r.remaining() / 8) r.fail("truncated input");
  std::vector<std::int64_t> v(static_cast<std::size_t>(n));
  for (auto& x : v) x = static_cast<std::int64_t>(r.uint<std::uint64_t>());
  return v;
}
//! Adds b into a element by element (same sizes).
inline void add_into(std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) a[i] += b[i];
}

//! An empty state of `kind` for pinned `options` sized for `ds` (made by each report's .cpp).
std::unique_ptr<ReportPartial::State> make_funnel_state(const Dataset& ds, const FunnelOptions& o, std::int64_t first);
std::unique_ptr<ReportPartial::State> make_stage_time_state(const Dataset& ds, const StageTimeOptions& o, std::int64_t first);
std::unique_ptr<ReportPartial::State> make_movement_state(const Dataset& ds, const MovementOptions& o, std::int64_t first);
std::unique_ptr<ReportPartial::State> make_employees_state(const Dataset& ds, const EmployeesOptions& o, std::int64_t first);
std::unique_ptr<ReportPartial::State> make_unsorted_state(const Dataset& ds, const UnsortedOptions& o, std::int64_t first);
std::unique_ptr<ReportPartial::State> make_summary_state(const Dataset& ds, const SummaryOptions& o, std::int64_t first);
std::unique_ptr<ReportPartial::State> make_forecast_state(const Dataset& ds, const ForecastOptions& o, std::int64_t first);
//! Empty states for reading bytes into (no dataset: sizes come from the bytes).
std::unique_ptr<ReportPartial::State> blank_funnel_state();
std::unique_ptr<ReportPartial::State> blank_stage_time_state();
std::unique_ptr<ReportPartial::State> blank_movement_state();
std::unique_ptr<ReportPartial::State> blank_employees_state();
std::unique_ptr<ReportPartial::State> blank_unsorted_state();
std::unique_ptr<ReportPartial::State> blank_summary_state();
std::unique_ptr<ReportPartial::State> blank_forecast_state();

}  // namespace detail

//! A report's partial state: the options it was made with, the pinned earliest instant, and the
//! report's accumulators. The report functions run it through accumulate_parallel and finalize it.
struct ReportPartial::State {
  ReportOptions options;                                   //!< with as_of pinned
  std::int64_t first = std::numeric_limits<std::int64_t>::max();  //!< pinned earliest instant (open period start)

  virtual ~State() = default;
  //! A deep copy.
  virtual std::unique_ptr<State> clone() const = 0;
  //! An empty state with the same options and sizes (for another thread).
  virtual std::unique_ptr<State> empty_like() const = 0;
  //! Resolves what add_rows needs on `ds` (the filter, the shape); kept until release().
  virtual void prepare(const Dataset& ds) = 0;
  //! Drops what prepare() resolved.
  virtual void release() = 0;
  //! Size of the row space on `ds`.
  virtual std::size_t rows(const Dataset& ds) const = 0;
  //! Adds rows [b, e) of `ds`'s row space.
  virtual void add_rows(const Dataset& ds, std::size_t b, std::size_t e) = 0;
  //! Folds a state of the same kind, options and entity tables in.
  virtual void merge_from(const State& o) = 0;
  //! Writes the accumulators.
  virtual void write(detail::ByteWriter& w) const = 0;
  //! Reads write()'s accumulators into this (empty) state.
  virtual void read(detail::ByteReader& r) = 0;
  //! The report.
  virtual ReportResult finalize(const Dataset& ds) const = 0;
  //! True while every median is exact.
  virtual bool exact() const = 0;
};

}  // namespace v1
}  // namespace dealstat
