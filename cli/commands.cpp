// The shared shape of report subcommands: source flags, --format, load the
// data, compute tables, print them.
#include "commands.hpp"

#include <memory>

#include "data_source.hpp"
#include "dealstat/core/error.hpp"
#include "output.hpp"

namespace dealstat::cli {

namespace {

// The flags every report subcommand has.
struct ReportFlags {
  SourceOptions source;
  OutputOptions output;
  std::vector<std::string> tables;  // --tables: print only these (empty = all)
};

// The tables named by --tables, in the report's order; throws Error(invalid_option) naming --tables.
std::vector<ResultTable> chosen_tables(std::vector<ResultTable> all, const std::vector<std::string>& names) {
  if (names.empty()) return all;
  std::string known;
  for (const auto& t : all) known += (known.empty() ? "" : ", ") + t.name;
  for (const auto& n : names) {
    bool found = false;
    for (const auto& t : all) found = found || t.name == n;
    if (!found) throw Error::bad_option("--tables", n, "no such table; this report has " + known);
  }
  std::vector<ResultTable> out;
  for (auto& t : all)
    for (const auto& n : names)
      if (t.name == n) {
        out.push_back(std::move(t));
        break;
      }
  return out;
}

// A report's bad-option error named in flag spelling: "date_basis" becomes "--date-basis" (other errors as is).
Error as_flag_error(const Error& e) {
  const Problem& p = e.problem();
  if (e.code() != ErrorCode::invalid_option || p.field.empty() || p.field.front() == '-') return e;
  std::string flag = "--" + p.field;
  for (char& c : flag)
    if (c == '_') c = '-';
  return Error::bad_option(flag, p.value, p.message);
}

// Loads the data, warns about records a lenient load left out, runs the report and prints its tables.
void run_report(const ReportFlags& f, const ReportFn& run) {
  BuildResult r = load_source(f.source, policy_of(f.source, ValidationPolicy::strict));
  if (!r.problems.empty())
    print_error("warning: " + std::to_string(r.problems.size()) +
                " bad records left out (first: " + r.problems.front().to_string() +
                "); `dealstat validate` lists them all");
  std::vector<ResultTable> tables;
  try {
    tables = run(*r.dataset);
  } catch (const Error& e) {
    throw as_flag_error(e);
  }
  write_tables(chosen_tables(std::move(tables), f.tables), f.output);
}

}  // namespace

CLI::App& add_report_command(CLI::App& app, const std::string& name, const std::string& description, ReportFn run) {
  auto flags = std::make_shared<ReportFlags>();
  CLI::App* cmd = app.add_subcommand(name, description);
  add_source_flags(*cmd, flags->source, ValidationPolicy::strict);
  add_output_flags(*cmd, flags->output);
  cmd->add_option("--tables", flags->tables, "Print only these of the report's tables (comma-separated)")
      ->delimiter(',');
  cmd->callback([flags, run = std::move(run)] { run_report(*flags, run); });
  return *cmd;
}

}  // namespace dealstat::cli
