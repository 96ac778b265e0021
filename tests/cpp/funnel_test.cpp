// Tests for dealstat/reports/funnel.hpp (SPEC section 3; docs/reports.md,
// "Funnel"): the skip policies on deals that skip a stage, move back, are
// reopened or moved from another pipeline; the unsorted row and the 100% base;
// conversions with Wilson intervals (statsmodels' values); lost here; budgets
// and budget mode; time to close, Kaplan-Meier with censoring at as-of;
// determinism over thread counts; invariants on a larger random account.
// Every expected value is worked out by hand in a comment.
#include "dealstat/reports/funnel.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "dealstat/core/error.hpp"
#include "dealstat/io/mapping.hpp"
#include "dealstat/io/sample_generator.hpp"
#include "expect_error.hpp"
#include "test_accounts.hpp"

using namespace dealstat;
using namespace dealstat::test;

namespace {

using Counts = std::vector<std::int64_t>;

// Reached per row of the Sales funnel: [Incoming, New, Qualified, Proposal, Negotiation, Won].
Counts reached(const FunnelResult& r) {
  Counts out;
  for (const auto& s : r.stages) out.push_back(s.reached);
  return out;
}

const FunnelStage& row(const FunnelResult& r, std::int64_t stage_id) {
  for (const auto& s : r.stages)
    if (s.stage_id == stage_id) return s;
  throw std::runtime_error("no such row");
}

// The account of the skip-policy tests: one deal per case, tagged with its case.
DatasetPtr policy_account() {
  TestAccount a;
  // skip: New -> Proposal (Qualified skipped) -> lost.
  a.deal(1, 100).tag("skip").at(day(0), kNew).at(day(2), kProposal).at(day(4), kLost);
  // back: New -> Qualified -> Proposal -> Qualified (back) -> Negotiation, active.
  a.deal(2, 200).tag("back").at(day(0), kNew).at(day(1), kQualified).at(day(2), kProposal).at(day(3), kQualified)
      .at(day(4), kNegotiation);
  // reopened-lost: New -> Qualified -> won -> Proposal (reopened) -> lost.
  a.deal(3, 300).tag("reopened-lost").at(day(0), kNew).at(day(1), kQualified).at(day(2), kWon).at(day(3), kProposal)
      .at(day(5), kLost);
  // reopened-won: New -> won -> Qualified (reopened) -> won.
  a.deal(4, 400).tag("reopened-won").at(day(0), kNew).at(day(1), kWon).at(day(2), kQualified).at(day(3), kWon);
  // reopened-open: New -> Qualified -> won -> New (reopened), left open.
  a.deal(5, 500).tag("reopened-open").at(day(0), kNew).at(day(1), kQualified).at(day(2), kWon).at(day(3), kNew);
  // moved: Partners/Lead -> Sales/Proposal -> won.
  a.deal(6, 600).tag("moved").at(day(0), kLead, kPartners).at(day(1), kProposal).at(day(3), kWon);
  // out-of-order: New -> Proposal -> Qualified -> Proposal -> Negotiation, active. It entered every
  // open stage in order (New d0, Qualified d2, Proposal d3, Negotiation d4) after a first jump ahead.
  a.deal(7, 700).tag("out-of-order").at(day(0), kNew).at(day(1), kProposal).at(day(2), kQualified)
      .at(day(3), kProposal).at(day(4), kNegotiation);
  // no-history: won, no stage changes known (created d0, closed d5).
  a.deal(8, 800).tag("no-history").at(day(0), kNew).at(day(5), kWon).no_history();
  // unsorted: Incoming -> New -> lost.
  a.deal(9, 900).tag("unsorted").at(day(0), kIncoming).at(day(1), kNew).at(day(2), kLost);
  // unsorted-pending: still in Incoming.
  a.deal(10, 1000).tag("unsorted-pending").at(day(0), kIncoming);
  return std::move(a).build();
}

FunnelResult run(const Dataset& ds, SkipPolicy skip, const char* tag = nullptr) {
  FunnelOptions o;
  o.skip = skip;
  if (tag) o.filter.tags = {tag};
  o.threads = 1;
  return funnel(ds, o);
}

constexpr auto kImplied = SkipPolicy::implied;
constexpr auto kObserved = SkipPolicy::observed;
constexpr auto kStrict = SkipPolicy::strict;

}  // namespace

TEST(Funnel, RowsAreTheSalesStagesInFunnelOrderWithoutLost) {
  auto ds = policy_account();
  auto r = run(*ds, kImplied);
  // No pipeline in the filter: the first pipeline (Sales). Rows: unsorted, open by sort, won.
  EXPECT_EQ(r.pipeline_name, "Sales");
  ASSERT_EQ(r.stages.size(), 6u);
  const std::int64_t ids[] = {kIncoming, kNew, kQualified, kProposal, kNegotiation, kWon};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(r.stages[i].stage_id, ids[i]);
  EXPECT_EQ(r.stages[0].kind, StageKind::unsorted);
  EXPECT_EQ(r.stages[5].kind, StageKind::won);
}

TEST(Funnel, SkippedStagesCountAsPassedUnderImplied) {
  auto ds = policy_account();
  // New -> Proposal -> lost: passing Proposal implies Qualified; the furthest stage is Proposal.
  EXPECT_EQ(reached(run(*ds, kImplied, "skip")), (Counts{0, 1, 1, 1, 0, 0}));
}

TEST(Funnel, SkippedStagesAreNotReachedUnderObserved) {
  auto ds = policy_account();
  EXPECT_EQ(reached(run(*ds, kObserved, "skip")), (Counts{0, 1, 0, 1, 0, 0}));
}

