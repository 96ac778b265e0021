// `dealstat unsorted`: the unsorted report (docs/reports-employees-unsorted.md):
// incoming items per channel and overall at the as-of instant. Of the common
// filter flags the report uses the period (by the item's created_at), the
// pipeline, the channels and as-of.
#include <memory>

#include "commands.hpp"
#include "dealstat/reports/unsorted_report.hpp"
#include "filter_flags.hpp"

namespace dealstat::cli {

void register_unsorted(CLI::App& app) {
  auto f = std::make_shared<FilterFlags>();
  CLI::App& cmd = add_report_command(app, "unsorted", "Unsorted (incoming) items per channel",
                                     [f](const Dataset& ds) {
                                       UnsortedOptions o;
                                       o.filter = deal_filter_of(ds, *f);
                                       o.as_of = as_of_instant(ds, *f);
                                       return unsorted_report(ds, o).to_tables();
                                     });
  add_filter_flags(cmd, *f, kPeriodFlags | kPipelineFlag | kChannelsFlag | kAsOfFlag);
}

}  // namespace dealstat::cli
