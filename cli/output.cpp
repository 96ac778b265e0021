// The --format flag and writing rendered tables to standard output.
#include "output.hpp"

#include <cstdio>

#include "dealstat/core/error.hpp"

namespace dealstat::cli {

void add_output_flags(CLI::App& cmd, OutputOptions& o) {
  // The library's parser is the one list of formats; CLI11 reports its message under the option's name.
  CLI::Validator format_check(
      [](std::string& value) -> std::string {
        try {
          (void)parse_table_format(value);
          return {};
        } catch (const Error& e) {
          return e.problem().message + " (value \"" + value + "\")";
        }
      },
      "table|csv|json", "format");
  cmd.add_option("--format", o.format, "Output format: table (aligned text), csv or json")
      ->check(format_check)
      ->capture_default_str();
}

void write_tables(const std::vector<ResultTable>& tables, const OutputOptions& o) {
  write_stdout(format_tables(tables, parse_table_format(o.format)));
}

void write_stdout(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0)
    throw Error(ErrorCode::io, Problem{"<stdout>", 0, "", "", "cannot write the output"});
}

void print_error(std::string_view message) {
  std::fprintf(stderr, "dealstat: %.*s\n", static_cast<int>(message.size()), message.data());
}

}  // namespace dealstat::cli
