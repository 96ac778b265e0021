// The shared source flags and loading a Dataset from whichever source they
// name: a CSV directory, a mapped foreign export, an amoCRM export, or
// the built-in sample.
#include "data_source.hpp"

#include "dealstat/io/amocrm.hpp"
#include "dealstat/io/csv_directory.hpp"
#include "dealstat/io/mapping.hpp"
#include "dealstat/io/sample_generator.hpp"

namespace dealstat::cli {

void add_source_flags(CLI::App& cmd, SourceOptions& o, ValidationPolicy default_policy) {
  const bool strict_default = default_policy == ValidationPolicy::strict;
  auto* data = cmd.add_option("--data", o.data_dir,
                              "Read a CSV directory (docs/csv-format.md), or with --mapping a foreign export");
  auto* mapping = cmd.add_option("--mapping", o.mapping, "Mapping file (JSON) describing the export in --data")
                      ->needs(data);
  auto* amocrm = cmd.add_option("--amocrm", o.amocrm_dir, "Read an amoCRM (Kommo) API v4 JSON export directory")
                     ->excludes(data)
                     ->excludes(mapping);
  auto* strict = cmd.add_flag("--strict", o.strict,
                              std::string("Stop at the first bad record") + (strict_default ? " (default)" : ""));
  cmd.add_flag("--lenient", o.lenient,
               std::string("Leave bad records out and go on") + (strict_default ? "" : " (default)"))
      ->excludes(strict);
  cmd.add_option("--sample-deals", o.sample_deals, "Deals in the built-in sample (no --data/--amocrm)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100000000}))
      ->capture_default_str()
      ->excludes(data)
      ->excludes(amocrm);
  cmd.add_option("--seed", o.seed, "Seed of the built-in sample")
      ->capture_default_str()
      ->excludes(data)
      ->excludes(amocrm);
}

ValidationPolicy policy_of(const SourceOptions& o, ValidationPolicy fallback) {
  if (o.strict) return ValidationPolicy::strict;
  if (o.lenient) return ValidationPolicy::lenient;
  return fallback;
}

std::string describe_source(const SourceOptions& o) {
  if (!o.amocrm_dir.empty()) return "amoCRM export " + o.amocrm_dir;
  if (!o.mapping.empty()) return "export " + o.data_dir + " (mapping " + o.mapping + ")";
  if (!o.data_dir.empty()) return "CSV directory " + o.data_dir;
  return "built-in sample (" + std::to_string(o.sample_deals) + " deals, seed " + std::to_string(o.seed) + ")";
}

BuildResult load_amocrm(const std::string& dir, ValidationPolicy policy) { return import_amocrm(dir, policy); }

BuildResult load_source(const SourceOptions& o, ValidationPolicy policy) {
  if (!o.amocrm_dir.empty()) return load_amocrm(o.amocrm_dir, policy);
  if (!o.mapping.empty()) return load_mapped_export(o.data_dir, o.mapping, policy);
  if (!o.data_dir.empty()) return load_csv_directory(o.data_dir, policy);
  // The built-in sample goes through the same builder and policy as files do, so validate lists all its problems.
  SampleOptions sample;
  sample.deals = o.sample_deals;
  sample.seed = o.seed;
  DatasetBuilder builder;
  generate_sample(sample, builder);
  return std::move(builder).build(policy);
}

}  // namespace dealstat::cli
