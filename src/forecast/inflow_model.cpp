// The inflow regression: design by history length, OLS fit, weighted sums
// over the horizon with t prediction intervals.
#include "dealstat/forecast/inflow_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "dealstat/core/error.hpp"
#include "dealstat/stats/distributions.hpp"
#include "dealstat/stats/ols.hpp"
#include "dealstat/time/calendar.hpp"

namespace dealstat {
inline namespace v1 {

InflowModel::InflowModel() = default;
InflowModel::~InflowModel() = default;
InflowModel::InflowModel(InflowModel&&) noexcept = default;
InflowModel& InflowModel::operator=(InflowModel&&) noexcept = default;

void InflowModel::row(LocalDate d, double* out) const {
  std::size_t c = 0;
  out[c++] = 1.0;
  if (trend_) out[c++] = static_cast<double>(d.days - origin_.days) / 365.25;
  if (dow_) {
    const int wd = static_cast<int>(weekday(d));
    for (int k = 2; k <= 7; ++k) out[c++] = wd == k ? 1.0 : 0.0;
  }
  if (month_) {
    const int m = civil(d).month;
    for (int k = 2; k <= 12; ++k) out[c++] = m == k ? 1.0 : 0.0;
  }
  if (fourier_) {
    constexpr double kTwoPi = 6.283185307179586;
    const double phase = kTwoPi * static_cast<double>(d.days) / 365.25;
    for (int k = 1; k <= 3; ++k) {
      out[c++] = std::sin(k * phase);
      out[c++] = std::cos(k * phase);
    }
  }
  if (holiday_) out[c++] = std::binary_search(holidays_.begin(), holidays_.end(), d) ? 1.0 : 0.0;
}

InflowModel InflowModel::fit(std::span<const double> daily, LocalDate first_day, LocalDate origin,
                             const InflowOptions& opt) {
  if (opt.window_days < 1)
    throw Error::bad_option("window_days", std::to_string(opt.window_days), "must be at least 1");
  InflowModel m;
  m.origin_ = origin;
  m.holidays_ = opt.holidays;
  std::sort(m.holidays_.begin(), m.holidays_.end());
  // Days [from, origin) that the series covers.
  const std::int64_t end = std::min<std::int64_t>(origin.days, first_day.days + static_cast<std::int64_t>(daily.size()));
  // A year of history or more: a longer window with yearly seasonality (Fourier terms).
  const bool yearly = opt.yearly_window_days > 0 && end - first_day.days >= 365;
  const std::int32_t window = yearly ? std::max(opt.window_days, opt.yearly_window_days) : opt.window_days;
  const std::int64_t from = std::max<std::int64_t>(first_day.days, origin.days - window);
  const std::int64_t n = std::max<std::int64_t>(0, end - from);
  m.n_obs_ = n;
  std::vector<double> y;
  for (std::int64_t d = from; d < end; ++d) y.push_back(daily[static_cast<std::size_t>(d - first_day.days)]);
  double sum = 0;
  for (double v : y) sum += v;
  m.fallback_mean_ = n > 0 ? sum / static_cast<double>(n) : 0.0;
  m.dow_ = n >= 14;
  m.trend_ = n >= 56;
  m.month_ = n >= 730 && !yearly;
  m.fourier_ = yearly && n >= 365;
  bool any_holiday = false, all_holiday = n > 0;
  for (std::int64_t d = from; d < end; ++d) {
    const bool h = std::binary_search(m.holidays_.begin(), m.holidays_.end(), LocalDate{static_cast<std::int32_t>(d)});
    any_holiday |= h;
    all_holiday &= h;
  }
  m.holiday_ = any_holiday && !all_holiday && n >= 28;
  // Design, dropping the richest effects first if it does not fit.
  for (int attempt = 0; attempt < 5; ++attempt) {
    m.columns_ = {"const"};
    if (m.trend_) m.columns_.push_back("trend");
    if (m.dow_) m.columns_.insert(m.columns_.end(), {"dow_2", "dow_3", "dow_4", "dow_5", "dow_6", "dow_7"});
    if (m.month_)
      m.columns_.insert(m.columns_.end(), {"month_2", "month_3", "month_4", "month_5", "month_6", "month_7", "month_8",
                                           "month_9", "month_10", "month_11", "month_12"});
    if (m.fourier_)
      m.columns_.insert(m.columns_.end(), {"year_sin1", "year_cos1", "year_sin2", "year_cos2", "year_sin3", "year_cos3"});
    if (m.holiday_) m.columns_.push_back("holiday");
    const std::size_t k = m.columns_.size();
    if (n < 2 || static_cast<std::size_t>(n) <= k) {
      if (k == 1) break;
    } else {
      std::vector<double> x(static_cast<std::size_t>(n) * k);
      for (std::int64_t r = 0; r < n; ++r) m.row(LocalDate{static_cast<std::int32_t>(from + r)}, &x[static_cast<std::size_t>(r) * k]);
      try {
        m.ols_ = std::make_shared<const OlsModel>(OlsModel::fit(x, static_cast<std::size_t>(n), k, y));
        if (opt.autocorrelated_residuals) {
          // Lag-1 autocorrelation of the residuals (days in time order); only positive values widen.
          double num = 0, den = 0, prev = 0;
          for (std::int64_t r = 0; r < n; ++r) {
            double fit_r = 0;
            for (std::size_t c = 0; c < k; ++c) fit_r += x[static_cast<std::size_t>(r) * k + c] * m.ols_->params()[c];
            const double e = y[static_cast<std::size_t>(r)] - fit_r;
            den += e * e;
            if (r > 0) num += e * prev;
            prev = e;
          }
          m.rho_ = den > 0 ? std::clamp(num / den, 0.0, 0.95) : 0.0;
        }
        return m;
      } catch (const Error&) {
        // rank deficient: simplify below
      }
    }
    if (m.holiday_) m.holiday_ = false;
    else if (m.month_) m.month_ = false;
    else if (m.fourier_) m.fourier_ = false;
    else if (m.dow_) m.dow_ = false;
    else if (m.trend_) m.trend_ = false;
    else break;
  }
  m.columns_ = {"const"};
  m.trend_ = m.dow_ = m.month_ = m.fourier_ = m.holiday_ = false;
  return m;
}

std::vector<double> InflowModel::predict_days(std::int32_t days) const {
  std::vector<double> out(static_cast<std::size_t>(std::max(0, days)), fallback_mean_);
  if (!ols_) return out;
  const std::size_t k = columns_.size();
  std::vector<double> x(k);
  for (std::int32_t j = 0; j < days; ++j) {
    row(LocalDate{origin_.days + j}, x.data());
    double v = 0;
    for (std::size_t c = 0; c < k; ++c) v += x[c] * ols_->params()[c];
    out[static_cast<std::size_t>(j)] = v;
  }
  return out;
}

InflowSum InflowModel::predict_sum(std::int32_t days, std::span<const double> weights) const {
  if (!weights.empty() && weights.size() != static_cast<std::size_t>(days))
    throw Error::bad_option("weights", std::to_string(weights.size()), "must have one weight per day");
  InflowSum s;
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const auto w = [&](std::int32_t j) { return weights.empty() ? 1.0 : weights[static_cast<std::size_t>(j)]; };
  // Residual part: sum_j sum_k w_j w_k rho^|j-k| (AR(1); rho = 0 gives sum w_j^2).
  double w2 = 0;
  for (std::int32_t j = 0; j < days; ++j) w2 += w(j) * w(j);
  if (rho_ > 0) {
    double cross = 0;
    for (std::int32_t j = 0; j < days; ++j) {
      double r = 1;
      for (std::int32_t l = 1; j + l < days; ++l) {
        r *= rho_;
        if (r < 1e-12) break;
        cross += w(j) * w(j + l) * r;
      }
    }
    w2 += 2 * cross;
  }
  if (!ols_) {
    double m = 0;
    for (std::int32_t j = 0; j < days; ++j) m += w(j) * fallback_mean_;
    s.mean = m;
    s.sd = s.lower80 = s.upper80 = s.lower95 = s.upper95 = kNaN;
    return s;
  }
  const std::size_t k = columns_.size();
  std::vector<double> x(k), xw(k, 0.0);
  for (std::int32_t j = 0; j < days; ++j) {
    row(LocalDate{origin_.days + j}, x.data());
    for (std::size_t c = 0; c < k; ++c) xw[c] += w(j) * x[c];
  }
  const OlsPrediction p = ols_->predict(xw, 0.95);
  s.mean = p.mean[0];
  // Parameter part: OLS's Cov(beta) assumes independent days; with AR(1) residuals the variance of
  // the fitted level and trend is larger by about (1 + rho) / (1 - rho) (the long-run variance factor).
  const double inflate = rho_ > 0 ? (1 + rho_) / (1 - rho_) : 1.0;
  s.sd = std::sqrt(ols_->sigma2() * w2 + inflate * p.se_mean[0] * p.se_mean[0]);
  const auto df = static_cast<double>(ols_->df_resid());
  const double t80 = student_t_quantile(0.90, df), t95 = student_t_quantile(0.975, df);
  s.lower80 = std::max(0.0, s.mean - t80 * s.sd);
  s.upper80 = std::max(0.0, s.mean + t80 * s.sd);
  s.lower95 = std::max(0.0, s.mean - t95 * s.sd);
  s.upper95 = std::max(0.0, s.mean + t95 * s.sd);
  return s;
}

}  // namespace v1
}  // namespace dealstat
