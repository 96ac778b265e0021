// Tests for dealstat/reports/movement.hpp (SPEC section 5; docs/reports.md,
// "Movement"): transitions with counts and budgets per bucket, entries per
// stage as distinct deals, created/won/lost/won budget, bucket edges at local
// midnights across DST changes (America/New_York) and in Europe/Moscow, weeks
// that start on the account's first day of week, the filter, bad options and
// determinism. Instants are written as day(n, h): n days and h hours after
// 2024-01-01T00:00:00Z (Mar 10 = day 69, Nov 1 = day 305, Nov 3 = day 307).
#include "dealstat/reports/movement.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <tuple>

#include "dealstat/core/error.hpp"
#include "dealstat/io/sample_generator.hpp"
#include "expect_error.hpp"
#include "test_accounts.hpp"

using namespace dealstat;
using namespace dealstat::test;

namespace {

LocalDate D(int y, int m, int d) { return make_date(y, m, d); }

std::uint32_t stage(const Dataset& ds, std::int64_t id, std::int64_t pipeline = kSales) {
  return ds.find_stage(*ds.find_pipeline(PipelineId{pipeline}), StageId{id})->value;
}

// {deals, budget} of the transition from -> to in bucket b; {0, 0} when absent.
std::pair<std::int64_t, std::int64_t> moved(const MovementResult& r, const Dataset& ds, std::size_t b, std::int64_t from,
                                            std::int64_t to) {
  for (const auto& t : r.transitions)
    if (t.bucket == b && t.from_stage == stage(ds, from) && t.to_stage == stage(ds, to)) return {t.deals, t.budget_minor};
  return {0, 0};
}

std::pair<std::int64_t, std::int64_t> entered(const MovementResult& r, const Dataset& ds, std::size_t b,
                                              std::int64_t st) {
  for (const auto& e : r.entries)
    if (e.bucket == b && e.stage == stage(ds, st)) return {e.deals, e.budget_minor};
  return {0, 0};
}

using P = std::pair<std::int64_t, std::int64_t>;

// Two weeks of January 2024 (Mon Jan 1 .. Sun Jan 14) in UTC.
DatasetPtr weeks_account() {
  TestAccount a;
  // A (100): New d0 -> Qualified d1 -> New d2 -> Qualified d3 -> won d9.
  a.deal(1, 100).user(1).at(day(0), kNew).at(day(1), kQualified).at(day(2), kNew).at(day(3), kQualified)
      .at(day(9), kWon);
  // B (50): Incoming d2 -> New d3 -> lost d8.
  a.deal(2, 50).user(3).at(day(2), kIncoming).at(day(3), kNew).at(day(8), kLost);
  // C (70): created Dec 27 (day -5, before the period) in New -> Qualified d1 -> won d4 -> Proposal d10 (reopened).
  a.deal(3, 70).user(1).at(day(-5), kNew).at(day(1), kQualified).at(day(4), kWon).at(day(10), kProposal);
  // D (30): New d12 -> won d20 (after the period).
  a.deal(4, 30).user(2).at(day(12), kNew).at(day(20), kWon);
  return std::move(a).build();
}

MovementOptions weeks() {
  MovementOptions o;
  o.filter.period = Period{D(2024, 1, 1), D(2024, 1, 15)};
  o.bucket = Bucket::week;
  o.threads = 1;
  return o;
}

}  // namespace

