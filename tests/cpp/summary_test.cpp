// Summary (SPEC section 6; docs/reports-summary-events.md, "Summary"):
// hand-worked series, stage snapshot, time-in-stage and task shares on a small
// Moscow account, each filter, month boundaries in the account's time zone,
// shares summing to 100%, thread independence and bad options.
#include "dealstat/reports/summary.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "dealstat/core/error.hpp"
#include "dealstat/data/dataset_builder.hpp"
#include "dealstat/io/sample_generator.hpp"
#include "expect_error.hpp"

namespace ds = dealstat;

namespace {

ds::LocalDate D(int y, int m, int d) { return ds::make_date(y, m, d); }
// A UTC instant.
ds::Timestamp utc(int y, int m, int d, int h = 0, int mi = 0) {
  return ds::Timestamp{static_cast<std::int64_t>(D(y, m, d).days) * 86400 + h * 3600 + mi * 60};
}

ds::TimeZone moscow() {
  return ds::TimeZone::parse(std::filesystem::exists("/usr/share/zoneinfo/Europe/Moscow") ? "Europe/Moscow" : "MSK-3");
}

// The hand-worked account (Moscow, UTC+3). Users: Anna (1, group A), Boris (2, group B), Vera (3, group A, no
// tasks). Pipelines: Sales (1): New 10, Offer 20, Won 142, Lost 143; Repeat (2): First 30, Won 142, Lost 143.
// Deals:
//   D1 Sales   created 2024-01-10 10:00Z, Offer 01-20, Won 02-05        budget 1000  Anna
//   D2 Sales   created 2024-01-31 22:30Z (Moscow Feb 1), New            budget  500  Boris
//   D3 Sales   created 2024-02-10, Lost 02-15                           budget  300  Anna   tag "vip"
//   D4 Sales   created 2024-03-05, Offer 03-06                          budget  200  Anna
//   D5 Repeat  created 2024-02-20, First                                budget  700  Boris  channel "sip"
//   D6 Sales   created 2023-12-15, Won 2023-12-20 (before the period)   budget   50  Anna
//   D7 Sales   deleted, created 2024-01-12, New                          budget 9999  Anna
// Contacts: 2024-01-31 22:30Z Anna (Moscow Feb 1), 2024-01-15 Boris, 2024-03-10 nobody.
// Companies: 2024-02-02 Anna. Customers: 900 2024-01-05 Anna, 901 2024-03-01 12:00Z Boris.
// Purchases: 900 2024-02-10 15000; 901 2024-03-15 2500; 900 2024-03-20 100.
// Invoices: 2024-03-31 21:30Z Anna (Moscow April 1, out of the period), 2024-03-31 20:30Z Anna (March).
// Tasks: Anna 01-10, Anna 02-10, Boris 02-11, nobody 03-01, Anna 2023-12-01 (out).
ds::DatasetPtr account() {
  ds::DatasetBuilder b;
  ds::Account acc;
  acc.time_zone = moscow();
  b.set_account(acc);
  b.add_user({ds::UserId{1}, "Anna", "A"});
  b.add_user({ds::UserId{2}, "Boris", "B"});
  b.add_user({ds::UserId{3}, "Vera", "A"});
  b.add_pipeline({ds::PipelineId{1}, "Sales"});
  b.add_pipeline({ds::PipelineId{2}, "Repeat"});
  b.add_stage({ds::PipelineId{1}, ds::StageId{10}, "New", 10, ds::StageKind::open});
  b.add_stage({ds::PipelineId{1}, ds::StageId{20}, "Offer", 20, ds::StageKind::open});
  b.add_stage({ds::PipelineId{1}, ds::StageId{142}, "Won", 142, ds::StageKind::won});
  b.add_stage({ds::PipelineId{1}, ds::StageId{143}, "Lost", 143, ds::StageKind::lost});
  b.add_stage({ds::PipelineId{2}, ds::StageId{30}, "First", 30, ds::StageKind::open});
  b.add_stage({ds::PipelineId{2}, ds::StageId{142}, "Won", 142, ds::StageKind::won});
  b.add_stage({ds::PipelineId{2}, ds::StageId{143}, "Lost", 143, ds::StageKind::lost});
  auto deal = [&](std::int64_t id, std::int64_t pipe, std::int64_t stage, ds::Timestamp created,
                  std::optional<ds::Timestamp> closed, std::int64_t budget, std::int64_t user) -> ds::DealRow {
    ds::DealRow d;
    d.id = ds::DealId{id};
    d.pipeline = ds::PipelineId{pipe};
    d.stage = ds::StageId{stage};
    d.created_at = created;
    d.closed_at = closed;
    d.budget = ds::Money{budget};
    d.responsible = ds::UserId{user};
    return d;
  };
  auto move = [&](std::int64_t id, ds::Timestamp at, std::optional<std::int64_t> from, std::int64_t to) {
    ds::StageChangeRow c;
    c.deal = ds::DealId{id};
    c.at = at;
    if (from) c.from_stage = ds::StageId{*from};
    c.to_stage = ds::StageId{to};
    b.add_stage_change(c);
  };
  b.add_deal(deal(1, 1, 142, utc(2024, 1, 10, 10), utc(2024, 2, 5), 1000, 1));
  move(1, utc(2024, 1, 20), 10, 20);
  move(1, utc(2024, 2, 5), 20, 142);
  b.add_deal(deal(2, 1, 10, utc(2024, 1, 31, 22, 30), std::nullopt, 500, 2));
  auto d3 = deal(3, 1, 143, utc(2024, 2, 10), utc(2024, 2, 15), 300, 1);
  d3.tags = {"vip"};
  b.add_deal(d3);
  move(3, utc(2024, 2, 15), 10, 143);
  b.add_deal(deal(4, 1, 20, utc(2024, 3, 5), std::nullopt, 200, 1));
  move(4, utc(2024, 3, 6), 10, 20);
  auto d5 = deal(5, 2, 30, utc(2024, 2, 20), std::nullopt, 700, 2);
  d5.channel = "sip";
  b.add_deal(d5);
  b.add_deal(deal(6, 1, 142, utc(2023, 12, 15), utc(2023, 12, 20), 50, 1));
  move(6, utc(2023, 12, 20), 10, 142);
  auto d7 = deal(7, 1, 10, utc(2024, 1, 12), std::nullopt, 9999, 1);
  d7.deleted = true;
  b.add_deal(d7);

  auto simple = [](std::int64_t id, ds::Timestamp at, std::optional<std::int64_t> user) {
    ds::SimpleEntityRow r;
    r.id = id;
    r.created_at = at;
    if (user) r.responsible = ds::UserId{*user};
    return r;
  };
  b.add_contact(simple(1, utc(2024, 1, 31, 22, 30), 1));
  b.add_contact(simple(2, utc(2024, 1, 15), 2));
  b.add_contact(simple(3, utc(2024, 3, 10), std::nullopt));
  b.add_company(simple(1, utc(2024, 2, 2), 1));
  b.add_customer(simple(900, utc(2024, 1, 5), 1));
  b.add_customer(simple(901, utc(2024, 3, 1, 12), 2));
  auto purchase = [&](std::int64_t id, std::int64_t customer, ds::Timestamp at, std::int64_t amount) {
    b.add_purchase({ds::PurchaseId{id}, customer, at, ds::Money{amount}});
  };
  purchase(1, 900, utc(2024, 2, 10), 15000);
  purchase(2, 901, utc(2024, 3, 15), 2500);
  purchase(3, 900, utc(2024, 3, 20), 100);
  b.add_invoice(simple(1, utc(2024, 3, 31, 21, 30), 1));
  b.add_invoice(simple(2, utc(2024, 3, 31, 20, 30), 1));
  auto task = [&](std::int64_t id, std::optional<std::int64_t> user, ds::Timestamp at) {
    ds::TaskRow t;
    t.id = ds::TaskId{id};
    if (user) t.responsible = ds::UserId{*user};
    t.created_at = at;
    t.entity_type = "lead";
    b.add_task(t);
  };
  task(1, 1, utc(2024, 1, 10));
  task(2, 1, utc(2024, 2, 10));
  task(3, 2, utc(2024, 2, 11));
  task(4, std::nullopt, utc(2024, 3, 1));
  task(5, 1, utc(2023, 12, 1));
  return std::move(b).build().dataset;
}

// Q1 2024 by month, as of 2024-04-15: the snapshot is the last second of March in Moscow.
ds::SummaryOptions q1() {
  ds::SummaryOptions o;
  o.filter.period = {D(2024, 1, 1), D(2024, 4, 1)};
  o.as_of = utc(2024, 4, 15);
  return o;
}

double sum_share(const std::vector<ds::SummaryStage>& v) {
  double s = 0;
  for (const auto& r : v) s += r.share_pct;
  return s;
}

// "Pipeline / Stage" -> deals.
std::map<std::string, std::int64_t> stage_counts(const ds::SummaryResult& r) {
  std::map<std::string, std::int64_t> m;
  for (const auto& s : r.stages) m[s.pipeline + " / " + s.name] = s.deals;
  return m;
}

}  // namespace