TEST(Funnel, SkippingAStageDropsTheDealUnderStrict) {
  auto ds = policy_account();
  // Qualified was skipped: the deal drops out of Qualified and every later stage.
  EXPECT_EQ(reached(run(*ds, kStrict, "skip")), (Counts{0, 1, 0, 0, 0, 0}));
}

TEST(Funnel, MovingBackCountsEachStageOnce) {
  auto ds = policy_account();
  // Qualified entered twice, counted once; entered in order New, Qualified, Proposal, Negotiation.
  for (auto p : {kImplied, kObserved, kStrict}) EXPECT_EQ(reached(run(*ds, p, "back")), (Counts{0, 1, 1, 1, 1, 0}));
}

TEST(Funnel, StrictAcceptsStagesEnteredInOrderAfterAJumpAhead) {
  auto ds = policy_account();
  // New d0, Proposal d1, Qualified d2, Proposal d3, Negotiation d4: the path holds New, Qualified,
  // Proposal, Negotiation in this order (d0 < d2 < d3 < d4), so strict counts all four.
  EXPECT_EQ(reached(run(*ds, kStrict, "out-of-order")), (Counts{0, 1, 1, 1, 1, 0}));
  EXPECT_EQ(reached(run(*ds, kImplied, "out-of-order")), (Counts{0, 1, 1, 1, 1, 0}));
  EXPECT_EQ(reached(run(*ds, kObserved, "out-of-order")), (Counts{0, 1, 1, 1, 1, 0}));
}

TEST(Funnel, ReopenedCloseDoesNotCount) {
  auto ds = policy_account();
  // won -> Proposal -> lost: the won entry is undone; open entries New, Qualified, Proposal.
  for (auto p : {kImplied, kObserved, kStrict})
    EXPECT_EQ(reached(run(*ds, p, "reopened-lost")), (Counts{0, 1, 1, 1, 0, 0})) << static_cast<int>(p);
  auto r = run(*ds, kImplied, "reopened-lost");
  EXPECT_EQ(r.lost, 1);
  EXPECT_EQ(r.won, 0);
  EXPECT_EQ(row(r, kProposal).lost_here, 1);  // furthest open stage: Proposal

  // won -> Qualified -> won: won now. Implied: every open stage; observed: New, Qualified, won;
  // strict: New, Qualified, then Proposal is missing, so neither Proposal nor won.
  EXPECT_EQ(reached(run(*ds, kImplied, "reopened-won")), (Counts{0, 1, 1, 1, 1, 1}));
  EXPECT_EQ(reached(run(*ds, kObserved, "reopened-won")), (Counts{0, 1, 1, 0, 0, 1}));
  EXPECT_EQ(reached(run(*ds, kStrict, "reopened-won")), (Counts{0, 1, 1, 0, 0, 0}));

  // won -> New, left open: active, furthest open stage Qualified, not won.
  for (auto p : {kImplied, kObserved, kStrict})
    EXPECT_EQ(reached(run(*ds, p, "reopened-open")), (Counts{0, 1, 1, 0, 0, 0}));
  r = run(*ds, kImplied, "reopened-open");
  EXPECT_EQ(r.active, 1);
  EXPECT_EQ(r.won, 0);
}

TEST(Funnel, DealMovedFromAnotherPipeline) {
  auto ds = policy_account();
  // Partners/Lead -> Sales/Proposal -> won. Its Partners entry is ignored in the Sales funnel.
  // Implied: won, so every open stage. Observed: Proposal and won. Strict: New never entered.
  EXPECT_EQ(reached(run(*ds, kImplied, "moved")), (Counts{0, 1, 1, 1, 1, 1}));
  EXPECT_EQ(reached(run(*ds, kObserved, "moved")), (Counts{0, 0, 0, 1, 0, 1}));
  EXPECT_EQ(reached(run(*ds, kStrict, "moved")), (Counts{0, 0, 0, 0, 0, 0}));
  // It is a Sales deal now: the Partners funnel does not count it.
  FunnelOptions o;
  o.filter.pipeline = "Partners";
  o.filter.tags = {"moved"};
  auto p = funnel(*ds, o);
  EXPECT_EQ(p.deals, 0);
  EXPECT_EQ(p.stages[0].reached, 0);
}

TEST(Funnel, DealWithOnlyItsFinalStageReachedTheFirstOpenStage) {
  auto ds = policy_account();
  // Won with no history: implied -> everything; observed -> New (the rule) and won; strict -> New only.
  EXPECT_EQ(reached(run(*ds, kImplied, "no-history")), (Counts{0, 1, 1, 1, 1, 1}));
  EXPECT_EQ(reached(run(*ds, kObserved, "no-history")), (Counts{0, 1, 0, 0, 0, 1}));
  EXPECT_EQ(reached(run(*ds, kStrict, "no-history")), (Counts{0, 1, 0, 0, 0, 0}));
}

TEST(Funnel, UnsortedRowCountsOnlyDealsThatEnteredIt) {
  auto ds = policy_account();
  for (auto p : {kImplied, kObserved, kStrict}) {
    EXPECT_EQ(reached(run(*ds, p, "unsorted")), (Counts{1, 1, 0, 0, 0, 0}));
    // Still in unsorted: not at the first open stage.
    EXPECT_EQ(reached(run(*ds, p, "unsorted-pending")), (Counts{1, 0, 0, 0, 0, 0}));
  }
  auto r = run(*ds, kImplied, "unsorted");
  EXPECT_EQ(row(r, kNew).lost_here, 1);  // Incoming -> New -> lost: lost at New
}

