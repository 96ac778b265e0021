// The unsorted report: accumulate per-channel figures over ranges of items, merge, finalize.
#include "dealstat/reports/unsorted_report.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>

#include "dealstat/core/error.hpp"
#include "dealstat/stats/wilson.hpp"
#include "dealstat/reports/partial.hpp"
#include "reports/partial_state.hpp"

namespace dealstat {
inline namespace v1 {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint32_t kNone = 0xFFFFFFFFu;

struct ChannelAcc {
  std::int64_t items = 0, accepted = 0, declined = 0, pending = 0, won = 0, won_budget = 0;
  detail::DurationSet processing;
  void add(const ChannelAcc& o) {
    items += o.items;
    accepted += o.accepted;
    declined += o.declined;
    pending += o.pending;
    won += o.won;
    won_budget += o.won_budget;
    processing.merge(o.processing);
  }
};

struct Context {
  InstantRange range;
  std::int64_t as_of = 0;
  std::optional<std::uint32_t> pipeline;
  std::vector<std::uint8_t> channel_ok;  // by StrCode; empty = any

  Context(const Dataset& ds, const UnsortedOptions& opt) {
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
    range = selector.range();
    if (selector.pipeline()) pipeline = selector.pipeline()->value;
    if (!f.channels.empty()) {
      channel_ok.assign(ds.strings().size(), 0);
      for (const auto& c : f.channels)
        if (auto code = ds.strings().find(c); code >= 0) channel_ok[static_cast<std::size_t>(code)] = 1;
    }
    as_of = opt.as_of->seconds;
  }
};

// Partial state: per channel name (names, not string codes, so partitions with their own
// string pools merge).
struct UnsortedState final : ReportPartial::State {
  std::shared_ptr<const Context> cx;  // set between prepare() and release()
  std::map<std::string, ChannelAcc> by_channel;
  detail::DurationSet overall;  // two-pass medians only (histogram_medians): every channel's processing times

  // The accumulator of a channel, made in the state's median mode when new.
  ChannelAcc& channel(const std::string& name) {
    auto [it, fresh] = by_channel.try_emplace(name);
    if (fresh && histogram_medians) it->second.processing.use_histogram();
    return it->second;
  }
  // An empty accumulator for a range's local map: histogram in pass 1, picking in pass 2.
  ChannelAcc fresh_acc(const std::string& name) const {
    ChannelAcc acc;
    if (!histogram_medians) return acc;
    const auto f = by_channel.find(name);
    if (f != by_channel.end() && f->second.processing.selecting())
      acc.processing = detail::DurationSet::select_like(f->second.processing);
    else
      acc.processing.use_histogram();
    return acc;
  }

  const UnsortedOptions& opt() const { return std::get<UnsortedOptions>(options); }
  std::unique_ptr<ReportPartial::State> clone() const override { return std::make_unique<UnsortedState>(*this); }
  std::unique_ptr<ReportPartial::State> empty_like() const override {
    auto s = std::make_unique<UnsortedState>();
    s->options = options;
    s->first = first;
    s->cx = cx;
    if (histogram_medians)  // the same channels, so that duration_sets() line up (pass 2)
      for (const auto& kv : by_channel) s->by_channel.try_emplace(kv.first);
    return s;
  }
  void prepare(const Dataset& ds) override { cx = std::make_shared<const Context>(ds, opt()); }
  void release() override { cx.reset(); }
  std::size_t rows(const Dataset& ds) const override { return ds.unsorted().size(); }
  bool exact() const override {
    return std::all_of(by_channel.begin(), by_channel.end(), [](const auto& kv) { return kv.second.processing.exact(); });
  }

  std::vector<detail::DurationSet*> duration_sets() override {
    std::vector<detail::DurationSet*> v;
    for (auto& kv : by_channel) v.push_back(&kv.second.processing);
    v.push_back(&overall);
    return v;
  }

  void add_rows(const Dataset& ds, std::size_t b, std::size_t e) override {
    std::unordered_map<StrCode, ChannelAcc> local;
    const auto& u = ds.unsorted();
    const auto& d = ds.deals();
    for (std::size_t i = b; i < e; ++i) {
      const std::int64_t created = u.created_at[i];
      if (created > cx->as_of || !cx->range.contains(created)) continue;
      if (!cx->channel_ok.empty() && !cx->channel_ok[u.channel[i]]) continue;
      // The deal is looked up only when needed (a binary search over the deal ids).
      std::optional<DealIndex> deal;
      bool looked_up = false;
      auto find = [&] {
        if (!looked_up && u.deal_id[i] != kNoId) deal = ds.find_deal(DealId{u.deal_id[i]});
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
      auto it = local.find(u.channel[i]);
      if (it == local.end()) it = local.emplace(u.channel[i], fresh_acc(std::string(ds.str(u.channel[i])))).first;
      ChannelAcc& a = it->second;
      ++a.items;
      const std::int64_t resolved = u.resolved_at[i];
      const bool done = u.outcome[i] != UnsortedOutcome::pending && resolved != kNoTime && resolved <= cx->as_of;
      if (!done) {
        ++a.pending;
        continue;
      }
      a.processing.add(resolved - created);
      if (histogram_medians) overall.add(resolved - created);
      if (u.outcome[i] == UnsortedOutcome::declined) {
        ++a.declined;
        continue;
      }
      ++a.accepted;
      find();
      if (deal && !d.deleted[deal->value] && ds.deal_kind(deal->value) == StageKind::won) {
        ++a.won;
        a.won_budget += d.budget_minor[deal->value];
      }
    }
    for (const auto& [code, acc] : local) channel(std::string(ds.str(code))).add(acc);
  }

  // Pass 2 of the two-pass medians: only the processing times (the deal is looked up only for
  // the pipeline filter).
  void add_selected_rows(const Dataset& ds, std::size_t b, std::size_t e) override {
    std::unordered_map<StrCode, ChannelAcc> local;
    const auto& u = ds.unsorted();
    const auto& d = ds.deals();
    for (std::size_t i = b; i < e; ++i) {
      const std::int64_t created = u.created_at[i];
      if (created > cx->as_of || !cx->range.contains(created)) continue;
      if (!cx->channel_ok.empty() && !cx->channel_ok[u.channel[i]]) continue;
      const std::int64_t resolved = u.resolved_at[i];
      if (u.outcome[i] == UnsortedOutcome::pending || resolved == kNoTime || resolved > cx->as_of) continue;
      if (cx->pipeline) {
        std::uint32_t p = u.pipeline[i];
        if (p == kNone && u.deal_id[i] != kNoId)
          if (const auto deal = ds.find_deal(DealId{u.deal_id[i]})) p = d.pipeline[deal->value];
        if (p != *cx->pipeline) continue;
      }
      auto it = local.find(u.channel[i]);
      if (it == local.end()) it = local.emplace(u.channel[i], fresh_acc(std::string(ds.str(u.channel[i])))).first;
      it->second.processing.add(resolved - created);
      overall.add(resolved - created);
    }
    for (const auto& [code, acc] : local) channel(std::string(ds.str(code))).add(acc);
  }

  void merge_from(const ReportPartial::State& other) override {
    const auto& o = static_cast<const UnsortedState&>(other);
    for (const auto& [name, acc] : o.by_channel) channel(name).add(acc);
    overall.merge(o.overall);
  }

  void write(detail::ByteWriter& w) const override {
    w.uint(static_cast<std::uint64_t>(by_channel.size()));
    for (const auto& [name, a] : by_channel) {
      w.uint(static_cast<std::uint64_t>(name.size()));
      w.bytes(std::span(reinterpret_cast<const std::uint8_t*>(name.data()), name.size()));
      detail::write_i64s(w, {a.items, a.accepted, a.declined, a.pending, a.won, a.won_budget});
      a.processing.write(w);
    }
  }

  void read(detail::ByteReader& r) override {
    const auto n = r.uint<std::uint64_t>();
    for (std::uint64_t j = 0; j < n; ++j) {
      const auto bytes = r.bytes(r.uint<std::uint64_t>());
      ChannelAcc& a = by_channel[std::string(bytes.begin(), bytes.end())];
      const auto v = detail::read_i64s(r, 6);
      a.items = v[0];
      a.accepted = v[1];
      a.declined = v[2];
      a.pending = v[3];
      a.won = v[4];
      a.won_budget = v[5];
      a.processing = detail::DurationSet::read(r);
    }
  }

  ReportResult finalize(const Dataset& ds) const override;
};

UnsortedChannelRow make_row(std::string channel, const ChannelAcc& a, double confidence) {
  UnsortedChannelRow r;
  r.channel = std::move(channel);
  r.items = a.items;
  r.accepted = a.accepted;
  r.declined = a.declined;
  r.pending = a.pending;
  r.won_deals = a.won;
  r.won_budget_minor = a.won_budget;
  const auto rate = wilson_rate_pct(a.accepted, a.accepted + a.declined, confidence);  // NaN with none resolved
  r.acceptance_rate_pct = rate.pct;
  r.acceptance_rate_lower_pct = rate.lower_pct;
  r.acceptance_rate_upper_pct = rate.upper_pct;
  r.mean_processing_s = a.processing.mean();
  r.median_processing_s = a.processing.median();
  r.won_pct = a.accepted > 0 ? 100.0 * static_cast<double>(a.won) / static_cast<double>(a.accepted) : kNaN;
  return r;
}

}  // namespace

namespace detail {

std::unique_ptr<ReportPartial::State> make_unsorted_state(const Dataset& ds, const UnsortedOptions& opt, std::int64_t first) {
  const Context cx(ds, opt);  // validates
  auto s = std::make_unique<UnsortedState>();
  s->options = opt;
  s->first = first;
  return s;
}

std::unique_ptr<ReportPartial::State> blank_unsorted_state() { return std::make_unique<UnsortedState>(); }

}  // namespace detail

UnsortedResult unsorted_report(const Dataset& ds, const UnsortedOptions& opt) {
  return std::get<UnsortedResult>(detail::run_report(ds, opt, opt.threads));
}

ReportResult UnsortedState::finalize(const Dataset&) const {
  const UnsortedOptions& opt = this->opt();
  const UnsortedState& s = *this;
  UnsortedResult r;
  r.as_of_s = opt.as_of->seconds;
  ChannelAcc all;
  for (const auto& [code, acc] : s.by_channel) all.add(acc);
  if (histogram_medians) all.processing = overall;  // two-pass: accumulated directly (per-channel picks do not merge)
  for (const auto& [name, acc] : s.by_channel) r.channels.push_back(make_row(name, acc, opt.confidence));
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