TEST(Movement, TransitionsEntriesAndTotalsPerWeek) {
  auto ds = weeks_account();
  auto r = movement(*ds, weeks());
  ASSERT_EQ(r.bucket_starts, (std::vector<LocalDate>{D(2024, 1, 1), D(2024, 1, 8)}));
  ASSERT_EQ(r.totals.size(), 2u);
  // Week 1 (Jan 1-7). New -> Qualified: A twice (d1, d3), C once (d1): 3 moves, 100 + 100 + 70.
  EXPECT_EQ(moved(r, *ds, 0, kNew, kQualified), (P{3, 270}));
  EXPECT_EQ(moved(r, *ds, 0, kQualified, kNew), (P{1, 100}));   // A d2
  EXPECT_EQ(moved(r, *ds, 0, kIncoming, kNew), (P{1, 50}));     // B d3
  EXPECT_EQ(moved(r, *ds, 0, kQualified, kWon), (P{1, 70}));    // C d4
  EXPECT_EQ(r.transitions.size(), 4u + 3u);                     // and three in week 2
  // Entries are distinct deals: New by A (created d0, again d2) and B (d3); Qualified by A (d1, d3)
  // and C (d1); Incoming by B (created d2); won by C (d4).
  EXPECT_EQ(entered(r, *ds, 0, kNew), (P{2, 150}));
  EXPECT_EQ(entered(r, *ds, 0, kQualified), (P{2, 170}));
  EXPECT_EQ(entered(r, *ds, 0, kIncoming), (P{1, 50}));
  EXPECT_EQ(entered(r, *ds, 0, kWon), (P{1, 70}));
  // Created: A (d0), B (d2); C was created before the period. Won/lost by the final close:
  // C's win on d4 was undone by its reopening on d10, so no win in week 1.
  EXPECT_EQ(r.totals[0].created, 2);
  EXPECT_EQ(r.totals[0].won, 0);
  EXPECT_EQ(r.totals[0].lost, 0);
  EXPECT_EQ(r.totals[0].won_budget_minor, 0);
  // Week 2 (Jan 8-14): B New -> lost d8, A Qualified -> won d9, C won -> Proposal d10; D created d12.
  EXPECT_EQ(moved(r, *ds, 1, kNew, kLost), (P{1, 50}));
  EXPECT_EQ(moved(r, *ds, 1, kQualified, kWon), (P{1, 100}));
  EXPECT_EQ(moved(r, *ds, 1, kWon, kProposal), (P{1, 70}));
  EXPECT_EQ(entered(r, *ds, 1, kNew), (P{1, 30}));  // D's creation stage
  EXPECT_EQ(entered(r, *ds, 1, kLost), (P{1, 50}));
  EXPECT_EQ(entered(r, *ds, 1, kWon), (P{1, 100}));
  EXPECT_EQ(entered(r, *ds, 1, kProposal), (P{1, 70}));
  EXPECT_EQ(r.totals[1].created, 1);
  EXPECT_EQ(r.totals[1].won, 1);  // A; D's win (Jan 21) is after the period
  EXPECT_EQ(r.totals[1].won_budget_minor, 100);
  EXPECT_EQ(r.totals[1].lost, 1);  // B
  // Sorted by bucket, from, to.
  for (std::size_t k = 1; k < r.transitions.size(); ++k)
    EXPECT_LE(r.transitions[k - 1].bucket, r.transitions[k].bucket);
  // Stage names for display.
  EXPECT_EQ(r.stage_names[stage(*ds, kQualified)], "Sales / Qualified");
}

TEST(Movement, IgnoresStatusFilterAndDateBasisButNotUsers) {
  auto ds = weeks_account();
  auto base = movement(*ds, weeks());
  auto o = weeks();
  o.filter.status = StatusFilter::lost;
  o.filter.date_basis = DateBasis::closed;
  auto r = movement(*ds, o);
  EXPECT_EQ(r.transitions.size(), base.transitions.size());
  EXPECT_EQ(r.entries.size(), base.entries.size());
  for (std::size_t b = 0; b < 2; ++b) {
    EXPECT_EQ(r.totals[b].created, base.totals[b].created);
    EXPECT_EQ(r.totals[b].won, base.totals[b].won);
  }
  // Users: Anna (1) has A and C. Week 1 New -> Qualified: A twice, C once, as before; B's moves are gone.
  o = weeks();
  o.filter.users = {1};
  auto u = movement(*ds, o);
  EXPECT_EQ(moved(u, *ds, 0, kNew, kQualified), (P{3, 270}));
  EXPECT_EQ(moved(u, *ds, 0, kIncoming, kNew), (P{0, 0}));
  EXPECT_EQ(u.totals[0].created, 1);  // A
  EXPECT_EQ(u.totals[1].lost, 0);     // B is Vera's
}

