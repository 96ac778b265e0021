// Tests for the sales forecast: options, determinism over thread counts, the
// engine against the one-origin model fit, combined intervals, and the
// backtest on the sample account (whose true process is known) and on the
// real maven-crm export.
#include "dealstat/forecast/forecast.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "dealstat/core/error.hpp"
#include "dealstat/io/mapping.hpp"
#include "dealstat/io/sample_generator.hpp"
#include "dealstat/stats/poisson_binomial.hpp"
#include "expect_error.hpp"

using namespace dealstat;
using namespace dealstat::test;

namespace {

// One sample account shared by the tests (generated once).
const Dataset& sample() {
  static const DatasetPtr ds = [] {
    SampleOptions o;
    o.deals = 6000;
    o.events = false;
    return make_sample(o);
  }();
  return *ds;
}

std::string shared_data_dir() {
#ifdef DEALSTAT_SHARED_DATA_DIR
  if (std::filesystem::exists(DEALSTAT_SHARED_DATA_DIR)) return DEALSTAT_SHARED_DATA_DIR;
#endif
  if (const char* e = std::getenv("DEALSTAT_SHARED_DATA")) return e;
  return "/work/shared/data";
}

void print_backtest(const ForecastResult& r) {
  std::printf("as_of %s active %lld won %.2f [%.0f,%.0f] budget %.0f created %.1f [%.1f,%.1f]\n",
              format_date(r.as_of).c_str(), static_cast<long long>(r.active_deals), r.won_count.mean,
              r.won_count.lower95, r.won_count.upper95, r.won_budget_minor.mean, r.created.mean, r.created.lower95,
              r.created.upper95);
  for (const auto& s : r.backtest.scores)
    std::printf("  %-28s %-15s n=%lld mae=%.4g mape=%.3f smape=%.3f mase=%.3f cov80=%.2f cov95=%.2f\n",
                backtest_series_name(s.series), s.method.c_str(), static_cast<long long>(s.origins), s.mae, s.mape,
                s.smape, s.mase, s.coverage80, s.coverage95);
  std::printf("  brier %.4f base %.4f n=%lld\n", r.backtest.brier, r.backtest.base_rate,
              static_cast<long long>(r.backtest.predictions));
  for (const auto& b : r.backtest.reliability)
    std::printf("  [%.1f,%.1f) n=%lld pred=%.4f obs=%.4f ci=[%.4f,%.4f]\n", b.lower_edge, b.upper_edge,
                static_cast<long long>(b.count), b.mean_predicted, b.observed_rate, b.ci_lower, b.ci_upper);
}

}  // namespace

TEST(Forecast, SampleBacktestBeatsNaive) {
  ForecastOptions o;
  o.horizon_days = 30;
  const auto r = forecast(sample(), o);
  print_backtest(r);
  ASSERT_GE(r.backtest.origins.size(), 10u);
  EXPECT_LT(r.backtest.score(BacktestSeries::won_count, "forecast")->mase, 1.0);
  EXPECT_LT(r.backtest.score(BacktestSeries::won_budget_minor, "forecast")->mase, 1.0);
  EXPECT_LT(r.backtest.score(BacktestSeries::created, "forecast")->mase, 1.0);
  EXPECT_LT(r.backtest.brier, 0.20);
  // The decile criterion itself is checked on a larger sample below: on these 3,546 predictions the
  // top decile's outcomes fall 2.3 standard errors below probabilities refitted on 100,000 deals of the
  // same process (docs/forecast.md), so no correct model holds it here. Sanity bound only: every decile
  // with data within 5 points.
  for (const auto& b : r.backtest.reliability) {
    if (b.count == 0) continue;
    EXPECT_NEAR(b.mean_predicted, b.observed_rate, 0.05) << "decile " << b.lower_edge;
  }
}

TEST(Forecast, SampleCalibrationHoldsDecileByDecile) {
  // The criterion as stated: every decile that has data holds its mean predicted probability
  // inside the 95% Wilson interval of its observed rate -- on a 30,000-deal sample (same process, same
  // backtest settings: 30 days, monthly origins, defaults), where the intervals are 2-3x narrower than on
  // 6,000 deals, so a bias of 2 points would show. Also beats naive there.
  static const DatasetPtr big = [] {
    SampleOptions so;
    so.deals = 30000;
    so.events = false;
    return make_sample(so);
  }();
  ForecastOptions o;
  o.horizon_days = 30;
  const auto r = forecast(*big, o);
  print_backtest(r);
  ASSERT_EQ(r.backtest.reliability.size(), 10u);
  for (const auto& b : r.backtest.reliability) {
    if (b.count == 0) continue;
    EXPECT_GE(b.mean_predicted, b.ci_lower) << "decile " << b.lower_edge;
    EXPECT_LE(b.mean_predicted, b.ci_upper) << "decile " << b.lower_edge;
  }
  EXPECT_LT(r.backtest.score(BacktestSeries::won_count, "forecast")->mase, 1.0);
  EXPECT_LT(r.backtest.score(BacktestSeries::won_budget_minor, "forecast")->mase, 1.0);
  EXPECT_LT(r.backtest.score(BacktestSeries::created, "forecast")->mase, 1.0);
}

