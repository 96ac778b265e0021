// Tests of the employees report (include/dealstat/reports/employees.hpp) and
// the owner history it uses (include/dealstat/data/owner_history.hpp): a small
// account worked out by hand, and maven-crm against figures computed from the
// CSV files directly (awk, cited below) and by an independent parse here.
#include "dealstat/reports/employees.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "dealstat/core/error.hpp"
#include "dealstat/data/dataset_builder.hpp"
#include "dealstat/data/owner_history.hpp"
#include "dealstat/io/mapping.hpp"
#include "dealstat/io/sample_generator.hpp"
#include "dealstat/time/calendar.hpp"
#include "expect_error.hpp"
#include "reports/partial_state.hpp"

using namespace dealstat;
using dealstat::test::option_of;

namespace {

constexpr std::int64_t T0 = 1704067200;  // 2024-01-01T00:00:00Z
constexpr std::int64_t kDay = 86400;
Timestamp day(std::int64_t d) { return Timestamp{T0 + d * kDay}; }

// The hand-worked account (UTC). Pipeline 1 "Main": New(10), Talk(11), won(142), lost(143).
// Users: 1 Ann (Sales), 2 Bob (Sales), 3 Cid (Support), 4 Dan (no group, no work at all).
// Days are offsets from 2024-01-01; the period is January ([d0, d31)), as-of d40, so E = d31.
//   D1  Ann  created d2,  won d10, 1000            -> Ann new, won, time to close 8 d
//   D2  Ann  created d-10, won d20, 500            -> Ann won (not new), 30 d
//   D3  Ann  created d5,  lost d15                 -> Ann new, lost
//   D4  now Cid; created d3 by Ann, owner Ann->Bob at d12, won d18 (2000), owner Bob->Cid at d25
//        current:  Cid new, Cid won 2000 (15 d);   at_close: Ann new (owner at d3), Bob won (owner at d18)
//   D5  Bob  created d8, New -> Talk d9, active    -> Bob new, in work
//   D6  Bob  created d1, won d20, reopened d35     -> Bob new; not won (the close was undone); won at E: not in work
//   D7  Cid  created d-40, lost d-5                -> nothing
//   D8  Cid  created d33                           -> nothing (after E)
//   D9  nobody, created d4, active                 -> unassigned new, in work
//   D10 Ann  deleted, created d5, won d6           -> never counted
//   D11 Cid  created d-20, active                  -> Cid in work
//   D12 Ann  created d12, won d40                  -> Ann new, in work (active at E)
// Tasks:
//   T1 Ann created d1, due d3, completed d2        -> created, completed
//   T2 Ann created d5, due d10, completed d35      -> created, overdue at E (completed later)
//   T3 Bob created d-5, due d-1, open              -> overdue
//   T4 Bob created d20, due d40, open              -> created (not yet due at E)
//   T5 Cid created d-10, due d-8, completed d3     -> completed
//   T6 nobody, created d2, due d4, open            -> unassigned created, overdue
// Optional D13 Ann in pipeline 2 "Other", created d6, won d7, 9999, channel "forms".
DatasetPtr hand_dataset(bool second_pipeline = false) {
  DatasetBuilder b;
  b.add_user({UserId{1}, "Ann", "Sales"});
  b.add_user({UserId{2}, "Bob", "Sales"});
  b.add_user({UserId{3}, "Cid", "Support"});
  b.add_user({UserId{4}, "Dan", ""});
  b.add_pipeline({PipelineId{1}, "Main"});
  b.add_stage({PipelineId{1}, StageId{10}, "New", 10, StageKind::open});
  b.add_stage({PipelineId{1}, StageId{11}, "Talk", 20, StageKind::open});
  b.add_stage({PipelineId{1}, StageId{142}, "Won", 30, StageKind::won});
  b.add_stage({PipelineId{1}, StageId{143}, "Lost", 40, StageKind::lost});
  if (second_pipeline) {
    b.add_pipeline({PipelineId{2}, "Other"});
    b.add_stage({PipelineId{2}, StageId{20}, "Start", 10, StageKind::open});
    b.add_stage({PipelineId{2}, StageId{142}, "Won", 30, StageKind::won});
    b.add_stage({PipelineId{2}, StageId{143}, "Lost", 40, StageKind::lost});
  }
  auto deal = [&](std::int64_t id, std::optional<std::int64_t> user, std::int64_t created, std::int64_t stage,
                  std::optional<std::int64_t> closed, std::int64_t budget, bool deleted = false,
                  std::string channel = "mail", std::int64_t pipeline = 1) {
    DealRow d;
    d.id = DealId{id};
    d.pipeline = PipelineId{pipeline};
    d.stage = StageId{stage};
    d.created_at = day(created);
    if (closed) d.closed_at = day(*closed);
    d.budget = Money{budget};
    if (user) d.responsible = UserId{*user};
    d.channel = std::move(channel);
    d.deleted = deleted;
    b.add_deal(d);
  };
  auto move = [&](std::int64_t id, std::int64_t at, std::int64_t from, std::int64_t to) {
    StageChangeRow c;
    c.deal = DealId{id};
    c.at = day(at);
    c.from_stage = StageId{from};
    c.to_stage = StageId{to};
    b.add_stage_change(c);
  };
  deal(1, 1, 2, 142, 10, 1000, false, "sip");
  move(1, 10, 10, 142);
  deal(2, 1, -10, 142, 20, 500);
  move(2, 20, 10, 142);
  deal(3, 1, 5, 143, 15, 0);
  move(3, 15, 10, 143);
  deal(4, 3, 3, 142, 18, 2000);
  move(4, 18, 10, 142);
  deal(5, 2, 8, 11, std::nullopt, 300);
  move(5, 9, 10, 11);
  deal(6, 2, 1, 11, std::nullopt, 700);
  move(6, 20, 10, 142);
  move(6, 35, 142, 11);
  deal(7, 3, -40, 143, -5, 0);
  move(7, -5, 10, 143);
  deal(8, 3, 33, 10, std::nullopt, 100);
  deal(9, std::nullopt, 4, 10, std::nullopt, 100);
  deal(10, 1, 5, 142, 6, 5000, true);
  move(10, 6, 10, 142);
  deal(11, 3, -20, 10, std::nullopt, 100);
  deal(12, 1, 12, 142, 40, 800);
  move(12, 40, 10, 142);
  if (second_pipeline) {
    deal(13, 1, 6, 142, 7, 9999, false, "forms", 2);
    StageChangeRow c;
    c.deal = DealId{13};
    c.at = day(7);
    c.from_pipeline = PipelineId{2};
    c.from_stage = StageId{20};
    c.to_pipeline = PipelineId{2};
    c.to_stage = StageId{142};
    b.add_stage_change(c);
  }
  // D4's owner history: amoCRM's JSON form, then the plain-id form.
  EventRow e;
  e.id = "e1";
  e.type = "entity_responsible_changed";
  e.entity_type = "lead";
  e.entity_id = 4;
  e.at = day(12);
  e.value_before = R"([{"responsible_user":{"id":1}}])";
  e.value_after = R"([{"responsible_user":{"id":2}}])";
  b.add_event(e);
  e.id = "e2";
  e.at = day(25);
  e.value_before = "2";
  e.value_after = "3";
  b.add_event(e);
  auto task = [&](std::int64_t id, std::optional<std::int64_t> user, std::int64_t created, std::int64_t due,
                  std::optional<std::int64_t> done) {
    TaskRow t;
    t.id = TaskId{id};
    if (user) t.responsible = UserId{*user};
    t.created_at = day(created);
    t.due_at = day(due);
    if (done) t.completed_at = day(*done);
    t.entity_type = "lead";
    t.type = "call";
    b.add_task(t);
  };
  task(1, 1, 1, 3, 2);
  task(2, 1, 5, 10, 35);
  task(3, 2, -5, -1, std::nullopt);
  task(4, 2, 20, 40, std::nullopt);
  task(5, 3, -10, -8, 3);
  task(6, std::nullopt, 2, 4, std::nullopt);
  return std::move(b).build().dataset;
}

EmployeesOptions january() {
  EmployeesOptions o;
  o.filter.period.from = make_date(2024, 1, 1);
  o.filter.period.to = make_date(2024, 2, 1);
  o.as_of = day(40);
  return o;
}

const EmployeeRow& row(const EmployeesResult& r, const std::string& name) {
  for (const auto& u : r.users)
    if (u.name == name) return u;
  for (const auto& g : r.groups)
    if (g.name == name) return g;
  if (r.unassigned && r.unassigned->name == name) return *r.unassigned;
  throw std::runtime_error("no row " + name);
}

// Wilson score interval in %, by the closed form (z for 95%).
std::pair<double, double> wilson_pct(double x, double n) {
  const double z = 1.959963984540054, p = x / n;
  const double c = (p + z * z / (2 * n)) / (1 + z * z / n);
  const double h = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
  return {100 * (c - h), 100 * (c + h)};
}

}  // namespace

