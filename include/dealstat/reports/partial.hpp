// Mergeable partial reports: the accumulate -> merge -> finalize shape every
// per-deal report has, made public so a report can run across machines
// (Dask, Spark, any engine that maps over partitions and reduces).
//
//   ReportPartial p = ReportPartial::make(partition, options);  // pins data-wide defaults
//   p.accumulate(partition);                                     // every row of the partition
//   bytes = p.serialize();                                       // portable, versioned
//   q = ReportPartial::deserialize(bytes); q.merge(other);       // exact, in any order
//   ReportResult r = q.finalize(entities);                       // the report
//
// The partitioning rule (docs/distributed.md): every row of one deal (the
// deal, its stage changes, its tasks, its events, the unsorted item it came
// from) sits in the same partition; the entity tables that are not deals
// (users, pipelines, stages, the account) are replicated to every partition;
// every other row (contacts, companies, tasks without a deal, customers with
// their purchases) sits in exactly one partition. Accounts are independent.
//
// Exactness: counts, sums, budgets, means and Kaplan-Meier states (the
// funnel's, on its hour grid) merge exactly. Medians are exact as long as a
// partial stays in one process; once serialized, each duration multiset becomes a DDSketch with relative
// accuracy kPartialSketchAlpha (0.5%): a median finalized from bytes is
// within 0.5% (relative) of the exact lower middle order statistic
// x_(floor((n - 1) / 2)).
//
// Bytes: magic "DSRP", u16 format version, u8 report kind, u8 flags, u64
// FNV-1a hash of the pinned options, u64 fingerprint of the entity tables,
// the options, then the report's state; fixed little-endian, no pointers.
// A newer format version is refused with Error(unsupported_version).
//
// Supported: funnel, stage_time, movement, employees, unsorted, summary,
// forecast (its history statistics -- model counts per origin, cell and day
// slot, daily series -- add up; the models are fitted at finalize from the
// merged counts; docs/distributed.md). Not partial: events_list (newest-first
// paging with a stable cursor over the whole log is not a per-deal fold; run
// it on one machine, or per account).
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string_view>
#include <variant>
#include <vector>

#include "dealstat/core/export.hpp"
#include "dealstat/core/table.hpp"
#include "dealstat/data/dataset.hpp"
#include "dealstat/forecast/forecast.hpp"
#include "dealstat/reports/employees.hpp"
#include "dealstat/reports/funnel.hpp"
#include "dealstat/reports/movement.hpp"
#include "dealstat/reports/stage_time.hpp"
#include "dealstat/reports/summary.hpp"
#include "dealstat/reports/unsorted_report.hpp"

