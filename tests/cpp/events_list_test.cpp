// Events list (SPEC section 8; docs/reports-summary-events.md, "Events list"):
// hand-worked pages for every filter, ties in time, cursor paging across an
// append, totals, bad options, and a brute-force oracle on random logs.
#include "dealstat/reports/events_list.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "dealstat/core/error.hpp"
#include "dealstat/data/dataset_builder.hpp"
#include "dealstat/io/sample_generator.hpp"
#include "expect_error.hpp"

namespace ds = dealstat;

namespace {

// 2024-03-10T00:00:00Z; Moscow (UTC+3) midnight of 2024-03-11 is T + 21 h.
constexpr std::int64_t T = 1710028800;
constexpr std::int64_t H = 3600;

ds::TimeZone moscow() {
  return ds::TimeZone::parse(std::filesystem::exists("/usr/share/zoneinfo/Europe/Moscow") ? "Europe/Moscow" : "MSK-3");
}

struct Ev {
  const char* id;
  const char* type;
  const char* entity;
  std::int64_t entity_id;
  std::int64_t at;
  std::int64_t user;  // 0 = none
};

// The hand-worked log. Rows in the order given:
//   r0 e0 lead_added          lead 100     T+1h   Anna
//   r1 e1 lead_added          lead 101     T+1h   Boris   (tie with r0)
//   r2 e2 incoming_call       contact 500  T+10h  -
//   r3 e3 lead_status_changed lead 100     T+20h  Anna
//   r4 e4 note_added          company 700  T+20h  Boris   (three-way tie r3, r4, r7)
//   r5 e5 lead_status_changed lead 102     T+22h  Boris   (Moscow: 2024-03-11 01:00)
//   r6 e6 lead_status_changed lead 103     T+30h  Anna
//   r7 e7 incoming_call       contact 501  T+20h  -
// Newest first, ties by row descending: e6 e5 e7 e4 e3 e2 e1 e0.
// Deals: 100 (contact 500, company 700), 101 (contact 500), 102 (company 700), 103 (none).
std::vector<Ev> base_log() {
  return {{"e0", "lead_added", "lead", 100, T + 1 * H, 1},
          {"e1", "lead_added", "lead", 101, T + 1 * H, 2},
          {"e2", "incoming_call", "contact", 500, T + 10 * H, 0},
          {"e3", "lead_status_changed", "lead", 100, T + 20 * H, 1},
          {"e4", "note_added", "company", 700, T + 20 * H, 2},
          {"e5", "lead_status_changed", "lead", 102, T + 22 * H, 2},
          {"e6", "lead_status_changed", "lead", 103, T + 30 * H, 1},
          {"e7", "incoming_call", "contact", 501, T + 20 * H, 0}};
}

ds::DatasetPtr build(const std::vector<Ev>& log) {
  ds::DatasetBuilder b;
  ds::Account acc;
  acc.time_zone = moscow();
  b.set_account(acc);
  b.add_user({ds::UserId{1}, "Anna", "A"});
  b.add_user({ds::UserId{2}, "Boris", "B"});
  b.add_pipeline({ds::PipelineId{1}, "Sales"});
  b.add_stage({ds::PipelineId{1}, ds::StageId{10}, "New", 10, ds::StageKind::open});
  b.add_stage({ds::PipelineId{1}, ds::StageId{142}, "Won", 142, ds::StageKind::won});
  b.add_stage({ds::PipelineId{1}, ds::StageId{143}, "Lost", 143, ds::StageKind::lost});
  auto deal = [&](std::int64_t id, std::optional<std::int64_t> contact, std::optional<std::int64_t> company) {
    ds::DealRow d;
    d.id = ds::DealId{id};
    d.pipeline = ds::PipelineId{1};
    d.stage = ds::StageId{10};
    d.created_at = ds::Timestamp{T};
    d.contact_id = contact;
    d.company_id = company;
    b.add_deal(d);
  };
  deal(100, 500, 700);
  deal(101, 500, std::nullopt);
  deal(102, std::nullopt, 700);
  deal(103, std::nullopt, std::nullopt);
  for (const auto& e : log) {
    ds::EventRow r;
    r.id = e.id;
    r.type = e.type;
    r.entity_type = e.entity;
    r.entity_id = e.entity_id;
    r.at = ds::Timestamp{e.at};
    if (e.user) r.by_user = ds::UserId{e.user};
    b.add_event(r);
  }
  return std::move(b).build().dataset;
}

std::vector<std::string> ids(const ds::EventsListResult& r) {
  std::vector<std::string> v;
  for (const auto& e : r.events) v.push_back(e.id);
  return v;
}

using V = std::vector<std::string>;

struct Fixture {
  ds::DatasetPtr data = build(base_log());
  ds::EventIndex index = ds::EventIndex::build(*data);
  ds::EventsListResult run(ds::EventsListOptions o) const { return ds::events_list(*data, index, o); }
};

ds::LocalDate D(int y, int m, int d) { return ds::make_date(y, m, d); }

}  // namespace

