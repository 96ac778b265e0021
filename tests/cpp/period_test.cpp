// Tests for dealstat/time/period.hpp: validation, resolving local-date periods
// to instants (instants from Python zoneinfo), and bucket edges.
#include "dealstat/time/period.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "dealstat/core/error.hpp"

namespace ds = dealstat;
using ds::Bucket;
using ds::LocalDate;
using ds::Period;

namespace {

LocalDate D(int y, int m, int d) { return ds::make_date(y, m, d); }

std::vector<LocalDate> dates(std::initializer_list<const char*> texts) {
  std::vector<LocalDate> out;
  for (const char* t : texts) out.push_back(ds::parse_date(t));
  return out;
}

}  // namespace

TEST(Period, Validate) {
  EXPECT_NO_THROW((Period{D(2024, 1, 1), D(2024, 1, 2)}.validate()));
  EXPECT_NO_THROW((Period{std::nullopt, D(2024, 1, 2)}.validate()));
  EXPECT_NO_THROW((Period{D(2024, 1, 1), std::nullopt}.validate()));
  EXPECT_NO_THROW(Period{}.validate());
  for (const Period& p : {Period{D(2024, 1, 1), D(2024, 1, 1)}, Period{D(2024, 2, 1), D(2024, 1, 1)}}) {
    try {
      p.validate();
      ADD_FAILURE() << "accepted";
    } catch (const ds::Error& e) {
      EXPECT_EQ(e.code(), ds::ErrorCode::invalid_option);
      EXPECT_EQ(e.problem().field, "to");
      EXPECT_EQ(e.problem().value, ds::format_date(*p.to));
    }
  }
}

TEST(Period, ResolveUtcAndOpenEnds) {
  const ds::InstantRange r = ds::resolve(Period{D(2024, 1, 1), D(2024, 2, 1)}, ds::TimeZone());
  EXPECT_EQ(r.start_s, 1704067200);  // 2024-01-01T00:00Z
  EXPECT_EQ(r.end_s, 1706745600);    // 2024-02-01T00:00Z
  EXPECT_TRUE(r.contains(1704067200));
  EXPECT_FALSE(r.contains(1706745600));
  const ds::InstantRange open = ds::resolve(Period{}, ds::TimeZone());
  EXPECT_EQ(open.start_s, ds::kNoTime);
  EXPECT_EQ(open.end_s, ds::kNoTime);
  EXPECT_TRUE(open.contains(0));
  const ds::InstantRange half = ds::resolve(Period{std::nullopt, D(2024, 1, 1)}, ds::TimeZone::parse("+03:00"));
  EXPECT_EQ(half.start_s, ds::kNoTime);
  EXPECT_EQ(half.end_s, 1704056400);  // 2023-12-31T21:00Z
  EXPECT_TRUE(half.contains(1704056399));
  EXPECT_FALSE(half.contains(1704056400));
}

TEST(Period, ResolveAcrossDst) {
  if (!std::filesystem::exists("/usr/share/zoneinfo/America/New_York")) GTEST_SKIP();
  const ds::TimeZone ny = ds::TimeZone::parse("America/New_York");
  // The 23-hour day 2024-03-10: [1710046800, 1710129600)
  const ds::InstantRange spring = ds::resolve(Period{D(2024, 3, 10), D(2024, 3, 11)}, ny);
  EXPECT_EQ(spring.start_s, 1710046800);
  EXPECT_EQ(spring.end_s, 1710129600);
  // The 25-hour day 2024-11-03: [1730606400, 1730696400)
  const ds::InstantRange fall = ds::resolve(Period{D(2024, 11, 3), D(2024, 11, 4)}, ny);
  EXPECT_EQ(fall.end_s - fall.start_s, 25 * 3600);
  EXPECT_EQ(fall.start_s, 1730606400);
}

TEST(Period, ResolveMoscow) {
  if (!std::filesystem::exists("/usr/share/zoneinfo/Europe/Moscow")) GTEST_SKIP();
  const ds::InstantRange r = ds::resolve(Period{D(2024, 6, 15), D(2024, 6, 16)}, ds::TimeZone::parse("Europe/Moscow"));
  EXPECT_EQ(r.start_s, 1718398800);  // 2024-06-14T21:00Z
  EXPECT_EQ(r.end_s, 1718398800 + 86400);
}

TEST(Period, BucketEdgesMonth) {
  EXPECT_EQ(ds::bucket_edges(D(2024, 1, 15), D(2024, 3, 1), Bucket::month),
            dates({"2024-01-01", "2024-02-01", "2024-03-01"}));
  EXPECT_EQ(ds::bucket_edges(D(2024, 1, 15), D(2024, 3, 2), Bucket::month),
            dates({"2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"}));
  EXPECT_EQ(ds::bucket_edges(D(2024, 11, 1), D(2025, 2, 1), Bucket::month),
            dates({"2024-11-01", "2024-12-01", "2025-01-01", "2025-02-01"}));
}

TEST(Period, BucketEdgesWeekAcrossYears) {
  EXPECT_EQ(ds::bucket_edges(D(2024, 12, 25), D(2025, 1, 8), Bucket::week),
            dates({"2024-12-23", "2024-12-30", "2025-01-06", "2025-01-13"}));
  EXPECT_EQ(ds::bucket_edges(D(2024, 12, 25), D(2025, 1, 8), Bucket::week, ds::Weekday::sunday),
            dates({"2024-12-22", "2024-12-29", "2025-01-05", "2025-01-12"}));
}

TEST(Period, BucketEdgesQuarterYearDay) {
  EXPECT_EQ(ds::bucket_edges(D(2024, 2, 1), D(2025, 1, 1), Bucket::quarter),
            dates({"2024-01-01", "2024-04-01", "2024-07-01", "2024-10-01", "2025-01-01"}));
  EXPECT_EQ(ds::bucket_edges(D(2023, 6, 1), D(2024, 6, 1), Bucket::year), dates({"2023-01-01", "2024-01-01", "2025-01-01"}));
  EXPECT_EQ(ds::bucket_edges(D(2024, 12, 30), D(2025, 1, 2), Bucket::day),
            dates({"2024-12-30", "2024-12-31", "2025-01-01", "2025-01-02"}));
  EXPECT_EQ(ds::bucket_edges(D(2024, 3, 5), D(2024, 3, 6), Bucket::year), dates({"2024-01-01", "2025-01-01"}));
}

TEST(Period, BucketEdgesRejectEmptyPeriod) {
  EXPECT_THROW((void)ds::bucket_edges(D(2024, 3, 5), D(2024, 3, 5), Bucket::day), ds::Error);
  EXPECT_THROW((void)ds::bucket_edges(D(2024, 3, 5), D(2024, 3, 1), Bucket::month), ds::Error);
}
