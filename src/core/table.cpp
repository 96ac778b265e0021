// ResultTable building and rendering: the three ways a report's tables are
// written out (aligned text for people, CSV and JSON for programs).
//
// Rules (tests/cpp/table_test.cpp holds an example of each):
//   - text: per table a title line (the table's name), a header row, a rule
//     of dashes, then the rows; columns are separated by two spaces, numbers
//     right-aligned, strings left-aligned, no trailing blanks; nulls and NaN
//     show as "—"; control characters in strings show as a space; tables are
//     separated by a blank line; a table without rows shows "(no rows)".
//     Widths count UTF-8 code points (wide CJK glyphs are not measured).
//     Doubles: `_pct` columns with 2 decimals, `_minor` columns rounded to an
//     integer, other columns with 4 significant digits (no exponent between
//     1e-4 and 1e15, trailing zeros dropped).
//   - csv: RFC 4180 fields (append_csv_field), "\n" line ends, one header row
//     per table, tables separated by one blank line; when there is more than
//     one table each starts with a "# table: <name>" line. Nulls and NaN are
//     empty fields; doubles are written in the shortest form that reads back
//     exactly; infinities as "inf" / "-inf".
//   - json: {"<table>": [{"<column>": value, ...}, ...], ...}, tables and
//     columns in their order, one row object per line; nulls, NaN and
//     infinities are null; doubles in the shortest exact form; strings are
//     escaped per RFC 8259 with UTF-8 passed through (invalid bytes become
//     U+FFFD). Table names must be unique.
#include "dealstat/core/table.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "dealstat/core/error.hpp"
#include "dealstat/io/csv_reader.hpp"

