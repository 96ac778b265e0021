// Ordinary least squares by column-pivoted QR (see include/dealstat/stats/ols.hpp).
#include "dealstat/stats/ols.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <string>

#include "dealstat/core/error.hpp"
#include "dealstat/stats/distributions.hpp"

namespace dealstat {
inline namespace v1 {
namespace {
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
}  // namespace

OlsModel OlsModel::fit(std::span<const double> x, std::size_t n_rows, std::size_t n_cols, std::span<const double> y) {
  if (n_cols == 0) throw Error::bad_option("x", "0 columns", "the design needs at least one column");
  if (x.size() != n_rows * n_cols)
    throw Error::bad_option("x", std::to_string(x.size()) + " values",
                            "expected n_rows * n_cols = " + std::to_string(n_rows * n_cols));
  if (y.size() != n_rows)
    throw Error::bad_option("y", std::to_string(y.size()) + " values", "expected n_rows = " + std::to_string(n_rows));
  if (n_rows <= n_cols)
    throw Error::bad_option("x", std::to_string(n_rows) + " rows",
                            "needs more rows than columns (" + std::to_string(n_cols) + ") to estimate the variance");
  for (double v : x)
    if (!std::isfinite(v)) throw Error::bad_option("x", std::to_string(v), "values must be finite");
  for (double v : y)
    if (!std::isfinite(v)) throw Error::bad_option("y", std::to_string(v), "values must be finite");

  const auto n = static_cast<Eigen::Index>(n_rows);
  const auto k = static_cast<Eigen::Index>(n_cols);
  const Eigen::Map<const RowMatrix> X(x.data(), n, k);
  const Eigen::Map<const Eigen::VectorXd> Y(y.data(), n);

  // Scale columns to unit norm before QR so the rank test is relative to each column's size.
  const Eigen::VectorXd scale = X.colwise().norm().transpose();
  for (Eigen::Index j = 0; j < k; ++j)
    if (scale(j) == 0.0) throw Error::bad_option("x", "column " + std::to_string(j), "is all zeros (singular design)");
  const Eigen::MatrixXd Xs = X * scale.cwiseInverse().asDiagonal();
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(Xs);
  qr.setThreshold(1e-12);
  if (qr.rank() < k)
    throw Error::bad_option("x", "rank " + std::to_string(qr.rank()) + " of " + std::to_string(k),
                            "design matrix is singular (collinear columns)");
  Eigen::VectorXd b = qr.solve(Y);
  // One step of iterative refinement on the residual (helps ill-conditioned designs like Longley).
  b += qr.solve(Y - Xs * b);
  const Eigen::VectorXd resid = Y - Xs * b;

  // (Xs'Xs)^-1 = P R^-1 R^-T P'; then unscale: (X'X)^-1 = D^-1 (Xs'Xs)^-1 D^-1.
  const Eigen::MatrixXd R = qr.matrixR().topLeftCorner(k, k).triangularView<Eigen::Upper>();
  const Eigen::MatrixXd Rinv = R.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(k, k));
  const Eigen::MatrixXd cov_perm = Rinv * Rinv.transpose();
  const Eigen::MatrixXd P = qr.colsPermutation();
  Eigen::MatrixXd cov = P * cov_perm * P.transpose();
  const Eigen::VectorXd inv_scale = scale.cwiseInverse();
  cov = inv_scale.asDiagonal() * cov * inv_scale.asDiagonal();

  OlsModel m;
  m.n_obs_ = static_cast<std::int64_t>(n_rows);
  m.df_resid_ = static_cast<std::int64_t>(n_rows - n_cols);
  m.ssr_ = resid.squaredNorm();
  m.sigma2_ = m.ssr_ / static_cast<double>(m.df_resid_);
  m.params_.resize(n_cols);
  m.bse_.resize(n_cols);
  m.cov_unscaled_.resize(n_cols * n_cols);
  for (Eigen::Index j = 0; j < k; ++j) {
    m.params_[static_cast<std::size_t>(j)] = b(j) / scale(j);
    m.bse_[static_cast<std::size_t>(j)] = std::sqrt(m.sigma2_ * cov(j, j));
    for (Eigen::Index i = 0; i < k; ++i) m.cov_unscaled_[static_cast<std::size_t>(j * k + i)] = cov(j, i);
  }
  // statsmodels: a column is a constant if it has no spread (and is not all zeros).
  bool has_const = false;
  for (Eigen::Index j = 0; j < k && !has_const; ++j) has_const = (X.col(j).array() == X(0, j)).all();
  const double tss = has_const ? (Y.array() - Y.mean()).square().sum() : Y.squaredNorm();
  m.r_squared_ = 1.0 - m.ssr_ / tss;
  const double k_const = has_const ? 1.0 : 0.0;
  m.adj_r_squared_ =
      1.0 - (static_cast<double>(n_rows) - k_const) / static_cast<double>(m.df_resid_) * (1.0 - m.r_squared_);
  return m;
}

OlsPrediction OlsModel::predict(std::span<const double> x_new, double confidence) const {
  const std::size_t k = params_.size();
  if (k == 0) throw Error::bad_option("model", "unfitted", "predict needs a fitted model");
  if (x_new.size() % k != 0)
    throw Error::bad_option("x_new", std::to_string(x_new.size()) + " values",
                            "must be whole rows of " + std::to_string(k) + " columns");
  if (!(confidence > 0.0 && confidence < 1.0))
    throw Error::bad_option("confidence", std::to_string(confidence), "must be in (0, 1)");
  const double t = student_t_quantile(0.5 + 0.5 * confidence, static_cast<double>(df_resid_));
  const std::size_t rows = x_new.size() / k;
  OlsPrediction out;
  for (auto* v : {&out.mean, &out.se_mean, &out.ci_lower, &out.ci_upper, &out.pi_lower, &out.pi_upper}) v->resize(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const double* xr = x_new.data() + r * k;
    double mean = 0.0, quad = 0.0;
    for (std::size_t i = 0; i < k; ++i) {
      mean += xr[i] * params_[i];
      for (std::size_t j = 0; j < k; ++j) quad += xr[i] * cov_unscaled_[i * k + j] * xr[j];
    }
    const double se_mean = std::sqrt(sigma2_ * std::max(quad, 0.0));
    const double se_obs = std::sqrt(se_mean * se_mean + sigma2_);
    out.mean[r] = mean;
    out.se_mean[r] = se_mean;
    out.ci_lower[r] = mean - t * se_mean;
    out.ci_upper[r] = mean + t * se_mean;
    out.pi_lower[r] = mean - t * se_obs;
    out.pi_upper[r] = mean + t * se_obs;
  }
  return out;
}

}  // namespace v1
}  // namespace dealstat
