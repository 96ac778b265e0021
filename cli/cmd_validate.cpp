// `dealstat validate`: loads a source (leniently unless --strict) and prints
// every problem as "file:row:field: message (value "v")", one per line, then
// a count. Exits 1 when there is any problem.
#include <memory>

#include "commands.hpp"
#include "data_source.hpp"
#include "output.hpp"

namespace dealstat::cli {

namespace {

// Loads, lists the problems, and fails with exit status 1 when there are any.
void run_validate(const SourceOptions& source) {
  BuildResult r = load_source(source, policy_of(source, ValidationPolicy::lenient));
  std::string out;
  for (const Problem& p : r.problems) {
    out += p.to_string();
    out += '\n';
  }
  const std::size_t n = r.problems.size();
  out += std::to_string(n) + (n == 1 ? " problem" : " problems") + " in " + describe_source(source) + " (" +
         std::to_string(r.dataset->deals().size()) + " deals loaded)\n";
  write_stdout(out);
  if (n > 0) throw ExitStatus{kExitBadData};
}

}  // namespace

void register_validate(CLI::App& app) {
  auto source = std::make_shared<SourceOptions>();
  CLI::App* cmd = app.add_subcommand("validate", "Check a data source and list every problem (exit 1 if any)");
  add_source_flags(*cmd, *source, ValidationPolicy::lenient);
  cmd->callback([source] { run_validate(*source); });
}

}  // namespace dealstat::cli