TEST(Summary, SeriesPerMonthInAccountTimeZone) {
  auto data = account();
  auto r = ds::summary(*data, q1());
  ASSERT_EQ(r.buckets.size(), 3u);
  EXPECT_EQ(r.buckets[0].start, D(2024, 1, 1));
  EXPECT_EQ(r.buckets[1].start, D(2024, 2, 1));
  EXPECT_EQ(r.buckets[2].start, D(2024, 3, 1));
  // Deals: Jan D1 (D2 at 01-31 22:30Z is Moscow Feb 1; D7 deleted); Feb D2, D3, D5; Mar D4.
  EXPECT_EQ(r.buckets[0].deals, 1);
  EXPECT_EQ(r.buckets[1].deals, 3);
  EXPECT_EQ(r.buckets[2].deals, 1);
  // Contacts: the one at 2024-01-31T22:30Z is February in Moscow.
  EXPECT_EQ(r.buckets[0].contacts, 1);
  EXPECT_EQ(r.buckets[1].contacts, 1);
  EXPECT_EQ(r.buckets[2].contacts, 1);
  EXPECT_EQ(r.buckets[1].companies, 1);
  EXPECT_EQ(r.buckets[0].customers, 1);
  EXPECT_EQ(r.buckets[2].customers, 1);
  // Invoices: 03-31 21:30Z is April 1 in Moscow (out), 03-31 20:30Z is March.
  EXPECT_EQ(r.buckets[0].invoices + r.buckets[1].invoices + r.buckets[2].invoices, 1);
  EXPECT_EQ(r.buckets[2].invoices, 1);
  // Tasks: Jan 1, Feb 2, Mar 1 (the December one is out).
  EXPECT_EQ(r.buckets[0].tasks, 1);
  EXPECT_EQ(r.buckets[1].tasks, 2);
  EXPECT_EQ(r.buckets[2].tasks, 1);
  // Purchases: Feb 1 / 15000; Mar 2 / 2600.
  EXPECT_EQ(r.buckets[0].purchases, 0);
  EXPECT_EQ(r.buckets[1].purchases, 1);
  EXPECT_EQ(r.buckets[1].purchase_amount_minor, 15000);
  EXPECT_EQ(r.buckets[2].purchases, 2);
  EXPECT_EQ(r.buckets[2].purchase_amount_minor, 2600);
}