TEST(EventsList, NewestFirstTiesByRowDescending) {
  Fixture f;
  auto r = f.run({});
  EXPECT_EQ(ids(r), (V{"e6", "e5", "e7", "e4", "e3", "e2", "e1", "e0"}));
  EXPECT_EQ(r.total, 8);
  EXPECT_TRUE(r.next_cursor.empty());
  // Row contents: e6 by Anna, e7 by nobody.
  EXPECT_EQ(r.events[0].user_id, 1);
  EXPECT_EQ(r.events[0].user, "Anna");
  EXPECT_EQ(r.events[0].entity_type, "lead");
  EXPECT_EQ(r.events[0].entity_id, 103);
  EXPECT_EQ(r.events[0].at_s, T + 30 * H);
  EXPECT_EQ(r.events[2].user_id, ds::kNoId);
  EXPECT_EQ(r.events[2].user, "");
}

TEST(EventsList, PagesSplitTiesWithoutRepeatOrGap) {
  Fixture f;
  // limit 2: the three events at T+20h (e7, e4, e3) fall across pages 2 and 3.
  std::vector<V> pages;
  std::string cursor;
  do {
    ds::EventsListOptions o;
    o.limit = 2;
    o.cursor = cursor;
    auto r = f.run(o);
    EXPECT_EQ(r.total, 8);  // the total ignores the cursor
    pages.push_back(ids(r));
    cursor = r.next_cursor;
  } while (!cursor.empty());
  EXPECT_EQ(pages, (std::vector<V>{{"e6", "e5"}, {"e7", "e4"}, {"e3", "e2"}, {"e1", "e0"}}));
  // limit 3: the last page is short and has no cursor; a full last page (limit 4) has none either.
  ds::EventsListOptions o;
  o.limit = 3;
  auto p1 = f.run(o);
  EXPECT_EQ(ids(p1), (V{"e6", "e5", "e7"}));
  o.cursor = p1.next_cursor;
  auto p2 = f.run(o);
  EXPECT_EQ(ids(p2), (V{"e4", "e3", "e2"}));
  o.cursor = p2.next_cursor;
  auto p3 = f.run(o);
  EXPECT_EQ(ids(p3), (V{"e1", "e0"}));
  EXPECT_TRUE(p3.next_cursor.empty());
  o.limit = 4;
  o.cursor.clear();
  auto q1 = f.run(o);
  o.cursor = q1.next_cursor;
  auto q2 = f.run(o);
  EXPECT_EQ(ids(q2), (V{"e3", "e2", "e1", "e0"}));
  EXPECT_TRUE(q2.next_cursor.empty());
}

TEST(EventsList, CursorEncodesAtAndRow) {
  // e7 is at T+20h = 1710100800 = 0x65ee1140, row 7.
  EXPECT_EQ(ds::encode_event_cursor(T + 20 * H, 7), "e1" "0000000065ee1140" "00000007");
  Fixture f;
  ds::EventsListOptions o;
  o.limit = 3;
  EXPECT_EQ(f.run(o).next_cursor, ds::encode_event_cursor(T + 20 * H, 7));
}

TEST(EventsList, FilterByType) {
  Fixture f;
  ds::EventsListOptions o;
  o.types = {"lead_status_changed"};
  auto r = f.run(o);
  EXPECT_EQ(ids(r), (V{"e6", "e5", "e3"}));
  EXPECT_EQ(r.total, 3);
  o.types = {"lead_added", "incoming_call"};
  r = f.run(o);
  EXPECT_EQ(ids(r), (V{"e7", "e2", "e1", "e0"}));
  EXPECT_EQ(r.total, 4);
  // An unknown type is not an error: it matches nothing.
  o.types = {"no_such_type"};
  r = f.run(o);
  EXPECT_TRUE(r.events.empty());
  EXPECT_EQ(r.total, 0);
  o.types = {"no_such_type", "note_added"};
  EXPECT_EQ(ids(f.run(o)), (V{"e4"}));
}

