// Python keywords -> a report's C++ options (report_options.hpp): one table
// per report of the keywords it takes, each with the setter of its field, and
// one reader that applies the tables' setters for the keywords given (not
// None) and refuses a keyword no table row names.
#include "report_options.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dealstat/time/calendar.hpp"
#include "reports.hpp"

namespace dealstat_py {

namespace {

// One keyword a report takes: its name and what sets its field from a value that is given and not None.
template <class Options>
struct Keyword {
  const char* name;
  std::function<void(Options&, py::handle)> set;
};

template <class Options>
using Keywords = std::vector<Keyword<Options>>;

// A keyword whose value is cast to its member's own type.
template <class Options, class T>
Keyword<Options> cast_to(const char* name, T Options::*member) {
  return {name, [member](Options& o, py::handle v) { o.*member = v.cast<T>(); }};
}

// A keyword whose value sets its member to convert(value).
template <class Options, class T, class Convert>
Keyword<Options> converted(const char* name, T Options::*member, Convert convert) {
  return {name, [member, convert](Options& o, py::handle v) { o.*member = convert(v); }};
}

// A name keyword converted by one of the library's parse_* functions.
template <class Parse>
auto parsed(Parse parse) {
  return [parse](py::handle v) { return parse(v.cast<std::string>()); };
}

// The as_of keyword (Unix seconds) of the reports that take an instant.
template <class Options>
Keyword<Options> as_of() {
  return converted("as_of", &Options::as_of, [](py::handle v) {
    return std::optional<dealstat::Timestamp>(dealstat::Timestamp{v.cast<std::int64_t>()});
  });
}

// The bucket keyword ("day", "week", ...) of the reports that bucket by calendar period.
template <class Options>
Keyword<Options> bucket() {
  return converted("bucket", &Options::bucket, parsed([](const std::string& s) { return dealstat::parse_bucket(s); }));
}

// The options of `report`: the filter first, then each table row's keyword that is given and not None, in table
// order (so the first bad value in that order is the error); then a TypeError naming the first keyword, in the
// call's order, that no row names.
template <class Options>
Options read_options(const char* report, const py::dict& filter, const py::dict& kw, const Keywords<Options>& table) {
  Options o;
  o.filter = filter_from(filter);
  for (const auto& k : table)
    if (kw.contains(k.name) && !kw[k.name].is_none()) k.set(o, kw[k.name]);
  for (const auto& item : kw) {
    const auto key = item.first.cast<std::string>();
    const bool known =
        std::any_of(table.begin(), table.end(), [&key](const Keyword<Options>& k) { return key == k.name; });
    if (!known) throw py::type_error(std::string(report) + "() got an unexpected keyword argument '" + key + "'");
  }
  return o;
}

const Keywords<dealstat::FunnelOptions>& funnel_keywords() {
  using O = dealstat::FunnelOptions;
  static const Keywords<O> table = {
      as_of<O>(),
      converted("skip", &O::skip, parsed([](const std::string& s) { return dealstat::parse_skip_policy(s); })),
      converted("value", &O::value, parsed([](const std::string& s) { return dealstat::parse_value_mode(s); })),
      cast_to("confidence", &O::confidence),
      cast_to("threads", &O::threads),
  };
  return table;
}

const Keywords<dealstat::StageTimeOptions>& stage_time_keywords() {
  using O = dealstat::StageTimeOptions;
  static const Keywords<O> table = {as_of<O>(), cast_to("threads", &O::threads)};
  return table;
}

const Keywords<dealstat::MovementOptions>& movement_keywords() {
  using O = dealstat::MovementOptions;
  static const Keywords<O> table = {bucket<O>(), as_of<O>(), cast_to("threads", &O::threads)};
  return table;
}

const Keywords<dealstat::EmployeesOptions>& employees_keywords() {
  using O = dealstat::EmployeesOptions;
  static const Keywords<O> table = {
      as_of<O>(),
      converted("attribution", &O::attribution,
                parsed([](const std::string& s) { return dealstat::parse_attribution(s); })),
      cast_to("rank_by", &O::rank_by),
      cast_to("ascending", &O::ascending),
      cast_to("compare", &O::compare),
      cast_to("confidence", &O::confidence),
      cast_to("threads", &O::threads),
  };
  return table;
}

const Keywords<dealstat::UnsortedOptions>& unsorted_keywords() {
  using O = dealstat::UnsortedOptions;
  static const Keywords<O> table = {as_of<O>(), cast_to("confidence", &O::confidence), cast_to("threads", &O::threads)};
  return table;
}

const Keywords<dealstat::SummaryOptions>& summary_keywords() {
  using O = dealstat::SummaryOptions;
  static const Keywords<O> table = {bucket<O>(), as_of<O>(), cast_to("threads", &O::threads)};
  return table;
}

// The keywords of Dataset.forecast (dataset.py): as_of as a local day number, holidays as day numbers.
const Keywords<dealstat::ForecastOptions>& forecast_keywords() {
  using O = dealstat::ForecastOptions;
  static const Keywords<O> table = {
      converted("as_of_day", &O::as_of,
                [](py::handle v) {
                  return std::optional<dealstat::LocalDate>(dealstat::LocalDate{v.cast<std::int32_t>()});
                }),
      cast_to("horizon_days", &O::horizon_days),
      bucket<O>(),
      cast_to("backtest", &O::backtest),
      cast_to("warmup_days", &O::warmup_days),
      cast_to("prior_strength", &O::prior_strength),
      {"window_days", [](O& o, py::handle v) { o.inflow.window_days = v.cast<std::int32_t>(); }},
      {"holidays",
       [](O& o, py::handle v) {
         std::vector<dealstat::LocalDate> days;
         for (auto d : v.cast<std::vector<std::int32_t>>()) days.push_back(dealstat::LocalDate{d});
         o.inflow.holidays = std::move(days);
       }},
      cast_to("threads", &O::threads),
  };
  return table;
}

}  // namespace

dealstat::ReportOptions report_options(dealstat::ReportKind kind, const py::dict& filter, const py::dict& kw) {
  const char* report = dealstat::report_kind_name(kind);
  switch (kind) {
    case dealstat::ReportKind::funnel: return read_options(report, filter, kw, funnel_keywords());
    case dealstat::ReportKind::stage_time: return read_options(report, filter, kw, stage_time_keywords());
    case dealstat::ReportKind::movement: return read_options(report, filter, kw, movement_keywords());
    case dealstat::ReportKind::employees: return read_options(report, filter, kw, employees_keywords());
    case dealstat::ReportKind::unsorted: return read_options(report, filter, kw, unsorted_keywords());
    case dealstat::ReportKind::summary: return read_options(report, filter, kw, summary_keywords());
    case dealstat::ReportKind::forecast: return read_options(report, filter, kw, forecast_keywords());
  }
  throw dealstat::Error::bad_option("report", std::to_string(static_cast<int>(kind)), "unknown report");
}

}  // namespace dealstat_py
