// Report bindings: option parsing shared by every report (the common filter
// of SPEC section 2) and the rule that every report runs with the GIL
// released.
#pragma once

#include <optional>

#include "common.hpp"
#include "dataset.hpp"
#include "dealstat/reports/filter.hpp"
#include "results.hpp"

namespace dealstat_py {

//! The common filter from the normalised dict that dealstat/_options.py builds.
dealstat::DealFilter filter_from(const py::dict& f);

//! Runs `fn()` with the GIL released and wraps the tables it returns.
template <class Fn>
py::list run_report(Fn&& fn) {
  std::vector<dealstat::ResultTable> tables;
  {
    py::gil_scoped_release nogil;
    tables = fn();
  }
  return wrap_tables(std::move(tables));
}

void init_stats(py::module_& m);
void init_reports_more(py::module_& m);

}  // namespace dealstat_py