TEST(Summary, MonthBoundaryInAccountTimeZone) {
  // In Moscow (UTC+3) January ends at 2024-01-31T21:00Z: D2 and contact 1, created at 22:30Z, are February's.
  auto data = account();
  auto o = q1();
  o.filter.period = {D(2024, 1, 1), D(2024, 2, 1)};
  auto r = ds::summary(*data, o);
  ASSERT_EQ(r.buckets.size(), 1u);
  EXPECT_EQ(r.buckets[0].deals, 1);     // D1 only
  EXPECT_EQ(r.buckets[0].contacts, 1);  // contact 2 only
  o.filter.period = {D(2024, 2, 1), D(2024, 2, 2)};
  o.bucket = ds::Bucket::day;
  r = ds::summary(*data, o);
  ASSERT_EQ(r.buckets.size(), 1u);
  EXPECT_EQ(r.buckets[0].deals, 1);     // D2, created 01:30 Moscow time on Feb 1
  EXPECT_EQ(r.buckets[0].contacts, 1);  // contact 1
}

TEST(Summary, StagesAtEndOfPeriod) {
  auto data = account();
  auto r = ds::summary(*data, q1());
  // Snapshot 2024-03-31T20:59:59Z. D1 Won (entered 02-05, in the period), D2 New, D3 Lost (02-15), D4 Offer,
  // D5 First; D6 won in December (before the period) is not shown; D7 is deleted.
  EXPECT_EQ(r.snapshot_s, utc(2024, 3, 31, 21).seconds - 1);
  ASSERT_EQ(r.stages.size(), 7u);
  EXPECT_EQ(r.stages[0].name, "New");
  EXPECT_EQ(r.stages[2].name, "Won");
  EXPECT_EQ(r.stages[3].name, "Lost");
  EXPECT_EQ(r.stages[4].pipeline, "Repeat");
  auto m = stage_counts(r);
  EXPECT_EQ(m["Sales / New"], 1);
  EXPECT_EQ(m["Sales / Offer"], 1);
  EXPECT_EQ(m["Sales / Won"], 1);
  EXPECT_EQ(m["Sales / Lost"], 1);
  EXPECT_EQ(m["Repeat / First"], 1);
  EXPECT_EQ(m["Repeat / Won"], 0);
  EXPECT_EQ(r.stage_deals, 5);
  EXPECT_DOUBLE_EQ(r.stages[0].share_pct, 20.0);
  EXPECT_DOUBLE_EQ(r.stages[5].share_pct, 0.0);
  // Budgets: 500 + 200 + 1000 + 300 + 700 = 2700; Won 1000 / 2700.
  EXPECT_EQ(r.stages[2].budget_minor, 1000);
  EXPECT_NEAR(r.stages[2].budget_share_pct, 100.0 * 1000 / 2700, 1e-9);
  EXPECT_NEAR(sum_share(r.stages), 100.0, 1e-9);
  double bs = 0;
  for (const auto& s : r.stages) bs += s.budget_share_pct;
  EXPECT_NEAR(bs, 100.0, 1e-9);
}

