// The forecast engine as a mergeable partial (docs/forecast.md, docs/distributed.md).
// accumulate: one pass over a range of deals adds every deal to the history
// statistics of every origin on the pinned grid (the backtest's origins and the
// as-of day): the pipeline model's competing-risk counts per (origin, cell, day
// slot) -- final counts once, at the first origin that sees them settled, as a
// delta summed over origins at finalize; counts still changing only at the
// origins inside their horizon --, the after-close counts, daily created deals
// and won entries (count, budget, budget squared), deals with stage history per
// pipeline and the absorbing chain's moves. Every one merges by adding counts.
// It also records, per (origin, deal active at it), what scoring needs (stage,
// age, budget, reopened, the outcome): scoring needs the model fitted from all
// deals, so it happens at finalize, in deal-id order.
// finalize: fits the pipeline and inflow models of every origin from the merged
// statistics, scores, combines, and runs the backtest's scores.
// forecast() is make -> accumulate (threads) -> finalize: one implementation.
#include "detail/parallel.hpp"
#include "forecast/episodes.hpp"
namespace fd = ::dealstat::detail;

#include "dealstat/forecast/forecast.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "dealstat/core/error.hpp"
#include "dealstat/reports/partial.hpp"
#include "dealstat/stats/distributions.hpp"
#include "dealstat/stats/poisson_binomial.hpp"
#include "dealstat/time/calendar.hpp"
#include "reports/partial_state.hpp"

namespace bc = ::dealstat::v1::detail;

namespace dealstat {
inline namespace v1 {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// pmf of a count with the given mean and variance: negative binomial when over-dispersed, else Poisson.
std::vector<double> count_pmf(double mu, double var, std::int64_t& lo) {
  lo = 0;
  if (!(mu > 0)) return {1.0};
  const bool nb = std::isfinite(var) && var > mu * (1 + 1e-9);
  const double sd = std::sqrt(nb ? var : mu);
  lo = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::floor(mu - 12 * sd - 5)));
  const auto hi = static_cast<std::int64_t>(std::ceil(mu + 14 * sd + 10));
  std::vector<double> out;
  double total = 0;
  const double r = nb ? mu * mu / (var - mu) : 0, q = nb ? r / (r + mu) : 0;
  for (std::int64_t k = lo; k <= hi; ++k) {
    const double kd = static_cast<double>(k);
    const double lp = nb ? bc::log_gamma(kd + r) - bc::log_gamma(r) - bc::log_gamma(kd + 1) + r * std::log(q) + kd * std::log1p(-q)
                         : kd * std::log(mu) - mu - bc::log_gamma(kd + 1);
    out.push_back(std::exp(lp));
    total += out.back();
  }
  for (auto& v : out) v /= total;
  return out;
}

// Smallest k with cdf >= prob over a pmf starting at lo.
double pmf_quantile(const std::vector<double>& pmf, std::int64_t lo, double prob) {
  double c = 0;
  for (std::size_t k = 0; k < pmf.size(); ++k) {
    c += pmf[k];
    if (c >= prob - 1e-12) return static_cast<double>(lo + static_cast<std::int64_t>(k));
  }
  return static_cast<double>(lo + static_cast<std::int64_t>(pmf.size()) - 1);
}

// Count intervals of (Poisson-binomial pipeline part) + (independent new part).
ForecastInterval combine_counts(const std::vector<double>& p, bool exact, double mu_new, double var_new) {
  const PoissonBinomial pb(p, exact ? PoissonBinomialMethod::automatic : PoissonBinomialMethod::refined_normal);
  const std::int64_t a = pb.quantile(1e-13), b = pb.quantile(1 - 1e-13);
  std::vector<double> f;
  for (std::int64_t k = a; k <= b; ++k) f.push_back(std::max(0.0, pb.pmf(k)));
  std::int64_t lo2 = 0;
  const std::vector<double> g = count_pmf(mu_new, var_new, lo2);
  std::vector<double> h(f.size() + g.size() - 1, 0.0);
  for (std::size_t i = 0; i < f.size(); ++i)
    if (f[i] > 0)
      for (std::size_t j = 0; j < g.size(); ++j) h[i + j] += f[i] * g[j];
  double tot = 0;
  for (double v : h) tot += v;
  for (auto& v : h) v /= tot;
  const std::int64_t lo = a + lo2;
  ForecastInterval r;
  r.mean = pb.mean() + std::max(0.0, mu_new);
  r.lower80 = pmf_quantile(h, lo, 0.10);
  r.upper80 = pmf_quantile(h, lo, 0.90);
  r.lower95 = pmf_quantile(h, lo, 0.025);
  r.upper95 = pmf_quantile(h, lo, 0.975);
  return r;
}

ForecastInterval pb_only(const std::vector<double>& p, bool exact) { return combine_counts(p, exact, 0, 0); }

ForecastInterval normal_interval(double mean, double var) {
  ForecastInterval r;
  r.mean = mean;
  const double sd = std::sqrt(std::max(0.0, var));
  const double z80 = normal_quantile(0.90), z95 = normal_quantile(0.975);
  r.lower80 = std::max(0.0, mean - z80 * sd);
  r.upper80 = mean + z80 * sd;
  r.lower95 = std::max(0.0, mean - z95 * sd);
  r.upper95 = mean + z95 * sd;
  return r;
}

ForecastInterval from_inflow(const InflowSum& s) {
  return ForecastInterval{std::max(0.0, s.mean), s.lower80, s.upper80, s.lower95, s.upper95};
}

// The regression's own track record: the N-day sum forecast at a weekly grid of past origins g (every
// 7 days from the first day + 56), each compared with what happened in [g, g + N). An origin uses the
// grid origins whose horizon ended before it and that lie in the year before it.
struct PastErrors {
  std::vector<std::int32_t> origin;  // grid origin (local day)
  std::vector<double> err;           // actual - predicted
};