TEST(Employees, HandWorkedCurrentAttribution) {
  auto ds = hand_dataset();
  auto r = employees(*ds, january());
  EXPECT_EQ(r.period_end_s, day(31).seconds);
  ASSERT_EQ(r.users.size(), 4u);
  const auto& ann = row(r, "Ann");
  EXPECT_EQ(ann.new_deals, 3);  // D1, D3, D12
  EXPECT_EQ(ann.won, 2);        // D1, D2
  EXPECT_EQ(ann.won_budget_minor, 1500);
  EXPECT_EQ(ann.lost, 1);       // D3
  EXPECT_EQ(ann.in_work, 1);    // D12
  EXPECT_NEAR(ann.win_rate_pct, 200.0 / 3, 1e-9);
  auto [lo, hi] = wilson_pct(2, 3);
  EXPECT_NEAR(ann.win_rate_lower_pct, lo, 1e-9);
  EXPECT_NEAR(ann.win_rate_upper_pct, hi, 1e-9);
  EXPECT_DOUBLE_EQ(ann.mean_time_to_close_s, 19.0 * kDay);  // (8 + 30) / 2 days
  EXPECT_DOUBLE_EQ(ann.median_time_to_close_s, 19.0 * kDay);
  EXPECT_EQ(ann.tasks_created, 2);    // T1, T2
  EXPECT_EQ(ann.tasks_completed, 1);  // T1 (T2 was completed after the period)
  EXPECT_EQ(ann.tasks_overdue, 1);    // T2: due d10, completed only at d35
  EXPECT_EQ(ann.group, "Sales");

  const auto& bob = row(r, "Bob");
  EXPECT_EQ(bob.new_deals, 2);  // D5, D6
  EXPECT_EQ(bob.won, 0);        // D6's win was undone by the reopening
  EXPECT_EQ(bob.lost, 0);
  EXPECT_EQ(bob.in_work, 1);    // D5 (D6 was won at E)
  EXPECT_TRUE(std::isnan(bob.win_rate_pct));
  EXPECT_TRUE(std::isnan(bob.mean_time_to_close_s));
  EXPECT_EQ(bob.tasks_created, 1);  // T4
  EXPECT_EQ(bob.tasks_completed, 0);
  EXPECT_EQ(bob.tasks_overdue, 1);  // T3

  const auto& cid = row(r, "Cid");
  EXPECT_EQ(cid.new_deals, 1);  // D4 (current owner)
  EXPECT_EQ(cid.won, 1);
  EXPECT_EQ(cid.won_budget_minor, 2000);
  EXPECT_EQ(cid.in_work, 1);    // D11
  EXPECT_DOUBLE_EQ(cid.win_rate_pct, 100.0);
  EXPECT_DOUBLE_EQ(cid.median_time_to_close_s, 15.0 * kDay);
  EXPECT_EQ(cid.tasks_completed, 1);  // T5
  EXPECT_EQ(cid.tasks_overdue, 0);

  // A user with no deals and no tasks has a row of zeros.
  const auto& dan = row(r, "Dan");
  EXPECT_EQ(dan.new_deals + dan.won + dan.lost + dan.in_work + dan.tasks_created + dan.tasks_completed +
                dan.tasks_overdue,
            0);
  EXPECT_DOUBLE_EQ(dan.won_budget_share_pct, 0.0);
  EXPECT_EQ(dan.group, "");

  ASSERT_TRUE(r.unassigned.has_value());
  EXPECT_EQ(r.unassigned->new_deals, 1);  // D9
  EXPECT_EQ(r.unassigned->in_work, 1);
  EXPECT_EQ(r.unassigned->tasks_created, 1);  // T6
  EXPECT_EQ(r.unassigned->tasks_overdue, 1);

  // Team: new 3+2+1+1, won 3 (3500), lost 1, in work 4, durations 8, 30, 15 days.
  EXPECT_EQ(r.team.new_deals, 7);
  EXPECT_EQ(r.team.won, 3);
  EXPECT_EQ(r.team.won_budget_minor, 3500);
  EXPECT_EQ(r.team.lost, 1);
  EXPECT_EQ(r.team.in_work, 4);
  EXPECT_DOUBLE_EQ(r.team.win_rate_pct, 75.0);
  EXPECT_NEAR(r.team.mean_time_to_close_s, 53.0 / 3 * kDay, 1e-6);
  EXPECT_DOUBLE_EQ(r.team.median_time_to_close_s, 15.0 * kDay);
  EXPECT_EQ(r.team.tasks_created, 4);
  EXPECT_EQ(r.team.tasks_completed, 2);
  EXPECT_EQ(r.team.tasks_overdue, 3);
  EXPECT_NEAR(ann.won_budget_share_pct, 1500.0 / 35, 1e-9);
  EXPECT_NEAR(cid.won_budget_share_pct, 2000.0 / 35, 1e-9);
}

