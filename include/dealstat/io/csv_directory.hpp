// The project's own CSV directory format (docs/csv-format.md): one file per
// entity of SPEC section 1, columns found by header name in any order, extra
// columns ignored. Only pipelines.csv, stages.csv and deals.csv are required;
// account.csv (key,value rows: time_zone, first_day_of_week, currency) is
// optional and read first, since local timestamps are read in its time zone.
#pragma once

#include <string>

#include "dealstat/core/error.hpp"
#include "dealstat/core/export.hpp"
#include "dealstat/data/dataset_builder.hpp"

namespace dealstat {
inline namespace v1 {

//! Reads a CSV directory into a builder (rows keep their file and line); throws Error(io/parse).
//! Cell-level problems (a malformed number) are reported under `policy` like validation problems.
DEALSTAT_API void read_csv_directory(const std::string& dir, DatasetBuilder& builder,
                                     ValidationPolicy policy, Problems& problems);

//! Loads a CSV directory and builds the dataset.
DEALSTAT_API BuildResult load_csv_directory(const std::string& dir,
                                            ValidationPolicy policy = ValidationPolicy::strict);

//! Writes a dataset as a CSV directory (creating it); stage_changes.csv gets every recorded path entry.
DEALSTAT_API void write_csv_directory(const Dataset& dataset, const std::string& dir);

}  // namespace v1
}  // namespace dealstat
