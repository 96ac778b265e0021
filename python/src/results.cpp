// dealstat._core.Table: one result table, read from Python. Numeric columns
// come out as read-only numpy views of the C++ buffers (the capsule base
// keeps the table alive); string columns as lists of str (Python strings
// cannot borrow C++ memory); validity as a bool array or None.
#include <string>

#include "dealstat/core/error.hpp"
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

const dealstat::ArrowColumn& find(const PyTable& t, const std::string& name) {
  for (const auto& c : t.table->columns)
    if (c.name == name) return c;
  throw dealstat::Error::bad_option("column", name, "table '" + t.table->name + "' has no such column");
}

bool valid_at(const dealstat::ArrowColumn& c, std::size_t i) {
  return c.validity.empty() || ((c.validity[i / 8] >> (i % 8)) & 1);
}

py::object column_values(const PyTable& self, const std::string& name) {
  const auto& col = find(self, name);
  switch (col.type) {
    case dealstat::ColumnType::int64:
      return borrowed_view(col.ints.data(), col.ints.size(), owner_capsule(self.table));
    case dealstat::ColumnType::float64:
      return borrowed_view(col.doubles.data(), col.doubles.size(), owner_capsule(self.table));
    case dealstat::ColumnType::string: {
      const auto n = static_cast<std::size_t>(col.length);
      py::list out(n);
      for (std::size_t i = 0; i < n; ++i) {
        if (!valid_at(col, i)) {
          out[i] = py::none();
          continue;
        }
        const char* b = col.bytes.data() + col.offsets[i];
        out[i] = py::reinterpret_steal<py::object>(
            PyUnicode_DecodeUTF8(b, static_cast<Py_ssize_t>(col.offsets[i + 1] - col.offsets[i]), "replace"));
      }
      return out;
    }
  }
  return py::none();
}

}  // namespace

py::list wrap_tables(std::vector<dealstat::ResultTable>&& tables) {
  py::list out;
  for (auto& t : tables) out.append(PyTable{dealstat::ArrowTable::make(std::move(t))});
  return out;
}

void init_results(py::module_& m) {
  py::class_<PyTable>(m, "Table", "One named table of a report's output (columns of equal length).")
      .def_property_readonly("name", [](const PyTable& t) { return t.table->name; }, "The table's name.")
      .def_property_readonly("num_rows", [](const PyTable& t) { return t.table->rows; }, "Number of rows.")
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
            for (const auto& c : t.table->columns) types.append(type_name(c.type));
            return types;
          },
          "Column types: 'int64', 'float64' or 'string'.")
      .def("column", &column_values, py::arg("name"),
           "The column's values: a read-only numpy view (int64/float64, no copy) or a list of str/None.")
      .def(
          "valid",
          [](const PyTable& t, const std::string& name) -> py::object {
            const auto& col = find(t, name);
            if (col.null_count == 0) return py::none();
            py::array_t<bool> out(static_cast<py::ssize_t>(col.length));
            auto* d = out.mutable_data();
            for (std::int64_t i = 0; i < col.length; ++i) d[i] = valid_at(col, static_cast<std::size_t>(i));
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
