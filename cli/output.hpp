// How a command's tables reach the user: the --format flag and writing the
// rendered tables (dealstat::format_tables) to standard output.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "dealstat/core/table.hpp"

namespace dealstat::cli {

//! The values of the output flags.
struct OutputOptions {
  std::string format = "table";  //!< --format: table | csv | json
};

//! Adds --format to a subcommand (checked while parsing, so a bad value exits 2 naming the option).
void add_output_flags(CLI::App& cmd, OutputOptions& o);

//! Renders the tables in the chosen format and writes them to stdout.
void write_tables(const std::vector<ResultTable>& tables, const OutputOptions& o);

//! Writes text to stdout as is; throws dealstat::Error(io) when stdout cannot be written.
void write_stdout(std::string_view text);

//! Writes one line to stderr, prefixed with "dealstat: ".
void print_error(std::string_view message);

}  // namespace dealstat::cli
