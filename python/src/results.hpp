// A report's output table as Python sees it: the library's ArrowTable (a
// ResultTable laid out for Arrow, dealstat/core/arrow.hpp) shared by
// reference count, so numpy views of its columns, Arrow streams and the
// Python object can each outlive the others without copying the data.
#pragma once

#include <memory>
#include <vector>

#include "common.hpp"
#include "dealstat/core/arrow.hpp"
#include "dealstat/core/table.hpp"

namespace dealstat_py {

//! The Python-side handle of one result table (class dealstat._core.Table).
struct PyTable {
  std::shared_ptr<const dealstat::ArrowTable> table;  //!< never null
};

//! Wraps a report's tables for Python (numeric columns are moved, not copied).
py::list wrap_tables(std::vector<dealstat::ResultTable>&& tables);

//! Exports a table as an ArrowArrayStream PyCapsule ("arrow_array_stream").
py::capsule export_stream_capsule(std::shared_ptr<const dealstat::ArrowTable> table);

}  // namespace dealstat_py