TEST(EventsList, FilterByEntity) {
  Fixture f;
  ds::EventsListOptions o;
  o.entity_type = "lead";
  o.entity_id = 100;
  auto r = f.run(o);
  EXPECT_EQ(ids(r), (V{"e3", "e0"}));
  EXPECT_EQ(r.total, 2);
  o.entity_id.reset();
  o.entity_type = "contact";
  r = f.run(o);
  EXPECT_EQ(ids(r), (V{"e7", "e2"}));
  EXPECT_EQ(r.total, 2);
  o.entity_type = "deal";  // amoCRM calls deals "lead": "deal" is unknown, matches nothing
  EXPECT_EQ(f.run(o).total, 0);
}

TEST(EventsList, FilterByContactTakesItsDeals) {
  Fixture f;
  ds::EventsListOptions o;
  // Contact 500: its own call e2, and deals 100 (e3, e0) and 101 (e1).
  o.contact_id = 500;
  auto r = f.run(o);
  EXPECT_EQ(ids(r), (V{"e3", "e2", "e1", "e0"}));
  EXPECT_EQ(r.total, 4);
  // Company 700: its note e4, deals 100 (e3, e0) and 102 (e5).
  o.contact_id.reset();
  o.company_id = 700;
  r = f.run(o);
  EXPECT_EQ(ids(r), (V{"e5", "e4", "e3", "e0"}));
  EXPECT_EQ(r.total, 4);
  // Both: only the events of deal 100, linked to both.
  o.contact_id = 500;
  r = f.run(o);
  EXPECT_EQ(ids(r), (V{"e3", "e0"}));
  EXPECT_EQ(r.total, 2);
  // A contact nobody has: nothing.
  o.company_id.reset();
  o.contact_id = 999;
  EXPECT_EQ(f.run(o).total, 0);
}

TEST(EventsList, FilterByUserAndCombinations) {
  Fixture f;
  ds::EventsListOptions o;
  o.users = {1};
  auto r = f.run(o);
  EXPECT_EQ(ids(r), (V{"e6", "e3", "e0"}));
  EXPECT_EQ(r.total, 3);
  o.users = {1, 2};
  EXPECT_EQ(f.run(o).total, 6);  // all but the two calls with no user
  o.users = {2};
  o.types = {"lead_status_changed"};
  r = f.run(o);
  EXPECT_EQ(ids(r), (V{"e5"}));
  EXPECT_EQ(r.total, 1);
  o.types.clear();
  o.users = {1};
  o.contact_id = 500;
  r = f.run(o);
  EXPECT_EQ(ids(r), (V{"e3", "e0"}));
  EXPECT_EQ(r.total, 2);
  // Every filter at once: Anna, lead_status_changed, lead 100, contact 500, 2024-03-10 (Moscow).
  o.types = {"lead_status_changed"};
  o.entity_type = "lead";
  o.entity_id = 100;
  o.period = {D(2024, 3, 10), D(2024, 3, 11)};
  r = f.run(o);
  EXPECT_EQ(ids(r), (V{"e3"}));
  EXPECT_EQ(r.total, 1);
}

TEST(EventsList, FilterByPeriodInAccountTimeZone) {
  Fixture f;
  ds::EventsListOptions o;
  // Moscow 2024-03-11 starts at T+21h: e5 (T+22h, 22:00Z on the 10th) is already on the 11th.
  o.period = {D(2024, 3, 11), D(2024, 3, 12)};
  auto r = f.run(o);
  EXPECT_EQ(ids(r), (V{"e6", "e5"}));
  EXPECT_EQ(r.total, 2);
  o.period = {D(2024, 3, 10), D(2024, 3, 11)};
  r = f.run(o);
  EXPECT_EQ(ids(r), (V{"e7", "e4", "e3", "e2", "e1", "e0"}));
  EXPECT_EQ(r.total, 6);
  o.period = {std::nullopt, D(2024, 3, 11)};
  EXPECT_EQ(f.run(o).total, 6);
  o.period = {D(2024, 3, 11), std::nullopt};
  EXPECT_EQ(f.run(o).total, 2);
  o.period = {D(2024, 3, 10), D(2024, 3, 11)};
  o.types = {"lead_status_changed"};
  EXPECT_EQ(ids(f.run(o)), (V{"e3"}));
  // Paging inside a period: page 2 of 2 per page.
  o.types.clear();
  o.limit = 2;
  auto p1 = f.run(o);
  EXPECT_EQ(ids(p1), (V{"e7", "e4"}));
  o.cursor = p1.next_cursor;
  EXPECT_EQ(ids(f.run(o)), (V{"e3", "e2"}));
}

