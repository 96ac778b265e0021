// ResultTable: the one shape every report's output can take -- named, typed
// columns of equal length (Arrow's model: int64, float64, utf8, with an
// optional validity mask). Reports keep their own plain result structs for
// C++ users and convert to ResultTables for the CLI (table/CSV/JSON), the C
// ABI's column accessors and Arrow streams, and Python's pandas frames.
// Column names carry their units (_s, _minor, _pct).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dealstat/core/export.hpp"

namespace dealstat {
inline namespace v1 {

//! Type of a result column.
enum class ColumnType : std::uint8_t { int64 = 0, float64 = 1, string = 2 };

//! One named, typed column.
struct DEALSTAT_API ResultColumn {
  std::string name;                            //!< with its unit suffix (_s, _minor, _pct)
  std::variant<std::vector<std::int64_t>, std::vector<double>, std::vector<std::string>> values;  //!< the data
  std::vector<std::uint8_t> valid;             //!< empty = all valid; else 1 = valid, 0 = null

  //! The column's type.
  ColumnType type() const { return static_cast<ColumnType>(values.index()); }
  //! Number of rows.
  std::size_t size() const;
  //! True when row i is null.
  bool is_null(std::size_t i) const { return !valid.empty() && valid[i] == 0; }
};

//! A named table of equal-length columns.
struct DEALSTAT_API ResultTable {
  std::string name;                   //!< e.g. "funnel", "funnel_summary"
  std::vector<ResultColumn> columns;  //!< in display order

  //! Number of rows (0 when there are no columns).
  std::size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
  //! Appends an int64 column; `valid` may be empty (no nulls).
  ResultTable& add(std::string name, std::vector<std::int64_t> v, std::vector<std::uint8_t> valid = {});
  //! Appends a float64 column (NaN is shown as null).
  ResultTable& add(std::string name, std::vector<double> v, std::vector<std::uint8_t> valid = {});
  //! Appends a string column.
  ResultTable& add(std::string name, std::vector<std::string> v, std::vector<std::uint8_t> valid = {});
  //! The column with this name; throws Error(invalid_option) naming it when absent.
  const ResultColumn& column(std::string_view name) const;
};

//! Output formats for tables.
enum class TableFormat : std::uint8_t { text = 0, csv = 1, json = 2 };

//! Parses "table" | "text" | "csv" | "json"; throws Error(invalid_option) naming "format".
DEALSTAT_API TableFormat parse_table_format(std::string_view s);
//! Renders tables: aligned text with a title per table, CSV (tables separated by a blank line), or a JSON object
//! {"table name": [{"column": value, ...}, ...], ...}.
DEALSTAT_API std::string format_tables(const std::vector<ResultTable>& tables, TableFormat format);

}  // namespace v1
}  // namespace dealstat
