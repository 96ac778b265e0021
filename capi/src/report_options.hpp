// The C options structs of the per-deal reports turned into the C++ options:
// one conversion per report, shared by the report entry points and the
// partial-report entry points. Each checks the struct's version and the
// range of every enum-like field, naming the option when it is bad.
#pragma once

#include "capi_internal.hpp"
#include "dealstat/forecast/forecast.hpp"
#include "dealstat/reports/employees.hpp"
#include "dealstat/reports/funnel.hpp"
#include "dealstat/reports/movement.hpp"
#include "dealstat/reports/stage_time.hpp"
#include "dealstat/reports/unsorted_report.hpp"

namespace dealstat {
inline namespace v1 {
namespace capi {

//! The funnel's C++ options from the C struct (NULL = the defaults).
FunnelOptions to_funnel_options(const dealstat_funnel_options* options);
//! Time in stage's C++ options from the C struct (NULL = the defaults).
StageTimeOptions to_stage_time_options(const dealstat_stage_time_options* options);
//! Movement's C++ options from the C struct (NULL = the defaults).
MovementOptions to_movement_options(const dealstat_movement_options* options);
//! The employees report's C++ options from the C struct (NULL = the defaults).
EmployeesOptions to_employees_options(const dealstat_employees_options* options);
//! The unsorted report's C++ options from the C struct (NULL = the defaults).
UnsortedOptions to_unsorted_options(const dealstat_unsorted_options* options);
//! The forecast's C++ options from the C struct (NULL = the defaults).
ForecastOptions to_forecast_options(const dealstat_forecast_options* options);

}  // namespace capi
}  // namespace v1
}  // namespace dealstat
