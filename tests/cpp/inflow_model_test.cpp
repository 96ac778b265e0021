// Tests for the inflow regression: design by history length, recovered
// effects, the sum's prediction interval against OlsModel's own, weights, and
// interval coverage on a simulated series.
#include "dealstat/forecast/inflow_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "dealstat/core/error.hpp"
#include "dealstat/stats/distributions.hpp"
#include "dealstat/stats/ols.hpp"
#include "dealstat/time/calendar.hpp"

using namespace dealstat;

namespace {
// y_d = 10 + 2 * trend_years + 5 on Mondays + noise.
std::vector<double> series(LocalDate first, int days, double sd, unsigned seed) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> e(0, sd);
  std::vector<double> y;
  for (int k = 0; k < days; ++k) {
    const LocalDate d{first.days + k};
    y.push_back(10 + 2.0 * k / 365.25 + (weekday(d) == Weekday::monday ? 5 : 0) + e(g));
  }
  return y;
}
}  // namespace

TEST(Inflow, ColumnsFollowTheHistoryLength) {
  const LocalDate first = make_date(2023, 1, 1);
  const auto y = series(first, 800, 1, 1);
  InflowOptions o;
  o.yearly_window_days = 0;  // the plain window (the yearly mode is tested below)
  o.window_days = 10;
  EXPECT_EQ(InflowModel::fit(y, first, LocalDate{first.days + 800}, o).columns().size(), 1u);
  o.window_days = 20;
  EXPECT_EQ(InflowModel::fit(y, first, LocalDate{first.days + 800}, o).columns().size(), 7u);
  o.window_days = 91;
  EXPECT_EQ(InflowModel::fit(y, first, LocalDate{first.days + 800}, o).columns().size(), 8u);
  o.window_days = 730;
  o.holidays = {make_date(2024, 5, 1), make_date(2024, 5, 9)};
  const auto m = InflowModel::fit(y, first, LocalDate{first.days + 800}, o);
  EXPECT_EQ(m.columns().size(), 20u);
  EXPECT_STREQ(m.columns().back(), "holiday");
  EXPECT_EQ(m.n_obs(), 730);
  // A year of history or more: the yearly window (here all 800 days) with three Fourier harmonics in
  // place of month dummies.
  o = {};
  const auto yearly = InflowModel::fit(y, first, LocalDate{first.days + 800}, o);
  EXPECT_EQ(yearly.n_obs(), 800);
  EXPECT_EQ(yearly.columns().size(), 14u);
  EXPECT_STREQ(yearly.columns().back(), "year_cos3");
  // Less than a year: the 91-day window as before.
  EXPECT_EQ(InflowModel::fit(y, first, LocalDate{first.days + 300}, o).n_obs(), 91);
}

TEST(Inflow, YearlySeasonalityIsProjected) {
  // y = 20 + 8 sin(2 pi day / 365.25) + noise: a 30-day sum half a year ahead of a trough is projected
  // near its true value, where the 91-day trend model would extrapolate the local slope.
  const LocalDate first = make_date(2022, 1, 3);
  std::mt19937_64 g(5);
  std::normal_distribution<double> e(0, 1);
  std::vector<double> y;
  for (int k = 0; k < 900; ++k)
    y.push_back(20 + 8 * std::sin(6.283185307179586 * (first.days + k) / 365.25) + e(g));
  const LocalDate origin{first.days + 800};
  const auto m = InflowModel::fit(y, first, origin);
  double truth = 0;
  for (int k = 0; k < 30; ++k) truth += 20 + 8 * std::sin(6.283185307179586 * (origin.days + k) / 365.25);
  const auto s = m.predict_sum(30);
  EXPECT_NEAR(s.mean, truth, 10.0);
  EXPECT_LT(s.lower95, truth);
  EXPECT_GT(s.upper95, truth);
}

TEST(Inflow, AutocorrelatedResidualsWidenTheSumInterval) {
  // AR(1) noise with rho = 0.6 around a constant: the 30-day sums' intervals cover near their level
  // only when the autocorrelation is taken into account.
  const LocalDate first = make_date(2023, 1, 2);
  int in95 = 0, in95_iid = 0, n = 0;
  for (unsigned seed = 0; seed < 200; ++seed) {
    std::mt19937_64 g(500 + seed);
    std::normal_distribution<double> e(0, 2);
    std::vector<double> y;
    double a = 0;
    for (int k = 0; k < 130; ++k) {
      a = 0.6 * a + e(g);
      y.push_back(10 + a);
    }
    InflowOptions o;
    o.window_days = 100;
    const auto m = InflowModel::fit(y, first, LocalDate{first.days + 100}, o);
    o.autocorrelated_residuals = false;
    const auto iid = InflowModel::fit(y, first, LocalDate{first.days + 100}, o);
    EXPECT_EQ(iid.residual_autocorrelation(), 0.0);
    double actual = 0;
    for (int k = 100; k < 130; ++k) actual += y[static_cast<std::size_t>(k)];
    const auto s = m.predict_sum(30), si = iid.predict_sum(30);
    in95 += actual >= s.lower95 && actual <= s.upper95;
    in95_iid += actual >= si.lower95 && actual <= si.upper95;
    ++n;
  }
  std::printf("AR(1) 30-day sums: 95%% coverage %.3f with rho, %.3f without\n", in95 / static_cast<double>(n),
              in95_iid / static_cast<double>(n));
  EXPECT_NEAR(in95 / static_cast<double>(n), 0.95, 0.06);
  EXPECT_LT(in95_iid / static_cast<double>(n), 0.85);
}