PastErrors past_errors(const std::vector<double>& daily, LocalDate first_day, LocalDate last_known, std::int32_t N,
                       const InflowOptions& opt) {
  PastErrors e;
  for (std::int32_t g = first_day.days + 56; g + N <= last_known.days; g += 7) {
    const InflowModel m = InflowModel::fit(daily, first_day, LocalDate{g}, opt);
    const double pred = std::max(0.0, m.predict_sum(N).mean);
    double actual = 0;
    for (std::int32_t d = g; d < g + N; ++d) actual += daily[static_cast<std::size_t>(d - first_day.days)];
    e.origin.push_back(g);
    e.err.push_back(actual - pred);
  }
  return e;
}

// The regression interval, widened to the spread of the method's past errors when that is larger:
// sd = max(model sd, RMS of the past errors), t quantiles with the number of non-overlapping past
// horizons minus one as degrees of freedom. Needs 8 past errors; else the model interval alone.
ForecastInterval inflow_interval(const InflowSum& s, const PastErrors& e, LocalDate origin, std::int32_t N) {
  ForecastInterval r = from_inflow(s);
  double sq = 0;
  std::int64_t m = 0;
  for (std::size_t i = 0; i < e.origin.size(); ++i)
    if (e.origin[i] + N <= origin.days && e.origin[i] >= origin.days - 365) {
      sq += e.err[i] * e.err[i];
      ++m;
    }
  if (m < 8 || !std::isfinite(s.sd)) return r;
  const double sd_emp = std::sqrt(sq / static_cast<double>(m));
  if (!(sd_emp > s.sd)) return r;
  const double df = std::max(2.0, std::floor(static_cast<double>(m) * 7.0 / static_cast<double>(N)) - 1);
  const double t80 = student_t_quantile(0.90, df), t95 = student_t_quantile(0.975, df);
  r.lower80 = std::max(0.0, r.mean - t80 * sd_emp);
  r.upper80 = r.mean + t80 * sd_emp;
  r.lower95 = std::max(0.0, r.mean - t95 * sd_emp);
  r.upper95 = r.mean + t95 * sd_emp;
  return r;
}


// What the options and the entity tables fix: the origin grid, the array shapes.
struct Geometry {
  LocalDate D;        // as-of day
  LocalDate base;     // first day of the daily arrays (the pinned earliest creation; <= the filtered first day)
  std::int64_t T = 0; // its first instant
  std::int32_t N = 0;
  std::vector<LocalDate> od;  // grid backtest origins (every bucket start >= base + warmup), then D
  std::vector<std::int64_t> O, E;
  std::size_t K = 0, KB = 0, days = 0, S = 0, P = 0, L = 0, C = 0, slots = 0;
  std::vector<std::int64_t> lm;
  fd::ChainIndex chain;
  std::size_t chain_size() const { return chain.stage_of.size() * (chain.stage_of.size() + 2); }
  std::size_t at(std::size_t k, std::uint32_t cell, std::uint8_t kd, std::uint32_t slot) const {
    return ((k * C + cell) * 3 + kd) * slots + slot;
  }
};

Geometry geometry(const Dataset& ds, const ForecastOptions& opt, std::int64_t first) {
  Geometry g;
  const TimeZone& tz = ds.account().time_zone;
  const Weekday fdow = ds.account().first_day_of_week;
  g.D = *opt.as_of;
  g.T = tz.start_of_day(g.D).seconds;
  g.N = opt.horizon_days;
  g.base = first == std::numeric_limits<std::int64_t>::max() ? g.D : std::min(g.D, tz.local_date(Timestamp{first}));
  g.days = static_cast<std::size_t>(g.D.days - g.base.days);
  if (opt.backtest) {
    const LocalDate w{g.base.days + opt.warmup_days};
    LocalDate d = bucket_start(w, opt.bucket, fdow);
    if (d < w) d = bucket_next(d, opt.bucket, fdow);
    for (; d.days + g.N <= g.D.days; d = bucket_next(d, opt.bucket, fdow)) g.od.push_back(d);
  }
  g.KB = g.od.size();
  g.od.push_back(g.D);
  g.K = g.od.size();
  g.O.resize(g.K);
  g.E.resize(g.K);
  for (std::size_t k = 0; k < g.K; ++k) {
    g.O[k] = tz.start_of_day(g.od[k]).seconds;
    g.E[k] = tz.start_of_day(LocalDate{g.od[k].days + g.N}).seconds;
  }
  g.S = ds.stages().size();
  g.P = ds.pipelines().size();
  g.L = opt.landmarks_days.size();
  g.C = (2 * g.S + g.P) * g.L;  // stage rows, cohort rows, reopened stage rows
  g.slots = static_cast<std::size_t>(g.N) + 1;
  for (auto d : opt.landmarks_days) g.lm.push_back(static_cast<std::int64_t>(d) * fd::kDaySeconds);
  g.chain = fd::chain_index(ds.stages().kind);
  return g;
}

// One deal active at one origin, as scoring needs it.
struct Scored {
  std::int64_t deal_id = 0;
  std::int64_t age_stage_s = 0;    // origin - entry into its stage (when it has a state)
  std::int64_t age_created_s = 0;  // origin - created_at
  std::int64_t budget_minor = 0;
  std::uint32_t k = 0;              // grid origin
  std::uint32_t stage = 0;          // stage row of its state; kNoStage when its recorded path starts later
  std::uint32_t stage0 = 0;         // first stage on its path (the cohort rows' stage)
  std::uint32_t pipeline = 0;
  std::uint8_t reopened = 0;        // active again after an earlier close (read from the path before the origin)
  std::uint8_t won = 0;             // in a won stage at the horizon's end (backtest origins)
};
constexpr std::uint32_t kNoStage = std::numeric_limits<std::uint32_t>::max();