TEST(Movement, DayBucketsAcrossTheSpringDstChange) {
  // America/New_York: 2024-03-10 02:00 EST -> 03:00 EDT. Mar 10 starts at 05:00Z (EST),
  // Mar 11 at 04:00Z (EDT): the day of Mar 10 is 23 hours long.
  TestAccount a("America/New_York");
  a.deal(1).at(day(69, 5) - 1, kNew);  // Mar 10 04:59:59Z = Mar 9 23:59:59 EST -> Mar 9
  a.deal(2).at(day(69, 5), kNew);      // Mar 10 05:00Z = Mar 10 00:00 EST -> Mar 10
  a.deal(3).at(day(70, 4) - 1, kNew);  // Mar 11 03:59:59Z = Mar 10 23:59:59 EDT -> Mar 10
  a.deal(4).at(day(70, 4), kNew)       // Mar 11 04:00Z = Mar 11 00:00 EDT -> Mar 11 (a fixed -5 would say Mar 10)
      .at(day(70, 4) + 60, kQualified);
  auto ds = std::move(a).build();
  MovementOptions o;
  o.bucket = Bucket::day;
  o.filter.period = Period{D(2024, 3, 9), D(2024, 3, 12)};
  auto r = movement(*ds, o);
  ASSERT_EQ(r.bucket_starts, (std::vector<LocalDate>{D(2024, 3, 9), D(2024, 3, 10), D(2024, 3, 11)}));
  EXPECT_EQ(r.totals[0].created, 1);
  EXPECT_EQ(r.totals[1].created, 2);
  EXPECT_EQ(r.totals[2].created, 1);
  EXPECT_EQ(moved(r, *ds, 2, kNew, kQualified), (P{1, 0}));
}

TEST(Movement, DayBucketsAcrossTheAutumnDstChange) {
  // America/New_York: 2024-11-03 02:00 EDT -> 01:00 EST. Nov 3 starts at 04:00Z (EDT),
  // Nov 4 at 05:00Z (EST): the day of Nov 3 is 25 hours long.
  TestAccount a("America/New_York");
  a.deal(1).at(day(307, 4) - 1, kNew);     // Nov 3 03:59:59Z = Nov 2 23:59:59 EDT -> Nov 2
  a.deal(2).at(day(307, 4), kNew);         // Nov 3 04:00Z = Nov 3 00:00 EDT -> Nov 3
  a.deal(3).at(day(308, 4) + 1800, kNew);  // Nov 4 04:30Z = Nov 3 23:30 EST -> Nov 3 (EDT would say Nov 4)
  a.deal(4).at(day(308, 5), kNew);         // Nov 4 05:00Z = Nov 4 00:00 EST -> Nov 4
  auto ds = std::move(a).build();
  MovementOptions o;
  o.bucket = Bucket::day;
  o.filter.period = Period{D(2024, 11, 2), D(2024, 11, 5)};
  auto r = movement(*ds, o);
  ASSERT_EQ(r.totals.size(), 3u);
  EXPECT_EQ(r.totals[0].created, 1);
  EXPECT_EQ(r.totals[1].created, 2);
  EXPECT_EQ(r.totals[2].created, 1);
}

TEST(Movement, MonthBucketsInLocalTime) {
  {
    // New York, October/November: Nov 1 starts at 04:00Z (EDT).
    TestAccount a("America/New_York");
    a.deal(1).at(day(305, 4) - 1, kNew).at(day(305, 4) + 10, kWon);  // created Oct 31 23:59:59 EDT; won Nov 1
    auto ds = std::move(a).build();
    MovementOptions o;
    o.bucket = Bucket::month;
    o.filter.period = Period{D(2024, 10, 1), D(2024, 12, 1)};
    auto r = movement(*ds, o);
    ASSERT_EQ(r.bucket_starts, (std::vector<LocalDate>{D(2024, 10, 1), D(2024, 11, 1)}));
    EXPECT_EQ(r.totals[0].created, 1);
    EXPECT_EQ(r.totals[1].won, 1);
    EXPECT_EQ(moved(r, *ds, 1, kNew, kWon), (P{1, 0}));
  }
  {
    // Moscow (UTC+3 all year): Mar 1 starts at Feb 29 21:00Z.
    TestAccount a("Europe/Moscow");
    a.deal(1).at(day(59, 21) - 1, kNew);  // Feb 29 20:59:59Z = Feb 29 23:59:59 MSK -> February
    a.deal(2).at(day(59, 21), kNew);      // Feb 29 21:00Z = Mar 1 00:00 MSK -> March (UTC would say February)
    auto ds = std::move(a).build();
    MovementOptions o;
    o.bucket = Bucket::month;
    o.filter.period = Period{D(2024, 2, 1), D(2024, 4, 1)};
    auto r = movement(*ds, o);
    ASSERT_EQ(r.totals.size(), 2u);
    EXPECT_EQ(r.totals[0].created, 1);
    EXPECT_EQ(r.totals[1].created, 1);
    EXPECT_EQ(entered(r, *ds, 1, kNew), (P{1, 0}));
  }
}

