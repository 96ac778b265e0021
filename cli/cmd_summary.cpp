// `dealstat summary`: the summary report (SPEC section 6): entities created
// and purchases per bucket, deals per stage at the end of the period, time
// in stage shares, tasks per user (include/dealstat/reports/summary.hpp).
// The series place each entity by its own date; the status filter and date
// basis choose the deals of the stage snapshot and of the time in stage.
#include <memory>

#include "commands.hpp"
#include "dealstat/reports/summary.hpp"
#include "filter_flags.hpp"

namespace dealstat::cli {

namespace {

struct SummaryFlags {
  FilterFlags filter;
  std::string bucket = "month";
};

}  // namespace

void register_summary(CLI::App& app) {
  auto f = std::make_shared<SummaryFlags>();
  CLI::App& cmd = add_report_command(app, "summary", "Summary: created per bucket, deals per stage, tasks per user",
                                     [f](const Dataset& ds) {
                                       SummaryOptions o;
                                       o.filter = deal_filter_of(ds, f->filter);
                                       o.as_of = as_of_instant(ds, f->filter);
                                       o.bucket = parse_bucket(f->bucket, "--bucket");
                                       return summary(ds, o).to_tables();
                                     });
  add_filter_flags(cmd, f->filter);
  add_bucket_flag(cmd, f->bucket, {"day", "week", "month", "quarter", "year"});
}

}  // namespace dealstat::cli
