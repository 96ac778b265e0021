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

std::vector<ResultTable> BacktestResult::to_tables() const {
  ResultTable sc{"backtest_scores", {}};
  {
    std::vector<std::string> series, method;
    std::vector<std::int64_t> n;
    std::vector<double> mae, mape_v, smape_v, mase_v, c80, c95;
    for (const auto& s : scores) {
      series.push_back(backtest_series_name(s.series));
      method.push_back(s.method);
      n.push_back(s.origins);
      mae.push_back(s.mae);
      mape_v.push_back(100 * s.mape);
      smape_v.push_back(100 * s.smape);
      mase_v.push_back(s.mase);
      c80.push_back(100 * s.coverage80);
      c95.push_back(100 * s.coverage95);
    }
    sc.add("series", std::move(series)).add("method", std::move(method)).add("origins", std::move(n));
    sc.add("mae", std::move(mae)).add("mape_pct", std::move(mape_v)).add("smape_pct", std::move(smape_v));
    sc.add("mase", std::move(mase_v)).add("coverage80_pct", std::move(c80)).add("coverage95_pct", std::move(c95));
  }
  ResultTable cal{"backtest_calibration", {}};
  {
    std::vector<double> lo, hi, mp, obs, cl, cu;
    std::vector<std::int64_t> n;
    for (const auto& b : reliability) {
      lo.push_back(100 * b.lower_edge);
      hi.push_back(100 * b.upper_edge);
      n.push_back(b.count);
      mp.push_back(100 * b.mean_predicted);
      obs.push_back(100 * b.observed_rate);
      cl.push_back(100 * b.ci_lower);
      cu.push_back(100 * b.ci_upper);
    }
    cal.add("bin_lower_pct", std::move(lo)).add("bin_upper_pct", std::move(hi)).add("predictions", std::move(n));
    cal.add("mean_predicted_pct", std::move(mp)).add("observed_pct", std::move(obs));
    cal.add("observed_lower_pct", std::move(cl)).add("observed_upper_pct", std::move(cu));
  }
  ResultTable org{"backtest_origins", {}};
  {
    std::vector<std::string> date;
    std::vector<std::int64_t> active, won_pipe;
    std::vector<double> exp_pipe;
    std::vector<std::vector<double>> cols(kBacktestSeries * 5);
    for (const auto& o : origins) {
      date.push_back(format_date(o.origin));
      active.push_back(o.active_deals);
      won_pipe.push_back(o.won_from_pipeline);
      exp_pipe.push_back(o.expected_from_pipeline);
      for (std::size_t s = 0; s < kBacktestSeries; ++s) {
        const auto& p = o.points[s];
        cols[s * 5 + 0].push_back(p.predicted);
        cols[s * 5 + 1].push_back(p.lower95);
        cols[s * 5 + 2].push_back(p.upper95);
        cols[s * 5 + 3].push_back(p.actual);
        cols[s * 5 + 4].push_back(p.naive);
      }
    }
    org.add("origin", std::move(date)).add("active_deals", std::move(active));
    org.add("expected_from_pipeline", std::move(exp_pipe)).add("won_from_pipeline", std::move(won_pipe));
    static constexpr const char* kSuffix[] = {"predicted", "lower95", "upper95", "actual", "naive"};
    for (std::size_t s = 0; s < kBacktestSeries; ++s) {
      std::string base = backtest_series_name(static_cast<BacktestSeries>(s));
      // Keep the unit suffix last: won_budget_minor -> won_budget_predicted_minor.
      std::string unit;
      if (base.size() > 6 && base.compare(base.size() - 6, 6, "_minor") == 0) {
        unit = "_minor";
        base.resize(base.size() - 6);
      }
      for (std::size_t k = 0; k < 5; ++k) org.add(base + "_" + kSuffix[k] + unit, std::move(cols[s * 5 + k]));
    }
  }
  ResultTable summary{"backtest_summary", {}};
  summary.add("horizon_days", std::vector<std::int64_t>{horizon_days});
  summary.add("bucket", std::vector<std::string>{bucket_name(bucket)});
  summary.add("origins", std::vector<std::int64_t>{static_cast<std::int64_t>(origins.size())});
  summary.add("predictions", std::vector<std::int64_t>{predictions});
  summary.add("brier", std::vector<double>{brier});
  summary.add("base_rate_pct", std::vector<double>{100 * base_rate});
  return {std::move(summary), std::move(sc), std::move(cal), std::move(org)};
}

}  // namespace v1
}  // namespace dealstat
