// Tests for dealstat/reports/stage_time.hpp (SPEC section 4; docs/reports.md,
// "Time in stage"): visits, total time, shares, mean and median of completed
// visits, censoring at as-of, revisits, the time closed of a reopened deal,
// and a whole-account balance that does not use the report's own code.
#include "dealstat/reports/stage_time.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "dealstat/core/error.hpp"
#include "dealstat/io/sample_generator.hpp"
#include "expect_error.hpp"
#include "test_accounts.hpp"

using namespace dealstat;
using namespace dealstat::test;

namespace {

const StageTimeRow& row(const StageTimeResult& r, std::int64_t stage_id, const char* pipeline = "Sales") {
  for (const auto& s : r.stages)
    if (s.stage_id == stage_id && s.pipeline == pipeline) return s;
  throw std::runtime_error("no such row");
}

DatasetPtr account() {
  TestAccount a;
  // 1, active: New d0 -> Qualified d2 -> New d5 (a revisit, still there).
  a.deal(1).at(day(0), kNew).at(day(2), kQualified).at(day(5), kNew);
  // 2, won: New d0 -> Proposal d4 -> won d6. Time after d6 is not stage time.
  a.deal(2).at(day(0), kNew).at(day(4), kProposal).at(day(6), kWon);
  // 3, reopened: New d0 -> won d1 -> Qualified d3 -> lost d4. d1..d3 is time closed.
  a.deal(3).at(day(0), kNew).at(day(1), kWon).at(day(3), kQualified).at(day(4), kLost);
  return std::move(a).build();
}

StageTimeResult run(const Dataset& ds, std::optional<std::int64_t> as_of, const char* pipeline = "") {
  StageTimeOptions o;
  if (as_of) o.as_of = Timestamp{*as_of};
  o.filter.pipeline = pipeline;
  o.threads = 1;
  return stage_time(ds, o);
}

}  // namespace

TEST(StageTime, VisitsTotalsSharesMeansAndMedians) {
  auto ds = account();
  auto r = run(*ds, day(10), "Sales");
  // Rows: the Sales pipeline's unsorted and open stages, in funnel order (no won/lost rows).
  ASSERT_EQ(r.stages.size(), 5u);
  EXPECT_EQ(r.stages[0].stage_id, kIncoming);
  EXPECT_EQ(r.stages[4].stage_id, kNegotiation);
  EXPECT_EQ(r.deals, 3);
  // New: completed 2d (deal 1), 4d (deal 2), 1d (deal 3); deal 1's revisit d5..d10 censored (5d).
  const auto& n = row(r, kNew);
  EXPECT_EQ(n.visits, 4);
  EXPECT_EQ(n.completed_visits, 3);
  EXPECT_EQ(n.censored_visits, 1);
  EXPECT_EQ(n.total_time_s, 12 * kDay);
  EXPECT_DOUBLE_EQ(n.mean_completed_s, 7.0 / 3 * kDay);
  EXPECT_DOUBLE_EQ(n.median_completed_s, 2.0 * kDay);
  // Qualified: deal 1 d2..d5 (3d), deal 3 d3..d4 (1d): mean = median = 2d.
  const auto& q = row(r, kQualified);
  EXPECT_EQ(q.visits, 2);
  EXPECT_EQ(q.completed_visits, 2);
  EXPECT_EQ(q.total_time_s, 4 * kDay);
  EXPECT_DOUBLE_EQ(q.mean_completed_s, 2.0 * kDay);
  EXPECT_DOUBLE_EQ(q.median_completed_s, 2.0 * kDay);
  // Proposal: deal 2 d4..d6 (2d); its time in won after d6 counts nowhere.
  EXPECT_EQ(row(r, kProposal).total_time_s, 2 * kDay);
  // Negotiation: never visited.
  const auto& g = row(r, kNegotiation);
  EXPECT_EQ(g.visits, 0);
  EXPECT_EQ(g.total_time_s, 0);
  EXPECT_TRUE(std::isnan(g.mean_completed_s));
  EXPECT_TRUE(std::isnan(g.median_completed_s));
  // All stage time: 12 + 4 + 2 = 18 days; shares 12/18, 4/18, 2/18, summing to 100.
  EXPECT_EQ(r.total_time_s, 18 * kDay);
  EXPECT_DOUBLE_EQ(n.share_pct, 100.0 * 12 / 18);
  EXPECT_DOUBLE_EQ(q.share_pct, 100.0 * 4 / 18);
  EXPECT_DOUBLE_EQ(row(r, kProposal).share_pct, 100.0 * 2 / 18);
  double sum = 0;
  for (const auto& s : r.stages) sum += s.share_pct;
  EXPECT_NEAR(sum, 100.0, 1e-12);
  // Deal 3's two days in won before it was reopened: kept apart.
  EXPECT_EQ(r.time_closed_s, 2 * kDay);
}

