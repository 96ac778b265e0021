// The C ABI's sales forecast (SPEC section 10): pipeline part, inflow part
// and the rolling-origin backtest, as one result.
#include "capi_internal.hpp"
#include "entry_point.hpp"
#include "dealstat/forecast/forecast.hpp"
#include "report_options.hpp"

namespace ds = dealstat;
namespace capi = dealstat::capi;

extern "C" {

dealstat_status dealstat_forecast(dealstat_dataset dataset, const dealstat_forecast_options* options,
                                  dealstat_result* out) {
  DEALSTAT_C_BEGIN
  capi::run_report("dealstat_forecast", dataset, options, out, capi::to_forecast_options, ds::forecast);
  DEALSTAT_C_END
}

}  // extern "C"
