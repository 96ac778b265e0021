// The common filter of SPEC section 2, taken by every report: period in
// local dates, pipeline, responsible users or groups, tags (any of), source
// channels, status, and the date basis that decides which deals fall in the
// period. DealSelector resolves a filter against one dataset once (names to
// codes, dates to instants, validating every option) and then answers "is
// deal i selected?" in O(1) per deal (O(tags) with a tag filter). With a
// period or a pipeline, candidates() gives the rows worth asking about, from
// the dataset's day index, so a report need not ask for every deal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dealstat/core/export.hpp"
#include "dealstat/core/types.hpp"
#include "dealstat/data/dataset.hpp"
#include "dealstat/reports/deal_candidates.hpp"
#include "dealstat/time/period.hpp"

namespace dealstat {
inline namespace v1 {

//! Which deals count by their state (SPEC section 2).
enum class StatusFilter : std::uint8_t { all = 0, active = 1, closed = 2, won = 3, lost = 4 };

//! Which date places a deal in the period (SPEC section 2).
enum class DateBasis : std::uint8_t {
  automatic = 0,  //!< amoCRM's rule: closed deals by closed_at, active deals by created_at ("auto")
  created = 1,    //!< every deal by created_at (cohort view)
  closed = 2,     //!< closed deals only, by closed_at
};

//! The common report filter. Empty lists mean "no restriction".
struct DealFilter {
  Period period;                          //!< [from, to) in local dates; open ends allowed
  std::string pipeline;                   //!< pipeline id or name; empty = all pipelines
  std::vector<std::int64_t> users;        //!< responsible user ids (any of)
  std::vector<std::string> groups;        //!< user group names (any of)
  std::vector<std::string> tags;          //!< tags (any of)
  std::vector<std::string> channels;      //!< source channels (any of)
  StatusFilter status = StatusFilter::all;      //!< by current state
  DateBasis date_basis = DateBasis::automatic;  //!< which date places a deal in the period
};

//! Parses "all|active|closed|won|lost"; throws Error(invalid_option) naming "status".
DEALSTAT_API StatusFilter parse_status_filter(std::string_view s);
//! Parses "auto|created|closed"; throws Error(invalid_option) naming "date_basis".
DEALSTAT_API DateBasis parse_date_basis(std::string_view s);
//! Name of a status filter ("active").
DEALSTAT_API const char* status_filter_name(StatusFilter s);
//! Name of a date basis ("auto").
DEALSTAT_API const char* date_basis_name(DateBasis b);

//! The part of every resolved filter that reads no option list per deal: the deal is not deleted and is
//! in the selected pipeline (any pipeline when the filter names none). Plain column pointers, so that a
//! scan can keep them in registers; valid while the dataset lives.
struct DealBaseTest {
  static constexpr std::uint32_t kAnyPipeline = 0xFFFFFFFFu;  //!< pipeline_row when no pipeline is selected
  const std::uint8_t* deleted = nullptr;        //!< the dataset's deals().deleted
  const std::uint32_t* pipeline = nullptr;      //!< the dataset's deals().pipeline
  std::uint32_t pipeline_row = kAnyPipeline;    //!< the selected pipeline's row, or kAnyPipeline
  //! True when deal row i is not deleted and in the selected pipeline.
  bool operator()(std::size_t i) const {
    return !deleted[i] && (pipeline_row == kAnyPipeline || pipeline[i] == pipeline_row);
  }
};

//! A filter resolved against one dataset; cheap per-deal test.
class DEALSTAT_API DealSelector {
 public:
  //! Resolves and validates the filter; throws Error(invalid_option) naming the bad option
  //! ("pipeline", "users", "groups", "to").
  DealSelector(const Dataset& dataset, const DealFilter& filter);
  //! As above; when the filter names no pipeline, selects `default_pipeline` (a row of the
  //! dataset's pipelines, e.g. the first for the funnel) without looking it up by name or id.
  DealSelector(const Dataset& dataset, const DealFilter& filter, PipelineIndex default_pipeline);
  //! True when deal row i passes every part of the filter (deleted deals never do).
  bool selects(std::size_t deal) const;
  //! True when deal row i passes everything but the period and status (for reports that bucket by event date).
  //! Inline: base_test(), then the users, channels and tags only when the filter has any.
  bool selects_ignoring_period(std::size_t deal) const {
    return base_(deal) && (only_base_ || selects_lists(deal));
  }
  //! True when the filter has no users, groups, tags or channels: selects_ignoring_period(i) is then
  //! exactly base_test()(i) (a scan may call that on its own copy of the pointers).
  bool only_deleted_and_pipeline() const { return only_base_; }
  //! The deleted-and-pipeline part of selects_ignoring_period(), as column pointers.
  const DealBaseTest& base_test() const { return base_; }
  //! The rows selects() may accept, in ascending order: from the dataset's day index of the basis
  //! (Dataset::deals_by_auto_day for auto and closed, deals_by_created_day for created), the deals of the
  //! selected pipeline (or of every pipeline) keyed in the UTC days overlapping the period (open ends: up
  //! to the first or last day). A superset of the selected rows: test each with selects(). Every row when
  //! that set would hold more than half the deals (docs/reports.md, "Candidate rows"). O(candidates +
  //! their row band / 64); the set takes one bit per row of its band.
  DealCandidates candidates() const;
  //! The selected pipeline's row, when the filter names one.
  std::optional<PipelineIndex> pipeline() const { return pipeline_; }
  //! The period as instants in the account's time zone.
  const InstantRange& range() const { return range_; }

 private:
  bool selects_lists(std::size_t deal) const;  // the users/groups, channels and tags parts
  void set_base();                             // base_ and only_base_ from the resolved filter

  const Dataset& ds_;
  DateBasis basis_;
  StatusFilter status_;
  InstantRange range_;
  std::optional<PipelineIndex> pipeline_;
  std::vector<std::uint8_t> user_ok_;     // by UserIndex; empty = any
  std::vector<std::uint8_t> tag_ok_;      // by StrCode; empty = any
  std::vector<std::uint8_t> channel_ok_;  // by StrCode; empty = any
  DealBaseTest base_;                     // set_base()
  bool only_base_ = true;                 // user_ok_, tag_ok_ and channel_ok_ all empty
};

//! The latest instant recorded anywhere in the dataset's deals and paths: the default as-of of reports.
DEALSTAT_API Timestamp dataset_end(const Dataset& dataset);

}  // namespace v1
}  // namespace dealstat
