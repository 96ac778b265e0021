// The civil calendar checked day by day against an independent
// implementation: Boost.Date_Time's gregorian calendar.
#include <boost/date_time/gregorian/gregorian.hpp>
#include <gtest/gtest.h>

#include "dealstat/time/calendar.hpp"

namespace dealstat {
namespace {

namespace bg = boost::gregorian;

TEST(CalendarOracle, EveryDayFrom1970To2100MatchesBoostGregorian) {
  const bg::date epoch(1970, 1, 1);
  for (bg::date d(1970, 1, 1); d <= bg::date(2100, 12, 31); d += bg::days(1)) {
    const LocalDate ld{static_cast<std::int32_t>((d - epoch).days())};
    const CivilDay c = civil(ld);
    ASSERT_EQ(c.year, d.year());
    ASSERT_EQ(c.month, d.month().as_number());
    ASSERT_EQ(c.day, d.day().as_number());
    ASSERT_EQ(make_date(c.year, c.month, c.day), ld);
    // Boost numbers Sunday 0 .. Saturday 6; ISO numbers Monday 1 .. Sunday 7.
    const int iso = d.day_of_week().as_number() == 0 ? 7 : d.day_of_week().as_number();
    ASSERT_EQ(static_cast<int>(weekday(ld)), iso);
  }
}

TEST(CalendarOracle, BucketStartsMatchBoostGregorian) {
  const bg::date epoch(1970, 1, 1);
  for (bg::date d(2019, 1, 1); d <= bg::date(2026, 12, 31); d += bg::days(1)) {
    const LocalDate ld{static_cast<std::int32_t>((d - epoch).days())};
    auto days_of = [&](bg::date x) { return LocalDate{static_cast<std::int32_t>((x - epoch).days())}; };
    // Monday weeks: Boost's previous-or-same Monday.
    bg::date monday = d - bg::days((d.day_of_week().as_number() + 6) % 7);
    ASSERT_EQ(bucket_start(ld, Bucket::week, Weekday::monday), days_of(monday));
    bg::date sunday = d - bg::days(d.day_of_week().as_number());
    ASSERT_EQ(bucket_start(ld, Bucket::week, Weekday::sunday), days_of(sunday));
    ASSERT_EQ(bucket_start(ld, Bucket::month), days_of(bg::date(d.year(), d.month(), 1)));
    const int q_month = (d.month().as_number() - 1) / 3 * 3 + 1;
    ASSERT_EQ(bucket_start(ld, Bucket::quarter), days_of(bg::date(d.year(), q_month, 1)));
    ASSERT_EQ(bucket_start(ld, Bucket::year), days_of(bg::date(d.year(), 1, 1)));
    ASSERT_EQ(bucket_next(ld, Bucket::month), days_of(bg::date(d.year(), d.month(), 1) + bg::months(1)));
  }
}

}  // namespace
}  // namespace dealstat
