// The Wilson score interval for a binomial proportion: the interval the
// funnel puts around every conversion rate (SPEC section 3) and the
// reliability table around every observed rate.
#pragma once

#include <cstdint>

#include "dealstat/core/export.hpp"

namespace dealstat {
inline namespace v1 {

//! A two-sided confidence interval for a proportion, both ends in [0, 1].
struct WilsonInterval {
  double lower = 0.0;  //!< lower end (exactly 0 when successes == 0)
  double upper = 1.0;  //!< upper end (exactly 1 when successes == trials)
};

//! Wilson score interval of successes/trials at the given two-sided confidence.
//! trials == 0 gives {0, 1} (the limit of the formula as trials -> 0: nothing is known).
//! Throws Error(invalid_option) naming "successes", "trials" or "confidence" when
//! successes < 0, trials < 0, successes > trials, or confidence is not in (0, 1).
//! Example: wilson_interval(19, 38) == {0.348499283643951, 0.651500716356049}.
DEALSTAT_API WilsonInterval wilson_interval(std::int64_t successes, std::int64_t trials, double confidence = 0.95);

//! A rate in percent with its Wilson interval in percent (a report's "x_pct, x_lower_pct, x_upper_pct").
struct WilsonRatePct {
  double pct;        //!< 100 * successes / trials
  double lower_pct;  //!< 100 * wilson_interval(...).lower
  double upper_pct;  //!< 100 * wilson_interval(...).upper
};

//! successes/trials in % with its Wilson interval in % (all three NaN when trials == 0); throws as wilson_interval.
//! Example: wilson_rate_pct(19, 38) == {50, 34.8499283643951, 65.1500716356049}.
DEALSTAT_API WilsonRatePct wilson_rate_pct(std::int64_t successes, std::int64_t trials, double confidence = 0.95);

}  // namespace v1
}  // namespace dealstat
