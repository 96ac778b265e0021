// dealstat._core: the compiled half of the Python package. Python code in
// python/dealstat/ wraps it; nothing here is public API by itself.
#include "common.hpp"

#include "dealstat/core/version.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "dealstat's compiled core (private; use the dealstat package)";
  m.attr("__version__") = DEALSTAT_PY_VERSION;
  m.def("version_string", [] { return std::string(dealstat::version_string()); },
        "The C++ library's version at run time.");
  dealstat_py::init_errors(m);
  dealstat_py::init_results(m);
  dealstat_py::init_arrow(m);
  dealstat_py::init_dataset(m);
  dealstat_py::init_columns(m);
  dealstat_py::init_reports(m);
}
