// Tests for dealstat/time/time_zone.hpp: IANA zones read from the system's
// TZif files, POSIX TZ strings, fixed offsets, DST gaps and overlaps.
//
// Expected instants were computed at development time with Python 3.11's
// zoneinfo (an independent TZif + footer implementation) on the same tzdata,
// e.g. int(datetime(2024,3,10,tzinfo=ZoneInfo("America/New_York")).timestamp()),
// and spot-checked with GNU date (TZ=America/New_York date -d '2024-03-10 00:00' +%s).
#include "dealstat/time/time_zone.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "dealstat/core/error.hpp"
#include "dealstat/time/calendar.hpp"

namespace ds = dealstat;
using ds::Timestamp;
using ds::TimeZone;

namespace {

constexpr std::int32_t kHour = 3600;

ds::LocalDate D(int y, int m, int d) { return ds::make_date(y, m, d); }

//! Offset just before and at the instant t.
std::pair<std::int32_t, std::int32_t> around(const TimeZone& tz, std::int64_t t) {
  return {tz.offset_at(Timestamp{t - 1}), tz.offset_at(Timestamp{t})};
}

bool have_zoneinfo(const char* name) {
  return std::filesystem::exists(std::filesystem::path("/usr/share/zoneinfo") / name) ||
         (std::getenv("TZDIR") != nullptr && std::filesystem::exists(std::filesystem::path(std::getenv("TZDIR")) / name));
}

#define REQUIRE_ZONEINFO(name) \
  if (!have_zoneinfo(name)) GTEST_SKIP() << "no zoneinfo for " << (name)

void expect_bad_zone(const std::string& spec) {
  try {
    (void)TimeZone::parse(spec);
    ADD_FAILURE() << "accepted \"" << spec << "\"";
  } catch (const ds::Error& e) {
    EXPECT_EQ(e.code(), ds::ErrorCode::invalid_option) << spec;
    EXPECT_EQ(e.problem().field, "time_zone") << spec;
    EXPECT_EQ(e.problem().value, spec);
  }
}

}  // namespace

TEST(TimeZone, DefaultIsUtc) {
  const TimeZone tz;
  EXPECT_EQ(tz.name(), "UTC");
  EXPECT_EQ(tz.offset_at(Timestamp{1700000000}), 0);
  // 1700000000 = 2023-11-14T22:13:20Z (date -u -d @1700000000)
  EXPECT_EQ(tz.local_date(Timestamp{1700000000}), D(2023, 11, 14));
  EXPECT_EQ(tz.local_seconds_of_day(Timestamp{1700000000}), 22 * 3600 + 13 * 60 + 20);
  EXPECT_EQ(tz.start_of_day(D(1970, 1, 2)).seconds, 86400);
  EXPECT_EQ(tz.local_date(Timestamp{-1}), D(1969, 12, 31));
  EXPECT_EQ(tz.local_seconds_of_day(Timestamp{-1}), 86399);
}

TEST(TimeZone, FixedOffsetSpellings) {
  EXPECT_EQ(TimeZone::parse("UTC").offset_at(Timestamp{0}), 0);
  EXPECT_EQ(TimeZone::parse("Z").offset_at(Timestamp{0}), 0);
  EXPECT_EQ(TimeZone::parse("gmt").offset_at(Timestamp{0}), 0);
  EXPECT_EQ(TimeZone::parse("+03:00").offset_at(Timestamp{0}), 3 * kHour);
  EXPECT_EQ(TimeZone::parse("-0530").offset_at(Timestamp{0}), -(5 * kHour + 1800));
  EXPECT_EQ(TimeZone::parse("+0545").offset_at(Timestamp{0}), 5 * kHour + 2700);
  EXPECT_EQ(TimeZone::parse("+3").offset_at(Timestamp{0}), 3 * kHour);
  // "UTC+3" / "GMT-5" are read the way people write them (east positive), not as POSIX.
  EXPECT_EQ(TimeZone::parse("UTC+3").offset_at(Timestamp{0}), 3 * kHour);
  EXPECT_EQ(TimeZone::parse("GMT-5").offset_at(Timestamp{0}), -5 * kHour);
  EXPECT_EQ(TimeZone::parse("UTC+05:30").offset_at(Timestamp{0}), 5 * kHour + 1800);
  EXPECT_EQ(TimeZone::parse("+03:00").name(), "+03:00");
}