TEST(Funnel, WholeAccountUnderEachPolicy) {
  auto ds = policy_account();
  // Sums of the per-deal rows above (deals 1..10).
  // implied: Incoming 9,10; New 1-9; Qualified 1-8; Proposal 1,2,3,4,6,7,8; Negotiation 2,4,6,7,8; Won 4,6,8.
  auto r = run(*ds, kImplied);
  EXPECT_EQ(reached(r), (Counts{2, 9, 8, 7, 5, 3}));
  // observed: New 1,2,3,4,5,7,8,9; Qualified 2,3,4,5,7; Proposal 1,2,3,6,7; Negotiation 2,7; Won 4,6,8.
  EXPECT_EQ(reached(run(*ds, kObserved)), (Counts{2, 8, 5, 5, 2, 3}));
  // strict: New 1,2,3,4,5,7,8,9; Qualified 2,3,4,5,7; Proposal 2,3,7; Negotiation 2,7; Won none.
  EXPECT_EQ(reached(run(*ds, kStrict)), (Counts{2, 8, 5, 3, 2, 0}));
  // won 4,6,8; lost 1,3,9; active 2,5,7,10.
  EXPECT_EQ(r.deals, 10);
  EXPECT_EQ(r.won, 3);
  EXPECT_EQ(r.lost, 3);
  EXPECT_EQ(r.active, 4);
  // Lost here: 1 and 3 at Proposal (budgets 100 + 300), 9 at New (900).
  EXPECT_EQ(row(r, kNew).lost_here, 1);
  EXPECT_EQ(row(r, kNew).lost_here_budget_minor, 900);
  EXPECT_EQ(row(r, kProposal).lost_here, 2);
  EXPECT_EQ(row(r, kProposal).lost_here_budget_minor, 400);
  EXPECT_EQ(row(r, kQualified).lost_here, 0);
  // Budget of the deals that reached Won (implied): 4, 6, 8 -> 400 + 600 + 800.
  EXPECT_EQ(row(r, kWon).budget_minor, 1800);
  // The first open stage is the 100% base; the unsorted row has no conversion.
  EXPECT_DOUBLE_EQ(row(r, kNew).conversion_from_first_pct, 100.0);
  EXPECT_TRUE(std::isnan(row(r, kNew).step_conversion_pct));
  EXPECT_TRUE(std::isnan(row(r, kIncoming).conversion_from_first_pct));
  EXPECT_TRUE(std::isnan(row(r, kIncoming).step_conversion_pct));
  // Qualified: 8/9 of New; Won step: 3/5 of Negotiation.
  EXPECT_DOUBLE_EQ(row(r, kQualified).conversion_from_first_pct, 100.0 * 8 / 9);
  EXPECT_DOUBLE_EQ(row(r, kWon).step_conversion_pct, 60.0);
}

namespace {
// Sales: 38 deals at New; 19 lost there, 19 go New -> Qualified -> Proposal -> Negotiation -> won.
// Partners: 20 deals at Lead; 18 go Lead -> Contract -> won, 2 lost at Lead.
DatasetPtr wilson_account() {
  TestAccount a;
  std::int64_t id = 0;
  for (int i = 0; i < 19; ++i) a.deal(++id, 100).at(day(i), kNew).at(day(i + 3), kLost);
  for (int i = 0; i < 19; ++i)
    a.deal(++id, 100).at(day(i), kNew).at(day(i + 1), kQualified).at(day(i + 2), kProposal)
        .at(day(i + 3), kNegotiation).at(day(i + 4), kWon);
  for (int i = 0; i < 18; ++i)
    a.deal(++id, 100).at(day(i), kLead, kPartners).at(day(i + 1), kContract, kPartners).at(day(i + 2), kWon, kPartners);
  for (int i = 0; i < 2; ++i) a.deal(++id, 100).at(day(i), kLead, kPartners).at(day(i + 1), kLost, kPartners);
  return std::move(a).build();
}
}  // namespace

TEST(Funnel, ConversionFromFirstWithWilsonInterval) {
  auto ds = wilson_account();
  auto r = run(*ds, kImplied);
  EXPECT_EQ(reached(r), (Counts{0, 38, 19, 19, 19, 19}));
  // Qualified: 19/38 = 50%; statsmodels proportion_confint(19, 38, method="wilson") =
  // (0.348499283643951, 0.651500716356049). Its step conversion is also 19/38.
  const auto& q = row(r, kQualified);
  EXPECT_DOUBLE_EQ(q.conversion_from_first_pct, 50.0);
  EXPECT_NEAR(q.conversion_from_first_lower_pct, 34.8499283643951, 1e-10);
  EXPECT_NEAR(q.conversion_from_first_upper_pct, 65.1500716356049, 1e-10);
  EXPECT_NEAR(q.step_conversion_lower_pct, 34.8499283643951, 1e-10);
  EXPECT_NEAR(q.step_conversion_upper_pct, 65.1500716356049, 1e-10);
  // Won: 19/38 from first, 19/19 step: Wilson(19, 19) ends at exactly 100%.
  const auto& w = row(r, kWon);
  EXPECT_DOUBLE_EQ(w.conversion_from_first_pct, 50.0);
  EXPECT_DOUBLE_EQ(w.step_conversion_pct, 100.0);
  EXPECT_DOUBLE_EQ(w.step_conversion_upper_pct, 100.0);
  EXPECT_LT(w.step_conversion_lower_pct, 100.0);
  // Lost here: the 19 at New.
  EXPECT_EQ(row(r, kNew).lost_here, 19);
  EXPECT_EQ(row(r, kNew).lost_here_budget_minor, 1900);
}

