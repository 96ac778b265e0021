// `dealstat sample`: generates the built-in sample account and writes it as a
// CSV directory, so the sample can be read back with --data or edited.
#include <memory>

#include "commands.hpp"
#include "dealstat/io/csv_directory.hpp"
#include "dealstat/io/sample_generator.hpp"
#include "output.hpp"

namespace dealstat::cli {

namespace {

// The values of the sample subcommand's flags.
struct SampleFlags {
  SampleOptions options;  // deals, seed, events
  bool no_events = false;
  std::string out;
};

// Generates the sample, writes it and prints a one-line summary.
void run_sample(const SampleFlags& f) {
  SampleOptions options = f.options;
  options.events = !f.no_events;
  DatasetPtr ds = make_sample(options);
  write_csv_directory(*ds, f.out);
  write_stdout("wrote " + std::to_string(ds->deals().size()) + " deals, " +
               std::to_string(ds->pipelines().size()) + " pipelines, " + std::to_string(ds->stages().size()) +
               " stages, " + std::to_string(ds->users().size()) + " users, " + std::to_string(ds->tasks().size()) +
               " tasks, " + std::to_string(ds->events().size()) + " events (seed " + std::to_string(options.seed) +
               ") to " + f.out + "\n");
}

}  // namespace

void register_sample(CLI::App& app) {
  auto f = std::make_shared<SampleFlags>();
  CLI::App* cmd = app.add_subcommand("sample", "Write the built-in sample account as a CSV directory");
  cmd->add_option("--deals", f->options.deals, "Number of deals")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100000000}))
      ->capture_default_str();
  cmd->add_option("--seed", f->options.seed, "Random seed (same seed, same data)")->capture_default_str();
  cmd->add_flag("--no-events", f->no_events, "Do not generate the event log");
  cmd->add_option("--out", f->out, "Directory to write (created if missing)")->required();
  cmd->callback([f] { run_sample(*f); });
}

}  // namespace dealstat::cli