TEST(StageTime, WithoutPipelineEveryPipelineHasRows) {
  auto ds = account();
  auto r = run(*ds, day(10));
  // Sales: Incoming, New, Qualified, Proposal, Negotiation; Partners: Lead, Contract.
  ASSERT_EQ(r.stages.size(), 7u);
  EXPECT_EQ(r.stages[5].pipeline, "Partners");
  EXPECT_EQ(r.stages[5].stage_id, kLead);
  EXPECT_EQ(r.total_time_s, 18 * kDay);
}

TEST(StageTime, VisitsAreCensoredAtAsOf) {
  auto ds = account();
  auto r = run(*ds, day(3), "Sales");
  // As of d3. Deal 1: New d0..d2 completed (2d), Qualified d2.. censored (1d); its New at d5 is later.
  // Deal 2: New d0.. censored at d3 (3d) -- it only left New at d4, after as-of.
  // Deal 3: New d0..d1 completed (1d); won d1..d3 time closed (2d); Qualified entered at d3 exactly:
  // a censored visit of 0 seconds.
  const auto& n = row(r, kNew);
  EXPECT_EQ(n.visits, 3);
  EXPECT_EQ(n.completed_visits, 2);
  EXPECT_EQ(n.censored_visits, 1);
  EXPECT_EQ(n.total_time_s, 6 * kDay);
  EXPECT_DOUBLE_EQ(n.mean_completed_s, 1.5 * kDay);
  EXPECT_DOUBLE_EQ(n.median_completed_s, 1.5 * kDay);
  const auto& q = row(r, kQualified);
  EXPECT_EQ(q.visits, 2);
  EXPECT_EQ(q.completed_visits, 0);
  EXPECT_EQ(q.censored_visits, 2);
  EXPECT_EQ(q.total_time_s, 1 * kDay);
  EXPECT_TRUE(std::isnan(q.mean_completed_s));
  EXPECT_EQ(row(r, kProposal).visits, 0);
  EXPECT_EQ(r.total_time_s, 7 * kDay);
  EXPECT_EQ(r.time_closed_s, 2 * kDay);
  EXPECT_EQ(r.as_of_s, day(3));
}

TEST(StageTime, DefaultAsOfIsTheLatestInstant) {
  auto ds = account();
  auto r = run(*ds, std::nullopt, "Sales");
  // Latest instant: deal 2 won at d6. Deal 1's revisit of New is censored at d6 (1d).
  EXPECT_EQ(r.as_of_s, day(6));
  EXPECT_EQ(row(r, kNew).total_time_s, (2 + 1 + 4 + 1) * kDay);
}

TEST(StageTime, ReopenedDealLeftOpenAndMovedDeal) {
  TestAccount a;
  // Won d2, reopened to Proposal d5 and still there: 3 days closed, Proposal censored.
  a.deal(1).at(day(0), kNew).at(day(2), kWon).at(day(5), kProposal);
  // Partners/Lead d0 -> Sales/New d4 -> won d6: 4 days in Lead, 2 in New.
  a.deal(2).at(day(0), kLead, kPartners).at(day(4), kNew).at(day(6), kWon);
  auto ds = std::move(a).build();
  auto r = run(*ds, day(10));
  EXPECT_EQ(r.time_closed_s, 3 * kDay);
  EXPECT_EQ(row(r, kProposal).censored_visits, 1);
  EXPECT_EQ(row(r, kProposal).total_time_s, 5 * kDay);
  EXPECT_EQ(row(r, kLead, "Partners").total_time_s, 4 * kDay);
  EXPECT_EQ(row(r, kNew).total_time_s, (2 + 2) * kDay);
  EXPECT_EQ(r.total_time_s, (5 + 4 + 4) * kDay);
  // Filtered to Sales, the Partners rows (and their time) are not in the shares.
  auto s = run(*ds, day(10), "Sales");
  EXPECT_EQ(s.total_time_s, (5 + 4) * kDay);
}