TEST(Inflow, RecoversTrendAndDayOfWeek) {
  const LocalDate first = make_date(2023, 1, 2);  // a Monday
  const auto y = series(first, 364, 0.5, 2);
  InflowOptions o;
  o.window_days = 364;
  const auto m = InflowModel::fit(y, first, LocalDate{first.days + 364}, o);
  ASSERT_NE(m.ols(), nullptr);
  EXPECT_NEAR(m.ols()->params()[1], 2.0, 0.3);  // trend per year
  // Monday is the base level: every other weekday's effect is about -5.
  for (int c = 2; c < 8; ++c) EXPECT_NEAR(m.ols()->params()[static_cast<std::size_t>(c)], -5.0, 0.3);
  const auto d = m.predict_days(7);
  EXPECT_NEAR(d[0] - d[1], 5.0, 0.3);  // the origin is a Monday
}

TEST(Inflow, OneDayIntervalIsTheOlsPredictionInterval) {
  const LocalDate first = make_date(2023, 1, 2);
  const auto y = series(first, 120, 2, 3);
  InflowOptions o;
  o.window_days = 120;
  o.autocorrelated_residuals = false;  // exactly OLS's formula
  const LocalDate origin{first.days + 120};
  const auto m = InflowModel::fit(y, first, origin, o);
  // Build the same row by hand and ask OlsModel.
  std::vector<double> x(m.columns().size(), 0.0);
  x[0] = 1;
  x[1] = 0;  // trend is 0 at the origin
  const int wd = static_cast<int>(weekday(origin));
  if (wd >= 2) x[static_cast<std::size_t>(wd)] = 1;
  const auto p = m.ols()->predict(x, 0.95);
  const auto s = m.predict_sum(1);
  EXPECT_NEAR(s.mean, p.mean[0], 1e-9);
  EXPECT_NEAR(s.upper95, p.pi_upper[0], 1e-9);
  EXPECT_NEAR(s.lower95, std::max(0.0, p.pi_lower[0]), 1e-9);
}

TEST(Inflow, SumVarianceAddsResidualAndParameterParts) {
  const LocalDate first = make_date(2023, 1, 2);
  const auto y = series(first, 200, 2, 4);
  const LocalDate origin{first.days + 200};
  InflowOptions o;
  o.window_days = 200;
  o.autocorrelated_residuals = false;  // independent days: the residual part is sigma2 * sum w^2
  const auto m = InflowModel::fit(y, first, origin, o);
  std::vector<double> w = {1, 0.5, 0.25};
  const auto s = m.predict_sum(3, w);
  // x_w = sum w_j x_j, by hand.
  const std::size_t k = m.columns().size();
  std::vector<double> xw(k, 0.0);
  for (int j = 0; j < 3; ++j) {
    const LocalDate d{origin.days + j};
    xw[0] += w[static_cast<std::size_t>(j)];
    xw[1] += w[static_cast<std::size_t>(j)] * j / 365.25;
    const int wd = static_cast<int>(weekday(d));
    if (wd >= 2) xw[static_cast<std::size_t>(wd)] += w[static_cast<std::size_t>(j)];
  }
  const auto p = m.ols()->predict(xw, 0.95);
  EXPECT_NEAR(s.mean, p.mean[0], 1e-9);
  EXPECT_NEAR(s.sd * s.sd, m.ols()->sigma2() * (1 + 0.25 + 0.0625) + p.se_mean[0] * p.se_mean[0], 1e-9);
  EXPECT_THROW(m.predict_sum(2, w), Error);
}

TEST(Inflow, IntervalsCoverAtTheirLevelOnASimulatedSeries) {
  const LocalDate first = make_date(2023, 1, 2);
  int in80 = 0, in95 = 0, n = 0;
  for (unsigned seed = 0; seed < 200; ++seed) {
    const auto y = series(first, 130, 3, 100 + seed);
    InflowOptions o;
    o.window_days = 100;
    const auto m = InflowModel::fit(y, first, LocalDate{first.days + 100}, o);
    const auto s = m.predict_sum(30);
    double actual = 0;
    for (int k = 100; k < 130; ++k) actual += y[static_cast<std::size_t>(k)];
    in80 += actual >= s.lower80 && actual <= s.upper80;
    in95 += actual >= s.lower95 && actual <= s.upper95;
    ++n;
  }
  EXPECT_NEAR(in80 / static_cast<double>(n), 0.80, 0.08);
  EXPECT_NEAR(in95 / static_cast<double>(n), 0.95, 0.05);
}

TEST(Inflow, TooShortHistoryFallsBackToTheMean) {
  const LocalDate first = make_date(2023, 1, 2);
  const std::vector<double> y = {4};
  const auto m = InflowModel::fit(y, first, LocalDate{first.days + 1});
  EXPECT_EQ(m.ols(), nullptr);
  EXPECT_DOUBLE_EQ(m.predict_sum(10).mean, 40);
  EXPECT_TRUE(std::isnan(m.predict_sum(10).upper95));
  EXPECT_THROW(InflowModel::fit(y, first, first, InflowOptions{0, {}}), Error);
}
