// Normal and Student t: CDFs and quantiles (see include/dealstat/stats/distributions.hpp).
#include "dealstat/stats/distributions.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <string>

#include "dealstat/core/error.hpp"

namespace dealstat {
inline namespace v1 {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void check_probability(double p, const char* name) {
  if (!(p >= 0.0 && p <= 1.0)) throw Error::bad_option(name, num(p), "must be a probability in [0, 1]");
}

// Continued fraction for I_x(a, b) (modified Lentz), valid for x < (a+1)/(a+b+2).
double beta_continued_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300;
  constexpr double eps = 1e-16;
  double c = 1.0;
  double d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 10000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < eps) break;
  }
  return h;
}

// log Gamma(a + b) - log Gamma(a), without the cancellation of two large log-gammas when a >= 20
// (Stirling's series, truncation error below 2e-15 there).
double log_gamma_ratio(double a, double b) {
  if (a < 20.0) return detail::log_gamma(a + b) - detail::log_gamma(a);
  auto series = [](double x) {
    const double x2 = x * x;
    return (1.0 / 12.0 - (1.0 / 360.0 - (1.0 / 1260.0 - 1.0 / (1680.0 * x2)) / x2) / x2) / x;
  };
  return (a - 0.5) * std::log1p(b / a) + b * std::log(a + b) - b + (series(a + b) - series(a));
}

// log B(a, b) = log Gamma(a) + log Gamma(b) - log Gamma(a + b).
double log_beta(double a, double b) {
  const double big = std::fmax(a, b);
  const double small = std::fmin(a, b);
  return detail::log_gamma(small) - log_gamma_ratio(big, small);
}

// I_x(a, b) with y = 1 - x supplied separately so that tails keep full relative precision.
double ibeta(double a, double b, double x, double y) {
  if (x <= 0.0) return 0.0;
  if (y <= 0.0) return 1.0;
  const double log_front = a * std::log(x) + b * std::log(y) - log_beta(a, b);
  const double front = std::exp(log_front);
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_continued_fraction(a, b, x) / a;
  return 1.0 - front * beta_continued_fraction(b, a, y) / b;
}

// P(T > t) for t >= 0, computed directly (no 1 - cdf cancellation).
double t_upper_tail(double t, double df) {
  const double t2 = t * t;
  const double x = df / (df + t2);
  const double y = t2 / (df + t2);
  return 0.5 * ibeta(0.5 * df, 0.5, x, y);
}

double t_pdf(double t, double df) {
  const double log_c = log_gamma_ratio(0.5 * df, 0.5) - 0.5 * std::log(df * std::numbers::pi);
  return std::exp(log_c - 0.5 * (df + 1.0) * std::log1p(t * t / df));
}

}  // namespace

