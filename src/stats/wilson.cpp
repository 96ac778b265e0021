// Wilson score interval (see include/dealstat/stats/wilson.hpp).
#include "dealstat/stats/wilson.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "dealstat/core/error.hpp"
#include "dealstat/stats/distributions.hpp"

namespace dealstat {
inline namespace v1 {

WilsonInterval wilson_interval(std::int64_t successes, std::int64_t trials, double confidence) {
  if (trials < 0) throw Error::bad_option("trials", std::to_string(trials), "must not be negative");
  if (successes < 0) throw Error::bad_option("successes", std::to_string(successes), "must not be negative");
  if (successes > trials)
    throw Error::bad_option("successes", std::to_string(successes),
                            "must not exceed trials (" + std::to_string(trials) + ")");
  if (!(confidence > 0.0 && confidence < 1.0))
    throw Error::bad_option("confidence", std::to_string(confidence), "must be in (0, 1)");
  if (trials == 0) return {0.0, 1.0};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z = normal_quantile(0.5 + 0.5 * confidence);
  const double z2 = z * z;
  const double denom = 1.0 + z2 / n;
  const double center = (p + z2 / (2.0 * n)) / denom;
  const double half = z * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denom;
  WilsonInterval out{std::clamp(center - half, 0.0, 1.0), std::clamp(center + half, 0.0, 1.0)};
  if (successes == 0) out.lower = 0.0;
  if (successes == trials) out.upper = 1.0;
  return out;
}

// The percentage the reports show, with the interval scaled alike; no trials, no rate.
WilsonRatePct wilson_rate_pct(std::int64_t successes, std::int64_t trials, double confidence) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (trials == 0) return {kNaN, kNaN, kNaN};
  const WilsonInterval w = wilson_interval(successes, trials, confidence);
  return {100.0 * static_cast<double>(successes) / static_cast<double>(trials), 100.0 * w.lower, 100.0 * w.upper};
}

}  // namespace v1
}  // namespace dealstat
