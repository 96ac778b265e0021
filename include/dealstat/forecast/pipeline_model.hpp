// The pipeline part of the sales forecast (SPEC section 10): for an active
// deal, the probability that it is won within N days given its current stage
// and how long it has already been there.
//
// Method (docs/forecast.md): landmark competing-risk estimation. Every time a
// deal entered an open or unsorted stage s is an episode; at each landmark age
// a (0, 1, 3, 7, 14, 30, 60, 120, 240, 365 days by default) that the deal was
// still in s, the episode is observed from e + a on: the first close after it
// is an event (won, or lost as the competing risk), a deal still open at the
// origin is censored there. Per (stage, landmark) cell the day-slot
// Aalen-Johansen estimator gives the cumulative incidence of "won" over the
// horizon; sparse cells are shrunk towards the cell of the next lower landmark
// (and landmark 0 towards all stages pooled). A deal in stage s at age x gets
// the probability interpolated linearly between the landmarks around x.
//
// Two refinements make the probability the one the backtest scores ("the deal
// is in a won stage at the horizon's end", SPEC section 1: a reopened close no
// longer counts): an entry into a stage after an earlier close on the path (a
// reopened deal) is an episode of its own row, shrunk towards all reopened
// episodes pooled rather than towards first visits; and a close in day slot j
// counts as won with the chance that a close of its kind is in a won stage
// the remaining N - j days later (AfterCloseCounts, from every close seen for
// a whole horizon before the origin).
//
// The same estimator on each pipeline's creation cohort (landmarks counted
// from created_at, "still open" instead of "still in the stage") gives the
// chance that a new deal is won within r days, and the probability of an
// active deal whose stage history is not recorded: a pipeline in which no
// deal has a recorded stage change (a snapshot export such as maven-crm), or
// a deal whose path starts after the origin.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "dealstat/core/export.hpp"
#include "dealstat/core/types.hpp"
#include "dealstat/data/dataset.hpp"
#include "dealstat/reports/filter.hpp"