TEST(Employees, OwnerChangedBeforeTheWinAtCloseAttribution) {
  auto ds = hand_dataset();
  auto o = january();
  o.attribution = Attribution::at_close;
  auto r = employees(*ds, o);
  EXPECT_EQ(r.owner_changes, 2);
  // D4: created d3 while Ann owned it (value_before of the first change), won d18 while Bob owned it.
  EXPECT_EQ(row(r, "Ann").new_deals, 4);
  EXPECT_EQ(row(r, "Ann").won, 2);
  EXPECT_EQ(row(r, "Bob").new_deals, 2);
  EXPECT_EQ(row(r, "Bob").won, 1);
  EXPECT_EQ(row(r, "Bob").won_budget_minor, 2000);
  EXPECT_DOUBLE_EQ(row(r, "Bob").win_rate_pct, 100.0);
  EXPECT_DOUBLE_EQ(row(r, "Bob").mean_time_to_close_s, 15.0 * kDay);
  EXPECT_EQ(row(r, "Cid").new_deals, 0);
  EXPECT_EQ(row(r, "Cid").won, 0);
  EXPECT_EQ(row(r, "Cid").in_work, 1);
  // Who gets the figures changes; the team does not.
  EXPECT_EQ(r.team.new_deals, 7);
  EXPECT_EQ(r.team.won, 3);
  EXPECT_EQ(r.team.won_budget_minor, 3500);
}

TEST(Employees, OwnerHistoryParsesEveryAcceptedForm) {
  EXPECT_EQ(parse_responsible_value(R"([{"responsible_user":{"id":7}}])"), 7);
  EXPECT_EQ(parse_responsible_value(R"({"responsible_user":{"id":"8"}})"), 8);
  EXPECT_EQ(parse_responsible_value(R"({"responsible_user_id":9})"), 9);
  EXPECT_EQ(parse_responsible_value(R"([{"note":{"id":1}},{"responsible_user":{"id":10}}])"), 10);
  EXPECT_EQ(parse_responsible_value(" 11 "), 11);
  EXPECT_EQ(parse_responsible_value("\"12\""), 12);
  EXPECT_EQ(parse_responsible_value(""), 0);
  EXPECT_EQ(parse_responsible_value("null"), 0);
  EXPECT_EQ(parse_responsible_value("[{\"lead_status\":{\"id\":1}}]"), -1);
  EXPECT_EQ(parse_responsible_value("not json"), -1);

  auto ds = hand_dataset();
  const auto h = build_owner_history(*ds);
  const std::size_t d4 = ds->find_deal(DealId{4})->value;
  auto name = [&](std::uint32_t u) { return std::string(ds->str(ds->users().name[u])); };
  EXPECT_EQ(name(h.owner_at(*ds, d4, day(3).seconds)), "Ann");   // before the first change: its value_before
  EXPECT_EQ(name(h.owner_at(*ds, d4, day(12).seconds)), "Bob");  // at the change instant: the new owner
  EXPECT_EQ(name(h.owner_at(*ds, d4, day(24).seconds)), "Bob");
  EXPECT_EQ(name(h.owner_at(*ds, d4, day(25).seconds)), "Cid");
  const std::size_t d1 = ds->find_deal(DealId{1})->value;
  EXPECT_EQ(name(h.owner_at(*ds, d1, day(0).seconds)), "Ann");  // no changes: the current owner
}

TEST(Employees, GroupsAndTeamAreSumsOfRows) {
  auto ds = hand_dataset();
  auto r = employees(*ds, january());
  ASSERT_EQ(r.groups.size(), 3u);  // Sales, Support, (no group): Dan and the unassigned work
  const auto& sales = row(r, "Sales");
  EXPECT_EQ(sales.new_deals, 5);
  EXPECT_EQ(sales.won, 2);
  EXPECT_EQ(sales.lost, 1);
  EXPECT_EQ(sales.in_work, 2);
  EXPECT_EQ(sales.tasks_created, 3);
  EXPECT_EQ(sales.tasks_overdue, 2);
  EXPECT_DOUBLE_EQ(sales.median_time_to_close_s, 19.0 * kDay);  // Ann's 8 and 30 days
  const auto& none = row(r, "(no group)");
  EXPECT_EQ(none.new_deals, 1);
  EXPECT_EQ(none.tasks_overdue, 1);
  EXPECT_EQ(row(r, "Support").won_budget_minor, 2000);
}

TEST(Employees, RankingByAnyColumnEitherWay) {
  auto ds = hand_dataset();
  auto o = january();
  auto r = employees(*ds, o);  // default: won budget, largest first; ties by user id
  ASSERT_EQ(r.users.size(), 4u);
  EXPECT_EQ(r.users[0].name, "Cid");
  EXPECT_EQ(r.users[1].name, "Ann");
  EXPECT_EQ(r.users[2].name, "Bob");
  EXPECT_EQ(r.users[3].name, "Dan");
  EXPECT_EQ(r.users[3].rank, 4);
  o.rank_by = "win_rate_pct";
  o.ascending = true;
  r = employees(*ds, o);  // Ann 66.7, Cid 100, then the NaNs (Bob, Dan) last
  EXPECT_EQ(r.users[0].name, "Ann");
  EXPECT_EQ(r.users[1].name, "Cid");
  EXPECT_EQ(r.users[2].name, "Bob");
  EXPECT_EQ(r.users[3].name, "Dan");
  o.rank_by = "tasks_created";
  o.ascending = false;
  r = employees(*ds, o);  // Ann 2, Bob 1, then Cid and Dan 0 by id
  EXPECT_EQ(r.users[0].name, "Ann");
  EXPECT_EQ(r.users[1].name, "Bob");
  EXPECT_EQ(r.users[2].name, "Cid");
  EXPECT_EQ(r.groups[0].name, "Sales");
  for (const auto& c : employee_columns()) {
    o.rank_by = c;
    EXPECT_NO_THROW(employees(*ds, o)) << c;
  }
}

