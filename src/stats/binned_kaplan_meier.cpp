// Kaplan-Meier on a time grid (see include/dealstat/stats/binned_kaplan_meier.hpp).
#include "dealstat/stats/binned_kaplan_meier.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "byte_codec.hpp"
#include "dealstat/core/error.hpp"
#include "dealstat/stats/distributions.hpp"

namespace dealstat {
inline namespace v1 {

BinnedKaplanMeier::BinnedKaplanMeier(std::int64_t bin_width_s) : width_(bin_width_s) {
  if (bin_width_s <= 0) throw Error::bad_option("bin_width_s", std::to_string(bin_width_s), "must be positive");
}

void BinnedKaplanMeier::add_bin(std::int64_t bin, std::int64_t events, std::int64_t censored) {
  if (bin < kDenseBins) {
    const auto b = static_cast<std::size_t>(bin);
    if (b >= dense_.size()) dense_.resize(std::min<std::size_t>(std::max(b + 1, 2 * dense_.size()), kDenseBins));
    dense_[b].first += events;
    dense_[b].second += censored;
  } else {
    auto& c = far_[bin];
    c.first += events;
    c.second += censored;
  }
  total_ += events + censored;
}

void BinnedKaplanMeier::add_slow(std::int64_t duration_s, bool event) {
  if (duration_s < 0) throw Error::bad_option("duration", std::to_string(duration_s), "must not be negative");
  add_bin(duration_s / width_ + (duration_s % width_ != 0 ? 1 : 0), event ? 1 : 0, event ? 0 : 1);
}

void BinnedKaplanMeier::add_counts(std::int64_t bin, std::int64_t events, std::int64_t censored) {
  if (bin < 0) throw Error::bad_option("bin", std::to_string(bin), "must not be negative");
  if (events < 0) throw Error::bad_option("events", std::to_string(events), "must not be negative");
  if (censored < 0) throw Error::bad_option("censored", std::to_string(censored), "must not be negative");
  add_bin(bin, events, censored);
}

void BinnedKaplanMeier::merge(const BinnedKaplanMeier& other) {
  if (other.width_ != width_)
    throw Error::bad_option("bin_width_s", std::to_string(other.width_),
                            "differs from this accumulator's " + std::to_string(width_));
  if (this == &other) {
    const BinnedKaplanMeier copy = other;
    merge(copy);
    return;
  }
  if (other.dense_.size() > dense_.size()) dense_.resize(other.dense_.size());
  for (std::size_t b = 0; b < other.dense_.size(); ++b) {
    dense_[b].first += other.dense_[b].first;
    dense_[b].second += other.dense_[b].second;
  }
  for (const auto& [bin, c] : other.far_) {
    auto& mine = far_[bin];
    mine.first += c.first;
    mine.second += c.second;
  }
  total_ += other.total_;
}

std::int64_t BinnedKaplanMeier::events() const {
  std::int64_t e = 0;
  for (const auto& c : dense_) e += c.first;
  for (const auto& [bin, c] : far_) e += c.first;
  return e;
}

std::vector<KaplanMeierCount> BinnedKaplanMeier::counts() const {
  std::vector<KaplanMeierCount> out;
  const double w = static_cast<double>(width_);
  for (std::size_t b = 0; b < dense_.size(); ++b)
    if (dense_[b].first != 0 || dense_[b].second != 0)
      out.push_back({static_cast<double>(b) * w, dense_[b].first, dense_[b].second});
  for (const auto& [bin, c] : far_)
    if (c.first != 0 || c.second != 0) out.push_back({static_cast<double>(bin) * w, c.first, c.second});
  return out;
}

KaplanMeierMedian BinnedKaplanMeier::median(double confidence) const {
  if (!(confidence > 0.0 && confidence < 1.0))
    throw Error::bad_option("confidence", std::to_string(confidence), "must be in (0, 1)");
  constexpr double kInf = std::numeric_limits<double>::infinity();
  KaplanMeierMedian m{kInf, kInf, kInf};
  const double z = normal_quantile(0.5 + 0.5 * confidence);
  const double w = static_cast<double>(width_);
  std::int64_t at_risk = total_;
  double s = 1.0;
  double greenwood = 0.0;  // sum d / (n (n - d))
  bool have_median = false, have_lower = false;
  // The same arithmetic, in the same order, as KaplanMeierAccumulator::finalize; rows without
  // events change neither S nor the band, so a curve can first reach 0.5 only at an event row.
  auto row = [&](double time, std::int64_t ev, std::int64_t ce) -> bool {
    if (ev > 0) {
      const double n = static_cast<double>(at_risk);
      const double d = static_cast<double>(ev);
      s *= 1.0 - d / n;
      greenwood += (ev < at_risk) ? d / (n * (n - d)) : kInf;
      double lo, hi;
      if (s >= 1.0) {
        lo = hi = 1.0;
      } else if (s <= 0.0) {
        lo = hi = 0.0;
      } else {
        const double log_s = std::log(s);
        const double theta = std::log(-log_s);
        const double se = std::sqrt(greenwood) / std::fabs(log_s);
        lo = std::exp(-std::exp(theta + z * se));
        hi = std::exp(-std::exp(theta - z * se));
      }
      if (!have_median && s <= 0.5) {
        m.median = time;
        have_median = true;
      }
      if (!have_lower && lo <= 0.5) {
        m.lower = time;
        have_lower = true;
      }
      if (hi <= 0.5) {
        m.upper = time;
        return false;  // the upper curve is the last to cross: done
      }
    }
    at_risk -= ev + ce;
    return true;
  };
  for (std::size_t b = 0; b < dense_.size(); ++b)
    if (!row(static_cast<double>(b) * w, dense_[b].first, dense_[b].second)) return m;
  for (const auto& [bin, c] : far_)
    if (!row(static_cast<double>(bin) * w, c.first, c.second)) return m;
  return m;
}

std::vector<std::uint8_t> BinnedKaplanMeier::serialize() const {
  std::vector<std::pair<std::int64_t, std::pair<std::int64_t, std::int64_t>>> rows;
  for (std::size_t b = 0; b < dense_.size(); ++b)
    if (dense_[b].first != 0 || dense_[b].second != 0) rows.push_back({static_cast<std::int64_t>(b), dense_[b]});
  for (const auto& [bin, c] : far_)
    if (c.first != 0 || c.second != 0) rows.push_back({bin, c});
  detail::ByteWriter w;
  w.magic("DSKB");
  w.uint<std::uint16_t>(format_version);
  w.uint<std::uint16_t>(0);  // flags, reserved
  w.uint<std::uint64_t>(static_cast<std::uint64_t>(width_));
  w.uint<std::uint64_t>(rows.size());
  for (const auto& [bin, c] : rows) {
    w.uint<std::uint64_t>(static_cast<std::uint64_t>(bin));
    w.uint<std::uint64_t>(static_cast<std::uint64_t>(c.first));
    w.uint<std::uint64_t>(static_cast<std::uint64_t>(c.second));
  }
  return w.take();
}

BinnedKaplanMeier BinnedKaplanMeier::deserialize(std::span<const std::uint8_t> bytes) {
  detail::ByteReader r(bytes, "binned Kaplan-Meier state");
  r.magic("DSKB");
  const auto version = r.uint<std::uint16_t>();
  if (version > format_version)
    throw Error(ErrorCode::unsupported_version, "binned Kaplan-Meier state has format version " +
                                                    std::to_string(version) + "; this build reads up to " +
                                                    std::to_string(format_version));
  if (version == 0) r.fail("format version 0 is not valid");
  r.uint<std::uint16_t>();  // flags
  const auto width = static_cast<std::int64_t>(r.uint<std::uint64_t>());
  if (width <= 0) r.fail("bad bin width");
  const auto n = r.uint<std::uint64_t>();
  if (n > r.remaining() / 24) r.fail("row count exceeds the data");
  BinnedKaplanMeier acc(width);
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  std::int64_t prev = -1;
  for (std::uint64_t i = 0; i < n; ++i) {
    const auto bin = r.uint<std::uint64_t>();
    const auto ev = r.uint<std::uint64_t>();
    const auto ce = r.uint<std::uint64_t>();
    if (bin > kMax || ev > kMax || ce > kMax) r.fail("count out of range");
    if (static_cast<std::int64_t>(bin) <= prev) r.fail("bins not strictly ascending");
    if (ev == 0 && ce == 0) r.fail("empty row");
    prev = static_cast<std::int64_t>(bin);
    acc.add_bin(prev, static_cast<std::int64_t>(ev), static_cast<std::int64_t>(ce));
  }
  if (r.remaining() != 0) r.fail("trailing bytes");
  return acc;
}

}  // namespace v1
}  // namespace dealstat
