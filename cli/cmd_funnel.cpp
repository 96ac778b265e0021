// `dealstat funnel`: the sales funnel of one pipeline (SPEC section 3): per
// stage, deals reached under a skip policy, conversions with Wilson
// intervals, budgets, the drop-off, and time to close (include/dealstat/
// reports/funnel.hpp). Takes every common filter flag plus --skip and --value.
#include <memory>

#include "commands.hpp"
#include "dealstat/reports/funnel.hpp"
#include "filter_flags.hpp"

namespace dealstat::cli {

namespace {

struct FunnelFlags {
  FilterFlags filter;
  std::string skip = "implied", value = "count";
};

std::vector<ResultTable> funnel_tables(const Dataset& ds, const FunnelFlags& f) {
  FunnelOptions o;
  o.filter = deal_filter_of(ds, f.filter);
  o.as_of = as_of_instant(ds, f.filter);
  o.skip = parse_skip_policy(f.skip);
  o.value = parse_value_mode(f.value);
  return funnel(ds, o).to_tables();
}

}  // namespace

void register_funnel(CLI::App& app) {
  auto f = std::make_shared<FunnelFlags>();
  CLI::App& cmd = add_report_command(app, "funnel", "Sales funnel of one pipeline (default: the first)",
                                     [f](const Dataset& ds) { return funnel_tables(ds, *f); });
  add_filter_flags(cmd, f->filter);
  cmd.add_option("--skip", f->skip,
                 "What reaching a stage means: implied (later stages imply earlier ones), observed (entered) or "
                 "strict (every earlier stage entered in order)")
      ->check(CLI::IsMember({"implied", "observed", "strict"}))
      ->capture_default_str();
  cmd.add_option("--value", f->value, "Conversions by deal count or by budget")
      ->check(CLI::IsMember({"count", "budget"}))
      ->capture_default_str();
}

}  // namespace dealstat::cli
