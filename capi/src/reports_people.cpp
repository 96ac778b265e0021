// The C ABI's people and inbox reports: employees (SPEC section 7) and
// unsorted items (section 9).
#include "capi_internal.hpp"
#include "dealstat/reports/employees.hpp"
#include "dealstat/reports/unsorted_report.hpp"

namespace ds = dealstat;
namespace capi = dealstat::capi;

extern "C" {

dealstat_status dealstat_employees(dealstat_dataset dataset, const dealstat_employees_options* options,
                                   dealstat_result* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_employees", "out");
  *out = nullptr;
  const ds::Dataset& d = capi::dataset_of(dataset, "dealstat_employees");
  const dealstat_employees_options defaults = DEALSTAT_EMPLOYEES_OPTIONS_INIT;
  const dealstat_employees_options& o = options != nullptr ? *options : defaults;
  capi::check_version("dealstat_employees_options", o.version, DEALSTAT_EMPLOYEES_OPTIONS_VERSION);
  ds::EmployeesOptions eo;
  eo.filter = capi::to_filter(o.filter);
  eo.as_of = capi::to_as_of(o.as_of_s);
  if (o.attribution < DEALSTAT_ATTRIBUTION_CURRENT || o.attribution > DEALSTAT_ATTRIBUTION_AT_CLOSE) {
    throw ds::Error::bad_option("attribution", std::to_string(o.attribution), "expected a DEALSTAT_ATTRIBUTION_* value");
  }
  eo.attribution = static_cast<ds::Attribution>(o.attribution);
  if (o.rank_by != nullptr) eo.rank_by = o.rank_by;
  eo.ascending = o.ascending != 0;
  if (o.compare_count > 0 && o.compare == nullptr) {
    throw ds::Error::bad_option("compare", std::to_string(o.compare_count) + " items",
                                "the list is NULL but its count is not 0");
  }
  if (o.compare_count > 0) eo.compare.assign(o.compare, o.compare + o.compare_count);
  eo.confidence = o.confidence;
  eo.threads = o.threads;
  *out = capi::make_result(ds::employees(d, eo).to_tables());
  DEALSTAT_C_END
}

dealstat_status dealstat_unsorted(dealstat_dataset dataset, const dealstat_unsorted_options* options,
                                  dealstat_result* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_unsorted", "out");
  *out = nullptr;
  const ds::Dataset& d = capi::dataset_of(dataset, "dealstat_unsorted");
  const dealstat_unsorted_options defaults = DEALSTAT_UNSORTED_OPTIONS_INIT;
  const dealstat_unsorted_options& o = options != nullptr ? *options : defaults;
  capi::check_version("dealstat_unsorted_options", o.version, DEALSTAT_UNSORTED_OPTIONS_VERSION);
  ds::UnsortedOptions uo;
  uo.filter = capi::to_filter(o.filter);
  uo.as_of = capi::to_as_of(o.as_of_s);
  uo.confidence = o.confidence;
  uo.threads = o.threads;
  *out = capi::make_result(ds::unsorted_report(d, uo).to_tables());
  DEALSTAT_C_END
}

}  // extern "C"
