// The dealstat command: sets up the CLI11 application, registers every
// subcommand (commands.hpp) and maps failures to exit statuses:
//   0 success; 1 bad data or unreadable input (dealstat::Error other than
//   invalid_option, validate finding problems); 2 bad options (CLI11 parse
//   errors, dealstat::Error with ErrorCode::invalid_option).
// Every failure prints one line on stderr, "dealstat: <reason>", naming the
// file/row/field or the option.
#include <cstdio>
#include <exception>
#include <string>

#include "commands.hpp"
#include "dealstat/core/error.hpp"
#include "dealstat/core/version.hpp"
#include "output.hpp"

namespace dealstat::cli {

namespace {

// Builds the application with all subcommands.
void setup(CLI::App& app) {
  app.set_version_flag("--version", std::string("dealstat ") + version_string());
  app.require_subcommand(1);
  app.fallthrough(false);
  for (auto* register_command : kCommands) register_command(app);
}

// Parses and runs; returns the exit status.
int run(int argc, char** argv) {
  CLI::App app("dealstat: sales analytics of a CRM account (funnel, time in stage, movement, forecast)",
               "dealstat");
  try {
    setup(app);
    app.parse(argc, argv);
    return 0;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    print_error(std::string(e.what()) + " (see --help)");
    return kExitBadOption;
  } catch (const ExitStatus& e) {
    return e.code;
  } catch (const Error& e) {
    print_error(e.what());
    return e.code() == ErrorCode::invalid_option ? kExitBadOption : kExitBadData;
  } catch (const std::exception& e) {
    print_error(std::string("internal error: ") + e.what());
    return kExitBadData;
  }
}

}  // namespace

}  // namespace dealstat::cli

// Entry point.
int main(int argc, char** argv) { return dealstat::cli::run(argc, argv); }