TEST(Summary, StagesMidwayAndOpenStart) {
  auto data = account();
  auto o = q1();
  o.filter.period = {D(2024, 1, 1), D(2024, 2, 1)};
  // Snapshot 2024-01-31T20:59:59Z: D1 in Offer (since 01-20); D2 not created yet (22:30Z).
  auto r = ds::summary(*data, o);
  auto m = stage_counts(r);
  EXPECT_EQ(r.stage_deals, 1);
  EXPECT_EQ(m["Sales / Offer"], 1);
  EXPECT_DOUBLE_EQ(r.stages[1].share_pct, 100.0);
  // An open start: D6, won 2023-12-20, now counts (closed within the whole history).
  o.filter.period = {std::nullopt, D(2024, 2, 1)};
  r = ds::summary(*data, o);
  m = stage_counts(r);
  EXPECT_EQ(m["Sales / Won"], 1);
  EXPECT_EQ(r.stage_deals, 2);
  // The series starts at the earliest created instant: 2023-12-01 (task 5), a clipped first month.
  ASSERT_EQ(r.buckets.size(), 2u);
  EXPECT_EQ(r.buckets[0].start, D(2023, 12, 1));
  EXPECT_EQ(r.buckets[0].deals, 1);  // D6
  EXPECT_EQ(r.buckets[0].tasks, 1);
}

TEST(Summary, PipelineAndStatusFilterTheSnapshot) {
  auto data = account();
  auto o = q1();
  o.filter.pipeline = "Sales";
  auto r = ds::summary(*data, o);
  ASSERT_EQ(r.stages.size(), 4u);  // only Sales' stages
  EXPECT_EQ(r.stage_deals, 4);
  for (const auto& s : r.stages) EXPECT_DOUBLE_EQ(s.share_pct, 25.0);
  // The created series follows the current pipeline too: Feb has D2, D3 (not D5).
  EXPECT_EQ(r.buckets[1].deals, 2);
  o.filter.pipeline.clear();
  o.filter.status = ds::StatusFilter::active;
  r = ds::summary(*data, o);
  EXPECT_EQ(r.stage_deals, 3);  // New, Offer, First
  EXPECT_NEAR(r.stages[0].share_pct, 100.0 / 3, 1e-9);
  EXPECT_EQ(r.buckets[1].deals, 3);  // the status does not touch the series
  o.filter.status = ds::StatusFilter::won;
  r = ds::summary(*data, o);
  EXPECT_EQ(r.stage_deals, 1);
  EXPECT_DOUBLE_EQ(r.stages[2].share_pct, 100.0);
}