TEST(Funnel, StepConversionWithWilsonInterval) {
  auto ds = wilson_account();
  FunnelOptions o;
  o.filter.pipeline = "2";  // Partners, by id
  auto r = funnel(*ds, o);
  ASSERT_EQ(r.stages.size(), 3u);  // Lead, Contract, Won
  EXPECT_EQ(reached(r), (Counts{20, 18, 18}));
  // Contract: 18/20 = 90%; statsmodels wilson: (0.6989663547715128, 0.972133518786232).
  const auto& c = row(r, kContract);
  EXPECT_DOUBLE_EQ(c.step_conversion_pct, 90.0);
  EXPECT_NEAR(c.step_conversion_lower_pct, 69.89663547715128, 1e-10);
  EXPECT_NEAR(c.step_conversion_upper_pct, 97.2133518786232, 1e-10);
  EXPECT_DOUBLE_EQ(c.conversion_from_first_pct, 90.0);
  EXPECT_EQ(row(r, kLead).lost_here, 2);
  // A 90% level gives a narrower interval.
  o.confidence = 0.90;
  auto r90 = funnel(*ds, o);
  EXPECT_GT(row(r90, kContract).step_conversion_lower_pct, c.step_conversion_lower_pct);
}

TEST(Funnel, BudgetsAndBudgetMode) {
  TestAccount a;
  a.deal(1, 1000).at(day(0), kNew).at(day(1), kQualified).at(day(2), kWon);   // A
  a.deal(2, 300).at(day(0), kNew).at(day(1), kQualified).at(day(2), kLost);   // B
  a.deal(3, 200).at(day(0), kNew).at(day(1), kLost);                          // C
  a.deal(4, 500).at(day(0), kNew);                                            // D, active
  auto ds = std::move(a).build();
  FunnelOptions o;
  auto r = funnel(*ds, o);
  // Implied: A (won) passes every open stage; B reached Qualified; C and D New.
  // New: 4 deals, 1000+300+200+500 = 2000; Qualified: A, B = 1300; Proposal, Negotiation, Won: A = 1000.
  EXPECT_EQ(reached(r), (Counts{0, 4, 2, 1, 1, 1}));
  EXPECT_EQ(row(r, kNew).budget_minor, 2000);
  EXPECT_EQ(row(r, kQualified).budget_minor, 1300);
  EXPECT_EQ(row(r, kProposal).budget_minor, 1000);
  EXPECT_EQ(row(r, kWon).budget_minor, 1000);
  EXPECT_EQ(row(r, kQualified).lost_here_budget_minor, 300);
  EXPECT_EQ(row(r, kNew).lost_here_budget_minor, 200);
  EXPECT_DOUBLE_EQ(row(r, kQualified).conversion_from_first_pct, 50.0);  // 2/4 by count
  o.value = ValueMode::budget;
  auto b = funnel(*ds, o);
  // By budget: Qualified 1300/2000 = 65%; Proposal from first 1000/2000 = 50%, step 1000/1300.
  EXPECT_DOUBLE_EQ(row(b, kQualified).conversion_from_first_pct, 65.0);
  EXPECT_DOUBLE_EQ(row(b, kQualified).step_conversion_pct, 65.0);
  EXPECT_DOUBLE_EQ(row(b, kProposal).conversion_from_first_pct, 50.0);
  EXPECT_DOUBLE_EQ(row(b, kProposal).step_conversion_pct, 100.0 * 1000 / 1300);
  // No Wilson interval for a ratio of money; counts and budgets themselves are unchanged.
  EXPECT_TRUE(std::isnan(row(b, kProposal).step_conversion_lower_pct));
  EXPECT_TRUE(std::isnan(row(b, kProposal).conversion_from_first_upper_pct));
  EXPECT_EQ(reached(b), reached(r));
  EXPECT_EQ(row(b, kNew).budget_minor, 2000);
}

TEST(Funnel, TimeToCloseMeanAndMedianForWonAndLost) {
  TestAccount a;
  a.deal(1).at(day(0), kNew).at(day(10), kWon);
  a.deal(2).at(day(3), kNew).at(day(23), kWon);
  a.deal(3).at(day(5), kNew).at(day(20), kQualified).at(day(45), kWon);
  a.deal(4).at(day(1), kNew).at(day(6), kLost);
  a.deal(5).at(day(2), kNew).at(day(17), kLost);
  a.deal(6).at(day(0), kNew);  // active: in neither
  auto ds = std::move(a).build();
  auto r = funnel(*ds);
  // Won: 10, 20, 40 days -> mean 70/3 days, median 20 days. Lost: 5, 15 -> mean 10, median 10.
  EXPECT_EQ(r.won_time_to_close.deals, 3);
  EXPECT_NEAR(r.won_time_to_close.mean_s, 70.0 / 3 * kDay, 1e-6);
  EXPECT_DOUBLE_EQ(r.won_time_to_close.median_s, 20.0 * kDay);
  EXPECT_EQ(r.lost_time_to_close.deals, 2);
  EXPECT_DOUBLE_EQ(r.lost_time_to_close.mean_s, 10.0 * kDay);
  EXPECT_DOUBLE_EQ(r.lost_time_to_close.median_s, 10.0 * kDay);
  // Kaplan-Meier, default as-of = latest instant = day 45; deal 6 censored at 45 days.
  // Events at 5, 10, 15, 20, 40 (n = 6): S = 5/6, 4/6, 3/6 at 15 -> median 15 days.
  EXPECT_EQ(r.as_of_s, day(45));
  EXPECT_EQ(r.km_closed, 5);
  EXPECT_EQ(r.km_censored, 1);
  EXPECT_DOUBLE_EQ(r.km_median_time_to_close_s, 15.0 * kDay);
}

TEST(Funnel, KaplanMeierMedianByHand) {
  TestAccount a;
  a.deal(1).at(day(0), kNew).at(day(2), kWon);
  a.deal(2).at(day(0), kNew).at(day(4), kLost);
  a.deal(3).at(day(0), kNew).at(day(6), kWon);
  a.deal(4).at(day(17), kNew);  // active, 3 days old at as-of (day 20)
  auto ds = std::move(a).build();
  FunnelOptions o;
  o.as_of = Timestamp{day(20)};
  auto r = funnel(*ds, o);
  // n = 4. t = 2: S = 3/4. t = 3: deal 4 censored (n drops to 2). t = 4: S = 3/4 * 1/2 = 3/8 <= 1/2.
  // So the median is 4 days (the closed-only median would also be 4; the mean of closed is 4).
  EXPECT_EQ(r.as_of_s, day(20));
  EXPECT_EQ(r.km_closed, 3);
  EXPECT_EQ(r.km_censored, 1);
  EXPECT_DOUBLE_EQ(r.km_median_time_to_close_s, 4.0 * kDay);
}

