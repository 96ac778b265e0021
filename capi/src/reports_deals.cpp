// The C ABI's deal-flow reports: the funnel (SPEC section 3), time in stage
// (section 4) and sales analysis / movement (section 5).
#include "entry_point.hpp"
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
  capi::run_report("dealstat_funnel", dataset, options, out, capi::to_funnel_options, ds::funnel);
  DEALSTAT_C_END
}

dealstat_status dealstat_stage_time(dealstat_dataset dataset, const dealstat_stage_time_options* options,
                                    dealstat_result* out) {
  DEALSTAT_C_BEGIN
  capi::run_report("dealstat_stage_time", dataset, options, out, capi::to_stage_time_options, ds::stage_time);
  DEALSTAT_C_END
}

dealstat_status dealstat_movement(dealstat_dataset dataset, const dealstat_movement_options* options,
                                  dealstat_result* out) {
  DEALSTAT_C_BEGIN
  capi::run_report("dealstat_movement", dataset, options, out, capi::to_movement_options, ds::movement);
  DEALSTAT_C_END
}

}  // extern "C"
