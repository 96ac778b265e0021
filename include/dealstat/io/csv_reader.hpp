// Reading CSV files (RFC 4180: quoted fields, doubled quotes, embedded commas
// and newlines; UTF-8 passed through; a UTF-8 BOM skipped). The tokenizer is
// our own (the grammar libcsv accepted, byte for byte); it adds header lookup
// by column name and line numbers, and hands each record to a callback as
// string views valid during the call.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dealstat/core/export.hpp"

namespace dealstat {
inline namespace v1 {

//! One record of a CSV file, valid only inside the callback.
struct CsvRecord {
  std::span<const std::string_view> fields;  //!< the fields, in file order
  std::int64_t line = 0;                     //!< 1-based line where the record starts (header = 1)
};

//! Column positions looked up by header name.
class DEALSTAT_API CsvHeader {
 public:
  //! Builds from the header record's fields.
  explicit CsvHeader(std::vector<std::string> names);
  //! Position of a column (case-insensitive, trimmed), if present.
  std::optional<std::size_t> find(std::string_view name) const;
  //! Position of a required column; throws Error(parse) naming source and column when missing.
  std::size_t require(std::string_view name, const std::string& source) const;
  //! All column names in file order.
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<std::string> names_;
};

//! Reads a CSV file: calls on_header once, then on_record for each data record; throws Error(io/parse).
DEALSTAT_API void read_csv_file(const std::string& path,
                                const std::function<void(const CsvHeader&)>& on_header,
                                const std::function<void(const CsvRecord&)>& on_record);

//! Same as read_csv_file over text in memory; `source` names it in errors.
DEALSTAT_API void read_csv_text(std::string_view text, const std::string& source,
                                const std::function<void(const CsvHeader&)>& on_header,
                                const std::function<void(const CsvRecord&)>& on_record);

//! Writes one CSV field, quoting it when needed (RFC 4180).
DEALSTAT_API void append_csv_field(std::string& out, std::string_view field);

}  // namespace v1
}  // namespace dealstat
