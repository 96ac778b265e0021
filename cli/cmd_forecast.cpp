// `dealstat forecast`: the sales forecast (SPEC section 10): deals won within
// --horizon-days N from the current pipeline and from new deals, deals
// created, won budget, each with 80% and 95% intervals, and the rolling-origin
// backtest (include/dealstat/forecast/forecast.hpp). SPEC: "a forecast is
// shown with its backtest, never alone", so the backtest runs by default
// (--backtest); --no-backtest leaves it out for a quick look.
// --as-of is a local date: the first day the forecast does not know.
// The period and status filters do not apply (the forecast sets time itself)
// and are not offered.
#include <memory>

#include "commands.hpp"
#include "dealstat/forecast/forecast.hpp"
#include "filter_flags.hpp"

namespace dealstat::cli {

namespace {

struct ForecastFlags {
  FilterFlags filter;
  std::int32_t horizon_days = 30;
  std::string bucket = "month";
  bool backtest = true;
};

std::vector<ResultTable> forecast_tables(const Dataset& ds, const ForecastFlags& f) {
  ForecastOptions o;
  o.filter = deal_filter_of(ds, f.filter);
  o.as_of = as_of_date(f.filter);
  o.horizon_days = f.horizon_days;
  o.bucket = parse_bucket(f.bucket, "--bucket");
  o.backtest = f.backtest;
  return forecast(ds, o).to_tables();
}

}  // namespace

void register_forecast(CLI::App& app) {
  auto f = std::make_shared<ForecastFlags>();
  CLI::App& cmd = add_report_command(app, "forecast", "Sales forecast: deals and budget won within N days, with backtest",
                                     [f](const Dataset& ds) { return forecast_tables(ds, *f); });
  add_filter_flags(cmd, f->filter, kPipelineFlag | kOwnerFlags | kTagsFlag | kChannelsFlag);
  cmd.add_option("--as-of", f->filter.as_of,
                 "First day the forecast does not know (YYYY-MM-DD, local); default: the day after the data ends");
  cmd.add_option("--horizon-days", f->horizon_days, "Horizon N in days")
      ->check(CLI::Range(1, 364))
      ->capture_default_str();
  add_bucket_flag(cmd, f->bucket, {"week", "month"}, "Spacing of the backtest origins");
  cmd.add_flag("--backtest,!--no-backtest", f->backtest,
               "Run the rolling-origin backtest (default; --no-backtest leaves it out)");
}

}  // namespace dealstat::cli
