// Tests of the stage-path index (path_index.hpp, SPEC section 1), built
// through DatasetBuilder, each path worked out by hand.
#include "dealstat/data/path_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "dataset_testing.hpp"
#include "dealstat/data/dataset_builder.hpp"

namespace dealstat {
namespace {

using testing::Entry;
using testing::path_of;

constexpr std::int64_t T0 = 1704067200;  // 2024-01-01T00:00:00Z
constexpr std::int64_t H = 3600;

// Pipeline 1: 10 unsorted, 11 and 12 open, 142 won, 143 lost; pipeline 2: 21 open, 142 won, 143 lost.
DatasetBuilder base() {
  DatasetBuilder b;
  b.add_user({UserId{1}, "Anna", "A"});
  b.add_user({UserId{2}, "Boris", ""});
  b.add_pipeline({PipelineId{1}, "Sales"});
  b.add_pipeline({PipelineId{2}, "Partners"});
  b.add_stage({PipelineId{1}, StageId{10}, "Incoming", 0, StageKind::unsorted});
  b.add_stage({PipelineId{1}, StageId{11}, "New", 10, StageKind::open});
  b.add_stage({PipelineId{1}, StageId{12}, "Talks", 20, StageKind::open});
  b.add_stage({PipelineId{1}, StageId{142}, "Won", 10000, StageKind::won});
  b.add_stage({PipelineId{1}, StageId{143}, "Lost", 11000, StageKind::lost});
  b.add_stage({PipelineId{2}, StageId{21}, "Intro", 10, StageKind::open});
  b.add_stage({PipelineId{2}, StageId{142}, "Won", 10000, StageKind::won});
  b.add_stage({PipelineId{2}, StageId{143}, "Lost", 11000, StageKind::lost});
  return b;
}

DealRow deal(std::int64_t id, std::int64_t stage, std::int64_t created, std::optional<std::int64_t> closed = {},
             std::int64_t pipeline = 1) {
  DealRow r;
  r.id = DealId{id};
  r.pipeline = PipelineId{pipeline};
  r.stage = StageId{stage};
  r.created_at = Timestamp{created};
  if (closed) r.closed_at = Timestamp{*closed};
  return r;
}

StageChangeRow change(std::int64_t deal_id, std::int64_t at, std::optional<std::int64_t> from, std::int64_t to,
                      std::optional<std::int64_t> by = {}) {
  StageChangeRow r;
  r.deal = DealId{deal_id};
  r.at = Timestamp{at};
  if (from) r.from_stage = StageId{*from};
  r.to_stage = StageId{to};
  if (by) r.by_user = UserId{*by};
  return r;
}

DatasetPtr build(DatasetBuilder b) { return std::move(b).build(ValidationPolicy::strict).dataset; }

TEST(PathIndex, CreationRecordStartsThePath) {
  auto b = base();
  b.add_deal(deal(1, 12, T0));
  b.add_stage_change(change(1, T0, {}, 10, 1));
  b.add_stage_change(change(1, T0 + H, 10, 11, 2));
  b.add_stage_change(change(1, T0 + 2 * H, 11, 12));
  auto ds = build(std::move(b));
  EXPECT_EQ(path_of(*ds, 1), (std::vector<Entry>{{1, 10, T0, false}, {1, 11, T0 + H, false}, {1, 12, T0 + 2 * H, false}}));
  EXPECT_EQ(testing::movers_of(*ds, 1), (std::vector<std::int64_t>{1, 2, kNoId}));
}

TEST(PathIndex, WithoutCreationRecordStartsAtFirstFromStageAtCreatedAt) {
  auto b = base();
  b.add_deal(deal(1, 12, T0));
  b.add_stage_change(change(1, T0 + 5 * H, 11, 12, 1));
  auto ds = build(std::move(b));
  EXPECT_EQ(path_of(*ds, 1), (std::vector<Entry>{{1, 11, T0, false}, {1, 12, T0 + 5 * H, false}}));
  EXPECT_EQ(testing::movers_of(*ds, 1), (std::vector<std::int64_t>{kNoId, 1}));
}

TEST(PathIndex, NoChangesActiveDealIsCurrentStageAtCreatedAt) {
  auto b = base();
  b.add_deal(deal(1, 11, T0));
  auto ds = build(std::move(b));
  EXPECT_EQ(path_of(*ds, 1), (std::vector<Entry>{{1, 11, T0, false}}));
}

TEST(PathIndex, NoChangesClosedDealEntersFinalStageAtClosedAt) {
  auto b = base();
  b.add_deal(deal(1, 142, T0, T0 + 9 * H));
  b.add_deal(deal(2, 143, T0, T0 + 3 * H));
  auto ds = build(std::move(b));
  EXPECT_EQ(path_of(*ds, 1), (std::vector<Entry>{{1, 142, T0 + 9 * H, false}}));
  EXPECT_EQ(path_of(*ds, 2), (std::vector<Entry>{{1, 143, T0 + 3 * H, false}}));
}

TEST(PathIndex, ShuffledChangesGiveTheSamePaths) {
  std::vector<StageChangeRow> changes;
  auto sorted = base();
  const int deals = 300;
  for (int d = 1; d <= deals; ++d) {
    const std::int64_t c = T0 + d * 100;
    sorted.add_deal(deal(d, d % 3 == 0 ? 142 : 12, c, d % 3 == 0 ? std::optional<std::int64_t>(c + 50 * H) : std::nullopt));
    changes.push_back(change(d, c, {}, 10));
    changes.push_back(change(d, c + H, 10, 11, 1));
    changes.push_back(change(d, c + 2 * H, 11, 12, 2));
    if (d % 3 == 0) changes.push_back(change(d, c + 50 * H, 12, 142, 1));
  }
  auto shuffled = base();
  for (int d = 1; d <= deals; ++d) {
    const std::int64_t c = T0 + d * 100;
    shuffled.add_deal(deal(d, d % 3 == 0 ? 142 : 12, c, d % 3 == 0 ? std::optional<std::int64_t>(c + 50 * H) : std::nullopt));
  }
  for (const auto& r : changes) sorted.add_stage_change(r);
  std::mt19937 rng(42);
  std::shuffle(changes.begin(), changes.end(), rng);
  for (const auto& r : changes) shuffled.add_stage_change(r);
  auto a = build(std::move(sorted));
  auto b = build(std::move(shuffled));
  testing::expect_same_dataset(*a, *b);
  EXPECT_EQ(path_of(*b, 3), (std::vector<Entry>{{1, 10, T0 + 300, false},
                                                 {1, 11, T0 + 300 + H, false},
                                                 {1, 12, T0 + 300 + 2 * H, false},
                                                 {1, 142, T0 + 300 + 50 * H, false}}));
}

TEST(PathIndex, ChangesAtTheSameInstantKeepInputOrder) {
  auto b = base();
  b.add_deal(deal(1, 12, T0));
  b.add_stage_change(change(1, T0 + H, 10, 11));
  b.add_stage_change(change(1, T0 + H, 11, 12));
  auto ds = build(std::move(b));
  EXPECT_EQ(path_of(*ds, 1), (std::vector<Entry>{{1, 10, T0, false}, {1, 11, T0 + H, false}, {1, 12, T0 + H, false}}));
}

TEST(PathIndex, CreationRecordSortsFirstAmongChangesAtCreation) {
  // A creation record listed after a change at the same instant is still the path's start.
  auto b = base();
  b.add_deal(deal(1, 11, T0));
  b.add_stage_change(change(1, T0, 10, 11));
  b.add_stage_change(change(1, T0, {}, 10));
  auto ds = build(std::move(b));
  EXPECT_EQ(path_of(*ds, 1), (std::vector<Entry>{{1, 10, T0, false}, {1, 11, T0, false}}));
}

TEST(PathIndex, CreationRecordEntersAtCreatedAt) {
  // SPEC section 1: the creation stage is entered at created_at, even when the record is stamped later.
  auto b = base();
  b.add_deal(deal(1, 11, T0));
  b.add_stage_change(change(1, T0 + 30, {}, 10));
  b.add_stage_change(change(1, T0 + H, 10, 11));
  auto ds = build(std::move(b));
  EXPECT_EQ(path_of(*ds, 1), (std::vector<Entry>{{1, 10, T0, false}, {1, 11, T0 + H, false}}));
}

TEST(PathIndex, SecondCreationRecordAlsoEntersAtCreatedAt) {
  // Entries stay in time order: a second record without a from-stage is another creation stage.
  auto b = base();
  b.add_deal(deal(1, 12, T0));
  b.add_stage_change(change(1, T0, {}, 10));
  b.add_stage_change(change(1, T0 + H, 10, 12));
  b.add_stage_change(change(1, T0 + 5 * H, {}, 11));
  auto ds = build(std::move(b));
  EXPECT_EQ(path_of(*ds, 1), (std::vector<Entry>{{1, 10, T0, false}, {1, 11, T0, false}, {1, 12, T0 + H, false}}));
}

TEST(PathIndex, NoOpChangeToTheSameStageAddsNothing) {
  auto b = base();
  b.add_deal(deal(1, 12, T0));
  b.add_stage_change(change(1, T0, {}, 11));
  b.add_stage_change(change(1, T0 + H, 11, 11, 1));
  b.add_stage_change(change(1, T0 + 2 * H, 11, 12));
  auto ds = build(std::move(b));
  EXPECT_EQ(path_of(*ds, 1), (std::vector<Entry>{{1, 11, T0, false}, {1, 12, T0 + 2 * H, false}}));
}

TEST(PathIndex, ReopenedDealWonOpenWon) {
  auto b = base();
  b.add_deal(deal(1, 142, T0, T0 + 4 * H));
  b.add_stage_change(change(1, T0, {}, 11));
  b.add_stage_change(change(1, T0 + H, 11, 142));
  b.add_stage_change(change(1, T0 + 2 * H, 142, 12));
  b.add_stage_change(change(1, T0 + 4 * H, 12, 142));
  auto ds = build(std::move(b));
  EXPECT_EQ(path_of(*ds, 1), (std::vector<Entry>{{1, 11, T0, false},
                                                 {1, 142, T0 + H, false},
                                                 {1, 12, T0 + 2 * H, false},
                                                 {1, 142, T0 + 4 * H, false}}));
}

TEST(PathIndex, ReopenedDealStillOpen) {
  auto b = base();
  b.add_deal(deal(1, 12, T0));
  b.add_stage_change(change(1, T0 + H, 11, 143));
  b.add_stage_change(change(1, T0 + 2 * H, 143, 12));
  auto ds = build(std::move(b));
  EXPECT_EQ(path_of(*ds, 1), (std::vector<Entry>{{1, 11, T0, false}, {1, 143, T0 + H, false}, {1, 12, T0 + 2 * H, false}}));
  EXPECT_EQ(ds->deals().closed_at[0], kNoTime);
}

TEST(PathIndex, MoveToAnotherPipeline) {
  auto b = base();
  b.add_deal(deal(1, 21, T0, {}, 2));
  StageChangeRow create = change(1, T0, {}, 11);
  create.to_pipeline = PipelineId{1};
  StageChangeRow inside = change(1, T0 + H, 11, 12);
  inside.to_pipeline = PipelineId{1};
  StageChangeRow move = change(1, T0 + 2 * H, 12, 21, 2);
  move.from_pipeline = PipelineId{1};
  move.to_pipeline = PipelineId{2};
  b.add_stage_change(move);
  b.add_stage_change(inside);
  b.add_stage_change(create);
  auto ds = build(std::move(b));
  EXPECT_EQ(path_of(*ds, 1), (std::vector<Entry>{{1, 11, T0, false}, {1, 12, T0 + H, false}, {2, 21, T0 + 2 * H, false}}));
}

TEST(PathIndex, MoveToAnotherPipelineWonThere) {
  // Won stage 142 exists in both pipelines: the entry is the current pipeline's.
  auto b = base();
  b.add_deal(deal(1, 142, T0, T0 + 3 * H, 2));
  StageChangeRow move = change(1, T0 + H, 11, 21);
  move.from_pipeline = PipelineId{1};
  b.add_stage_change(move);
  b.add_stage_change(change(1, T0 + 3 * H, 21, 142));
  auto ds = build(std::move(b));
  EXPECT_EQ(path_of(*ds, 1), (std::vector<Entry>{{1, 11, T0, false}, {2, 21, T0 + H, false}, {2, 142, T0 + 3 * H, false}}));
}

TEST(PathIndex, ImpliedFinalEntryOfClosedDealAtClosedAt) {
  auto b = base();
  b.add_deal(deal(1, 143, T0, T0 + 10 * H));
  b.add_stage_change(change(1, T0 + H, 10, 11));
  auto ds = build(std::move(b));
  EXPECT_EQ(path_of(*ds, 1), (std::vector<Entry>{{1, 10, T0, false}, {1, 11, T0 + H, false}, {1, 143, T0 + 10 * H, true}}));
  EXPECT_EQ(testing::movers_of(*ds, 1).back(), kNoId);
}

TEST(PathIndex, ImpliedFinalEntryOfClosedDealNeverBeforeLastChange) {
  auto b = base();
  b.add_deal(deal(1, 142, T0, T0 + H));
  b.add_stage_change(change(1, T0 + 5 * H, 10, 11));
  auto ds = build(std::move(b));
  EXPECT_EQ(path_of(*ds, 1), (std::vector<Entry>{{1, 10, T0, false}, {1, 11, T0 + 5 * H, false}, {1, 142, T0 + 5 * H, true}}));
}

TEST(PathIndex, ImpliedFinalEntryOfActiveDealAtLastKnownTime) {
  auto b = base();
  b.add_deal(deal(1, 12, T0));
  b.add_stage_change(change(1, T0 + 2 * H, 10, 11));
  auto ds = build(std::move(b));
  EXPECT_EQ(path_of(*ds, 1), (std::vector<Entry>{{1, 10, T0, false}, {1, 11, T0 + 2 * H, false}, {1, 12, T0 + 2 * H, true}}));
}

// Dataset::deal_settled_s(): the last path entry's instant (its own recorded time, not closed_at), by hand.
TEST(PathIndex, SettledInstantIsTheLastEntrysOwnTime) {
  auto b = base();
  b.add_deal(deal(1, 142, T0, T0 + 5 * H));  // won recorded at T0 + 4 h, closed_at says T0 + 5 h
  b.add_stage_change(change(1, T0, {}, 11));
  b.add_stage_change(change(1, T0 + 4 * H, 11, 142));
  b.add_deal(deal(2, 12, T0));  // lost, then reopened into Talks at T0 + 2 h
  b.add_stage_change(change(2, T0 + H, 11, 143));
  b.add_stage_change(change(2, T0 + 2 * H, 143, 12));
  b.add_deal(deal(3, 11, T0 + 3 * H));  // no changes: [New] at created_at
  auto ds = build(std::move(b));
  const auto& settled = ds->deal_settled_s();
  ASSERT_EQ(settled.size(), 3u);
  EXPECT_EQ(settled[ds->find_deal(DealId{1})->value], T0 + 4 * H);
  EXPECT_EQ(settled[ds->find_deal(DealId{2})->value], T0 + 2 * H);
  EXPECT_EQ(settled[ds->find_deal(DealId{3})->value], T0 + 3 * H);
}

TEST(PathIndex, DeletedDealsKeptWithFlag) {
  auto b = base();
  DealRow r = deal(1, 11, T0);
  r.deleted = true;
  b.add_deal(r);
  b.add_deal(deal(2, 11, T0));
  b.add_stage_change(change(1, T0 + H, 10, 11));
  auto ds = build(std::move(b));
  ASSERT_EQ(ds->deals().size(), 2u);
  EXPECT_EQ(ds->deals().deleted, (std::vector<std::uint8_t>{1, 0}));
  EXPECT_EQ(path_of(*ds, 1), (std::vector<Entry>{{1, 10, T0, false}, {1, 11, T0 + H, false}}));
}

TEST(PathIndex, InterleavedDealsAndCsrLayout) {
  auto b = base();
  b.add_deal(deal(5, 12, T0));
  b.add_deal(deal(3, 11, T0 + H));
  b.add_deal(deal(4, 142, T0, T0 + 7 * H));
  b.add_stage_change(change(3, T0 + 2 * H, 10, 11));
  b.add_stage_change(change(5, T0 + 2 * H, 11, 12));
  b.add_stage_change(change(3, T0 + H, {}, 10));
  auto ds = build(std::move(b));
  const PathIndex& pi = ds->paths();
  EXPECT_EQ(pi.deals(), 3u);
  EXPECT_EQ(pi.offset, (std::vector<std::uint64_t>{0, 2, 4, 5}));
  EXPECT_EQ(pi.entries(), 5u);
  EXPECT_EQ(pi.implied.size(), 5u);
  EXPECT_EQ(pi.path(1).size(), 2u);
  EXPECT_EQ(path_of(*ds, 3), (std::vector<Entry>{{1, 10, T0 + H, false}, {1, 11, T0 + 2 * H, false}}));
  EXPECT_EQ(path_of(*ds, 4), (std::vector<Entry>{{1, 142, T0 + 7 * H, false}}));
  for (std::size_t d = 0; d < pi.deals(); ++d) {
    auto v = pi.path(d);
    EXPECT_TRUE(std::is_sorted(v.entered_at.begin(), v.entered_at.end()));
    EXPECT_EQ(v.stage.size(), v.by_user.size());
  }
}

TEST(PathIndex, EmptyDatasetHasOneOffset) {
  auto ds = build(base());
  EXPECT_EQ(ds->paths().deals(), 0u);
  EXPECT_EQ(ds->paths().offset, (std::vector<std::uint64_t>{0}));
}

}  // namespace
}  // namespace dealstat