TEST(TimeZone, FixedFactory) {
  const TimeZone tz = TimeZone::fixed(5 * kHour + 1800);
  EXPECT_EQ(tz.name(), "+05:30");
  EXPECT_EQ(TimeZone::fixed(-3 * kHour).name(), "-03:00");
  EXPECT_EQ(TimeZone::fixed(0).name(), "UTC");
  // 2024-01-01T00:00+05:30 = 2023-12-31T18:30Z = 1704047400
  EXPECT_EQ(tz.start_of_day(D(2024, 1, 1)).seconds, 1704047400);
  EXPECT_EQ(tz.local_date(Timestamp{1704047400 - 1}), D(2023, 12, 31));
  EXPECT_THROW((void)TimeZone::fixed(86400), ds::Error);
}

TEST(TimeZone, NewYorkSpringForward2024) {
  REQUIRE_ZONEINFO("America/New_York");
  const TimeZone ny = TimeZone::parse("America/New_York");
  EXPECT_EQ(ny.name(), "America/New_York");
  // 2024-03-10 02:00 EST -> 03:00 EDT at 07:00Z = 1710054000 (zoneinfo)
  EXPECT_EQ(around(ny, 1710054000), std::make_pair(-5 * kHour, -4 * kHour));
  EXPECT_EQ(ny.local_seconds_of_day(Timestamp{1710054000 - 1}), 2 * kHour - 1);  // 01:59:59 EST
  EXPECT_EQ(ny.local_seconds_of_day(Timestamp{1710054000}), 3 * kHour);          // 03:00:00 EDT
  // Local midnights: 2024-03-10 = 1710046800, 2024-03-11 = 1710129600, a 23-hour day.
  EXPECT_EQ(ny.start_of_day(D(2024, 3, 10)).seconds, 1710046800);
  EXPECT_EQ(ny.start_of_day(D(2024, 3, 11)).seconds, 1710129600);
  EXPECT_EQ(ny.start_of_day(D(2024, 3, 11)).seconds - ny.start_of_day(D(2024, 3, 10)).seconds, 23 * kHour);
  EXPECT_EQ(ny.local_date(Timestamp{1710129600 - 1}), D(2024, 3, 10));
  EXPECT_EQ(ny.local_date(Timestamp{1710129600}), D(2024, 3, 11));
  // 02:30 does not exist; it moves forward by the gap: 03:30 EDT = 1710055800 (zoneinfo, fold=0)
  EXPECT_EQ(ny.from_local(D(2024, 3, 10), 2 * kHour + 1800).seconds, 1710055800);
  EXPECT_EQ(ny.from_local(D(2024, 3, 10), 3 * kHour).seconds, 1710054000);
}

TEST(TimeZone, NewYorkFallBack2024) {
  REQUIRE_ZONEINFO("America/New_York");
  const TimeZone ny = TimeZone::parse("America/New_York");
  // 2024-11-03 02:00 EDT -> 01:00 EST at 06:00Z = 1730613600 (zoneinfo)
  EXPECT_EQ(around(ny, 1730613600), std::make_pair(-4 * kHour, -5 * kHour));
  // Midnights 2024-11-03 = 1730606400, 2024-11-04 = 1730696400: a 25-hour day.
  EXPECT_EQ(ny.start_of_day(D(2024, 11, 3)).seconds, 1730606400);
  EXPECT_EQ(ny.start_of_day(D(2024, 11, 4)).seconds - ny.start_of_day(D(2024, 11, 3)).seconds, 25 * kHour);
  // 01:30 happens twice: EDT 1730611800 (fold=0) and EST 1730615400 (fold=1). We take the earlier.
  EXPECT_EQ(ny.from_local(D(2024, 11, 3), kHour + 1800).seconds, 1730611800);
  EXPECT_EQ(ny.local_seconds_of_day(Timestamp{1730615400}), kHour + 1800);
  EXPECT_EQ(ny.local_date(Timestamp{1730696400 - 1}), D(2024, 11, 3));
}

