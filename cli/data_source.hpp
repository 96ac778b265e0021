// Where a command's data comes from: the source flags every data-reading
// subcommand shares, and the one function that turns them into a Dataset.
//   --data DIR              the CSV directory format (docs/csv-format.md)
//   --data DIR --mapping F  a foreign CSV export described by a mapping file
//   --amocrm DIR            an amoCRM (Kommo) API v4 JSON export
//   (none of them)          the built-in sample (--sample-deals N --seed S)
//   --strict / --lenient    stop at the first problem / leave bad records out
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "dealstat/core/error.hpp"
#include "dealstat/data/dataset_builder.hpp"

namespace dealstat::cli {

//! The values of the source flags.
struct SourceOptions {
  std::string data_dir;               //!< --data: CSV directory or foreign export
  std::string mapping;                //!< --mapping: mapping file for a foreign export in --data
  std::string amocrm_dir;             //!< --amocrm: amoCRM API v4 export directory
  bool strict = false;                //!< --strict given
  bool lenient = false;               //!< --lenient given
  std::int64_t sample_deals = 20000;  //!< --sample-deals: size of the built-in sample
  std::uint64_t seed = 42;            //!< --seed: seed of the built-in sample
};

//! Adds the source flags to a subcommand, storing into `o` (which must outlive parsing); `default_policy` is the
//! one the command uses without --strict/--lenient (named in the help).
void add_source_flags(CLI::App& cmd, SourceOptions& o, ValidationPolicy default_policy);

//! The policy the flags ask for, or `fallback` when neither --strict nor --lenient was given.
ValidationPolicy policy_of(const SourceOptions& o, ValidationPolicy fallback);

//! A short description of the source for summaries ("CSV directory data/", "built-in sample (20000 deals, seed 42)").
std::string describe_source(const SourceOptions& o);

//! Loads the dataset the flags name under the given policy; throws dealstat::Error.
BuildResult load_source(const SourceOptions& o, ValidationPolicy policy);

//! The amoCRM import hook: loads an amoCRM API v4 export (throws "not available" until the importer lands).
BuildResult load_amocrm(const std::string& dir, ValidationPolicy policy);

}  // namespace dealstat::cli
