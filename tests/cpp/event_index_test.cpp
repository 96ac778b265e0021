// EventIndex: the newest-first order (ties by row descending), posting lists
// sorted by rank, the rank searches a cursor and a period use, the
// contact/company links to deals, and that one or two build threads agree.
#include "dealstat/data/event_index.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "dealstat/data/dataset_builder.hpp"

namespace ds = dealstat;

namespace {

using R = std::vector<std::uint32_t>;

R vec(std::span<const std::uint32_t> s) { return R(s.begin(), s.end()); }

// Rows: (type, entity, id, at, user): ties at 200 (rows 1, 2, 4).
//   r0 a lead 1 100 u1 | r1 b lead 1 200 - | r2 a contact 5 200 u2 | r3 b lead 2 300 u1 | r4 a lead 2 200 u1
// Newest first: r3 (300), r4, r2, r1 (200, rows descending), r0 (100): ranks 0..4.
ds::DatasetPtr small() {
  ds::DatasetBuilder b;
  b.add_user({ds::UserId{1}, "Anna", ""});
  b.add_user({ds::UserId{2}, "Boris", ""});
  b.add_pipeline({ds::PipelineId{1}, "P"});
  b.add_stage({ds::PipelineId{1}, ds::StageId{10}, "New", 10, ds::StageKind::open});
  b.add_stage({ds::PipelineId{1}, ds::StageId{142}, "Won", 142, ds::StageKind::won});
  b.add_stage({ds::PipelineId{1}, ds::StageId{143}, "Lost", 143, ds::StageKind::lost});
  for (std::int64_t id : {1, 2, 3}) {
    ds::DealRow d;
    d.id = ds::DealId{id};
    d.pipeline = ds::PipelineId{1};
    d.stage = ds::StageId{10};
    d.created_at = ds::Timestamp{50};
    if (id != 2) d.contact_id = 5;
    if (id == 2) d.company_id = 9;
    b.add_deal(d);
  }
  struct E {
    const char* type;
    const char* entity;
    std::int64_t id, at, user;
  };
  for (const E& e : {E{"a", "lead", 1, 100, 1}, E{"b", "lead", 1, 200, 0}, E{"a", "contact", 5, 200, 2},
                     E{"b", "lead", 2, 300, 1}, E{"a", "lead", 2, 200, 1}}) {
    ds::EventRow r;
    r.type = e.type;
    r.entity_type = e.entity;
    r.entity_id = e.id;
    r.at = ds::Timestamp{e.at};
    if (e.user) r.by_user = ds::UserId{e.user};
    b.add_event(r);
  }
  return std::move(b).build().dataset;
}

}  // namespace

TEST(EventIndex, OrderNewestFirstTiesByRowDescending) {
  auto data = small();
  auto ix = ds::EventIndex::build(*data);
  ASSERT_EQ(ix.size(), 5u);
  EXPECT_EQ(vec(ix.order()), (R{3, 4, 2, 1, 0}));
  EXPECT_EQ(ix.at(0), 300);
  EXPECT_EQ(ix.at(4), 100);
}

TEST(EventIndex, PostingListsHoldRanksInOrder) {
  auto data = small();
  auto ix = ds::EventIndex::build(*data);
  const auto code = [&](const char* s) { return static_cast<ds::StrCode>(data->strings().find(s)); };
  EXPECT_EQ(vec(ix.by_type(code("a"))), (R{1, 2, 4}));  // rows 4, 2, 0
  EXPECT_EQ(vec(ix.by_type(code("b"))), (R{0, 3}));     // rows 3, 1
  EXPECT_TRUE(ix.by_type(1000000).empty());
  EXPECT_EQ(vec(ix.by_user(0)), (R{0, 1, 4}));  // Anna: rows 3, 4, 0
  EXPECT_EQ(vec(ix.by_user(1)), (R{2}));        // Boris: row 2
  EXPECT_EQ(vec(ix.by_user(0xFFFFFFFFu)), (R{3}));  // nobody: row 1
  EXPECT_EQ(vec(ix.by_entity_type(code("lead"))), (R{0, 1, 3, 4}));
  EXPECT_EQ(vec(ix.by_entity(code("lead"), 1)), (R{3, 4}));  // rows 1, 0
  EXPECT_EQ(vec(ix.by_entity(code("lead"), 2)), (R{0, 1}));  // rows 3, 4
  EXPECT_EQ(vec(ix.by_entity(code("contact"), 5)), (R{2}));
  EXPECT_TRUE(ix.by_entity(code("contact"), 6).empty());
  EXPECT_TRUE(ix.by_entity(code("a"), 1).empty());
}