TEST(Forecast, SameNumbersOnAnyThreadCount) {
  ForecastOptions o;
  o.bucket = Bucket::week;
  o.threads = 1;
  const auto a = forecast(sample(), o);
  o.threads = 3;
  const auto b = forecast(sample(), o);
  EXPECT_EQ(a.won_count.mean, b.won_count.mean);
  EXPECT_EQ(a.won_budget_minor.upper95, b.won_budget_minor.upper95);
  EXPECT_EQ(a.backtest.brier, b.backtest.brier);
  ASSERT_EQ(a.backtest.origins.size(), b.backtest.origins.size());
  for (std::size_t k = 0; k < a.backtest.origins.size(); ++k)
    EXPECT_EQ(a.backtest.origins[k].expected_from_pipeline, b.backtest.origins[k].expected_from_pipeline);
  EXPECT_EQ(a.created.upper95, b.created.upper95);
  EXPECT_EQ(a.backtest.score(BacktestSeries::created, "forecast")->coverage95,
            b.backtest.score(BacktestSeries::created, "forecast")->coverage95);
  ASSERT_EQ(a.deals.size(), b.deals.size());
  for (std::size_t k = 0; k < a.deals.size(); ++k) {
    EXPECT_EQ(a.deals[k].probability, b.deals[k].probability);
    EXPECT_EQ(a.deals[k].reopened, b.deals[k].reopened);
  }
  // Every table cell alike (finalize scores the origins on o.threads: 1 thread, then 3 tasks at once).
  const auto ta = a.to_tables(), tb = b.to_tables();
  ASSERT_EQ(ta.size(), tb.size());
  for (std::size_t t = 0; t < ta.size(); ++t) {
    ASSERT_EQ(ta[t].columns.size(), tb[t].columns.size()) << ta[t].name;
    for (std::size_t c = 0; c < ta[t].columns.size(); ++c) {
      const auto& x = ta[t].columns[c];
      const auto& y = tb[t].columns[c];
      EXPECT_EQ(x.valid, y.valid) << ta[t].name << "." << x.name;
      if (const auto* u = std::get_if<std::vector<double>>(&x.values)) {
        const auto& v = std::get<std::vector<double>>(y.values);
        ASSERT_EQ(u->size(), v.size()) << ta[t].name << "." << x.name;
        for (std::size_t i = 0; i < u->size(); ++i)
          EXPECT_TRUE((std::isnan((*u)[i]) && std::isnan(v[i])) || (*u)[i] == v[i]) << ta[t].name << "." << x.name << "[" << i << "]";
      } else {
        EXPECT_TRUE(x.values == y.values) << ta[t].name << "." << x.name;
      }
    }
  }
}

TEST(Forecast, EngineMatchesOneOriginFit) {
  // The many-origin engine's model at the as-of day equals PipelineModel::fit at that instant.
  ForecastOptions o;
  o.backtest = false;
  const auto r = forecast(sample(), o);
  DealSelector sel(sample(), DealFilter{});
  PipelineModelOptions po;
  po.horizon_days = o.horizon_days;
  const auto m = PipelineModel::fit(sample(), sel, Timestamp{r.as_of_s}, po);
  ASSERT_FALSE(r.deals.empty());
  double sum = 0;
  for (const auto& d : r.deals) {
    const auto row = sample().find_deal(DealId{d.deal_id});
    const auto stage = sample().deals().stage[row->value];
    EXPECT_NEAR(d.probability, m.win_probability(stage, d.age_s, d.reopened), 1e-12);
    sum += d.probability;
  }
  EXPECT_NEAR(r.won_count_pipeline.mean, sum, 1e-9);
}

TEST(Forecast, PipelineIntervalIsPoissonBinomial) {
  ForecastOptions o;
  o.backtest = false;
  const auto r = forecast(sample(), o);
  std::vector<double> p;
  for (const auto& d : r.deals) p.push_back(d.probability);
  const PoissonBinomial pb(p);
  EXPECT_EQ(r.won_count_pipeline.lower95, static_cast<double>(pb.interval(0.95).lower));
  EXPECT_EQ(r.won_count_pipeline.upper95, static_cast<double>(pb.interval(0.95).upper));
  EXPECT_EQ(r.won_count_pipeline.lower80, static_cast<double>(pb.interval(0.80).lower));
  // The total's interval is wider than the pipeline part's and centred on the sum of the parts.
  EXPECT_NEAR(r.won_count.mean, r.won_count_pipeline.mean + r.won_count_new.mean, 1e-9);
  EXPECT_GE(r.won_count.upper95 - r.won_count.lower95, r.won_count_pipeline.upper95 - r.won_count_pipeline.lower95);
  EXPECT_TRUE(r.backtest.origins.empty());
}

TEST(Forecast, BadOptionsNameTheOption) {
  ForecastOptions o;
  const auto run = [&] { forecast(sample(), o); };
  o.horizon_days = 0;
  expect_bad_option(run, "horizon_days");
  o = {};
  o.horizon_days = 400;
  expect_bad_option(run, "horizon_days");
  o = {};
  o.bucket = Bucket::day;
  expect_bad_option(run, "bucket");
  o = {};
  o.warmup_days = 0;
  expect_bad_option(run, "warmup_days");
  o = {};
  o.landmarks_days = {1, 2};
  expect_bad_option(run, "landmarks_days");
  o = {};
  o.inflow.window_days = 0;
  expect_bad_option(run, "window_days");
}

TEST(Forecast, MavenCrmRunsEndToEnd) {
  const std::string dir = shared_data_dir() + "/maven-crm";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no " << dir;
  const auto loaded = load_mapped_export(dir, std::string(DEALSTAT_SOURCE_DIR) + "/examples/mappings/maven-crm.json");
  ForecastOptions o;
  o.horizon_days = 30;
  const auto r = forecast(*loaded.dataset, o);
  print_backtest(r);
  EXPECT_FALSE(r.backtest.origins.empty());
}
