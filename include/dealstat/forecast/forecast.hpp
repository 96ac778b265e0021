// The sales forecast (Прогноз продаж, SPEC section 10): from an as-of day
// and a horizon of N days, how many deals will be won within N days, how many
// deals will come in, and the budget of the deals that will be won -- each
// with 80% and 95% intervals, and each shown with its rolling-origin backtest
// on the account's own history (backtest.hpp).
//
//   won within N days = from the current pipeline (PipelineModel: a win
//   probability per active deal; Poisson-binomial count) + from new deals
//   (InflowModel's daily creations thinned by the new-deal win curve;
//   negative binomial with the regression's prediction variance), the two
//   independent parts convolved. Budgets: sum of p * budget plus the new
//   deals' expected wins times the recent mean won budget, normal interval.
//
// The forecast is made "just before the as-of day": it knows every entry,
// creation and close before the day's first instant in the account's time
// zone, and nothing after. Rules: docs/forecast.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dealstat/core/export.hpp"
#include "dealstat/core/table.hpp"
#include "dealstat/data/dataset.hpp"
#include "dealstat/forecast/backtest.hpp"
#include "dealstat/forecast/inflow_model.hpp"
#include "dealstat/forecast/pipeline_model.hpp"
#include "dealstat/reports/filter.hpp"

namespace dealstat {
inline namespace v1 {

//! Options of the forecast.
struct ForecastOptions {
  DealFilter filter;                    //!< common filter; its period and status are ignored (the forecast sets time)
  std::optional<LocalDate> as_of;       //!< first day not known; default: the day after the dataset's latest instant
  std::int32_t horizon_days = 30;       //!< N, 1..364
  Bucket bucket = Bucket::month;        //!< spacing of the backtest origins: week or month
  bool backtest = true;                 //!< run the rolling-origin backtest (on by default: a forecast comes with it)
  std::int32_t warmup_days = 90;        //!< the first backtest origin is at least this many days after the first deal
  std::vector<std::int32_t> landmarks_days = PipelineModelOptions{}.landmarks_days;  //!< PipelineModel landmarks (days in stage)
  double prior_strength = 20;           //!< PipelineModel shrinkage weight
  InflowOptions inflow;                 //!< regression window and holidays
  unsigned threads = 0;                 //!< 0 = all cores; results do not depend on it
};

//! A forecast figure with its central intervals.
struct ForecastInterval {
  double mean = 0;     //!< expected value
  double lower80 = 0;  //!< 80% interval, lower
  double upper80 = 0;  //!< 80% interval, upper
  double lower95 = 0;  //!< 95% interval, lower
  double upper95 = 0;  //!< 95% interval, upper
};

//! Pipeline figures of one stage.
struct ForecastStage {
  std::uint32_t stage = 0;          //!< StageIndex value
  std::int64_t stage_id = 0;        //!< CRM status id
  std::string pipeline;             //!< pipeline name
  std::string name;                 //!< stage name
  std::int64_t active = 0;          //!< active deals in it now
  double expected_won = 0;          //!< sum of their win probabilities
  double expected_won_budget_minor = 0;  //!< sum of probability * budget
  double entry_probability = 0;     //!< P(won within N days) of a deal that just entered the stage
  double chain_win_probability = 0; //!< absorbing-chain eventual win probability (cross-check; NaN if unresolved)
};

//! One active deal's win probability.
struct ForecastDeal {
  std::int64_t deal_id = 0;       //!< CRM deal id
  std::int64_t stage_id = 0;      //!< CRM status id of its stage
  std::int64_t age_s = 0;         //!< time already spent in the stage
  std::int64_t budget_minor = 0;  //!< budget
  double probability = 0;         //!< P(in a won stage at the horizon's end)
  bool reopened = false;          //!< active again after an earlier close on its path (scored by the reopened rows)
};

//! The forecast.
struct ForecastResult {
  LocalDate as_of;                     //!< first day of the horizon
  std::int64_t as_of_s = 0;            //!< its first instant
  std::int32_t horizon_days = 0;       //!< N
  std::int64_t active_deals = 0;       //!< deals active just before as-of
  ForecastInterval won_count;          //!< deals won within N days (pipeline + new)
  ForecastInterval won_count_pipeline; //!< of them, from the active deals (Poisson-binomial)
  ForecastInterval won_count_new;      //!< of them, from deals not yet created
  ForecastInterval won_budget_minor;   //!< budget of the deals won within N days
  ForecastInterval won_budget_pipeline_minor;  //!< of it, from the active deals
  ForecastInterval won_budget_new_minor;       //!< of it, from new deals
  ForecastInterval created;            //!< deals created within N days (inflow regression)
  ForecastInterval won_budget_regression_minor;  //!< won budget by the top-down regression (cross-check)
  std::vector<ForecastStage> stages;   //!< stages with active deals or history, in stage order
  std::vector<ForecastDeal> deals;     //!< every active deal, in deal order
  BacktestResult backtest;             //!< how the method did on the account's own past

  //! Tables "forecast_summary", "forecast", "forecast_stages", "forecast_deals", then the backtest's tables.
  std::vector<ResultTable> to_tables() const;
};

//! Computes the forecast and its backtest; throws Error(invalid_option) naming a bad option
//! ("horizon_days", "bucket", "warmup_days", "landmarks_days", "prior_strength", "window_days", filter options).
DEALSTAT_API ForecastResult forecast(const Dataset& dataset, const ForecastOptions& options = {});

}  // namespace v1
}  // namespace dealstat
