// Tests for forecast accuracy metrics, baselines and calibration.
#include "dealstat/stats/accuracy.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "dealstat/core/error.hpp"
#include "dealstat/stats/wilson.hpp"

using namespace dealstat;

namespace {
const std::vector<double> kTrain = {5, 0.5, 4, 6, 3, 5, 2};
const std::vector<double> kTrue = {3, -0.5, 2, 7, 2};
const std::vector<double> kPred = {2.5, 0, 2, 8, 1.25};
}  // namespace

TEST(Accuracy, SktimeDocumentationExample) {
  // sktime's docstring values for mean_absolute_scaled_error, mean_absolute_percentage_error
  // and mean_absolute_percentage_error(symmetric=True).
  EXPECT_NEAR(mase(kTrue, kPred, kTrain), 0.18333333333333335, 1e-15);
  EXPECT_NEAR(mape(kTrue, kPred), 0.33690476190476193, 1e-15);
  EXPECT_NEAR(smape(kTrue, kPred), 0.5553379953379953, 1e-15);
}

TEST(Accuracy, SeasonalMase) {
  // m = 2: in-sample |y_t - y_{t-2}| = 1, 5.5, 1, 1, 1 -> mean 1.9; MAE = 0.55 -> 0.55 / 1.9.
  EXPECT_NEAR(mase(kTrue, kPred, kTrain, 2), 0.55 / 1.9, 1e-15);
  EXPECT_THROW(mase(kTrue, kPred, std::vector<double>{1, 2}, 2), Error);
}

TEST(Accuracy, ZeroActualsAreLeftOutOfMape) {
  // Points: (0, 1) skipped; (2, 1) -> 0.5; (4, 5) -> 0.25 -> mean 0.375.
  EXPECT_NEAR(mape(std::vector<double>{0, 2, 4}, std::vector<double>{1, 1, 5}), 0.375, 1e-15);
  EXPECT_TRUE(std::isnan(mape(std::vector<double>{0}, std::vector<double>{1})));
  // sMAPE: 0/0 scores 0; (0, 1) scores 2.
  EXPECT_NEAR(smape(std::vector<double>{0, 0}, std::vector<double>{0, 1}), 1.0, 1e-15);
}

TEST(Accuracy, NaiveAndSeasonalNaive) {
  EXPECT_EQ(naive_forecast(kTrain, 3), (std::vector<double>{2, 2, 2}));
  // m = 3: last season = 3, 5, 2 -> 3, 5, 2, 3, 5.
  EXPECT_EQ(seasonal_naive_forecast(kTrain, 5, 3), (std::vector<double>{3, 5, 2, 3, 5}));
  EXPECT_EQ(seasonal_naive_forecast(kTrain, 2, 1), (std::vector<double>{2, 2}));
  EXPECT_THROW(naive_forecast(std::vector<double>{}, 1), Error);
  EXPECT_THROW(seasonal_naive_forecast(kTrain, 1, 8), Error);
}

TEST(Accuracy, BrierScore) {
  // (0.9-1)^2 + (0.2-0)^2 + (0.6-0)^2 + (0.5-1)^2 = .01 + .04 + .36 + .25 = .66 -> / 4 = .165.
  const std::vector<double> p = {0.9, 0.2, 0.6, 0.5};
  const std::vector<std::uint8_t> o = {1, 0, 0, 1};
  EXPECT_NEAR(brier_score(p, o), 0.165, 1e-15);
}

TEST(Accuracy, ReliabilityTableByDecile) {
  const std::vector<double> p = {0.05, 0.08, 0.15, 0.95, 1.0, 0.91, 0.3, 0.3};
  const std::vector<std::uint8_t> o = {0, 1, 0, 1, 1, 0, 1, 1};
  const auto t = reliability_table(p, o);
  ASSERT_EQ(t.size(), 10u);
  EXPECT_EQ(t[0].count, 2);
  EXPECT_NEAR(t[0].mean_predicted, 0.065, 1e-15);
  EXPECT_NEAR(t[0].observed_rate, 0.5, 1e-15);
  const auto w = wilson_interval(1, 2);
  EXPECT_DOUBLE_EQ(t[0].ci_lower, w.lower);
  EXPECT_DOUBLE_EQ(t[0].ci_upper, w.upper);
  EXPECT_EQ(t[1].count, 1);
  EXPECT_EQ(t[3].count, 2);  // 0.3 * 10 = 3 exactly in doubles
  EXPECT_EQ(t[9].count, 3);  // 0.91, 0.95 and 1.0 (the last bin is closed)
  EXPECT_NEAR(t[9].observed_rate, 2.0 / 3, 1e-15);
  EXPECT_EQ(t[5].count, 0);
  EXPECT_TRUE(std::isnan(t[5].observed_rate));
  EXPECT_EQ(t[5].ci_lower, 0.0);
  EXPECT_EQ(t[5].ci_upper, 1.0);
  EXPECT_DOUBLE_EQ(t[4].lower_edge, 0.4);
}

TEST(Accuracy, RejectsBadArguments) {
  try {
    mape(kTrue, std::vector<double>{1, 2});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.problem().field, "y_pred");
  }
  try {
    brier_score(std::vector<double>{1.2}, std::vector<std::uint8_t>{1});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.problem().field, "p");
  }
  EXPECT_THROW(brier_score(std::vector<double>{0.2}, std::vector<std::uint8_t>{2}), Error);
  EXPECT_THROW(mase(kTrue, kPred, kTrain, 0), Error);
}
