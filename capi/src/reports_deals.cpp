// The C ABI's deal-flow reports: the funnel (SPEC section 3), time in stage
// (section 4) and sales analysis / movement (section 5).
#include "capi_internal.hpp"
#include "report_options.hpp"
#include "dealstat/reports/funnel.hpp"
#include "dealstat/reports/movement.hpp"
#include "dealstat/reports/stage_time.hpp"

namespace ds = dealstat;
namespace capi = dealstat::capi;

extern "C" {

dealstat_status dealstat_funnel(dealstat_dataset dataset, const dealstat_funnel_options* options,
                                dealstat_result* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_funnel", "out");
  *out = nullptr;
  const ds::Dataset& d = capi::dataset_of(dataset, "dealstat_funnel");
  *out = capi::make_result(ds::funnel(d, capi::to_funnel_options(options)).to_tables());
  DEALSTAT_C_END
}

dealstat_status dealstat_stage_time(dealstat_dataset dataset, const dealstat_stage_time_options* options,
                                    dealstat_result* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_stage_time", "out");
  *out = nullptr;
  const ds::Dataset& d = capi::dataset_of(dataset, "dealstat_stage_time");
  *out = capi::make_result(ds::stage_time(d, capi::to_stage_time_options(options)).to_tables());
  DEALSTAT_C_END
}

dealstat_status dealstat_movement(dealstat_dataset dataset, const dealstat_movement_options* options,
                                  dealstat_result* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_movement", "out");
  *out = nullptr;
  const ds::Dataset& d = capi::dataset_of(dataset, "dealstat_movement");
  *out = capi::make_result(ds::movement(d, capi::to_movement_options(options)).to_tables());
  DEALSTAT_C_END
}

}  // extern "C"
