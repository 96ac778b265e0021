// The C ABI's sales forecast (SPEC section 10): pipeline part, inflow part
// and the rolling-origin backtest, as one result.
#include "capi_internal.hpp"
#include "dealstat/forecast/forecast.hpp"
#include "report_options.hpp"

namespace ds = dealstat;
namespace capi = dealstat::capi;

extern "C" {

dealstat_status dealstat_forecast(dealstat_dataset dataset, const dealstat_forecast_options* options,
                                  dealstat_result* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_forecast", "out");
  *out = nullptr;
  const ds::Dataset& d = capi::dataset_of(dataset, "dealstat_forecast");
  *out = capi::make_result(ds::forecast(d, capi::to_forecast_options(options)).to_tables());
  DEALSTAT_C_END
}

}  // extern "C"