TEST(Summary, UsersGroupsTagsChannels) {
  auto data = account();
  auto o = q1();
  o.filter.users = {1};  // Anna
  auto r = ds::summary(*data, o);
  EXPECT_EQ(r.buckets[0].deals, 1);  // D1
  EXPECT_EQ(r.buckets[1].deals, 1);  // D3
  EXPECT_EQ(r.buckets[2].deals, 1);  // D4
  EXPECT_EQ(r.buckets[0].contacts, 0);
  EXPECT_EQ(r.buckets[1].contacts, 1);  // contact 1 (Anna)
  EXPECT_EQ(r.buckets[2].contacts, 0);  // contact 3 has nobody
  EXPECT_EQ(r.buckets[0].customers, 1);
  EXPECT_EQ(r.buckets[2].customers, 0);
  // Purchases through their customer: 900 is Anna's (15000 in Feb, 100 in Mar); 901 is Boris's.
  EXPECT_EQ(r.buckets[1].purchase_amount_minor, 15000);
  EXPECT_EQ(r.buckets[2].purchases, 1);
  EXPECT_EQ(r.buckets[2].purchase_amount_minor, 100);
  EXPECT_EQ(r.stage_deals, 3);  // D1 Won, D3 Lost, D4 Offer
  ASSERT_EQ(r.tasks_by_user.size(), 1u);
  EXPECT_EQ(r.tasks_by_user[0].name, "Anna");
  EXPECT_EQ(r.tasks_by_user[0].tasks, 2);
  EXPECT_DOUBLE_EQ(r.tasks_by_user[0].share_pct, 100.0);
  // Group A = Anna and Vera: Vera is a row with no tasks.
  o.filter.users.clear();
  o.filter.groups = {"A"};
  r = ds::summary(*data, o);
  ASSERT_EQ(r.tasks_by_user.size(), 2u);
  EXPECT_EQ(r.tasks_by_user[1].name, "Vera");
  EXPECT_EQ(r.tasks_by_user[1].tasks, 0);
  EXPECT_DOUBLE_EQ(r.tasks_by_user[1].share_pct, 0.0);
  // Tags and channels choose deals only.
  o.filter.groups.clear();
  o.filter.tags = {"vip"};
  r = ds::summary(*data, o);
  EXPECT_EQ(r.buckets[1].deals, 1);  // D3
  EXPECT_EQ(r.stage_deals, 1);
  EXPECT_EQ(r.buckets[1].contacts, 1);  // contacts are not tagged: unaffected
  o.filter.tags.clear();
  o.filter.channels = {"sip"};
  r = ds::summary(*data, o);
  EXPECT_EQ(r.stage_deals, 1);  // D5
  EXPECT_EQ(stage_counts(r)["Repeat / First"], 1);
}

TEST(Summary, TasksPerUserShares) {
  auto data = account();
  auto r = ds::summary(*data, q1());
  // Anna 2, Boris 1, (nobody) 1, Vera 0 of 4 tasks created in Q1.
  ASSERT_EQ(r.tasks_by_user.size(), 4u);
  EXPECT_EQ(r.tasks, 4);
  EXPECT_EQ(r.tasks_by_user[0].name, "Anna");
  EXPECT_DOUBLE_EQ(r.tasks_by_user[0].share_pct, 50.0);
  EXPECT_EQ(r.tasks_by_user[1].name, "Boris");
  EXPECT_DOUBLE_EQ(r.tasks_by_user[1].share_pct, 25.0);
  EXPECT_EQ(r.tasks_by_user[2].name, "(nobody)");
  EXPECT_EQ(r.tasks_by_user[2].user_id, ds::kNoId);
  EXPECT_DOUBLE_EQ(r.tasks_by_user[2].share_pct, 25.0);
  EXPECT_EQ(r.tasks_by_user[3].name, "Vera");
  EXPECT_DOUBLE_EQ(r.tasks_by_user[3].share_pct, 0.0);
}