TEST(EventIndex, RankSearches) {
  auto data = small();
  auto ix = ds::EventIndex::build(*data);
  // After (200, row 2): rows 1 and 0 remain -> rank 3. After (200, row 4): rank 2. After (300, row 3): rank 1.
  EXPECT_EQ(ix.first_rank_after(200, 2), 3u);
  EXPECT_EQ(ix.first_rank_after(200, 4), 2u);
  EXPECT_EQ(ix.first_rank_after(300, 3), 1u);
  EXPECT_EQ(ix.first_rank_after(200, 99), 1u);  // a later row at 200 (appended elsewhere): before r4
  EXPECT_EQ(ix.first_rank_after(1000, 0), 0u);
  EXPECT_EQ(ix.first_rank_after(100, 0), 5u);
  EXPECT_EQ(ix.first_rank_before_time(301), 0u);
  EXPECT_EQ(ix.first_rank_before_time(300), 1u);
  EXPECT_EQ(ix.first_rank_before_time(200), 4u);
  EXPECT_EQ(ix.first_rank_before_time(0), 5u);
}

TEST(EventIndex, DealsOfContactAndCompany) {
  auto data = small();
  auto ix = ds::EventIndex::build(*data);
  auto c = ix.deals_of_contact(5);
  EXPECT_EQ(std::vector<std::int64_t>(c.begin(), c.end()), (std::vector<std::int64_t>{1, 3}));
  auto k = ix.deals_of_company(9);
  EXPECT_EQ(std::vector<std::int64_t>(k.begin(), k.end()), (std::vector<std::int64_t>{2}));
  EXPECT_TRUE(ix.deals_of_contact(9).empty());
}

TEST(EventIndex, EmptyLog) {
  ds::DatasetBuilder b;
  auto data = std::move(b).build().dataset;
  auto ix = ds::EventIndex::build(*data);
  EXPECT_EQ(ix.size(), 0u);
  EXPECT_EQ(ix.first_rank_after(0, 0), 0u);
  EXPECT_TRUE(ix.by_user(0xFFFFFFFFu).empty());
  EXPECT_TRUE(ix.by_entity(0, 0).empty());
  ds::EventIndex none;
  EXPECT_TRUE(none.by_type(0).empty());
}

TEST(EventIndex, ThreadsAgreeAndOrderIsSorted) {
  // 70000 events over few distinct times (many ties), so the build takes its two-thread path.
  std::mt19937_64 rng(3);
  ds::DatasetBuilder b;
  b.add_user({ds::UserId{1}, "A", ""});
  const std::string kinds[] = {"x", "y"};
  for (int i = 0; i < 70000; ++i) {
    ds::EventRow r;
    r.type = kinds[rng() % 2];
    r.entity_type = "lead";
    r.entity_id = static_cast<std::int64_t>(rng() % 500);
    r.at = ds::Timestamp{1700000000 + static_cast<std::int64_t>(rng() % 300) * 65536};
    if (rng() % 2) r.by_user = ds::UserId{1};
    b.add_event(r);
  }
  auto data = std::move(b).build().dataset;
  auto one = ds::EventIndex::build(*data, 1);
  auto two = ds::EventIndex::build(*data, 2);
  EXPECT_EQ(vec(one.order()), vec(two.order()));
  const auto& at = data->events().at;
  auto o = one.order();
  for (std::size_t r = 1; r < o.size(); ++r) {
    ASSERT_TRUE(at[o[r - 1]] > at[o[r]] || (at[o[r - 1]] == at[o[r]] && o[r - 1] > o[r])) << r;
  }
  const auto lead = static_cast<ds::StrCode>(data->strings().find("lead"));
  std::size_t total = 0;
  for (std::int64_t id = 0; id < 500; ++id) {
    auto l = one.by_entity(lead, id);
    EXPECT_EQ(vec(l), vec(two.by_entity(lead, id)));
    EXPECT_TRUE(std::is_sorted(l.begin(), l.end()));
    total += l.size();
  }
  EXPECT_EQ(total, 70000u);
}
