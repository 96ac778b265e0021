// One binding per report. Python passes the common filter as a normalised
// dict and each report's own options as keywords (already validated and
// converted by dealstat/_options.py); report_options.cpp turns them into the
// C++ options (the C++ parse_* functions turn names into enums so that a bad
// value raises OptionError naming the option; absent = the C++ default). The
// report runs with the GIL released: any number of Python threads can run
// reports on one Dataset at once.
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "report_options.hpp"
#include "reports.hpp"
#include "dealstat/reports/funnel.hpp"
#include "dealstat/reports/movement.hpp"
#include "dealstat/reports/stage_time.hpp"
#include "dealstat/time/calendar.hpp"

namespace dealstat_py {

dealstat::DealFilter filter_from(const py::dict& f) {
  dealstat::DealFilter out;
  if (f.contains("from_day") && !f["from_day"].is_none())
    out.period.from = dealstat::LocalDate{f["from_day"].cast<std::int32_t>()};
  if (f.contains("to_day") && !f["to_day"].is_none())
    out.period.to = dealstat::LocalDate{f["to_day"].cast<std::int32_t>()};
  if (f.contains("pipeline") && !f["pipeline"].is_none()) out.pipeline = f["pipeline"].cast<std::string>();
  if (f.contains("users")) out.users = f["users"].cast<std::vector<std::int64_t>>();
  if (f.contains("groups")) out.groups = f["groups"].cast<std::vector<std::string>>();
  if (f.contains("tags")) out.tags = f["tags"].cast<std::vector<std::string>>();
  if (f.contains("channels")) out.channels = f["channels"].cast<std::vector<std::string>>();
  if (f.contains("status")) out.status = dealstat::parse_status_filter(f["status"].cast<std::string>());
  if (f.contains("date_basis")) out.date_basis = dealstat::parse_date_basis(f["date_basis"].cast<std::string>());
  return out;
}

void init_reports(py::module_& m) {
  // The report functions: (dataset, filter, **keywords), converted by report_options().
  m.def(
      "funnel",
      [](const PyDataset& ds, py::dict filter, py::kwargs kw) {
        const auto o = report_options_as<dealstat::FunnelOptions>(dealstat::ReportKind::funnel, filter, kw);
        return run_report([&] { return dealstat::funnel(*ds.ptr, o).to_tables(); });
      },
      py::arg("dataset"), py::arg("filter"));

  m.def(
      "stage_time",
      [](const PyDataset& ds, py::dict filter, py::kwargs kw) {
        const auto o = report_options_as<dealstat::StageTimeOptions>(dealstat::ReportKind::stage_time, filter, kw);
        return run_report([&] { return dealstat::stage_time(*ds.ptr, o).to_tables(); });
      },
      py::arg("dataset"), py::arg("filter"));

  m.def(
      "movement",
      [](const PyDataset& ds, py::dict filter, py::kwargs kw) {
        const auto o = report_options_as<dealstat::MovementOptions>(dealstat::ReportKind::movement, filter, kw);
        return run_report([&] { return dealstat::movement(*ds.ptr, o).to_tables(); });
      },
      py::arg("dataset"), py::arg("filter"));

  m.def(
      "funnel_native_seconds",
      [](const PyDataset& ds, py::dict filter, int repeats) {
        // The bare C++ call timed in C++ (for bench/python_overhead.py): best of `repeats`.
        dealstat::FunnelOptions o;
        o.filter = filter_from(filter);
        double best = 1e300;
        py::gil_scoped_release nogil;
        for (int i = 0; i < repeats; ++i) {
          auto t0 = std::chrono::steady_clock::now();
          auto r = dealstat::funnel(*ds.ptr, o);
          auto t1 = std::chrono::steady_clock::now();
          best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
        }
        return best;
      },
      py::arg("dataset"), py::arg("filter"), py::arg("repeats"));

  init_stats(m);
  init_reports_more(m);
}

}  // namespace dealstat_py
