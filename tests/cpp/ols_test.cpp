// Tests for ordinary least squares: NIST Longley and a hand-worked regression.
#include "dealstat/stats/ols.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "dealstat/core/error.hpp"

using namespace dealstat;

namespace {
// NIST StRD Longley: y = TOTEMP; x = GNPDEFL, GNP, UNEMP, ARMED, POP, YEAR.
const double kLongley[16][7] = {
    {60323, 83.0, 234289, 2356, 1590, 107608, 1947},  {61122, 88.5, 259426, 2325, 1456, 108632, 1948},
    {60171, 88.2, 258054, 3682, 1616, 109773, 1949},  {61187, 89.5, 284599, 3351, 1650, 110929, 1950},
    {63221, 96.2, 328975, 2099, 3099, 112075, 1951},  {63639, 98.1, 346999, 1932, 3594, 113270, 1952},
    {64989, 99.0, 365385, 1870, 3547, 115094, 1953},  {63761, 100.0, 363112, 3578, 3350, 116219, 1954},
    {66019, 101.2, 397469, 2904, 3048, 117388, 1955}, {67857, 104.6, 419180, 2822, 2857, 118734, 1956},
    {68169, 108.4, 442769, 2936, 2798, 120445, 1957}, {66513, 110.8, 444546, 4681, 2637, 121950, 1958},
    {68655, 112.6, 482704, 3813, 2552, 123366, 1959}, {69564, 114.2, 502601, 3931, 2514, 125368, 1960},
    {69331, 115.7, 518173, 4806, 2572, 127852, 1961}, {70551, 116.9, 554894, 4007, 2827, 130081, 1962},
};

void expect_rel(double actual, double expected, double rel) {
  EXPECT_NEAR(actual, expected, rel * std::fabs(expected)) << "expected " << expected;
}
}  // namespace

TEST(Ols, LongleyMatchesNistCertifiedValues) {
  // Design as statsmodels' add_constant(exog, prepend=False): 6 regressors, then the constant.
  std::vector<double> x, y;
  for (const auto& r : kLongley) {
    y.push_back(r[0]);
    for (int j = 1; j < 7; ++j) x.push_back(r[j]);
    x.push_back(1.0);
  }
  const auto m = OlsModel::fit(x, 16, 7, y);
  // NIST certified values (statsmodels reproduces them: params[0] = 15.0618722713733).
  const double b[] = {15.0618722713733,  -0.358191792925910e-01, -2.02022980381683, -1.03322686717359,
                      -0.511041056535807e-01, 1829.15146461355,   -3482258.63459582};
  const double se[] = {84.9149257747669, 0.334910077722432e-01, 0.488399681651699, 0.214274163161675,
                       0.226073200069370, 455.478499142212,     890420.383607373};
  // Longley's design has condition number ~5e9; 1e-8 relative is what a backward-stable solve keeps.
  for (int j = 0; j < 7; ++j) {
    expect_rel(m.params()[j], b[j], 1e-8);
    expect_rel(m.bse()[j], se[j], 1e-8);
  }
  expect_rel(m.r_squared(), 0.995479004577296, 1e-12);
  expect_rel(m.adj_r_squared(), 0.992465007628826, 1e-11);
  expect_rel(std::sqrt(m.sigma2()), 304.854073561965, 1e-9);
  EXPECT_EQ(m.df_resid(), 9);
  EXPECT_EQ(m.n_obs(), 16);
}

