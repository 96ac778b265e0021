// The pipeline model: landmark Aalen-Johansen cells, shrinkage, the creation
// cohort curve, and the absorbing-chain cross-check.
#include "dealstat/forecast/pipeline_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "dealstat/core/error.hpp"
#include "dealstat/stats/absorbing_chain.hpp"
#include "detail/parallel.hpp"
#include "forecast/episodes.hpp"

namespace dealstat {
inline namespace v1 {

CompetingRiskCounts::CompetingRiskCounts(std::size_t days)
    : won(days + 1, 0), lost(days + 1, 0), censored(days + 1, 0) {}

std::int64_t CompetingRiskCounts::at_risk() const {
  std::int64_t n = 0;
  for (std::size_t j = 0; j < won.size(); ++j) n += won[j] + lost[j] + censored[j];
  return n;
}

std::vector<double> CompetingRiskCounts::won_incidence() const {
  const std::size_t days = won.empty() ? 0 : won.size() - 1;
  std::vector<double> out(days + 1, 0.0);
  // n_j = events at slots >= j + censorings at slots > j.
  std::int64_t n = at_risk();
  double surv = 1.0, cif = 0.0;
  for (std::size_t j = 0; j < days; ++j) {
    n -= censored[j];  // censored in slot j were seen only part of it: not at risk there
    if (n > 0) {
      const double dn = static_cast<double>(n);
      cif += surv * static_cast<double>(won[j]) / dn;
      surv *= 1.0 - static_cast<double>(won[j] + lost[j]) / dn;
    }
    n -= won[j] + lost[j];
    out[j + 1] = cif;
  }
  return out;
}

void CompetingRiskCounts::merge(const CompetingRiskCounts& o) {
  for (std::size_t j = 0; j < won.size(); ++j) {
    won[j] += o.won[j];
    lost[j] += o.lost[j];
    censored[j] += o.censored[j];
  }
}

AfterCloseCounts::AfterCloseCounts(std::size_t days) : won_after_won(days + 1, 0), won_after_lost(days + 1, 0) {}

void AfterCloseCounts::merge(const AfterCloseCounts& o) {
  won_closes += o.won_closes;
  lost_closes += o.lost_closes;
  for (std::size_t d = 0; d < won_after_won.size(); ++d) {
    won_after_won[d] += o.won_after_won[d];
    won_after_lost[d] += o.won_after_lost[d];
  }
}

std::vector<double> AfterCloseCounts::won_share(bool after_won) const {
  const auto& v = after_won ? won_after_won : won_after_lost;
  const std::int64_t n = after_won ? won_closes : lost_closes;
  std::vector<double> out(v.size(), after_won ? 1.0 : 0.0);
  if (n > 0)
    for (std::size_t d = 1; d < v.size(); ++d) out[d] = static_cast<double>(v[d]) / static_cast<double>(n);
  return out;
}

namespace {

// P(in a won stage just before landmark + r days), r = 0..days, from a cell's day-slot competing-risk
// counts: the Aalen-Johansen increments of the first close (won or lost) in slot j, each carried to the
// horizon by the chance that a close of its kind is in a won stage the remaining r - j - 1/2 days later
// (gw, gl: d = 0..days, gw[0] = 1, gl[0] = 0). With gw = 1 and gl = 0 it is the won cumulative incidence.
std::vector<double> won_state_curve(const CompetingRiskCounts& c, const std::vector<double>& gw,
                                    const std::vector<double>& gl, bool only_last) {
  const std::size_t days = c.won.empty() ? 0 : c.won.size() - 1;
  std::vector<double> wi(days, 0.0), li(days, 0.0);
  std::int64_t n = c.at_risk();
  double surv = 1.0;
  for (std::size_t j = 0; j < days; ++j) {
    n -= c.censored[j];  // censored in slot j were seen only part of it: not at risk there
    if (n > 0) {
      const double dn = static_cast<double>(n);
      wi[j] = surv * static_cast<double>(c.won[j]) / dn;
      li[j] = surv * static_cast<double>(c.lost[j]) / dn;
      surv *= 1.0 - static_cast<double>(c.won[j] + c.lost[j]) / dn;
    }
    n -= c.won[j] + c.lost[j];
  }
  std::vector<double> out(days + 1, 0.0);
  for (std::size_t r = only_last ? days : 1; r <= days; ++r) {
    double q = 0;
    for (std::size_t j = 0; j < r; ++j) {
      const std::size_t a = r - j - 1, b = r - j;
      q += wi[j] * 0.5 * (gw[a] + gw[b]) + li[j] * 0.5 * (gl[a] + gl[b]);
    }
    out[r] = q;
  }
  return out;
}

void validate(const PipelineModelOptions& o) {
  if (o.horizon_days <= 0 || o.horizon_days > 364)
    throw Error::bad_option("horizon_days", std::to_string(o.horizon_days), "must be between 1 and 364");
  if (o.landmarks_days.empty() || o.landmarks_days.front() != 0 ||
      !std::is_sorted(o.landmarks_days.begin(), o.landmarks_days.end()) ||
      std::adjacent_find(o.landmarks_days.begin(), o.landmarks_days.end()) != o.landmarks_days.end())
    throw Error::bad_option("landmarks_days", "", "must start at 0 and increase strictly");
  if (!(o.prior_strength >= 0) || !std::isfinite(o.prior_strength))
    throw Error::bad_option("prior_strength", std::to_string(o.prior_strength), "must be >= 0");
}

}  // namespace

PipelineModel PipelineModel::from_counts(std::size_t stages, std::size_t pipelines, const PipelineModelOptions& opt,
                                         const std::vector<CompetingRiskCounts>& cells, const AfterCloseCounts& after) {
  validate(opt);
  const std::size_t L = opt.landmarks_days.size();
  const auto H = static_cast<std::size_t>(opt.horizon_days);
  const bool reopened = cells.size() == (2 * stages + pipelines) * L && stages > 0;
  if (cells.size() != (stages + pipelines) * L && !reopened)
    throw Error::bad_option("cells", std::to_string(cells.size()),
                            "need (stages + pipelines) * landmarks or (2 * stages + pipelines) * landmarks cells");
  const bool has_after = after.won_closes > 0 || after.lost_closes > 0;
  if (has_after && (after.won_after_won.size() != H + 1 || after.won_after_lost.size() != H + 1))
    throw Error::bad_option("after", std::to_string(after.won_after_won.size()), "need horizon_days + 1 entries");
  PipelineModel m;
  m.options_ = opt;
  m.stages_ = stages;
  m.pipelines_ = pipelines;
  m.reopened_rows_ = reopened;
  const std::size_t rows = stages + pipelines + (reopened ? stages : 0);
  m.p_.assign(rows * L, 0.0);
  m.n_.assign(rows * L, 0);
  const AfterCloseCounts none(H);
  const AfterCloseCounts& ac = has_after ? after : none;
  const std::vector<double> gw = ac.won_share(true), gl = ac.won_share(false);
  const auto prob = [&](const CompetingRiskCounts& c) {
    return c.at_risk() > 0 ? won_state_curve(c, gw, gl, true)[H] : 0.0;
  };
  const double k = opt.prior_strength;
  const auto shrink = [&](std::int64_t n, double raw, double parent) {
    const double dn = static_cast<double>(n);
    return dn + k > 0 ? (dn * raw + k * parent) / (dn + k) : parent;
  };
  // Pooled landmark-0 cells: the prior of every stage's (and every cohort's) landmark 0.
  CompetingRiskCounts pooled_stage(H), pooled_cohort(H);
  for (std::size_t s = 0; s < stages; ++s) pooled_stage.merge(cells[s * L]);
  for (std::size_t q = 0; q < pipelines; ++q) pooled_cohort.merge(cells[(stages + q) * L]);
  const double p_stage = prob(pooled_stage);
  const double p_cohort = prob(pooled_cohort);
  // Reopened episodes are few and their course depends on the time since the reopening more than on the
  // stage: all stages' reopened cells pooled per landmark (each shrunk towards the pooled cell of the
  // previous landmark, landmark 0 towards the first visits' pool) are the prior of each stage's cell.
  std::vector<double> p_reopened(L, p_stage);
  if (reopened) {
    double parent = p_stage;
    for (std::size_t b = 0; b < L; ++b) {
      CompetingRiskCounts pooled(H);
      for (std::size_t s = 0; s < stages; ++s) pooled.merge(cells[(stages + pipelines + s) * L + b]);
      p_reopened[b] = parent = shrink(pooled.at_risk(), prob(pooled), parent);
    }
  }
  for (std::size_t s = 0; s < rows; ++s) {
    const bool reo = s >= stages + pipelines;
    double parent = s < stages ? p_stage : p_cohort;
    for (std::size_t b = 0; b < L; ++b) {
      const auto& c = cells[s * L + b];
      const std::int64_t n = c.at_risk();
      const double p = shrink(n, prob(c), reo ? p_reopened[b] : parent);
      m.p_[s * L + b] = p;
      m.n_[s * L + b] = n;
      parent = p;
    }
  }
  m.new_curve_ = pooled_cohort.at_risk() > 0 ? won_state_curve(pooled_cohort, gw, gl, false)
                                             : std::vector<double>(H + 1, 0.0);
  return m;
}

PipelineModel PipelineModel::fit(const Dataset& ds, const DealSelector& sel, Timestamp origin,
                                 const PipelineModelOptions& opt) {
  validate(opt);
  const std::size_t S = ds.stages().size();
  const std::size_t P = ds.pipelines().size();
  const std::size_t L = opt.landmarks_days.size();
  const auto H = static_cast<std::size_t>(opt.horizon_days);
  std::vector<std::int64_t> lm;
  for (auto d : opt.landmarks_days) lm.push_back(static_cast<std::int64_t>(d) * detail::kDaySeconds);
  struct State {
    std::vector<CompetingRiskCounts> cells;
    AfterCloseCounts after;
    void merge(const State& o) {
      for (std::size_t c = 0; c < cells.size(); ++c) cells[c].merge(o.cells[c]);
      after.merge(o.after);
    }
  };
  const std::size_t n = ds.deals().size();
  const std::int64_t h = static_cast<std::int64_t>(opt.horizon_days) * detail::kDaySeconds;
  State st = detail::accumulate_parallel(
      n, detail::resolve_threads(0, n),
      [&] { return State{std::vector<CompetingRiskCounts>((2 * S + P) * L, CompetingRiskCounts(H)), AfterCloseCounts(H)}; },
      [&](State& s, std::size_t b, std::size_t e) {
        std::vector<std::int64_t> diff(H + 2);
        for (std::size_t i = b; i < e; ++i) {
          if (!sel.selects_ignoring_period(i) || ds.deals().created_at[i] >= origin.seconds) continue;
          detail::for_each_episode(ds, i, lm, [&](const detail::Episode& ep) {
            if (ep.landmark >= origin.seconds) return;
            const auto hit = detail::slot_at(ep, origin.seconds, opt.horizon_days);
            auto& c = s.cells[ep.cell];
            (hit.kind == 0 ? c.won : hit.kind == 1 ? c.lost : c.censored)[hit.slot] += 1;
          });
          // Closes seen for the whole horizon (w + N days <= origin): in a won stage d days later?
          bool counting = false, won0 = false;
          const auto flush = [&] {
            if (!counting) return;
            std::int64_t v = won0 ? 1 : 0;
            auto& out = won0 ? s.after.won_after_won : s.after.won_after_lost;
            for (std::size_t d = 1; d <= H; ++d) {
              v += diff[d];
              out[d] += v;
              diff[d] = 0;
            }
            counting = false;
          };
          detail::for_each_close(
              ds.paths().path(i), ds.stages().kind, opt.horizon_days,
              [&](std::int64_t w, bool won) {
                flush();
                counting = w + h <= origin.seconds;
                won0 = won;
                if (counting) ++(won ? s.after.won_closes : s.after.lost_closes);
              },
              [&](std::uint32_t d, int delta) {
                if (counting) diff[d] += delta;
              });
          flush();
        }
      });
  return from_counts(S, P, opt, st.cells, st.after);
}

std::size_t PipelineModel::landmark_of(std::int64_t age_s) const {
  const auto& l = options_.landmarks_days;
  std::size_t b = 0;
  while (b + 1 < l.size() && static_cast<std::int64_t>(l[b + 1]) * detail::kDaySeconds <= age_s) ++b;
  return b;
}

double PipelineModel::interpolate(std::size_t row, std::int64_t age_s) const {
  const auto& l = options_.landmarks_days;
  const std::size_t b = landmark_of(age_s);
  const double p0 = p_[row * l.size() + b];
  if (b + 1 >= l.size()) return p0;
  const double a0 = static_cast<double>(l[b]) * detail::kDaySeconds, a1 = static_cast<double>(l[b + 1]) * detail::kDaySeconds;
  const double w = std::clamp((static_cast<double>(age_s) - a0) / (a1 - a0), 0.0, 1.0);
  return p0 + w * (p_[row * l.size() + b + 1] - p0);
}

double PipelineModel::win_probability(std::uint32_t stage, std::int64_t age_s) const {
  if (stage >= stages_) throw Error::bad_option("stage", std::to_string(stage), "no such stage row");
  return interpolate(stage, age_s);
}

double PipelineModel::win_probability(std::uint32_t stage, std::int64_t age_s, bool reopened) const {
  if (stage >= stages_) throw Error::bad_option("stage", std::to_string(stage), "no such stage row");
  return interpolate(reopened && reopened_rows_ ? stages_ + pipelines_ + stage : stage, age_s);
}

double PipelineModel::reopened_cell_probability(std::uint32_t stage, std::size_t landmark) const {
  if (stage >= stages_ || landmark >= options_.landmarks_days.size())
    throw Error::bad_option("stage", std::to_string(stage), "no such stage row or landmark");
  const std::size_t row = reopened_rows_ ? stages_ + pipelines_ + stage : stage;
  return p_[row * options_.landmarks_days.size() + landmark];
}

std::int64_t PipelineModel::reopened_cell_at_risk(std::uint32_t stage, std::size_t landmark) const {
  if (stage >= stages_ || landmark >= options_.landmarks_days.size())
    throw Error::bad_option("stage", std::to_string(stage), "no such stage row or landmark");
  return reopened_rows_ ? n_[(stages_ + pipelines_ + stage) * options_.landmarks_days.size() + landmark] : 0;
}

double PipelineModel::cohort_probability(std::uint32_t pipeline, std::int64_t age_s) const {
  if (pipeline >= pipelines_) throw Error::bad_option("pipeline", std::to_string(pipeline), "no such pipeline row");
  return interpolate(stages_ + pipeline, age_s);
}

double PipelineModel::cell_probability(std::uint32_t stage, std::size_t landmark) const {
  if (stage >= stages_ || landmark >= options_.landmarks_days.size())
    throw Error::bad_option("stage", std::to_string(stage), "no such stage row or landmark");
  return p_[stage * options_.landmarks_days.size() + landmark];
}

std::int64_t PipelineModel::cell_at_risk(std::uint32_t stage, std::size_t landmark) const {
  if (stage >= stages_ || landmark >= options_.landmarks_days.size())
    throw Error::bad_option("stage", std::to_string(stage), "no such stage row or landmark");
  return n_[stage * options_.landmarks_days.size() + landmark];
}

double PipelineModel::new_deal_win_probability(std::int32_t days) const {
  if (days <= 0) return 0.0;
  const auto d = std::min<std::size_t>(static_cast<std::size_t>(days), new_curve_.size() - 1);
  return new_curve_[d];
}


std::vector<double> chain_win_probability(const Dataset& ds, const DealSelector& sel, Timestamp origin) {
  const auto& kind = ds.stages().kind;
  const detail::ChainIndex c = detail::chain_index(kind);
  const std::size_t t = c.stage_of.size();
  std::vector<std::int64_t> moves(t * (t + 2), 0);  // row i: t transient targets, won, lost
  for (std::size_t i = 0; i < ds.deals().size(); ++i)
    if (sel.selects_ignoring_period(i)) detail::add_chain_moves(ds.paths().path(i), kind, c, origin.seconds, moves);
  return detail::chain_win_probability_from_moves(c, kind.size(), moves);
}

}  // namespace v1
}  // namespace dealstat

