// The sales funnel: accumulate over ranges of deals, merge, finalize.
#include "dealstat/reports/funnel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "dealstat/core/error.hpp"
#include "dealstat/stats/binned_kaplan_meier.hpp"
#include "dealstat/stats/wilson.hpp"
#include "dealstat/reports/partial.hpp"
#include "reports/partial_state.hpp"

namespace dealstat {
inline namespace v1 {

SkipPolicy parse_skip_policy(std::string_view s) {
  if (s == "implied") return SkipPolicy::implied;
  if (s == "observed") return SkipPolicy::observed;
  if (s == "strict") return SkipPolicy::strict;
  throw Error::bad_option("skip", std::string(s), "expected implied, observed or strict");
}

ValueMode parse_value_mode(std::string_view s) {
  if (s == "count") return ValueMode::count;
  if (s == "budget") return ValueMode::budget;
  throw Error::bad_option("value", std::string(s), "expected count or budget");
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint32_t kNone = 0xFFFFFFFFu;
// The Kaplan-Meier time grid: whole hours, durations rounded up (docs/reports.md, "Time to close").
constexpr std::int64_t kKmBinS = 3600;

// The pipeline's stages in funnel order, split by role.
struct FunnelShape {
  std::uint32_t pipeline = 0;
  std::vector<std::uint32_t> stages;     // funnel rows: every stage but lost, in order
  std::vector<std::int32_t> row_of;      // StageIndex -> funnel row (-1 = not a row of this pipeline)
  std::vector<std::uint32_t> open_rows;  // rows of open stages, in order
  std::int32_t won_row = -1;             // row of the won stage
  std::vector<std::int32_t> open_rank;   // funnel row -> rank among open stages (-1 otherwise)
  std::vector<std::uint32_t> unsorted_rows;  // rows of unsorted stages, in order
  std::vector<std::int32_t> entry_row;   // StageIndex -> row when an entry there counts as entered (an
                                         // unsorted or open stage of this pipeline), -1 otherwise

  FunnelShape(const Dataset& ds, std::uint32_t p) : pipeline(p) {
    const auto& pl = ds.pipelines();
    const auto& st = ds.stages();
    row_of.assign(st.size(), -1);
    for (auto k = pl.stages_offset[p]; k < pl.stages_offset[p + 1]; ++k) {
      auto s = pl.stages_ordered[k];
      if (st.kind[s] == StageKind::lost) continue;
      auto row = static_cast<std::int32_t>(stages.size());
      row_of[s] = row;
      stages.push_back(s);
      open_rank.push_back(-1);
      if (st.kind[s] == StageKind::open) {
        open_rank.back() = static_cast<std::int32_t>(open_rows.size());
        open_rows.push_back(static_cast<std::uint32_t>(row));
      } else if (st.kind[s] == StageKind::won && won_row < 0) {
        won_row = row;
      } else if (st.kind[s] == StageKind::unsorted) {
        unsorted_rows.push_back(static_cast<std::uint32_t>(row));
      }
    }
    entry_row.assign(st.size(), -1);
    for (std::size_t s = 0; s < st.size(); ++s)
      if (row_of[s] >= 0 && !is_closed_kind(st.kind[s])) entry_row[s] = row_of[s];
  }
};

// What accumulating the funnel over one dataset needs, resolved once per dataset.
struct FunnelContext {
  DealSelector sel;
  FunnelShape shape;
  DealCandidates candidates;  // the rows worth testing with sel (the day index)
  FunnelContext(const Dataset& ds, const DealFilter& f, bool with_candidates)
      : sel(ds, f, PipelineIndex{0}), shape(ds, sel.pipeline()->value),
        candidates(with_candidates ? sel.candidates() : DealCandidates::all_rows(ds.deals().size())) {}
};

// Partial state of the funnel over a range of deals (rows: funnel rows of the pipeline).
struct FunnelState final : ReportPartial::State {
  std::shared_ptr<const FunnelContext> cx;  // set between prepare() and release()

  std::vector<std::int64_t> reached, budget, lost_here, lost_budget;
  std::int64_t deals = 0, won = 0, lost = 0, active = 0;
  detail::DurationSet won_durations, lost_durations;
  BinnedKaplanMeier km{kKmBinS};  // time to close on the hour grid
  // Scratch reused across deals (no allocation per deal).
  std::vector<std::uint8_t> entered;      // per funnel row: the path entered it (scratch per deal)
  std::vector<std::uint32_t> hit_rows;    // rows counted for this deal, each once (the first n_hits)
  // Under the implied policy, deals (and their budget) per furthest open rank reached, over one add_rows
  // call: the open rows up to that rank are counted at its end by suffix sums (fold_implied), not per deal.
  std::vector<std::int64_t> upto_deals, upto_budget;

  const FunnelOptions& opt() const { return std::get<FunnelOptions>(options); }

  void resize(std::size_t n) {
    reached.assign(n, 0);
    budget.assign(n, 0);
    lost_here.assign(n, 0);
    lost_budget.assign(n, 0);
    reset_scratch(n);
  }
  // The per-deal scratch for n funnel rows (not part of the state: never written or merged).
  void reset_scratch(std::size_t n) {
    entered.assign(n, 0);
    hit_rows.assign(n, 0);
    upto_deals.assign(n, 0);
    upto_budget.assign(n, 0);
  }

  std::unique_ptr<ReportPartial::State> clone() const override { return std::make_unique<FunnelState>(*this); }
  std::unique_ptr<ReportPartial::State> empty_like() const override {
    auto s = std::make_unique<FunnelState>();
    s->options = options;
    s->first = first;
    s->cx = cx;
    s->resize(reached.size());
    return s;
  }
  void prepare(const Dataset& ds) override { cx = std::make_shared<const FunnelContext>(ds, opt().filter, true); }
  void release() override { cx.reset(); }
  std::size_t rows(const Dataset& ds) const override { return ds.deals().size(); }
  std::vector<std::size_t> split(const Dataset&, std::size_t, unsigned parts) const override {
    return cx->candidates.split(parts);
  }
  bool exact() const override { return won_durations.exact() && lost_durations.exact(); }
  std::vector<detail::DurationSet*> duration_sets() override { return {&won_durations, &lost_durations}; }

  // Pass 2 of the two-pass medians: only the won/lost durations (no path walk).
  void add_selected_rows(const Dataset& ds, std::size_t b, std::size_t e) override {
    const auto& d = ds.deals();
    const auto& kind = ds.stages().kind;
    auto visit = [&](std::size_t i) {
      const StageKind k = kind[d.stage[i]];
      if (!is_closed_kind(k) || !cx->sel.selects(i)) return;
      (k == StageKind::won ? won_durations : lost_durations).add(d.closed_at[i] - d.created_at[i]);
    };
    if (cx->candidates.all()) {
      for (std::size_t i = b; i < e; ++i) visit(i);
    } else {
      cx->candidates.for_each(b, e, visit);
    }
  }

  void add_rows(const Dataset& ds, std::size_t b, std::size_t e) override {
    if (cx->candidates.all()) {  // the plain scan
      for (std::size_t i = b; i < e; ++i)
        if (cx->sel.selects(i)) add_deal(ds, i);
    } else {
      cx->candidates.for_each(b, e, [&](std::size_t i) {
        if (cx->sel.selects(i)) add_deal(ds, i);
      });
    }
    fold_implied();
  }

  // Implied policy: a deal counted at furthest open rank k reached every open row of rank <= k, so each
  // row's count is the suffix sum of the per-rank counts; folded into reached/budget and reset.
  void fold_implied() {
    const auto& open_rows = cx->shape.open_rows;
    std::int64_t n = 0, sum = 0;
    for (std::size_t k = open_rows.size(); k-- > 0;) {
      n += upto_deals[k];
      sum += upto_budget[k];
      upto_deals[k] = upto_budget[k] = 0;
      reached[open_rows[k]] += n;
      budget[open_rows[k]] += sum;
    }
  }

  void add_deal(const Dataset& ds, std::size_t i) {
    const FunnelShape* shape = &cx->shape;
    const std::int64_t as_of = opt().as_of->seconds;
    const SkipPolicy skip = opt().skip;
    const auto& d = ds.deals();
    const auto& st = ds.stages();
    const StageKind kind = st.kind[d.stage[i]];
    const std::int64_t bud = d.budget_minor[i];
    ++deals;
    if (kind == StageKind::won) ++won;
    else if (kind == StageKind::lost) ++lost;
    else ++active;

    // What the path recorded in this pipeline: which unsorted/open rows it entered (entry times are
    // not needed, so they are not read), furthest open rank.
    const PathView path = ds.paths().path(i);
    std::fill(entered.begin(), entered.end(), 0);
    std::int32_t furthest_open = -1;
    std::int32_t furthest_row = -1;  // furthest unsorted/open row entered
    for (std::size_t k = 0; k < path.size(); ++k) {
      const std::int32_t row = shape->entry_row[path.stage[k]];
      if (row < 0) continue;  // other pipeline, or a reopened close
      entered[row] = 1;
      furthest_row = std::max(furthest_row, row);
      furthest_open = std::max(furthest_open, shape->open_rank[row]);
    }
    const auto n_open = static_cast<std::int32_t>(shape->open_rows.size());
    // A deal with no recorded unsorted/open stage here (only its final stage is known) was at
    // least at the first open stage.
    const bool no_history = furthest_row < 0;
    if (no_history && n_open > 0) furthest_open = 0;

    std::size_t n_hits = 0;
    auto hit = [&](std::uint32_t r) { hit_rows[n_hits++] = r; };
    for (const std::uint32_t r : shape->unsorted_rows)
      if (entered[r]) hit(r);  // unsorted: entered, under every policy
    switch (skip) {
      case SkipPolicy::implied: {
        // Every open row up to `upto`: counted by fold_implied().
        const std::int32_t upto = kind == StageKind::won ? n_open - 1 : furthest_open;
        if (upto >= 0) {
          ++upto_deals[static_cast<std::size_t>(upto)];
          upto_budget[static_cast<std::size_t>(upto)] += bud;
        }
        if (kind == StageKind::won && shape->won_row >= 0) hit(static_cast<std::uint32_t>(shape->won_row));
        break;
      }
      case SkipPolicy::observed: {
        for (std::int32_t k = 0; k < n_open; ++k)
          if (entered[shape->open_rows[k]]) hit(shape->open_rows[k]);
        if (no_history && n_open > 0) hit(shape->open_rows[0]);  // nothing entered: not counted above
        if (kind == StageKind::won && shape->won_row >= 0) hit(static_cast<std::uint32_t>(shape->won_row));
        break;
      }
      case SkipPolicy::strict: {
        // The open stages count while the path holds them in order: the first entry of the
        // first open stage, then the first entry of the second after it, and so on (a jump
        // ahead and back does not drop a deal that then goes through the stages in order).
        std::int32_t k = 0;
        if (no_history) {
          if (n_open > 0) hit(shape->open_rows[0]);  // only the first open stage is known
          k = std::min<std::int32_t>(1, n_open);
        } else {
          for (std::size_t j = 0; j < path.size() && k < n_open; ++j) {
            if (shape->row_of[path.stage[j]] != static_cast<std::int32_t>(shape->open_rows[k])) continue;
            hit(shape->open_rows[k]);
            ++k;
          }
        }
        if (k == n_open && kind == StageKind::won && shape->won_row >= 0)
          hit(static_cast<std::uint32_t>(shape->won_row));
        break;
      }
    }
    for (std::size_t k = 0; k < n_hits; ++k) {
      ++reached[hit_rows[k]];
      budget[hit_rows[k]] += bud;
    }
    if (kind == StageKind::lost) {
      std::int32_t row = furthest_open >= 0 ? static_cast<std::int32_t>(shape->open_rows[furthest_open]) : furthest_row;
      if (row >= 0) {
        ++lost_here[row];
        lost_budget[row] += bud;
      }
    }
    // Time to close.
    const std::int64_t created = d.created_at[i];
    if (is_closed_kind(kind)) {
      (kind == StageKind::won ? won_durations : lost_durations).add(d.closed_at[i] - created);
    }
    if (created <= as_of) {
      const bool closed_by_as_of = is_closed_kind(kind) && d.closed_at[i] <= as_of;
      const std::int64_t end = closed_by_as_of ? d.closed_at[i] : as_of;
      km.add(end - created, closed_by_as_of);
    }
  }

  void merge_from(const ReportPartial::State& other) override {
    const auto& o = static_cast<const FunnelState&>(other);
    detail::add_into(reached, o.reached);
    detail::add_into(budget, o.budget);
    detail::add_into(lost_here, o.lost_here);
    detail::add_into(lost_budget, o.lost_budget);
    deals += o.deals;
    won += o.won;
    lost += o.lost;
    active += o.active;
    won_durations.merge(o.won_durations);
    lost_durations.merge(o.lost_durations);
    km.merge(o.km);
  }

  void write(detail::ByteWriter& w) const override {
    detail::write_i64s(w, reached);
    detail::write_i64s(w, budget);
    detail::write_i64s(w, lost_here);
    detail::write_i64s(w, lost_budget);
    detail::write_i64s(w, {deals, won, lost, active});
    won_durations.write(w);
    lost_durations.write(w);
    const auto k = km.serialize();
    w.uint(static_cast<std::uint64_t>(k.size()));
    w.bytes(k);
  }

  void read(detail::ByteReader& r) override {
    reached = detail::read_i64s(r);
    budget = detail::read_i64s(r, reached.size());
    lost_here = detail::read_i64s(r, reached.size());
    lost_budget = detail::read_i64s(r, reached.size());
    const auto c = detail::read_i64s(r, 4);
    deals = c[0];
    won = c[1];
    lost = c[2];
    active = c[3];
    won_durations = detail::DurationSet::read(r);
    lost_durations = detail::DurationSet::read(r);
    km = BinnedKaplanMeier::deserialize(r.bytes(r.uint<std::uint64_t>()));
    if (km.bin_width_s() != kKmBinS) r.fail("Kaplan-Meier bin width is not one hour");
    reset_scratch(reached.size());
  }

  ReportResult finalize(const Dataset& ds) const override;
};

// Conversion num/den in %, with a Wilson interval when counting deals.
void conversion(std::int64_t num, std::int64_t den, std::int64_t num_count, std::int64_t den_count, ValueMode mode,
                double confidence, double& pct, double& lo, double& hi) {
  pct = lo = hi = kNaN;
  if (den <= 0) return;
  pct = 100.0 * static_cast<double>(num) / static_cast<double>(den);
  if (mode == ValueMode::count && num_count <= den_count) {
    const auto w = wilson_rate_pct(num_count, den_count, confidence);
    lo = w.lower_pct;
    hi = w.upper_pct;
  }
}

double finite_or_nan(double x) { return std::isfinite(x) ? x : kNaN; }

}  // namespace

namespace detail {

std::unique_ptr<ReportPartial::State> make_funnel_state(const Dataset& ds, const FunnelOptions& opt, std::int64_t first) {
  if (!(opt.confidence > 0 && opt.confidence < 1))
    throw Error::bad_option("confidence", std::to_string(opt.confidence), "must be between 0 and 1");
  if (ds.pipelines().size() == 0) throw Error::bad_option("pipeline", "", "the dataset has no pipelines");
  // Without a pipeline in the filter, the funnel is the first pipeline's (by row, not by a
  // lookup of its id that a pipeline named like that id would win).
  const FunnelContext cx(ds, opt.filter, false);
  auto s = std::make_unique<FunnelState>();
  s->options = opt;
  s->first = first;
  s->resize(cx.shape.stages.size());
  return s;
}

std::unique_ptr<ReportPartial::State> blank_funnel_state() { return std::make_unique<FunnelState>(); }

}  // namespace detail

FunnelResult funnel(const Dataset& ds, const FunnelOptions& opt) {
  return std::get<FunnelResult>(detail::run_report(ds, opt, opt.threads));
}

ReportResult FunnelState::finalize(const Dataset& ds) const {
  const FunnelOptions& opt = this->opt();
  const FunnelState& s = *this;
  DealSelector selector(ds, opt.filter, PipelineIndex{0});
  const std::uint32_t p = selector.pipeline()->value;
  const FunnelShape shape(ds, p);
  if (shape.stages.size() != reached.size())
    throw Error::bad_option("partial", "funnel", "the pipeline's stages differ from the partial's");
  const std::int64_t as_of = opt.as_of->seconds;

  FunnelResult r;
  r.pipeline = p;
  r.pipeline_name = std::string(ds.str(ds.pipelines().name[p]));
  r.as_of_s = as_of;
  r.deals = s.deals;
  r.won = s.won;
  r.lost = s.lost;
  r.active = s.active;
  const auto& st = ds.stages();
  std::int32_t first_row = shape.open_rows.empty() ? -1 : static_cast<std::int32_t>(shape.open_rows[0]);
  const bool by_budget = opt.value == ValueMode::budget;
  for (std::size_t row = 0; row < shape.stages.size(); ++row) {
    FunnelStage fs;
    fs.stage = shape.stages[row];
    fs.stage_id = st.id[fs.stage];
    fs.name = std::string(ds.str(st.name[fs.stage]));
    fs.kind = st.kind[fs.stage];
    fs.reached = s.reached[row];
    fs.budget_minor = s.budget[row];
    fs.lost_here = s.lost_here[row];
    fs.lost_here_budget_minor = s.lost_budget[row];
    const auto value = [&](std::size_t r2) { return by_budget ? s.budget[r2] : s.reached[r2]; };
    const bool in_chain = fs.kind != StageKind::unsorted && first_row >= 0 && static_cast<std::int32_t>(row) >= first_row;
    fs.conversion_from_first_pct = fs.conversion_from_first_lower_pct = fs.conversion_from_first_upper_pct = kNaN;
    fs.step_conversion_pct = fs.step_conversion_lower_pct = fs.step_conversion_upper_pct = kNaN;
    if (in_chain) {
      conversion(value(row), value(first_row), s.reached[row], s.reached[first_row], opt.value, opt.confidence,
                 fs.conversion_from_first_pct, fs.conversion_from_first_lower_pct, fs.conversion_from_first_upper_pct);
      if (static_cast<std::int32_t>(row) > first_row)
        conversion(value(row), value(row - 1), s.reached[row], s.reached[row - 1], opt.value, opt.confidence,
                   fs.step_conversion_pct, fs.step_conversion_lower_pct, fs.step_conversion_upper_pct);
    }
    r.stages.push_back(std::move(fs));
  }
  auto summarize = [](const detail::DurationSet& v) {
    DurationSummary out;
    out.deals = v.count();
    out.mean_s = v.mean();
    out.median_s = v.median();
    return out;
  };
  r.won_time_to_close = summarize(s.won_durations);
  r.lost_time_to_close = summarize(s.lost_durations);
  r.km_closed = s.km.events();
  r.km_censored = s.km.size() - r.km_closed;
  r.km_median_time_to_close_s = r.km_median_lower_s = r.km_median_upper_s = kNaN;
  if (s.km.size() > 0) {
    auto m = s.km.median(opt.confidence);
    r.km_median_time_to_close_s = finite_or_nan(m.median);
    r.km_median_lower_s = finite_or_nan(m.lower);
    r.km_median_upper_s = finite_or_nan(m.upper);
  }
  return r;
}

std::vector<ResultTable> FunnelResult::to_tables() const {
  ResultTable t{"funnel", {}};
  std::vector<std::int64_t> ids, reached_v, budget_v, lost_v, lost_b;
  std::vector<std::string> names, kinds;
  std::vector<double> cf, cfl, cfu, sc, scl, scu;
  static constexpr const char* kind_names[] = {"unsorted", "open", "won", "lost"};
  for (const auto& s : stages) {
    ids.push_back(s.stage_id);
    names.push_back(s.name);
    kinds.push_back(kind_names[static_cast<int>(s.kind)]);
    reached_v.push_back(s.reached);
    budget_v.push_back(s.budget_minor);
    cf.push_back(s.conversion_from_first_pct);
    cfl.push_back(s.conversion_from_first_lower_pct);
    cfu.push_back(s.conversion_from_first_upper_pct);
    sc.push_back(s.step_conversion_pct);
    scl.push_back(s.step_conversion_lower_pct);
    scu.push_back(s.step_conversion_upper_pct);
    lost_v.push_back(s.lost_here);
    lost_b.push_back(s.lost_here_budget_minor);
  }
  t.add("stage_id", std::move(ids)).add("stage", std::move(names)).add("kind", std::move(kinds));
  t.add("reached", std::move(reached_v)).add("budget_minor", std::move(budget_v));
  t.add("conversion_from_first_pct", std::move(cf)).add("conversion_from_first_lower_pct", std::move(cfl));
  t.add("conversion_from_first_upper_pct", std::move(cfu)).add("step_conversion_pct", std::move(sc));
  t.add("step_conversion_lower_pct", std::move(scl)).add("step_conversion_upper_pct", std::move(scu));
  t.add("lost_here", std::move(lost_v)).add("lost_here_budget_minor", std::move(lost_b));

  ResultTable s{"funnel_summary", {}};
  s.add("pipeline", std::vector<std::string>{pipeline_name});
  s.add("as_of_s", std::vector<std::int64_t>{as_of_s});
  s.add("deals", std::vector<std::int64_t>{deals});
  s.add("won", std::vector<std::int64_t>{won});
  s.add("lost", std::vector<std::int64_t>{lost});
  s.add("active", std::vector<std::int64_t>{active});
  s.add("won_mean_time_to_close_s", std::vector<double>{won_time_to_close.mean_s});
  s.add("won_median_time_to_close_s", std::vector<double>{won_time_to_close.median_s});
  s.add("lost_mean_time_to_close_s", std::vector<double>{lost_time_to_close.mean_s});
  s.add("lost_median_time_to_close_s", std::vector<double>{lost_time_to_close.median_s});
  s.add("km_median_time_to_close_s", std::vector<double>{km_median_time_to_close_s});
  s.add("km_median_lower_s", std::vector<double>{km_median_lower_s});
  s.add("km_median_upper_s", std::vector<double>{km_median_upper_s});
  s.add("km_closed", std::vector<std::int64_t>{km_closed});
  s.add("km_censored", std::vector<std::int64_t>{km_censored});
  return {std::move(t), std::move(s)};
}

}  // namespace v1
}  // namespace dealstat
