// The unsorted report: accumulate per-channel figures over ranges of items, merge, finalize.
#include "dealstat/reports/unsorted_report.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "dealstat/core/error.hpp"
#include "dealstat/stats/wilson.hpp"
#include "detail/median.hpp"
#include "detail/parallel.hpp"

namespace dealstat {
inline namespace v1 {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint32_t kNone = 0xFFFFFFFFu;

struct ChannelAcc {
  std::int64_t items = 0, accepted = 0, declined = 0, pending = 0, won = 0, won_budget = 0;
  std::vector<std::int64_t> processing;
  void add(const ChannelAcc& o) {
    items += o.items;
    accepted += o.accepted;
    declined += o.declined;
    pending += o.pending;
    won += o.won;
    won_budget += o.won_budget;
    processing.insert(processing.end(), o.processing.begin(), o.processing.end());
  }
};

struct Context {
  const Dataset* ds;
  InstantRange range;
  std::int64_t as_of;
  std::optional<std::uint32_t> pipeline;
  std::vector<std::uint8_t> channel_ok;  // by StrCode; empty = any
};

struct UnsortedState {
  const Context* cx;
  std::unordered_map<StrCode, ChannelAcc> by_channel;

  explicit UnsortedState(const Context& c) : cx(&c) {}

  void add_range(std::size_t b, std::size_t e) {
    const auto& u = cx->ds->unsorted();
    const auto& d = cx->ds->deals();
    for (std::size_t i = b; i < e; ++i) {
      const std::int64_t created = u.created_at[i];
      if (created > cx->as_of || !cx->range.contains(created)) continue;
      if (!cx->channel_ok.empty() && !cx->channel_ok[u.channel[i]]) continue;
      // The deal is looked up only when needed (a binary search over the deal ids).
      std::optional<DealIndex> deal;
      bool looked_up = false;
      auto find = [&] {
        if (!looked_up && u.deal_id[i] != kNoId) deal = cx->ds->find_deal(DealId{u.deal_id[i]});
        looked_up = true;
      };
      if (cx->pipeline) {
        std::uint32_t p = u.pipeline[i];
        if (p == kNone) {
          find();
          if (deal) p = d.pipeline[deal->value];
        }
        if (p != *cx->pipeline) continue;
      }
      ChannelAcc& a = by_channel[u.channel[i]];
      ++a.items;
      const std::int64_t resolved = u.resolved_at[i];
      const bool done = u.outcome[i] != UnsortedOutcome::pending && resolved != kNoTime && resolved <= cx->as_of;
      if (!done) {
        ++a.pending;
        continue;
      }
      a.processing.push_back(resolved - created);
      if (u.outcome[i] == UnsortedOutcome::declined) {
        ++a.declined;
        continue;
      }
      ++a.accepted;
      find();
      if (deal && !d.deleted[deal->value] && cx->ds->deal_kind(deal->value) == StageKind::won) {
        ++a.won;
        a.won_budget += d.budget_minor[deal->value];
      }
    }
  }

  void merge(const UnsortedState& o) {
    for (const auto& [code, acc] : o.by_channel) by_channel[code].add(acc);
  }
};

UnsortedChannelRow make_row(std::string channel, ChannelAcc& a, double confidence) {
  UnsortedChannelRow r;
  r.channel = std::move(channel);
  r.items = a.items;
  r.accepted = a.accepted;
  r.declined = a.declined;
  r.pending = a.pending;
  r.won_deals = a.won;
  r.won_budget_minor = a.won_budget;
  const std::int64_t resolved = a.accepted + a.declined;
  r.acceptance_rate_pct = r.acceptance_rate_lower_pct = r.acceptance_rate_upper_pct = kNaN;
  if (resolved > 0) {
    r.acceptance_rate_pct = 100.0 * static_cast<double>(a.accepted) / static_cast<double>(resolved);
    const auto w = wilson_interval(a.accepted, resolved, confidence);
    r.acceptance_rate_lower_pct = 100.0 * w.lower;
    r.acceptance_rate_upper_pct = 100.0 * w.upper;
  }
  r.mean_processing_s = detail::mean(a.processing);
  r.median_processing_s = detail::median_inplace(a.processing);
  r.won_pct = a.accepted > 0 ? 100.0 * static_cast<double>(a.won) / static_cast<double>(a.accepted) : kNaN;
  return r;
}

}  // namespace

UnsortedResult unsorted_report(const Dataset& ds, const UnsortedOptions& opt) {
  if (!(opt.confidence > 0 && opt.confidence < 1))
    throw Error::bad_option("confidence", std::to_string(opt.confidence), "must be between 0 and 1");
  const DealFilter& f = opt.filter;
  const char* why = "unsorted items are filtered by period, channels and pipeline only";
  if (!f.users.empty()) throw Error::bad_option("users", std::to_string(f.users.front()), why);
  if (!f.groups.empty()) throw Error::bad_option("groups", f.groups.front(), why);
  if (!f.tags.empty()) throw Error::bad_option("tags", f.tags.front(), why);
  if (f.status != StatusFilter::all) throw Error::bad_option("status", status_filter_name(f.status), why);
  if (f.date_basis != DateBasis::automatic)
    throw Error::bad_option("date_basis", date_basis_name(f.date_basis), why);
  const DealSelector selector(ds, f);  // validates the period and the pipeline

  Context cx;
  cx.ds = &ds;
  cx.range = selector.range();
  if (selector.pipeline()) cx.pipeline = selector.pipeline()->value;
  if (!f.channels.empty()) {
    cx.channel_ok.assign(ds.strings().size(), 0);
    for (const auto& c : f.channels)
      if (auto code = ds.strings().find(c); code >= 0) cx.channel_ok[static_cast<std::size_t>(code)] = 1;
  }
  const auto& u = ds.unsorted();
  if (opt.as_of) {
    cx.as_of = opt.as_of->seconds;
  } else {
    cx.as_of = dataset_end(ds).seconds;
    for (std::size_t i = 0; i < u.size(); ++i) {
      cx.as_of = std::max(cx.as_of, u.created_at[i]);
      if (u.resolved_at[i] != kNoTime) cx.as_of = std::max(cx.as_of, u.resolved_at[i]);
    }
  }

  const std::size_t n = u.size();
  UnsortedState s = detail::accumulate_parallel(
      n, detail::resolve_threads(opt.threads, n), [&] { return UnsortedState(cx); },
      [](UnsortedState& st, std::size_t b, std::size_t e) { st.add_range(b, e); });

  UnsortedResult r;
  r.as_of_s = cx.as_of;
  ChannelAcc all;
  for (const auto& [code, acc] : s.by_channel) all.add(acc);
  for (auto& [code, acc] : s.by_channel) r.channels.push_back(make_row(std::string(ds.str(code)), acc, opt.confidence));
  r.overall = make_row("", all, opt.confidence);
  for (auto& row : r.channels)
    row.items_share_pct = all.items > 0 ? 100.0 * static_cast<double>(row.items) / static_cast<double>(all.items) : kNaN;
  r.overall.items_share_pct = all.items > 0 ? 100.0 : kNaN;
  std::sort(r.channels.begin(), r.channels.end(), [](const UnsortedChannelRow& a, const UnsortedChannelRow& b) {
    if (a.items != b.items) return a.items > b.items;
    return a.channel < b.channel;
  });
  return r;
}

std::vector<ResultTable> UnsortedResult::to_tables() const {
  ResultTable t{"unsorted", {}};
  std::vector<std::string> ch;
  std::vector<std::int64_t> items, acc, dec, pend, won, wb;
  std::vector<double> share, rate, lo, hi, mean, med, wpct;
  auto push = [&](const UnsortedChannelRow& r, std::string name) {
    ch.push_back(std::move(name));
    items.push_back(r.items);
    share.push_back(r.items_share_pct);
    acc.push_back(r.accepted);
    dec.push_back(r.declined);
    pend.push_back(r.pending);
    rate.push_back(r.acceptance_rate_pct);
    lo.push_back(r.acceptance_rate_lower_pct);
    hi.push_back(r.acceptance_rate_upper_pct);
    mean.push_back(r.mean_processing_s);
    med.push_back(r.median_processing_s);
    won.push_back(r.won_deals);
    wb.push_back(r.won_budget_minor);
    wpct.push_back(r.won_pct);
  };
  for (const auto& r : channels) push(r, r.channel);
  push(overall, "(all)");
  t.add("channel", std::move(ch)).add("items", std::move(items)).add("items_share_pct", std::move(share));
  t.add("accepted", std::move(acc)).add("declined", std::move(dec)).add("pending", std::move(pend));
  t.add("acceptance_rate_pct", std::move(rate)).add("acceptance_rate_lower_pct", std::move(lo));
  t.add("acceptance_rate_upper_pct", std::move(hi)).add("mean_processing_s", std::move(mean));
  t.add("median_processing_s", std::move(med)).add("won_deals", std::move(won));
  t.add("won_budget_minor", std::move(wb)).add("won_pct", std::move(wpct));
  return {std::move(t)};
}

}  // namespace v1
}  // namespace dealstat