TEST(EventsList, CursorStaysStableWhenEventsAreAppended) {
  // Dataset A: page 1 of 3 is e6 e5 e7; its cursor names e7 (T+20h, row 7).
  Fixture a;
  ds::EventsListOptions o;
  o.limit = 3;
  auto p1 = a.run(o);
  ASSERT_EQ(ids(p1), (V{"e6", "e5", "e7"}));
  // Dataset B = A + appended rows:
  //   r8  n8  newer than everything (T+40h)        -> before the cursor: only on a fresh first page
  //   r9  o9  older (T+5h), between e2 and e1      -> after the cursor: page 3
  //   r10 t10 tied with the cursor's time (T+20h)  -> row 10 > 7 sorts before e7: a fresh first page
  //   r11 o11 older than everything (T+0h)         -> last page
  auto log = base_log();
  log.push_back({"n8", "lead_added", "lead", 103, T + 40 * H, 1});
  log.push_back({"o9", "note_added", "lead", 101, T + 5 * H, 2});
  log.push_back({"t10", "note_added", "lead", 102, T + 20 * H, 2});
  log.push_back({"o11", "note_added", "contact", 500, T, 0});
  Fixture b;
  b.data = build(log);
  b.index = ds::EventIndex::build(*b.data);
  // The pages after A's cursor, read from B: nothing served on A's page 1 comes back, nothing is skipped.
  o.cursor = p1.next_cursor;
  auto p2 = b.run(o);
  EXPECT_EQ(ids(p2), (V{"e4", "e3", "e2"}));  // the same page 2 as in A
  EXPECT_EQ(ids(a.run(o)), (V{"e4", "e3", "e2"}));
  EXPECT_EQ(p2.total, 12);
  o.cursor = p2.next_cursor;
  auto p3 = b.run(o);
  EXPECT_EQ(ids(p3), (V{"o9", "e1", "e0"}));
  o.cursor = p3.next_cursor;
  auto p4 = b.run(o);
  EXPECT_EQ(ids(p4), (V{"o11"}));
  EXPECT_TRUE(p4.next_cursor.empty());
  // A fresh first page of B shows the new and the tied events.
  o.cursor.clear();
  o.limit = 5;
  EXPECT_EQ(ids(b.run(o)), (V{"n8", "e6", "e5", "t10", "e7"}));
}

TEST(EventsList, CursorWorksUnderAnotherFilter) {
  // A cursor is a position in the global order, so it can continue any filter.
  Fixture f;
  ds::EventsListOptions o;
  o.contact_id = 500;
  o.limit = 1;
  auto p1 = f.run(o);
  EXPECT_EQ(ids(p1), (V{"e3"}));
  o.cursor = p1.next_cursor;
  auto p2 = f.run(o);
  EXPECT_EQ(ids(p2), (V{"e2"}));
  o.cursor = p2.next_cursor;
  EXPECT_EQ(ids(f.run(o)), (V{"e1"}));
}

TEST(EventsList, BadOptionsNameTheOption) {
  Fixture f;
  auto field = [&](ds::EventsListOptions o) { return ds::test::option_of([&] { (void)f.run(o); }); };
  ds::EventsListOptions o;
  o.limit = 0;
  EXPECT_EQ(field(o), "limit");
  o.limit = -5;
  EXPECT_EQ(field(o), "limit");
  o = {};
  for (const char* c : {"garbage", "e1", "e10000000065ee114000000007" "0", "e2000000006 5ee3e4000000007",
                        "e10000000065ee1140000000zz", "E10000000065ee3e4000000007", "e1ffffffffffffffff00000007"}) {
    o.cursor = c;
    EXPECT_EQ(field(o), "cursor") << c;
  }
  o = {};
  o.entity_id = 100;  // without entity_type
  EXPECT_EQ(field(o), "entity_id");
  o = {};
  o.users = {999};
  EXPECT_EQ(field(o), "users");
  o = {};
  o.period = {D(2024, 3, 11), D(2024, 3, 11)};
  EXPECT_EQ(field(o), "to");
  // An index of another dataset.
  auto other = build({base_log()[0]});
  EXPECT_THROW((void)ds::events_list(*other, f.index, {}), ds::Error);
  try {
    (void)ds::events_list(*other, f.index, {});
  } catch (const ds::Error& e) {
    EXPECT_EQ(e.problem().field, "index");
  }
}

