// The C ABI's people and inbox reports: employees (SPEC section 7) and
// unsorted items (section 9).
#include "entry_point.hpp"
#include "report_options.hpp"
#include "dealstat/reports/employees.hpp"
#include "dealstat/reports/unsorted_report.hpp"

namespace ds = dealstat;
namespace capi = dealstat::capi;

extern "C" {

dealstat_status dealstat_employees(dealstat_dataset dataset, const dealstat_employees_options* options,
                                   dealstat_result* out) {
  DEALSTAT_C_BEGIN
  capi::run_report("dealstat_employees", dataset, options, out, capi::to_employees_options, ds::employees);
  DEALSTAT_C_END
}

dealstat_status dealstat_unsorted(dealstat_dataset dataset, const dealstat_unsorted_options* options,
                                  dealstat_result* out) {
  DEALSTAT_C_BEGIN
  capi::run_report("dealstat_unsorted", dataset, options, out, capi::to_unsorted_options, ds::unsorted_report);
  DEALSTAT_C_END
}

}  // extern "C"
