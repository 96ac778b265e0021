// Sales analysis (movement): accumulate per-bucket transitions over ranges of
// deals into dense count arrays, merge, finalize.
#include "dealstat/reports/movement.hpp"

#include <algorithm>
#include <unordered_map>

#include "dealstat/core/error.hpp"
#include "detail/parallel.hpp"

namespace dealstat {
inline namespace v1 {

namespace {

struct Counts {
  std::int64_t deals = 0, budget = 0;
};

struct MovementState {
  const Dataset* ds;
  const DealSelector* sel;
  const std::vector<std::int64_t>* edges;  // bucket edges as instants, size buckets + 1
  std::size_t n_stages;
  std::unordered_map<std::uint64_t, Counts> transitions;  // key: (bucket, from, to)
  std::vector<Counts> entries;                            // bucket * n_stages + stage
  std::vector<MovementTotals> totals;

  MovementState(const Dataset& d, const DealSelector& s, const std::vector<std::int64_t>& e)
      : ds(&d), sel(&s), edges(&e), n_stages(d.stages().size()) {
    entries.assign((e.size() - 1) * n_stages, {});
    totals.assign(e.size() - 1, {});
  }

  // Bucket of instant t, or -1 outside the period.
  std::ptrdiff_t bucket_of(std::int64_t t) const {
    if (t < edges->front() || t >= edges->back()) return -1;
    return std::upper_bound(edges->begin(), edges->end(), t) - edges->begin() - 1;
  }

  static std::uint64_t key(std::size_t b, std::uint32_t from, std::uint32_t to) {
    return (static_cast<std::uint64_t>(b) << 40) | (static_cast<std::uint64_t>(from) << 20) | to;
  }

  void add_range(std::size_t b, std::size_t e) {
    const auto& d = ds->deals();
    const auto& kind = ds->stages().kind;
    for (std::size_t i = b; i < e; ++i) {
      if (!sel->selects_ignoring_period(i)) continue;
      const std::int64_t bud = d.budget_minor[i];
      if (auto bc = bucket_of(d.created_at[i]); bc >= 0) ++totals[bc].created;
      const StageKind k = kind[d.stage[i]];
      if (is_closed_kind(k)) {
        if (auto bc = bucket_of(d.closed_at[i]); bc >= 0) {
          if (k == StageKind::won) {
            ++totals[bc].won;
            totals[bc].won_budget_minor += bud;
          } else {
            ++totals[bc].lost;
          }
        }
      }
      const PathView p = ds->paths().path(i);
      for (std::size_t j = 0; j < p.size(); ++j) {
        const auto bj = bucket_of(p.entered_at[j]);
        if (bj < 0) continue;
        // Distinct deals per (bucket, stage): skip if this deal already entered it in this bucket.
        bool seen = false;
        for (std::size_t q = 0; q < j && !seen; ++q) seen = p.stage[q] == p.stage[j] && bucket_of(p.entered_at[q]) == bj;
        if (!seen) {
          auto& c = entries[static_cast<std::size_t>(bj) * n_stages + p.stage[j]];
          ++c.deals;
          c.budget += bud;
        }
        if (j > 0) {
          auto& c = transitions[key(static_cast<std::size_t>(bj), p.stage[j - 1], p.stage[j])];
          ++c.deals;
          c.budget += bud;
        }
      }
    }
  }

  void merge(const MovementState& o) {
    for (const auto& [k, c] : o.transitions) {
      auto& t = transitions[k];
      t.deals += c.deals;
      t.budget += c.budget;
    }
    for (std::size_t i = 0; i < entries.size(); ++i) {
      entries[i].deals += o.entries[i].deals;
      entries[i].budget += o.entries[i].budget;
    }
    for (std::size_t i = 0; i < totals.size(); ++i) {
      totals[i].created += o.totals[i].created;
      totals[i].won += o.totals[i].won;
      totals[i].lost += o.totals[i].lost;
      totals[i].won_budget_minor += o.totals[i].won_budget_minor;
    }
  }
};

}  // namespace

MovementResult movement(const Dataset& ds, const MovementOptions& opt) {
  DealSelector sel(ds, opt.filter);
  const TimeZone& tz = ds.account().time_zone;
  const Weekday fdow = ds.account().first_day_of_week;
  // The period: as given; an open start begins at the earliest deal, an open end at as-of.
  LocalDate from, to;
  if (opt.filter.period.from) {
    from = *opt.filter.period.from;
  } else {
    std::int64_t first = opt.as_of ? opt.as_of->seconds : dataset_end(ds).seconds;
    for (auto t : ds.deals().created_at) first = std::min(first, t);
    from = tz.local_date(Timestamp{first});
  }
  if (opt.filter.period.to) {
    to = *opt.filter.period.to;
  } else {
    to = LocalDate{tz.local_date(opt.as_of ? *opt.as_of : dataset_end(ds)).days + 1};
  }
  if (to <= from) throw Error::bad_option("to", format_date(to), "period ends before it starts");
  const std::vector<LocalDate> edge_days = bucket_edges(from, to, opt.bucket, fdow);
  if (edge_days.size() > 100001) throw Error::bad_option("bucket", bucket_name(opt.bucket), "more than 100000 buckets");
  std::vector<std::int64_t> edges;
  edges.reserve(edge_days.size());
  for (auto d : edge_days) edges.push_back(tz.start_of_day(d).seconds);
  // The first and last bucket are clipped to the period itself.
  edges.front() = tz.start_of_day(from).seconds;
  edges.back() = tz.start_of_day(to).seconds;

  const std::size_t n = ds.deals().size();
  MovementState s = detail::accumulate_parallel(
      n, detail::resolve_threads(opt.threads, n), [&] { return MovementState(ds, sel, edges); },
      [](MovementState& st, std::size_t b, std::size_t e) { st.add_range(b, e); });

  MovementResult r;
  r.bucket = opt.bucket;
  r.bucket_starts.assign(edge_days.begin(), edge_days.end() - 1);
  r.bucket_starts.front() = from;
  r.totals = std::move(s.totals);
  for (const auto& [k, c] : s.transitions) {
    MovementTransition t;
    t.bucket = static_cast<std::size_t>(k >> 40);
    t.from_stage = static_cast<std::uint32_t>((k >> 20) & 0xFFFFF);
    t.to_stage = static_cast<std::uint32_t>(k & 0xFFFFF);
    t.deals = c.deals;
    t.budget_minor = c.budget;
    r.transitions.push_back(t);
  }
  std::sort(r.transitions.begin(), r.transitions.end(), [](const MovementTransition& a, const MovementTransition& b) {
    return std::tie(a.bucket, a.from_stage, a.to_stage) < std::tie(b.bucket, b.from_stage, b.to_stage);
  });
  const std::size_t ns = ds.stages().size();
  for (std::size_t i = 0; i < s.entries.size(); ++i)
    if (s.entries[i].deals > 0)
      r.entries.push_back({i / ns, static_cast<std::uint32_t>(i % ns), s.entries[i].deals, s.entries[i].budget});
  for (std::size_t st = 0; st < ns; ++st)
    r.stage_names.push_back(std::string(ds.str(ds.pipelines().name[ds.stages().pipeline[st]])) + " / " +
                            std::string(ds.str(ds.stages().name[st])));
  return r;
}

std::vector<ResultTable> MovementResult::to_tables() const {
  ResultTable totals_t{"movement_totals", {}};
  {
    std::vector<std::string> starts;
    std::vector<std::int64_t> created, won, lost, won_budget;
    for (std::size_t b = 0; b < totals.size(); ++b) {
      starts.push_back(format_date(bucket_starts[b]));
      created.push_back(totals[b].created);
      won.push_back(totals[b].won);
      lost.push_back(totals[b].lost);
      won_budget.push_back(totals[b].won_budget_minor);
    }
    totals_t.add("bucket_start", std::move(starts)).add("created", std::move(created)).add("won", std::move(won));
    totals_t.add("lost", std::move(lost)).add("won_budget_minor", std::move(won_budget));
  }
  ResultTable tr{"movement_transitions", {}};
  {
    std::vector<std::string> starts, from, to;
    std::vector<std::int64_t> deals, budget;
    for (const auto& t : transitions) {
      starts.push_back(format_date(bucket_starts[t.bucket]));
      from.push_back(stage_names[t.from_stage]);
      to.push_back(stage_names[t.to_stage]);
      deals.push_back(t.deals);
      budget.push_back(t.budget_minor);
    }
    tr.add("bucket_start", std::move(starts)).add("from_stage", std::move(from)).add("to_stage", std::move(to));
    tr.add("deals", std::move(deals)).add("budget_minor", std::move(budget));
  }
  ResultTable en{"movement_entries", {}};
  {
    std::vector<std::string> starts, stage;
    std::vector<std::int64_t> deals, budget;
    for (const auto& e : entries) {
      starts.push_back(format_date(bucket_starts[e.bucket]));
      stage.push_back(stage_names[e.stage]);
      deals.push_back(e.deals);
      budget.push_back(e.budget_minor);
    }
    en.add("bucket_start", std::move(starts)).add("stage", std::move(stage)).add("deals", std::move(deals));
    en.add("budget_minor", std::move(budget));
  }
  return {std::move(totals_t), std::move(tr), std::move(en)};
}

}  // namespace v1
}  // namespace dealstat