TEST(EventsList, OneOffCallAndTables) {
  Fixture f;
  ds::EventsListOptions o;
  o.limit = 2;
  auto r = ds::events_list(*f.data, o);
  EXPECT_EQ(ids(r), (V{"e6", "e5"}));
  auto t = r.to_tables();
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].name, "events");
  EXPECT_EQ(t[0].rows(), 2u);
  EXPECT_EQ(std::get<std::vector<std::string>>(t[0].column("id").values)[1], "e5");
  EXPECT_EQ(t[1].name, "events_page");
  EXPECT_EQ(std::get<std::vector<std::int64_t>>(t[1].column("total").values)[0], 8);
  EXPECT_EQ(std::get<std::vector<std::string>>(t[1].column("next_cursor").values)[0], r.next_cursor);
  // count_total = false leaves total at -1.
  o.count_total = false;
  EXPECT_EQ(f.run(o).total, -1);
}

TEST(EventsList, EmptyLog) {
  auto data = build({});
  auto r = ds::events_list(*data, ds::EventsListOptions{});
  EXPECT_TRUE(r.events.empty());
  EXPECT_EQ(r.total, 0);
  EXPECT_TRUE(r.next_cursor.empty());
}

// Oracle: random logs with many ties, random filters, every page walked; the pages concatenated equal the
// brute-force filtered and sorted log, and the total equals its length.
TEST(EventsList, MatchesBruteForceOnRandomLogs) {
  std::mt19937_64 rng(7);
  const char* types[] = {"lead_added", "lead_status_changed", "note_added", "incoming_call"};
  const char* entities[] = {"lead", "contact", "company"};
  for (int round = 0; round < 6; ++round) {
    std::vector<Ev> log;
    std::vector<std::string> names;
    const int n = 400 + round * 150;
    names.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) names.push_back(std::string("r").append(std::to_string(i)));
    for (int i = 0; i < n; ++i) {
      const char* ent = entities[rng() % 3];
      const std::int64_t id = ent == std::string("lead") ? 100 + static_cast<std::int64_t>(rng() % 4)
                              : ent == std::string("contact") ? 500 + static_cast<std::int64_t>(rng() % 2)
                                                              : 700;
      log.push_back({names[static_cast<std::size_t>(i)].c_str(), types[rng() % 4], ent, id,
                     T + static_cast<std::int64_t>(rng() % 40) * H, static_cast<std::int64_t>(rng() % 3)});
    }
    auto data = build(log);
    auto index = ds::EventIndex::build(*data, round % 2 ? 1 : 2);
    const auto& ev = data->events();
    for (int q = 0; q < 25; ++q) {
      ds::EventsListOptions o;
      if (rng() % 2) o.types = {types[rng() % 4]};
      if (rng() % 3 == 0) o.types.push_back(types[rng() % 4]);
      if (rng() % 3 == 0) o.users = {1 + static_cast<std::int64_t>(rng() % 2)};
      if (rng() % 3 == 0) {
        o.entity_type = entities[rng() % 3];
        if (rng() % 2) o.entity_id = o.entity_type == "lead" ? 100 + static_cast<std::int64_t>(rng() % 4) : 500;
      }
      if (rng() % 3 == 0) o.contact_id = 500 + static_cast<std::int64_t>(rng() % 2);
      if (rng() % 4 == 0) o.company_id = 700;
      if (rng() % 3 == 0) o.period = {D(2024, 3, 10), D(2024, 3, 11)};
      o.limit = 1 + static_cast<std::int64_t>(rng() % 40);
      // Brute force: deal links of the fixture (100: 500/700, 101: 500, 102: 700, 103: none).
      auto linked = [](std::int64_t deal, bool contact) {
        if (contact) return deal == 100 || deal == 101 ? 500 : -1;
        return deal == 100 || deal == 102 ? 700 : -1;
      };
      std::vector<std::uint32_t> want;
      for (std::uint32_t row = 0; row < ev.size(); ++row) {
        const auto& e = log[row];
        const bool lead = std::string(e.entity) == "lead";
        if (!o.types.empty() && std::find(o.types.begin(), o.types.end(), e.type) == o.types.end()) continue;
        if (!o.users.empty() && std::find(o.users.begin(), o.users.end(), e.user) == o.users.end()) continue;
        if (!o.entity_type.empty() && (o.entity_type != e.entity || (o.entity_id && *o.entity_id != e.entity_id)))
          continue;
        if (o.contact_id && !((std::string(e.entity) == "contact" && e.entity_id == *o.contact_id) ||
                              (lead && linked(e.entity_id, true) == *o.contact_id)))
          continue;
        if (o.company_id && !((std::string(e.entity) == "company" && e.entity_id == *o.company_id) ||
                              (lead && linked(e.entity_id, false) == *o.company_id)))
          continue;
        if (o.period.from && !(e.at >= T - 3 * H && e.at < T + 21 * H)) continue;  // Moscow 2024-03-10
        want.push_back(row);
      }
      std::stable_sort(want.begin(), want.end(), [&](std::uint32_t x, std::uint32_t y) {
        return log[x].at != log[y].at ? log[x].at > log[y].at : x > y;
      });
      std::vector<std::uint32_t> got;
      std::string cursor;
      std::int64_t total = -2;
      int pages = 0;
      do {
        o.cursor = cursor;
        auto r = ds::events_list(*data, index, o);
        total = r.total;
        for (const auto& e : r.events) got.push_back(e.row);
        cursor = r.next_cursor;
        ASSERT_LT(++pages, 10000);
      } while (!cursor.empty());
      EXPECT_EQ(got, want) << "round " << round << " query " << q;
      EXPECT_EQ(total, static_cast<std::int64_t>(want.size()));
    }
  }
}

