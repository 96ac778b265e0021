// Sales analysis (movement): accumulate per-bucket transitions over ranges of
// deals into dense count arrays, merge, finalize.
#include "dealstat/reports/movement.hpp"

#include <algorithm>
#include <memory>
#include <unordered_map>

#include "dealstat/core/error.hpp"
#include "dealstat/reports/partial.hpp"
#include "reports/partial_state.hpp"

namespace dealstat {
inline namespace v1 {

namespace {

struct Counts {
  std::int64_t deals = 0, budget = 0;
  // One more deal with budget b.
  void add(std::int64_t b) {
    ++deals;
    budget += b;
  }
  // Folds another count in.
  void merge(const Counts& o) {
    deals += o.deals;
    budget += o.budget;
  }
};

// The period and its bucket edges: as given; an open start begins at the earliest deal (pinned
// across partitions as `first`), an open end at as-of.
struct MovementFrame {
  LocalDate from, to;
  std::vector<LocalDate> edge_days;
  std::vector<std::int64_t> edges;  // bucket edges as instants, size buckets + 1

  MovementFrame(const Dataset& ds, const MovementOptions& opt, std::int64_t first_created) {
    const TimeZone& tz = ds.account().time_zone;
    const Weekday fdow = ds.account().first_day_of_week;
    if (opt.filter.period.from) {
      from = *opt.filter.period.from;
    } else {
      const std::int64_t first = std::min(opt.as_of->seconds, first_created);
      from = tz.local_date(Timestamp{first});
    }
    if (opt.filter.period.to) {
      to = *opt.filter.period.to;
    } else {
      to = LocalDate{tz.local_date(*opt.as_of).days + 1};
    }
    if (to <= from) throw Error::bad_option("to", format_date(to), "period ends before it starts");
    edge_days = bucket_edges(from, to, opt.bucket, fdow);
    if (edge_days.size() > 100001) throw Error::bad_option("bucket", bucket_name(opt.bucket), "more than 100000 buckets");
    edges.reserve(edge_days.size());
    for (auto d : edge_days) edges.push_back(tz.start_of_day(d).seconds);
    // The first and last bucket are clipped to the period itself.
    edges.front() = tz.start_of_day(from).seconds;
    edges.back() = tz.start_of_day(to).seconds;
  }
};

struct MovementContext {
  DealSelector sel;
  MovementFrame frame;
  MovementContext(const Dataset& ds, const MovementOptions& opt, std::int64_t first)
      : sel(ds, opt.filter), frame(ds, opt, first) {}
};

struct MovementState final : ReportPartial::State {
  std::shared_ptr<const MovementContext> cx;  // set between prepare() and release()
  std::size_t n_stages = 0;
  std::unordered_map<std::uint64_t, Counts> transitions;  // key: (bucket, from, to)
  std::vector<Counts> entries;                            // bucket * n_stages + stage
  std::vector<MovementTotals> totals;
  // Scratch of add_rows (not part of the state): the dense transition cells and which were touched,
  // and the bucket of each entry of the current path.
  static constexpr std::size_t kDenseCells = std::size_t{1} << 18;
  std::vector<Counts> dense;
  std::vector<std::size_t> touched;
  std::vector<std::ptrdiff_t> path_bucket;

  const MovementOptions& opt() const { return std::get<MovementOptions>(options); }
  void resize(std::size_t buckets, std::size_t stages) {
    n_stages = stages;
    entries.assign(buckets * stages, {});
    totals.assign(buckets, {});
  }

  std::unique_ptr<ReportPartial::State> clone() const override { return std::make_unique<MovementState>(*this); }
  std::unique_ptr<ReportPartial::State> empty_like() const override {
    auto s = std::make_unique<MovementState>();
    s->options = options;
    s->first = first;
    s->cx = cx;
    s->resize(totals.size(), n_stages);
    return s;
  }
  void prepare(const Dataset& ds) override { cx = std::make_shared<const MovementContext>(ds, opt(), first); }
  void release() override { cx.reset(); }
  std::size_t rows(const Dataset& ds) const override { return ds.deals().size(); }
  bool exact() const override { return true; }

  // Bucket of instant t, or -1 outside the period.
  std::ptrdiff_t bucket_of(std::int64_t t) const {
    const auto& edges = cx->frame.edges;
    if (t < edges.front() || t >= edges.back()) return -1;
    return std::upper_bound(edges.begin(), edges.end(), t) - edges.begin() - 1;
  }

  static std::uint64_t key(std::size_t b, std::uint32_t from, std::uint32_t to) {
    return (static_cast<std::uint64_t>(b) << 40) | (static_cast<std::uint64_t>(from) << 20) | to;
  }

  void add_rows(const Dataset& ds, std::size_t b, std::size_t e) override {
    const DealSelector* sel = &cx->sel;
    const auto& d = ds.deals();
    const auto& kind = ds.stages().kind;
    const std::int64_t front = cx->frame.edges.front(), back = cx->frame.edges.back();
    // Transitions go to a dense (bucket, from, to) array when it is small, flushed into the map
    // at the end through the list of cells touched (no hashing per entry).
    const std::size_t cells = totals.size() * n_stages * n_stages;
    const bool use_dense = cells <= kDenseCells;
    if (use_dense && dense.size() != cells) dense.assign(cells, {});
    for (std::size_t i = b; i < e; ++i) {
      const PathView p = ds.paths().path(i);
      const std::int64_t created = d.created_at[i];
      // Nothing of this deal falls in the period: created (so closed: closed_at >= created_at)
      // and every path entry at or after its end, or everything before its start.
      if (created >= back && (p.size() == 0 || p.entered_at[0] >= back)) continue;
      const StageKind k = kind[d.stage[i]];
      const bool closed = is_closed_kind(k);
      if (created < front && (!closed || d.closed_at[i] < front) &&
          (p.size() == 0 || p.entered_at[p.size() - 1] < front))
        continue;
      if (!sel->selects_ignoring_period(i)) continue;
      const std::int64_t bud = d.budget_minor[i];
      if (auto bc = bucket_of(created); bc >= 0) ++totals[bc].created;
      if (closed) {
        if (auto bc = bucket_of(d.closed_at[i]); bc >= 0) {
          if (k == StageKind::won) {
            ++totals[bc].won;
            totals[bc].won_budget_minor += bud;
          } else {
            ++totals[bc].lost;
          }
        }
      }
      if (path_bucket.size() < p.size()) path_bucket.resize(p.size());
      for (std::size_t j = 0; j < p.size(); ++j) {
        const auto bj = p.entered_at[j] < front || p.entered_at[j] >= back ? -1 : bucket_of(p.entered_at[j]);
        path_bucket[j] = bj;
        if (bj < 0) continue;
        // Distinct deals per (bucket, stage): skip if this deal already entered it in this bucket.
        // Entries are in time order, so the earlier entries in bucket bj come right before j.
        bool seen = false;
        for (std::size_t q = j; q-- > 0 && path_bucket[q] == bj && !seen;) seen = p.stage[q] == p.stage[j];
        if (!seen) {
          entries[static_cast<std::size_t>(bj) * n_stages + p.stage[j]].add(bud);
        }
        if (j > 0) {
          const auto bu = static_cast<std::size_t>(bj);
          if (use_dense) {
            const std::size_t cell = (bu * n_stages + p.stage[j - 1]) * n_stages + p.stage[j];
            auto& c = dense[cell];
            if (c.deals == 0) touched.push_back(cell);
            c.add(bud);
          } else {
            transitions[key(bu, p.stage[j - 1], p.stage[j])].add(bud);
          }
        }
      }
    }
    for (const auto cell : touched) {
      const std::size_t to = cell % n_stages, rest = cell / n_stages;
      transitions[key(rest / n_stages, static_cast<std::uint32_t>(rest % n_stages), static_cast<std::uint32_t>(to))]
          .merge(dense[cell]);
      dense[cell] = {};
    }
    touched.clear();
  }

  void merge_from(const ReportPartial::State& other) override {
    const auto& o = static_cast<const MovementState&>(other);
    for (const auto& [k, c] : o.transitions) transitions[k].merge(c);
    for (std::size_t i = 0; i < entries.size() && i < o.entries.size(); ++i) entries[i].merge(o.entries[i]);
    for (std::size_t i = 0; i < totals.size() && i < o.totals.size(); ++i) {
      totals[i].created += o.totals[i].created;
      totals[i].won += o.totals[i].won;
      totals[i].lost += o.totals[i].lost;
      totals[i].won_budget_minor += o.totals[i].won_budget_minor;
    }
  }

  void write(detail::ByteWriter& w) const override {
    w.uint(static_cast<std::uint64_t>(totals.size()));
    w.uint(static_cast<std::uint64_t>(n_stages));
    for (const auto& t : totals) {
      w.uint(static_cast<std::uint64_t>(t.created));
      w.uint(static_cast<std::uint64_t>(t.won));
      w.uint(static_cast<std::uint64_t>(t.lost));
      w.uint(static_cast<std::uint64_t>(t.won_budget_minor));
    }
    // Sparse entries and transitions, in key order (the bytes do not depend on hash order).
    std::vector<std::uint64_t> ek;
    for (std::size_t i = 0; i < entries.size(); ++i)
      if (entries[i].deals != 0 || entries[i].budget != 0) ek.push_back(i);
    w.uint(static_cast<std::uint64_t>(ek.size()));
    for (auto i : ek) {
      w.uint(i);
      w.uint(static_cast<std::uint64_t>(entries[i].deals));
      w.uint(static_cast<std::uint64_t>(entries[i].budget));
    }
    std::vector<std::uint64_t> tk;
    for (const auto& [k, c] : transitions) tk.push_back(k);
    std::sort(tk.begin(), tk.end());
    w.uint(static_cast<std::uint64_t>(tk.size()));
    for (auto k : tk) {
      const Counts& c = transitions.at(k);
      w.uint(k);
      w.uint(static_cast<std::uint64_t>(c.deals));
      w.uint(static_cast<std::uint64_t>(c.budget));
    }
  }

  void read(detail::ByteReader& r) override {
    const auto buckets = r.uint<std::uint64_t>();
    const auto stages = r.uint<std::uint64_t>();
    if (buckets > r.remaining() / 32 || stages > (1u << 20)) r.fail("bad movement sizes");
    resize(static_cast<std::size_t>(buckets), static_cast<std::size_t>(stages));
    for (auto& t : totals) {
      t.created = static_cast<std::int64_t>(r.uint<std::uint64_t>());
      t.won = static_cast<std::int64_t>(r.uint<std::uint64_t>());
      t.lost = static_cast<std::int64_t>(r.uint<std::uint64_t>());
      t.won_budget_minor = static_cast<std::int64_t>(r.uint<std::uint64_t>());
    }
    const auto ne = r.uint<std::uint64_t>();
    for (std::uint64_t j = 0; j < ne; ++j) {
      const auto i = r.uint<std::uint64_t>();
      if (i >= entries.size()) r.fail("entry out of range");
      entries[i].deals = static_cast<std::int64_t>(r.uint<std::uint64_t>());
      entries[i].budget = static_cast<std::int64_t>(r.uint<std::uint64_t>());
    }
    const auto nt = r.uint<std::uint64_t>();
    for (std::uint64_t j = 0; j < nt; ++j) {
      const auto k = r.uint<std::uint64_t>();
      Counts& c = transitions[k];
      c.deals = static_cast<std::int64_t>(r.uint<std::uint64_t>());
      c.budget = static_cast<std::int64_t>(r.uint<std::uint64_t>());
    }
  }

  ReportResult finalize(const Dataset& ds) const override;
};

}  // namespace

namespace detail {

std::unique_ptr<ReportPartial::State> make_movement_state(const Dataset& ds, const MovementOptions& opt, std::int64_t first) {
  const MovementContext cx(ds, opt, first);  // validates
  auto s = std::make_unique<MovementState>();
  s->options = opt;
  s->first = first;
  s->resize(cx.frame.edges.size() - 1, ds.stages().size());
  return s;
}

std::unique_ptr<ReportPartial::State> blank_movement_state() { return std::make_unique<MovementState>(); }

}  // namespace detail

MovementResult movement(const Dataset& ds, const MovementOptions& opt) {
  ReportPartial p = ReportPartial::make(ds, opt);
  p.accumulate(ds, opt.threads);
  return std::get<MovementResult>(p.finalize(ds));
}

ReportResult MovementState::finalize(const Dataset& ds) const {
  const MovementOptions& opt = this->opt();
  const MovementState& s = *this;
  const MovementFrame fr(ds, opt, first);
  const LocalDate from = fr.from;
  const std::vector<LocalDate>& edge_days = fr.edge_days;
  if (ds.stages().size() != n_stages || fr.edges.size() != totals.size() + 1)
    throw Error::bad_option("partial", "movement", "the dataset's stages or buckets differ from the partial's");
  MovementResult r;
  r.bucket = opt.bucket;
  r.bucket_starts.assign(edge_days.begin(), edge_days.end() - 1);
  r.bucket_starts.front() = from;
  r.totals = s.totals;
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
