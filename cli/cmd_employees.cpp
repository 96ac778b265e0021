// `dealstat employees`: the employees report (docs/reports-employees-unsorted.md):
// per user, group and team, ranked by a column, with chosen users compared to
// the team's median. --compare takes user ids or names, comma-separated.
// Common filter flags: the period, pipeline, users/groups, tags, channels and
// as-of (the report does not use the status filter or the date basis).
#include <memory>

#include "commands.hpp"
#include "dealstat/reports/employees.hpp"
#include "filter_flags.hpp"

namespace dealstat::cli {

namespace {

struct EmployeesFlags {
  FilterFlags filter;
  std::string rank_by = "won_budget_minor", attribution = "current";
  std::vector<std::string> compare;
  bool ascending = false;
};

std::vector<ResultTable> employees_tables(const Dataset& ds, const EmployeesFlags& f) {
  EmployeesOptions o;
  o.filter = deal_filter_of(ds, f.filter);
  o.as_of = as_of_instant(ds, f.filter);
  o.rank_by = f.rank_by;
  o.ascending = f.ascending;
  o.attribution = parse_attribution(f.attribution);
  for (const auto& u : f.compare) o.compare.push_back(resolve_user(ds, u, "--compare"));
  return employees(ds, o).to_tables();
}

}  // namespace

void register_employees(CLI::App& app) {
  auto f = std::make_shared<EmployeesFlags>();
  CLI::App& cmd = add_report_command(app, "employees", "Employees report: per user, group and team",
                                     [f](const Dataset& ds) { return employees_tables(ds, *f); });
  add_filter_flags(cmd, f->filter, kAllFilterFlags & ~(kStatusFlag | kDateBasisFlag));
  cmd.add_option("--rank-by", f->rank_by, "Column to rank by (default won_budget_minor)");
  cmd.add_flag("--ascending", f->ascending, "Rank smallest first");
  cmd.add_option("--compare", f->compare, "Users (ids or names) to compare with the team's median")->delimiter(',');
  cmd.add_option("--attribution", f->attribution, "current (default) or at_close");
}

}  // namespace dealstat::cli