TEST(Employees, ComparisonWithTheTeamMedian) {
  auto ds = hand_dataset();
  auto o = january();
  o.compare = {1, 3};
  auto r = employees(*ds, o);
  const auto& c = r.comparison;
  ASSERT_EQ(c.user_ids, (std::vector<std::int64_t>{1, 3}));
  ASSERT_EQ(c.metrics, employee_columns());
  auto m = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(c.metrics.begin(), c.metrics.end(), name) - c.metrics.begin());
  };
  // Over the four user rows (Ann, Bob, Cid, Dan); NaN rates left out.
  EXPECT_DOUBLE_EQ(c.team_median[m("new_deals")], 1.5);       // 3, 2, 1, 0
  EXPECT_DOUBLE_EQ(c.team_median[m("won")], 0.5);             // 2, 0, 1, 0
  EXPECT_DOUBLE_EQ(c.team_median[m("win_rate_pct")], (200.0 / 3 + 100) / 2);  // Ann, Cid only
  EXPECT_DOUBLE_EQ(c.team_median[m("tasks_overdue")], 0.5);   // 1, 1, 0, 0
  EXPECT_DOUBLE_EQ(c.values[0][m("new_deals")], 3);
  EXPECT_DOUBLE_EQ(c.values[1][m("won_budget_minor")], 2000);
  auto tables = r.to_tables();
  ASSERT_EQ(tables.size(), 4u);
  EXPECT_EQ(tables[3].name, "employees_comparison");
  EXPECT_EQ(tables[3].columns.size(), 4u);  // metric, Ann, Cid, team_median
  EXPECT_EQ(tables[3].columns[1].name, "Ann");
}

TEST(Employees, FilterUsersGroupsPipelineChannels) {
  auto ds = hand_dataset(true);
  auto o = january();
  auto all = employees(*ds, o);
  EXPECT_EQ(row(all, "Ann").won, 3);  // D13 in the other pipeline too
  EXPECT_EQ(row(all, "Ann").won_budget_minor, 11499);

  o.filter.pipeline = "Main";
  auto main = employees(*ds, o);
  EXPECT_EQ(row(main, "Ann").won, 2);
  EXPECT_EQ(row(main, "Ann").new_deals, 3);

  o = january();
  o.filter.users = {1};
  auto ann_only = employees(*ds, o);
  ASSERT_EQ(ann_only.users.size(), 1u);
  EXPECT_FALSE(ann_only.unassigned.has_value());  // unassigned work drops out with a users filter
  EXPECT_EQ(ann_only.team.new_deals, 4);
  EXPECT_EQ(ann_only.team.tasks_created, 2);
  ASSERT_EQ(ann_only.groups.size(), 1u);
  EXPECT_EQ(ann_only.groups[0].name, "Sales");

  o = january();
  o.filter.groups = {"Support"};
  auto support = employees(*ds, o);
  ASSERT_EQ(support.users.size(), 1u);
  EXPECT_EQ(support.users[0].name, "Cid");
  EXPECT_EQ(support.team.won, 1);

  // Channels choose deals, not tasks: only D1 is "sip".
  o = january();
  o.filter.channels = {"sip"};
  auto sip = employees(*ds, o);
  EXPECT_EQ(row(sip, "Ann").new_deals, 1);
  EXPECT_EQ(row(sip, "Ann").won, 1);
  EXPECT_EQ(row(sip, "Ann").won_budget_minor, 1000);
  EXPECT_EQ(row(sip, "Ann").tasks_created, 2);
  EXPECT_EQ(sip.team.in_work, 0);

  // Without a period: everything up to as-of + 1 s.
  o = january();
  o.filter.period = {};
  auto ever = employees(*ds, o);
  EXPECT_EQ(ever.period_end_s, day(40).seconds + 1);
  EXPECT_EQ(row(ever, "Ann").won, 4);  // D1, D2, D12 (at d40 = as-of), D13
  EXPECT_EQ(row(ever, "Cid").lost, 1);  // D7
}

TEST(Employees, BadOptionsNameTheOption) {
  auto ds = hand_dataset();
  EXPECT_EQ(option_of([&] {
              auto o = january();
              o.rank_by = "speed";
              employees(*ds, o);
            }),
            "rank_by");
  EXPECT_EQ(option_of([&] {
              auto o = january();
              o.compare = {1, 99};
              employees(*ds, o);
            }),
            "compare");
  EXPECT_EQ(option_of([&] {
              auto o = january();
              o.compare = {1, 1};
              employees(*ds, o);
            }),
            "compare");
  EXPECT_EQ(option_of([&] {
              auto o = january();
              o.filter.users = {2};
              o.compare = {1};
              employees(*ds, o);
            }),
            "compare");
  EXPECT_EQ(option_of([&] {
              auto o = january();
              o.filter.users = {99};
              employees(*ds, o);
            }),
            "users");
  EXPECT_EQ(option_of([&] {
              auto o = january();
              o.filter.groups = {"Nobody"};
              employees(*ds, o);
            }),
            "groups");
  EXPECT_EQ(option_of([&] {
              auto o = january();
              o.filter.pipeline = "Nope";
              employees(*ds, o);
            }),
            "pipeline");
  EXPECT_EQ(option_of([&] {
              auto o = january();
              o.confidence = 1.5;
              employees(*ds, o);
            }),
            "confidence");
  EXPECT_EQ(option_of([] { parse_attribution("whenever"); }), "attribution");
  EXPECT_EQ(parse_attribution("at_close"), Attribution::at_close);
  EXPECT_EQ(std::string(attribution_name(Attribution::current)), "current");
}

TEST(Employees, TablesCarryEveryRow) {
  auto ds = hand_dataset();
  auto r = employees(*ds, january());
  auto t = r.to_tables();
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].name, "employees");
  EXPECT_EQ(t[0].rows(), 5u);  // four users and the unassigned row
  EXPECT_TRUE(t[0].column("user_id").is_null(4));
  EXPECT_EQ(t[1].rows(), 3u);
  EXPECT_EQ(t[2].rows(), 1u);
  const auto& won = std::get<std::vector<std::int64_t>>(t[2].column("won").values);
  EXPECT_EQ(won[0], 3);
}

// ---------------------------------------------------------------------------------------------
// maven-crm: one row per opportunity, agents in groups by manager (examples/mappings/maven-crm.json).

namespace {

std::string shared_data_dir() {
  std::vector<std::string> candidates{DEALSTAT_SHARED_DATA_DIR};
  if (const char* env = std::getenv("DEALSTAT_SHARED_DATA")) candidates.emplace_back(env);
  candidates.emplace_back("/work/shared/data");
  for (const auto& c : candidates)
    if (std::filesystem::is_directory(std::filesystem::path(c) / "maven-crm")) return c;
  return "";
}

struct AgentFigures {
  std::int64_t won = 0, lost = 0, open = 0, won_dollars = 0;
};

// An independent read of sales_pipeline.csv (no quoted cells in this file): per agent, by deal_stage.
std::map<std::string, AgentFigures> agent_figures(const std::string& dir) {
  std::ifstream in(dir + "/maven-crm/sales_pipeline.csv");
  std::string line;
  std::getline(in, line);
  std::map<std::string, AgentFigures> out;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    f.resize(8);
    auto& a = out[f[1]];
    if (f[4] == "Won") {
      ++a.won;
      a.won_dollars += std::stoll(f[7]);
    } else if (f[4] == "Lost") {
      ++a.lost;
    } else {
      ++a.open;
    }
  }
  return out;
}