namespace dealstat {
inline namespace v1 {

//! The reports that have a partial state. Values are part of the byte format: only ever appended.
enum class ReportKind : std::uint8_t {
  funnel = 1,      //!< funnel()
  stage_time = 2,  //!< stage_time()
  movement = 3,    //!< movement()
  employees = 4,   //!< employees()
  unsorted = 5,    //!< unsorted_report()
  summary = 6,     //!< summary()
  forecast = 7,    //!< forecast() (with its backtest)
};

//! Name of a report kind ("stage_time").
DEALSTAT_API const char* report_kind_name(ReportKind kind);
//! Parses a report kind name; throws Error(invalid_option) naming "report".
DEALSTAT_API ReportKind parse_report_kind(std::string_view name);

//! Relative accuracy of the quantile sketches in serialized partials (0.5%).
inline constexpr double kPartialSketchAlpha = 0.005;

//! Options of any partial-capable report.
using ReportOptions =
    std::variant<FunnelOptions, StageTimeOptions, MovementOptions, EmployeesOptions, UnsortedOptions, SummaryOptions,
                 ForecastOptions>;
//! The result of any partial-capable report.
using ReportResult =
    std::variant<FunnelResult, StageTimeResult, MovementResult, EmployeesResult, UnsortedResult, SummaryResult,
                 ForecastResult>;

//! The tables of any report result (its to_tables()).
DEALSTAT_API std::vector<ResultTable> result_tables(const ReportResult& result);

//! Instants a report's defaults are taken from, over one partition: merged by max/min across partitions.
struct PartialBounds {
  std::int64_t last = 0;  //!< the report's default as-of on this partition (its latest instant)
  std::int64_t first = std::numeric_limits<std::int64_t>::max();  //!< the report's earliest instant (default period start of movement/summary; the forecast's first day); INT64_MAX if none
  //! Folds another partition's bounds in (max of last, min of first).
  void merge(const PartialBounds& o) {
    if (o.last > last) last = o.last;
    if (o.first < first) first = o.first;
  }
};

//! A report's partial state over some of the rows of an account.
class DEALSTAT_API ReportPartial {
 public:
  //! An empty partial for `options` (validated against `dataset`; throws Error(invalid_option)).
  //! Defaults that depend on all the data (the as-of, an open period start) are pinned from
  //! bounds(kind, dataset): right for one machine. For a distributed run use the overload below.
  static ReportPartial make(const Dataset& dataset, const ReportOptions& options);
  //! As above, with the defaults pinned from `bounds` merged over every partition (or the
  //! as-of given in `options`), so that partials of the partitions agree and merge.
  static ReportPartial make(const Dataset& dataset, const ReportOptions& options, const PartialBounds& bounds);
  //! The bounds of one partition that the report's defaults come from.
  static PartialBounds bounds(ReportKind kind, const Dataset& dataset);

  ReportPartial(ReportPartial&&) noexcept;
  ReportPartial& operator=(ReportPartial&&) noexcept;
  //! A deep copy.
  ReportPartial(const ReportPartial& other);
  ReportPartial& operator=(const ReportPartial& other);
  ~ReportPartial();

  //! Which report.
  ReportKind kind() const noexcept { return kind_; }
  //! The options with their defaults pinned (what the hash covers).
  const ReportOptions& options() const;
  //! Size of the report's row space on `dataset`: deal rows first (funnel, stage time, movement, forecast:
  //! deals; employees: deals then tasks; unsorted: unsorted items; summary: deals, tasks, contacts,
  //! companies, customers, invoices, purchases).
  std::size_t rows(const Dataset& dataset) const;
  //! Adds rows [begin, end) of the row space of `dataset` (a partition of the account).
  void accumulate(const Dataset& dataset, std::size_t begin, std::size_t end);
  //! Adds every row of `dataset`, on `threads` threads (0 = all cores).
  void accumulate(const Dataset& dataset, unsigned threads = 1);
  //! Folds another partial of the same report, options and entity tables in (exact, any order).
  //! Throws Error(invalid_option) naming "partial" when they differ.
  void merge(const ReportPartial& other);
  //! Portable bytes (see the banner).
  std::vector<std::uint8_t> serialize() const;
  //! Reads serialize()'s bytes: Error(unsupported_version) for a newer format, Error(parse) for bad bytes.
  static ReportPartial deserialize(std::span<const std::uint8_t> bytes);
  //! The report, from a dataset holding at least the same entity tables (users, pipelines, stages, account).
  //! Throws Error(invalid_option) naming "partial" when the entity tables differ.
  ReportResult finalize(const Dataset& entities) const;
  //! True while every median is exact (no part of the state went through bytes).
  bool exact() const;
  //! FNV-1a hash of the pinned options' bytes.
  std::uint64_t options_hash() const noexcept { return options_hash_; }
  //! Hash of the entity tables the rows were resolved against (ids, kinds, order).
  std::uint64_t entities_fingerprint() const noexcept { return fingerprint_; }

  //! The byte format version this build writes (2: the funnel's Kaplan-Meier state is on the hour grid).
  static constexpr std::uint16_t format_version = 2;

  //! Internal: the report's state (defined in src/reports/partial_state.hpp).
  struct State;

 private:
  ReportPartial(ReportKind kind, std::unique_ptr<State> state);
  ReportKind kind_;
  std::uint64_t options_hash_ = 0;
  std::uint64_t fingerprint_ = 0;
  std::unique_ptr<State> state_;
};

//! Hash of the entity tables (users, groups, pipelines, stages, account time zone): partials
//! resolved against tables with the same hash can merge.
DEALSTAT_API std::uint64_t entities_fingerprint(const Dataset& dataset);

}  // namespace v1
}  // namespace dealstat
