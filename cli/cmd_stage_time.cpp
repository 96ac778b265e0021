// `dealstat stage-time`: time in stage (SPEC section 4): per stage, visits,
// total time and its share, mean and median of completed visits, current
// visits censored at --as-of (include/dealstat/reports/stage_time.hpp).
#include <memory>

#include "commands.hpp"
#include "dealstat/reports/stage_time.hpp"
#include "filter_flags.hpp"

namespace dealstat::cli {

void register_stage_time(CLI::App& app) {
  auto f = std::make_shared<FilterFlags>();
  CLI::App& cmd = add_report_command(app, "stage-time", "Time in stage: visits, total time and share per stage",
                                     [f](const Dataset& ds) {
                                       StageTimeOptions o;
                                       o.filter = deal_filter_of(ds, *f);
                                       o.as_of = as_of_instant(ds, *f);
                                       return stage_time(ds, o).to_tables();
                                     });
  add_filter_flags(cmd, *f);
}

}  // namespace dealstat::cli
