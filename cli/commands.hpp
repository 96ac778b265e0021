// The subcommands of the dealstat command. Each lives in its own
// cmd_<name>.cpp and adds itself to the application with register_<name>();
// main.cpp calls every register function listed in kCommands below.
//
// Adding a report subcommand is one new file:
//
//   // cmd_stage_time.cpp
//   void register_stage_time(CLI::App& app) {
//     auto f = std::make_shared<FilterFlags>();
//     CLI::App& cmd = add_report_command(app, "stage-time", "Time in stage",
//         [f](const Dataset& ds) {
//           StageTimeOptions o;
//           o.filter = deal_filter_of(ds, *f);   // filter_flags.hpp: the common filter flags
//           o.as_of = as_of_instant(ds, *f);
//           return stage_time(ds, o).to_tables();
//         });
//     add_filter_flags(cmd, *f);  // or only the flags the report honours
//   }
//
// plus its declaration and one entry in kCommands here.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "dealstat/core/table.hpp"
#include "dealstat/data/dataset.hpp"

namespace dealstat::cli {

//! Thrown by a command to end the program with this exit status after its output (e.g. validate found problems).
struct ExitStatus {
  int code = 0;  //!< the process exit status
};

//! Exit status for bad data, unreadable files and failed loads.
inline constexpr int kExitBadData = 1;
//! Exit status for bad options (unknown option, bad value, conflicting flags).
inline constexpr int kExitBadOption = 2;

//! Computes a report's tables from a loaded dataset.
using ReportFn = std::function<std::vector<ResultTable>(const Dataset&)>;

//! Adds a subcommand that takes the common source flags and --format, loads the data (strict by default),
//! runs `run` and prints its tables. Returns the subcommand so the caller can add its own options.
//! A bad option the report names in library spelling ("date_basis") is reported as the flag ("--date-basis").
CLI::App& add_report_command(CLI::App& app, const std::string& name, const std::string& description, ReportFn run);

//! `dealstat sample`: writes the built-in sample account as a CSV directory.
void register_sample(CLI::App& app);
//! `dealstat validate`: loads leniently and lists every problem.
void register_validate(CLI::App& app);
//! `dealstat info`: entity counts, deal time span, pipelines and stages.
void register_info(CLI::App& app);
//! `dealstat funnel`: the sales funnel of one pipeline.
void register_funnel(CLI::App& app);
//! `dealstat stage-time`: time in stage.
void register_stage_time(CLI::App& app);
//! `dealstat movement`: sales analysis, how deals moved per bucket.
void register_movement(CLI::App& app);
//! `dealstat summary`: the summary report (series, stage snapshot, tasks per user).
void register_summary(CLI::App& app);
//! `dealstat employees`: the employees report (ranking, comparison, attribution).
void register_employees(CLI::App& app);
//! `dealstat events`: one page of the events list.
void register_events(CLI::App& app);
//! `dealstat unsorted`: the unsorted report per channel.
void register_unsorted(CLI::App& app);
//! `dealstat forecast`: the sales forecast with its backtest.
void register_forecast(CLI::App& app);

//! Every subcommand's register function, in the order `--help` lists them.
inline constexpr void (*kCommands[])(CLI::App&) = {
    register_sample,
    register_validate,
    register_info,
    register_funnel,
    register_stage_time,
    register_movement,
    register_summary,
    register_employees,
    register_events,
    register_unsorted,
    register_forecast,
};

}  // namespace dealstat::cli
