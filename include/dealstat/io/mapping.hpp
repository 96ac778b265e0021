// Foreign CSV exports loaded through a mapping file (JSON, docs/mappings.md):
// which file holds deals, which columns mean what, how dates are written,
// the stage order and which stage names mean won and lost -- so an export
// loads without being edited. Two layouts are understood:
//   - "snapshot": one row per deal with its current stage (maven-crm);
//   - "change_log": rows of (deal, time, field, new value) from which stage
//     history, owner, creation and loss are rebuilt (Pipedrive-style, enpal).
// examples/mappings/ holds the mappings of the real exports in shared/data.
#pragma once

#include <string>

#include "dealstat/core/error.hpp"
#include "dealstat/core/export.hpp"
#include "dealstat/data/dataset_builder.hpp"

namespace dealstat {
inline namespace v1 {

//! Loads the export in `dir` as the mapping file at `mapping_path` describes, and builds the dataset.
DEALSTAT_API BuildResult load_mapped_export(const std::string& dir, const std::string& mapping_path,
                                            ValidationPolicy policy = ValidationPolicy::strict);

}  // namespace v1
}  // namespace dealstat