TEST(TimeZone, NewYorkYearBoundary) {
  REQUIRE_ZONEINFO("America/New_York");
  const TimeZone ny = TimeZone::parse("America/New_York");
  // 2024-12-31 23:30 EST = 1735705800; 2025-01-01 00:00 EST = 1735707600 (zoneinfo)
  EXPECT_EQ(ny.from_local(D(2024, 12, 31), 23 * kHour + 1800).seconds, 1735705800);
  EXPECT_EQ(ny.local_date(Timestamp{1735705800}), D(2024, 12, 31));
  EXPECT_EQ(ny.start_of_day(D(2025, 1, 1)).seconds, 1735707600);
  EXPECT_EQ(ny.local_date(Timestamp{1735707600}), D(2025, 1, 1));
  // ...while in UTC that instant (05:00Z) was already 2025-01-01.
  EXPECT_EQ(TimeZone().local_date(Timestamp{1735705800}), D(2025, 1, 1));
}

TEST(TimeZone, Berlin2024) {
  REQUIRE_ZONEINFO("Europe/Berlin");
  const TimeZone b = TimeZone::parse("Europe/Berlin");
  // 2024-03-31 02:00 CET -> 03:00 CEST at 01:00Z = 1711846800; back at 2024-10-27 01:00Z = 1729990800
  EXPECT_EQ(around(b, 1711846800), std::make_pair(kHour, 2 * kHour));
  EXPECT_EQ(around(b, 1729990800), std::make_pair(2 * kHour, kHour));
  EXPECT_EQ(b.start_of_day(D(2024, 3, 31)).seconds, 1711839600);
  EXPECT_EQ(b.start_of_day(D(2024, 4, 1)).seconds - 1711839600, 23 * kHour);
  EXPECT_EQ(b.start_of_day(D(2024, 10, 27)).seconds, 1729980000);
  EXPECT_EQ(b.start_of_day(D(2024, 10, 28)).seconds, 1730070000);  // 25 hours later
}

TEST(TimeZone, MoscowNoDstSince2014) {
  REQUIRE_ZONEINFO("Europe/Moscow");
  const TimeZone m = TimeZone::parse("Europe/Moscow");
  EXPECT_EQ(m.offset_at(Timestamp{1719792000}), 3 * kHour);  // 2024-07-01
  EXPECT_EQ(m.offset_at(Timestamp{1420070400}), 3 * kHour);  // 2015-01-01
  // 2024-06-15 00:00 MSK = 2024-06-14T21:00Z = 1718398800
  EXPECT_EQ(m.start_of_day(D(2024, 6, 15)).seconds, 1718398800);
  // Every day of 2015..2024 is 24 hours long.
  for (std::int32_t d = D(2015, 1, 1).days; d < D(2025, 1, 1).days; ++d) {
    ASSERT_EQ(m.start_of_day(ds::LocalDate{d + 1}).seconds - m.start_of_day(ds::LocalDate{d}).seconds, 86400);
  }
}

TEST(TimeZone, MoscowHistoricalUtcPlus4) {
  REQUIRE_ZONEINFO("Europe/Moscow");
  const TimeZone m = TimeZone::parse("Europe/Moscow");
  // Before 2011: MSK +3 in winter, MSD +4 in summer.
  EXPECT_EQ(m.offset_at(Timestamp{1262304000}), 3 * kHour);  // 2010-01-01
  EXPECT_EQ(m.offset_at(Timestamp{1277942400}), 4 * kHour);  // 2010-07-01
  // 2011-03-27 02:00 -> 03:00 (23:00Z = 1301180400), then +4 all year until 2014.
  EXPECT_EQ(around(m, 1301180400), std::make_pair(3 * kHour, 4 * kHour));
  EXPECT_EQ(m.offset_at(Timestamp{1338508800}), 4 * kHour);  // 2012-06-01
  EXPECT_EQ(m.offset_at(Timestamp{1358208000}), 4 * kHour);  // 2013-01-15: winter, still +4
  // 2014-10-26 02:00 MSK(+4) -> 01:00 MSK(+3) at 2014-10-25T22:00Z = 1414274400
  EXPECT_EQ(around(m, 1414274400), std::make_pair(4 * kHour, 3 * kHour));
  // GNU date: TZ=Europe/Moscow date -d '2014-10-26 01:30' +%s  -> 1414276200 (+0300, the later);
  // we pick the earlier of the two 01:30s, +0400 = 1414272600.
  EXPECT_EQ(m.from_local(D(2014, 10, 26), kHour + 1800).seconds, 1414272600);
}