TEST(Funnel, KaplanMeierRunsOnWholeHoursRoundedUp) {
  // Times to close 30 min, 1 h, 1 h 1 min, 2 h; active deals 10 min and 5 h 33 min 20 s old at as-of.
  TestAccount a;
  a.deal(1).at(day(1), kNew).at(day(1) + 1800, kWon);
  a.deal(2).at(day(1), kNew).at(day(1) + 3600, kLost);
  a.deal(3).at(day(1), kNew).at(day(1) + 3660, kWon);
  a.deal(4).at(day(2), kNew).at(day(2) + 7200, kLost);
  a.deal(5).at(day(10) - 600, kNew);
  a.deal(6).at(day(10) - 20000, kNew);
  auto ds = std::move(a).build();
  FunnelOptions o;
  o.as_of = Timestamp{day(10)};
  auto r = funnel(*ds, o);
  // Hour grid (ceil): events at 1 h (x2), 2 h (x2); censored at 1 h and 6 h. n = 6:
  // S(1 h) = 4/6; 3 leave (2 closed, 1 censored); S(2 h) = 4/6 * (1 - 2/3) = 2/9 <= 0.5 -> median 2 h.
  // (On exact seconds it would be 3660 s: S = 4/5, 3/5, 2/5 at 1800, 3600, 3660 after the censoring at 600.)
  // Lower curve at 1 h: Greenwood 2/(6*4) = 1/12, exp(-exp(log(-log(2/3)) + 1.96 sqrt(1/12) / -log(2/3)))
  // = 0.1946 <= 0.5 -> 1 h. Upper curve at 2 h: Greenwood 1/12 + 2/(3*1) = 0.75,
  // exp(-exp(log(-log(2/9)) - 1.96 sqrt(0.75) / -log(2/9))) = 0.6147 > 0.5, no later event -> NaN.
  EXPECT_EQ(r.km_closed, 4);
  EXPECT_EQ(r.km_censored, 2);
  EXPECT_EQ(r.km_median_time_to_close_s, 7200.0);
  EXPECT_EQ(r.km_median_lower_s, 3600.0);
  EXPECT_TRUE(std::isnan(r.km_median_upper_s));
  // The closed-only medians stay exact in seconds: won (1800 + 3660) / 2, lost (3600 + 7200) / 2.
  EXPECT_EQ(r.won_time_to_close.median_s, 2730.0);
  EXPECT_EQ(r.lost_time_to_close.median_s, 5400.0);
}

TEST(Funnel, KaplanMeierReproducesLifelinesG3) {
  // lifelines' g3: durations [34, 32, 9, 19, 50, 48] days, the last two still active at as-of.
  TestAccount a;
  a.deal(1).at(day(0), kNew).at(day(34), kWon);
  a.deal(2).at(day(0), kNew).at(day(32), kLost);
  a.deal(3).at(day(0), kNew).at(day(9), kWon);
  a.deal(4).at(day(0), kNew).at(day(19), kLost);
  a.deal(5).at(day(50), kNew);  // censored at 100 - 50 = 50 days
  a.deal(6).at(day(52), kNew);  // censored at 48 days
  auto ds = std::move(a).build();
  FunnelOptions o;
  o.as_of = Timestamp{day(100)};
  auto r = funnel(*ds, o);
  // S = 5/6, 4/6, 3/6, 2/6 at 9, 19, 32, 34: the median (first t with S <= 0.5) is 32 days.
  // lifelines' interval for the median: the lower curve reaches 0.5 at 9 (0.2731 there), the
  // upper never does (infinite, reported as NaN).
  EXPECT_EQ(r.km_closed, 4);
  EXPECT_EQ(r.km_censored, 2);
  EXPECT_DOUBLE_EQ(r.km_median_time_to_close_s, 32.0 * kDay);
  EXPECT_DOUBLE_EQ(r.km_median_lower_s, 9.0 * kDay);
  EXPECT_TRUE(std::isnan(r.km_median_upper_s));
  // The closed-only view: won 34, 9 -> mean = median = 21.5 days; lost 32, 19 -> 25.5 days.
  EXPECT_DOUBLE_EQ(r.won_time_to_close.mean_s, 21.5 * kDay);
  EXPECT_DOUBLE_EQ(r.won_time_to_close.median_s, 21.5 * kDay);
  EXPECT_DOUBLE_EQ(r.lost_time_to_close.median_s, 25.5 * kDay);
}

TEST(Funnel, KaplanMeierCensorsAtAsOf) {
  TestAccount a;
  a.deal(1).at(day(0), kNew).at(day(5), kWon);
  a.deal(2).at(day(0), kNew).at(day(8), kLost);
  a.deal(3).at(day(0), kNew).at(day(30), kWon);  // closes after as-of: censored at 20 days
  a.deal(4).at(day(25), kNew);                   // created after as-of: not in the estimate
  auto ds = std::move(a).build();
  FunnelOptions o;
  o.as_of = Timestamp{day(20)};
  auto r = funnel(*ds, o);
  // Events 5, 8; censored 20 (n = 3): S = 2/3 at 5, 1/3 at 8 -> median 8 days.
  EXPECT_EQ(r.km_closed, 2);
  EXPECT_EQ(r.km_censored, 1);
  EXPECT_DOUBLE_EQ(r.km_median_time_to_close_s, 8.0 * kDay);
  // Without as-of: the latest instant, day 30; deal 3 closed at 30 days, deal 4 censored at 5 days.
  auto d = funnel(*ds);
  EXPECT_EQ(d.as_of_s, day(30));
  EXPECT_EQ(d.km_closed, 3);
  EXPECT_EQ(d.km_censored, 1);
}

