// Tests for normal and Student t CDFs and quantiles.
#include "dealstat/stats/distributions.hpp"

#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>

#include "dealstat/core/error.hpp"

using namespace dealstat;

namespace {
void expect_rel(double actual, double expected, double rel) {
  EXPECT_NEAR(actual, expected, rel * std::fabs(expected)) << "expected " << expected;
}
}  // namespace

TEST(NormalQuantile, PublishedValues) {
  // scipy.stats.norm.ppf values.
  expect_rel(normal_quantile(0.975), 1.959963984540054, 1e-15);
  expect_rel(normal_quantile(0.95), 1.6448536269514722, 1e-15);
  expect_rel(normal_quantile(0.9), 1.2815515655446004, 1e-15);
  expect_rel(normal_quantile(0.025), -1.959963984540054, 1e-15);
  expect_rel(normal_quantile(1e-10), -6.361340902404056, 1e-14);  // the r > 5 branch
  EXPECT_EQ(normal_quantile(0.5), 0.0);
  EXPECT_EQ(normal_quantile(0.0), -INFINITY);
  EXPECT_EQ(normal_quantile(1.0), INFINITY);
}

TEST(NormalQuantile, InvertsTheCdf) {
  for (double p = 0.001; p < 1.0; p += 0.0123) EXPECT_NEAR(normal_cdf(normal_quantile(p)), p, 1e-15);
}

TEST(NormalQuantile, AgreesWithBoostMath) {
  const boost::math::normal_distribution<double> n;
  for (double p : {1e-300, 1e-20, 1e-5, 0.01, 0.2, 0.6, 0.99, 1.0 - 1e-12})
    expect_rel(normal_quantile(p), boost::math::quantile(n, p), 1e-14);
}

TEST(NormalQuantile, RejectsProbabilityOutsideUnitInterval) {
  EXPECT_THROW(normal_quantile(1.5), Error);
  EXPECT_THROW(normal_quantile(NAN), Error);
  try {
    normal_quantile(-0.1);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_option);
    EXPECT_EQ(e.problem().field, "p");
  }
}

TEST(StudentT, PublishedQuantiles) {
  // scipy.stats.t.ppf values.
  expect_rel(student_t_quantile(0.975, 9), 2.262157162798205, 1e-13);
  expect_rel(student_t_quantile(0.975, 1), 12.706204736174698, 1e-13);
  expect_rel(student_t_quantile(0.025, 9), -2.262157162798205, 1e-13);
  EXPECT_EQ(student_t_quantile(0.5, 4), 0.0);
}

TEST(StudentT, ClosedFormsForTwoAndThreeDf) {
  // df = 2: F(t) = 1/2 + t / (2 sqrt(2 + t^2)), so with upper tail q, t = (1 - 2q) / sqrt(2 q (1 - q)).
  const double q = 0.025;
  expect_rel(student_t_quantile(1 - q, 2), (1 - 2 * q) / std::sqrt(2 * q * (1 - q)), 1e-14);
  // df = 3: F(t) = 1/2 + (u / (1 + u^2) + atan u) / pi with u = t / sqrt(3); check the CDF and
  // the quantile's round trip through it.
  for (double t : {0.3, 1.0, 3.182446305283709, 10.0}) {
    const double u = t / std::sqrt(3.0);
    expect_rel(student_t_cdf(t, 3), 0.5 + (u / (1 + u * u) + std::atan(u)) / M_PI, 1e-14);
  }
  // 3.182446305283709 solves the df=3 closed form at 0.975 (bisection on the upper tail form).
  expect_rel(student_t_quantile(0.975, 3), 3.182446305283709, 1e-14);
}

TEST(StudentT, AgreesWithBoostMathOnAGrid) {
  for (double df : {0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 9.0, 30.0, 120.0, 1000.0}) {
    const boost::math::students_t_distribution<double> t(df);
    for (double p : {1e-8, 0.001, 0.025, 0.1, 0.3, 0.55, 0.9, 0.975, 0.999}) {
      expect_rel(student_t_quantile(p, df), boost::math::quantile(t, p), 1e-11);
      const double x = boost::math::quantile(t, p);
      EXPECT_NEAR(student_t_cdf(x, df), p, 1e-13 + 1e-12 * p) << "df=" << df << " p=" << p;
    }
  }
}

TEST(StudentT, LargeDfApproachesNormal) {
  EXPECT_NEAR(student_t_quantile(0.975, 1e7), 1.959963984540054, 1e-6);
}

TEST(StudentT, RejectsBadArguments) {
  try {
    student_t_quantile(0.9, 0.0);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.problem().field, "df");
  }
  EXPECT_THROW(student_t_quantile(-0.1, 3), Error);
  EXPECT_THROW(student_t_cdf(1.0, -1.0), Error);
}

TEST(IncompleteBeta, ClosedForms) {
  // I_x(1, b) = 1 - (1-x)^b ; I_x(a, 1) = x^a ; I_x(2, 2) = 3x^2 - 2x^3.
  expect_rel(incomplete_beta(1.0, 3.0, 0.2), 1.0 - std::pow(0.8, 3.0), 1e-14);
  expect_rel(incomplete_beta(2.5, 1.0, 0.7), std::pow(0.7, 2.5), 1e-14);
  expect_rel(incomplete_beta(2.0, 2.0, 0.3), 3 * 0.09 - 2 * 0.027, 1e-14);
  EXPECT_EQ(incomplete_beta(2.0, 2.0, 0.0), 0.0);
  EXPECT_EQ(incomplete_beta(2.0, 2.0, 1.0), 1.0);
}

TEST(LogGamma, KnownValues) {
  EXPECT_NEAR(detail::log_gamma(1.0), 0.0, 1e-15);
  EXPECT_NEAR(detail::log_gamma(0.5), 0.5 * std::log(M_PI), 1e-14);
  expect_rel(detail::log_gamma(10.0), std::log(362880.0), 1e-14);
  expect_rel(detail::log_gamma(0.1), 2.252712651734206, 1e-14);
}
