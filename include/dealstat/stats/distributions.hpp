// Continuous distributions the reports need for intervals: the standard
// normal (CDF and Wichura's AS241 quantile) and Student's t (CDF through the
// regularized incomplete beta function, quantile by safeguarded Newton).
// Every function is pure and thread-safe (no lgamma/signgam use).
#pragma once

#include "dealstat/core/export.hpp"

namespace dealstat {
inline namespace v1 {

//! Standard normal CDF Phi(x) = P(Z <= x), via erfc (full double accuracy in both tails).
DEALSTAT_API double normal_cdf(double x);

//! Standard normal quantile Phi^-1(p) (Wichura AS241, relative error ~1e-16); p=0 -> -inf, p=1 -> +inf.
//! Throws Error(invalid_option, "p") when p is outside [0, 1] or NaN.
DEALSTAT_API double normal_quantile(double p);

//! Regularized incomplete beta I_x(a, b) for a, b > 0 and x in [0, 1] (continued fraction).
DEALSTAT_API double incomplete_beta(double a, double b, double x);

//! Student t CDF with df > 0 degrees of freedom (df may be fractional).
DEALSTAT_API double student_t_cdf(double t, double df);

//! Student t quantile: the t with student_t_cdf(t, df) = p; e.g. student_t_quantile(0.975, 9) = 2.2621571627982.
//! Throws Error(invalid_option) naming "p" or "df" for p outside [0, 1] or df <= 0.
DEALSTAT_API double student_t_quantile(double p, double df);

namespace detail {
//! log Gamma(x) for x > 0 (Lanczos, g = 7); thread-safe unlike std::lgamma.
DEALSTAT_API double log_gamma(double x);
}  // namespace detail

}  // namespace v1
}  // namespace dealstat