class EmployeesMaven : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = shared_data_dir();
    if (dir_.empty()) GTEST_SKIP() << "shared/data not found (set DEALSTAT_SHARED_DATA)";
    ds_ = load_mapped_export(dir_ + "/maven-crm", std::string(DEALSTAT_SOURCE_DIR) + "/examples/mappings/maven-crm.json")
              .dataset;
  }
  std::string dir_;
  DatasetPtr ds_;
};

}  // namespace

TEST_F(EmployeesMaven, PerAgentWinRatesAndWonRevenue) {
  auto r = employees(*ds_);
  // awk -F, 'NR>1 && $2=="Darcel Schlecht"{if($5=="Won"){w++;r+=$8}else if($5=="Lost")l++}END{print w,l,r}'
  //   sales_pipeline.csv  ->  349 204 1153214: won revenue $1,153,214 on 553 closed deals.
  const EmployeeRow* darcel = nullptr;
  for (const auto& u : r.users)
    if (u.name == "Darcel Schlecht") darcel = &u;
  ASSERT_NE(darcel, nullptr);
  EXPECT_EQ(darcel->won, 349);
  EXPECT_EQ(darcel->lost, 204);
  EXPECT_EQ(darcel->won_budget_minor, 115321400);
  EXPECT_NEAR(darcel->win_rate_pct, 100.0 * 349 / 553, 1e-9);
  EXPECT_EQ(darcel->in_work, 194);
  EXPECT_EQ(darcel->rank, 1);  // the largest won revenue
  EXPECT_EQ(darcel->group, "Melvin Marxen");

  const auto figures = agent_figures(dir_);
  EXPECT_EQ(r.users.size(), 35u);  // 30 agents with deals and 5 without
  int zero_rows = 0;
  for (const auto& u : r.users) {
    auto it = figures.find(u.name);
    if (it == figures.end()) {
      ++zero_rows;
      EXPECT_EQ(u.won + u.lost + u.new_deals + u.in_work, 0) << u.name;
      continue;
    }
    EXPECT_EQ(u.won, it->second.won) << u.name;
    EXPECT_EQ(u.lost, it->second.lost) << u.name;
    EXPECT_EQ(u.in_work, it->second.open) << u.name;
    EXPECT_EQ(u.new_deals, it->second.won + it->second.lost + it->second.open) << u.name;
    EXPECT_EQ(u.won_budget_minor, 100 * it->second.won_dollars) << u.name;
  }
  EXPECT_EQ(zero_rows, 5);
  // Published: 4,238 / 6,711 = 63.15%, won revenue $10,005,534.
  EXPECT_EQ(r.team.won, 4238);
  EXPECT_EQ(r.team.lost, 2473);
  EXPECT_NEAR(r.team.win_rate_pct, 63.15, 0.005);
  EXPECT_EQ(r.team.won_budget_minor, 1000553400);
}

TEST_F(EmployeesMaven, PerManagerInTheSecondQuarter) {
  // awk -F, 'NR==FNR{if(FNR>1)m[$1]=$2;next} FNR>1&&($5=="Won"||$5=="Lost")&&$7>="2017-04-01"&&$7<"2017-07-01"
  //   {g=m[$2];if($5=="Won"){w[g]++;r[g]+=$8}else l[g]++} END{...}' sales_teams.csv sales_pipeline.csv
  struct M {
    const char* name;
    std::int64_t won, lost, dollars;
  };
  const M expected[] = {{"Cara Losch", 132, 80, 370692},      {"Celia Rouche", 179, 113, 510177},
                        {"Dustin Brinkmann", 236, 140, 365987}, {"Melvin Marxen", 251, 156, 591334},
                        {"Rocco Neubert", 217, 134, 646131},   {"Summer Sewald", 239, 155, 601790}};
  EmployeesOptions o;
  o.filter.period.from = make_date(2017, 4, 1);
  o.filter.period.to = make_date(2017, 7, 1);
  o.rank_by = "win_rate_pct";
  auto r = employees(*ds_, o);
  ASSERT_EQ(r.groups.size(), 6u);
  for (const auto& m : expected) {
    const EmployeeRow* g = nullptr;
    for (const auto& row : r.groups)
      if (row.name == m.name) g = &row;
    ASSERT_NE(g, nullptr) << m.name;
    EXPECT_EQ(g->won, m.won) << m.name;
    EXPECT_EQ(g->lost, m.lost) << m.name;
    EXPECT_EQ(g->won_budget_minor, 100 * m.dollars) << m.name;
    EXPECT_NEAR(g->win_rate_pct, 100.0 * static_cast<double>(m.won) / static_cast<double>(m.won + m.lost), 1e-9);
  }
  // Darcel in the quarter (same awk, one agent): 96 won for $310,075, 60 lost.
  for (const auto& u : r.users)
    if (u.name == "Darcel Schlecht") {
      EXPECT_EQ(u.won, 96);
      EXPECT_EQ(u.lost, 60);
      EXPECT_EQ(u.won_budget_minor, 31007500);
    }
  for (std::size_t i = 1; i < r.groups.size(); ++i) EXPECT_GE(r.groups[i - 1].win_rate_pct, r.groups[i].win_rate_pct);
}

// ---------------------------------------------------------------------------------------------
// Invariants on the sample account.