TEST(TimeZone, InstantsBeforeThePrecomputedRange) {
  REQUIRE_ZONEINFO("America/New_York");
  const TimeZone ny = TimeZone::parse("America/New_York");
  // From the TZif transitions themselves (zoneinfo): 1900-01-01 EST, 1918-07-01 EDT (first US DST),
  // 1968-07-01 EDT, 1968-12-01 EST.
  EXPECT_EQ(ny.offset_at(Timestamp{-2208988800}), -5 * kHour);
  EXPECT_EQ(ny.offset_at(Timestamp{-1625356800}), -4 * kHour);
  EXPECT_EQ(ny.offset_at(Timestamp{-47433600}), -4 * kHour);
  EXPECT_EQ(ny.offset_at(Timestamp{-34214400}), -5 * kHour);
}

TEST(TimeZone, Kolkata) {
  REQUIRE_ZONEINFO("Asia/Kolkata");
  const TimeZone k = TimeZone::parse("Asia/Kolkata");
  EXPECT_EQ(k.offset_at(Timestamp{1704067200}), 5 * kHour + 1800);  // 2024-01-01
  EXPECT_EQ(k.local_seconds_of_day(Timestamp{1704067200}), 5 * kHour + 1800);
}

TEST(TimeZone, StartOfDayInMidnightGap) {
  REQUIRE_ZONEINFO("America/Sao_Paulo");
  // 2018-11-04: Brazil's DST began at local midnight (00:00 -> 01:00). The day starts at
  // 01:00 -02 = 2018-11-04T03:00Z = 1541300400 (zoneinfo).
  const TimeZone sp = TimeZone::parse("America/Sao_Paulo");
  EXPECT_EQ(sp.start_of_day(D(2018, 11, 4)).seconds, 1541300400);
  EXPECT_EQ(sp.local_date(Timestamp{1541300400}), D(2018, 11, 4));
  EXPECT_EQ(sp.local_seconds_of_day(Timestamp{1541300400}), kHour);
  EXPECT_EQ(sp.local_date(Timestamp{1541300400 - 1}), D(2018, 11, 3));
}

TEST(TimeZone, GapAcrossMidnight) {
  // A made-up rule: UTC+0, DST (+1) from 2024-03-01 23:30 local, so 23:30..00:30 is skipped and
  // 2024-03-02 begins at the transition, 2024-03-01T23:30Z = 1709335800 (by hand: 19783*86400 + 84600).
  const TimeZone tz = TimeZone::parse("AAA0BBB,J60/23:30,J305/0");
  EXPECT_EQ(tz.start_of_day(D(2024, 3, 2)).seconds, 1709335800);
  EXPECT_EQ(tz.local_seconds_of_day(Timestamp{1709335800}), 1800);  // 00:30 local
  // from_local moves a skipped time forward by the gap: 00:00 -> 01:00 local = 2024-03-02T00:00Z.
  EXPECT_EQ(tz.from_local(D(2024, 3, 2), 0).seconds, 1709337600);
  EXPECT_EQ(tz.start_of_day(D(2024, 3, 1)).seconds, 1709251200);  // an ordinary day
}

TEST(TimeZone, FooterRulesAfterLastTransition) {
  // 2090 lies past the files' explicit transitions (2037), so the footer TZ string decides.
  // Transition instants from Python zoneinfo, which also evaluates the footer.
  REQUIRE_ZONEINFO("America/New_York");
  const TimeZone ny = TimeZone::parse("America/New_York");
  EXPECT_EQ(around(ny, 3792985200), std::make_pair(-5 * kHour, -4 * kHour));  // 2090-03-12
  EXPECT_EQ(around(ny, 3813544800), std::make_pair(-4 * kHour, -5 * kHour));  // 2090-11-05
  if (have_zoneinfo("Asia/Jerusalem")) {  // footer IST-2IDT,M3.4.4/26,M10.5.0 (hour 26)
    const TimeZone j = TimeZone::parse("Asia/Jerusalem");
    EXPECT_EQ(around(j, 3793996800), std::make_pair(2 * kHour, 3 * kHour));
    EXPECT_EQ(around(j, 3812914800), std::make_pair(3 * kHour, 2 * kHour));
  }
  if (have_zoneinfo("America/Nuuk")) {  // footer <-02>2<-01>,M3.5.0/-1,M10.5.0/0 (negative hour)
    const TimeZone n = TimeZone::parse("America/Nuuk");
    EXPECT_EQ(around(n, 3794173200), std::make_pair(-2 * kHour, -1 * kHour));
    EXPECT_EQ(around(n, 3812922000), std::make_pair(-1 * kHour, -2 * kHour));
  }
  if (have_zoneinfo("America/Santiago")) {  // footer <-04>4<-03>,M9.1.6/24,M4.1.6/24 (southern)
    const TimeZone s = TimeZone::parse("America/Santiago");
    EXPECT_EQ(around(s, 3794785200), std::make_pair(-3 * kHour, -4 * kHour));
    EXPECT_EQ(around(s, 3808094400), std::make_pair(-4 * kHour, -3 * kHour));
  }
}

