// The C ABI's people and inbox reports: employees (SPEC section 7) and
// unsorted items (section 9).
#include "capi_internal.hpp"
#include "report_options.hpp"
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
  *out = capi::make_result(ds::employees(d, capi::to_employees_options(options)).to_tables());
  DEALSTAT_C_END
}

dealstat_status dealstat_unsorted(dealstat_dataset dataset, const dealstat_unsorted_options* options,
                                  dealstat_result* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_unsorted", "out");
  *out = nullptr;
  const ds::Dataset& d = capi::dataset_of(dataset, "dealstat_unsorted");
  *out = capi::make_result(ds::unsorted_report(d, capi::to_unsorted_options(options)).to_tables());
  DEALSTAT_C_END
}

}  // extern "C"