TEST(EmployeesSample, RowsSumToTheTeamAndSharesTo100) {
  SampleOptions so;
  so.deals = 3000;
  auto ds = make_sample(so);
  for (auto attribution : {Attribution::current, Attribution::at_close}) {
    EmployeesOptions o;
    o.filter.period.from = make_date(2024, 1, 1);
    o.filter.period.to = make_date(2024, 7, 1);
    o.attribution = attribution;
    auto r = employees(*ds, o);
    if (attribution == Attribution::at_close) {
      EXPECT_GT(r.owner_changes, 0);
    }
    std::vector<const EmployeeRow*> rows;
    for (const auto& u : r.users) rows.push_back(&u);
    if (r.unassigned) rows.push_back(&*r.unassigned);
    auto check = [&](const std::vector<const EmployeeRow*>& part, const char* what) {
      EmployeeRow sum;
      double share = 0;
      for (const auto* p : part) {
        sum.new_deals += p->new_deals;
        sum.won += p->won;
        sum.won_budget_minor += p->won_budget_minor;
        sum.lost += p->lost;
        sum.in_work += p->in_work;
        sum.tasks_created += p->tasks_created;
        sum.tasks_completed += p->tasks_completed;
        sum.tasks_overdue += p->tasks_overdue;
        share += p->won_budget_share_pct;
      }
      EXPECT_EQ(sum.new_deals, r.team.new_deals) << what;
      EXPECT_EQ(sum.won, r.team.won) << what;
      EXPECT_EQ(sum.won_budget_minor, r.team.won_budget_minor) << what;
      EXPECT_EQ(sum.lost, r.team.lost) << what;
      EXPECT_EQ(sum.in_work, r.team.in_work) << what;
      EXPECT_EQ(sum.tasks_created, r.team.tasks_created) << what;
      EXPECT_EQ(sum.tasks_completed, r.team.tasks_completed) << what;
      EXPECT_EQ(sum.tasks_overdue, r.team.tasks_overdue) << what;
      EXPECT_NEAR(share, 100.0, 1e-9) << what;
    };
    check(rows, "users");
    std::vector<const EmployeeRow*> groups;
    for (const auto& g : r.groups) groups.push_back(&g);
    check(groups, "groups");

    // The team's figures by a direct count over the deals and tasks.
    const auto& d = ds->deals();
    const std::int64_t start = r.period_start_s, end = r.period_end_s;
    std::int64_t created = 0, won = 0, lost = 0, overdue = 0;
    for (std::size_t i = 0; i < d.size(); ++i) {
      if (d.deleted[i]) continue;
      created += d.created_at[i] >= start && d.created_at[i] < end;
      const auto k = ds->deal_kind(i);
      const bool in = d.closed_at[i] != kNoTime && d.closed_at[i] >= start && d.closed_at[i] < end;
      won += k == StageKind::won && in;
      lost += k == StageKind::lost && in;
    }
    const auto& t = ds->tasks();
    for (std::size_t i = 0; i < t.size(); ++i)
      overdue += t.created_at[i] < end && t.due_at[i] != kNoTime && t.due_at[i] < end &&
                 (t.completed_at[i] == kNoTime || t.completed_at[i] >= end);
    EXPECT_EQ(r.team.new_deals, created);
    EXPECT_EQ(r.team.won, won);
    EXPECT_EQ(r.team.lost, lost);
    EXPECT_EQ(r.team.tasks_overdue, overdue);
    EXPECT_GT(won, 0);
    EXPECT_GT(overdue, 0);
  }
}

TEST(EmployeesSample, ThreadCountDoesNotChangeTheResult) {
  SampleOptions so;
  so.deals = 2000;
  auto ds = make_sample(so);
  EmployeesOptions o;
  o.attribution = Attribution::at_close;
  o.threads = 1;
  auto a = employees(*ds, o);
  o.threads = 2;
  auto b = employees(*ds, o);
  ASSERT_EQ(a.users.size(), b.users.size());
  for (std::size_t i = 0; i < a.users.size(); ++i) {
    EXPECT_EQ(a.users[i].user_id, b.users[i].user_id);
    EXPECT_EQ(a.users[i].won_budget_minor, b.users[i].won_budget_minor);
    EXPECT_EQ(a.users[i].median_time_to_close_s, b.users[i].median_time_to_close_s);
  }
}

// "In work at the end" follows the path's own recorded times, not closed_at (the report answers most deals
// from Dataset::deal_settled_s() and walks the rest). January, E = d31; worked out by hand:
//   D1 created d2,  New -> Won recorded d20, closed_at d35 -> new; not won in January; not in work (won at E)
//   D2 created d3,  New -> Lost d32, closed_at d32         -> new; in work (New at E)
//   D3 created d4,  New -> Won recorded d40, closed_at d25 -> new; won (closed_at d25); in work (New at E)
TEST(Employees, InWorkFollowsThePathNotClosedAt) {
  DatasetBuilder b;
  b.add_user({UserId{1}, "Ann", "Sales"});
  b.add_pipeline({PipelineId{1}, "Main"});
  b.add_stage({PipelineId{1}, StageId{10}, "New", 10, StageKind::open});
  b.add_stage({PipelineId{1}, StageId{142}, "Won", 30, StageKind::won});
  b.add_stage({PipelineId{1}, StageId{143}, "Lost", 40, StageKind::lost});
  auto deal = [&](std::int64_t id, std::int64_t created, std::int64_t stage, std::int64_t closed, std::int64_t moved) {
    DealRow d;
    d.id = DealId{id};
    d.pipeline = PipelineId{1};
    d.stage = StageId{stage};
    d.created_at = day(created);
    d.closed_at = day(closed);
    d.budget = Money{100};
    d.responsible = UserId{1};
    b.add_deal(d);
    StageChangeRow c;
    c.deal = DealId{id};
    c.at = day(moved);
    c.from_stage = StageId{10};
    c.to_stage = StageId{stage};
    b.add_stage_change(c);
  };
  deal(1, 2, 142, 35, 20);
  deal(2, 3, 143, 32, 32);
  deal(3, 4, 142, 25, 40);
  auto ds = std::move(b).build().dataset;
  const auto r = employees(*ds, january());
  const auto& ann = row(r, "Ann");
  EXPECT_EQ(ann.new_deals, 3);
  EXPECT_EQ(ann.won, 1);
  EXPECT_EQ(ann.lost, 0);
  EXPECT_EQ(ann.in_work, 2);
}

// ---- A second implementation on random accounts ----------------------------------------------------
// employees() (one fused scan, inline filter, kept durations, batched path walks) against a direct
// reading of the rules, deal by deal and task by task, with every median by sorting.

