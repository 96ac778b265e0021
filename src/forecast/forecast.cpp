// The forecast engine: every origin (the backtest's and the as-of day) in two
// passes over the deals. Pass 1 reads every episode once and adds it to the
// model counts of every origin it matters to (final counts once, as a delta
// summed over origins afterwards; censored counts only at the origins inside
// its horizon), plus the daily series. Pass 2 scores every deal active at an
// origin with that origin's model and records what happened. All partial
// states are integer counts or deal-ordered lists, so the result does not
// depend on the thread count.
#include "dealstat/forecast/forecast.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "dealstat/core/error.hpp"
#include "dealstat/stats/distributions.hpp"
#include "dealstat/stats/poisson_binomial.hpp"
#include "detail/parallel.hpp"
#include "forecast/episodes.hpp"

namespace dealstat {
inline namespace v1 {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Pass 1 state: model counts per origin and the daily series.
struct CountState {
  std::size_t K = 0, C = 0, slots = 0;
  std::vector<std::int32_t> final_delta, transient;  // [K][C][3][slots]
  std::vector<std::int64_t> after_delta;             // [K][won, lost][closes, diff d = 1..N]: closes settled at origin k
  std::vector<std::int64_t> created;                 // per day from first_day
  std::vector<std::pair<std::int32_t, std::int64_t>> won_entries;  // (day, budget), deal order
  void merge(const CountState& o) {
    for (std::size_t k = 0; k < final_delta.size(); ++k) {
      final_delta[k] += o.final_delta[k];
      transient[k] += o.transient[k];
    }
    for (std::size_t k = 0; k < after_delta.size(); ++k) after_delta[k] += o.after_delta[k];
    for (std::size_t k = 0; k < created.size(); ++k) created[k] += o.created[k];
    won_entries.insert(won_entries.end(), o.won_entries.begin(), o.won_entries.end());
  }
};

// Pass 2 state: per origin, the active deals' probabilities and outcomes (deal order).
struct ScoreState {
  std::vector<std::vector<double>> p;
  std::vector<std::vector<double>> budget;
  std::vector<std::vector<std::uint8_t>> won;
  std::vector<std::int64_t> new_won, new_won_budget;
  std::vector<ForecastDeal> deals;  // final origin
  std::vector<std::uint32_t> deal_stage;
  void merge(const ScoreState& o) {
    for (std::size_t k = 0; k < p.size(); ++k) {
      p[k].insert(p[k].end(), o.p[k].begin(), o.p[k].end());
      budget[k].insert(budget[k].end(), o.budget[k].begin(), o.budget[k].end());
      won[k].insert(won[k].end(), o.won[k].begin(), o.won[k].end());
      new_won[k] += o.new_won[k];
      new_won_budget[k] += o.new_won_budget[k];
    }
    deals.insert(deals.end(), o.deals.begin(), o.deals.end());
    deal_stage.insert(deal_stage.end(), o.deal_stage.begin(), o.deal_stage.end());
  }
};

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
    const double lp = nb ? detail::log_gamma(kd + r) - detail::log_gamma(r) - detail::log_gamma(kd + 1) + r * std::log(q) + kd * std::log1p(-q)
                         : kd * std::log(mu) - mu - detail::log_gamma(kd + 1);
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

}  // namespace

ForecastResult forecast(const Dataset& ds, const ForecastOptions& opt) {
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

  DealFilter f = opt.filter;
  f.period = {};
  f.status = StatusFilter::all;
  const DealSelector sel(ds, f);
  const TimeZone& tz = ds.account().time_zone;
  const auto& deals = ds.deals();
  const auto& kind = ds.stages().kind;
  const std::size_t n = deals.size();
  const std::int32_t N = opt.horizon_days;
  const LocalDate D = opt.as_of ? *opt.as_of : LocalDate{tz.local_date(dataset_end(ds)).days + 1};
  const std::int64_t T = tz.start_of_day(D).seconds;

  // First day of the data: the earliest selected creation.
  std::int64_t first_created = std::numeric_limits<std::int64_t>::max();
  for (std::size_t i = 0; i < n; ++i)
    if (sel.selects_ignoring_period(i)) first_created = std::min(first_created, deals.created_at[i]);
  const LocalDate first_day = first_created == std::numeric_limits<std::int64_t>::max()
                                  ? D : std::min(D, tz.local_date(Timestamp{first_created}));
  const std::size_t days = static_cast<std::size_t>(D.days - first_day.days);

  // Origins: the backtest's, then the as-of day.
  std::vector<LocalDate> od;
  if (opt.backtest) {
    const LocalDate w{first_day.days + opt.warmup_days};
    LocalDate d = bucket_start(w, opt.bucket, ds.account().first_day_of_week);
    if (d < w) d = bucket_next(d, opt.bucket, ds.account().first_day_of_week);
    for (; d.days + N <= D.days; d = bucket_next(d, opt.bucket, ds.account().first_day_of_week)) od.push_back(d);
  }
  const std::size_t KB = od.size();
  od.push_back(D);
  const std::size_t K = od.size();
  std::vector<std::int64_t> O(K), E(K);
  for (std::size_t k = 0; k < K; ++k) {
    O[k] = tz.start_of_day(od[k]).seconds;
    E[k] = tz.start_of_day(LocalDate{od[k].days + N}).seconds;
  }

  const std::size_t S = ds.stages().size();
  const std::size_t L = opt.landmarks_days.size();
  const std::size_t P = ds.pipelines().size();
  const std::size_t C = (2 * S + P) * L;  // stage rows, cohort rows, reopened stage rows
  // A pipeline in which no deal has a recorded stage change carries no stage history (snapshot
  // exports): its active deals are scored by the creation cohort, aged from created_at.
  std::vector<std::uint8_t> has_history(P, 0);
  for (std::size_t i = 0; i < n; ++i)
    if (ds.paths().offset[i + 1] - ds.paths().offset[i] > 1) has_history[deals.pipeline[i]] = 1;
  const std::size_t slots = static_cast<std::size_t>(N) + 1;
  std::vector<std::int64_t> lm;
  for (auto d : opt.landmarks_days) lm.push_back(static_cast<std::int64_t>(d) * detail::kDaySeconds);
  const auto at = [&](std::size_t k, std::uint32_t cell, std::uint8_t kd, std::uint32_t slot) {
    return ((k * C + cell) * 3 + kd) * slots + slot;
  };

  // ---- Pass 1: model counts and daily series.
  const unsigned threads = detail::resolve_threads(opt.threads, n, 16384);
  CountState cs = detail::accumulate_parallel(
      n, threads,
      [&] {
        CountState s;
        s.K = K;
        s.C = C;
        s.slots = slots;
        s.final_delta.assign(K * C * 3 * slots, 0);
        s.transient.assign(K * C * 3 * slots, 0);
        s.after_delta.assign(K * 2 * slots, 0);
        s.created.assign(days, 0);
        return s;
      },
      [&](CountState& s, std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) {
          if (!sel.selects_ignoring_period(i) || deals.created_at[i] >= T) continue;
          const std::int32_t cd = tz.local_date(Timestamp{deals.created_at[i]}).days - first_day.days;
          if (cd >= 0 && static_cast<std::size_t>(cd) < days) ++s.created[static_cast<std::size_t>(cd)];
          const PathView path = ds.paths().path(i);
          // Closes: each counts at the first origin that sees it for a whole horizon (w + N days <= origin).
          std::int64_t* ac = nullptr;
          detail::for_each_close(
              path, kind, N,
              [&](std::int64_t w, bool won) {
                const auto i1 = static_cast<std::size_t>(
                    std::lower_bound(O.begin(), O.end(), w + static_cast<std::int64_t>(N) * detail::kDaySeconds) - O.begin());
                ac = i1 < K ? &s.after_delta[(i1 * 2 + (won ? 0 : 1)) * slots] : nullptr;
                if (!ac) return;
                ++ac[0];
                if (won) ++ac[1];  // in a won stage from d = 1 on until a change
              },
              [&](std::uint32_t d, int delta) {
                if (ac) ac[d] += delta;
              });
          for (std::size_t k = 0; k < path.size(); ++k)
            if (kind[path.stage[k]] == StageKind::won && path.entered_at[k] < T)
              s.won_entries.emplace_back(tz.local_date(Timestamp{path.entered_at[k]}).days - first_day.days,
                                         deals.budget_minor[i]);
          detail::for_each_episode(ds, i, lm, [&](const detail::Episode& ep) {
            const auto i0 = static_cast<std::size_t>(std::upper_bound(O.begin(), O.end(), ep.landmark) - O.begin());
            if (i0 >= K) return;
            const std::int64_t tau = detail::settle_time(ep, N);
            const auto i1 = static_cast<std::size_t>(std::lower_bound(O.begin(), O.end(), tau) - O.begin());
            for (std::size_t k = i0; k < i1; ++k) {
              const auto hit = detail::slot_at(ep, O[k], N);
              ++s.transient[at(k, ep.cell, hit.kind, hit.slot)];
            }
            if (i1 < K) {
              const auto hit = detail::slot_at(ep, O[std::max(i0, i1)], N);
              ++s.final_delta[at(std::max(i0, i1), ep.cell, hit.kind, hit.slot)];
            }
          });
        }
      });
  // Final counts accumulate over origins.
  const std::size_t per_origin = C * 3 * slots;
  for (std::size_t k = 1; k < K; ++k)
    for (std::size_t x = 0; x < per_origin; ++x) cs.final_delta[k * per_origin + x] += cs.final_delta[(k - 1) * per_origin + x];
  for (std::size_t k = 1; k < K; ++k)
    for (std::size_t x = 0; x < 2 * slots; ++x) cs.after_delta[k * 2 * slots + x] += cs.after_delta[(k - 1) * 2 * slots + x];
  std::vector<PipelineModel> models;
  models.reserve(K);
  for (std::size_t k = 0; k < K; ++k) {
    std::vector<CompetingRiskCounts> cells(C, CompetingRiskCounts(static_cast<std::size_t>(N)));
    for (std::uint32_t c = 0; c < C; ++c)
      for (std::uint32_t j = 0; j < slots; ++j) {
        cells[c].won[j] = cs.final_delta[at(k, c, 0, j)] + cs.transient[at(k, c, 0, j)];
        cells[c].lost[j] = cs.final_delta[at(k, c, 1, j)] + cs.transient[at(k, c, 1, j)];
        cells[c].censored[j] = cs.final_delta[at(k, c, 2, j)] + cs.transient[at(k, c, 2, j)];
      }
    AfterCloseCounts after(static_cast<std::size_t>(N));
    for (int w = 0; w < 2; ++w) {
      const std::int64_t* a = &cs.after_delta[(k * 2 + static_cast<std::size_t>(w)) * slots];
      (w == 0 ? after.won_closes : after.lost_closes) = a[0];
      auto& out = w == 0 ? after.won_after_won : after.won_after_lost;
      std::int64_t v = 0;
      for (std::size_t d = 1; d < slots; ++d) out[d] = v += a[d];
    }
    models.push_back(PipelineModel::from_counts(S, P, pm_opt, cells, after));
  }
  cs.final_delta.clear();
  cs.final_delta.shrink_to_fit();
  cs.transient.clear();
  cs.transient.shrink_to_fit();