TEST(Funnel, KaplanMeierMedianIsNaNWhenFewClose) {
  TestAccount a;
  a.deal(1).at(day(0), kNew).at(day(5), kWon);
  a.deal(2).at(day(0), kNew);
  a.deal(3).at(day(0), kNew);
  auto ds = std::move(a).build();
  FunnelOptions o;
  o.as_of = Timestamp{day(10)};
  // S = 2/3 at 5, then two censored at 10: never <= 0.5.
  auto r = funnel(*ds, o);
  EXPECT_TRUE(std::isnan(r.km_median_time_to_close_s));
  EXPECT_FALSE(std::isnan(r.won_time_to_close.median_s));
  EXPECT_TRUE(std::isnan(r.lost_time_to_close.mean_s));  // no lost deals
}

TEST(Funnel, DateBasisChoosesTheDeals) {
  TestAccount a;
  a.deal(1).at(day(19), kNew).at(day(25), kQualified).at(day(40), kWon);  // created Jan 20, won Feb 10
  a.deal(2).at(day(35), kNew);                                           // created Feb 5, active
  auto ds = std::move(a).build();
  FunnelOptions o;
  o.filter.period = Period{make_date(2024, 2, 1), make_date(2024, 3, 1)};
  EXPECT_EQ(funnel(*ds, o).deals, 2);  // auto: 1 by its close, 2 by its creation
  EXPECT_EQ(funnel(*ds, o).won, 1);
  o.filter.date_basis = DateBasis::created;
  EXPECT_EQ(funnel(*ds, o).deals, 1);  // only 2
  o.filter.date_basis = DateBasis::closed;
  auto c = funnel(*ds, o);
  EXPECT_EQ(c.deals, 1);  // only 1
  EXPECT_EQ(c.km_censored, 0);
  o.filter.status = StatusFilter::active;
  o.filter.date_basis = DateBasis::automatic;
  EXPECT_EQ(funnel(*ds, o).deals, 1);  // only 2
}

TEST(Funnel, WithoutPipelineTheFirstPipelineIsUsedEvenWhenAnotherIsNamedLikeItsId) {
  DatasetBuilder b;
  b.add_pipeline({PipelineId{5}, "Retail"});
  b.add_pipeline({PipelineId{6}, "5"});  // a pipeline named like the first one's id
  for (std::int64_t p : {5, 6}) {
    b.add_stage({PipelineId{p}, StageId{1}, "Open", 1, StageKind::open});
    b.add_stage({PipelineId{p}, StageId{142}, "Won", 2, StageKind::won});
    b.add_stage({PipelineId{p}, StageId{143}, "Lost", 3, StageKind::lost});
  }
  DealRow d;
  d.id = DealId{1};
  d.pipeline = PipelineId{5};
  d.stage = StageId{1};
  d.created_at = Timestamp{day(0)};
  b.add_deal(d);
  auto ds = std::move(b).build().dataset;
  auto r = funnel(*ds);
  EXPECT_EQ(r.pipeline_name, "Retail");
  EXPECT_EQ(r.deals, 1);
  // Named explicitly, a name wins over an id.
  FunnelOptions o;
  o.filter.pipeline = "5";
  EXPECT_EQ(funnel(*ds, o).pipeline_name, "5");
}

TEST(Funnel, BadOptionsThrowInvalidOption) {
  auto ds = policy_account();
  FunnelOptions o;
  o.filter.pipeline = "Nope";
  expect_bad_option([&] { funnel(*ds, o); }, "pipeline");
  o = {};
  o.filter.users = {42};
  expect_bad_option([&] { funnel(*ds, o); }, "users");
  o = {};
  o.filter.groups = {"West"};
  expect_bad_option([&] { funnel(*ds, o); }, "groups");
  o = {};
  o.filter.period = Period{make_date(2024, 3, 1), make_date(2024, 2, 1)};
  expect_bad_option([&] { funnel(*ds, o); }, "to");
  o = {};
  o.confidence = 1.0;
  expect_bad_option([&] { funnel(*ds, o); }, "confidence");
  expect_bad_option([] { parse_skip_policy("any"); }, "skip");
  expect_bad_option([] { parse_value_mode("sum"); }, "value");
}

TEST(Funnel, ToTablesHasTheRowsAndTheSummary) {
  auto ds = policy_account();
  auto tables = run(*ds, kImplied).to_tables();
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[0].name, "funnel");
  EXPECT_EQ(tables[1].name, "funnel_summary");
}

// ---------------------------------------------------------------------------
// Larger accounts: an independent per-deal oracle, invariants, determinism.

namespace {

// The reached rows of one deal, straight from SPEC 3 and the rules in docs/reports.md, written
// without the report's code: entries of the Sales pipeline's unsorted/open stages; won only when
// the current stage is won.
struct Oracle {
  const Dataset& ds;
  std::vector<std::int64_t> open_ids{kNew, kQualified, kProposal, kNegotiation};