// Indices of the records in (origin, deal id) order (a deal is active at most once per origin).
std::vector<std::size_t> record_order(const std::vector<Scored>& v) {
  std::vector<std::size_t> out(v.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = i;
  std::sort(out.begin(), out.end(), [&](std::size_t x, std::size_t y) {
    const Scored &a = v[x], &b = v[y];
    return a.k != b.k ? a.k < b.k : a.deal_id < b.deal_id;
  });
  return out;
}

void write_i32s(bc::ByteWriter& w, const std::vector<std::int32_t>& v) {
  w.uint(static_cast<std::uint64_t>(v.size()));
  // Runs: u64 zeros, u64 n, n x i32 (the counts are sparse).
  std::size_t i = 0;
  while (i < v.size()) {
    std::size_t z = i;
    while (z < v.size() && v[z] == 0) ++z;
    std::size_t e = z;
    while (e < v.size() && v[e] != 0) ++e;
    w.uint(static_cast<std::uint64_t>(z - i));
    w.uint(static_cast<std::uint64_t>(e - z));
    for (std::size_t x = z; x < e; ++x) w.i32(v[x]);
    i = e;
  }
}
std::vector<std::int32_t> read_i32s(bc::ByteReader& r) {
  const auto n = r.uint<std::uint64_t>();
  if (n > (std::uint64_t{1} << 40)) r.fail("array too long");
  std::vector<std::int32_t> v;
  while (v.size() < n) {
    const auto z = r.uint<std::uint64_t>();
    const auto m = r.uint<std::uint64_t>();
    if (z > n - v.size() || m > n - v.size() - z || m > r.remaining() / 4) r.fail("bad run");
    if (z == 0 && m == 0) r.fail("empty run");
    v.resize(v.size() + z, 0);
    for (std::uint64_t x = 0; x < m; ++x) v.push_back(r.i32());
  }
  return v;
}

[[noreturn]] void shape_mismatch() {
  throw Error::bad_option("partial", "forecast", "the partial's shape does not match its options and entity tables");
}

// The forecast's partial state over a range of deals.
struct ForecastState final : ReportPartial::State {
  std::shared_ptr<const Geometry> g;          // set by make() / prepare()
  std::shared_ptr<const DealSelector> sel;    // between prepare() and release()

  std::vector<std::int32_t> final_delta, transient;  // [K][C][won, lost, censored][slots]
  std::vector<std::int64_t> after_delta;             // [K][won, lost][closes, diff d = 1..N]: closes settled at origin k
  std::vector<std::int64_t> created, won_count, won_budget;  // per day from base
  std::vector<std::uint64_t> won_budget_sq_lo, won_budget_sq_hi;  // per day: sum of budget^2 (exact, 128-bit)
  std::vector<std::int64_t> history;     // per pipeline: deals with a recorded stage change (any deal)
  std::vector<std::int64_t> moves;       // absorbing-chain moves before the as-of day
  std::vector<std::int64_t> new_won, new_won_budget;  // per origin: deals created inside the horizon and won
  std::int64_t first_created = std::numeric_limits<std::int64_t>::max();  // earliest selected creation
  std::vector<Scored> scored;

  const ForecastOptions& opt() const { return std::get<ForecastOptions>(options); }

  void resize(const Geometry& x) {
    final_delta.assign(x.K * x.C * 3 * x.slots, 0);
    transient.assign(x.K * x.C * 3 * x.slots, 0);
    after_delta.assign(x.K * 2 * x.slots, 0);
    created.assign(x.days, 0);
    won_count.assign(x.days, 0);
    won_budget.assign(x.days, 0);
    won_budget_sq_lo.assign(x.days, 0);
    won_budget_sq_hi.assign(x.days, 0);
    history.assign(x.P, 0);
    moves.assign(x.chain_size(), 0);
    new_won.assign(x.K, 0);
    new_won_budget.assign(x.K, 0);
  }

  std::unique_ptr<ReportPartial::State> clone() const override { return std::make_unique<ForecastState>(*this); }
  std::unique_ptr<ReportPartial::State> empty_like() const override {
    auto s = std::make_unique<ForecastState>();
    s->options = options;
    s->first = first;
    s->g = g;
    s->sel = sel;
    s->resize(*g);
    return s;
  }
  void prepare(const Dataset& ds) override {
    auto x = std::make_shared<const Geometry>(geometry(ds, opt(), first));
    if (final_delta.size() != x->K * x->C * 3 * x->slots || created.size() != x->days || history.size() != x->P ||
        moves.size() != x->chain_size())
      shape_mismatch();
    g = std::move(x);
    DealFilter f = opt().filter;
    f.period = {};
    f.status = StatusFilter::all;
    sel = std::make_shared<const DealSelector>(ds, f);
  }
  void release() override { sel.reset(); }
  std::size_t rows(const Dataset& ds) const override { return ds.deals().size(); }
  bool exact() const override { return true; }

  void add_rows(const Dataset& ds, std::size_t b, std::size_t e) override {
    for (std::size_t i = b; i < e; ++i) add_deal(ds, i);
  }

  void add_deal(const Dataset& ds, std::size_t i) {
    const Geometry& x = *g;
    const auto& deals = ds.deals();
    const auto& kind = ds.stages().kind;
    const TimeZone& tz = ds.account().time_zone;
    const PathView path = ds.paths().path(i);
    // A pipeline in which no deal has a recorded stage change carries no stage history (snapshot exports):
    // its active deals are scored by the creation cohort. Counted over every deal, selected or not.
    if (path.size() > 1) ++history[deals.pipeline[i]];
    if (!sel->selects_ignoring_period(i)) return;
    const std::int64_t created_at = deals.created_at[i];
    first_created = std::min(first_created, created_at);
    fd::add_chain_moves(path, kind, x.chain, x.T, moves);
    const auto& O = x.O;
    const auto& E = x.E;
    const std::size_t K = x.K;
    const std::int32_t N = x.N;
    if (created_at < x.T) {
      const std::int32_t cd = tz.local_date(Timestamp{created_at}).days - x.base.days;
      if (cd >= 0 && static_cast<std::size_t>(cd) < x.days) ++created[static_cast<std::size_t>(cd)];
      // Closes: each counts at the first origin that sees it for a whole horizon (w + N days <= origin).
      std::int64_t* ac = nullptr;
      fd::for_each_close(
          path, kind, N,
          [&](std::int64_t w, bool won) {
            const auto i1 = static_cast<std::size_t>(
                std::lower_bound(O.begin(), O.end(), w + static_cast<std::int64_t>(N) * fd::kDaySeconds) - O.begin());
            ac = i1 < K ? &after_delta[(i1 * 2 + (won ? 0 : 1)) * x.slots] : nullptr;
            if (!ac) return;
            ++ac[0];
            if (won) ++ac[1];  // in a won stage from d = 1 on until a change
          },
          [&](std::uint32_t d, int delta) {
            if (ac) ac[d] += delta;
          });
      // Won entries by local day (entries before the base day are outside every series).
      const std::int64_t bud = deals.budget_minor[i];
      for (std::size_t k = 0; k < path.size(); ++k)
        if (kind[path.stage[k]] == StageKind::won && path.entered_at[k] < x.T) {
          const std::int32_t d = tz.local_date(Timestamp{path.entered_at[k]}).days - x.base.days;
          if (d < 0 || static_cast<std::size_t>(d) >= x.days) continue;
          const auto du = static_cast<std::size_t>(d);
          ++won_count[du];
          won_budget[du] += bud;
          const std::uint64_t m = static_cast<std::uint64_t>(bud < 0 ? -bud : bud);
          // m * m as 128 bits: (mh * 2^32 + ml)^2.
          const std::uint64_t mh = m >> 32, ml = m & 0xffffffffu;
          const std::uint64_t ll = ml * ml, lh = ml * mh, hh = mh * mh;
          std::uint64_t lo = ll + (lh << 33);
          std::uint64_t hi = hh + (lh >> 31) + (lo < ll ? 1 : 0);
          const std::uint64_t old = won_budget_sq_lo[du];
          won_budget_sq_lo[du] += lo;
          won_budget_sq_hi[du] += hi + (won_budget_sq_lo[du] < old ? 1 : 0);
        }
      fd::for_each_episode(ds, i, x.lm, [&](const fd::Episode& ep) {
        const auto i0 = static_cast<std::size_t>(std::upper_bound(O.begin(), O.end(), ep.landmark) - O.begin());
        if (i0 >= K) return;
        const std::int64_t tau = fd::settle_time(ep, N);
        const auto i1 = static_cast<std::size_t>(std::lower_bound(O.begin(), O.end(), tau) - O.begin());
        for (std::size_t k = i0; k < i1; ++k) {
          const auto hit = fd::slot_at(ep, O[k], N);
          ++transient[x.at(k, ep.cell, hit.kind, hit.slot)];
        }
        if (i1 < K) {
          const auto hit = fd::slot_at(ep, O[std::max(i0, i1)], N);
          ++final_delta[x.at(std::max(i0, i1), ep.cell, hit.kind, hit.slot)];
        }
      });
    }
    // The deal at every origin whose horizon could contain its creation (E[k] > created): active at the
    // origin (scored at finalize), or created inside a backtest horizon (a new deal, won or not).
    if (path.size() == 0) return;
    const bool ends_closed = is_closed_kind(kind[path.stage[path.size() - 1]]);
    std::ptrdiff_t first_closed = static_cast<std::ptrdiff_t>(path.size());
    for (std::size_t q = 0; q < path.size(); ++q)
      if (is_closed_kind(kind[path.stage[q]])) {
        first_closed = static_cast<std::ptrdiff_t>(q);
        break;
      }
    const std::int64_t last = path.entered_at[path.size() - 1];
    auto k = static_cast<std::size_t>(std::upper_bound(E.begin(), E.end(), created_at) - E.begin());
    for (; k < K; ++k) {
      if (ends_closed && O[k] > last) break;  // closed for good before this origin
      const bool backtest = k < x.KB;
      if (created_at < O[k]) {
        // State just before the origin; a deal whose recorded path starts later was active then.
        const auto st = fd::state_before(path, O[k]);
        if (st >= 0 && is_closed_kind(kind[path.stage[static_cast<std::size_t>(st)]])) continue;
        Scored r;
        r.deal_id = deals.id[i];
        r.age_stage_s = st >= 0 ? O[k] - path.entered_at[static_cast<std::size_t>(st)] : 0;
        r.age_created_s = O[k] - created_at;
        r.budget_minor = deals.budget_minor[i];
        r.k = static_cast<std::uint32_t>(k);
        r.stage = st >= 0 ? path.stage[static_cast<std::size_t>(st)] : kNoStage;
        r.stage0 = path.stage[0];
        r.pipeline = deals.pipeline[i];
        r.reopened = st >= 0 && first_closed < st;
        if (backtest) {
          const auto st2 = fd::state_before(path, E[k]);
          r.won = st2 >= 0 && kind[path.stage[static_cast<std::size_t>(st2)]] == StageKind::won;
        }
        scored.push_back(r);
      } else if (backtest && created_at < E[k]) {
        const auto st2 = fd::state_before(path, E[k]);
        if (st2 >= 0 && kind[path.stage[static_cast<std::size_t>(st2)]] == StageKind::won) {
          ++new_won[k];
          new_won_budget[k] += deals.budget_minor[i];
        }
      }
    }
  }

  void merge_from(const ReportPartial::State& other) override {
    const auto& o = static_cast<const ForecastState&>(other);
    if (o.final_delta.size() != final_delta.size() || o.after_delta.size() != after_delta.size() ||
        o.created.size() != created.size() || o.history.size() != history.size() || o.moves.size() != moves.size() ||
        o.new_won.size() != new_won.size())
      shape_mismatch();
    for (std::size_t q = 0; q < final_delta.size(); ++q) {
      final_delta[q] += o.final_delta[q];
      transient[q] += o.transient[q];
    }
    bc::add_into(after_delta, o.after_delta);
    bc::add_into(created, o.created);
    bc::add_into(won_count, o.won_count);
    bc::add_into(won_budget, o.won_budget);
    for (std::size_t q = 0; q < won_budget_sq_lo.size(); ++q) {
      const std::uint64_t old = won_budget_sq_lo[q];
      won_budget_sq_lo[q] += o.won_budget_sq_lo[q];
      won_budget_sq_hi[q] += o.won_budget_sq_hi[q] + (won_budget_sq_lo[q] < old ? 1 : 0);
    }
    bc::add_into(history, o.history);
    bc::add_into(moves, o.moves);
    bc::add_into(new_won, o.new_won);
    bc::add_into(new_won_budget, o.new_won_budget);
    first_created = std::min(first_created, o.first_created);
    scored.insert(scored.end(), o.scored.begin(), o.scored.end());
  }

  void write(bc::ByteWriter& w) const override {
    write_i32s(w, final_delta);
    write_i32s(w, transient);
    bc::write_i64s(w, after_delta);
    bc::write_i64s(w, created);
    bc::write_i64s(w, won_count);
    bc::write_i64s(w, won_budget);
    w.uint(static_cast<std::uint64_t>(won_budget_sq_lo.size()));
    for (std::size_t q = 0; q < won_budget_sq_lo.size(); ++q) {
      w.uint(won_budget_sq_lo[q]);
      w.uint(won_budget_sq_hi[q]);
    }
    bc::write_i64s(w, history);
    bc::write_i64s(w, moves);
    bc::write_i64s(w, new_won);
    bc::write_i64s(w, new_won_budget);
    w.uint(static_cast<std::uint64_t>(first_created));
    // Records in (origin, deal id) order: the bytes do not depend on the split or the merge order.
    w.uint(static_cast<std::uint64_t>(scored.size()));
    for (const std::size_t i : record_order(scored)) {
      const Scored& r = scored[i];
      w.uint(static_cast<std::uint64_t>(r.deal_id));
      w.uint(static_cast<std::uint64_t>(r.age_stage_s));
      w.uint(static_cast<std::uint64_t>(r.age_created_s));
      w.uint(static_cast<std::uint64_t>(r.budget_minor));
      w.uint(r.k);
      w.uint(r.stage);
      w.uint(r.stage0);
      w.uint(r.pipeline);
      w.uint(static_cast<std::uint8_t>(r.reopened | (r.won << 1)));
    }
  }

  void read(bc::ByteReader& r) override {
    final_delta = read_i32s(r);
    transient = read_i32s(r);
    if (transient.size() != final_delta.size()) r.fail("array length does not match");
    after_delta = bc::read_i64s(r);
    created = bc::read_i64s(r);
    won_count = bc::read_i64s(r, created.size());
    won_budget = bc::read_i64s(r, created.size());
    if (r.uint<std::uint64_t>() != created.size()) r.fail("array length does not match");
    won_budget_sq_lo.resize(created.size());
    won_budget_sq_hi.resize(created.size());
    for (std::size_t q = 0; q < created.size(); ++q) {
      won_budget_sq_lo[q] = r.uint<std::uint64_t>();
      won_budget_sq_hi[q] = r.uint<std::uint64_t>();
    }
    history = bc::read_i64s(r);
    moves = bc::read_i64s(r);
    new_won = bc::read_i64s(r);
    new_won_budget = bc::read_i64s(r, new_won.size());
    first_created = static_cast<std::int64_t>(r.uint<std::uint64_t>());
    const auto n = r.uint<std::uint64_t>();
    if (n > r.remaining() / 49) r.fail("truncated input");
    scored.resize(static_cast<std::size_t>(n));
    for (auto& x : scored) {
      x.deal_id = static_cast<std::int64_t>(r.uint<std::uint64_t>());
      x.age_stage_s = static_cast<std::int64_t>(r.uint<std::uint64_t>());
      x.age_created_s = static_cast<std::int64_t>(r.uint<std::uint64_t>());
      x.budget_minor = static_cast<std::int64_t>(r.uint<std::uint64_t>());
      x.k = r.uint<std::uint32_t>();
      x.stage = r.uint<std::uint32_t>();
      x.stage0 = r.uint<std::uint32_t>();
      x.pipeline = r.uint<std::uint32_t>();
      const auto flags = r.uint<std::uint8_t>();
      if (flags > 3) r.fail("bad deal flags");
      x.reopened = flags & 1;
      x.won = (flags >> 1) & 1;
    }
  }

  ReportResult finalize(const Dataset& ds) const override;
};

void validate(const ForecastOptions& opt) {
  if (opt.horizon_days <= 0 || opt.horizon_days > 364)
    throw Error::bad_option("horizon_days", std::to_string(opt.horizon_days), "must be between 1 and 364");
  if (opt.bucket != Bucket::week && opt.bucket != Bucket::month)
    throw Error::bad_option("bucket", bucket_name(opt.bucket), "backtest origins are every week or month");
  if (opt.warmup_days < 1)
    throw Error::bad_option("warmup_days", std::to_string(opt.warmup_days), "must be at least 1");
  if (opt.inflow.window_days < 1)
    throw Error::bad_option("window_days", std::to_string(opt.inflow.window_days), "must be at least 1");
  PipelineModelOptions pm_opt{opt.horizon_days, opt.landmarks_days, opt.prior_strength};
  (void)PipelineModel::from_counts(0, 0, pm_opt, {});  // validates the options
}

}  // namespace