TEST(StageTime, FilterChoosesTheDeals) {
  TestAccount a;
  a.deal(1).user(1).at(day(0), kNew).at(day(3), kWon);
  a.deal(2).user(3).at(day(0), kNew).at(day(5), kLost);
  auto ds = std::move(a).build();
  StageTimeOptions o;
  o.filter.groups = {"North"};
  auto r = stage_time(*ds, o);
  EXPECT_EQ(r.deals, 1);
  EXPECT_EQ(row(r, kNew).total_time_s, 3 * kDay);
  o.filter = {};
  o.filter.status = StatusFilter::lost;
  EXPECT_EQ(row(stage_time(*ds, o), kNew).total_time_s, 5 * kDay);
}

TEST(StageTime, BadOptionsThrowInvalidOption) {
  auto ds = account();
  StageTimeOptions o;
  o.filter.pipeline = "Nope";
  expect_bad_option([&] { stage_time(*ds, o); }, "pipeline");
  o = {};
  o.filter.users = {9};
  expect_bad_option([&] { stage_time(*ds, o); }, "users");
  o = {};
  o.filter.groups = {"East"};
  expect_bad_option([&] { stage_time(*ds, o); }, "groups");
  o = {};
  o.filter.period = Period{make_date(2024, 5, 1), make_date(2024, 4, 1)};
  expect_bad_option([&] { stage_time(*ds, o); }, "to");
}

TEST(StageTime, AllTimeBalancesOnALargerAccount) {
  // Independent of the report: with as-of at the latest instant, every selected deal's time from its
  // first path entry to its final close (or to as-of) is either stage time or time closed.
  auto ds = random_account(20000, 99);
  auto r = run(*ds, std::nullopt);
  DealSelector sel(*ds, DealFilter{});
  std::int64_t expect = 0;
  for (std::size_t i = 0; i < ds->deals().size(); ++i) {
    if (!sel.selects(i)) continue;
    const auto p = ds->paths().path(i);
    const bool closed = is_closed_kind(ds->deal_kind(i));
    expect += (closed ? p.entered_at[p.size() - 1] : r.as_of_s) - p.entered_at[0];
  }
  EXPECT_EQ(r.total_time_s + r.time_closed_s, expect);
  double sum = 0;
  std::int64_t total = 0;
  for (const auto& s : r.stages) {
    sum += s.share_pct;
    total += s.total_time_s;
    EXPECT_EQ(s.visits, s.completed_visits + s.censored_visits);
  }
  EXPECT_NEAR(sum, 100.0, 1e-9);
  EXPECT_EQ(total, r.total_time_s);
}

TEST(StageTime, SameResultWithOneTwoAndThreeThreads) {
  static const DatasetPtr big = random_account(200000);
  StageTimeOptions o;
  o.threads = 1;
  const auto one = stage_time(*big, o);
  for (unsigned t : {2u, 3u}) {
    o.threads = t;
    const auto r = stage_time(*big, o);
    EXPECT_EQ(r.total_time_s, one.total_time_s);
    EXPECT_EQ(r.time_closed_s, one.time_closed_s);
    EXPECT_EQ(r.deals, one.deals);
    ASSERT_EQ(r.stages.size(), one.stages.size());
    for (std::size_t k = 0; k < r.stages.size(); ++k) {
      EXPECT_EQ(r.stages[k].visits, one.stages[k].visits);
      EXPECT_EQ(r.stages[k].censored_visits, one.stages[k].censored_visits);
      EXPECT_EQ(r.stages[k].total_time_s, one.stages[k].total_time_s);
      EXPECT_EQ(std::memcmp(&r.stages[k].mean_completed_s, &one.stages[k].mean_completed_s, 8), 0);
      EXPECT_EQ(std::memcmp(&r.stages[k].median_completed_s, &one.stages[k].median_completed_s, 8), 0);
      EXPECT_EQ(r.stages[k].share_pct, one.stages[k].share_pct);
    }
  }
}

TEST(StageTime, SharesSumTo100OnTheSampleAccount) {
  static const DatasetPtr ds = make_sample(SampleOptions{});
  for (const char* pipeline : {"", "1"}) {
    StageTimeOptions o;
    if (*pipeline) o.filter.pipeline = std::to_string(ds->pipelines().id[0]);
    const auto r = stage_time(*ds, o);
    double sum = 0;
    std::int64_t total = 0;
    for (const auto& s : r.stages) {
      sum += s.share_pct;
      total += s.total_time_s;
      EXPECT_EQ(s.visits, s.completed_visits + s.censored_visits);
      EXPECT_GE(s.total_time_s, 0);
    }
    EXPECT_NEAR(sum, 100.0, 1e-9);
    EXPECT_EQ(total, r.total_time_s);
    EXPECT_GT(r.total_time_s, 0);
  }
}