  // rows: [Incoming, New, Qualified, Proposal, Negotiation, Won]
  std::vector<int> rows(std::size_t i, SkipPolicy p) const {
    std::vector<int> out(6, 0);
    const auto& st = ds.stages();
    const std::uint32_t sales = ds.find_pipeline(PipelineId{kSales})->value;
    std::vector<std::pair<std::int64_t, std::int64_t>> seq;  // (stage id, at) of Sales open/unsorted entries
    const auto path = ds.paths().path(i);
    for (std::size_t k = 0; k < path.size(); ++k) {
      const auto s = path.stage[k];
      if (st.pipeline[s] != sales) continue;
      if (st.kind[s] == StageKind::open || st.kind[s] == StageKind::unsorted) seq.push_back({st.id[s], path.entered_at[k]});
    }
    const bool won = ds.deal_kind(i) == StageKind::won;
    for (auto& e : seq)
      if (e.first == kIncoming) out[0] = 1;
    const bool none = seq.empty();
    auto rank = [&](std::int64_t id) {
      for (int r = 0; r < 4; ++r)
        if (open_ids[r] == id) return r;
      return -1;
    };
    if (p == SkipPolicy::implied) {
      int furthest = none ? 0 : -1;
      for (auto& e : seq) furthest = std::max(furthest, rank(e.first));
      if (won) furthest = 3;
      for (int r = 0; r <= furthest; ++r) out[1 + r] = 1;
      out[5] = won;
    } else if (p == SkipPolicy::observed) {
      for (auto& e : seq)
        if (rank(e.first) >= 0) out[1 + rank(e.first)] = 1;
      if (none) out[1] = 1;
      out[5] = won;
    } else {
      // Greedy: the earliest entry of New, then the earliest entry of Qualified at or after it, ...
      std::size_t from = 0;
      int r = 0;
      if (none) {
        out[1] = 1;
        r = 4;  // nothing more is known
      }
      for (; r < 4; ++r) {
        std::size_t k = from;
        while (k < seq.size() && seq[k].first != open_ids[r]) ++k;
        if (k == seq.size()) break;
        out[1 + r] = 1;
        from = k + 1;
      }
      if (r == 4 && !none && won) out[5] = 1;
    }
    return out;
  }
};

FunnelResult run_threads(const Dataset& ds, SkipPolicy p, unsigned threads) {
  FunnelOptions o;
  o.skip = p;
  o.threads = threads;
  o.filter.pipeline = "Sales";
  return funnel(ds, o);
}

void expect_same(const FunnelResult& a, const FunnelResult& b) {
  EXPECT_EQ(a.deals, b.deals);
  EXPECT_EQ(a.won, b.won);
  EXPECT_EQ(a.lost, b.lost);
  EXPECT_EQ(a.active, b.active);
  ASSERT_EQ(a.stages.size(), b.stages.size());
  for (std::size_t r = 0; r < a.stages.size(); ++r) {
    EXPECT_EQ(a.stages[r].reached, b.stages[r].reached);
    EXPECT_EQ(a.stages[r].budget_minor, b.stages[r].budget_minor);
    EXPECT_EQ(a.stages[r].lost_here, b.stages[r].lost_here);
    EXPECT_EQ(a.stages[r].lost_here_budget_minor, b.stages[r].lost_here_budget_minor);
    // Bitwise equal doubles (NaN == NaN here).
    EXPECT_EQ(std::memcmp(&a.stages[r].step_conversion_lower_pct, &b.stages[r].step_conversion_lower_pct, 8), 0);
  }
  EXPECT_EQ(a.won_time_to_close.mean_s, b.won_time_to_close.mean_s);
  EXPECT_EQ(a.won_time_to_close.median_s, b.won_time_to_close.median_s);
  EXPECT_EQ(a.lost_time_to_close.mean_s, b.lost_time_to_close.mean_s);
  EXPECT_EQ(a.lost_time_to_close.median_s, b.lost_time_to_close.median_s);
  EXPECT_EQ(a.km_median_time_to_close_s, b.km_median_time_to_close_s);
  EXPECT_EQ(std::memcmp(&a.km_median_lower_s, &b.km_median_lower_s, 8), 0);
  EXPECT_EQ(std::memcmp(&a.km_median_upper_s, &b.km_median_upper_s, 8), 0);
  EXPECT_EQ(a.km_closed, b.km_closed);
  EXPECT_EQ(a.km_censored, b.km_censored);
}

const Dataset& big_account() {
  // 200,000 deals: enough for the report to really use 3 threads (it gives each thread at least 65,536).
  static const DatasetPtr ds = random_account(200000);
  return *ds;
}

}  // namespace

TEST(Funnel, MatchesAnIndependentPerDealOracle) {
  auto ds = random_account(5000, 7);
  const Oracle oracle{*ds};
  for (auto p : {kImplied, kObserved, kStrict}) {
    std::vector<std::int64_t> expect(6, 0);
    FunnelOptions o;
    o.skip = p;
    o.filter.pipeline = "Sales";
    DealSelector sel(*ds, o.filter);
    for (std::size_t i = 0; i < ds->deals().size(); ++i) {
      if (!sel.selects(i)) continue;
      auto rows = oracle.rows(i, p);
      for (int r = 0; r < 6; ++r) expect[r] += rows[r];
    }
    EXPECT_EQ(reached(funnel(*ds, o)), expect) << "policy " << static_cast<int>(p);
  }
}

TEST(Funnel, InvariantsOnALargerAccount) {
  const Dataset& ds = big_account();
  for (auto p : {kImplied, kObserved, kStrict}) {
    auto r = run_threads(ds, p, 1);
    EXPECT_EQ(r.won + r.lost + r.active, r.deals);
    std::int64_t lost_here = 0;
    for (const auto& s : r.stages) lost_here += s.lost_here;
    EXPECT_EQ(lost_here, r.lost);  // every lost deal has exactly one lost-here stage
    EXPECT_EQ(r.km_closed + r.km_censored, r.deals);  // as-of is the latest instant: every deal is in
    if (p == kObserved) continue;
    // Implied and strict: reached never grows down the funnel (from the first open stage to won).
    for (std::size_t k = 2; k < r.stages.size(); ++k)
      EXPECT_LE(r.stages[k].reached, r.stages[k - 1].reached) << "row " << k << " policy " << static_cast<int>(p);
    EXPECT_EQ(r.stages.back().reached, p == kImplied ? r.won : r.stages.back().reached);
  }
}

