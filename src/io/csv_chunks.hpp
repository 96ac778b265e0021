// Reading large CSV files in chunks on several threads: each file is cut at
// record boundaries, every chunk is parsed into a builder of its own, and
// the chunks are appended to the main builder in file order with their line
// numbers and problems shifted to the file's. A cut that lands inside a
// quoted field is detected (the chunk before it ends elsewhere) and that
// chunk is parsed again from the right place. docs/csv-format.md ("Reading
// in chunks") states the guarantees. Private to the library.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "dealstat/data/dataset_builder.hpp"
#include "io/csv_cells.hpp"
#include "io/csv_scanner.hpp"

namespace dealstat {
inline namespace v1 {
namespace detail {

//! How files are cut into chunks.
struct CsvSplit {
  std::uint64_t chunk_bytes = std::uint64_t{16} << 20;  //!< nominal chunk size
  std::vector<std::uint64_t> cuts;  //!< explicit nominal cut offsets (tests); when set, chunk_bytes is unused
  unsigned threads = 0;             //!< worker threads; 0 = the hardware's, at least 2
};

//! Parses the records of a file that start in [begin, limit) into a builder (the chunk's own), reading
//! their cells with `cells`; returns where it stopped (see read_csv_range). Made by chunk_parser.
using ChunkParse = std::function<CsvRange(const std::string& path, std::uint64_t begin, std::uint64_t limit,
                                          Cells& cells, DatasetBuilder& to)>;

//! A ChunkParse that reads each record with `row(cells, to, line)` (a SkipRecord it throws skips the
//! record). Each chunk gets its own copy of `row`, so a mutable row may keep scratch buffers; the row is
//! inlined into the scan loop (one indirect call per chunk, none per record).
template <class Row>
ChunkParse chunk_parser(Row row) {
  return [row](const std::string& path, std::uint64_t begin, std::uint64_t limit, Cells& cells,
               DatasetBuilder& to) {
    Row mine = row;
    auto on_record = [&](const CsvRecord& r) {
      cells.begin(r);
      try {
        mine(cells, to, r.line);
      } catch (const SkipRecord&) {
      }
    };
    return read_csv_range_with(path, begin, limit, false, {}, on_record);
  };
}

//! One file to read in chunks.
struct ChunkedTable {
  std::filesystem::path path;                                     //!< the file
  std::string name;                                               //!< its name in problems
  std::function<ChunkParse(Cells&)> setup;                        //!< maps the columns once
  void (DatasetBuilder::*append)(DatasetBuilder&&, std::int64_t);  //!< moves a chunk's rows to the main builder
  std::size_t estimate = 0;                                       //!< estimated records (0 = unknown)
  Problems problems;                                              //!< out: the file's problems in file order
};

//! Reads the files into `b`, chunks of all files shared among the threads; each file's problems in its
//! own list. Errors: the first file's (in the order given) first error in file order is thrown.
void read_tables_chunked(std::vector<ChunkedTable*> tables, DatasetBuilder& b, ValidationPolicy policy,
                         const TimeZone& tz, int minor_digits, const CsvSplit& split);

//! read_csv_directory with an explicit split (tests cut the files everywhere).
void read_csv_directory_split(const std::string& dir, DatasetBuilder& b, ValidationPolicy policy, Problems& problems,
                              const CsvSplit& split);
//! load_csv_directory with an explicit split.
BuildResult load_csv_directory_split(const std::string& dir, ValidationPolicy policy, const CsvSplit& split);

}  // namespace detail
}  // namespace v1
}  // namespace dealstat