  // Daily won series (entries into won stages), sorted so sums do not depend on threads.
  std::sort(cs.won_entries.begin(), cs.won_entries.end());
  std::vector<std::int64_t> won_count_daily(days, 0), won_budget_daily(days, 0);
  for (const auto& [d, bud] : cs.won_entries)
    if (d >= 0 && static_cast<std::size_t>(d) < days) {
      ++won_count_daily[static_cast<std::size_t>(d)];
      won_budget_daily[static_cast<std::size_t>(d)] += bud;
    }

  // ---- Pass 2: score the active deals at every origin, record outcomes.
  ScoreState ss = detail::accumulate_parallel(
      n, threads,
      [&] {
        ScoreState s;
        s.p.resize(K);
        s.budget.resize(K);
        s.won.resize(K);
        s.new_won.assign(K, 0);
        s.new_won_budget.assign(K, 0);
        return s;
      },
      [&](ScoreState& s, std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) {
          if (!sel.selects_ignoring_period(i)) continue;
          const PathView path = ds.paths().path(i);
          if (path.size() == 0) continue;
          const std::int64_t created = deals.created_at[i];
          const bool ends_closed = is_closed_kind(kind[path.stage[path.size() - 1]]);
          std::ptrdiff_t first_closed = static_cast<std::ptrdiff_t>(path.size());
          for (std::size_t x = 0; x < path.size(); ++x)
            if (is_closed_kind(kind[path.stage[x]])) {
              first_closed = static_cast<std::ptrdiff_t>(x);
              break;
            }
          const std::int64_t last = path.entered_at[path.size() - 1];
          // Origins whose horizon could contain the creation: E[k] > created.
          auto k = static_cast<std::size_t>(std::upper_bound(E.begin(), E.end(), created) - E.begin());
          for (; k < K; ++k) {
            if (ends_closed && O[k] > last) break;  // closed for good before this origin
            const bool scored = k < KB;
            if (created < O[k]) {
              // State just before the origin; a deal whose recorded path starts later was active then.
              const auto st = detail::state_before(path, O[k]);
              if (st >= 0 && is_closed_kind(kind[path.stage[static_cast<std::size_t>(st)]])) continue;
              const std::uint32_t pipe = deals.pipeline[i];
              const bool by_stage = st >= 0 && has_history[pipe];
              const std::uint32_t stage = by_stage ? path.stage[static_cast<std::size_t>(st)] : path.stage[0];
              const std::int64_t age = by_stage ? O[k] - path.entered_at[static_cast<std::size_t>(st)] : O[k] - created;
              const bool reopened = by_stage && first_closed < st;  // active again after an earlier close
              const double p = by_stage ? models[k].win_probability(stage, age, reopened) : models[k].cohort_probability(pipe, age);
              s.p[k].push_back(p);
              s.budget[k].push_back(static_cast<double>(deals.budget_minor[i]));
              if (scored) {
                const auto st2 = detail::state_before(path, E[k]);
                s.won[k].push_back(st2 >= 0 && kind[path.stage[static_cast<std::size_t>(st2)]] == StageKind::won);
              } else {
                s.deals.push_back(ForecastDeal{deals.id[i], ds.stages().id[stage], age, deals.budget_minor[i], p, reopened});
                s.deal_stage.push_back(stage);
              }
            } else if (scored && created < E[k]) {
              const auto st2 = detail::state_before(path, E[k]);
              if (st2 >= 0 && kind[path.stage[static_cast<std::size_t>(st2)]] == StageKind::won) {
                ++s.new_won[k];
                s.new_won_budget[k] += deals.budget_minor[i];
              }
            }
          }
        }
      });

  // ---- Per origin: combine the parts, compare with what happened.
  std::vector<double> created_d(cs.created.begin(), cs.created.end());
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
  ForecastResult res;
  res.backtest.horizon_days = N;
  res.backtest.bucket = opt.bucket;
  std::vector<double> cal_p;
  std::vector<std::uint8_t> cal_o;
  for (std::size_t k = 0; k < K; ++k) {
    const bool scored = k < KB;
    const std::int64_t d0 = od[k].days - first_day.days;  // day offset of the origin
    const auto& p = ss.p[k];
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
    // Recent won budgets (the year before the origin): mean and variance per won deal.
    double bsum = 0, bsq = 0, bn = 0;
    {
      const auto lo = std::lower_bound(cs.won_entries.begin(), cs.won_entries.end(),
                                       std::pair<std::int32_t, std::int64_t>{static_cast<std::int32_t>(d0 - 365), std::numeric_limits<std::int64_t>::min()});
      const auto hi = std::lower_bound(cs.won_entries.begin(), cs.won_entries.end(),
                                       std::pair<std::int32_t, std::int64_t>{static_cast<std::int32_t>(d0), std::numeric_limits<std::int64_t>::min()});
      for (auto it = lo; it != hi; ++it) {
        const double v = static_cast<double>(it->second);
        bsum += v;
        bsq += v * v;
        bn += 1;
      }
    }
    const double bmean = bn > 0 ? bsum / bn : 0.0;
    const double bvar = bn > 1 ? std::max(0.0, (bsq - bsum * bmean) / (bn - 1)) : 0.0;
    // Exact Poisson-binomial for the as-of forecast; refined normal in the backtest when sigma > 30.
    double pvar = 0;
    for (double x : p) pvar += x * (1 - x);
    const bool exact = !scored || pvar <= 900;
    const ForecastInterval count = combine_counts(p, exact, mu_new, var_new);
    const WeightedBernoulliSum wb = weighted_bernoulli_sum(p, ss.budget[k], 0.95);
    const double new_budget_mean = mu_new * bmean;
    const double new_budget_var = mu_new * bvar + bmean * bmean * var_new;
    const ForecastInterval budget = normal_interval(wb.mean + new_budget_mean, wb.variance + new_budget_var);
    const InflowModel won_reg = InflowModel::fit(won_budget_d, first_day, od[k], opt.inflow);
    const ForecastInterval reg = inflow_interval(won_reg.predict_sum(N), won_budget_errors, od[k], N);
    const ForecastInterval created_iv = inflow_interval(created_sum, created_errors, od[k], N);

    if (scored) {
      BacktestOrigin o;
      o.origin = od[k];
      o.origin_s = O[k];
      o.active_deals = static_cast<std::int64_t>(p.size());
      double ep = 0;
      std::int64_t wp = 0, wpb = 0;
      for (std::size_t x = 0; x < p.size(); ++x) {
        ep += p[x];
        if (ss.won[k][x]) {
          ++wp;
          wpb += static_cast<std::int64_t>(ss.budget[k][x]);
        }
        cal_p.push_back(p[x]);
        cal_o.push_back(ss.won[k][x]);
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
      fill(BacktestSeries::won_count, count, static_cast<double>(wp + ss.new_won[k]), won_count_daily);
      fill(BacktestSeries::won_budget_minor, budget, static_cast<double>(wpb + ss.new_won_budget[k]), won_budget_daily);
      fill(BacktestSeries::created, created_iv, window_sum(cs.created, d0, d0 + N), cs.created);
      fill(BacktestSeries::won_budget_regression_minor, reg, static_cast<double>(wpb + ss.new_won_budget[k]),
           won_budget_daily);
      res.backtest.origins.push_back(o);
      continue;
    }
    // The as-of forecast.
    res.as_of = od[k];
    res.as_of_s = O[k];
    res.horizon_days = N;
    res.active_deals = static_cast<std::int64_t>(p.size());
    res.won_count = count;
    res.won_count_pipeline = pb_only(p, true);
    {
      std::int64_t lo2 = 0;
      const auto g = count_pmf(mu_new, var_new, lo2);
      res.won_count_new = ForecastInterval{mu_new, pmf_quantile(g, lo2, 0.10), pmf_quantile(g, lo2, 0.90),
                                           pmf_quantile(g, lo2, 0.025), pmf_quantile(g, lo2, 0.975)};
    }
    res.won_budget_minor = budget;
    res.won_budget_pipeline_minor = normal_interval(wb.mean, wb.variance);
    res.won_budget_new_minor = normal_interval(new_budget_mean, new_budget_var);
    res.created = created_iv;
    res.won_budget_regression_minor = reg;
    // Per stage.
    const std::vector<double> chain = chain_win_probability(ds, sel, Timestamp{O[k]});
    std::vector<ForecastStage> st(S);
    std::vector<std::uint8_t> keep(S, 0);
    for (std::size_t x = 0; x < ss.deals.size(); ++x) {
      auto& row = st[ss.deal_stage[x]];
      ++row.active;
      row.expected_won += ss.deals[x].probability;
      row.expected_won_budget_minor += ss.deals[x].probability * static_cast<double>(ss.deals[x].budget_minor);
      keep[ss.deal_stage[x]] = 1;
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
    res.deals = std::move(ss.deals);
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