namespace detail {

double log_gamma(double x) {
  static constexpr double g = 7.0;
  static constexpr double coef[9] = {0.99999999999980993,  676.5203681218851,     -1259.1392167224028,
                                     771.32342877765313,   -176.61502916214059,   12.507343278686905,
                                     -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
  if (x < 0.5) {
    // Reflection: Gamma(x) Gamma(1-x) = pi / sin(pi x), for 0 < x < 0.5.
    return std::log(std::numbers::pi / std::sin(std::numbers::pi * x)) - log_gamma(1.0 - x);
  }
  const double z = x - 1.0;
  double a = coef[0];
  const double t = z + g + 0.5;
  for (int i = 1; i < 9; ++i) a += coef[i] / (z + i);
  return 0.5 * std::log(2.0 * std::numbers::pi) + (z + 0.5) * std::log(t) - t + std::log(a);
}

}  // namespace detail

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

double normal_quantile(double p) {
  check_probability(p, "p");
  if (p == 0.0) return -kInf;
  if (p == 1.0) return kInf;
  // Wichura, M.J. (1988), Algorithm AS241, Applied Statistics 37(3): 477-484 (PPND16).
  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425) {
    const double r = 0.180625 - q * q;
    const double num = (((((((2.5090809287301226727e+3 * r + 3.3430575583588128105e+4) * r +
                             6.7265770927008700853e+4) * r + 4.5921953931549871457e+4) * r +
                           1.3731693765509461125e+4) * r + 1.9715909503065514427e+3) * r +
                         1.3314166789178437745e+2) * r + 3.3871328727963666080e+0) * q;
    const double den = (((((((5.2264952788528545610e+3 * r + 2.8729085735721942674e+4) * r +
                             3.9307895800092710610e+4) * r + 2.1213794301586595867e+4) * r +
                           5.3941960214247511077e+3) * r + 6.8718700749205790830e+2) * r +
                         4.2313330701600911252e+1) * r + 1.0);
    return num / den;
  }
  double r = q <= 0.0 ? p : 1.0 - p;
  r = std::sqrt(-std::log(r));
  double x = 0.0;
  if (r <= 5.0) {
    r -= 1.6;
    const double num = (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r +
                             2.41780725177450611770e-1) * r + 1.27045825245236838258e+0) * r +
                           3.64784832476320460504e+0) * r + 5.76949722146069140550e+0) * r +
                         4.63033784615654529590e+0) * r + 1.42343711074968357734e+0);
    const double den = (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r +
                             1.51986665636164571966e-2) * r + 1.48103976427480074590e-1) * r +
                           6.89767334985100004550e-1) * r + 1.67638483018380384940e+0) * r +
                         2.05319162663775882187e+0) * r + 1.0);
    x = num / den;
  } else {
    r -= 5.0;
    const double num = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r +
                             1.24266094738807843860e-3) * r + 2.65321895265761230930e-2) * r +
                           2.96560571828504891230e-1) * r + 1.78482653991729133580e+0) * r +
                         5.46378491116411436990e+0) * r + 6.65790464350110377720e+0);
    const double den = (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r +
                             1.84631831751005468180e-5) * r + 7.86869131145613259100e-4) * r +
                           1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r +
                         5.99832206555887937690e-1) * r + 1.0);
    x = num / den;
  }
  return q < 0.0 ? -x : x;
}

double incomplete_beta(double a, double b, double x) {
  if (!(a > 0.0) || !std::isfinite(a)) throw Error::bad_option("a", num(a), "must be positive and finite");
  if (!(b > 0.0) || !std::isfinite(b)) throw Error::bad_option("b", num(b), "must be positive and finite");
  check_probability(x, "x");
  return ibeta(a, b, x, 1.0 - x);
}

double student_t_cdf(double t, double df) {
  if (!(df > 0.0)) throw Error::bad_option("df", num(df), "degrees of freedom must be positive");
  if (std::isnan(t)) return kNaN;
  if (t == kInf) return 1.0;
  if (t == -kInf) return 0.0;
  const double tail = t_upper_tail(std::fabs(t), df);
  return t < 0.0 ? tail : 1.0 - tail;
}

double student_t_quantile(double p, double df) {
  check_probability(p, "p");
  if (!(df > 0.0)) throw Error::bad_option("df", num(df), "degrees of freedom must be positive");
  if (p == 0.0) return -kInf;
  if (p == 1.0) return kInf;
  if (p == 0.5) return 0.0;
  const double q = p < 0.5 ? p : 1.0 - p;  // the smaller tail, solved for t > 0
  const double sign = p < 0.5 ? -1.0 : 1.0;
  double t = 0.0;
  if (df == 1.0) {
    t = 1.0 / std::tan(std::numbers::pi * q);  // Cauchy
  } else if (df == 2.0) {
    t = (1.0 - 2.0 * q) / std::sqrt(2.0 * q * (1.0 - q));
  } else {
    // Start: Cornish-Fisher expansion around the normal quantile; then Newton on the
    // upper tail, kept inside a bracket [lo, hi] and replaced by bisection when it leaves it.
    const double z = -normal_quantile(q);
    const double z2 = z * z;
    t = z + z * (z2 + 1.0) / (4.0 * df) + z * ((5.0 * z2 + 16.0) * z2 + 3.0) / (96.0 * df * df);
    double lo = 0.0;
    double hi = std::fmax(2.0 * t, 1.0);
    while (t_upper_tail(hi, df) > q) hi *= 2.0;
    if (!(t > lo && t < hi)) t = 0.5 * (lo + hi);
    for (int iter = 0; iter < 200; ++iter) {
      const double f = t_upper_tail(t, df) - q;
      if (f > 0.0) lo = t; else hi = t;
      double next = t + f / t_pdf(t, df);
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      const double step = std::fabs(next - t);
      t = next;
      if (step <= 1e-15 * t || hi - lo <= 1e-15 * hi) break;
    }
  }
  return sign * t;
}

}  // namespace v1
}  // namespace dealstat
