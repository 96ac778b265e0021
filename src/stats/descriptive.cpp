// Exact mean and median, and the DDSketch quantile sketch (see include/dealstat/stats/descriptive.hpp).
#include "dealstat/stats/descriptive.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "byte_codec.hpp"
#include "dealstat/core/error.hpp"

namespace dealstat {
inline namespace v1 {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

void check_no_nan(std::span<const double> values) {
  for (double v : values)
    if (std::isnan(v)) throw Error::bad_option("values", "nan", "must not contain NaN");
}

void check_alpha(double alpha) {
  if (!(alpha > 0.0 && alpha < 1.0)) throw Error::bad_option("alpha", std::to_string(alpha), "must be in (0, 1)");
}

}  // namespace

double mean(std::span<const double> values) {
  check_no_nan(values);
  if (values.empty()) return kNaN;
  // Neumaier's compensated sum.
  double sum = 0.0, comp = 0.0;
  for (double v : values) {
    const double t = sum + v;
    comp += std::fabs(sum) >= std::fabs(v) ? (sum - t) + v : (v - t) + sum;
    sum = t;
  }
  return (sum + comp) / static_cast<double>(values.size());
}

double median(std::span<const double> values) {
  check_no_nan(values);
  if (values.empty()) return kNaN;
  std::vector<double> v(values.begin(), values.end());
  const std::size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double upper = v[mid];
  if (v.size() % 2 == 1) return upper;
  const double lower = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
  return lower + (upper - lower) / 2.0;
}

DDSketch::DDSketch(double alpha) : alpha_(alpha), min_(kInf), max_(-kInf) {
  check_alpha(alpha);
  gamma_ = (1.0 + alpha) / (1.0 - alpha);
  inv_log_gamma_ = 1.0 / std::log(gamma_);
}

std::int32_t DDSketch::bucket_index(double value) const {
  return static_cast<std::int32_t>(std::ceil(std::log(value) * inv_log_gamma_));
}

void DDSketch::grow_to(std::int32_t index) {
  if (counts_.empty()) {
    offset_ = index;
    counts_.assign(1, 0);
    return;
  }
  if (index < offset_) {
    const auto extra = static_cast<std::size_t>(offset_ - index);
    counts_.insert(counts_.begin(), extra, 0);
    offset_ = index;
  } else if (index >= offset_ + static_cast<std::int32_t>(counts_.size())) {
    counts_.resize(static_cast<std::size_t>(index - offset_) + 1, 0);
  }
}

void DDSketch::add(double value) {
  if (!(value >= 0.0) || !std::isfinite(value))
    throw Error::bad_option("value", std::to_string(value), "must be finite and not negative");
  ++count_;
  sum_ += value;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
  if (value == 0.0) {
    ++zero_count_;
    return;
  }
  const std::int32_t i = bucket_index(value);
  if (counts_.empty() || i < offset_ || i >= offset_ + static_cast<std::int32_t>(counts_.size())) grow_to(i);
  ++counts_[static_cast<std::size_t>(i - offset_)];
}

void DDSketch::merge(const DDSketch& other) {
  if (other.alpha_ != alpha_)
    throw Error::bad_option("alpha", std::to_string(other.alpha_),
                            "sketches with different alpha cannot be merged (this one has " + std::to_string(alpha_) + ")");
  if (other.count_ == 0) return;
  const std::vector<std::uint64_t> theirs = other.counts_;  // copy: `other` may be *this
  const std::int32_t their_offset = other.offset_;
  if (!theirs.empty()) {
    grow_to(their_offset);
    grow_to(their_offset + static_cast<std::int32_t>(theirs.size()) - 1);
    for (std::size_t j = 0; j < theirs.size(); ++j)
      counts_[static_cast<std::size_t>(their_offset - offset_) + j] += theirs[j];
  }
  count_ += other.count_;
  zero_count_ += other.zero_count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

double DDSketch::quantile(double q) const {
  if (!(q >= 0.0 && q <= 1.0)) throw Error::bad_option("q", std::to_string(q), "must be in [0, 1]");
  if (count_ == 0) return kNaN;
  const double rank = q * static_cast<double>(count_ - 1);
  if (rank < static_cast<double>(zero_count_)) return 0.0;
  double running = static_cast<double>(zero_count_);
  for (std::size_t j = 0; j < counts_.size(); ++j) {
    running += static_cast<double>(counts_[j]);
    if (running > rank) {
      const double v = 2.0 * std::pow(gamma_, static_cast<double>(offset_ + static_cast<std::int32_t>(j))) / (gamma_ + 1.0);
      return std::clamp(v, min_, max_);
    }
  }
  return max_;
}

std::vector<std::pair<std::int32_t, std::uint64_t>> DDSketch::buckets() const {
  std::vector<std::pair<std::int32_t, std::uint64_t>> out;
  for (std::size_t j = 0; j < counts_.size(); ++j)
    if (counts_[j] != 0) out.emplace_back(offset_ + static_cast<std::int32_t>(j), counts_[j]);
  return out;
}

bool operator==(const DDSketch& a, const DDSketch& b) {
  return a.alpha_ == b.alpha_ && a.count_ == b.count_ && a.zero_count_ == b.zero_count_ && a.min_ == b.min_ &&
         a.max_ == b.max_ && a.buckets() == b.buckets();
}

std::vector<std::uint8_t> DDSketch::serialize() const {
  // Trim empty buckets at both ends so equal sketches serialize to equal bytes.
  std::size_t first = 0, last = counts_.size();
  while (first < last && counts_[first] == 0) ++first;
  while (last > first && counts_[last - 1] == 0) --last;
  detail::ByteWriter w;
  w.magic("DSDD");
  w.uint<std::uint16_t>(format_version);
  w.uint<std::uint16_t>(0);
  w.f64(alpha_);
  w.uint<std::uint64_t>(count_);
  w.uint<std::uint64_t>(zero_count_);
  w.f64(sum_);
  w.f64(min_);
  w.f64(max_);
  w.i32(first < last ? offset_ + static_cast<std::int32_t>(first) : 0);
  w.uint<std::uint32_t>(static_cast<std::uint32_t>(last - first));
  for (std::size_t j = first; j < last; ++j) w.uint<std::uint64_t>(counts_[j]);
  return w.take();
}

DDSketch DDSketch::deserialize(std::span<const std::uint8_t> bytes) {
  detail::ByteReader r(bytes, "DDSketch state");
  r.magic("DSDD");
  const auto version = r.uint<std::uint16_t>();
  if (version > format_version)
    throw Error(ErrorCode::unsupported_version, "DDSketch state has format version " + std::to_string(version) +
                                                    "; this build reads up to " + std::to_string(format_version));
  if (version == 0) r.fail("format version 0 is not valid");
  r.uint<std::uint16_t>();  // flags
  const double alpha = r.f64();
  if (!(alpha > 0.0 && alpha < 1.0)) r.fail("alpha out of range");
  DDSketch s(alpha);
  s.count_ = r.uint<std::uint64_t>();
  s.zero_count_ = r.uint<std::uint64_t>();
  s.sum_ = r.f64();
  s.min_ = r.f64();
  s.max_ = r.f64();
  s.offset_ = r.i32();
  const auto n = r.uint<std::uint32_t>();
  if (n > r.remaining() / 8) r.fail("bucket count exceeds the data");
  if (static_cast<std::int64_t>(s.offset_) + n > std::numeric_limits<std::int32_t>::max())
    r.fail("bucket index out of range");
  s.counts_.resize(n);
  std::uint64_t total = s.zero_count_;
  for (std::uint32_t j = 0; j < n; ++j) {
    s.counts_[j] = r.uint<std::uint64_t>();
    total += s.counts_[j];
  }
  if (r.remaining() != 0) r.fail("trailing bytes");
  if (total != s.count_) r.fail("bucket counts do not add up to count");
  return s;
}

}  // namespace v1
}  // namespace dealstat
