// Unsorted (Неразобранное, SPEC section 9): incoming items per source channel
// and overall: how many arrived, were accepted, declined or are still
// pending at the as-of instant; the acceptance rate with its Wilson
// interval; mean and median processing time (resolved_at - created_at) of
// the resolved items; and how many accepted items became won deals.
//
// Rules (docs/reports-employees-unsorted.md, "Unsorted"):
//   - an item counts when its created_at falls in the filter's period and is
//     at or before as-of (an item that has not arrived yet does not exist);
//   - its state is taken at as-of: accepted / declined when resolved_at <=
//     as-of, pending otherwise (an item resolved after as-of is pending);
//   - acceptance rate = accepted / (accepted + declined); pending items are
//     left out of it, and out of the processing times;
//   - an accepted item "became won" when its deal (deal_id) is in the dataset,
//     not deleted, and its current stage is won; the won budget is that deal's;
//   - filter: period (by the item's created_at), channels, pipeline (the
//     item's pipeline, else its deal's). Users, groups, tags, a status or a
//     date basis do not describe items: setting one is an error naming it;
//   - channel rows are sorted by items (most first), then by channel name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dealstat/core/export.hpp"
#include "dealstat/core/table.hpp"
#include "dealstat/data/dataset.hpp"
#include "dealstat/reports/filter.hpp"

namespace dealstat {
inline namespace v1 {

//! Options of the unsorted report.
struct UnsortedOptions {
  DealFilter filter;                //!< period, channels and pipeline only (see the banner)
  std::optional<Timestamp> as_of;   //!< default: the latest instant of deals, paths and unsorted items
  double confidence = 0.95;         //!< level of the Wilson interval
  unsigned threads = 0;             //!< 0 = all cores
};

//! One channel's (or the overall) figures.
struct UnsortedChannelRow {
  std::string channel;                 //!< channel name ("" for the overall row is shown as "(all)")
  std::int64_t items = 0;              //!< items that arrived in the period
  double items_share_pct = 0;          //!< share of all items, % (NaN when there are none)
  std::int64_t accepted = 0;           //!< accepted by as-of
  std::int64_t declined = 0;           //!< declined by as-of
  std::int64_t pending = 0;            //!< not resolved at as-of
  double acceptance_rate_pct = 0;      //!< accepted / (accepted + declined), % (NaN when none resolved)
  double acceptance_rate_lower_pct = 0;  //!< Wilson lower bound, %
  double acceptance_rate_upper_pct = 0;  //!< Wilson upper bound, %
  double mean_processing_s = 0;        //!< mean resolved_at - created_at of resolved items (NaN when none)
  double median_processing_s = 0;      //!< median of the same (NaN when none)
  std::int64_t won_deals = 0;          //!< accepted items whose deal's current stage is won
  std::int64_t won_budget_minor = 0;   //!< those deals' budgets
  double won_pct = 0;                  //!< won_deals / accepted, % (NaN when none accepted)
};

//! The unsorted report.
struct UnsortedResult {
  std::int64_t as_of_s = 0;            //!< the instant the states were taken at
  std::vector<UnsortedChannelRow> channels;   //!< per channel, most items first
  UnsortedChannelRow overall;                 //!< all channels together
  //! Tables "unsorted" (channels, then the overall row named "(all)").
  std::vector<ResultTable> to_tables() const;
};

//! Computes the unsorted report; throws Error(invalid_option) naming a bad option.
DEALSTAT_API UnsortedResult unsorted_report(const Dataset& dataset, const UnsortedOptions& options = {});

}  // namespace v1
}  // namespace dealstat
