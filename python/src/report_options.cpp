// Python keywords -> a report's C++ options (report_options.hpp): one
// function per report, each setting only the fields whose keyword was given.
#include "report_options.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dealstat/time/calendar.hpp"
#include "reports.hpp"

namespace dealstat_py {

namespace {

// The keywords of one call: take() marks a keyword used; done() refuses any left over.
class Keywords {
 public:
  Keywords(const char* report, const py::dict& kw) : report_(report), kw_(kw) {}

  // Sets `field` from the keyword `key` when it is given and not None.
  template <class T>
  void take(const char* key, T& field) {
    used_.insert(key);
    if (kw_.contains(key) && !kw_[key].is_none()) field = kw_[key].cast<T>();
  }

  // Sets `field` to convert(value) when the keyword `key` is given and not None.
  template <class T, class Convert>
  void take(const char* key, Convert convert, T& field) {
    used_.insert(key);
    if (kw_.contains(key) && !kw_[key].is_none()) field = convert(kw_[key]);
  }

  // Throws TypeError naming the first keyword no take() asked for.
  void done() const {
    for (const auto& item : kw_) {
      const auto key = item.first.cast<std::string>();
      if (!used_.count(key)) throw py::type_error(std::string(report_) + "() got an unexpected keyword argument '" + key + "'");
    }
  }

 private:
  const char* report_;
  const py::dict& kw_;
  std::set<std::string> used_;
};

// A name keyword converted by one of the library's parse_* functions.
template <class Parse>
auto parsed(Parse parse) {
  return [parse](py::handle v) { return parse(v.cast<std::string>()); };
}

// The as_of keyword (Unix seconds) of the reports that take an instant.
void take_as_of(Keywords& k, std::optional<dealstat::Timestamp>& as_of) {
  k.take("as_of", [](py::handle v) { return std::optional<dealstat::Timestamp>(dealstat::Timestamp{v.cast<std::int64_t>()}); },
         as_of);
}

dealstat::FunnelOptions funnel(const py::dict& filter, Keywords& k) {
  dealstat::FunnelOptions o;
  o.filter = filter_from(filter);
  take_as_of(k, o.as_of);
  k.take("skip", parsed([](const std::string& s) { return dealstat::parse_skip_policy(s); }), o.skip);
  k.take("value", parsed([](const std::string& s) { return dealstat::parse_value_mode(s); }), o.value);
  k.take("confidence", o.confidence);
  k.take("threads", o.threads);
  return o;
}

dealstat::StageTimeOptions stage_time(const py::dict& filter, Keywords& k) {
  dealstat::StageTimeOptions o;
  o.filter = filter_from(filter);
  take_as_of(k, o.as_of);
  k.take("threads", o.threads);
  return o;
}

dealstat::MovementOptions movement(const py::dict& filter, Keywords& k) {
  dealstat::MovementOptions o;
  o.filter = filter_from(filter);
  k.take("bucket", parsed([](const std::string& s) { return dealstat::parse_bucket(s); }), o.bucket);
  take_as_of(k, o.as_of);
  k.take("threads", o.threads);
  return o;
}

dealstat::EmployeesOptions employees(const py::dict& filter, Keywords& k) {
  dealstat::EmployeesOptions o;
  o.filter = filter_from(filter);
  take_as_of(k, o.as_of);
  k.take("attribution", parsed([](const std::string& s) { return dealstat::parse_attribution(s); }), o.attribution);
  k.take("rank_by", o.rank_by);
  k.take("ascending", o.ascending);
  k.take("compare", o.compare);
  k.take("confidence", o.confidence);
  k.take("threads", o.threads);
  return o;
}

dealstat::UnsortedOptions unsorted(const py::dict& filter, Keywords& k) {
  dealstat::UnsortedOptions o;
  o.filter = filter_from(filter);
  take_as_of(k, o.as_of);
  k.take("confidence", o.confidence);
  k.take("threads", o.threads);
  return o;
}

dealstat::SummaryOptions summary(const py::dict& filter, Keywords& k) {
  dealstat::SummaryOptions o;
  o.filter = filter_from(filter);
  k.take("bucket", parsed([](const std::string& s) { return dealstat::parse_bucket(s); }), o.bucket);
  take_as_of(k, o.as_of);
  k.take("threads", o.threads);
  return o;
}

// The keywords of Dataset.forecast (dataset.py): as_of as a local day number, holidays as day numbers.
dealstat::ForecastOptions forecast(const py::dict& filter, Keywords& k) {
  dealstat::ForecastOptions o;
  o.filter = filter_from(filter);
  k.take("as_of_day", [](py::handle v) { return std::optional<dealstat::LocalDate>(dealstat::LocalDate{v.cast<std::int32_t>()}); },
         o.as_of);
  k.take("horizon_days", o.horizon_days);
  k.take("bucket", parsed([](const std::string& s) { return dealstat::parse_bucket(s); }), o.bucket);
  k.take("backtest", o.backtest);
  k.take("warmup_days", o.warmup_days);
  k.take("prior_strength", o.prior_strength);
  k.take("window_days", o.inflow.window_days);
  k.take("holidays",
         [](py::handle v) {
           std::vector<dealstat::LocalDate> days;
           for (auto d : v.cast<std::vector<std::int32_t>>()) days.push_back(dealstat::LocalDate{d});
           return days;
         },
         o.inflow.holidays);
  k.take("threads", o.threads);
  return o;
}

}  // namespace

dealstat::ReportOptions report_options(dealstat::ReportKind kind, const py::dict& filter, const py::dict& kw) {
  Keywords k(dealstat::report_kind_name(kind), kw);
  dealstat::ReportOptions out = [&]() -> dealstat::ReportOptions {
    switch (kind) {
      case dealstat::ReportKind::funnel: return funnel(filter, k);
      case dealstat::ReportKind::stage_time: return stage_time(filter, k);
      case dealstat::ReportKind::movement: return movement(filter, k);
      case dealstat::ReportKind::employees: return employees(filter, k);
      case dealstat::ReportKind::unsorted: return unsorted(filter, k);
      case dealstat::ReportKind::summary: return summary(filter, k);
      case dealstat::ReportKind::forecast: return forecast(filter, k);
    }
    throw dealstat::Error::bad_option("report", std::to_string(static_cast<int>(kind)), "unknown report");
  }();
  k.done();
  return out;
}

}  // namespace dealstat_py
