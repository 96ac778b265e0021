// `dealstat unsorted`: the unsorted report (docs/reports-employees-unsorted.md):
// incoming items per channel and overall at the as-of instant.
#include <memory>

#include "commands.hpp"
#include "dealstat/reports/unsorted_report.hpp"
#include "dealstat/time/calendar.hpp"

namespace dealstat::cli {

namespace {

struct UnsortedFlags {
  std::string from, to, pipeline;
  std::vector<std::string> channels;
};

std::vector<ResultTable> unsorted_tables(const Dataset& ds, const UnsortedFlags& f) {
  UnsortedOptions o;
  if (!f.from.empty()) o.filter.period.from = parse_date(f.from, "from");
  if (!f.to.empty()) o.filter.period.to = parse_date(f.to, "to");
  o.filter.pipeline = f.pipeline;
  o.filter.channels = f.channels;
  return unsorted_report(ds, o).to_tables();
}

}  // namespace

void register_unsorted(CLI::App& app) {
  auto f = std::make_shared<UnsortedFlags>();
  CLI::App& cmd = add_report_command(app, "unsorted", "Unsorted (incoming) items per channel",
                                     [f](const Dataset& ds) { return unsorted_tables(ds, *f); });
  cmd.add_option("--from", f->from, "First day of the period (YYYY-MM-DD, local; by the item's created_at)");
  cmd.add_option("--to", f->to, "First day after the period (YYYY-MM-DD, local)");
  cmd.add_option("--pipeline", f->pipeline, "Pipeline id or name");
  cmd.add_option("--channels", f->channels, "Source channels (comma-separated)")->delimiter(',');
}

}  // namespace dealstat::cli
