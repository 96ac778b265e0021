// Deal arrivals of the sample account: how many deals are created on each
// local day of [start_s, end_s) and when. A day's weight is the product of a
// weekday factor (weekends far quieter), a month factor (yearly seasonality:
// January holidays low, autumn high), a linear upward trend (x1 at the start
// to x2 at the end) and day-to-day noise; the N deals are shared out over the
// days by cumulative rounding (so exactly N arrive), and each deal's local
// time of day follows an office-hours profile. Instants come out in time order.
#pragma once

#include <cstdint>
#include <vector>

#include "dealstat/time/time_zone.hpp"
#include "io/sample_random.hpp"

namespace dealstat::inline v1::detail {

//! Weekday factor (Monday first), percent.
inline constexpr std::uint32_t kSampleWeekdayWeight[7] = {100, 105, 105, 100, 90, 35, 25};
//! Month factor (January first), percent.
inline constexpr std::uint32_t kSampleMonthWeight[12] = {70, 90, 105, 105, 95, 90, 80, 85, 110, 115, 120, 110};
//! Hour-of-day factor (local hours 0..23).
inline constexpr std::uint32_t kSampleHourWeight[24] = {1,  1,   1,   1,   1,   2,   3,  6,  20, 60, 100, 110,
                                                        100, 90, 100, 100, 95, 80, 50, 30, 20, 15, 8,  4};

//! Creation instants of the sample's deals, in time order.
class SampleArrivals {
 public:
  //! Plans `deals` arrivals over [start_s, end_s) in zone tz (per-day weights only: memory grows with days).
  SampleArrivals(const TimeZone& tz, std::int64_t start_s, std::int64_t end_s, std::int64_t deals, SampleRng& rng);
  //! The next creation instant; call at most `deals` times.
  std::int64_t next(SampleRng& rng);

 private:
  void fill_day(SampleRng& rng);

  const TimeZone& tz_;
  std::int64_t start_s_, end_s_, deals_;
  std::int32_t first_day_ = 0;
  std::vector<std::uint64_t> cumulative_;  // cumulative day weights, days + 1 entries
  std::size_t day_ = 0;                    // next day to fill
  std::vector<std::int64_t> today_;        // the current day's instants, sorted
  std::size_t pos_ = 0;
};

}  // namespace dealstat::inline v1::detail
