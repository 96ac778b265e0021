// Bindings of the reports that landed after the first three: employees,
// unsorted, summary, events list and the sales forecast. Same rules as
// reports.cpp: normalised options from Python converted by report_options.cpp
// (the events list, which has no partial, converts its own), the GIL released
// while the report runs.
#include <string>
#include <vector>

#include "dealstat/forecast/forecast.hpp"
#include "dealstat/reports/employees.hpp"
#include "dealstat/reports/events_list.hpp"
#include "dealstat/reports/summary.hpp"
#include "dealstat/reports/unsorted_report.hpp"
#include "dealstat/time/calendar.hpp"
#include "report_options.hpp"
#include "reports.hpp"

namespace dealstat_py {

void init_reports_more(py::module_& m) {
  m.def(
      "employees",
      [](const PyDataset& ds, py::dict filter, py::kwargs kw) {
        const auto o = report_options_as<dealstat::EmployeesOptions>(dealstat::ReportKind::employees, filter, kw);
        return run_report([&] { return dealstat::employees(*ds.ptr, o).to_tables(); });
      },
      py::arg("dataset"), py::arg("filter"));
  m.def("employee_columns", [] { return dealstat::employee_columns(); },
        "Columns the employees report can rank by.");

  m.def(
      "unsorted",
      [](const PyDataset& ds, py::dict filter, py::kwargs kw) {
        const auto o = report_options_as<dealstat::UnsortedOptions>(dealstat::ReportKind::unsorted, filter, kw);
        return run_report([&] { return dealstat::unsorted_report(*ds.ptr, o).to_tables(); });
      },
      py::arg("dataset"), py::arg("filter"));

  m.def(
      "summary",
      [](const PyDataset& ds, py::dict filter, py::kwargs kw) {
        const auto o = report_options_as<dealstat::SummaryOptions>(dealstat::ReportKind::summary, filter, kw);
        return run_report([&] { return dealstat::summary(*ds.ptr, o).to_tables(); });
      },
      py::arg("dataset"), py::arg("filter"));

  m.def(
      "events_list",
      [](const PyDataset& ds, std::optional<std::int32_t> from_day, std::optional<std::int32_t> to_day,
         const std::string& entity_type, std::optional<std::int64_t> entity_id, std::optional<std::int64_t> contact_id,
         std::optional<std::int64_t> company_id, std::vector<std::int64_t> users, std::vector<std::string> types,
         std::int64_t limit, const std::string& cursor, bool count_total) {
        dealstat::EventsListOptions o;
        if (from_day) o.period.from = dealstat::LocalDate{*from_day};
        if (to_day) o.period.to = dealstat::LocalDate{*to_day};
        o.entity_type = entity_type;
        o.entity_id = entity_id;
        o.contact_id = contact_id;
        o.company_id = company_id;
        o.users = std::move(users);
        o.types = std::move(types);
        o.limit = limit;
        o.cursor = cursor;
        o.count_total = count_total;
        return run_report([&] { return dealstat::events_list(*ds.ptr, o).to_tables(); });
      },
      py::arg("dataset"), py::arg("from_day"), py::arg("to_day"), py::arg("entity_type"), py::arg("entity_id"),
      py::arg("contact_id"), py::arg("company_id"), py::arg("users"), py::arg("types"), py::arg("limit"),
      py::arg("cursor"), py::arg("count_total"));

  m.def(
      "forecast",
      [](const PyDataset& ds, py::dict filter, py::kwargs kw) {
        const auto o = report_options_as<dealstat::ForecastOptions>(dealstat::ReportKind::forecast, filter, kw);
        return run_report([&] { return dealstat::forecast(*ds.ptr, o).to_tables(); });
      },
      py::arg("dataset"), py::arg("filter"));
}

}  // namespace dealstat_py
