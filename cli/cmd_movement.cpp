// `dealstat movement`: sales analysis (SPEC section 5): per bucket,
// transitions between stages, entries per stage, deals created, won and
// lost (include/dealstat/reports/movement.hpp). Each event is placed by its
// own date, so --status and --date-basis do not apply and are not offered.
#include <memory>

#include "commands.hpp"
#include "dealstat/reports/movement.hpp"
#include "filter_flags.hpp"

namespace dealstat::cli {

namespace {

struct MovementFlags {
  FilterFlags filter;
  std::string bucket = "week";
};

}  // namespace

void register_movement(CLI::App& app) {
  auto f = std::make_shared<MovementFlags>();
  CLI::App& cmd = add_report_command(app, "movement", "Sales analysis: how deals moved through the funnel per bucket",
                                     [f](const Dataset& ds) {
                                       MovementOptions o;
                                       o.filter = deal_filter_of(ds, f->filter);
                                       o.as_of = as_of_instant(ds, f->filter);
                                       o.bucket = parse_bucket(f->bucket, "--bucket");
                                       return movement(ds, o).to_tables();
                                     });
  add_filter_flags(cmd, f->filter, kAllFilterFlags & ~(kStatusFlag | kDateBasisFlag));
  add_bucket_flag(cmd, f->bucket, {"day", "week", "month", "quarter", "year"});
}

}  // namespace dealstat::cli
