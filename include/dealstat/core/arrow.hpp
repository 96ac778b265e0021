// Arrow C Data Interface without the Arrow library: a ResultTable handed out
// as an ArrowArrayStream (one record batch, a struct array of its columns),
// and columns read in from any producer's stream (pyarrow, Polars, DuckDB,
// nanoarrow, pandas 2.2+). The structs below are Arrow's, copied verbatim
// under their guards, so this header and any other copy (dealstat.h, arrow's
// abi.h, nanoarrow) can be included together.
//
// Layout of an exported column: int64 "l", float64 "g", large utf8 "U"
// (int64 offsets); validity as an LSB bitmap, absent when nothing is null;
// float NaN stays a value, not a null. The exported memory is shared with an
// ArrowTable held by reference count, so the stream, its schema and every
// array (and each child moved out of its parent) stay valid until their own
// release callback runs, whatever happens to the producer's objects.
//
//   ArrowArrayStream s;
//   export_arrow_stream(ArrowTable::make(result.to_tables()[0]), &s);
//   // ... hand &s to a consumer, which calls s.release(&s) when done.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dealstat/core/export.hpp"
#include "dealstat/core/table.hpp"

extern "C" {

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
  // Array type description
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;

  // Release callback
  void (*release)(struct ArrowSchema*);
  // Opaque producer-specific data
  void* private_data;
};

struct ArrowArray {
  // Array data description
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;

  // Release callback
  void (*release)(struct ArrowArray*);
  // Opaque producer-specific data
  void* private_data;
};

#endif  // ARROW_C_DATA_INTERFACE

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE

struct ArrowArrayStream {
  // Callback to get the stream type
  // (will be the same for all arrays in the stream).
  //
  // Return value: 0 if successful, an `errno`-compatible error code otherwise.
  //
  // If successful, the ArrowSchema must be released independently from the stream.
  int (*get_schema)(struct ArrowArrayStream*, struct ArrowSchema* out);

  // Callback to get the next array
  // (if no error and the array is released, the stream has ended)
  //
  // Return value: 0 if successful, an `errno`-compatible error code otherwise.
  //
  // If successful, the ArrowArray must be released independently from the stream.
  int (*get_next)(struct ArrowArrayStream*, struct ArrowArray* out);

  // Callback to get optional detailed error information.
  // This must only be called if the last stream operation failed
  // with a non-0 return code.
  //
  // Return value: pointer to a null-terminated character array describing
  // the last error, or NULL if no description is available.
  //
  // The returned pointer is only valid until the next operation on this stream
  // (including release).
  const char* (*get_last_error)(struct ArrowArrayStream*);

  // Release callback: release the stream's own resources.
  // Note that arrays returned by `get_next` must be individually released.
  void (*release)(struct ArrowArrayStream*);

  // Opaque producer-specific data
  void* private_data;
};

#endif  // ARROW_C_STREAM_INTERFACE

}  // extern "C"

namespace dealstat {
inline namespace v1 {

//! One column in Arrow's memory layout; only the vectors of its type are filled.
struct ArrowColumn {
  std::string name;                    //!< column name
  ColumnType type = ColumnType::int64;  //!< int64, float64 or string
  std::int64_t length = 0;             //!< number of rows
  std::int64_t null_count = 0;         //!< number of nulls
  std::vector<std::uint8_t> validity;  //!< LSB bitmap, bit set = valid; empty when null_count == 0
  std::vector<std::int64_t> ints;      //!< int64 values
  std::vector<double> doubles;         //!< float64 values
  std::vector<std::int64_t> offsets;   //!< string offsets into bytes, length + 1 of them
  std::string bytes;                   //!< string bytes, concatenated UTF-8
};

//! A ResultTable laid out for Arrow: the buffers the C ABI's accessors and Arrow exports point into.
struct ArrowTable {
  std::string name;                  //!< table name ("funnel")
  std::int64_t rows = 0;             //!< rows of every column
  std::vector<ArrowColumn> columns;  //!< in display order

  //! Lays a table out (numeric columns are moved, not copied; strings are packed once).
  DEALSTAT_API static std::shared_ptr<const ArrowTable> make(ResultTable table);
};

//! Hands `table` out through `out` as a stream of one record batch; the consumer releases it.
//! The stream, schema and arrays keep `table` alive by reference; `out` is overwritten, not released.
DEALSTAT_API void export_arrow_stream(std::shared_ptr<const ArrowTable> table, ArrowArrayStream* out);

//! Reads every batch of a stream of struct arrays into a ResultTable named `name`; the stream is consumed
//! (released, its release set to null) whether or not this throws. Accepts int32/int64 ("i", "l"),
//! float32/float64 ("f", "g") and utf8/large utf8 ("u", "U") columns, with nulls and offsets; throws
//! Error(invalid_data) naming the column for anything else, Error(io) when the producer fails.
DEALSTAT_API ResultTable import_arrow_stream(ArrowArrayStream* stream, std::string name = "arrow");

}  // namespace v1
}  // namespace dealstat