TEST(TimeZone, PosixStrings) {
  const TimeZone msk = TimeZone::parse("MSK-3");
  EXPECT_EQ(msk.name(), "MSK-3");
  EXPECT_EQ(msk.offset_at(Timestamp{1719792000}), 3 * kHour);
  EXPECT_EQ(TimeZone::parse("<+03>-3").offset_at(Timestamp{1719792000}), 3 * kHour);
  EXPECT_EQ(TimeZone::parse("<-0330>3:30").offset_at(Timestamp{0}), -(3 * kHour + 1800));
  EXPECT_EQ(TimeZone::parse("IST-5:30").offset_at(Timestamp{0}), 5 * kHour + 1800);
  const TimeZone us = TimeZone::parse("EST5EDT,M3.2.0,M11.1.0");
  EXPECT_EQ(around(us, 1710054000), std::make_pair(-5 * kHour, -4 * kHour));
  EXPECT_EQ(around(us, 1730613600), std::make_pair(-4 * kHour, -5 * kHour));
  EXPECT_EQ(us.start_of_day(D(2024, 3, 10)).seconds, 1710046800);
  // Explicit times and a southern-hemisphere rule: Sydney 2024 ends DST 2024-04-07 03:00 AEDT
  // (1712419200) and starts it 2024-10-06 02:00 AEST (1728144000), per zoneinfo.
  const TimeZone syd = TimeZone::parse("AEST-10AEDT,M10.1.0,M4.1.0/3");
  EXPECT_EQ(syd.offset_at(Timestamp{1704067200}), 11 * kHour);  // January: summer
  EXPECT_EQ(around(syd, 1712419200), std::make_pair(11 * kHour, 10 * kHour));
  EXPECT_EQ(around(syd, 1728144000), std::make_pair(10 * kHour, 11 * kHour));
  // Julian-day forms: J60 is always March 1; 59 (zero-based) is Feb 29 in a leap year.
  const TimeZone j = TimeZone::parse("AAA0BBB,J60/0,J305/0");
  EXPECT_EQ(j.start_of_day(D(2024, 3, 1)).seconds, 1709251200);  // 2024-03-01T00:00Z: gap at midnight
  EXPECT_EQ(j.offset_at(Timestamp{1709251200}), kHour);
  const TimeZone z = TimeZone::parse("AAA0BBB,59/0,304/0");
  EXPECT_EQ(around(z, 1709164800), std::make_pair(0, kHour));  // 2024-02-29T00:00Z
  // All-year DST (RFC 8536 example): always the DST offset.
  const TimeZone all = TimeZone::parse("EST5EDT,0/0,J365/25");
  for (std::int64_t t : {0LL, 1704067200LL, 1719792000LL, 1735689600LL}) EXPECT_EQ(all.offset_at(Timestamp{t}), -4 * kHour);
}

TEST(TimeZone, PosixMatchesIanaFor2024) {
  struct Pair {
    const char* posix;
    const char* iana;
  };
  const Pair pairs[] = {{"EST5EDT,M3.2.0,M11.1.0", "America/New_York"},
                        {"CET-1CEST,M3.5.0,M10.5.0/3", "Europe/Berlin"},
                        {"MSK-3", "Europe/Moscow"},
                        {"<+03>-3", "Europe/Moscow"},
                        {"IST-5:30", "Asia/Kolkata"},
                        {"AEST-10AEDT,M10.1.0,M4.1.0/3", "Australia/Sydney"},
                        {"IST-2IDT,M3.4.4/26,M10.5.0", "Asia/Jerusalem"}};
  for (const Pair& p : pairs) {
    if (!have_zoneinfo(p.iana)) continue;
    const TimeZone a = TimeZone::parse(p.posix);
    const TimeZone b = TimeZone::parse(p.iana);
    // Every 15 minutes of 2024 (UTC), plus each local midnight.
    for (std::int64_t t = 1704067200; t < 1735689600; t += 900) {
      ASSERT_EQ(a.offset_at(Timestamp{t}), b.offset_at(Timestamp{t})) << p.posix << " vs " << p.iana << " at " << t;
    }
    for (std::int32_t d = D(2024, 1, 1).days; d <= D(2024, 12, 31).days; ++d) {
      ASSERT_EQ(a.start_of_day(ds::LocalDate{d}), b.start_of_day(ds::LocalDate{d})) << p.posix << " day " << d;
    }
  }
}

