// The one conversion of a report's Python keywords into its C++ options,
// shared by the report functions (reports.cpp, reports_more.cpp) and the
// partial reports of the Dask and Spark drivers (partials.cpp). Both get the
// normalised filter dict and keywords that dealstat/dataset.py builds. A
// keyword that is absent or None keeps the default of the C++ options struct
// (include/dealstat/reports/*.hpp, forecast/forecast.hpp): no default is
// written here. A keyword the report does not take is a TypeError naming it.
#pragma once

#include "common.hpp"
#include "dealstat/reports/partial.hpp"

namespace dealstat_py {

//! The options of report `kind` from the filter dict and the report's keywords (absent/None = the C++ default).
dealstat::ReportOptions report_options(dealstat::ReportKind kind, const py::dict& filter, const py::dict& kw);

//! report_options() for the report whose options type is `Options` (e.g. dealstat::FunnelOptions).
template <class Options>
Options report_options_as(dealstat::ReportKind kind, const py::dict& filter, const py::dict& kw) {
  return std::get<Options>(report_options(kind, filter, kw));
}

}  // namespace dealstat_py