TEST(Summary, TimeInStageIsTheStageTimeReport) {
  auto data = account();
  auto o = q1();
  auto r = ds::summary(*data, o);
  ds::StageTimeOptions so;
  so.filter = o.filter;
  so.as_of = ds::Timestamp{r.snapshot_s};
  auto st = ds::stage_time(*data, so);
  ASSERT_EQ(r.stage_time.stages.size(), st.stages.size());
  double total = 0;
  for (std::size_t i = 0; i < st.stages.size(); ++i) {
    EXPECT_EQ(r.stage_time.stages[i].total_time_s, st.stages[i].total_time_s);
    total += r.stage_time.stages[i].share_pct;
  }
  EXPECT_NEAR(total, 100.0, 1e-9);
  // By hand, the deals placed in Q1 by the auto basis: D1 (won 02-05), D2, D3 (lost 02-15), D4, D5.
  // Sales/New: D1 9 d 14 h (01-10 10:00 .. 01-20), D2 (01-31 22:30 .. snapshot 03-31 20:59:59),
  // D3 5 d, D4 1 d. Sales/Offer: D1 16 d, D4 (03-06 .. snapshot). Repeat/First: D5 (02-20 .. snapshot).
  const std::int64_t snap = r.snapshot_s;
  const std::int64_t new_s = (utc(2024, 1, 20).seconds - utc(2024, 1, 10, 10).seconds) +
                             (snap - utc(2024, 1, 31, 22, 30).seconds) + 5 * 86400 + 86400;
  const std::int64_t offer_s = 16 * 86400 + (snap - utc(2024, 3, 6).seconds);
  const std::int64_t first_s = snap - utc(2024, 2, 20).seconds;
  EXPECT_EQ(r.stage_time.stages[0].total_time_s, new_s);
  EXPECT_EQ(r.stage_time.stages[1].total_time_s, offer_s);
  EXPECT_EQ(r.stage_time.stages[2].total_time_s, first_s);
  EXPECT_NEAR(r.stage_time.stages[0].share_pct, 100.0 * new_s / (new_s + offer_s + first_s), 1e-9);
}

TEST(Summary, OtherBuckets) {
  auto data = account();
  auto o = q1();
  o.bucket = ds::Bucket::quarter;
  auto r = ds::summary(*data, o);
  ASSERT_EQ(r.buckets.size(), 1u);
  EXPECT_EQ(r.buckets[0].deals, 5);
  EXPECT_EQ(r.buckets[0].tasks, 4);
  o.bucket = ds::Bucket::year;
  EXPECT_EQ(ds::summary(*data, o).buckets.size(), 1u);
  o.bucket = ds::Bucket::week;  // 2024-01-01 is a Monday: 13 weeks, the last one clipped at 04-01
  r = ds::summary(*data, o);
  ASSERT_EQ(r.buckets.size(), 13u);
  std::int64_t deals = 0;
  for (const auto& b : r.buckets) deals += b.deals;
  EXPECT_EQ(deals, 5);
  o.bucket = ds::Bucket::day;
  r = ds::summary(*data, o);
  EXPECT_EQ(r.buckets.size(), 91u);
  EXPECT_EQ(r.buckets[31].start, D(2024, 2, 1));
  EXPECT_EQ(r.buckets[31].deals, 1);  // D2 on Moscow Feb 1
}

TEST(Summary, DefaultAsOfIsTheLatestInstant) {
  auto data = account();
  ds::SummaryOptions o;
  auto r = ds::summary(*data, o);
  // The latest instant anywhere: the invoice at 2024-03-31T21:30Z.
  EXPECT_EQ(r.as_of_s, utc(2024, 3, 31, 21, 30).seconds);
  EXPECT_EQ(r.snapshot_s, r.as_of_s);
  EXPECT_EQ(r.buckets.front().start, D(2023, 12, 1));
  EXPECT_EQ(r.buckets.back().start, D(2024, 4, 1));
  EXPECT_EQ(r.buckets.back().invoices, 1);
}

TEST(Summary, TablesForCharts) {
  auto data = account();
  auto t = ds::summary(*data, q1()).to_tables();
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t[0].name, "summary_created");
  EXPECT_EQ(t[0].rows(), 3u);
  EXPECT_EQ(t[0].columns[0].name, "bucket_start");
  EXPECT_EQ(std::get<std::vector<std::string>>(t[0].column("bucket_start").values)[1], "2024-02-01");
  EXPECT_EQ(std::get<std::vector<std::int64_t>>(t[0].column("deals").values)[1], 3);
  EXPECT_EQ(t[1].name, "summary_purchases");
  EXPECT_EQ(std::get<std::vector<std::int64_t>>(t[1].column("amount_minor").values)[2], 2600);
  EXPECT_EQ(t[2].name, "summary_stages");
  EXPECT_EQ(t[2].columns[0].name, "label");
  EXPECT_EQ(std::get<std::vector<std::string>>(t[2].column("label").values)[0], "Sales / New");
  EXPECT_EQ(t[3].name, "summary_stage_time");
  EXPECT_EQ(t[4].name, "summary_tasks_by_user");
  EXPECT_TRUE(t[4].column("user_id").is_null(2));  // (nobody)
  EXPECT_EQ(t[5].name, "summary_info");
}

