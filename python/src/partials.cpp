// Mergeable partial reports (docs/distributed.md): _core.Partial wraps a
// dealstat::ReportPartial. Options arrive as the same normalised filter dict
// and keywords the report functions take (dealstat/dataset.py builds both) and
// go through the same conversion (report_options.cpp);
// accumulate and finalize run with the GIL released. Partials pickle as their
// portable bytes, so Dask and Spark can ship them between processes.
#include <optional>
#include <string>
#include <vector>

#include "report_options.hpp"
#include "reports.hpp"
#include "dealstat/reports/partial.hpp"
#include "dealstat/time/calendar.hpp"

namespace dealstat_py {

namespace {

struct PyPartial {
  dealstat::ReportPartial p;  //!< the state
};

PyPartial from_bytes(const py::bytes& b) {
  const std::string s = b;  // one copy out of the Python object
  const auto* data = reinterpret_cast<const std::uint8_t*>(s.data());
  return PyPartial{dealstat::ReportPartial::deserialize(std::span<const std::uint8_t>(data, s.size()))};
}

py::bytes to_bytes(const PyPartial& p) {
  const auto b = p.p.serialize();
  return py::bytes(reinterpret_cast<const char*>(b.data()), b.size());
}

}  // namespace

void init_partials(py::module_& m) {
  m.attr("partial_sketch_alpha") = dealstat::kPartialSketchAlpha;
  m.attr("partial_format_version") = dealstat::ReportPartial::format_version;

  m.def(
      "partial_bounds",
      [](const PyDataset& ds, const std::string& report) {
        const auto b = dealstat::ReportPartial::bounds(dealstat::parse_report_kind(report), *ds.ptr);
        return py::make_tuple(b.last, b.first);
      },
      py::arg("dataset"), py::arg("report"), "(last, first): the instants the report's defaults come from.");

  m.def(
      "partial_make",
      [](const PyDataset& ds, const std::string& report, py::dict filter, py::dict kw,
         std::optional<std::pair<std::int64_t, std::int64_t>> bounds) {
        const auto o = report_options(dealstat::parse_report_kind(report), filter, kw);
        if (bounds) return PyPartial{dealstat::ReportPartial::make(*ds.ptr, o, {bounds->first, bounds->second})};
        return PyPartial{dealstat::ReportPartial::make(*ds.ptr, o)};
      },
      py::arg("dataset"), py::arg("report"), py::arg("filter"), py::arg("kw"), py::arg("bounds") = py::none());

  m.def("partial_from_bytes", &from_bytes, py::arg("data"));

  py::class_<PyPartial>(m, "Partial")
      .def_property_readonly("report",
                             [](const PyPartial& p) { return std::string(dealstat::report_kind_name(p.p.kind())); })
      .def_property_readonly("exact", [](const PyPartial& p) { return p.p.exact(); })
      .def_property_readonly("options_hash", [](const PyPartial& p) { return p.p.options_hash(); })
      .def_property_readonly("entities_fingerprint", [](const PyPartial& p) { return p.p.entities_fingerprint(); })
      .def(
          "accumulate",
          [](PyPartial& p, const PyDataset& ds, unsigned threads) {
            py::gil_scoped_release nogil;
            p.p.accumulate(*ds.ptr, threads);
          },
          py::arg("dataset"), py::arg("threads") = 1u)
      .def(
          "accumulate_rows",
          [](PyPartial& p, const PyDataset& ds, std::size_t begin, std::size_t end) {
            py::gil_scoped_release nogil;
            p.p.accumulate(*ds.ptr, begin, end);
          },
          py::arg("dataset"), py::arg("begin"), py::arg("end"))
      .def("rows", [](const PyPartial& p, const PyDataset& ds) { return p.p.rows(*ds.ptr); })
      .def(
          "merge",
          [](PyPartial& p, const PyPartial& other) {
            py::gil_scoped_release nogil;
            p.p.merge(other.p);
          },
          py::arg("other"))
      .def("copy", [](const PyPartial& p) { return PyPartial{p.p}; })
      .def("to_bytes", &to_bytes)
      .def(
          "finalize",
          [](const PyPartial& p, const PyDataset& ds) {
            return run_report([&] { return dealstat::result_tables(p.p.finalize(*ds.ptr)); });
          },
          py::arg("entities"))
      .def(py::pickle([](const PyPartial& p) { return py::make_tuple(to_bytes(p)); },
                      [](py::tuple t) { return from_bytes(t[0].cast<py::bytes>()); }));
}

}  // namespace dealstat_py