TEST(TimeZone, IanaEtcNamesKeepPosixSign) {
  REQUIRE_ZONEINFO("Etc/GMT-3");
  // The tz database names Etc/GMT-3 for UTC+3 (POSIX sign); the bare spelling GMT-3 means UTC-3.
  EXPECT_EQ(TimeZone::parse("Etc/GMT-3").offset_at(Timestamp{0}), 3 * kHour);
  EXPECT_EQ(TimeZone::parse("GMT-3").offset_at(Timestamp{0}), -3 * kHour);
}

TEST(TimeZone, BadSpecsAreInvalidOptions) {
  for (const char* spec : {"", "Mars/Olympus", "Europe/Moscow ", "../zoneinfo/UTC", "/etc/passwd", "+25:00",
                           "UTC+", "+03:0", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.2.0", "MS-3", "<+03-3",
                           "EST5EDT,M3.2.0,M11.1.0,", "Europe", "zone.tab", "EST5EDT,M3.6.0,M11.1.0"}) {
    expect_bad_zone(spec);
  }
}

TEST(TimeZone, LeapSecondZonesAreRejected) {
  REQUIRE_ZONEINFO("right/Europe/Moscow");
  expect_bad_zone("right/Europe/Moscow");
}

TEST(TimeZone, ReadsTzifVersion1FromTzdir) {
  // A hand-made TZif v1 file: +01:00 until 1000000000 (2001-09-09T01:46:40Z), then +02:00.
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "dealstat_tzdir_test";
  std::filesystem::create_directories(dir / "Test");
  {
    std::string b = "TZif";
    b.append(16, '\0');  // version 0 (v1) + 15 reserved
    auto be32 = [&b](std::uint32_t v) {
      for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<char>((v >> s) & 0xff));
    };
    for (std::uint32_t c : {0u, 0u, 0u, 1u, 2u, 8u}) be32(c);  // isut isstd leap time type char
    be32(1000000000u);
    b.push_back('\1');
    be32(3600u), b.push_back('\0'), b.push_back('\0');
    be32(7200u), b.push_back('\1'), b.push_back('\4');
    b.append("AAA\0BBB\0", 8);
    std::ofstream(dir / "Test" / "Zone", std::ios::binary) << b;
  }
  const char* old = std::getenv("TZDIR");
  const std::string saved = old != nullptr ? old : "";
  ::setenv("TZDIR", dir.c_str(), 1);
  const TimeZone tz = TimeZone::parse("Test/Zone");
  EXPECT_EQ(around(tz, 1000000000), std::make_pair(kHour, 2 * kHour));
  EXPECT_EQ(tz.offset_at(Timestamp{4000000000}), 2 * kHour);  // no footer in v1: the last offset holds
  expect_bad_zone("Test/Missing");
  if (old != nullptr) {
    ::setenv("TZDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("TZDIR");
  }
  std::filesystem::remove_all(dir);
}

TEST(TimeZone, CopiesShareRulesAndThreadsAgree) {
  REQUIRE_ZONEINFO("Europe/Berlin");
  const TimeZone a = TimeZone::parse("Europe/Berlin");
  TimeZone b;
  b = a;
  const TimeZone c = TimeZone::parse("Europe/Berlin");  // from the cache
  EXPECT_EQ(b.name(), "Europe/Berlin");
  std::vector<std::int64_t> sums(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < sums.size(); ++i) {
    threads.emplace_back([&, i] {
      const TimeZone mine = (i % 2 == 0) ? b : c;
      for (std::int64_t t = 1704067200; t < 1735689600; t += 3600) sums[i] += mine.offset_at(Timestamp{t});
    });
  }
  for (auto& t : threads) t.join();
  // 2024 has 8784 hours: 7200 s offset from 1711846800 to 1729990800 (5040 hours), 3600 s otherwise.
  const std::int64_t expected = 5040LL * 7200 + (8784LL - 5040) * 3600;
  for (std::int64_t s : sums) EXPECT_EQ(s, expected);
}
