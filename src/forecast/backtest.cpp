// Backtest scoring (MAE, MAPE, sMAPE, MASE against the naive baseline,
// interval coverage) and the backtest's tables.
#include "dealstat/forecast/backtest.hpp"

#include <cmath>
#include <limits>

#include "dealstat/stats/accuracy.hpp"

namespace dealstat {
inline namespace v1 {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

const char* backtest_series_name(BacktestSeries s) {
  switch (s) {
    case BacktestSeries::won_count: return "won_count";
    case BacktestSeries::won_budget_minor: return "won_budget_minor";
    case BacktestSeries::created: return "created";
    case BacktestSeries::won_budget_regression_minor: return "won_budget_regression_minor";
  }
  return "?";
}

const BacktestScore* BacktestResult::score(BacktestSeries series, const std::string& method) const {
  for (const auto& s : scores)
    if (s.series == series && s.method == method) return &s;
  return nullptr;
}

void score_backtest(BacktestResult& r) {
  r.scores.clear();
  for (std::size_t si = 0; si < kBacktestSeries; ++si) {
    const auto series = static_cast<BacktestSeries>(si);
    for (int method = 0; method < 3; ++method) {
      std::vector<double> actual, pred, naive;
      double in80 = 0, in95 = 0;
      for (const auto& o : r.origins) {
        const BacktestPoint& p = o.points[si];
        const double f = method == 0 ? p.predicted : method == 1 ? p.naive : p.seasonal_naive;
        if (!std::isfinite(f) || !std::isfinite(p.actual) || !std::isfinite(p.naive)) continue;
        actual.push_back(p.actual);
        pred.push_back(f);
        naive.push_back(p.naive);
        in80 += p.actual >= p.lower80 && p.actual <= p.upper80;
        in95 += p.actual >= p.lower95 && p.actual <= p.upper95;
      }
      BacktestScore s;
      s.series = series;
      s.method = method == 0 ? "forecast" : method == 1 ? "naive" : "seasonal_naive";
      s.origins = static_cast<std::int64_t>(actual.size());
      s.mae = s.mape = s.smape = s.mase = s.coverage80 = s.coverage95 = kNaN;
      if (!actual.empty()) {
        double ae = 0;
        for (std::size_t k = 0; k < actual.size(); ++k) ae += std::fabs(actual[k] - pred[k]);
        s.mae = ae / static_cast<double>(actual.size());
        s.mape = mape(actual, pred);
        s.smape = smape(actual, pred);
        // MASE with the naive errors at the same origins as the scale: mase() divides by the mean
        // |y_train[t] - y_train[t - m]|, so y_train = [naive..., actual...] with m = K gives exactly that.
        std::vector<double> train = naive;
        train.insert(train.end(), actual.begin(), actual.end());
        s.mase = mase(actual, pred, train, actual.size());
        if (method == 0) {
          s.coverage80 = in80 / static_cast<double>(actual.size());
          s.coverage95 = in95 / static_cast<double>(actual.size());
        }
      }
      r.scores.push_back(std::move(s));
    }
  }
}

}  // namespace v1
}  // namespace dealstat
