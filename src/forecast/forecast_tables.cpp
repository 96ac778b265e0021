// The forecast's and the backtest's results as ResultTables (kept apart from
// the computation so a static link that never renders tables does not need them).
#include <cmath>

#include "dealstat/forecast/backtest.hpp"
#include "dealstat/forecast/forecast.hpp"

namespace dealstat {
inline namespace v1 {

std::vector<ResultTable> ForecastResult::to_tables() const {
  ResultTable t{"forecast", {}};
  {
    std::vector<std::string> figure;
    std::vector<double> mean, l80, u80, l95, u95;
    const auto add = [&](const char* name, const ForecastInterval& iv) {
      figure.emplace_back(name);
      mean.push_back(iv.mean);
      l80.push_back(iv.lower80);
      u80.push_back(iv.upper80);
      l95.push_back(iv.lower95);
      u95.push_back(iv.upper95);
    };
    add("won_count", won_count);
    add("won_count_pipeline", won_count_pipeline);
    add("won_count_new", won_count_new);
    add("won_budget_minor", won_budget_minor);
    add("won_budget_pipeline_minor", won_budget_pipeline_minor);
    add("won_budget_new_minor", won_budget_new_minor);
    add("created", created);
    add("won_budget_regression_minor", won_budget_regression_minor);
    t.add("figure", std::move(figure)).add("mean", std::move(mean)).add("lower80", std::move(l80));
    t.add("upper80", std::move(u80)).add("lower95", std::move(l95)).add("upper95", std::move(u95));
  }
  ResultTable info{"forecast_summary", {}};
  info.add("as_of", std::vector<std::string>{format_date(as_of)});
  info.add("as_of_s", std::vector<std::int64_t>{as_of_s});
  info.add("horizon_days", std::vector<std::int64_t>{horizon_days});
  info.add("active_deals", std::vector<std::int64_t>{active_deals});
  ResultTable s{"forecast_stages", {}};
  {
    std::vector<std::int64_t> id, active;
    std::vector<std::string> pipe, name;
    std::vector<double> ew, eb, entry, chain;
    for (const auto& r : stages) {
      id.push_back(r.stage_id);
      pipe.push_back(r.pipeline);
      name.push_back(r.name);
      active.push_back(r.active);
      ew.push_back(r.expected_won);
      eb.push_back(r.expected_won_budget_minor);
      entry.push_back(100 * r.entry_probability);
      chain.push_back(100 * r.chain_win_probability);
    }
    s.add("stage_id", std::move(id)).add("pipeline", std::move(pipe)).add("stage", std::move(name));
    s.add("active", std::move(active)).add("expected_won", std::move(ew)).add("expected_won_budget_minor", std::move(eb));
    s.add("entry_win_probability_pct", std::move(entry)).add("chain_win_probability_pct", std::move(chain));
  }
  ResultTable d{"forecast_deals", {}};
  {
    std::vector<std::int64_t> id, stage, age, bud, reo;
    std::vector<double> prob;
    for (const auto& r : deals) {
      reo.push_back(r.reopened ? 1 : 0);
      id.push_back(r.deal_id);
      stage.push_back(r.stage_id);
      age.push_back(r.age_s);
      bud.push_back(r.budget_minor);
      prob.push_back(100 * r.probability);
    }
    d.add("deal_id", std::move(id)).add("stage_id", std::move(stage)).add("age_in_stage_s", std::move(age));
    d.add("budget_minor", std::move(bud)).add("win_probability_pct", std::move(prob)).add("reopened", std::move(reo));
  }
  std::vector<ResultTable> out{std::move(info), std::move(t), std::move(s), std::move(d)};
  for (auto& bt : backtest.to_tables()) out.push_back(std::move(bt));
  return out;
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
