// Internal: the interface every report's partial state implements (the
// private State structs of funnel.cpp, stage_time.cpp, ... derive from it),
// and DurationSet, the exact-or-sketched multiset of durations the medians
// come from. Not installed.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

#include "dealstat/reports/partial.hpp"
#include "dealstat/stats/descriptive.hpp"
#include "stats/byte_codec.hpp"

namespace dealstat {
inline namespace v1 {
namespace detail {

//! Durations in whole seconds, with an exact mean and a median that is exact in one process.
//! Three modes:
//!   - values (the default; ReportPartial's public path): every value is kept; a DDSketch
//!     (relative accuracy kPartialSketchAlpha) once serialized or merged with a sketched set;
//!   - histogram (pass 1 of the report functions' two-pass exact median): counts per
//!     log-linear bin (kBins bins: exact below 128 s, then 128 bins per power of two, so a bin
//!     spans less than 1/128 of its values), bounded memory, merged by adding;
//!   - select (pass 2): after plan() found the bin(s) holding the middle rank(s), only values
//!     falling in those bins are kept (take_picks() gathers them), and median() picks the exact
//!     middle values among them.
//! Count, sum and so the mean are exact in every mode.
class DurationSet {
 public:
  //! Number of histogram bins (bin 0: negative values; 1..128: 0..127 s exactly; then 128 per octave).
  static constexpr std::size_t kBins = 1 + 128 + 56 * 128;
  //! Histogram bin of v (monotone in v).
  static std::size_t bin_of(std::int64_t v) noexcept {
    if (v < 0) return 0;
    const auto u = static_cast<std::uint64_t>(v);
    if (u < 128) return 1 + static_cast<std::size_t>(u);
    const int shift = 63 - std::countl_zero(u) - 7;  // >= 0
    return 1 + 128 + static_cast<std::size_t>(shift) * 128 + static_cast<std::size_t>((u >> shift) - 128);
  }

  //! Smallest value of histogram bin b (b < kBins; bin 0 holds every negative value).
  static std::int64_t bin_low(std::size_t b) noexcept {
    if (b == 0) return std::numeric_limits<std::int64_t>::min();
    if (b <= 128) return static_cast<std::int64_t>(b - 1);
    const std::size_t k = b - 129;
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(128 + k % 128) << (k / 128));
  }

  //! Adds one duration (>= 0).
  void add(std::int64_t v) {
    ++count_;
    sum_ += v;
    switch (mode_) {
      case Mode::values:
        if (sketch_) sketch_->add(static_cast<double>(std::max<std::int64_t>(v, 0)));
        else values_.push_back(v);
        return;
      case Mode::histogram:
        if (hist_.empty()) hist_.assign(kBins, 0);
        ++hist_[bin_of(v)];
        return;
      case Mode::select: {
        const std::size_t b = bin_of(v);
        if (b >= sel_lo_ && b <= sel_hi_) picked_.push_back(v);
        return;
      }
    }
  }
  //! Switches an empty set to histogram mode (pass 1 of the two-pass median).
  void use_histogram() {
    if (count_ != 0 || mode_ != Mode::values || sketch_) throw std::logic_error("DurationSet::use_histogram on a used set");
    mode_ = Mode::histogram;
  }
  //! After pass 1 (histogram mode, all merged): finds the bin(s) of the middle rank(s) and switches
  //! to select mode. Returns true when a second pass must pick values (count > 0).
  bool plan() {
    if (mode_ != Mode::histogram) return false;
    mode_ = Mode::select;
    if (count_ == 0) return false;
    const std::int64_t lo_rank = (count_ - 1) / 2, hi_rank = count_ / 2;
    std::int64_t below = 0;
    std::size_t b = 0;
    while (below + hist_[b] <= lo_rank) below += hist_[b++];
    sel_lo_ = b;
    below_ = below;
    std::int64_t upto = below;
    while (upto + hist_[b] <= hi_rank) upto += hist_[b++];
    sel_hi_ = b;
    expected_picks_ = hist_[sel_lo_] + (sel_hi_ != sel_lo_ ? hist_[sel_hi_] : 0);
    hist_.clear();
    hist_.shrink_to_fit();
    return true;
  }
  //! An empty pass-2 set picking the values in `planned`'s bins.
  static DurationSet select_like(const DurationSet& planned) {
    DurationSet d;
    d.mode_ = Mode::select;
    d.sel_lo_ = planned.sel_lo_;
    d.sel_hi_ = planned.sel_hi_;
    return d;
  }
  //! Pass 2 from values kept elsewhere (planned set, select mode): keeps those of `values` that fall in
  //! the picked bins. The values were already counted in pass 1, so count and sum do not change.
  void pick(std::span<const std::int64_t> values) {
    if (mode_ != Mode::select) throw std::logic_error("DurationSet::pick before plan()");
    if (sel_lo_ > sel_hi_) return;
    // v is picked when lo <= v <= hi, i.e. v - lo <= hi - lo in unsigned arithmetic; written without a
    // branch (store every value, advance past the picked ones).
    const auto lo = static_cast<std::uint64_t>(bin_low(sel_lo_));
    const auto hi = static_cast<std::uint64_t>(
        sel_hi_ + 1 < kBins ? bin_low(sel_hi_ + 1) - 1 : std::numeric_limits<std::int64_t>::max());
    std::size_t n = picked_.size();
    picked_.resize(n + values.size());
    std::int64_t* out = picked_.data();
    for (const std::int64_t v : values) {
      out[n] = v;
      n += static_cast<std::uint64_t>(v) - lo <= hi - lo ? 1 : 0;
    }
    picked_.resize(n);
  }
  //! Takes the values pass 2 picked (a select_like set) into this planned set.
  void take_picks(DurationSet& pass2) {
    if (picked_.empty()) picked_ = std::move(pass2.picked_);
    else picked_.insert(picked_.end(), pass2.picked_.begin(), pass2.picked_.end());
    pass2.picked_.clear();
  }
  //! Folds another set in; exact unless either side is sketched (both sides in the same mode,
  //! or a values set into another).
  void merge(const DurationSet& o) {
    count_ += o.count_;
    sum_ += o.sum_;
    if (mode_ == Mode::histogram) {
      if (o.hist_.empty()) return;
      if (hist_.empty()) hist_.assign(kBins, 0);
      for (std::size_t b = 0; b < kBins; ++b) hist_[b] += o.hist_[b];
      return;
    }
    if (mode_ == Mode::select) {
      picked_.insert(picked_.end(), o.picked_.begin(), o.picked_.end());
      return;
    }
    if (!sketch_ && !o.sketch_) {
      values_.insert(values_.end(), o.values_.begin(), o.values_.end());
      return;
    }
    to_sketch();
    if (o.sketch_) sketch_->merge(*o.sketch_);
    else
      for (auto v : o.values_) sketch_->add(static_cast<double>(std::max<std::int64_t>(v, 0)));
  }
  //! True in select mode (planned, or a pass-2 set).
  bool selecting() const noexcept { return mode_ == Mode::select; }
  //! Values added.
  std::int64_t count() const noexcept { return count_; }
  //! True while the median is exact (not sketched).
  bool exact() const noexcept { return !sketch_; }
  //! Exact mean (the same long double division as detail::mean); NaN when empty.
  double mean() const {
    if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
    return static_cast<double>(static_cast<long double>(sum_) / static_cast<long double>(count_));
  }
  //! Exact median (values, or select mode after pass 2), or the sketch's lower-middle quantile; NaN when empty.
  double median() const {
    if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
    if (sketch_) return sketch_->quantile(0.5);
    if (mode_ == Mode::histogram) throw std::logic_error("DurationSet::median before plan()");
    // The average of the two middle values for an even count (as detail/median.hpp's median_inplace).
    std::vector<std::int64_t> v = mode_ == Mode::select ? picked_ : values_;
    if (mode_ == Mode::select && static_cast<std::int64_t>(v.size()) != expected_picks_)
      throw std::logic_error("DurationSet: pass 2 picked a different number of values than pass 1 counted");
    const std::size_t base = mode_ == Mode::select ? static_cast<std::size_t>(below_) : 0;
    const std::size_t mid = static_cast<std::size_t>(count_ / 2) - base;  // rank of the upper middle among v
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
    const double hi = static_cast<double>(v[mid]);
    if (count_ % 2 == 1) return hi;
    // The lower middle (rank count/2 - 1) is the largest value before position mid (mid >= 1: in
    // select mode the picked bins hold both middle ranks).
    const double lo = static_cast<double>(*std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid)));
    return (lo + hi) / 2.0;
  }
  //! Writes the sketched form: i64 count, i64 sum, u64 n, n bytes of DDSketch (values mode only).
  void write(ByteWriter& w) const {
    if (mode_ != Mode::values) throw std::logic_error("DurationSet::write in a two-pass mode");
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
  enum class Mode : std::uint8_t { values, histogram, select };
  void to_sketch() {
    if (sketch_) return;
    sketch_.emplace(kPartialSketchAlpha);
    for (auto v : values_) sketch_->add(static_cast<double>(std::max<std::int64_t>(v, 0)));
    values_.clear();
    values_.shrink_to_fit();
  }
  Mode mode_ = Mode::values;
  std::int64_t count_ = 0, sum_ = 0;
  std::vector<std::int64_t> values_;  // values mode
  std::optional<DDSketch> sketch_;    // values mode, once sketched
  std::vector<std::int64_t> hist_;    // histogram mode: kBins counts (allocated on the first add)
  std::size_t sel_lo_ = 1, sel_hi_ = 0;  // select mode: bins [sel_lo_, sel_hi_] are picked (empty by default)
  std::int64_t below_ = 0;               // select mode: values in bins before sel_lo_
  std::int64_t expected_picks_ = 0;      // select mode: values pass 1 counted in the picked bins
  std::vector<std::int64_t> picked_;     // select mode: the picked values
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

//! How many won deals' times to close the employees report keeps in pass 1 of its two-pass medians, so
//! that pass 2 picks from them instead of scanning the rows again (2^20 = 8 MB by default; more won
//! deals in the period: pass 2 scans the rows). Tests lower it to exercise the scan.
extern DEALSTAT_API std::int64_t employees_keep_durations;

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
  //! After prepare(): parts + 1 boundaries from 0 to n = rows(ds) cutting the row space into ranges of
  //! about equal work, one per thread (default: equal row counts; the reports reading candidate rows
  //! cut at equal candidate counts, DealCandidates::split).
  virtual std::vector<std::size_t> split(const Dataset& ds, std::size_t n, unsigned parts) const {
    (void)ds;
    std::vector<std::size_t> r(parts + 1);
    for (unsigned k = 0; k <= parts; ++k) r[k] = n * k / (parts == 0 ? 1 : parts);
    return r;
  }
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

  // ---- two-pass exact medians (the report functions; detail::run_report) ----
  //! Every duration set of the state, in a fixed order (empty for reports without medians).
  virtual std::vector<detail::DurationSet*> duration_sets() { return {}; }
  //! Adds rows [b, e) in pass 2: only the duration sets matter (default: add_rows).
  virtual void add_selected_rows(const Dataset& ds, std::size_t b, std::size_t e) { add_rows(ds, b, e); }
  //! Switches an empty state's duration sets to histogram mode (pass 1).
  void use_histogram_medians() {
    histogram_medians = true;
    for (auto* d : duration_sets()) d->use_histogram();
  }
  //! After pass 1: plans every duration set's pass 2; true when a second pass is needed.
  bool plan_medians() {
    bool any = false;
    for (auto* d : duration_sets()) any = d->plan() || any;
    return any;
  }
  //! An empty pass-2 state picking the values this planned state's sets need.
  std::unique_ptr<State> selection_like() {
    auto s = empty_like();
    s->histogram_medians = histogram_medians;
    const auto mine = duration_sets();
    const auto theirs = s->duration_sets();
    for (std::size_t i = 0; i < mine.size() && i < theirs.size(); ++i) *theirs[i] = detail::DurationSet::select_like(*mine[i]);
    return s;
  }
  //! Takes the values a (merged) pass-2 state picked.
  void take_selected(State& pass2) {
    const auto mine = duration_sets();
    const auto theirs = pass2.duration_sets();
    for (std::size_t i = 0; i < mine.size() && i < theirs.size(); ++i) mine[i]->take_picks(*theirs[i]);
  }
  //! After plan_medians(): picks the middle values from what pass 1 kept of the durations, without
  //! another scan of the rows; false when pass 1 did not keep them all (default: never kept).
  virtual bool select_from_kept() { return false; }
  bool histogram_medians = false;  //!< set by use_histogram_medians (states may fill extra sets then)
};

namespace detail {
//! A report computed in one process: pinned defaults, pass 1 (histogram medians) on `threads`
//! threads, pass 2 picking the middle values when a median needs it, finalize.
ReportResult run_report(const Dataset& ds, const ReportOptions& options, unsigned threads);
}  // namespace detail

}  // namespace v1
}  // namespace dealstat
