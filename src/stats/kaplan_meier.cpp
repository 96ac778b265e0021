// Kaplan-Meier accumulator and curve (see include/dealstat/stats/kaplan_meier.hpp).
#include "dealstat/stats/kaplan_meier.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "byte_codec.hpp"
#include "dealstat/core/error.hpp"
#include "dealstat/stats/distributions.hpp"

namespace dealstat {
inline namespace v1 {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Sorts and folds equal times together; drops all-zero rows.
std::vector<KaplanMeierCount> canonical(std::vector<KaplanMeierCount> rows) {
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.time < b.time; });
  std::vector<KaplanMeierCount> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    if (r.events == 0 && r.censored == 0) continue;
    if (!out.empty() && out.back().time == r.time) {
      out.back().events += r.events;
      out.back().censored += r.censored;
    } else {
      out.push_back(r);
    }
  }
  return out;
}

std::vector<KaplanMeierCount> merge_sorted(const std::vector<KaplanMeierCount>& a,
                                           const std::vector<KaplanMeierCount>& b) {
  std::vector<KaplanMeierCount> out;
  out.reserve(a.size() + b.size());
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].time < b[j].time)) {
      out.push_back(a[i++]);
    } else if (i == a.size() || b[j].time < a[i].time) {
      out.push_back(b[j++]);
    } else {
      out.push_back({a[i].time, a[i].events + b[j].events, a[i].censored + b[j].censored});
      ++i;
      ++j;
    }
  }
  return out;
}

void check_duration(double duration) {
  if (!(duration >= 0.0) || !std::isfinite(duration))
    throw Error::bad_option("duration", std::to_string(duration), "must be finite and not negative");
}

double first_time_at_or_below(const std::vector<double>& times, const std::vector<double>& curve, double q) {
  for (std::size_t i = 0; i < curve.size(); ++i)
    if (curve[i] <= q) return times[i];
  return kInf;
}

}  // namespace

void KaplanMeierAccumulator::add(double duration, bool event) {
  check_duration(duration);
  pending_.push_back({duration, event ? 1 : 0, event ? 0 : 1});
  ++total_;
  if (pending_.size() >= 2 * sorted_.size() + 65536) compact();
}

void KaplanMeierAccumulator::add_counts(double duration, std::int64_t events, std::int64_t censored) {
  check_duration(duration);
  if (events < 0) throw Error::bad_option("events", std::to_string(events), "must not be negative");
  if (censored < 0) throw Error::bad_option("censored", std::to_string(censored), "must not be negative");
  pending_.push_back({duration, events, censored});
  total_ += events + censored;
  if (pending_.size() >= 2 * sorted_.size() + 65536) compact();
}

void KaplanMeierAccumulator::compact() {
  if (pending_.empty()) return;
  sorted_ = merge_sorted(sorted_, canonical(std::move(pending_)));
  pending_.clear();
}

void KaplanMeierAccumulator::merge(const KaplanMeierAccumulator& other) {
  if (this == &other) {
    KaplanMeierAccumulator copy = other;
    merge(copy);
    return;
  }
  compact();
  sorted_ = merge_sorted(sorted_, other.counts());
  total_ += other.total_;
}

std::vector<KaplanMeierCount> KaplanMeierAccumulator::counts() const {
  if (pending_.empty()) return sorted_;
  return merge_sorted(sorted_, canonical(pending_));
}