namespace {

// One row's figures by the rules of docs/reports-employees-unsorted.md, computed directly.
struct RefRow {
  std::int64_t new_deals = 0, won = 0, won_budget = 0, lost = 0, in_work = 0;
  std::int64_t tasks_created = 0, tasks_completed = 0, tasks_overdue = 0;
  std::vector<std::int64_t> to_close;
};

double ref_median(std::vector<std::int64_t> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? static_cast<double>(v[n / 2]) : (static_cast<double>(v[n / 2 - 1]) + static_cast<double>(v[n / 2])) / 2.0;
}

double ref_mean(const std::vector<std::int64_t>& v) {
  if (v.empty()) return std::nan("");
  long double s = 0;
  for (auto x : v) s += static_cast<long double>(x);
  return static_cast<double>(s / static_cast<long double>(v.size()));
}

// Reference rows by user id (kNoId: unassigned), over [start, end) with E = end; `keep` is the deal
// filter without users/groups, `user_ok` the users/groups filter (empty = any).
std::map<std::int64_t, RefRow> reference(const Dataset& ds, const EmployeesOptions& o, std::int64_t start,
                                         std::int64_t end) {
  const auto& d = ds.deals();
  const auto& users = ds.users();
  const OwnerHistory history = build_owner_history(ds);
  DealFilter rest = o.filter;
  rest.users.clear();
  rest.groups.clear();
  const DealSelector sel(ds, rest);
  std::set<std::int64_t> chosen(o.filter.users.begin(), o.filter.users.end());
  for (std::size_t u = 0; u < users.size(); ++u)
    if (users.group[u] != 0xFFFFFFFFu)
      for (const auto& g : o.filter.groups)
        if (ds.str(users.group_name[users.group[u]]) == g) chosen.insert(users.id[u]);
  const bool any_user = o.filter.users.empty() && o.filter.groups.empty();
  auto id_of = [&](std::uint32_t u) { return u == 0xFFFFFFFFu ? kNoId : users.id[u]; };
  auto counted = [&](std::int64_t id) { return any_user || (id != kNoId && chosen.count(id)); };
  auto in = [&](std::int64_t t) { return t != kNoTime && (start == kNoTime || t >= start) && t < end; };
  std::map<std::int64_t, RefRow> rows;
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (!sel.selects_ignoring_period(i)) continue;
    auto owner = [&](std::int64_t t) {
      return id_of(o.attribution == Attribution::at_close ? history.owner_at(ds, i, t) : d.responsible[i]);
    };
    const StageKind k = ds.deal_kind(i);
    if (in(d.created_at[i]) && counted(owner(d.created_at[i]))) ++rows[owner(d.created_at[i])].new_deals;
    if ((k == StageKind::won || k == StageKind::lost) && in(d.closed_at[i])) {
      const auto id = owner(d.closed_at[i]);
      if (counted(id)) {
        auto& r = rows[id];
        if (k == StageKind::won) {
          ++r.won;
          r.won_budget += d.budget_minor[i];
          r.to_close.push_back(d.closed_at[i] - d.created_at[i]);
        } else {
          ++r.lost;
        }
      }
    }
    if (d.created_at[i] < end) {
      // The last path entry before E, read forwards.
      const PathView p = ds.paths().path(i);
      bool active = true;
      for (std::size_t j = 0; j < p.size(); ++j)
        if (p.entered_at[j] < end) active = !is_closed_kind(ds.stages().kind[p.stage[j]]);
      if (active && counted(owner(end - 1))) ++rows[owner(end - 1)].in_work;
    }
  }
  const auto& t = ds.tasks();
  for (std::size_t i = 0; i < t.size(); ++i) {
    const auto id = id_of(t.responsible[i]);
    if (!counted(id)) continue;
    auto& r = rows[id];
    r.tasks_created += in(t.created_at[i]);
    r.tasks_completed += in(t.completed_at[i]);
    r.tasks_overdue += t.created_at[i] < end && t.due_at[i] != kNoTime && t.due_at[i] < end &&
                       (t.completed_at[i] == kNoTime || t.completed_at[i] >= end);
  }
  return rows;
}

void expect_row(const EmployeeRow& got, const RefRow& want, const std::string& what) {
  EXPECT_EQ(got.new_deals, want.new_deals) << what;
  EXPECT_EQ(got.won, want.won) << what;
  EXPECT_EQ(got.won_budget_minor, want.won_budget) << what;
  EXPECT_EQ(got.lost, want.lost) << what;
  EXPECT_EQ(got.in_work, want.in_work) << what;
  EXPECT_EQ(got.tasks_created, want.tasks_created) << what;
  EXPECT_EQ(got.tasks_completed, want.tasks_completed) << what;
  EXPECT_EQ(got.tasks_overdue, want.tasks_overdue) << what;
  const double med = ref_median(want.to_close), mean = ref_mean(want.to_close);
  if (std::isnan(med)) {
    EXPECT_TRUE(std::isnan(got.median_time_to_close_s)) << what;
    EXPECT_TRUE(std::isnan(got.mean_time_to_close_s)) << what;
  } else {
    EXPECT_EQ(got.median_time_to_close_s, med) << what;
    EXPECT_EQ(got.mean_time_to_close_s, mean) << what;
  }
}

// Every user, the unassigned row, each group and the team against the reference.
void expect_matches_reference(const Dataset& ds, const EmployeesOptions& o, const std::string& what) {
  const EmployeesResult r = employees(ds, o);
  const auto rows = reference(ds, o, r.period_start_s, r.period_end_s);
  const auto& users = ds.users();
  std::map<std::string, RefRow> groups;
  RefRow team;
  auto add = [](RefRow& a, const RefRow& b) {
    a.new_deals += b.new_deals;
    a.won += b.won;
    a.won_budget += b.won_budget;
    a.lost += b.lost;
    a.in_work += b.in_work;
    a.tasks_created += b.tasks_created;
    a.tasks_completed += b.tasks_completed;
    a.tasks_overdue += b.tasks_overdue;
    a.to_close.insert(a.to_close.end(), b.to_close.begin(), b.to_close.end());
  };
  for (const auto& u : r.users) {
    const auto it = rows.find(u.user_id);
    const RefRow want = it == rows.end() ? RefRow{} : it->second;
    expect_row(u, want, what + " user " + std::to_string(u.user_id));
    add(groups[u.group.empty() ? "(no group)" : u.group], want);
    add(team, want);
  }
  const auto un = rows.find(kNoId);
  if (un != rows.end()) {
    const RefRow& w = un->second;
    const bool any = w.new_deals || w.won || w.lost || w.in_work || w.tasks_created || w.tasks_completed || w.tasks_overdue;
    ASSERT_EQ(r.unassigned.has_value(), any) << what;
    if (any) {
      expect_row(*r.unassigned, w, what + " unassigned");
      add(groups["(no group)"], w);
      add(team, w);
    }
  } else {
    EXPECT_FALSE(r.unassigned.has_value()) << what;
  }
  for (const auto& g : r.groups) expect_row(g, groups[g.name], what + " group " + g.name);
  expect_row(r.team, team, what + " team");
  (void)users;
}

