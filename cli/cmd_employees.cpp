// `dealstat employees`: the employees report (docs/reports-employees-unsorted.md):
// per user, group and team, ranked by a column, with chosen users compared to
// the team's median. --compare takes user ids or names, comma-separated.
#include <charconv>
#include <memory>

#include "commands.hpp"
#include "dealstat/core/error.hpp"
#include "dealstat/reports/employees.hpp"
#include "dealstat/time/calendar.hpp"

namespace dealstat::cli {

namespace {

struct EmployeesFlags {
  std::string from, to, pipeline, rank_by = "won_budget_minor", attribution = "current";
  std::vector<std::string> compare;
  bool ascending = false;
};

std::vector<ResultTable> employees_tables(const Dataset& ds, const EmployeesFlags& f) {
  EmployeesOptions o;
  if (!f.from.empty()) o.filter.period.from = parse_date(f.from, "from");
  if (!f.to.empty()) o.filter.period.to = parse_date(f.to, "to");
  o.filter.pipeline = f.pipeline;
  o.rank_by = f.rank_by;
  o.ascending = f.ascending;
  o.attribution = parse_attribution(f.attribution);
  for (const auto& u : f.compare) {
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(u.data(), u.data() + u.size(), id);
    if (ec == std::errc() && p == u.data() + u.size()) {
      o.compare.push_back(id);
      continue;
    }
    bool found = false;
    for (std::size_t k = 0; k < ds.users().size() && !found; ++k)
      if (ds.str(ds.users().name[k]) == u) {
        o.compare.push_back(ds.users().id[k]);
        found = true;
      }
    if (!found) throw Error::bad_option("compare", u, "no user with this id or name");
  }
  return employees(ds, o).to_tables();
}

}  // namespace

void register_employees(CLI::App& app) {
  auto f = std::make_shared<EmployeesFlags>();
  CLI::App& cmd = add_report_command(app, "employees", "Employees report: per user, group and team",
                                     [f](const Dataset& ds) { return employees_tables(ds, *f); });
  cmd.add_option("--from", f->from, "First day of the period (YYYY-MM-DD, local)");
  cmd.add_option("--to", f->to, "First day after the period (YYYY-MM-DD, local)");
  cmd.add_option("--pipeline", f->pipeline, "Pipeline id or name");
  cmd.add_option("--rank-by", f->rank_by, "Column to rank by (default won_budget_minor)");
  cmd.add_flag("--ascending", f->ascending, "Rank smallest first");
  cmd.add_option("--compare", f->compare, "Users (ids or names) to compare with the team's median")->delimiter(',');
  cmd.add_option("--attribution", f->attribution, "current (default) or at_close");
}

}  // namespace dealstat::cli
