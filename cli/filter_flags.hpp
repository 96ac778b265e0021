// The common report filter as command-line flags (SPEC section 2), defined
// once and shared by every report subcommand:
//   --pipeline ID|NAME   --from DATE --to DATE   --date-basis auto|created|closed
//   --status all|active|closed|won|lost   --users ID|NAME,...   --groups G,...
//   --tags T,...   --channels C,...   --as-of DATE|TIMESTAMP
// A command adds only the flags its report honours (FilterFlagSet), so a
// flag is never accepted and then silently ignored. Enumerations are checked
// while parsing (exit 2 naming the flag); names are resolved against the
// loaded dataset (Error::bad_option naming the flag).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "dealstat/core/types.hpp"
#include "dealstat/data/dataset.hpp"
#include "dealstat/reports/filter.hpp"
#include "dealstat/time/calendar.hpp"
#include "dealstat/time/period.hpp"

namespace dealstat::cli {

//! Which of the common filter flags a command takes (bits, combined with |).
enum FilterFlagSet : std::uint32_t {
  kPeriodFlags = 1u << 0,     //!< --from, --to
  kPipelineFlag = 1u << 1,    //!< --pipeline
  kStatusFlag = 1u << 2,      //!< --status
  kDateBasisFlag = 1u << 3,   //!< --date-basis
  kOwnerFlags = 1u << 4,      //!< --users, --groups
  kTagsFlag = 1u << 5,        //!< --tags
  kChannelsFlag = 1u << 6,    //!< --channels
  kAsOfFlag = 1u << 7,        //!< --as-of
  kAllFilterFlags = 0xffu,    //!< every one of them
};

//! The values of the common filter flags, as typed.
struct FilterFlags {
  std::string from;                   //!< --from: first day of the period (YYYY-MM-DD, local)
  std::string to;                     //!< --to: first day after the period
  std::string pipeline;               //!< --pipeline: id or name
  std::string status = "all";         //!< --status
  std::string date_basis = "auto";    //!< --date-basis
  std::vector<std::string> users;     //!< --users: ids or names
  std::vector<std::string> groups;    //!< --groups
  std::vector<std::string> tags;      //!< --tags
  std::vector<std::string> channels;  //!< --channels
  std::string as_of;                  //!< --as-of: local date or timestamp; empty = the report's default
};

//! Adds the chosen filter flags to a subcommand, storing into `f` (which must outlive parsing).
void add_filter_flags(CLI::App& cmd, FilterFlags& f, std::uint32_t which = kAllFilterFlags);

//! The period of --from/--to; throws Error(invalid_option) naming --from or --to.
Period period_of(const FilterFlags& f);

//! The DealFilter the flags describe, with user names resolved against the dataset; throws Error(invalid_option)
//! naming the flag. Pipeline and group names are resolved (and checked) by the report itself.
DealFilter deal_filter_of(const Dataset& ds, const FilterFlags& f);

//! --as-of as an instant: a bare date is the first instant of that local day, a timestamp (Unix seconds or ISO
//! 8601, local when it has no offset) is taken as is; nullopt when the flag was not given.
std::optional<Timestamp> as_of_instant(const Dataset& ds, const FilterFlags& f);

//! --as-of as a local date (the forecast's first unknown day); nullopt when not given.
std::optional<LocalDate> as_of_date(const FilterFlags& f);

//! A user's CRM id from its id or its name; throws Error(invalid_option) naming `option`.
std::int64_t resolve_user(const Dataset& ds, const std::string& id_or_name, const std::string& option);

//! Adds --bucket with the given choices (checked while parsing), storing into `bucket`; `what` starts the help.
void add_bucket_flag(CLI::App& cmd, std::string& bucket, const std::vector<std::string>& choices,
                     const std::string& what = "Bucket size");

}  // namespace dealstat::cli