TEST(Summary, BadOptionsNameTheOption) {
  auto data = account();
  auto field = [&](ds::SummaryOptions o) { return ds::test::option_of([&] { (void)ds::summary(*data, o); }); };
  auto o = q1();
  o.filter.pipeline = "Nope";
  EXPECT_EQ(field(o), "pipeline");
  o = q1();
  o.filter.users = {42};
  EXPECT_EQ(field(o), "users");
  o = q1();
  o.filter.groups = {"Z"};
  EXPECT_EQ(field(o), "groups");
  o = q1();
  o.filter.period = {D(2024, 3, 1), D(2024, 3, 1)};
  EXPECT_EQ(field(o), "to");
  o = q1();
  o.filter.period = {D(1800, 1, 1), D(2200, 1, 1)};
  o.bucket = ds::Bucket::day;
  EXPECT_EQ(field(o), "bucket");
}

// Invariants on a random account: shares sum to 100%, the series sum to what a direct count finds, and the
// result does not depend on the number of threads.
TEST(Summary, InvariantsAndThreadIndependence) {
  std::mt19937_64 rng(11);
  ds::DatasetBuilder b;
  ds::Account acc;
  acc.time_zone = moscow();
  b.set_account(acc);
  for (int u = 1; u <= 5; ++u) b.add_user({ds::UserId{u}, std::string("U").append(std::to_string(u)), u % 2 ? "odd" : "even"});
  b.add_pipeline({ds::PipelineId{1}, "P"});
  const std::int64_t stages[] = {10, 20, 30, 142, 143};
  for (int s = 0; s < 3; ++s)
    b.add_stage({ds::PipelineId{1}, ds::StageId{stages[s]}, std::string("S").append(std::to_string(s)), s, ds::StageKind::open});
  b.add_stage({ds::PipelineId{1}, ds::StageId{142}, "Won", 142, ds::StageKind::won});
  b.add_stage({ds::PipelineId{1}, ds::StageId{143}, "Lost", 143, ds::StageKind::lost});
  const std::int64_t t0 = utc(2024, 1, 1).seconds;
  const int n = 44000;  // with its tasks and contacts, enough rows for two threads
  for (int i = 0; i < n; ++i) {
    const std::int64_t created = t0 + static_cast<std::int64_t>(rng() % (300 * 86400));
    std::int64_t at = created;
    std::int64_t cur = 10;
    const int moves = static_cast<int>(rng() % 4);
    std::vector<std::pair<std::int64_t, std::int64_t>> path;
    for (int k = 0; k < moves; ++k) {
      at += static_cast<std::int64_t>(rng() % (20 * 86400));
      const std::int64_t to = stages[rng() % 5];
      if (to == cur) continue;
      path.emplace_back(at, to);
      cur = to;
    }
    ds::DealRow d;
    d.id = ds::DealId{i + 1};
    d.pipeline = ds::PipelineId{1};
    d.stage = ds::StageId{cur};
    d.created_at = ds::Timestamp{created};
    if (cur == 142 || cur == 143) d.closed_at = ds::Timestamp{at};
    d.budget = ds::Money{static_cast<std::int64_t>(rng() % 10000)};
    d.responsible = ds::UserId{1 + static_cast<std::int64_t>(rng() % 5)};
    b.add_deal(d);
    std::int64_t from = 10;
    for (auto [when, to] : path) {
      ds::StageChangeRow c;
      c.deal = d.id;
      c.at = ds::Timestamp{when};
      c.from_stage = ds::StageId{from};
      c.to_stage = ds::StageId{to};
      b.add_stage_change(c);
      from = to;
    }
    ds::TaskRow t;
    t.id = ds::TaskId{i + 1};
    if (rng() % 7) t.responsible = ds::UserId{1 + static_cast<std::int64_t>(rng() % 5)};
    t.created_at = ds::Timestamp{created + 3600};
    b.add_task(t);
    ds::SimpleEntityRow c;
    c.id = i + 1;
    c.created_at = ds::Timestamp{created};
    b.add_contact(c);
  }
  auto data = std::move(b).build().dataset;
  for (auto bucket : {ds::Bucket::week, ds::Bucket::month}) {
    ds::SummaryOptions o;
    o.bucket = bucket;
    o.filter.period = {D(2024, 2, 1), D(2024, 9, 1)};
    o.threads = 1;
    auto one = ds::summary(*data, o);
    o.threads = 3;
    auto three = ds::summary(*data, o);
    EXPECT_NEAR(sum_share(one.stages), 100.0, 1e-9);
    double ts = 0;
    std::int64_t tasks = 0, created_tasks = 0, created_deals = 0;
    for (const auto& u : one.tasks_by_user) {
      ts += u.share_pct;
      tasks += u.tasks;
    }
    for (const auto& bk : one.buckets) {
      created_tasks += bk.tasks;
      created_deals += bk.deals;
    }
    EXPECT_NEAR(ts, 100.0, 1e-9);
    EXPECT_EQ(tasks, created_tasks);  // per-user rows sum to the series total
    std::int64_t direct = 0;
    const std::int64_t lo = moscow().start_of_day(D(2024, 2, 1)).seconds, hi = moscow().start_of_day(D(2024, 9, 1)).seconds;
    for (auto c : data->deals().created_at) direct += c >= lo && c < hi;
    EXPECT_EQ(created_deals, direct);
    ASSERT_EQ(one.buckets.size(), three.buckets.size());
    for (std::size_t i = 0; i < one.buckets.size(); ++i) {
      EXPECT_EQ(one.buckets[i].deals, three.buckets[i].deals);
      EXPECT_EQ(one.buckets[i].tasks, three.buckets[i].tasks);
      EXPECT_EQ(one.buckets[i].contacts, three.buckets[i].contacts);
    }
    for (std::size_t i = 0; i < one.stages.size(); ++i) {
      EXPECT_EQ(one.stages[i].deals, three.stages[i].deals);
      EXPECT_EQ(one.stages[i].budget_minor, three.stages[i].budget_minor);
    }
    for (std::size_t i = 0; i < one.tasks_by_user.size(); ++i)
      EXPECT_EQ(one.tasks_by_user[i].tasks, three.tasks_by_user[i].tasks);
  }
}