namespace dealstat {
inline namespace v1 {

//! Counts of one competing-risk cell in whole-day slots 0..days: slot j holds what happened in
//! [j, j+1) days after the landmark; slot `days` holds episodes seen event-free for the whole horizon.
struct CompetingRiskCounts {
  std::vector<std::int64_t> won;       //!< first close was won, in slot j
  std::vector<std::int64_t> lost;      //!< first close was lost, in slot j
  std::vector<std::int64_t> censored;  //!< still open at the origin after j days (not at risk in slot j)

  //! Empty counts for a horizon of `days` days (days + 1 slots).
  explicit CompetingRiskCounts(std::size_t days = 0);
  //! Episodes at risk at slot 0.
  std::int64_t at_risk() const;
  //! Aalen-Johansen cumulative incidence of won over slots [0, r) for r = 0..days (r = 0 gives 0).
  std::vector<double> won_incidence() const;
  //! Adds another cell's counts (same horizon).
  void merge(const CompetingRiskCounts& other);
};

//! What follows a close, from the closes seen for a whole horizon before the origin: of the won
//! (lost) closes, how many were in a won stage just before close + d days, d = 0..days (d = 0: the
//! close itself; entry 0 is not used).
struct AfterCloseCounts {
  std::int64_t won_closes = 0;                //!< won closes seen for the whole horizon
  std::int64_t lost_closes = 0;               //!< lost closes seen for the whole horizon
  std::vector<std::int64_t> won_after_won;    //!< of the won closes, in a won stage d days later
  std::vector<std::int64_t> won_after_lost;   //!< of the lost closes, in a won stage d days later

  //! Empty counts for a horizon of `days` days. No closes at all means "a close stays as it is".
  explicit AfterCloseCounts(std::size_t days = 0);
  //! Adds another's counts (same horizon).
  void merge(const AfterCloseCounts& other);
  //! P(in a won stage just before close + d days | a close of this kind), d = 0..days.
  std::vector<double> won_share(bool after_won) const;
};

//! Options of the pipeline model.
struct PipelineModelOptions {
  std::int32_t horizon_days = 30;  //!< N: "won within N days"
  std::vector<std::int32_t> landmarks_days = {0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60, 90, 120, 180, 270, 365};  //!< ascending, first 0
  double prior_strength = 20;      //!< shrinkage weight (in episodes) of the parent cell
};

//! A fitted pipeline model: P(won within N days | stage, age in stage), and the new-deal curve.
class DEALSTAT_API PipelineModel {
 public:
  //! Fits from the selected deals as known just before `origin` (entries at or after it are unseen).
  //! Throws Error(invalid_option) naming "horizon_days", "landmarks_days" or "prior_strength".
  static PipelineModel fit(const Dataset& dataset, const DealSelector& selector, Timestamp origin,
                           const PipelineModelOptions& options = {});
  //! Builds the model from cell counts: cells[s * L + b] for stage s and landmark b, then
  //! cells[(stages + q) * L + b] for the creation cohort of pipeline q, then (optional: without them a
  //! reopened deal is scored as a first visit) cells[(stages + pipelines + s) * L + b] for reopened
  //! episodes of stage s. `after` (no closes: a close stays as it is) turns "first close is won" into "in a
  //! won stage at the horizon's end".
  static PipelineModel from_counts(std::size_t stages, std::size_t pipelines, const PipelineModelOptions& options,
                                   const std::vector<CompetingRiskCounts>& cells,
                                   const AfterCloseCounts& after = AfterCloseCounts{});

  //! P(in a won stage at the horizon's end) of a deal in stage row `stage` that entered it `age_s`
  //! seconds ago, on a first visit (no close earlier on its path).
  double win_probability(std::uint32_t stage, std::int64_t age_s) const;
  //! The same for a deal that is active again after an earlier close (`reopened`) or not.
  double win_probability(std::uint32_t stage, std::int64_t age_s, bool reopened) const;
  //! P(won within the horizon) of an open deal of pipeline row `pipeline` created `age_s` seconds ago,
  //! stage unknown (the creation-cohort cells).
  double cohort_probability(std::uint32_t pipeline, std::int64_t age_s) const;
  //! P(won within the horizon) at landmark `landmark` of `stage` (after shrinkage).
  double cell_probability(std::uint32_t stage, std::size_t landmark) const;
  //! Episodes at risk in a cell (before shrinkage).
  std::int64_t cell_at_risk(std::uint32_t stage, std::size_t landmark) const;
  //! P(won within the horizon) at a landmark of a stage's reopened row (after shrinkage).
  double reopened_cell_probability(std::uint32_t stage, std::size_t landmark) const;
  //! Reopened episodes at risk in a cell (before shrinkage).
  std::int64_t reopened_cell_at_risk(std::uint32_t stage, std::size_t landmark) const;
  //! P(a deal created now, in any pipeline, is won within r days), r = 0..horizon_days.
  double new_deal_win_probability(std::int32_t days) const;
  //! The landmark index of an age in seconds (largest landmark <= age).
  std::size_t landmark_of(std::int64_t age_s) const;
  //! The options the model was fitted with.
  const PipelineModelOptions& options() const noexcept { return options_; }

 private:
  PipelineModelOptions options_;
  double interpolate(std::size_t row, std::int64_t age_s) const;
  std::size_t stages_ = 0, pipelines_ = 0;
  bool reopened_rows_ = false;     // the reopened rows were given (else reopened deals use the first-visit rows)
  std::vector<double> p_;          // (stages_ + pipelines_ [+ stages_]) x landmarks, shrunk
  std::vector<std::int64_t> n_;    // the same rows, at risk
  std::vector<double> new_curve_;  // 0..horizon_days
};

//! Absorbing-chain cross-check: from the stage-to-stage moves recorded before `origin` (won and lost
//! merged into two absorbing states), the eventual win probability of a deal in each stage; NaN for
//! closed stages and for stages the chain cannot resolve. One value per stage row.
DEALSTAT_API std::vector<double> chain_win_probability(const Dataset& dataset, const DealSelector& selector,
                                                       Timestamp origin);

}  // namespace v1
}  // namespace dealstat
