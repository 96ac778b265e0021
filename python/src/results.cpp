// dealstat._core.Table: one ResultTable, read from Python. Numeric columns
// come out as read-only numpy views of the C++ vectors (the capsule base
// keeps the table alive); string columns as object arrays (Python strings
// cannot borrow C++ memory); validity as a bool array or None.
#include <string>

#include "results.hpp"

namespace dealstat_py {
namespace {

const char* type_name(dealstat::ColumnType t) {
  switch (t) {
    case dealstat::ColumnType::int64: return "int64";
    case dealstat::ColumnType::float64: return "float64";
    case dealstat::ColumnType::string: return "string";
  }
  return "string";
}

py::object column_values(const PyTable& self, const std::string& name) {
  const auto& col = self.table->column(name);
  py::capsule base = owner_capsule(self.table);
  switch (col.type()) {
    case dealstat::ColumnType::int64: {
      const auto& v = std::get<std::vector<std::int64_t>>(col.values);
      return borrowed_view(v.data(), v.size(), base);
    }
    case dealstat::ColumnType::float64: {
      const auto& v = std::get<std::vector<double>>(col.values);
      return borrowed_view(v.data(), v.size(), base);
    }
    case dealstat::ColumnType::string: {
      const auto& v = std::get<std::vector<std::string>>(col.values);
      py::list out(v.size());
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (col.is_null(i)) out[i] = py::none();
        else out[i] = py::reinterpret_steal<py::object>(
                 PyUnicode_DecodeUTF8(v[i].data(), static_cast<Py_ssize_t>(v[i].size()), "replace"));
      }
      return out;
    }
  }
  return py::none();
}

}  // namespace

py::list wrap_tables(std::vector<dealstat::ResultTable>&& tables) {
  py::list out;
  for (auto& t : tables) out.append(PyTable{std::make_shared<const dealstat::ResultTable>(std::move(t))});
  return out;
}

void init_results(py::module_& m) {
  py::class_<PyTable>(m, "Table", "One named table of a report's output (columns of equal length).")
      .def_property_readonly("name", [](const PyTable& t) { return t.table->name; }, "The table's name.")
      .def_property_readonly("num_rows", [](const PyTable& t) { return t.table->rows(); }, "Number of rows.")
      .def_property_readonly(
          "column_names",
          [](const PyTable& t) {
            py::list names;
            for (const auto& c : t.table->columns) names.append(c.name);
            return names;
          },
          "Column names in display order.")
      .def_property_readonly(
          "column_types",
          [](const PyTable& t) {
            py::list types;
            for (const auto& c : t.table->columns) types.append(type_name(c.type()));
            return types;
          },
          "Column types: 'int64', 'float64' or 'string'.")
      .def("column", &column_values, py::arg("name"),
           "The column's values: a read-only numpy view (int64/float64, no copy) or a list of str/None (strings).")
      .def(
          "valid",
          [](const PyTable& t, const std::string& name) -> py::object {
            const auto& col = t.table->column(name);
            if (col.valid.empty()) return py::none();
            py::array_t<bool> out(static_cast<py::ssize_t>(col.valid.size()));
            auto* d = out.mutable_data();
            for (std::size_t i = 0; i < col.valid.size(); ++i) d[i] = col.valid[i] != 0;
            return out;
          },
          py::arg("name"), "The column's validity mask (True = valid), or None when nothing is null.")
      .def(
          "__arrow_c_stream__",
          [](const PyTable& t, py::object requested_schema) {
            (void)requested_schema;  // we export our own schema; consumers cast if they need to
            return export_stream_capsule(t.table);
          },
          py::arg("requested_schema") = py::none(), "The table as an Arrow C stream PyCapsule (one record batch).");
}

}  // namespace dealstat_py
