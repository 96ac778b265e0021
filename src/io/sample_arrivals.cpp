// Deal arrivals of the sample account: per-day weights (weekly and yearly
// seasonality, trend, noise), exact apportionment of N deals over the days,
// and office-hours times of day. See sample_arrivals.hpp.
#include "io/sample_arrivals.hpp"

#include <algorithm>

#include "dealstat/time/calendar.hpp"

namespace dealstat::inline v1::detail {

SampleArrivals::SampleArrivals(const TimeZone& tz, std::int64_t start_s, std::int64_t end_s, std::int64_t deals,
                               SampleRng& rng)
    : tz_(tz), start_s_(start_s), end_s_(end_s), deals_(deals) {
  first_day_ = tz.local_date(Timestamp{start_s}).days;
  const std::int32_t last_day = tz.local_date(Timestamp{end_s - 1}).days;
  const auto days = static_cast<std::size_t>(last_day - first_day_ + 1);
  cumulative_.assign(days + 1, 0);
  for (std::size_t i = 0; i < days; ++i) {
    const LocalDate d{first_day_ + static_cast<std::int32_t>(i)};
    const std::int64_t b = std::max(start_s, tz.start_of_day(d).seconds);
    const std::int64_t e = std::min(end_s, tz.start_of_day(LocalDate{d.days + 1}).seconds);
    const std::int64_t covered = std::max<std::int64_t>(0, e - b);
    const std::uint64_t wd = kSampleWeekdayWeight[static_cast<int>(weekday(d)) - 1];
    const std::uint64_t month = kSampleMonthWeight[civil(d).month - 1];
    const std::uint64_t trend = 100 + 100 * i / days;  // 100 at the start, 200 at the end
    const std::uint64_t noise = 85 + rng.below(31);   // 85..115
    // At most 105 * 120 * 200 * 115 / 10000 = 28980 per day: N * total stays far below 2^64.
    std::uint64_t w = wd * month * trend * noise / 10000;
    w = w * static_cast<std::uint64_t>(covered) / 86400;
    cumulative_[i + 1] = cumulative_[i] + w;
  }
  if (cumulative_.back() == 0) cumulative_.back() = 1;  // a period of less than a second
}

void SampleArrivals::fill_day(SampleRng& rng) {
  today_.clear();
  pos_ = 0;
  while (today_.empty() && day_ + 1 < cumulative_.size()) {
    const std::size_t i = day_++;
    const auto n = static_cast<std::uint64_t>(deals_);
    const std::uint64_t total = cumulative_.back();
    const std::uint64_t count = n * cumulative_[i + 1] / total - n * cumulative_[i] / total;
    if (count == 0) continue;
    const LocalDate d{first_day_ + static_cast<std::int32_t>(i)};
    const std::int64_t day_start = tz_.start_of_day(d).seconds;
    const std::int64_t b = std::max(start_s_, day_start);
    const std::int64_t e = std::min(end_s_, tz_.start_of_day(LocalDate{d.days + 1}).seconds);
    std::array<std::uint32_t, 24> hours{};
    std::copy(std::begin(kSampleHourWeight), std::end(kSampleHourWeight), hours.begin());
    for (std::uint64_t k = 0; k < count; ++k) {
      std::int64_t t = b;
      bool ok = false;
      for (int tries = 0; tries < 8 && !ok; ++tries) {
        t = day_start + static_cast<std::int64_t>(rng.pick(hours)) * 3600 + rng.below(3600);
        ok = t >= b && t < e;
      }
      if (!ok) t = rng.between(b, std::max(e, b + 1));
      today_.push_back(t);
    }
    std::sort(today_.begin(), today_.end());
  }
  // The last day's count ends exactly at N; past it (a caller asking for more) repeat the period's end.
  if (today_.empty()) today_.push_back(end_s_ - 1);
}

std::int64_t SampleArrivals::next(SampleRng& rng) {
  if (pos_ >= today_.size()) fill_day(rng);
  return today_[pos_++];
}

}  // namespace dealstat::inline v1::detail
