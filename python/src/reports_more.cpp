// Bindings of the reports that landed after the first three: employees,
// unsorted, summary, events list and the sales forecast. Same rules as
// reports.cpp: normalised options from Python, C++ parse_* for names, the GIL
// released while the report runs.
#include <string>
#include <vector>

#include "dealstat/forecast/forecast.hpp"
#include "dealstat/reports/employees.hpp"
#include "dealstat/reports/events_list.hpp"
#include "dealstat/reports/summary.hpp"
#include "dealstat/reports/unsorted_report.hpp"
#include "dealstat/time/calendar.hpp"
#include "reports.hpp"

namespace dealstat_py {

void init_reports_more(py::module_& m) {
  m.def(
      "employees",
      [](const PyDataset& ds, py::dict filter, std::optional<std::int64_t> as_of, const std::string& attribution,
         const std::string& rank_by, bool ascending, std::vector<std::int64_t> compare, double confidence,
         unsigned threads) {
        dealstat::EmployeesOptions o;
        o.filter = filter_from(filter);
        o.as_of = instant(as_of);
        o.attribution = dealstat::parse_attribution(attribution);
        o.rank_by = rank_by;
        o.ascending = ascending;
        o.compare = std::move(compare);
        o.confidence = confidence;
        o.threads = threads;
        return run_report([&] { return dealstat::employees(*ds.ptr, o).to_tables(); });
      },
      py::arg("dataset"), py::arg("filter"), py::arg("as_of"), py::arg("attribution"), py::arg("rank_by"),
      py::arg("ascending"), py::arg("compare"), py::arg("confidence"), py::arg("threads"));
  m.def("employee_columns", [] { return dealstat::employee_columns(); },
        "Columns the employees report can rank by.");

  m.def(
      "unsorted",
      [](const PyDataset& ds, py::dict filter, std::optional<std::int64_t> as_of, double confidence,
         unsigned threads) {
        dealstat::UnsortedOptions o;
        o.filter = filter_from(filter);
        o.as_of = instant(as_of);
        o.confidence = confidence;
        o.threads = threads;
        return run_report([&] { return dealstat::unsorted_report(*ds.ptr, o).to_tables(); });
      },
      py::arg("dataset"), py::arg("filter"), py::arg("as_of"), py::arg("confidence"), py::arg("threads"));

  m.def(
      "summary",
      [](const PyDataset& ds, py::dict filter, const std::string& bucket, std::optional<std::int64_t> as_of,
         unsigned threads) {
        dealstat::SummaryOptions o;
        o.filter = filter_from(filter);
        o.bucket = dealstat::parse_bucket(bucket);
        o.as_of = instant(as_of);
        o.threads = threads;
        return run_report([&] { return dealstat::summary(*ds.ptr, o).to_tables(); });
      },
      py::arg("dataset"), py::arg("filter"), py::arg("bucket"), py::arg("as_of"), py::arg("threads"));

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
      [](const PyDataset& ds, py::dict filter, std::optional<std::int32_t> as_of_day, std::int32_t horizon_days,
         const std::string& bucket, bool backtest, std::int32_t warmup_days, double prior_strength,
         std::int32_t window_days, std::vector<std::int32_t> holidays, unsigned threads) {
        dealstat::ForecastOptions o;
        o.filter = filter_from(filter);
        if (as_of_day) o.as_of = dealstat::LocalDate{*as_of_day};
        o.horizon_days = horizon_days;
        o.bucket = dealstat::parse_bucket(bucket);
        o.backtest = backtest;
        o.warmup_days = warmup_days;
        o.prior_strength = prior_strength;
        o.inflow.window_days = window_days;
        for (auto h : holidays) o.inflow.holidays.push_back(dealstat::LocalDate{h});
        o.threads = threads;
        return run_report([&] { return dealstat::forecast(*ds.ptr, o).to_tables(); });
      },
      py::arg("dataset"), py::arg("filter"), py::arg("as_of_day"), py::arg("horizon_days"), py::arg("bucket"),
      py::arg("backtest"), py::arg("warmup_days"), py::arg("prior_strength"), py::arg("window_days"),
      py::arg("holidays"), py::arg("threads"));
}

}  // namespace dealstat_py
