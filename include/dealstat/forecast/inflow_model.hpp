// The inflow part of the sales forecast (SPEC section 10): an OLS regression
// on a daily series (deals created per local day, or won budget per day) with
// a linear trend, day-of-week effects, month-of-year effects and an optional
// holidays indicator, projected over the next N days with prediction
// intervals that carry both the residual variance and the parameter
// uncertainty (OlsModel, which matches statsmodels on Longley).
//
// Columns chosen from the history length (docs/forecast.md, "Inflow"):
// intercept always; day of week when the window has >= 14 days; trend when
// >= 56 days; month of year when >= 730 days (two of every month); a holiday
// indicator when a listed holiday falls in the window. The window is the last
// `window_days` days before the origin -- or, when at least 365 days of
// history precede the origin (and yearly_window_days > 0), the last
// yearly_window_days days with yearly seasonality as three Fourier harmonics
// in place of month dummies. The interval of a sum over days takes the
// residuals' lag-1 autocorrelation into account (AR(1)).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "dealstat/core/export.hpp"
#include "dealstat/core/types.hpp"

namespace dealstat {
inline namespace v1 {

class OlsModel;

//! Options of the inflow regression.
struct InflowOptions {
  std::int32_t window_days = 91;     //!< days of history used (the most recent; chosen by backtest, docs/forecast.md)
  std::vector<LocalDate> holidays;   //!< local dates with their own level (empty = no holiday effect)
  std::int32_t yearly_window_days = 1095;  //!< with >= 365 days of history: window with yearly Fourier terms (0 = off)
  bool autocorrelated_residuals = true;    //!< AR(1) residuals in the interval of a sum over days (false = independent days)
};

//! A projected sum with its prediction intervals (lower bounds clamped at 0).
struct InflowSum {
  double mean = 0;           //!< sum of w_j * predicted value of day j
  double sd = 0;             //!< prediction standard deviation of the sum: sqrt(sigma2 sum w^2 + x_w' Cov x_w)
  double lower80 = 0;        //!< 80% prediction interval, lower
  double upper80 = 0;        //!< 80% prediction interval, upper
  double lower95 = 0;        //!< 95% prediction interval, lower
  double upper95 = 0;        //!< 95% prediction interval, upper
};

//! A fitted inflow regression.
class DEALSTAT_API InflowModel {
 public:
  //! Fits on daily[k] = value of local day first_day + k, using the days before `origin` (at most
  //! options.window_days of them). Throws Error(invalid_option) naming "window_days".
  static InflowModel fit(std::span<const double> daily, LocalDate first_day, LocalDate origin,
                         const InflowOptions& options = {});
  //! Predicted value of each of the `days` days from the origin on.
  std::vector<double> predict_days(std::int32_t days) const;
  //! Sum over `days` days from the origin of weights[j] * value of day j (weights empty = all 1).
  InflowSum predict_sum(std::int32_t days, std::span<const double> weights = {}) const;
  //! Observations used.
  std::int64_t n_obs() const noexcept { return n_obs_; }
  //! Names of the design columns, in order ("const", "trend", "dow_2".."dow_7", "month_2".."month_12" or
  //! "year_sin1", "year_cos1".."year_cos3", "holiday").
  const std::vector<const char*>& columns() const noexcept { return columns_; }
  //! The fitted OLS model (null when there were too few days to fit one).
  const OlsModel* ols() const noexcept { return ols_.get(); }
  //! Lag-1 autocorrelation of the residuals used in intervals (0 when off or not positive).
  double residual_autocorrelation() const noexcept { return rho_; }

  InflowModel();
  ~InflowModel();
  InflowModel(InflowModel&&) noexcept;
  InflowModel& operator=(InflowModel&&) noexcept;

 private:
  void row(LocalDate d, double* out) const;
  std::shared_ptr<const OlsModel> ols_;
  std::vector<const char*> columns_;
  bool trend_ = false, dow_ = false, month_ = false, fourier_ = false, holiday_ = false;
  double rho_ = 0;
  LocalDate origin_{};
  std::vector<LocalDate> holidays_;
  std::int64_t n_obs_ = 0;
  double fallback_mean_ = 0;  // per-day mean when no OLS could be fitted
};

}  // namespace v1
}  // namespace dealstat
