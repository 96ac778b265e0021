// Tests for dealstat/time/calendar.hpp: civil dates, weekdays, buckets.
// Day counts and weekdays were computed with Python's datetime
// ((date(y,m,d) - date(1970,1,1)).days, date.isoweekday()).
#include "dealstat/time/calendar.hpp"

#include <gtest/gtest.h>

#include "dealstat/core/error.hpp"

namespace ds = dealstat;
using ds::Bucket;
using ds::LocalDate;
using ds::Weekday;

namespace {

LocalDate D(int y, int m, int d) { return ds::make_date(y, m, d); }

template <class F>
void expect_bad_option(F&& f, const std::string& option) {
  try {
    f();
    ADD_FAILURE() << "no error";
  } catch (const ds::Error& e) {
    EXPECT_EQ(e.code(), ds::ErrorCode::invalid_option);
    EXPECT_EQ(e.problem().field, option);
  }
}

}  // namespace

TEST(Calendar, MakeDateKnownDays) {
  EXPECT_EQ(D(1970, 1, 1).days, 0);
  EXPECT_EQ(D(1969, 12, 31).days, -1);
  EXPECT_EQ(D(2000, 2, 29).days, 11016);
  EXPECT_EQ(D(2024, 2, 29).days, 19782);
  EXPECT_EQ(D(2024, 12, 30).days, 20087);
  EXPECT_EQ(D(2100, 3, 1).days, 47541);
  EXPECT_EQ(D(1, 1, 1).days, -719162);
  EXPECT_EQ(D(9999, 12, 31).days, 2932896);
}

TEST(Calendar, MakeDateRejectsNonDates) {
  expect_bad_option([] { (void)D(2023, 2, 29); }, "date");  // 2023 is not a leap year
  expect_bad_option([] { (void)D(1900, 2, 29); }, "date");  // nor is 1900
  expect_bad_option([] { (void)D(2024, 4, 31); }, "date");
  expect_bad_option([] { (void)D(2024, 13, 1); }, "date");
  expect_bad_option([] { (void)D(2024, 0, 1); }, "date");
  expect_bad_option([] { (void)D(0, 1, 1); }, "date");
  EXPECT_EQ(D(2000, 2, 29).days, 11016);  // 2000 is (divisible by 400)
}

TEST(Calendar, CivilRoundTripsEveryDay) {
  std::int32_t expected = D(1, 1, 1).days;
  for (int y = 1; y <= 9999; ++y) {
    for (int m = 1; m <= 12; ++m) {
      for (int d = 1; d <= 31; ++d) {
        if (d > 28) {
          const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
          const int dim = m == 2 ? (leap ? 29 : 28) : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
          if (d > dim) break;
        }
        const LocalDate ld = D(y, m, d);
        ASSERT_EQ(ld.days, expected) << y << "-" << m << "-" << d;
        const ds::CivilDay c = ds::civil(ld);
        ASSERT_EQ(c.year, y);
        ASSERT_EQ(c.month, m);
        ASSERT_EQ(c.day, d);
        ++expected;
      }
    }
  }
}

TEST(Calendar, Weekday) {
  EXPECT_EQ(ds::weekday(D(1970, 1, 1)), Weekday::thursday);
  EXPECT_EQ(ds::weekday(D(1969, 12, 31)), Weekday::wednesday);
  EXPECT_EQ(ds::weekday(D(2000, 2, 29)), Weekday::tuesday);
  EXPECT_EQ(ds::weekday(D(2024, 12, 30)), Weekday::monday);
  EXPECT_EQ(ds::weekday(D(2025, 1, 5)), Weekday::sunday);
  EXPECT_EQ(ds::weekday(D(1, 1, 1)), Weekday::monday);
  EXPECT_EQ(ds::weekday(D(9999, 12, 31)), Weekday::friday);
}

TEST(Calendar, ParseAndFormatDate) {
  EXPECT_EQ(ds::parse_date("2024-02-29"), D(2024, 2, 29));
  EXPECT_EQ(ds::format_date(D(2024, 2, 29)), "2024-02-29");
  EXPECT_EQ(ds::format_date(LocalDate{-1}), "1969-12-31");
  EXPECT_EQ(ds::format_date(D(1, 1, 1)), "0001-01-01");
  for (const char* bad : {"2023-02-29", "2024-1-01", "20240101", " 2024-01-01", "2024-01-01 ", "2024/01/01",
                          "2024-00-10", "abcd-ef-gh", ""}) {
    expect_bad_option([bad] { (void)ds::parse_date(bad, "from"); }, "from");
  }
}

TEST(Calendar, WeekSpanningYearsMondayStart) {
  // ISO week 2025-W01 runs Monday 2024-12-30 .. Sunday 2025-01-05.
  for (int i = 0; i < 7; ++i) {
    const LocalDate d{D(2024, 12, 30).days + i};
    EXPECT_EQ(ds::bucket_start(d, Bucket::week), D(2024, 12, 30)) << ds::format_date(d);
    EXPECT_EQ(ds::bucket_next(d, Bucket::week), D(2025, 1, 6)) << ds::format_date(d);
  }
  EXPECT_EQ(ds::bucket_start(D(2024, 12, 29), Bucket::week), D(2024, 12, 23));
}