KaplanMeierCurve KaplanMeierAccumulator::finalize(double confidence) const {
  if (!(confidence > 0.0 && confidence < 1.0))
    throw Error::bad_option("confidence", std::to_string(confidence), "must be in (0, 1)");
  const auto rows = counts();
  const double z = normal_quantile(0.5 + 0.5 * confidence);
  KaplanMeierCurve c;
  c.confidence = confidence;
  const std::size_t m = rows.size();
  c.times.resize(m);
  c.survival.resize(m);
  c.at_risk.resize(m);
  c.events.resize(m);
  c.censored.resize(m);
  c.ci_lower.resize(m);
  c.ci_upper.resize(m);
  std::int64_t at_risk = total_;
  double s = 1.0;
  double greenwood = 0.0;  // sum d / (n (n - d))
  for (std::size_t i = 0; i < m; ++i) {
    const auto& r = rows[i];
    const double n = static_cast<double>(at_risk);
    const double d = static_cast<double>(r.events);
    if (r.events > 0) {
      s *= 1.0 - d / n;
      greenwood += (r.events < at_risk) ? d / (n * (n - d)) : kInf;
    }
    c.times[i] = r.time;
    c.survival[i] = s;
    c.at_risk[i] = at_risk;
    c.events[i] = r.events;
    c.censored[i] = r.censored;
    if (s >= 1.0) {  // no events yet: the curve is known to be 1
      c.ci_lower[i] = c.ci_upper[i] = 1.0;
    } else if (s <= 0.0) {  // everyone at risk closed: 0 with no spread
      c.ci_lower[i] = c.ci_upper[i] = 0.0;
    } else {
      // log-log transform: theta = log(-log S), se(theta) = sqrt(greenwood) / |log S|.
      const double log_s = std::log(s);
      const double theta = std::log(-log_s);
      const double se = std::sqrt(greenwood) / std::fabs(log_s);
      c.ci_lower[i] = std::exp(-std::exp(theta + z * se));
      c.ci_upper[i] = std::exp(-std::exp(theta - z * se));
    }
    at_risk -= r.events + r.censored;
  }
  return c;
}

double KaplanMeierCurve::quantile_time(double q) const {
  if (!(q > 0.0 && q < 1.0)) throw Error::bad_option("q", std::to_string(q), "must be in (0, 1)");
  return first_time_at_or_below(times, survival, q);
}

KaplanMeierMedian KaplanMeierCurve::median() const {
  return {first_time_at_or_below(times, survival, 0.5), first_time_at_or_below(times, ci_lower, 0.5),
          first_time_at_or_below(times, ci_upper, 0.5)};
}

double KaplanMeierCurve::survival_at(double t) const {
  const auto it = std::upper_bound(times.begin(), times.end(), t);
  if (it == times.begin()) return 1.0;
  return survival[static_cast<std::size_t>(it - times.begin()) - 1];
}

std::vector<std::uint8_t> KaplanMeierAccumulator::serialize() const {
  const auto rows = counts();
  detail::ByteWriter w;
  w.magic("DSKM");
  w.uint<std::uint16_t>(format_version);
  w.uint<std::uint16_t>(0);  // flags, reserved
  w.uint<std::uint64_t>(rows.size());
  for (const auto& r : rows) {
    w.f64(r.time);
    w.uint<std::uint64_t>(static_cast<std::uint64_t>(r.events));
    w.uint<std::uint64_t>(static_cast<std::uint64_t>(r.censored));
  }
  return w.take();
}

KaplanMeierAccumulator KaplanMeierAccumulator::deserialize(std::span<const std::uint8_t> bytes) {
  detail::ByteReader r(bytes, "Kaplan-Meier state");
  r.magic("DSKM");
  const auto version = r.uint<std::uint16_t>();
  if (version > format_version)
    throw Error(ErrorCode::unsupported_version, "Kaplan-Meier state has format version " + std::to_string(version) +
                                                    "; this build reads up to " + std::to_string(format_version));
  if (version == 0) r.fail("format version 0 is not valid");
  r.uint<std::uint16_t>();  // flags
  const auto n = r.uint<std::uint64_t>();
  if (n > r.remaining() / 24) r.fail("row count exceeds the data");
  KaplanMeierAccumulator acc;
  acc.sorted_.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    KaplanMeierCount row;
    row.time = r.f64();
    const auto ev = r.uint<std::uint64_t>();
    const auto ce = r.uint<std::uint64_t>();
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (ev > kMax || ce > kMax) r.fail("count out of range");
    row.events = static_cast<std::int64_t>(ev);
    row.censored = static_cast<std::int64_t>(ce);
    if (!(row.time >= 0.0) || !std::isfinite(row.time)) r.fail("bad duration");
    if (!acc.sorted_.empty() && !(acc.sorted_.back().time < row.time)) r.fail("durations not strictly ascending");
    if (row.events == 0 && row.censored == 0) r.fail("empty row");
    acc.total_ += row.events + row.censored;
    acc.sorted_.push_back(row);
  }
  if (r.remaining() != 0) r.fail("trailing bytes");
  return acc;
}

}  // namespace v1
}  // namespace dealstat
