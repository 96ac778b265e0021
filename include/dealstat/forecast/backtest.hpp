// The honest backtest of the sales forecast (SPEC section 10): rolling
// origins, one at the start of every bucket (week or month) once a warm-up
// has passed and while the horizon still ends before the as-of day. At each
// origin the whole forecast is refitted from what was known just before it
// (entries, closes and creations after the origin are unseen), and compared
// with what happened. Baselines: naive (the last N days' value) and seasonal
// naive (the same N days 52 weeks earlier). Scores: MAE, MAPE, sMAPE, MASE
// (MAE over the naive baseline's MAE at the same origins, so below 1 beats
// naive), interval coverage, and the calibration of the pipeline
// probabilities (Brier score, reliability table by decile).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dealstat/core/export.hpp"
#include "dealstat/core/table.hpp"
#include "dealstat/core/types.hpp"
#include "dealstat/stats/accuracy.hpp"
#include "dealstat/time/calendar.hpp"

namespace dealstat {
inline namespace v1 {

//! One forecast figure at one origin with what happened and the baselines.
struct BacktestPoint {
  double predicted = 0;       //!< forecast mean
  double lower80 = 0;         //!< 80% interval, lower
  double upper80 = 0;         //!< 80% interval, upper
  double lower95 = 0;         //!< 95% interval, lower
  double upper95 = 0;         //!< 95% interval, upper
  double actual = 0;          //!< what happened in the horizon
  double naive = 0;           //!< the same figure over the N days before the origin
  double seasonal_naive = 0;  //!< the same figure over the N days 364 days before the origin (NaN before the data)
};

//! The figures the backtest scores, by index into BacktestOrigin::points.
enum class BacktestSeries : std::uint8_t {
  won_count = 0,             //!< deals won within the horizon (pipeline + new)
  won_budget_minor = 1,      //!< their budget
  created = 2,               //!< deals created within the horizon (inflow regression)
  won_budget_regression_minor = 3,  //!< won budget by the top-down regression on the daily won-budget series
};
//! Number of BacktestSeries values.
inline constexpr std::size_t kBacktestSeries = 4;
//! Name of a series ("won_count").
DEALSTAT_API const char* backtest_series_name(BacktestSeries s);

//! One rolling origin.
struct BacktestOrigin {
  LocalDate origin;                             //!< first day of the horizon (the forecast knows the days before)
  std::int64_t origin_s = 0;                    //!< its first instant
  std::int64_t active_deals = 0;                //!< deals active just before the origin
  std::int64_t won_from_pipeline = 0;           //!< of them, won within the horizon
  double expected_from_pipeline = 0;            //!< sum of their win probabilities
  BacktestPoint points[kBacktestSeries];        //!< by BacktestSeries
};

//! Scores of one method on one series over the origins where both it and the actual exist.
struct BacktestScore {
  BacktestSeries series = BacktestSeries::won_count;  //!< which figure
  std::string method;            //!< "forecast", "naive" or "seasonal_naive"
  std::int64_t origins = 0;      //!< origins scored
  double mae = 0;                //!< mean absolute error
  double mape = 0;               //!< MAPE, fraction (origins with actual 0 left out)
  double smape = 0;              //!< sMAPE, fraction in [0, 2]
  double mase = 0;               //!< MAE / naive MAE at the same origins (naive = 1)
  double coverage80 = 0;         //!< share of actuals inside the 80% interval (forecast only, else NaN)
  double coverage95 = 0;         //!< share inside the 95% interval (forecast only, else NaN)
};

//! The backtest: per-origin figures, scores, and the calibration of the pipeline probabilities.
struct BacktestResult {
  std::int32_t horizon_days = 0;          //!< N
  Bucket bucket = Bucket::month;          //!< origin spacing
  std::vector<BacktestOrigin> origins;    //!< in time order
  std::vector<BacktestScore> scores;      //!< per series: forecast, naive, seasonal_naive
  std::int64_t predictions = 0;           //!< (deal, origin) pipeline probabilities scored
  double brier = 0;                       //!< Brier score of those probabilities (NaN when none)
  double base_rate = 0;                   //!< share of them won within the horizon
  std::vector<ReliabilityBin> reliability;  //!< by decile of predicted probability, 95% Wilson intervals

  //! The score of one series and method, or nullptr.
  const BacktestScore* score(BacktestSeries series, const std::string& method) const;
  //! Tables "backtest_summary", "backtest_scores", "backtest_calibration", "backtest_origins".
  std::vector<ResultTable> to_tables() const;
};

//! Scores the per-origin points (fills result.scores from result.origins).
DEALSTAT_API void score_backtest(BacktestResult& result);

}  // namespace v1
}  // namespace dealstat