TEST(Movement, WeeksStartOnTheAccountsFirstDayOfWeek) {
  // 2024-03-01 is a Friday; Mar 9 a Saturday (day 68), Mar 10 a Sunday (day 69).
  auto make = [](Weekday first) {
    TestAccount a("UTC", first);
    a.deal(1).at(day(68, 12), kNew);  // Sat Mar 9
    a.deal(2).at(day(69, 12), kNew);  // Sun Mar 10
    return std::move(a).build();
  };
  MovementOptions o;
  o.bucket = Bucket::week;
  o.filter.period = Period{D(2024, 3, 1), D(2024, 3, 20)};
  // Sunday weeks: Mar 1 (clipped from Feb 25), Mar 3, Mar 10, Mar 17 (clipped at Mar 20).
  auto sun = make(Weekday::sunday);
  auto r = movement(*sun, o);
  ASSERT_EQ(r.bucket_starts, (std::vector<LocalDate>{D(2024, 3, 1), D(2024, 3, 3), D(2024, 3, 10), D(2024, 3, 17)}));
  EXPECT_EQ(r.totals[1].created, 1);  // Saturday ends the week of Mar 3
  EXPECT_EQ(r.totals[2].created, 1);  // Sunday starts the week of Mar 10
  // Monday weeks: Mar 1, Mar 4, Mar 11, Mar 18: both days are in the week of Mar 4.
  auto mon = make(Weekday::monday);
  auto m = movement(*mon, o);
  ASSERT_EQ(m.bucket_starts, (std::vector<LocalDate>{D(2024, 3, 1), D(2024, 3, 4), D(2024, 3, 11), D(2024, 3, 18)}));
  EXPECT_EQ(m.totals[1].created, 2);
}

TEST(Movement, OpenPeriodRunsFromTheFirstDealToAsOf) {
  auto ds = weeks_account();
  MovementOptions o;
  o.bucket = Bucket::month;
  // From the earliest creation (C, Dec 27 2023) to the latest instant (D won Jan 21), inclusive.
  auto r = movement(*ds, o);
  ASSERT_EQ(r.bucket_starts, (std::vector<LocalDate>{D(2023, 12, 27), D(2024, 1, 1)}));
  EXPECT_EQ(r.totals[0].created, 1);  // C
  EXPECT_EQ(r.totals[1].created, 3);
  EXPECT_EQ(r.totals[1].won, 2);  // A (Jan 10) and D (Jan 21)
  EXPECT_EQ(r.totals[1].won_budget_minor, 130);
}

TEST(Movement, BadOptionsThrowInvalidOption) {
  auto ds = weeks_account();
  MovementOptions o = weeks();
  o.filter.pipeline = "Nope";
  expect_bad_option([&] { movement(*ds, o); }, "pipeline");
  o = weeks();
  o.filter.users = {5};
  expect_bad_option([&] { movement(*ds, o); }, "users");
  o = weeks();
  o.filter.groups = {"Nowhere"};
  expect_bad_option([&] { movement(*ds, o); }, "groups");
  o = weeks();
  o.filter.period = Period{D(2024, 1, 15), D(2024, 1, 1)};
  expect_bad_option([&] { movement(*ds, o); }, "to");
  // Only a start, after as-of: the period would end (as-of's next day) before it starts.
  o = weeks();
  o.filter.period = Period{D(2025, 1, 1), std::nullopt};
  expect_bad_option([&] { movement(*ds, o); }, "to");
}

TEST(Movement, WholeHistoryBalancesOnALargerAccount) {
  // Independent of the report: over the whole history every selected deal is created once, and every
  // path entry after the first is one transition.
  auto ds = random_account(20000, 5);
  MovementOptions o;
  o.bucket = Bucket::month;
  auto r = movement(*ds, o);
  DealSelector sel(*ds, DealFilter{});
  std::int64_t deals = 0, moves = 0, won = 0;
  for (std::size_t i = 0; i < ds->deals().size(); ++i) {
    if (!sel.selects(i)) continue;
    ++deals;
    moves += static_cast<std::int64_t>(ds->paths().path(i).size()) - 1;
    won += ds->deal_kind(i) == StageKind::won;
  }
  std::int64_t created = 0, transitions = 0, won_r = 0;
  for (const auto& t : r.totals) {
    created += t.created;
    won_r += t.won;
  }
  for (const auto& t : r.transitions) transitions += t.deals;
  EXPECT_EQ(created, deals);
  EXPECT_EQ(transitions, moves);
  EXPECT_EQ(won_r, won);
}

