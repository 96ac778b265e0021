// Tests for dealstat/io/value_parsers.hpp. Instants were computed with Python
// (datetime(..., tzinfo=ZoneInfo(...) or timezone(timedelta(...))).timestamp()).
#include "dealstat/io/value_parsers.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <limits>

#include "dealstat/time/calendar.hpp"

namespace ds = dealstat;
using ds::Money;
using ds::Timestamp;

namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

std::optional<std::int64_t> ts(std::string_view s, const ds::TimeZone& tz = ds::TimeZone()) {
  const auto t = ds::try_parse_timestamp(s, tz);
  if (!t) return std::nullopt;
  return t->seconds;
}

std::optional<std::int64_t> money(std::string_view s, int digits = 2) {
  const auto m = ds::try_parse_money(s, digits);
  if (!m) return std::nullopt;
  return m->minor;
}

}  // namespace

TEST(ValueParsers, Int) {
  EXPECT_EQ(ds::try_parse_int("0"), 0);
  EXPECT_EQ(ds::try_parse_int("-5"), -5);
  EXPECT_EQ(ds::try_parse_int("+7"), 7);
  EXPECT_EQ(ds::try_parse_int("007"), 7);
  EXPECT_EQ(ds::try_parse_int("9223372036854775807"), kMax);
  EXPECT_EQ(ds::try_parse_int("-9223372036854775808"), kMin);
  for (const char* bad : {"9223372036854775808", "-9223372036854775809", "", "+", "-", "+-1", "1.0", " 1", "1 ",
                          "0x10", "1e3", "١"}) {
    EXPECT_EQ(ds::try_parse_int(bad), std::nullopt) << bad;
  }
}

TEST(ValueParsers, Date) {
  EXPECT_EQ(ds::try_parse_date("2024-02-29"), ds::make_date(2024, 2, 29));
  EXPECT_EQ(ds::try_parse_date("2023-02-29"), std::nullopt);
  EXPECT_EQ(ds::try_parse_date("2024-2-29"), std::nullopt);
}

TEST(ValueParsers, TimestampUnixSeconds) {
  EXPECT_EQ(ts("1700000000"), 1700000000);
  EXPECT_EQ(ts("0"), 0);
  EXPECT_EQ(ts("-1"), -1);
  EXPECT_EQ(ts("1700000000.5"), std::nullopt);
  EXPECT_EQ(ts(""), std::nullopt);
}

TEST(ValueParsers, TimestampIsoWithOffset) {
  // The offset in the text wins over the zone passed in.
  const ds::TimeZone msk = ds::TimeZone::parse("MSK-3");
  EXPECT_EQ(ts("2024-03-10T02:30:00Z", msk), 1710037800);
  EXPECT_EQ(ts("2024-03-10t02:30:00z", msk), 1710037800);
  EXPECT_EQ(ts("2024-03-10 02:30Z", msk), 1710037800);
  EXPECT_EQ(ts("2024-06-15T12:34:56+03:00"), 1718444096);
  EXPECT_EQ(ts("2024-06-15T12:34:56+0300"), 1718444096);
  EXPECT_EQ(ts("2024-06-15T12:34:56+03"), 1718444096);
  EXPECT_EQ(ts("2024-06-15 12:34:56-05:30"), 1718474696);
  EXPECT_EQ(ts("2024-06-15 12:34:56-0530"), 1718474696);
  EXPECT_EQ(ts("2024-06-15T12:34:56.789+03:00"), 1718444096);  // fraction dropped
  EXPECT_EQ(ts("2024-06-15T12:34:56,5+03:00"), 1718444096);
  EXPECT_EQ(ts("2024-06-15T12:34:56.123456789Z"), 1718454896);
  EXPECT_EQ(ts("1969-12-31T23:59:59Z"), -1);
}

TEST(ValueParsers, TimestampIsoLocal) {
  const ds::TimeZone msk = ds::TimeZone::parse("MSK-3");
  EXPECT_EQ(ts("2024-06-15 12:34", msk), 1718444040);
  EXPECT_EQ(ts("2024-06-15T12:34:56", msk), 1718444096);
  EXPECT_EQ(ts("2024-06-15", msk), 1718398800);  // local midnight
  EXPECT_EQ(ts("2024-06-15"), 1718409600);       // UTC midnight
}

