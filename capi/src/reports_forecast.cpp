// The C ABI's sales forecast (SPEC section 10): pipeline part, inflow part
// and the rolling-origin backtest, as one result.
#include "capi_internal.hpp"
#include "dealstat/forecast/forecast.hpp"
#include "dealstat/time/calendar.hpp"

namespace ds = dealstat;
namespace capi = dealstat::capi;

extern "C" {

dealstat_status dealstat_forecast(dealstat_dataset dataset, const dealstat_forecast_options* options,
                                  dealstat_result* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_forecast", "out");
  *out = nullptr;
  const ds::Dataset& d = capi::dataset_of(dataset, "dealstat_forecast");
  const dealstat_forecast_options defaults = DEALSTAT_FORECAST_OPTIONS_INIT;
  const dealstat_forecast_options& o = options != nullptr ? *options : defaults;
  capi::check_version("dealstat_forecast_options", o.version, DEALSTAT_FORECAST_OPTIONS_VERSION);
  ds::ForecastOptions fo;
  fo.filter = capi::to_filter(o.filter);
  if (o.as_of != nullptr) fo.as_of = ds::parse_date(o.as_of, "as_of");
  fo.horizon_days = o.horizon_days;
  if (o.bucket < DEALSTAT_BUCKET_DAY || o.bucket > DEALSTAT_BUCKET_YEAR) {
    throw ds::Error::bad_option("bucket", std::to_string(o.bucket), "expected a DEALSTAT_BUCKET_* value");
  }
  fo.bucket = static_cast<ds::Bucket>(o.bucket);
  fo.backtest = o.backtest != 0;
  fo.warmup_days = o.warmup_days;
  fo.prior_strength = o.prior_strength;
  fo.threads = o.threads;
  *out = capi::make_result(ds::forecast(d, fo).to_tables());
  DEALSTAT_C_END
}

}  // extern "C"
