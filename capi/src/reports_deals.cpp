// The C ABI's deal-flow reports: the funnel (SPEC section 3), time in stage
// (section 4) and sales analysis / movement (section 5).
#include "capi_internal.hpp"
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
  const dealstat_funnel_options defaults = DEALSTAT_FUNNEL_OPTIONS_INIT;
  const dealstat_funnel_options& o = options != nullptr ? *options : defaults;
  capi::check_version("dealstat_funnel_options", o.version, DEALSTAT_FUNNEL_OPTIONS_VERSION);
  ds::FunnelOptions fo;
  fo.filter = capi::to_filter(o.filter);
  fo.as_of = capi::to_as_of(o.as_of_s);
  if (o.skip < DEALSTAT_SKIP_IMPLIED || o.skip > DEALSTAT_SKIP_STRICT) {
    throw ds::Error::bad_option("skip", std::to_string(o.skip), "expected a DEALSTAT_SKIP_* value");
  }
  fo.skip = static_cast<ds::SkipPolicy>(o.skip);
  if (o.value < DEALSTAT_VALUE_COUNT || o.value > DEALSTAT_VALUE_BUDGET) {
    throw ds::Error::bad_option("value", std::to_string(o.value), "expected a DEALSTAT_VALUE_* value");
  }
  fo.value = static_cast<ds::ValueMode>(o.value);
  fo.confidence = o.confidence;
  fo.threads = o.threads;
  *out = capi::make_result(ds::funnel(d, fo).to_tables());
  DEALSTAT_C_END
}

dealstat_status dealstat_stage_time(dealstat_dataset dataset, const dealstat_stage_time_options* options,
                                    dealstat_result* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_stage_time", "out");
  *out = nullptr;
  const ds::Dataset& d = capi::dataset_of(dataset, "dealstat_stage_time");
  const dealstat_stage_time_options defaults = DEALSTAT_STAGE_TIME_OPTIONS_INIT;
  const dealstat_stage_time_options& o = options != nullptr ? *options : defaults;
  capi::check_version("dealstat_stage_time_options", o.version, DEALSTAT_STAGE_TIME_OPTIONS_VERSION);
  ds::StageTimeOptions so;
  so.filter = capi::to_filter(o.filter);
  so.as_of = capi::to_as_of(o.as_of_s);
  so.threads = o.threads;
  *out = capi::make_result(ds::stage_time(d, so).to_tables());
  DEALSTAT_C_END
}

dealstat_status dealstat_movement(dealstat_dataset dataset, const dealstat_movement_options* options,
                                  dealstat_result* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_movement", "out");
  *out = nullptr;
  const ds::Dataset& d = capi::dataset_of(dataset, "dealstat_movement");
  const dealstat_movement_options defaults = DEALSTAT_MOVEMENT_OPTIONS_INIT;
  const dealstat_movement_options& o = options != nullptr ? *options : defaults;
  capi::check_version("dealstat_movement_options", o.version, DEALSTAT_MOVEMENT_OPTIONS_VERSION);
  ds::MovementOptions mo;
  mo.filter = capi::to_filter(o.filter);
  if (o.bucket < DEALSTAT_BUCKET_DAY || o.bucket > DEALSTAT_BUCKET_YEAR) {
    throw ds::Error::bad_option("bucket", std::to_string(o.bucket), "expected a DEALSTAT_BUCKET_* value");
  }
  mo.bucket = static_cast<ds::Bucket>(o.bucket);
  mo.as_of = capi::to_as_of(o.as_of_s);
  mo.threads = o.threads;
  *out = capi::make_result(ds::movement(d, mo).to_tables());
  DEALSTAT_C_END
}

}  // extern "C"