namespace detail {

std::unique_ptr<ReportPartial::State> make_forecast_state(const Dataset& ds, const ForecastOptions& opt, std::int64_t first) {
  validate(opt);
  DealFilter f = opt.filter;
  f.period = {};
  f.status = StatusFilter::all;
  (void)DealSelector(ds, f);  // validates the filter
  auto s = std::make_unique<ForecastState>();
  s->options = opt;
  s->first = first;
  s->g = std::make_shared<const Geometry>(geometry(ds, opt, first));
  s->resize(*s->g);
  return s;
}

std::unique_ptr<ReportPartial::State> blank_forecast_state() { return std::make_unique<ForecastState>(); }

}  // namespace detail

ForecastResult forecast(const Dataset& ds, const ForecastOptions& opt) {
  ReportPartial p = ReportPartial::make(ds, opt);
  p.accumulate(ds, opt.threads);
  return std::get<ForecastResult>(p.finalize(ds));
}

ReportResult ForecastState::finalize(const Dataset& ds) const {
  const ForecastOptions& opt = this->opt();
  validate(opt);
  const Geometry x = geometry(ds, opt, first);
  if (final_delta.size() != x.K * x.C * 3 * x.slots || after_delta.size() != x.K * 2 * x.slots ||
      created.size() != x.days || history.size() != x.P || moves.size() != x.chain_size() || new_won.size() != x.K)
    shape_mismatch();
  const TimeZone& tz = ds.account().time_zone;
  const auto& kind = ds.stages().kind;
  const std::int32_t N = x.N;
  const std::size_t S = x.S, P = x.P, C = x.C, slots = x.slots;
  const PipelineModelOptions pm_opt{opt.horizon_days, opt.landmarks_days, opt.prior_strength};
  const LocalDate D = x.D;
  // First day of the data: the earliest selected creation (merged); the arrays start at the base day.
  const LocalDate first_day = first_created == std::numeric_limits<std::int64_t>::max()
                                  ? D : std::min(D, tz.local_date(Timestamp{first_created}));
  if (first_day < x.base) shape_mismatch();
  const std::size_t off = static_cast<std::size_t>(first_day.days - x.base.days);
  // Origins: the grid's backtest origins from first day + warmup on (every bucket start at or after
  // it: the grid holds all of them from the base day on), then the as-of day.
  std::vector<std::size_t> ks;
  for (std::size_t k = 0; k < x.KB; ++k)
    if (x.od[k].days >= first_day.days + opt.warmup_days) ks.push_back(k);
  const std::size_t KB = ks.size();
  ks.push_back(x.K - 1);
  const std::size_t K = ks.size();
  std::vector<LocalDate> od(K);
  std::vector<std::int64_t> O(K);
  for (std::size_t j = 0; j < K; ++j) {
    od[j] = x.od[ks[j]];
    O[j] = x.O[ks[j]];
  }
  std::vector<std::uint8_t> has_history(P, 0);
  for (std::size_t q = 0; q < P; ++q) has_history[q] = history[q] > 0;

  // Models: final counts accumulate over the grid's origins; each origin adds its own still-changing counts.
  std::vector<PipelineModel> models;
  models.reserve(K);
  {
    const std::size_t per_origin = C * 3 * slots;
    std::vector<std::int64_t> fin(per_origin, 0), aft(2 * slots, 0);
    std::size_t j = 0;
    for (std::size_t k = 0; k < x.K && j < K; ++k) {
      for (std::size_t q = 0; q < per_origin; ++q) fin[q] += final_delta[k * per_origin + q];
      for (std::size_t q = 0; q < 2 * slots; ++q) aft[q] += after_delta[k * 2 * slots + q];
      if (ks[j] != k) continue;
      ++j;
      std::vector<CompetingRiskCounts> cells(C, CompetingRiskCounts(static_cast<std::size_t>(N)));
      for (std::uint32_t c = 0; c < C; ++c)
        for (std::uint32_t s = 0; s < slots; ++s) {
          const std::size_t a0 = x.at(0, c, 0, s), a1 = x.at(0, c, 1, s), a2 = x.at(0, c, 2, s);
          cells[c].won[s] = fin[a0] + transient[k * per_origin + a0];
          cells[c].lost[s] = fin[a1] + transient[k * per_origin + a1];
          cells[c].censored[s] = fin[a2] + transient[k * per_origin + a2];
        }
      AfterCloseCounts after(static_cast<std::size_t>(N));
      for (int w = 0; w < 2; ++w) {
        const std::int64_t* a = &aft[static_cast<std::size_t>(w) * slots];
        (w == 0 ? after.won_closes : after.lost_closes) = a[0];
        auto& out = w == 0 ? after.won_after_won : after.won_after_lost;
        std::int64_t v = 0;
        for (std::size_t d = 1; d < slots; ++d) out[d] = v += a[d];
      }
      models.push_back(PipelineModel::from_counts(S, P, pm_opt, cells, after));
    }
  }

  // Daily series from the first day.
  const auto slice = [&](const std::vector<std::int64_t>& v) {
    return std::vector<std::int64_t>(v.begin() + static_cast<std::ptrdiff_t>(off), v.end());
  };
  const std::vector<std::int64_t> created_daily = slice(created), won_count_daily = slice(won_count),
                                  won_budget_daily = slice(won_budget);

  // Origins are scored on the report's threads, each origin whole by one thread into its own
  // slots (p, budget, won, parts below), so the result does not depend on the threads.
  const unsigned threads = fd::resolve_threads(opt.threads, K, 1);

  // Active deals per origin, in deal-id order (the same order however the rows were split):
  // the records bucketed by grid origin k into order[from[k] .. from[k + 1]), each origin's
  // bucket sorted by deal id by the thread that scores it.
  std::vector<std::vector<double>> p(K), budget(K);
  std::vector<std::vector<std::uint8_t>> won(K);
  std::vector<ForecastDeal> as_of_deals;
  std::vector<std::uint32_t> deal_stage;
  {
    std::vector<std::size_t> from(x.K + 1, 0);
    for (const Scored& r : scored) {
      if (r.k >= x.K) shape_mismatch();
      ++from[r.k + 1];
    }
    for (std::size_t k = 0; k < x.K; ++k) from[k + 1] += from[k];
    std::vector<std::size_t> order(scored.size());
    {
      std::vector<std::size_t> next(from.begin(), from.end() - 1);
      for (std::size_t i = 0; i < scored.size(); ++i) order[next[scored[i].k]++] = i;
    }
    fd::for_each_index(K, threads, [&](std::size_t ju) {
      const auto b = order.begin() + static_cast<std::ptrdiff_t>(from[ks[ju]]);
      const auto e = order.begin() + static_cast<std::ptrdiff_t>(from[ks[ju] + 1]);
      std::sort(b, e, [&](std::size_t u, std::size_t v) { return scored[u].deal_id < scored[v].deal_id; });
      p[ju].reserve(static_cast<std::size_t>(e - b));
      budget[ju].reserve(static_cast<std::size_t>(e - b));
      for (auto at = b; at != e; ++at) {
        const Scored& r = scored[*at];
        const bool by_stage = r.stage != kNoStage && has_history[r.pipeline];
        const std::uint32_t stage = by_stage ? r.stage : r.stage0;
        const std::int64_t age = by_stage ? r.age_stage_s : r.age_created_s;
        const bool reopened = by_stage && r.reopened;
        const double pr = by_stage ? models[ju].win_probability(stage, age, reopened)
                                   : models[ju].cohort_probability(r.pipeline, age);
        p[ju].push_back(pr);
        budget[ju].push_back(static_cast<double>(r.budget_minor));
        if (ju < KB) {
          won[ju].push_back(r.won);
        } else {
          as_of_deals.push_back(ForecastDeal{r.deal_id, ds.stages().id[stage], age, r.budget_minor, pr, reopened});
          deal_stage.push_back(stage);
        }
      }
    });
  }

  // ---- Per origin: combine the parts, compare with what happened.
  std::vector<double> created_d(created_daily.begin(), created_daily.end());
  std::vector<double> won_budget_d(won_budget_daily.begin(), won_budget_daily.end());
  const auto window_sum = [&](const std::vector<std::int64_t>& v, std::int64_t from, std::int64_t to) {
    if (from < 0) return kNaN;
    std::int64_t sum = 0;
    for (std::int64_t d = from; d < to; ++d) sum += v[static_cast<std::size_t>(d)];
    return static_cast<double>(sum);
  };
  // The inflow regressions' past errors (weekly grid, known before the as-of day).
  const PastErrors created_errors = past_errors(created_d, first_day, D, N, opt.inflow);
  const PastErrors won_budget_errors = past_errors(won_budget_d, first_day, D, N, opt.inflow);
  // What each origin's forecast combines (filled on the threads, one origin per call).
  struct OriginParts {
    ForecastInterval count, budget_iv, created_iv, reg;
    WeightedBernoulliSum wb;
    double mu_new = 0, var_new = 0, new_budget_mean = 0, new_budget_var = 0;
    BacktestOrigin o;  // backtest origins only
  };
  std::vector<OriginParts> parts(K);
  // The latest origins (the as-of one first) have the most history: start them first.
  fd::for_each_index(K, threads, [&](std::size_t idx) {
    const std::size_t k = K - 1 - idx;
    const bool scored_origin = k < KB;
    const std::int64_t d0 = od[k].days - first_day.days;  // day offset of the origin
    const auto& pk = p[k];
    // Inflow: daily creations, thinned by the new-deal win curve.
    const InflowModel inflow = InflowModel::fit(created_d, first_day, od[k], opt.inflow);
    const std::vector<double> lambda = inflow.predict_days(N);
    std::vector<double> q(static_cast<std::size_t>(N));
    double mu_new = 0, thin_var = 0;
    for (std::int32_t j = 0; j < N; ++j) {
      const double qj = 0.5 * (models[k].new_deal_win_probability(N - j - 1) + models[k].new_deal_win_probability(N - j));
      q[static_cast<std::size_t>(j)] = qj;
      const double lj = std::max(0.0, lambda[static_cast<std::size_t>(j)]);
      mu_new += lj * qj;
      thin_var += lj * qj * (1 - qj);
    }
    const InflowSum created_sum = inflow.predict_sum(N);
    const InflowSum weighted = inflow.predict_sum(N, q);
    const double var_new = thin_var + (std::isfinite(weighted.sd) ? weighted.sd * weighted.sd : 0.0);
    // Recent won budgets (the year before the origin): mean and variance per won deal, from exact sums.
    double bsum = 0, bsq = 0, bn = 0;
    {
      const std::int64_t from = std::max<std::int64_t>(0, static_cast<std::int64_t>(off) + d0 - 365);
      const std::int64_t to = static_cast<std::int64_t>(off) + d0;
      std::int64_t n_won = 0, s_won = 0;
      std::uint64_t lo = 0, hi = 0;
      for (std::int64_t d = from; d < to; ++d) {
        const auto du = static_cast<std::size_t>(d);
        n_won += won_count[du];
        s_won += won_budget[du];
        const std::uint64_t old = lo;
        lo += won_budget_sq_lo[du];
        hi += won_budget_sq_hi[du] + (lo < old ? 1 : 0);
      }
      bn = static_cast<double>(n_won);
      bsum = static_cast<double>(s_won);
      bsq = std::ldexp(static_cast<double>(hi), 64) + static_cast<double>(lo);
    }
    const double bmean = bn > 0 ? bsum / bn : 0.0;
    const double bvar = bn > 1 ? std::max(0.0, (bsq - bsum * bmean) / (bn - 1)) : 0.0;
    // Exact Poisson-binomial for the as-of forecast; refined normal in the backtest when sigma > 30.
    double pvar = 0;
    for (double v : pk) pvar += v * (1 - v);
    const bool exact = !scored_origin || pvar <= 900;
    const ForecastInterval count = combine_counts(pk, exact, mu_new, var_new);
    const WeightedBernoulliSum wb = weighted_bernoulli_sum(pk, budget[k], 0.95);
    const double new_budget_mean = mu_new * bmean;
    const double new_budget_var = mu_new * bvar + bmean * bmean * var_new;
    const ForecastInterval budget_iv = normal_interval(wb.mean + new_budget_mean, wb.variance + new_budget_var);
    const InflowModel won_reg = InflowModel::fit(won_budget_d, first_day, od[k], opt.inflow);
    const ForecastInterval reg = inflow_interval(won_reg.predict_sum(N), won_budget_errors, od[k], N);
    const ForecastInterval created_iv = inflow_interval(created_sum, created_errors, od[k], N);
    OriginParts& part = parts[k];
    part.count = count;
    part.budget_iv = budget_iv;
    part.created_iv = created_iv;
    part.reg = reg;
    part.wb = wb;
    part.mu_new = mu_new;
    part.var_new = var_new;
    part.new_budget_mean = new_budget_mean;
    part.new_budget_var = new_budget_var;

    if (scored_origin) {
      const std::size_t g = ks[k];
      BacktestOrigin& o = part.o;
      o.origin = od[k];
      o.origin_s = O[k];
      o.active_deals = static_cast<std::int64_t>(pk.size());
      double ep = 0;
      std::int64_t wp = 0, wpb = 0;
      for (std::size_t v = 0; v < pk.size(); ++v) {
        ep += pk[v];
        if (won[k][v]) {
          ++wp;
          wpb += static_cast<std::int64_t>(budget[k][v]);
        }
      }
      o.expected_from_pipeline = ep;
      o.won_from_pipeline = wp;
      const std::int64_t dn = d0 - N, ds364 = d0 - 364;
      const auto fill = [&](BacktestSeries s, const ForecastInterval& iv, double actual, const std::vector<std::int64_t>& daily) {
        BacktestPoint& pt = o.points[static_cast<std::size_t>(s)];
        pt.predicted = iv.mean;
        pt.lower80 = iv.lower80;
        pt.upper80 = iv.upper80;
        pt.lower95 = iv.lower95;
        pt.upper95 = iv.upper95;
        pt.actual = actual;
        pt.naive = window_sum(daily, dn, d0);
        pt.seasonal_naive = window_sum(daily, ds364, ds364 + N);
      };
      fill(BacktestSeries::won_count, count, static_cast<double>(wp + new_won[g]), won_count_daily);
      fill(BacktestSeries::won_budget_minor, budget_iv, static_cast<double>(wpb + new_won_budget[g]), won_budget_daily);
      fill(BacktestSeries::created, created_iv, window_sum(created_daily, d0, d0 + N), created_daily);
      fill(BacktestSeries::won_budget_regression_minor, reg, static_cast<double>(wpb + new_won_budget[g]),
           won_budget_daily);
    }
  });

  ForecastResult res;
  res.backtest.horizon_days = N;
  res.backtest.bucket = opt.bucket;
  std::vector<double> cal_p;
  std::vector<std::uint8_t> cal_o;
  for (std::size_t k = 0; k < KB; ++k) {
    res.backtest.origins.push_back(parts[k].o);
    cal_p.insert(cal_p.end(), p[k].begin(), p[k].end());
    cal_o.insert(cal_o.end(), won[k].begin(), won[k].end());
  }
  {
    // The as-of forecast.
    const std::size_t k = K - 1;
    const auto& pk = p[k];
    const OriginParts& part = parts[k];
    const ForecastInterval &count = part.count, &budget_iv = part.budget_iv, &created_iv = part.created_iv,
                           &reg = part.reg;
    const WeightedBernoulliSum& wb = part.wb;
    const double mu_new = part.mu_new, var_new = part.var_new, new_budget_mean = part.new_budget_mean,
                 new_budget_var = part.new_budget_var;
    res.as_of = od[k];
    res.as_of_s = O[k];
    res.horizon_days = N;
    res.active_deals = static_cast<std::int64_t>(pk.size());
    res.won_count = count;
    res.won_count_pipeline = pb_only(pk, true);
    {
      std::int64_t lo2 = 0;
      const auto gp = count_pmf(mu_new, var_new, lo2);
      res.won_count_new = ForecastInterval{mu_new, pmf_quantile(gp, lo2, 0.10), pmf_quantile(gp, lo2, 0.90),
                                           pmf_quantile(gp, lo2, 0.025), pmf_quantile(gp, lo2, 0.975)};
    }
    res.won_budget_minor = budget_iv;
    res.won_budget_pipeline_minor = normal_interval(wb.mean, wb.variance);
    res.won_budget_new_minor = normal_interval(new_budget_mean, new_budget_var);
    res.created = created_iv;
    res.won_budget_regression_minor = reg;
    // Per stage.
    const std::vector<double> chain = fd::chain_win_probability_from_moves(x.chain, S, moves);
    std::vector<ForecastStage> st(S);
    std::vector<std::uint8_t> keep(S, 0);
    for (std::size_t v = 0; v < as_of_deals.size(); ++v) {
      auto& row = st[deal_stage[v]];
      ++row.active;
      row.expected_won += as_of_deals[v].probability;
      row.expected_won_budget_minor += as_of_deals[v].probability * static_cast<double>(as_of_deals[v].budget_minor);
      keep[deal_stage[v]] = 1;
    }
    for (std::uint32_t s = 0; s < S; ++s) {
      if (is_closed_kind(kind[s])) continue;
      if (!keep[s] && models[k].cell_at_risk(s, 0) == 0) continue;
      auto row = st[s];
      row.stage = s;
      row.stage_id = ds.stages().id[s];
      row.pipeline = std::string(ds.str(ds.pipelines().name[ds.stages().pipeline[s]]));
      row.name = std::string(ds.str(ds.stages().name[s]));
      row.entry_probability = models[k].cell_probability(s, 0);
      row.chain_win_probability = chain[s];
      res.stages.push_back(std::move(row));
    }
    res.deals = std::move(as_of_deals);
  }
  // Calibration of the pipeline probabilities over every backtest origin.
  res.backtest.predictions = static_cast<std::int64_t>(cal_p.size());
  res.backtest.brier = cal_p.empty() ? kNaN : brier_score(cal_p, cal_o);
  double won_share = 0;
  for (auto o : cal_o) won_share += o;
  res.backtest.base_rate = cal_p.empty() ? kNaN : won_share / static_cast<double>(cal_p.size());
  if (!cal_p.empty()) res.backtest.reliability = reliability_table(cal_p, cal_o, 10, 0.95);
  score_backtest(res.backtest);
  return res;
}

}  // namespace v1
}  // namespace dealstat