namespace dealstat {
inline namespace v1 {

namespace {

// The text shown for a null in the text format.
constexpr std::string_view kNullText = "\xE2\x80\x94";  // U+2014 EM DASH

// True when `name` ends with `suffix`.
bool ends_with(std::string_view name, std::string_view suffix) {
  return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
}

// Appends an int64 in decimal.
void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// Appends a finite double in the shortest form that reads back to the same value.
void append_shortest(std::string& out, double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// Appends a printf-formatted double.
void append_printf(std::string& out, const char* fmt, int precision, double v) {
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, fmt, precision, v);
  if (n > 0) out.append(buf, static_cast<std::size_t>(std::min<int>(n, static_cast<int>(sizeof buf) - 1)));
}

// Drops trailing zeros (and a trailing point) after a decimal point.
void trim_fraction(std::string& s) {
  if (s.find('.') == std::string::npos) return;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
}

// A double for people: 2 decimals for _pct, integer for _minor, else 4 significant digits.
std::string text_double(std::string_view column, double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::string out;
  if (ends_with(column, "_pct")) {
    append_printf(out, "%.*f", 2, v);
  } else if (ends_with(column, "_minor")) {
    append_printf(out, "%.*f", 0, v);
  } else {
    const double a = std::fabs(v);
    if (a != 0.0 && (a < 1e-4 || a >= 1e15)) {
      append_printf(out, "%.*g", 4, v);
    } else {
      // Digits before the point decide how many decimals keep 4 significant digits.
      int int_digits = a < 1.0 ? 1 : static_cast<int>(std::floor(std::log10(a))) + 1;
      int decimals = std::max(0, 4 - int_digits);
      if (a != 0.0 && a < 1.0) decimals = std::max(decimals, 3 - static_cast<int>(std::floor(std::log10(a))));
      append_printf(out, "%.*f", decimals, v);
      trim_fraction(out);
    }
  }
  if (out == "-0") out = "0";
  return out;
}

// Number of UTF-8 code points (continuation bytes are not counted).
std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

// A string cell for the text format: control characters become spaces.
std::string text_string(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  return out;
}

// True when row i of the column is null (by mask, or a NaN double).
bool null_at(const ResultColumn& col, std::size_t i) {
  if (col.is_null(i)) return true;
  if (const auto* d = std::get_if<std::vector<double>>(&col.values)) return std::isnan((*d)[i]);
  return false;
}

// Pads `cell` to `width` code points on the left (right-aligned) or right.
void append_padded(std::string& out, const std::string& cell, std::size_t width, bool right, bool last) {
  const std::size_t w = display_width(cell);
  const std::size_t pad = width > w ? width - w : 0;
  if (right) out.append(pad, ' ');
  out += cell;
  if (!right && !last) out.append(pad, ' ');
}

// Renders one table as aligned text.
void text_table(std::string& out, const ResultTable& t) {
  out += t.name;
  out += '\n';
  const std::size_t rows = t.rows();
  const std::size_t ncol = t.columns.size();
  // Cells as text, column by column.
  std::vector<std::vector<std::string>> cells(ncol);
  std::vector<std::size_t> width(ncol);
  std::vector<bool> right(ncol);
  for (std::size_t c = 0; c < ncol; ++c) {
    const ResultColumn& col = t.columns[c];
    right[c] = col.type() != ColumnType::string;
    width[c] = display_width(col.name);
    cells[c].reserve(rows);
    for (std::size_t i = 0; i < rows; ++i) {
      std::string cell;
      if (null_at(col, i)) {
        cell = kNullText;
      } else if (const auto* iv = std::get_if<std::vector<std::int64_t>>(&col.values)) {
        append_int(cell, (*iv)[i]);
      } else if (const auto* dv = std::get_if<std::vector<double>>(&col.values)) {
        cell = text_double(col.name, (*dv)[i]);
      } else {
        cell = text_string(std::get<std::vector<std::string>>(col.values)[i]);
      }
      width[c] = std::max(width[c], display_width(cell));
      cells[c].push_back(std::move(cell));
    }
  }
  if (ncol == 0) {
    out += "(no columns)\n";
    return;
  }
  for (std::size_t c = 0; c < ncol; ++c) {
    if (c > 0) out += "  ";
    append_padded(out, t.columns[c].name, width[c], right[c], c + 1 == ncol);
  }
  out += '\n';
  for (std::size_t c = 0; c < ncol; ++c) {
    if (c > 0) out += "  ";
    out.append(width[c], '-');
  }
  out += '\n';
  if (rows == 0) {
    out += "(no rows)\n";
    return;
  }
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t c = 0; c < ncol; ++c) {
      if (c > 0) out += "  ";
      append_padded(out, cells[c][i], width[c], right[c], c + 1 == ncol);
    }
    out += '\n';
  }
}

// Renders one table as CSV (header row, then the rows).
void csv_table(std::string& out, const ResultTable& t) {
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    if (c > 0) out += ',';
    append_csv_field(out, t.columns[c].name);
  }
  out += '\n';
  const std::size_t rows = t.rows();
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      const ResultColumn& col = t.columns[c];
      if (c > 0) out += ',';
      if (null_at(col, i)) continue;
      if (const auto* iv = std::get_if<std::vector<std::int64_t>>(&col.values)) {
        append_int(out, (*iv)[i]);
      } else if (const auto* dv = std::get_if<std::vector<double>>(&col.values)) {
        const double v = (*dv)[i];
        if (std::isinf(v)) out += v > 0 ? "inf" : "-inf";
        else append_shortest(out, v);
      } else {
        append_csv_field(out, std::get<std::vector<std::string>>(col.values)[i]);
      }
    }
    out += '\n';
  }
}

// Appends a JSON string literal (RFC 8259 escapes, UTF-8 kept, invalid bytes replaced).
void append_json_string(std::string& out, std::string_view s) {
  out += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Renders one table as a JSON array of row objects, one row per line.
void json_table(std::string& out, const ResultTable& t) {
  const std::size_t rows = t.rows();
  if (rows == 0) {
    out += "[]";
    return;
  }
  // Column names are escaped once.
  std::vector<std::string> keys;
  keys.reserve(t.columns.size());
  for (const auto& col : t.columns) {
    std::string k;
    append_json_string(k, col.name);
    k += ": ";
    keys.push_back(std::move(k));
  }
  out += "[\n";
  for (std::size_t i = 0; i < rows; ++i) {
    out += "    {";
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      const ResultColumn& col = t.columns[c];
      if (c > 0) out += ", ";
      out += keys[c];
      if (null_at(col, i)) {
        out += "null";
      } else if (const auto* iv = std::get_if<std::vector<std::int64_t>>(&col.values)) {
        append_int(out, (*iv)[i]);
      } else if (const auto* dv = std::get_if<std::vector<double>>(&col.values)) {
        const double v = (*dv)[i];
        if (std::isinf(v)) out += "null";
        else append_shortest(out, v);
      } else {
        append_json_string(out, std::get<std::vector<std::string>>(col.values)[i]);
      }
    }
    out += i + 1 == rows ? "}\n" : "},\n";
  }
  out += "  ]";
}

