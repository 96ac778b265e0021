// C options structs -> C++ options of the per-deal reports.
#include "report_options.hpp"

#include "dealstat/time/calendar.hpp"

#include <string>

namespace dealstat {
inline namespace v1 {
namespace capi {

namespace {
// An enum-like field must lie in [lo, hi].
void check_range(const char* option, std::int32_t v, std::int32_t lo, std::int32_t hi, const char* expected) {
  if (v < lo || v > hi) throw Error::bad_option(option, std::to_string(v), expected);
}
}  // namespace

FunnelOptions to_funnel_options(const dealstat_funnel_options* options) {
  const dealstat_funnel_options defaults = DEALSTAT_FUNNEL_OPTIONS_INIT;
  const dealstat_funnel_options& o = options != nullptr ? *options : defaults;
  check_version("dealstat_funnel_options", o.version, DEALSTAT_FUNNEL_OPTIONS_VERSION);
  FunnelOptions fo;
  fo.filter = to_filter(o.filter);
  fo.as_of = to_as_of(o.as_of_s);
  check_range("skip", o.skip, DEALSTAT_SKIP_IMPLIED, DEALSTAT_SKIP_STRICT, "expected a DEALSTAT_SKIP_* value");
  fo.skip = static_cast<SkipPolicy>(o.skip);
  check_range("value", o.value, DEALSTAT_VALUE_COUNT, DEALSTAT_VALUE_BUDGET, "expected a DEALSTAT_VALUE_* value");
  fo.value = static_cast<ValueMode>(o.value);
  fo.confidence = o.confidence;
  fo.threads = o.threads;
  return fo;
}

StageTimeOptions to_stage_time_options(const dealstat_stage_time_options* options) {
  const dealstat_stage_time_options defaults = DEALSTAT_STAGE_TIME_OPTIONS_INIT;
  const dealstat_stage_time_options& o = options != nullptr ? *options : defaults;
  check_version("dealstat_stage_time_options", o.version, DEALSTAT_STAGE_TIME_OPTIONS_VERSION);
  StageTimeOptions so;
  so.filter = to_filter(o.filter);
  so.as_of = to_as_of(o.as_of_s);
  so.threads = o.threads;
  return so;
}

MovementOptions to_movement_options(const dealstat_movement_options* options) {
  const dealstat_movement_options defaults = DEALSTAT_MOVEMENT_OPTIONS_INIT;
  const dealstat_movement_options& o = options != nullptr ? *options : defaults;
  check_version("dealstat_movement_options", o.version, DEALSTAT_MOVEMENT_OPTIONS_VERSION);
  MovementOptions mo;
  mo.filter = to_filter(o.filter);
  check_range("bucket", o.bucket, DEALSTAT_BUCKET_DAY, DEALSTAT_BUCKET_YEAR, "expected a DEALSTAT_BUCKET_* value");
  mo.bucket = static_cast<Bucket>(o.bucket);
  mo.as_of = to_as_of(o.as_of_s);
  mo.threads = o.threads;
  return mo;
}

EmployeesOptions to_employees_options(const dealstat_employees_options* options) {
  const dealstat_employees_options defaults = DEALSTAT_EMPLOYEES_OPTIONS_INIT;
  const dealstat_employees_options& o = options != nullptr ? *options : defaults;
  check_version("dealstat_employees_options", o.version, DEALSTAT_EMPLOYEES_OPTIONS_VERSION);
  EmployeesOptions eo;
  eo.filter = to_filter(o.filter);
  eo.as_of = to_as_of(o.as_of_s);
  check_range("attribution", o.attribution, DEALSTAT_ATTRIBUTION_CURRENT, DEALSTAT_ATTRIBUTION_AT_CLOSE,
              "expected a DEALSTAT_ATTRIBUTION_* value");
  eo.attribution = static_cast<Attribution>(o.attribution);
  if (o.rank_by != nullptr) eo.rank_by = o.rank_by;
  eo.ascending = o.ascending != 0;
  if (o.compare_count > 0 && o.compare == nullptr)
    throw Error::bad_option("compare", std::to_string(o.compare_count) + " items",
                            "the list is NULL but its count is not 0");
  if (o.compare_count > 0) eo.compare.assign(o.compare, o.compare + o.compare_count);
  eo.confidence = o.confidence;
  eo.threads = o.threads;
  return eo;
}

UnsortedOptions to_unsorted_options(const dealstat_unsorted_options* options) {
  const dealstat_unsorted_options defaults = DEALSTAT_UNSORTED_OPTIONS_INIT;
  const dealstat_unsorted_options& o = options != nullptr ? *options : defaults;
  check_version("dealstat_unsorted_options", o.version, DEALSTAT_UNSORTED_OPTIONS_VERSION);
  UnsortedOptions uo;
  uo.filter = to_filter(o.filter);
  uo.as_of = to_as_of(o.as_of_s);
  uo.confidence = o.confidence;
  uo.threads = o.threads;
  return uo;
}

ForecastOptions to_forecast_options(const dealstat_forecast_options* options) {
  const dealstat_forecast_options defaults = DEALSTAT_FORECAST_OPTIONS_INIT;
  const dealstat_forecast_options& o = options != nullptr ? *options : defaults;
  check_version("dealstat_forecast_options", o.version, DEALSTAT_FORECAST_OPTIONS_VERSION);
  ForecastOptions fo;
  fo.filter = to_filter(o.filter);
  if (o.as_of != nullptr) fo.as_of = parse_date(o.as_of, "as_of");
  fo.horizon_days = o.horizon_days;
  check_range("bucket", o.bucket, DEALSTAT_BUCKET_DAY, DEALSTAT_BUCKET_YEAR, "expected a DEALSTAT_BUCKET_* value");
  fo.bucket = static_cast<Bucket>(o.bucket);
  fo.backtest = o.backtest != 0;
  fo.warmup_days = o.warmup_days;
  fo.prior_strength = o.prior_strength;
  fo.threads = o.threads;
  return fo;
}

}  // namespace capi
}  // namespace v1
}  // namespace dealstat