// Invariants on the sample account: every share pie sums to 100%, per-user task rows sum to the series total,
// stage rows sum to the deals counted, and the day, week and month series carry the same totals.
TEST(Summary, InvariantsOnTheSampleAccount) {
  ds::SampleOptions so;
  so.deals = 3000;
  so.events = false;
  auto data = ds::make_sample(so);
  ds::SummaryOptions o;
  o.filter.period = {D(2023, 3, 1), D(2024, 7, 1)};
  std::int64_t month_deals = -1, month_tasks = -1;
  for (auto bucket : {ds::Bucket::month, ds::Bucket::week, ds::Bucket::day}) {
    o.bucket = bucket;
    auto r = ds::summary(*data, o);
    EXPECT_NEAR(sum_share(r.stages), 100.0, 1e-9);
    double ts = 0, st = 0;
    std::int64_t user_tasks = 0, stage_deals = 0, deals = 0, tasks = 0;
    for (const auto& u : r.tasks_by_user) {
      ts += u.share_pct;
      user_tasks += u.tasks;
    }
    for (const auto& s : r.stage_time.stages) st += s.share_pct;
    for (const auto& s : r.stages) stage_deals += s.deals;
    for (const auto& b : r.buckets) {
      deals += b.deals;
      tasks += b.tasks;
    }
    EXPECT_NEAR(ts, 100.0, 1e-9);
    EXPECT_NEAR(st, 100.0, 1e-9);
    EXPECT_EQ(user_tasks, tasks);
    EXPECT_EQ(stage_deals, r.stage_deals);
    EXPECT_GT(deals, 0);
    if (month_deals < 0) {
      month_deals = deals;
      month_tasks = tasks;
    }
    EXPECT_EQ(deals, month_deals);
    EXPECT_EQ(tasks, month_tasks);
  }
}