TEST(Calendar, WeekSpanningYearsSundayStart) {
  // With Sunday first: 2024-12-29 (Sun) .. 2025-01-04 (Sat) is one week; 2025-01-05 starts the next.
  for (int i = 0; i < 7; ++i) {
    const LocalDate d{D(2024, 12, 29).days + i};
    EXPECT_EQ(ds::bucket_start(d, Bucket::week, Weekday::sunday), D(2024, 12, 29)) << ds::format_date(d);
    EXPECT_EQ(ds::bucket_next(d, Bucket::week, Weekday::sunday), D(2025, 1, 5));
  }
  EXPECT_EQ(ds::bucket_start(D(2025, 1, 5), Bucket::week, Weekday::sunday), D(2025, 1, 5));
  // Saturday first (common in the Middle East): 2024-12-28 is a Saturday.
  EXPECT_EQ(ds::bucket_start(D(2025, 1, 3), Bucket::week, Weekday::saturday), D(2024, 12, 28));
}

TEST(Calendar, MonthQuarterYearBuckets) {
  EXPECT_EQ(ds::bucket_start(D(2024, 2, 29), Bucket::month), D(2024, 2, 1));
  EXPECT_EQ(ds::bucket_next(D(2024, 2, 29), Bucket::month), D(2024, 3, 1));
  EXPECT_EQ(ds::bucket_next(D(2024, 12, 15), Bucket::month), D(2025, 1, 1));
  EXPECT_EQ(ds::bucket_start(D(2024, 1, 1), Bucket::quarter), D(2024, 1, 1));
  EXPECT_EQ(ds::bucket_start(D(2024, 3, 31), Bucket::quarter), D(2024, 1, 1));
  EXPECT_EQ(ds::bucket_start(D(2024, 5, 20), Bucket::quarter), D(2024, 4, 1));
  EXPECT_EQ(ds::bucket_next(D(2024, 5, 20), Bucket::quarter), D(2024, 7, 1));
  EXPECT_EQ(ds::bucket_start(D(2024, 9, 30), Bucket::quarter), D(2024, 7, 1));
  EXPECT_EQ(ds::bucket_start(D(2024, 11, 30), Bucket::quarter), D(2024, 10, 1));
  EXPECT_EQ(ds::bucket_next(D(2024, 11, 30), Bucket::quarter), D(2025, 1, 1));
  EXPECT_EQ(ds::bucket_start(D(2024, 7, 4), Bucket::year), D(2024, 1, 1));
  EXPECT_EQ(ds::bucket_next(D(2024, 7, 4), Bucket::year), D(2025, 1, 1));
  EXPECT_EQ(ds::bucket_next(D(2024, 12, 31), Bucket::year), D(2025, 1, 1));
  EXPECT_EQ(ds::bucket_start(D(2024, 7, 4), Bucket::day), D(2024, 7, 4));
  EXPECT_EQ(ds::bucket_next(D(2024, 12, 31), Bucket::day), D(2025, 1, 1));
  EXPECT_EQ(ds::bucket_start(LocalDate{-1}, Bucket::month), D(1969, 12, 1));
}

TEST(Calendar, BucketInvariants) {
  const Bucket buckets[] = {Bucket::day, Bucket::week, Bucket::month, Bucket::quarter, Bucket::year};
  for (Bucket b : buckets) {
    for (int w = 1; w <= 7; ++w) {
      const auto fdow = static_cast<Weekday>(w);
      for (std::int32_t x = D(2019, 12, 1).days; x <= D(2031, 1, 31).days; ++x) {
        const LocalDate d{x};
        const LocalDate s = ds::bucket_start(d, b, fdow);
        const LocalDate n = ds::bucket_next(d, b, fdow);
        ASSERT_LE(s, d);
        ASSERT_LT(d, n);
        ASSERT_EQ(ds::bucket_start(s, b, fdow), s);
        ASSERT_EQ(ds::bucket_start(n, b, fdow), n);
        ASSERT_EQ(ds::bucket_next(s, b, fdow), n);
        if (b == Bucket::week) {
          ASSERT_EQ(ds::weekday(s), fdow);
        }
        if (b == Bucket::month || b == Bucket::quarter || b == Bucket::year) {
          ASSERT_EQ(ds::civil(s).day, 1);
        }
        if (b == Bucket::quarter) {
          ASSERT_EQ((ds::civil(s).month - 1) % 3, 0);
        }
      }
    }
  }
}

TEST(Calendar, ParseBucketAndName) {
  for (Bucket b : {Bucket::day, Bucket::week, Bucket::month, Bucket::quarter, Bucket::year}) {
    EXPECT_EQ(ds::parse_bucket(ds::bucket_name(b)), b);
  }
  EXPECT_STREQ(ds::bucket_name(Bucket::quarter), "quarter");
  EXPECT_EQ(ds::parse_bucket("Month"), Bucket::month);
  expect_bad_option([] { (void)ds::parse_bucket("fortnight"); }, "bucket");
  expect_bad_option([] { (void)ds::parse_bucket("", "group_by"); }, "group_by");
}

TEST(Calendar, ParseWeekday) {
  EXPECT_EQ(ds::parse_weekday("monday"), Weekday::monday);
  EXPECT_EQ(ds::parse_weekday("Sunday"), Weekday::sunday);
  EXPECT_EQ(ds::parse_weekday("SAT"), Weekday::saturday);
  EXPECT_EQ(ds::parse_weekday("wed"), Weekday::wednesday);
  expect_bad_option([] { (void)ds::parse_weekday("funday"); }, "first_day_of_week");
  expect_bad_option([] { (void)ds::parse_weekday("mo"); }, "first_day_of_week");
  expect_bad_option([] { (void)ds::parse_weekday("1", "week_start"); }, "week_start");
}
