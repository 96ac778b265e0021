// The common filter flags: their definitions (help texts, parse-time checks)
// and their mapping to DealFilter, in one place for every report command.
#include "filter_flags.hpp"

#include "dealstat/core/error.hpp"
#include "dealstat/io/value_parsers.hpp"

namespace dealstat::cli {

void add_filter_flags(CLI::App& cmd, FilterFlags& f, std::uint32_t which) {
  if (which & kPipelineFlag) cmd.add_option("--pipeline", f.pipeline, "Pipeline id or name");
  if (which & kPeriodFlags) {
    cmd.add_option("--from", f.from, "First day of the period (YYYY-MM-DD, local)");
    cmd.add_option("--to", f.to, "First day after the period (YYYY-MM-DD, local)");
  }
  if (which & kDateBasisFlag)
    cmd.add_option("--date-basis", f.date_basis,
                   "Which date places a deal in the period: auto (closed deals by closing, active by creation), "
                   "created or closed")
        ->check(CLI::IsMember({"auto", "created", "closed"}))
        ->capture_default_str();
  if (which & kStatusFlag)
    cmd.add_option("--status", f.status, "Deals by state: all, active, closed, won or lost")
        ->check(CLI::IsMember({"all", "active", "closed", "won", "lost"}))
        ->capture_default_str();
  if (which & kOwnerFlags) {
    cmd.add_option("--users", f.users, "Responsible users, ids or names (comma-separated, any of)")->delimiter(',');
    cmd.add_option("--groups", f.groups, "User groups (comma-separated, any of)")->delimiter(',');
  }
  if (which & kTagsFlag) cmd.add_option("--tags", f.tags, "Tags (comma-separated, any of)")->delimiter(',');
  if (which & kChannelsFlag)
    cmd.add_option("--channels", f.channels, "Source channels (comma-separated, any of)")->delimiter(',');
  if (which & kAsOfFlag)
    cmd.add_option("--as-of", f.as_of,
                   "Time the report is made at (YYYY-MM-DD = that day's first local instant, or a timestamp); "
                   "default: the data's latest instant");
}

Period period_of(const FilterFlags& f) {
  Period p;
  if (!f.from.empty()) p.from = parse_date(f.from, "--from");
  if (!f.to.empty()) p.to = parse_date(f.to, "--to");
  if (p.from && p.to && *p.to <= *p.from)
    throw Error::bad_option("--to", f.to, "must be after --from " + f.from);
  return p;
}

std::int64_t resolve_user(const Dataset& ds, const std::string& id_or_name, const std::string& option) {
  if (auto id = try_parse_int(id_or_name)) return *id;  // an unknown id is named by the report's own check
  const UserTable& users = ds.users();
  for (std::size_t k = 0; k < users.id.size(); ++k)
    if (ds.str(users.name[k]) == id_or_name) return users.id[k];
  throw Error::bad_option(option, id_or_name, "no user with this id or name");
}

DealFilter deal_filter_of(const Dataset& ds, const FilterFlags& f) {
  DealFilter d;
  d.period = period_of(f);
  d.pipeline = f.pipeline;
  for (const auto& u : f.users) d.users.push_back(resolve_user(ds, u, "--users"));
  d.groups = f.groups;
  d.tags = f.tags;
  d.channels = f.channels;
  d.status = parse_status_filter(f.status);
  d.date_basis = parse_date_basis(f.date_basis);
  return d;
}

std::optional<Timestamp> as_of_instant(const Dataset& ds, const FilterFlags& f) {
  if (f.as_of.empty()) return std::nullopt;
  if (auto t = try_parse_timestamp(f.as_of, ds.account().time_zone)) return t;
  throw Error::bad_option("--as-of", f.as_of, "expected YYYY-MM-DD, an ISO 8601 time or Unix seconds");
}

std::optional<LocalDate> as_of_date(const FilterFlags& f) {
  if (f.as_of.empty()) return std::nullopt;
  return parse_date(f.as_of, "--as-of");
}

void add_bucket_flag(CLI::App& cmd, std::string& bucket, const std::vector<std::string>& choices,
                     const std::string& what) {
  std::string help = what + ": ";
  for (std::size_t k = 0; k < choices.size(); ++k) {
    if (k > 0) help += k + 1 == choices.size() ? " or " : ", ";
    help += choices[k];
  }
  cmd.add_option("--bucket", bucket, help)->check(CLI::IsMember(choices))->capture_default_str();
}

}  // namespace dealstat::cli