TEST(Funnel, SameResultWithOneTwoAndThreeThreads) {
  const Dataset& ds = big_account();
  for (auto p : {kImplied, kObserved, kStrict}) {
    const auto one = run_threads(ds, p, 1);
    expect_same(one, run_threads(ds, p, 2));
    expect_same(one, run_threads(ds, p, 3));
  }
}

TEST(Funnel, InvariantsOnTheSampleAccount) {
  // make_sample's 20,000 deals, every pipeline, every policy.
  static const DatasetPtr ds = make_sample(SampleOptions{});
  for (std::size_t p = 0; p < ds->pipelines().size(); ++p) {
    for (auto policy : {kImplied, kObserved, kStrict}) {
      FunnelOptions o;
      o.skip = policy;
      o.filter.pipeline = std::to_string(ds->pipelines().id[p]);
      const auto r = funnel(*ds, o);
      SCOPED_TRACE("pipeline " + r.pipeline_name + " policy " + std::to_string(static_cast<int>(policy)));
      EXPECT_GT(r.deals, 0);
      EXPECT_EQ(r.won + r.lost + r.active, r.deals);
      std::int64_t lost_here = 0;
      for (const auto& s : r.stages) lost_here += s.lost_here;
      EXPECT_EQ(lost_here, r.lost);
      ASSERT_EQ(r.stages.back().kind, StageKind::won);
      if (policy == kImplied) {
        EXPECT_EQ(r.stages.back().reached, r.won);
      }
      if (policy == kObserved) continue;
      std::size_t first = 0;
      while (r.stages[first].kind != StageKind::open) ++first;
      EXPECT_EQ(r.stages[first].conversion_from_first_pct, 100.0);
      for (std::size_t k = first + 1; k < r.stages.size(); ++k) EXPECT_LE(r.stages[k].reached, r.stages[k - 1].reached);
    }
  }
  // The deals of all pipelines, counted once each.
  std::int64_t all = 0;
  for (std::size_t p = 0; p < ds->pipelines().size(); ++p) {
    FunnelOptions o;
    o.filter.pipeline = std::to_string(ds->pipelines().id[p]);
    all += funnel(*ds, o).deals;
  }
  std::int64_t live = 0;
  for (auto d : ds->deals().deleted) live += d == 0;
  EXPECT_EQ(all, live);
}

// ---------------------------------------------------------------------------
// Real data (shared/data through examples/mappings), with figures worked out without dealstat.

namespace {

// shared/data: the compile-time guess, then $DEALSTAT_SHARED_DATA, then /work/shared/data.
std::string shared_data() {
  const char* env = std::getenv("DEALSTAT_SHARED_DATA");
  for (const char* c : {DEALSTAT_SHARED_DATA_DIR, env ? env : "", "/work/shared/data"})
    if (*c && std::filesystem::is_directory(std::filesystem::path(c) / "maven-crm")) return c;
  return {};
}

DatasetPtr load_real(const char* name) {
  const std::string dir = shared_data();
  if (dir.empty()) return nullptr;
  return load_mapped_export(dir + "/" + name, std::string(DEALSTAT_SOURCE_DIR) + "/examples/mappings/" + name + ".json")
      .dataset;
}

}  // namespace

TEST(Funnel, MavenCrmWinRateAndWonRevenue) {
  auto ds = load_real("maven-crm");
  if (!ds) GTEST_SKIP() << "shared/data not found (set DEALSTAT_SHARED_DATA)";
  // awk -F, 'NR>1{c[$5]++; if($5=="Won") s+=$8} END{for(k in c) print k, c[k]; print s}' sales_pipeline.csv
  //   -> Won 4238, Lost 2473, Engaging 1589, Prospecting 500; won close_value sum 10005534 (dollars).
  // Published: win rate 4,238 / 6,711 = 63.15%; won revenue $10,005,534.
  auto r = funnel(*ds);
  EXPECT_EQ(r.deals, 8800);
  EXPECT_EQ(r.won, 4238);
  EXPECT_EQ(r.lost, 2473);
  EXPECT_EQ(r.active, 1589 + 500);
  EXPECT_NEAR(100.0 * static_cast<double>(r.won) / static_cast<double>(r.won + r.lost), 63.15, 0.005);
  ASSERT_EQ(r.stages.back().kind, StageKind::won);
  EXPECT_EQ(r.stages.back().reached, 4238);
  EXPECT_EQ(r.stages.back().budget_minor, 1000553400);  // $10,005,534.00 in cents
}

TEST(Funnel, EnpalStageReachUnderObserved) {
  auto ds = load_real("enpal-pipeline");
  if (!ds) GTEST_SKIP() << "shared/data not found (set DEALSTAT_SHARED_DATA)";
  // Distinct deals that entered each stage, from the change log alone:
  //   awk -F, 'NR>1 && $3=="stage_id" {print $1","$4}' deal_changes.csv | sort -u | cut -d, -f2 | sort -n | uniq -c
  //   -> stage 1: 1995, 2: 1479, 3: 1305, 4: 1086, 5: 894, 6: 741, 7: 588, 8: 479, 9: 324
  //   awk -F, 'NR>1{print $1}' deal_changes.csv | sort -u | wc -l -> 1995 deals
  FunnelOptions o;
  o.skip = SkipPolicy::observed;
  auto r = funnel(*ds, o);
  EXPECT_EQ(r.deals, 1995);
  const Counts expect{1995, 1479, 1305, 1086, 894, 741, 588, 479, 324};
  Counts open;
  for (const auto& s : r.stages)
    if (s.kind == StageKind::open) open.push_back(s.reached);
  EXPECT_EQ(open, expect);
}