TEST(ValueParsers, TimestampIsoLocalAcrossDst) {
  if (!std::filesystem::exists("/usr/share/zoneinfo/America/New_York")) GTEST_SKIP();
  const ds::TimeZone ny = ds::TimeZone::parse("America/New_York");
  EXPECT_EQ(ts("2024-03-10", ny), 1710046800);
  EXPECT_EQ(ts("2024-03-10 01:59:59", ny), 1710053999);  // last EST second
  EXPECT_EQ(ts("2024-03-10 02:30", ny), 1710055800);     // in the gap: moved forward to 03:30 EDT
  EXPECT_EQ(ts("2024-03-10 03:00", ny), 1710054000);
  EXPECT_EQ(ts("2024-11-03 01:30", ny), 1730611800);     // twice: the earlier (EDT)
  EXPECT_EQ(ts("2024-11-03 01:30-05:00", ny), 1730615400);  // the later, when the text says so
  EXPECT_EQ(ts("2024-11-03 02:00", ny), 1730617200);
}

TEST(ValueParsers, TimestampMalformed) {
  for (const char* bad : {"2024-06-15T12:34:5", "2024-06-15T24:00", "2024-06-15T12:60", "2024-06-15T12:34:60",
                          "2024-02-30", "2024-06-15T12:34:56+3", "2024-06-15T12:34:56+03:0", "2024-06-15T12:34:56.Z",
                          "2024-06-15Z", "2024-06-15T", "2024-06-15T12", "2024-06-15X12:34", "2024-06-15T12:34 ",
                          "2024-06-15T12:34:56+24:00", "2024-06-15T12:34:56.1234567890Z", "abc", "2024-6-15",
                          "2024-06-15T12:34:56ZZ"}) {
    EXPECT_EQ(ts(bad), std::nullopt) << bad;
  }
}

TEST(ValueParsers, MoneyExactDecimal) {
  EXPECT_EQ(money("1234.5"), 123450);
  EXPECT_EQ(money("1234.50"), 123450);
  EXPECT_EQ(money("-0.07"), -7);
  EXPECT_EQ(money("0"), 0);
  EXPECT_EQ(money("-0"), 0);
  EXPECT_EQ(money("12"), 1200);
  EXPECT_EQ(money("+3.10"), 310);
  EXPECT_EQ(money(".5"), 50);
  EXPECT_EQ(money("5."), 500);
  EXPECT_EQ(money("0000000000000000000000001.00"), 100);
  EXPECT_EQ(money("1.5", 3), 1500);
  EXPECT_EQ(money("7", 0), 7);
  // 0.1 + 0.2 style values stay exact: no binary floating point on the way.
  EXPECT_EQ(money("0.30"), 30);
  EXPECT_EQ(money("9007199254740993.01"), 900719925474099301);  // 2^53 + 1 units, exact
}

TEST(ValueParsers, MoneyRoundsHalfAwayFromZero) {
  EXPECT_EQ(money("1.005"), 101);
  EXPECT_EQ(money("-1.005"), -101);
  EXPECT_EQ(money("1.0049999"), 100);
  EXPECT_EQ(money("0.995"), 100);
  EXPECT_EQ(money("-0.004"), 0);
  EXPECT_EQ(money("-0.005"), -1);
  EXPECT_EQ(money("12.5", 0), 13);
  EXPECT_EQ(money("-12.5", 0), -13);
  EXPECT_EQ(money("12.49", 0), 12);
}

TEST(ValueParsers, MoneyRange) {
  EXPECT_EQ(money("92233720368547758.07"), kMax);
  EXPECT_EQ(money("-92233720368547758.08"), kMin);
  EXPECT_EQ(money("92233720368547758.08"), std::nullopt);
  EXPECT_EQ(money("92233720368547758.075"), std::nullopt);  // rounds up past the maximum
  EXPECT_EQ(money("100000000000000000000"), std::nullopt);
  EXPECT_EQ(money("9223372036854775807", 0), kMax);
  EXPECT_EQ(money("1", 18), 1000000000000000000);
  EXPECT_EQ(money("10", 18), std::nullopt);
  EXPECT_EQ(money("1", 19), std::nullopt);
  EXPECT_EQ(money("1", -1), std::nullopt);
}

TEST(ValueParsers, MoneyMalformed) {
  for (const char* bad : {"1e5", "1E5", "1,5", "1 234", "1 234,50", "", ".", "-", "+", "--1", "+-1", "1.2.3", " 1",
                          "1 ", "$5", "5$", "0x10", "inf", "nan", "1.-5"}) {
    EXPECT_EQ(money(bad), std::nullopt) << bad;
  }
}

TEST(ValueParsers, Bool) {
  for (const char* t : {"true", "TRUE", "True", "1", "yes", "YES"}) EXPECT_EQ(ds::try_parse_bool(t), true) << t;
  for (const char* f : {"false", "False", "0", "no", "NO"}) EXPECT_EQ(ds::try_parse_bool(f), false) << f;
  for (const char* bad : {"", "y", "n", "t", "f", "2", "truee", " true", "on"}) {
    EXPECT_EQ(ds::try_parse_bool(bad), std::nullopt) << bad;
  }
}