namespace dealstat::detail {

std::vector<double> chain_win_probability_from_moves(const ChainIndex& c, std::size_t stages,
                                                     const std::vector<std::int64_t>& moves) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const std::size_t t = c.stage_of.size();
  std::vector<double> out(stages, kNaN);
  if (t == 0) return out;
  std::vector<double> q(t * t, 0.0), r(t * 2, 0.0);
  for (std::size_t i = 0; i < t; ++i) {
    std::int64_t tot = 0;
    for (std::size_t j = 0; j < t + 2; ++j) tot += moves[i * (t + 2) + j];
    if (tot == 0) continue;  // no move seen out of this stage: the chain leaves it unresolved (B row = 0)
    for (std::size_t j = 0; j < t; ++j) q[i * t + j] = static_cast<double>(moves[i * (t + 2) + j]) / static_cast<double>(tot);
    r[i * 2] = static_cast<double>(moves[i * (t + 2) + t]) / static_cast<double>(tot);
    r[i * 2 + 1] = static_cast<double>(moves[i * (t + 2) + t + 1]) / static_cast<double>(tot);
  }
  try {
    const auto res = ::dealstat::absorbing_chain(q, r, t, 2);
    for (std::size_t i = 0; i < t; ++i) {
      const double won = res.absorption[i * 2], lost = res.absorption[i * 2 + 1];
      out[c.stage_of[i]] = won + lost > 1e-12 ? won : kNaN;
    }
  } catch (const ::dealstat::Error&) {
    // Some stages can never be absorbed (only moves among themselves were seen): leave NaN.
  }
  return out;
}

}  // namespace dealstat::detail
