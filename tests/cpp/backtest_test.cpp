// Tests for backtest scoring: MAE, MAPE, sMAPE, MASE against the naive
// baseline at the same origins, interval coverage, and origins that lack a
// seasonal baseline.
#include "dealstat/forecast/backtest.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace dealstat;

TEST(Backtest, ScoresByHand) {
  BacktestResult r;
  const double actual[] = {10, 20, 0};
  const double pred[] = {12, 15, 1};
  const double naive[] = {8, 25, 4};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int k = 0; k < 3; ++k) {
    BacktestOrigin o;
    for (auto& p : o.points) {
      p.actual = actual[k];
      p.predicted = pred[k];
      p.naive = naive[k];
      p.seasonal_naive = k == 0 ? nan : actual[k];
      p.lower80 = pred[k] - 1;
      p.upper80 = pred[k] + 1;
      p.lower95 = pred[k] - 3;
      p.upper95 = pred[k] + 3;
    }
    r.origins.push_back(o);
  }
  score_backtest(r);
  const auto* f = r.score(BacktestSeries::won_count, "forecast");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->origins, 3);
  EXPECT_DOUBLE_EQ(f->mae, (2 + 5 + 1) / 3.0);
  EXPECT_DOUBLE_EQ(f->mape, (0.2 + 0.25) / 2);  // the zero actual is left out
  EXPECT_DOUBLE_EQ(f->smape, (4.0 / 22 + 10.0 / 35 + 2.0) / 3);
  EXPECT_DOUBLE_EQ(f->mase, (8 / 3.0) / (11 / 3.0));  // naive MAE = (2 + 5 + 4) / 3
  EXPECT_DOUBLE_EQ(f->coverage80, 1 / 3.0);
  EXPECT_DOUBLE_EQ(f->coverage95, 2 / 3.0);  // 20 is outside 15 +- 3
  EXPECT_DOUBLE_EQ(r.score(BacktestSeries::created, "naive")->mase, 1.0);
  const auto* s = r.score(BacktestSeries::won_budget_minor, "seasonal_naive");
  EXPECT_EQ(s->origins, 2);  // no seasonal value at the first origin
  EXPECT_DOUBLE_EQ(s->mae, 0.0);
  EXPECT_TRUE(std::isnan(s->coverage80));
  EXPECT_STREQ(backtest_series_name(BacktestSeries::won_budget_regression_minor), "won_budget_regression_minor");
}