// Checks a new column against the table: same length as the others, mask of the same length.
void check_column(const ResultTable& t, const ResultColumn& col) {
  if (!col.valid.empty() && col.valid.size() != col.size())
    throw Error(ErrorCode::internal, "result column '" + col.name + "' of table '" + t.name +
                                         "': validity mask has " + std::to_string(col.valid.size()) +
                                         " entries for " + std::to_string(col.size()) + " rows");
  if (!t.columns.empty() && col.size() != t.rows())
    throw Error(ErrorCode::internal, "result column '" + col.name + "' of table '" + t.name + "' has " +
                                         std::to_string(col.size()) + " rows, the table has " +
                                         std::to_string(t.rows()));
}

// Appends a column after checking it.
template <class T>
ResultTable& add_column(ResultTable& t, std::string name, std::vector<T> v, std::vector<std::uint8_t> valid) {
  ResultColumn col{std::move(name), std::move(v), std::move(valid)};
  check_column(t, col);
  t.columns.push_back(std::move(col));
  return t;
}

}  // namespace

std::size_t ResultColumn::size() const {
  return std::visit([](const auto& v) { return v.size(); }, values);
}

ResultTable& ResultTable::add(std::string name, std::vector<std::int64_t> v, std::vector<std::uint8_t> valid) {
  return add_column(*this, std::move(name), std::move(v), std::move(valid));
}

ResultTable& ResultTable::add(std::string name, std::vector<double> v, std::vector<std::uint8_t> valid) {
  return add_column(*this, std::move(name), std::move(v), std::move(valid));
}

ResultTable& ResultTable::add(std::string name, std::vector<std::string> v, std::vector<std::uint8_t> valid) {
  return add_column(*this, std::move(name), std::move(v), std::move(valid));
}

const ResultColumn& ResultTable::column(std::string_view name) const {
  for (const auto& c : columns)
    if (c.name == name) return c;
  throw Error::bad_option("column", std::string(name), "table '" + this->name + "' has no such column");
}

TableFormat parse_table_format(std::string_view s) {
  if (s == "table" || s == "text") return TableFormat::text;
  if (s == "csv") return TableFormat::csv;
  if (s == "json") return TableFormat::json;
  throw Error::bad_option("format", std::string(s), "must be table, csv or json");
}

std::string format_tables(const std::vector<ResultTable>& tables, TableFormat format) {
  std::string out;
  switch (format) {
    case TableFormat::text:
      for (std::size_t k = 0; k < tables.size(); ++k) {
        if (k > 0) out += '\n';
        text_table(out, tables[k]);
      }
      break;
    case TableFormat::csv:
      for (std::size_t k = 0; k < tables.size(); ++k) {
        if (k > 0) out += '\n';
        if (tables.size() > 1) {
          out += "# table: ";
          out += tables[k].name;
          out += '\n';
        }
        csv_table(out, tables[k]);
      }
      break;
    case TableFormat::json: {
      std::unordered_set<std::string_view> seen;
      for (const auto& t : tables)
        if (!seen.insert(t.name).second)
          throw Error(ErrorCode::internal, "two result tables are named '" + t.name + "'");
      if (tables.empty()) {
        out += "{}\n";
        break;
      }
      out += "{\n";
      for (std::size_t k = 0; k < tables.size(); ++k) {
        out += "  ";
        append_json_string(out, tables[k].name);
        out += ": ";
        json_table(out, tables[k]);
        out += k + 1 == tables.size() ? "\n" : ",\n";
      }
      out += "}\n";
      break;
    }
  }
  return out;
}

}  // namespace v1
}  // namespace dealstat