// A random account: 2 pipelines, 5 users in groups A, A, B, none, B; deals with random paths that may
// close and reopen, closed_at near (not always at) the closing move, deleted and unassigned deals,
// owner changes, and tasks. `sorted`: deals added in creation order (as CRMs number them).
DatasetPtr random_account(std::uint64_t seed, int n_deals, bool sorted) {
  std::mt19937_64 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  DatasetBuilder b;
  const char* groups[] = {"A", "A", "B", "", "B"};
  for (int u = 0; u < 5; ++u) b.add_user({UserId{u + 1}, "U" + std::to_string(u + 1), groups[u]});
  b.add_pipeline({PipelineId{1}, "Main"});
  b.add_stage({PipelineId{1}, StageId{10}, "New", 10, StageKind::open});
  b.add_stage({PipelineId{1}, StageId{11}, "Talk", 20, StageKind::open});
  b.add_stage({PipelineId{1}, StageId{142}, "Won", 30, StageKind::won});
  b.add_stage({PipelineId{1}, StageId{143}, "Lost", 40, StageKind::lost});
  b.add_pipeline({PipelineId{2}, "Other"});
  b.add_stage({PipelineId{2}, StageId{20}, "Start", 10, StageKind::open});
  b.add_stage({PipelineId{2}, StageId{142}, "Won", 30, StageKind::won});
  b.add_stage({PipelineId{2}, StageId{143}, "Lost", 40, StageKind::lost});
  std::vector<std::int64_t> created(static_cast<std::size_t>(n_deals));
  for (auto& c : created) c = T0 + (pick(120) - 60) * kDay + pick(86400);
  if (sorted) std::sort(created.begin(), created.end());
  const char* channels[] = {"mail", "sip", "forms"};
  int event = 0;
  for (int k = 0; k < n_deals; ++k) {
    const std::int64_t id = 1000 + k;
    const std::int64_t pipeline = pick(4) == 0 ? 2 : 1;
    const std::vector<std::int64_t> stages = pipeline == 1 ? std::vector<std::int64_t>{10, 11, 142, 143}
                                                           : std::vector<std::int64_t>{20, 142, 143};
    std::int64_t at = created[static_cast<std::size_t>(k)], stage = stages[0], close_move = kNoTime;
    const int moves = pick(5);
    for (int m = 0; m < moves; ++m) {
      at += pick(3) == 0 ? pick(3600) : pick(20) * kDay + pick(86400);
      std::int64_t to = stages[static_cast<std::size_t>(pick(static_cast<int>(stages.size())))];
      if (to == stage) continue;
      StageChangeRow c;
      c.deal = DealId{id};
      c.at = Timestamp{at};
      c.from_stage = StageId{stage};
      c.to_stage = StageId{to};
      b.add_stage_change(c);
      stage = to;
      close_move = (to == 142 || to == 143) ? at : kNoTime;
    }
    DealRow d;
    d.id = DealId{id};
    d.pipeline = PipelineId{pipeline};
    d.stage = StageId{stage};
    d.created_at = Timestamp{created[static_cast<std::size_t>(k)]};
    if (stage == 142 || stage == 143) {
      // closed_at: the closing move, or up to 5 days off it (never before the creation).
      const std::int64_t off = pick(3) == 0 ? (pick(11) - 5) * kDay : 0;
      d.closed_at = Timestamp{std::max(d.created_at.seconds, close_move + off)};
    }
    d.budget = Money{pick(10000)};
    if (pick(8) != 0) d.responsible = UserId{pick(5) + 1};
    d.channel = channels[pick(3)];
    d.deleted = pick(20) == 0;
    b.add_deal(d);
    if (pick(4) == 0) {  // an owner change
      EventRow e;
      e.id = "e" + std::to_string(++event);
      e.type = "entity_responsible_changed";
      e.entity_type = "lead";
      e.entity_id = id;
      e.at = Timestamp{created[static_cast<std::size_t>(k)] + pick(30) * kDay};
      e.value_before = std::to_string(pick(5) + 1);
      e.value_after = std::to_string(pick(6));  // 0: nobody
      b.add_event(e);
    }
  }
  for (int k = 0; k < n_deals; ++k) {
    TaskRow t;
    t.id = TaskId{5000 + k};
    if (pick(6) != 0) t.responsible = UserId{pick(5) + 1};
    t.created_at = Timestamp{T0 + (pick(120) - 60) * kDay};
    if (pick(5) != 0) t.due_at = Timestamp{t.created_at.seconds + (pick(20) - 2) * kDay};
    if (pick(3) != 0) t.completed_at = Timestamp{t.created_at.seconds + pick(40) * kDay};
    t.entity_type = "lead";
    t.type = "call";
    b.add_task(t);
  }
  return std::move(b).build().dataset;
}

// Sets detail::employees_keep_durations for one scope.
struct KeepLimit {
  std::int64_t saved = dealstat::detail::employees_keep_durations;
  explicit KeepLimit(std::int64_t n) { dealstat::detail::employees_keep_durations = n; }
  ~KeepLimit() { dealstat::detail::employees_keep_durations = saved; }
};

}  // namespace

TEST(EmployeesReference, RandomAccountsEveryFilterPeriodAndAttribution) {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const auto ds = random_account(seed, 300, seed % 2 == 0);
    for (int f = 0; f < 5; ++f) {
      for (int p = 0; p < 4; ++p) {
        for (auto attribution : {Attribution::current, Attribution::at_close}) {
          for (std::int64_t limit : {std::int64_t{1} << 20, std::int64_t{3}}) {  // kept durations, or the rescan
            const KeepLimit keep(limit);
            EmployeesOptions o;
            o.attribution = attribution;
            if (f == 1) o.filter.pipeline = "1";
            if (f == 2) o.filter.channels = {"sip", "forms"};
            if (f == 3) o.filter.users = {1, 3, 4};
            if (f == 4) o.filter.groups = {"A"};
            if (p == 0 || p == 1) o.filter.period.from = make_date(2024, 1, 1);
            if (p == 0 || p == 2) o.filter.period.to = make_date(2024, 2, 1);
            if (p == 1) o.as_of = day(20);  // E inside the period
            if (p == 3) o.as_of = day(-10);
            const std::string what = "seed " + std::to_string(seed) + " filter " + std::to_string(f) + " period " +
                                     std::to_string(p) + " " + attribution_name(attribution) + " keep " +
                                     std::to_string(limit);
            expect_matches_reference(*ds, o, what);
          }
        }
      }
    }
  }
}

// The sample account on two threads (rows > 2 x 65,536), a quarter and the whole range, with the
// durations kept and with the rescan.
TEST(EmployeesReference, SampleOnTwoThreads) {
  SampleOptions so;
  so.deals = 60000;
  so.events = false;
  const auto ds = make_sample(so);
  for (int p = 0; p < 2; ++p) {
    for (std::int64_t limit : {std::int64_t{1} << 20, std::int64_t{1000}}) {
      const KeepLimit keep(limit);
      EmployeesOptions o;
      o.threads = 2;
      if (p == 0) {
        o.filter.period.from = make_date(2024, 7, 1);
        o.filter.period.to = make_date(2024, 10, 1);
      }
      expect_matches_reference(*ds, o, "sample period " + std::to_string(p) + " keep " + std::to_string(limit));
    }
  }
}