TEST(Ols, SimpleRegressionByHand) {
  // x = 1..5, y = 2,4,5,4,5. xbar = 3, ybar = 4, Sxx = 10, Sxy = 6 -> slope 0.6, intercept 2.2.
  // Fitted 2.8,3.4,4.0,4.6,5.2; residuals -0.8,0.6,1.0,-0.6,-0.2; SSR = 2.4; sigma2 = 2.4/3 = 0.8.
  // SST = 6 -> R^2 = 0.6; adj = 1 - 4/3 * 0.4 = 7/15.
  // se(slope) = sqrt(0.8/10); se(intercept) = sqrt(0.8 (1/5 + 9/10)) = sqrt(0.88).
  // At x0 = 6: mean = 5.8; var(mean) = 0.8 (1/5 + 9/10) = 0.88; var(new obs) = 0.88 + 0.8 = 1.68;
  // t(0.975, 3) = 3.1824463052837 -> PI = 5.8 -+ t sqrt(1.68), CI = 5.8 -+ t sqrt(0.88).
  const std::vector<double> x = {1, 1, 1, 2, 1, 3, 1, 4, 1, 5};
  const std::vector<double> y = {2, 4, 5, 4, 5};
  const auto m = OlsModel::fit(x, 5, 2, y);
  expect_rel(m.params()[0], 2.2, 1e-13);
  expect_rel(m.params()[1], 0.6, 1e-13);
  expect_rel(m.sigma2(), 0.8, 1e-13);
  expect_rel(m.bse()[1], std::sqrt(0.08), 1e-13);
  expect_rel(m.bse()[0], std::sqrt(0.88), 1e-13);
  expect_rel(m.r_squared(), 0.6, 1e-13);
  expect_rel(m.adj_r_squared(), 7.0 / 15, 1e-13);
  const std::vector<double> x0 = {1, 6};
  const auto p = m.predict(x0);
  const double t = 3.182446305283709;
  expect_rel(p.mean[0], 5.8, 1e-13);
  expect_rel(p.se_mean[0], std::sqrt(0.88), 1e-13);
  expect_rel(p.pi_lower[0], 5.8 - t * std::sqrt(1.68), 1e-12);
  expect_rel(p.pi_upper[0], 5.8 + t * std::sqrt(1.68), 1e-12);
  expect_rel(p.ci_lower[0], 5.8 - t * std::sqrt(0.88), 1e-12);
  expect_rel(p.ci_upper[0], 5.8 + t * std::sqrt(0.88), 1e-12);
}

TEST(Ols, UncenteredRSquaredWithoutConstant) {
  // y = 2x exactly plus noise-free -> R^2 = 1; with residuals: x = 1,2,3, y = 1,3,2:
  // b = sum xy / sum x^2 = 13/14; SSR = sum y^2 - b * sum xy = 14 - 169/14 = 27/14; R^2 = 1 - SSR/14.
  const auto m = OlsModel::fit(std::vector<double>{1, 2, 3}, 3, 1, std::vector<double>{1, 3, 2});
  expect_rel(m.params()[0], 13.0 / 14, 1e-14);
  expect_rel(m.r_squared(), 1 - 27.0 / 14 / 14, 1e-13);
  expect_rel(m.adj_r_squared(), 1 - 3.0 / 2 * (27.0 / 14 / 14), 1e-13);
}

TEST(Ols, RejectsSingularDesign) {
  // Third column = first + second.
  const std::vector<double> x = {1, 1, 2, 1, 2, 3, 1, 3, 4, 1, 5, 6, 1, 7, 8};
  const std::vector<double> y = {1, 2, 3, 4, 5};
  try {
    OlsModel::fit(x, 5, 3, y);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_option);
    EXPECT_EQ(e.problem().field, "x");
  }
}

TEST(Ols, RejectsBadShapes) {
  const std::vector<double> x = {1, 1, 1, 2};
  EXPECT_THROW(OlsModel::fit(x, 2, 2, std::vector<double>{1, 2}), Error);  // n <= k
  try {
    OlsModel::fit(std::vector<double>{1, 2, 3}, 3, 1, std::vector<double>{1, 2});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.problem().field, "y");
  }
  EXPECT_THROW(OlsModel::fit(std::vector<double>{1, 2, NAN}, 3, 1, std::vector<double>{1, 2, 3}), Error);
  const auto m = OlsModel::fit(std::vector<double>{1, 2, 3}, 3, 1, std::vector<double>{1, 3, 2});
  EXPECT_THROW(m.predict(std::vector<double>{1}, 1.0), Error);
}
