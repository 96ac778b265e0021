// Ordinary least squares: the inflow regression of the sales forecast
// (SPEC section 10: trend and seasonality on created deals and won budget per
// bucket) with coefficient standard errors and t-based prediction intervals.
// Solved by column-pivoted Householder QR (never the normal equations).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "dealstat/core/export.hpp"

namespace dealstat {
inline namespace v1 {

//! Predictions for new rows: the fitted mean, its standard error, and t intervals.
struct OlsPrediction {
  std::vector<double> mean;      //!< x_new . params
  std::vector<double> se_mean;   //!< sqrt(sigma2 x' (X'X)^-1 x): standard error of the mean
  std::vector<double> ci_lower;  //!< confidence interval of the mean, lower
  std::vector<double> ci_upper;  //!< confidence interval of the mean, upper
  std::vector<double> pi_lower;  //!< prediction interval of a new observation, lower
  std::vector<double> pi_upper;  //!< prediction interval of a new observation, upper
};

//! A fitted OLS model.
class DEALSTAT_API OlsModel {
 public:
  //! Fits y = X b + e. `x` is row-major n_rows x n_cols (the caller adds any intercept column);
  //! `y` has n_rows values. Throws Error(invalid_option) naming "x" for a rank-deficient design
  //! (or n_rows <= n_cols, or a size mismatch) and "y" for a wrong length or non-finite values.
  static OlsModel fit(std::span<const double> x, std::size_t n_rows, std::size_t n_cols, std::span<const double> y);

  //! Predicts for row-major `x_new` (rows of n_cols values) with two-sided intervals at `confidence`.
  OlsPrediction predict(std::span<const double> x_new, double confidence = 0.95) const;

  //! Coefficients, in the column order of X.
  const std::vector<double>& params() const noexcept { return params_; }
  //! Standard errors of the coefficients.
  const std::vector<double>& bse() const noexcept { return bse_; }
  //! Residual variance SSR / df_resid.
  double sigma2() const noexcept { return sigma2_; }
  //! R^2: centered when X has a constant column, uncentered otherwise (statsmodels' rule).
  double r_squared() const noexcept { return r_squared_; }
  //! Adjusted R^2: 1 - (n - k_const) / df_resid * (1 - R^2).
  double adj_r_squared() const noexcept { return adj_r_squared_; }
  //! Residual degrees of freedom n - k.
  std::int64_t df_resid() const noexcept { return df_resid_; }
  //! Number of observations.
  std::int64_t n_obs() const noexcept { return n_obs_; }
  //! Sum of squared residuals.
  double ssr() const noexcept { return ssr_; }
  //! Row-major k x k unscaled covariance (X'X)^-1.
  const std::vector<double>& normalized_cov() const noexcept { return cov_unscaled_; }

 private:
  std::vector<double> params_, bse_, cov_unscaled_;
  double sigma2_ = 0, r_squared_ = 0, adj_r_squared_ = 0, ssr_ = 0;
  std::int64_t df_resid_ = 0, n_obs_ = 0;
};

}  // namespace v1
}  // namespace dealstat