// Invariants on the sample account's event log: per-type and per-user totals add up to the whole; the pages of
// a contact's list concatenated have its total's length and are newest first.
TEST(EventsList, InvariantsOnTheSampleAccount) {
  ds::SampleOptions so;
  so.deals = 1500;
  auto data = ds::make_sample(so);
  auto index = ds::EventIndex::build(*data);
  const auto& ev = data->events();
  ASSERT_GT(ev.size(), 0u);
  EXPECT_EQ(ds::events_list(*data, index, {}).total, static_cast<std::int64_t>(ev.size()));
  std::vector<std::string> types;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    std::string t(data->str(ev.type[i]));
    if (std::find(types.begin(), types.end(), t) == types.end()) types.push_back(t);
  }
  std::int64_t by_type = 0;
  for (const auto& t : types) {
    ds::EventsListOptions o;
    o.types = {t};
    by_type += ds::events_list(*data, index, o).total;
  }
  EXPECT_EQ(by_type, static_cast<std::int64_t>(ev.size()));
  std::int64_t by_user = 0, nobody = 0;
  for (std::size_t u = 0; u < data->users().size(); ++u) {
    ds::EventsListOptions o;
    o.users = {data->users().id[u]};
    by_user += ds::events_list(*data, index, o).total;
  }
  for (auto u : ev.by_user) nobody += u == 0xFFFFFFFFu;
  EXPECT_EQ(by_user + nobody, static_cast<std::int64_t>(ev.size()));
  // A contact with deals: walk its pages.
  std::int64_t contact = ds::kNoId;
  for (std::size_t d = 0; d < data->deals().size() && contact == ds::kNoId; ++d) contact = data->deals().contact_id[d];
  ASSERT_NE(contact, ds::kNoId);
  ds::EventsListOptions o;
  o.contact_id = contact;
  o.limit = 3;
  std::int64_t seen = 0, total = 0, last_at = std::numeric_limits<std::int64_t>::max();
  do {
    auto r = ds::events_list(*data, index, o);
    total = r.total;
    for (const auto& e : r.events) {
      EXPECT_LE(e.at_s, last_at);
      last_at = e.at_s;
      ++seen;
    }
    o.cursor = r.next_cursor;
  } while (!o.cursor.empty());
  EXPECT_GT(total, 0);
  EXPECT_EQ(seen, total);
}