TEST(Movement, SameResultWithOneTwoAndThreeThreads) {
  static const DatasetPtr big = random_account(200000);
  MovementOptions o;
  o.bucket = Bucket::week;
  o.threads = 1;
  const auto one = movement(*big, o);
  for (unsigned t : {2u, 3u}) {
    o.threads = t;
    const auto r = movement(*big, o);
    ASSERT_EQ(r.transitions.size(), one.transitions.size());
    for (std::size_t k = 0; k < r.transitions.size(); ++k) {
      EXPECT_EQ(r.transitions[k].bucket, one.transitions[k].bucket);
      EXPECT_EQ(r.transitions[k].from_stage, one.transitions[k].from_stage);
      EXPECT_EQ(r.transitions[k].to_stage, one.transitions[k].to_stage);
      EXPECT_EQ(r.transitions[k].deals, one.transitions[k].deals);
      EXPECT_EQ(r.transitions[k].budget_minor, one.transitions[k].budget_minor);
    }
    ASSERT_EQ(r.entries.size(), one.entries.size());
    for (std::size_t k = 0; k < r.entries.size(); ++k) {
      EXPECT_EQ(r.entries[k].deals, one.entries[k].deals);
      EXPECT_EQ(r.entries[k].budget_minor, one.entries[k].budget_minor);
    }
    ASSERT_EQ(r.totals.size(), one.totals.size());
    for (std::size_t k = 0; k < r.totals.size(); ++k) {
      EXPECT_EQ(r.totals[k].created, one.totals[k].created);
      EXPECT_EQ(r.totals[k].won, one.totals[k].won);
      EXPECT_EQ(r.totals[k].lost, one.totals[k].lost);
      EXPECT_EQ(r.totals[k].won_budget_minor, one.totals[k].won_budget_minor);
    }
  }
}

TEST(Movement, WholeHistoryBalancesOnTheSampleAccount) {
  static const DatasetPtr ds = make_sample(SampleOptions{});
  MovementOptions o;
  o.bucket = Bucket::month;
  const auto r = movement(*ds, o);
  DealSelector sel(*ds, DealFilter{});
  std::int64_t deals = 0, moves = 0, won = 0, lost = 0;
  for (std::size_t i = 0; i < ds->deals().size(); ++i) {
    if (!sel.selects(i)) continue;
    ++deals;
    moves += static_cast<std::int64_t>(ds->paths().path(i).size()) - 1;
    won += ds->deal_kind(i) == StageKind::won;
    lost += ds->deal_kind(i) == StageKind::lost;
  }
  std::int64_t created = 0, transitions = 0, won_r = 0, lost_r = 0;
  for (const auto& t : r.totals) {
    created += t.created;
    won_r += t.won;
    lost_r += t.lost;
  }
  for (const auto& t : r.transitions) transitions += t.deals;
  EXPECT_EQ(created, deals);
  EXPECT_EQ(transitions, moves);
  EXPECT_EQ(won_r, won);
  EXPECT_EQ(lost_r, lost);
}

