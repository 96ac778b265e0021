// Reading a byte range of a CSV file, so that a large file can be split at
// record boundaries and its pieces parsed on several threads (see
// csv_directory.cpp's chunked read and docs/csv-format.md). Private to the
// library.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "dealstat/io/csv_reader.hpp"

namespace dealstat {
inline namespace v1 {
namespace detail {

//! Where a range read stopped and how many lines it consumed.
struct CsvRange {
  std::uint64_t end = 0;   //!< file offset after the last record parsed
  std::int64_t lines = 0;  //!< lines consumed (records, blank lines, newlines inside quoted fields)
};

//! Parses the records of `path` that start at offsets in [begin, limit); `begin` must be a record start.
//! With `header` (begin 0), the first record is the header (a missing one is an error) and is handed to
//! on_header. Record lines are relative: the first line at `begin` is line 1.
CsvRange read_csv_range(const std::string& path, std::uint64_t begin, std::uint64_t limit, bool header,
                        const std::function<void(const CsvHeader&)>& on_header,
                        const std::function<void(const CsvRecord&)>& on_record);

//! Offset just after the first '\n' at or after `from` (the file size when there is none).
std::uint64_t next_line_start(const std::string& path, std::uint64_t from);

}  // namespace detail
}  // namespace v1
}  // namespace dealstat
