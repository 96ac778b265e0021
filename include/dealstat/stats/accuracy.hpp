// Forecast accuracy for the backtest (SPEC section 10): MAPE, sMAPE, MASE
// against naive and seasonal-naive baselines, and calibration of predicted
// win probabilities (Brier score, reliability table by decile).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "dealstat/core/export.hpp"

namespace dealstat {
inline namespace v1 {

//! Mean absolute percentage error mean(|y - yhat| / |y|), as a fraction (0.25 = 25%).
//! Points with y == 0 are left out (their percentage error is undefined); NaN if none remain.
DEALSTAT_API double mape(std::span<const double> y_true, std::span<const double> y_pred);

//! Symmetric MAPE (sktime's): mean(2 |y - yhat| / (|y| + |yhat|)), a fraction in [0, 2]; a point with y = yhat = 0 scores 0.
DEALSTAT_API double smape(std::span<const double> y_true, std::span<const double> y_pred);

//! Mean absolute scaled error: mean |y - yhat| / mean_{t >= m} |y_train[t] - y_train[t - m]|.
//! Needs y_train.size() > m; a zero in-sample naive error gives +inf (or NaN if the forecast is perfect).
DEALSTAT_API double mase(std::span<const double> y_true, std::span<const double> y_pred,
                         std::span<const double> y_train, std::size_t m = 1);

//! Naive forecast: the last value of `history`, repeated `horizon` times.
DEALSTAT_API std::vector<double> naive_forecast(std::span<const double> history, std::size_t horizon);

//! Seasonal naive forecast: step h (1-based) repeats history[T - m + (h - 1) mod m].
DEALSTAT_API std::vector<double> seasonal_naive_forecast(std::span<const double> history, std::size_t horizon,
                                                         std::size_t m);

//! Brier score mean((p - o)^2) of probabilities p against 0/1 outcomes o.
DEALSTAT_API double brier_score(std::span<const double> p, std::span<const std::uint8_t> outcomes);

//! One bin of a reliability table.
struct ReliabilityBin {
  double lower_edge = 0.0;      //!< bin covers [lower_edge, upper_edge) (the last bin includes 1)
  double upper_edge = 0.0;      //!< upper edge
  std::int64_t count = 0;       //!< predictions in the bin
  double mean_predicted = 0.0;  //!< mean predicted probability (NaN when empty)
  double observed_rate = 0.0;   //!< share of outcomes that happened (NaN when empty)
  double ci_lower = 0.0;        //!< Wilson interval of observed_rate, lower ({0, 1} when empty)
  double ci_upper = 1.0;        //!< Wilson interval of observed_rate, upper
};

//! Reliability table with `bins` equal-width bins of predicted probability (default deciles):
//! bin index = min(floor(p * bins), bins - 1). Empty bins are kept.
DEALSTAT_API std::vector<ReliabilityBin> reliability_table(std::span<const double> p,
                                                           std::span<const std::uint8_t> outcomes,
                                                           std::size_t bins = 10, double confidence = 0.95);

}  // namespace v1
}  // namespace dealstat