namespace {

// A second implementation, straight from the rules (docs/reports.md, "Movement"): every selected
// deal's creation, close and path entries, each placed in its bucket by a linear search of the
// bucket edges (local midnights of bucket_starts, the period's end closing the last bucket).
struct ReferenceMovement {
  std::map<std::tuple<std::size_t, std::uint32_t, std::uint32_t>, P> transitions;
  std::map<std::pair<std::size_t, std::uint32_t>, P> entries;
  std::vector<MovementTotals> totals;
};

ReferenceMovement reference_movement(const Dataset& ds, const MovementOptions& o, const MovementResult& r) {
  const TimeZone& tz = ds.account().time_zone;
  std::vector<std::int64_t> edges;
  for (auto d : r.bucket_starts) edges.push_back(tz.start_of_day(d).seconds);
  edges.push_back(tz.start_of_day(*o.filter.period.to).seconds);
  auto bucket = [&](std::int64_t t) -> std::ptrdiff_t {
    for (std::size_t b = 0; b + 1 < edges.size(); ++b)
      if (t >= edges[b] && t < edges[b + 1]) return static_cast<std::ptrdiff_t>(b);
    return -1;
  };
  ReferenceMovement ref;
  ref.totals.resize(r.bucket_starts.size());
  DealSelector sel(ds, o.filter);
  const auto& d = ds.deals();
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (!sel.selects_ignoring_period(i)) continue;
    const std::int64_t bud = d.budget_minor[i];
    if (auto b = bucket(d.created_at[i]); b >= 0) ++ref.totals[b].created;
    const StageKind k = ds.deal_kind(i);
    if (is_closed_kind(k))
      if (auto b = bucket(d.closed_at[i]); b >= 0) {
        (k == StageKind::won ? ref.totals[b].won : ref.totals[b].lost) += 1;
        if (k == StageKind::won) ref.totals[b].won_budget_minor += bud;
      }
    const PathView p = ds.paths().path(i);
    std::set<std::pair<std::ptrdiff_t, std::uint32_t>> seen;
    for (std::size_t j = 0; j < p.size(); ++j) {
      const auto b = bucket(p.entered_at[j]);
      if (b < 0) continue;
      const auto bu = static_cast<std::size_t>(b);
      if (seen.insert({b, p.stage[j]}).second) {
        auto& e = ref.entries[{bu, p.stage[j]}];
        e.first += 1;
        e.second += bud;
      }
      if (j > 0) {
        auto& t = ref.transitions[{bu, p.stage[j - 1], p.stage[j]}];
        t.first += 1;
        t.second += bud;
      }
    }
  }
  return ref;
}

void expect_reference(const Dataset& ds, const MovementOptions& o) {
  const auto r = movement(ds, o);
  const auto ref = reference_movement(ds, o, r);
  ASSERT_EQ(r.transitions.size(), ref.transitions.size());
  for (const auto& t : r.transitions) {
    auto it = ref.transitions.find({t.bucket, t.from_stage, t.to_stage});
    ASSERT_NE(it, ref.transitions.end());
    EXPECT_EQ(P(t.deals, t.budget_minor), it->second);
  }
  ASSERT_EQ(r.entries.size(), ref.entries.size());
  for (const auto& e : r.entries) {
    auto it = ref.entries.find({e.bucket, e.stage});
    ASSERT_NE(it, ref.entries.end());
    EXPECT_EQ(P(e.deals, e.budget_minor), it->second);
  }
  ASSERT_EQ(r.totals.size(), ref.totals.size());
  for (std::size_t b = 0; b < r.totals.size(); ++b) {
    EXPECT_EQ(r.totals[b].created, ref.totals[b].created) << b;
    EXPECT_EQ(r.totals[b].won, ref.totals[b].won) << b;
    EXPECT_EQ(r.totals[b].lost, ref.totals[b].lost) << b;
    EXPECT_EQ(r.totals[b].won_budget_minor, ref.totals[b].won_budget_minor) << b;
  }
}

}  // namespace

TEST(MovementReference, QuarterByWeekEqualsASecondImplementation) {
  // Dense transition cells; deals before, inside and after the period, reopened and moved deals.
  static const DatasetPtr ds = random_account(30000, 7);
  MovementOptions o;
  o.filter.period = Period{D(2024, 7, 1), D(2024, 10, 1)};
  o.bucket = Bucket::week;
  for (unsigned t : {1u, 2u}) {
    o.threads = t;
    expect_reference(*ds, o);
  }
  o.filter.users = {1, 3};
  expect_reference(*ds, o);
}

TEST(MovementReference, SixYearsByDayEqualsASecondImplementation) {
  // More (bucket, from, to) cells than the dense array holds: the hashed transitions.
  static const DatasetPtr ds = random_account(20000, 11);
  MovementOptions o;
  o.filter.period = Period{D(2020, 1, 1), D(2026, 1, 1)};
  o.bucket = Bucket::day;
  o.threads = 2;
  ASSERT_GT(2192u * ds->stages().size() * ds->stages().size(), 1u << 18);
  expect_reference(*ds, o);
  o.bucket = Bucket::month;
  o.filter.period = Period{D(2024, 3, 15), D(2024, 5, 20)};
  expect_reference(*ds, o);
}
