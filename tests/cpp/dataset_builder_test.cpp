// Tests of DatasetBuilder (dataset_builder.hpp): SPEC section 1's validation
// rules under the strict and lenient policies, building from rows and from
// columns, and the Dataset look-ups.
#include "dealstat/data/dataset_builder.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "dataset_testing.hpp"

namespace dealstat {
namespace {

constexpr std::int64_t T0 = 1704067200;  // 2024-01-01T00:00:00Z
constexpr std::int64_t H = 3600;

DatasetBuilder base() {
  DatasetBuilder b;
  b.add_user({UserId{1}, "Anna", "North"}, 2);
  b.add_user({UserId{2}, "Boris", ""}, 3);
  b.add_user({UserId{3}, "Vera", "North"}, 4);
  b.add_pipeline({PipelineId{1}, "Sales"}, 2);
  b.add_pipeline({PipelineId{2}, "Partners"}, 3);
  b.add_stage({PipelineId{1}, StageId{12}, "Talks", 20, StageKind::open}, 2);
  b.add_stage({PipelineId{1}, StageId{143}, "Lost", 11000, StageKind::lost}, 3);
  b.add_stage({PipelineId{1}, StageId{142}, "Won", 10000, StageKind::won}, 4);
  b.add_stage({PipelineId{1}, StageId{11}, "New", 10, StageKind::open}, 5);
  b.add_stage({PipelineId{1}, StageId{10}, "Incoming", 50, StageKind::unsorted}, 6);
  b.add_stage({PipelineId{2}, StageId{21}, "Intro", 10, StageKind::open}, 7);
  b.add_stage({PipelineId{2}, StageId{142}, "Won", 10000, StageKind::won}, 8);
  b.add_stage({PipelineId{2}, StageId{143}, "Lost", 11000, StageKind::lost}, 9);
  return b;
}

DealRow deal(std::int64_t id, std::int64_t stage = 11, std::int64_t created = T0,
             std::optional<std::int64_t> closed = {}, std::int64_t pipeline = 1) {
  DealRow r;
  r.id = DealId{id};
  r.pipeline = PipelineId{pipeline};
  r.stage = StageId{stage};
  r.created_at = Timestamp{created};
  if (closed) r.closed_at = Timestamp{*closed};
  r.budget = Money{1000};
  r.responsible = UserId{1};
  return r;
}

StageChangeRow change(std::int64_t deal_id, std::int64_t at, std::optional<std::int64_t> from, std::int64_t to) {
  StageChangeRow r;
  r.deal = DealId{deal_id};
  r.at = Timestamp{at};
  if (from) r.from_stage = StageId{*from};
  r.to_stage = StageId{to};
  return r;
}

//! Adds the bad record to a valid builder; strict must throw naming source/row/field/value, lenient must
//! leave exactly that record out (the rest identical to the build without it) and list one problem.
void expect_rule(const std::function<void(DatasetBuilder&)>& good, const std::function<void(DatasetBuilder&)>& bad,
                 const std::string& source, std::int64_t row, const std::string& field, const std::string& value,
                 const std::string& message) {
  {
    auto b = base();
    good(b);
    bad(b);
    try {
      std::move(b).build(ValidationPolicy::strict);
      ADD_FAILURE() << "strict build did not throw";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_data);
      EXPECT_EQ(e.problem().source, source);
      EXPECT_EQ(e.problem().row, row);
      EXPECT_EQ(e.problem().field, field);
      EXPECT_EQ(e.problem().value, value);
      EXPECT_NE(e.problem().message.find(message), std::string::npos) << e.problem().message;
    }
  }
  auto with_bad = base();
  good(with_bad);
  bad(with_bad);
  auto lenient = std::move(with_bad).build(ValidationPolicy::lenient);
  ASSERT_EQ(lenient.problems.size(), 1u);
  EXPECT_EQ(lenient.problems[0].source, source);
  EXPECT_EQ(lenient.problems[0].row, row);
  EXPECT_EQ(lenient.problems[0].field, field);
  EXPECT_EQ(lenient.problems[0].value, value);
  auto without = base();
  good(without);
  auto clean = std::move(without).build(ValidationPolicy::strict);
  EXPECT_TRUE(clean.problems.empty());
  testing::expect_same_dataset(*clean.dataset, *lenient.dataset);
}

void some_deals(DatasetBuilder& b) {
  b.add_deal(deal(1), 2);
  b.add_deal(deal(2, 142, T0, T0 + H), 3);
  b.add_stage_change(change(1, T0, {}, 10), 2);
  b.add_stage_change(change(1, T0 + H, 10, 11), 3);
}

TEST(DatasetBuilder, ValidRowsBuildWithoutProblemsUnderBothPolicies) {
  for (auto policy : {ValidationPolicy::strict, ValidationPolicy::lenient}) {
    auto b = base();
    some_deals(b);
    auto r = std::move(b).build(policy);
    ASSERT_NE(r.dataset, nullptr);
    EXPECT_TRUE(r.problems.empty());
    EXPECT_EQ(r.dataset->deals().id, (std::vector<std::int64_t>{1, 2}));
    EXPECT_EQ(r.dataset->paths().deals(), 2u);
  }
}

TEST(DatasetBuilder, UnknownPipelineOfDealNamesRowAndField) {
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_deal(deal(9, 11, T0, {}, 7), 10); }, "deals.csv", 10,
              "pipeline_id", "7", "unknown pipeline");
}

TEST(DatasetBuilder, UnknownPipelineOfStageNamesRowAndField) {
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_stage({PipelineId{7}, StageId{70}, "X", 1, StageKind::open}, 12); },
              "stages.csv", 12, "pipeline_id", "7", "unknown pipeline");
}

TEST(DatasetBuilder, UnknownStageNamesRowAndField) {
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_deal(deal(9, 99), 10); }, "deals.csv", 10, "stage_id", "99",
              "unknown stage");
}

TEST(DatasetBuilder, StageOfAnotherPipelineNamesRowAndField) {
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_deal(deal(9, 21), 10); }, "deals.csv", 10, "stage_id", "21",
              "does not belong");
}

TEST(DatasetBuilder, ClosedAtOnActiveDealNamesRowAndField) {
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_deal(deal(9, 11, T0, T0 + H), 10); }, "deals.csv", 10,
              "closed_at", std::to_string(T0 + H), "active");
}

TEST(DatasetBuilder, ClosedAtMissingOnLostDealNamesRowAndField) {
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_deal(deal(9, 143), 10); }, "deals.csv", 10, "closed_at", "",
              "missing");
}

TEST(DatasetBuilder, ClosedBeforeCreatedNamesRowAndField) {
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_deal(deal(9, 142, T0, T0 - 1), 10); }, "deals.csv", 10,
              "closed_at", std::to_string(T0 - 1), "before");
}

TEST(DatasetBuilder, StageChangeBeforeCreationNamesRowAndField) {
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_stage_change(change(1, T0 - 60, 10, 11), 10); },
              "stage_changes.csv", 10, "at", std::to_string(T0 - 60), "before");
}

TEST(DatasetBuilder, StageChangeOfUnknownDealNamesRowAndField) {
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_stage_change(change(77, T0, 10, 11), 10); },
              "stage_changes.csv", 10, "deal_id", "77", "unknown deal");
}

TEST(DatasetBuilder, StageChangeToStageNotInPipelineNamesRowAndField) {
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_stage_change(change(1, T0 + H, 11, 21), 10); },
              "stage_changes.csv", 10, "to_stage_id", "21", "not in pipeline");
}

TEST(DatasetBuilder, StageChangeFromStageNotInPipelineNamesRowAndField) {
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_stage_change(change(1, T0 + H, 21, 11), 10); },
              "stage_changes.csv", 10, "from_stage_id", "21", "not in pipeline");
}

TEST(DatasetBuilder, StageChangeToUnknownPipelineNamesRowAndField) {
  expect_rule(some_deals,
              [](DatasetBuilder& b) {
                auto r = change(1, T0 + H, 11, 12);
                r.to_pipeline = PipelineId{7};
                b.add_stage_change(r, 10);
              },
              "stage_changes.csv", 10, "to_pipeline_id", "7", "unknown pipeline");
}

TEST(DatasetBuilder, DuplicateIdsNameRowAndField) {
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_deal(deal(1), 10); }, "deals.csv", 10, "id", "1", "duplicate");
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_user({UserId{2}, "Again", ""}, 10); }, "users.csv", 10, "id",
              "2", "duplicate");
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_pipeline({PipelineId{2}, "Again"}, 10); }, "pipelines.csv", 10,
              "id", "2", "duplicate");
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_stage({PipelineId{2}, StageId{21}, "Again", 5, StageKind::open}, 10); },
              "stages.csv", 10, "id", "21", "duplicate");
  auto task = [](std::int64_t id) {
    TaskRow t;
    t.id = TaskId{id};
    t.created_at = Timestamp{T0};
    return t;
  };
  expect_rule([&](DatasetBuilder& b) { some_deals(b); b.add_task(task(5), 2); },
              [&](DatasetBuilder& b) { b.add_task(task(5), 10); }, "tasks.csv", 10, "id", "5", "duplicate");
  expect_rule([&](DatasetBuilder& b) { some_deals(b); b.add_contact({5, Timestamp{T0}, {}}, 2); },
              [&](DatasetBuilder& b) { b.add_contact({5, Timestamp{T0}, {}}, 10); }, "contacts.csv", 10, "id", "5",
              "duplicate");
}

TEST(DatasetBuilder, SameStageIdInTwoPipelinesIsFine) {
  auto b = base();
  auto r = std::move(b).build();
  EXPECT_EQ(r.dataset->stages().size(), 8u);
  auto p2 = r.dataset->find_pipeline(PipelineId{2});
  ASSERT_TRUE(p2.has_value());
  auto won2 = r.dataset->find_stage(*p2, StageId{142});
  ASSERT_TRUE(won2.has_value());
  EXPECT_EQ(r.dataset->stages().pipeline[won2->value], p2->value);
}

TEST(DatasetBuilder, NegativeBudgetAndAmountNameRowAndField) {
  expect_rule(some_deals,
              [](DatasetBuilder& b) {
                auto r = deal(9);
                r.budget = Money{-1};
                b.add_deal(r, 10);
              },
              "deals.csv", 10, "budget", "-1", "negative");
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_purchase({PurchaseId{1}, {}, Timestamp{T0}, Money{-5}}, 10); },
              "purchases.csv", 10, "amount", "-5", "negative");
}

TEST(DatasetBuilder, TimestampsOutOfRangeNameRowAndField) {
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_deal(deal(9, 11, -1), 10); }, "deals.csv", 10, "created_at",
              "-1", "out of range");
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_deal(deal(9, 142, T0, kMaxValidTime + 1), 10); }, "deals.csv",
              10, "closed_at", std::to_string(kMaxValidTime + 1), "out of range");
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_stage_change(change(1, kMaxValidTime + 1, 11, 12), 10); },
              "stage_changes.csv", 10, "at", std::to_string(kMaxValidTime + 1), "out of range");
  expect_rule(some_deals,
              [](DatasetBuilder& b) {
                TaskRow t;
                t.id = TaskId{1};
                t.created_at = Timestamp{T0};
                t.due_at = Timestamp{kMaxValidTime + 1};
                b.add_task(t, 10);
              },
              "tasks.csv", 10, "due_at", std::to_string(kMaxValidTime + 1), "out of range");
  expect_rule(some_deals, [](DatasetBuilder& b) { b.add_invoice({1, Timestamp{-86400}, {}}, 10); }, "invoices.csv", 10,
              "created_at", "-86400", "out of range");
}

TEST(DatasetBuilder, TimestampRangeBoundsAreInclusive) {
  auto b = base();
  b.add_deal(deal(1, 11, kMinValidTime));
  b.add_deal(deal(2, 142, kMinValidTime, kMaxValidTime));
  auto r = std::move(b).build();
  EXPECT_EQ(r.dataset->deals().size(), 2u);
}

TEST(DatasetBuilder, UnknownUsersNameRowAndField) {
  expect_rule(some_deals,
              [](DatasetBuilder& b) {
                auto r = deal(9);
                r.responsible = UserId{99};
                b.add_deal(r, 10);
              },
              "deals.csv", 10, "responsible_user_id", "99", "unknown user");
  expect_rule(some_deals,
              [](DatasetBuilder& b) {
                auto r = change(1, T0 + 2 * H, 11, 12);
                r.by_user = UserId{99};
                b.add_stage_change(r, 10);
              },
              "stage_changes.csv", 10, "by_user_id", "99", "unknown user");
  expect_rule(some_deals,
              [](DatasetBuilder& b) {
                EventRow e;
                e.id = "x";
                e.type = "t";
                e.at = Timestamp{T0};
                e.by_user = UserId{99};
                b.add_event(e, 10);
              },
              "events.csv", 10, "created_by", "99", "unknown user");
}

TEST(DatasetBuilder, UnsortedItemRules) {
  auto item = [](UnsortedOutcome o, std::optional<std::int64_t> resolved) {
    UnsortedRow u;
    u.id = UnsortedId{1};
    u.channel = "mail";
    u.created_at = Timestamp{T0};
    if (resolved) u.resolved_at = Timestamp{*resolved};
    u.outcome = o;
    return u;
  };
  expect_rule(some_deals, [&](DatasetBuilder& b) { b.add_unsorted(item(UnsortedOutcome::accepted, T0 - 1), 10); },
              "unsorted.csv", 10, "resolved_at", std::to_string(T0 - 1), "before");
  expect_rule(some_deals, [&](DatasetBuilder& b) { b.add_unsorted(item(UnsortedOutcome::declined, {}), 10); },
              "unsorted.csv", 10, "resolved_at", "", "missing");
}

TEST(DatasetBuilder, SetSourceNamesTheProblemSource) {
  auto b = base();
  b.set_source(Table::deals, "crm_export/leads.csv");
  b.add_deal(deal(9, 99), 42);
  try {
    std::move(b).build();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.problem().source, "crm_export/leads.csv");
    EXPECT_EQ(e.problem().row, 42);
    EXPECT_STREQ(e.what(), "crm_export/leads.csv:42:stage_id: unknown stage id (value \"99\")");
  }
  EXPECT_STREQ(default_source(Table::stage_changes), "stage_changes.csv");
  EXPECT_STREQ(default_source(Table::events), "events.csv");
}

TEST(DatasetBuilder, LenientResultHoldsExactlyTheGoodRecords) {
  auto b = base();
  b.add_user({UserId{1}, "dup", ""}, 9);                 // duplicate user
  b.add_deal(deal(1, 12), 2);                             // good
  b.add_deal(deal(2, 99), 3);                             // unknown stage
  b.add_deal(deal(3, 142, T0, T0 + H), 4);                // good
  b.add_deal(deal(1), 5);                                 // duplicate id
  b.add_deal(deal(4, 11, T0, T0 + H), 6);                 // closed_at on active
  b.add_deal(deal(5), 7);                                 // good
  b.add_stage_change(change(1, T0 + H, 11, 12), 2);       // good
  b.add_stage_change(change(2, T0 + H, 11, 12), 3);       // its deal was left out
  b.add_stage_change(change(5, T0 - H, 11, 12), 4);       // before creation
  b.add_stage_change(change(3, T0 + H, 11, 142), 5);      // good
  auto r = std::move(b).build(ValidationPolicy::lenient);
  EXPECT_EQ(r.dataset->deals().id, (std::vector<std::int64_t>{1, 3, 5}));
  EXPECT_EQ(r.dataset->users().id, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(r.dataset->str(r.dataset->users().name[0]), "Anna");
  std::vector<std::pair<std::string, std::int64_t>> where;
  for (const auto& p : r.problems) where.emplace_back(p.source, p.row);
  EXPECT_EQ(where, (std::vector<std::pair<std::string, std::int64_t>>{{"users.csv", 9},
                                                                       {"deals.csv", 3},
                                                                       {"deals.csv", 5},
                                                                       {"deals.csv", 6},
                                                                       {"stage_changes.csv", 3},
                                                                       {"stage_changes.csv", 4}}));
  using testing::Entry;
  EXPECT_EQ(testing::path_of(*r.dataset, 1), (std::vector<Entry>{{1, 11, T0, false}, {1, 12, T0 + H, false}}));
  EXPECT_EQ(testing::path_of(*r.dataset, 3), (std::vector<Entry>{{1, 11, T0, false}, {1, 142, T0 + H, false}}));
  EXPECT_EQ(testing::path_of(*r.dataset, 5), (std::vector<Entry>{{1, 11, T0, false}}));
  EXPECT_EQ(r.dataset->paths().deals(), 3u);
  // Tags and every other column follow their deal when rows are left out.
  auto b2 = base();
  auto tagged = [](std::int64_t id, std::int64_t stage, std::vector<std::string> tags) {
    auto d = deal(id, stage);
    d.tags = std::move(tags);
    d.name = "deal " + std::to_string(id);
    d.budget = Money{id * 100};
    return d;
  };
  b2.add_deal(tagged(1, 99, {"x"}), 2);
  b2.add_deal(tagged(2, 11, {"a", "b"}), 3);
  b2.add_deal(tagged(3, 99, {"y", "z"}), 4);
  b2.add_deal(tagged(4, 12, {"c"}), 5);
  auto r2 = std::move(b2).build(ValidationPolicy::lenient);
  const auto& d = r2.dataset->deals();
  EXPECT_EQ(d.id, (std::vector<std::int64_t>{2, 4}));
  EXPECT_EQ(d.budget_minor, (std::vector<std::int64_t>{200, 400}));
  EXPECT_EQ(r2.dataset->str(d.name[1]), "deal 4");
  EXPECT_EQ(d.tags_offset, (std::vector<std::uint32_t>{0, 2, 3}));
  EXPECT_EQ(r2.dataset->str(d.tags[2]), "c");
  EXPECT_EQ(r2.dataset->str(r2.dataset->stages().name[d.stage[1]]), "Talks");
}

TEST(DatasetBuilder, ProblemLinesKeptAcrossGapsAndJumps) {
  // The builder stores lines as runs of step 1 or 0; rows in runs, after gaps, after a jump back and in a
  // run of one repeated line must still report the line each was added with.
  auto b = base();
  const std::vector<std::int64_t> deal_lines = {2, 3, 4, 9, 10, 40, 5, 6, 6, 6, 6, 7};
  for (std::size_t i = 0; i < deal_lines.size(); ++i) {
    const auto id = static_cast<std::int64_t>(i + 1);
    b.add_deal(deal(id, i % 3 == 1 ? 99 : 11), deal_lines[i]);  // rows 1, 4, 7 and 10 (0-based) unknown stage
  }
  const std::vector<std::int64_t> change_lines = {7, 8, 12, 13, 14, 2};
  for (std::size_t i = 0; i < change_lines.size(); ++i)
    b.add_stage_change(change(i % 2 == 0 ? 1 : 2, T0 + H, 11, 12), change_lines[i]);  // deal 2 is left out
  auto r = std::move(b).build(ValidationPolicy::lenient);
  std::vector<std::pair<std::string, std::int64_t>> where;
  for (const auto& p : r.problems) where.emplace_back(p.source, p.row);
  EXPECT_EQ(where, (std::vector<std::pair<std::string, std::int64_t>>{{"deals.csv", 3},
                                                                       {"deals.csv", 10},
                                                                       {"deals.csv", 6},
                                                                       {"deals.csv", 6},
                                                                       {"stage_changes.csv", 8},
                                                                       {"stage_changes.csv", 13},
                                                                       {"stage_changes.csv", 2}}));
}

TEST(DatasetBuilder, DealIdsDenseOrSparseFindDuplicatesAndUnknownDeals) {
  // Near-consecutive ids use a direct table, far-apart ids a hash map; both must find a duplicate, an id
  // below, inside and above the range that is not a deal, and the deals themselves.
  for (const std::vector<std::int64_t>& ids :
       {std::vector<std::int64_t>{10, 11, 13, 14}, std::vector<std::int64_t>{10, 11, 13, 4'000'000'000'000}}) {
    auto b = base();
    std::int64_t line = 2;
    for (auto id : ids) b.add_deal(deal(id), line++);
    b.add_deal(deal(ids[1]), line++);  // duplicate: line 6
    line = 2;
    for (std::int64_t id : {ids[0], std::int64_t{9}, std::int64_t{12}, ids[3] + 1, ids[3], std::int64_t{-5}})
      b.add_stage_change(change(id, T0 + H, 11, 12), line++);  // 9, 12, ids[3] + 1 and -5 are no deal
    auto r = std::move(b).build(ValidationPolicy::lenient);
    std::vector<std::tuple<std::string, std::int64_t, std::string>> where;
    for (const auto& p : r.problems) where.emplace_back(p.source, p.row, p.field);
    EXPECT_EQ(where, (std::vector<std::tuple<std::string, std::int64_t, std::string>>{{"deals.csv", 6, "id"},
                                                                                     {"stage_changes.csv", 3, "deal_id"},
                                                                                     {"stage_changes.csv", 4, "deal_id"},
                                                                                     {"stage_changes.csv", 5, "deal_id"},
                                                                                     {"stage_changes.csv", 7, "deal_id"}}))
        << ids[3];
    EXPECT_EQ(r.dataset->deals().id, ids);
    using testing::Entry;
    EXPECT_EQ(testing::path_of(*r.dataset, ids[0]),  // the deal is still in stage 11: an implied move back at the end
              (std::vector<Entry>{{1, 11, T0, false}, {1, 12, T0 + H, false}, {1, 11, T0 + H, true}}));
    EXPECT_EQ(testing::path_of(*r.dataset, ids[3]),  // the deal is still in stage 11: an implied move back at the end
              (std::vector<Entry>{{1, 11, T0, false}, {1, 12, T0 + H, false}, {1, 11, T0 + H, true}}));
    EXPECT_EQ(testing::path_of(*r.dataset, ids[1]), (std::vector<Entry>{{1, 11, T0, false}}));
  }
}

TEST(DatasetBuilder, StrictEitherBuildsOrThrows) {
  auto b = base();
  b.add_deal(deal(1), 2);
  b.add_deal(deal(2, 99), 3);
  b.add_deal(deal(3, 98), 4);
  try {
    std::move(b).build(ValidationPolicy::strict);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.problem().row, 3);  // the first problem
  }
}

TEST(DatasetBuilder, StagesInFunnelOrderWithPositions) {
  auto r = base().build();
  const auto& ds = *r.dataset;
  const auto& pl = ds.pipelines();
  std::vector<std::int64_t> p1;
  for (auto k = pl.stages_offset[0]; k < pl.stages_offset[1]; ++k) p1.push_back(ds.stages().id[pl.stages_ordered[k]]);
  EXPECT_EQ(p1, (std::vector<std::int64_t>{10, 11, 12, 142, 143}));  // unsorted first despite its sort 50
  EXPECT_EQ(pl.stages_offset, (std::vector<std::uint32_t>{0, 5, 8}));
  for (auto k = pl.stages_offset[0]; k < pl.stages_offset[1]; ++k)
    EXPECT_EQ(ds.stages().position[pl.stages_ordered[k]], k - pl.stages_offset[0]);
  for (auto k = pl.stages_offset[1]; k < pl.stages_offset[2]; ++k)
    EXPECT_EQ(ds.stages().position[pl.stages_ordered[k]], k - pl.stages_offset[1]);
}

TEST(DatasetBuilder, GroupsAreDenseAndShared) {
  auto r = base().build();
  const auto& u = r.dataset->users();
  EXPECT_EQ(u.group, (std::vector<std::uint32_t>{0, GroupIndex::kNone, 0}));
  ASSERT_EQ(u.group_name.size(), 1u);
  EXPECT_EQ(r.dataset->str(u.group_name[0]), "North");
}

TEST(DatasetBuilder, LookUpsByIdAndName) {
  auto b = base();
  for (std::int64_t id : {50, 7, 1000, -3, 12}) b.add_deal(deal(id));
  auto r = std::move(b).build();
  const Dataset& ds = *r.dataset;
  for (std::int64_t id : {50, 7, 1000, -3, 12}) {
    auto d = ds.find_deal(DealId{id});
    ASSERT_TRUE(d.has_value()) << id;
    EXPECT_EQ(ds.deals().id[d->value], id);
  }
  EXPECT_FALSE(ds.find_deal(DealId{8}).has_value());
  EXPECT_FALSE(ds.find_deal(DealId{2000}).has_value());
  EXPECT_EQ(ds.find_pipeline("Partners")->value, 1u);
  EXPECT_FALSE(ds.find_pipeline("Nope").has_value());
  EXPECT_EQ(ds.find_user(UserId{3})->value, 2u);
  EXPECT_FALSE(ds.find_user(UserId{4}).has_value());
  EXPECT_FALSE(ds.find_stage(PipelineIndex{}, StageId{11}).has_value());
  EXPECT_FALSE(ds.find_stage(PipelineIndex{1}, StageId{11}).has_value());
  EXPECT_EQ(ds.deal_kind(0), StageKind::open);
}

TEST(DatasetBuilder, HashLookUpsMatchAScanFromManyThreads) {
  // find_user / find_pipeline (hash indexes made on first use) against a linear scan over the tables,
  // with the first use from four threads at once. A repeated pipeline name finds its first row.
  auto b = base();
  for (std::int64_t i = 0; i < 3000; ++i) b.add_user({UserId{1000 + 7 * i}, std::to_string(i), ""}, 10 + i);
  for (std::int64_t p = 3; p < 60; ++p) {
    b.add_pipeline({PipelineId{10 * p}, p % 3 == 0 ? std::string("Same") : std::to_string(p)}, 5000 + p);
    b.add_stage({PipelineId{10 * p}, StageId{142}, "Won", 10000, StageKind::won}, 6000 + 2 * p);
    b.add_stage({PipelineId{10 * p}, StageId{143}, "Lost", 11000, StageKind::lost}, 6001 + 2 * p);
  }
  auto r = std::move(b).build();
  const Dataset& ds = *r.dataset;
  const auto scan = [](const auto& column, const auto& value) -> std::int64_t {
    for (std::size_t i = 0; i < column.size(); ++i)
      if (column[i] == value) return static_cast<std::int64_t>(i);
    return -1;
  };
  std::vector<std::string> names;
  for (std::size_t i = 0; i < ds.pipelines().size(); ++i) names.emplace_back(ds.str(ds.pipelines().name[i]));
  names.push_back("Nope");
  names.push_back("");
  const auto row = [](const auto& found) { return found ? static_cast<std::int64_t>(found->value) : -1; };
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (std::int64_t id = -5; id < 1000 + 7 * 3000 + 5; ++id) {
        if (row(ds.find_user(UserId{id})) != scan(ds.users().id, id)) ++wrong;
        if (id < 700 && row(ds.find_pipeline(PipelineId{id})) != scan(ds.pipelines().id, id)) ++wrong;
      }
      for (const auto& n : names) {
        std::int64_t first = -1;
        for (std::size_t i = 0; i < ds.pipelines().size() && first < 0; ++i)
          if (ds.str(ds.pipelines().name[i]) == n) first = static_cast<std::int64_t>(i);
        if (row(ds.find_pipeline(std::string_view(n))) != first) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(ds.find_pipeline("Same")->value, 2u);  // pipeline 30, the first named "Same" (rows 0, 1 are base())
  EXPECT_EQ(ds.find_user(UserId{1000 + 7 * 2999})->value, 3u + 2999u);
  const Dataset copy = ds;  // a copy looks up alike
  EXPECT_EQ(copy.find_user(UserId{3})->value, 2u);
  EXPECT_EQ(copy.find_pipeline("Partners")->value, 1u);
}

TEST(DatasetBuilder, FromColumnsGivesTheSameDatasetAsRows) {
  const std::vector<std::int64_t> id{1, 2, 3}, pipeline{1, 1, 2}, stage{12, 142, 21}, created{T0, T0 + H, T0 + 2 * H},
      closed{kNoTime, T0 + 5 * H, kNoTime}, budget{100, 0, 250}, resp{1, kNoId, 2};
  const std::vector<std::int64_t> c_deal{1, 1, 2, 3}, c_at{T0, T0 + H, T0 + 5 * H, T0 + 3 * H}, c_from{kNoId, 11, 11, kNoId},
      c_to{11, 12, 142, 21}, c_to_p{kNoId, kNoId, kNoId, 2}, c_by{1, kNoId, 2, kNoId};
  auto from_rows = base();
  for (std::size_t i = 0; i < id.size(); ++i) {
    DealRow r;
    r.id = DealId{id[i]};
    r.pipeline = PipelineId{pipeline[i]};
    r.stage = StageId{stage[i]};
    r.created_at = Timestamp{created[i]};
    if (closed[i] != kNoTime) r.closed_at = Timestamp{closed[i]};
    r.budget = Money{budget[i]};
    if (resp[i] != kNoId) r.responsible = UserId{resp[i]};
    from_rows.add_deal(r, static_cast<std::int64_t>(i) + 1);
  }
  for (std::size_t i = 0; i < c_deal.size(); ++i) {
    StageChangeRow r = change(c_deal[i], c_at[i], c_from[i] == kNoId ? std::nullopt : std::optional(c_from[i]), c_to[i]);
    if (c_to_p[i] != kNoId) r.to_pipeline = PipelineId{c_to_p[i]};
    if (c_by[i] != kNoId) r.by_user = UserId{c_by[i]};
    from_rows.add_stage_change(r, static_cast<std::int64_t>(i) + 1);
  }
  auto from_cols = base();
  from_cols.reserve(3, 4);
  from_cols.add_deal_columns({id, pipeline, stage, created, closed, budget, resp});
  from_cols.add_stage_change_columns({c_deal, c_at, c_from, c_to, c_to_p, c_by});
  auto a = std::move(from_rows).build();
  auto b = std::move(from_cols).build();
  testing::expect_same_dataset(*a.dataset, *b.dataset);
  EXPECT_EQ(testing::path_of(*b.dataset, 1).size(), 2u);
}

TEST(DatasetBuilder, FromColumnsOptionalColumnsMayBeEmpty) {
  const std::vector<std::int64_t> id{1, 2}, pipeline{1, 1}, stage{11, 12}, created{T0, T0};
  auto b = base();
  b.add_deal_columns({id, pipeline, stage, created, {}, {}, {}});
  const std::vector<std::int64_t> c_deal{2}, c_at{T0 + H}, c_to{12};
  b.add_stage_change_columns({c_deal, c_at, {}, c_to, {}, {}});
  auto r = std::move(b).build();
  const auto& d = r.dataset->deals();
  EXPECT_EQ(d.closed_at, (std::vector<std::int64_t>{kNoTime, kNoTime}));
  EXPECT_EQ(d.budget_minor, (std::vector<std::int64_t>{0, 0}));
  EXPECT_EQ(d.responsible, (std::vector<std::uint32_t>{UserIndex::kNone, UserIndex::kNone}));
  EXPECT_EQ(d.tags_offset, (std::vector<std::uint32_t>{0, 0, 0}));
  // A change without a from-stage is a creation record: deal 2 was created in stage 12.
  EXPECT_EQ(testing::path_of(*r.dataset, 2), (std::vector<testing::Entry>{{1, 12, T0, false}}));
  EXPECT_EQ(r.dataset->paths().entries(), 2u);
}

TEST(DatasetBuilder, FromColumnsProblemsNameThePosition) {
  const std::vector<std::int64_t> id{1, 2, 3}, pipeline{1, 1, 1}, stage{11, 99, 11}, created{T0, T0, T0};
  auto b = base();
  b.add_deal_columns({id, pipeline, stage, created, {}, {}, {}});
  auto r = std::move(b).build(ValidationPolicy::lenient);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].row, 2);
  EXPECT_EQ(r.problems[0].field, "stage_id");
}

TEST(DatasetBuilder, MismatchedColumnLengthsThrowNamingTheColumn) {
  const std::vector<std::int64_t> three{1, 2, 3}, two{1, 1};
  auto expect_column = [](const std::function<void()>& f, const std::string& column) {
    try {
      f();
      ADD_FAILURE() << "no error for " << column;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_data);
      EXPECT_EQ(e.problem().field, column);
      EXPECT_NE(std::string(e.what()).find(column), std::string::npos);
    }
  };
  DatasetBuilder b = base();
  expect_column([&] { b.add_deal_columns({three, two, three, three, {}, {}, {}}); }, "pipeline_id");
  expect_column([&] { b.add_deal_columns({three, three, three, two, {}, {}, {}}); }, "created_at");
  expect_column([&] { b.add_deal_columns({three, three, three, three, two, {}, {}}); }, "closed_at");
  expect_column([&] { b.add_deal_columns({three, three, three, three, {}, two, {}}); }, "budget_minor");
  expect_column([&] { b.add_deal_columns({three, three, three, three, {}, {}, two}); }, "responsible_id");
  expect_column([&] { b.add_stage_change_columns({three, two, {}, three, {}, {}}); }, "at");
  expect_column([&] { b.add_stage_change_columns({three, three, {}, two, {}, {}}); }, "to_stage_id");
  expect_column([&] { b.add_stage_change_columns({three, three, two, three, {}, {}}); }, "from_stage_id");
  expect_column([&] { b.add_stage_change_columns({three, three, {}, three, two, {}}); }, "to_pipeline_id");
  expect_column([&] { b.add_stage_change_columns({three, three, {}, three, {}, two}); }, "by_user_id");
  // Nothing was half-added by the calls that threw.
  auto r = std::move(b).build();
  EXPECT_EQ(r.dataset->deals().size(), 0u);
  EXPECT_EQ(r.dataset->paths().entries(), 0u);
}

// build() on several threads and block sizes (set_build_threads) against one thread with the default
// block: random deals and stage changes with invalid rows, unknown ids, out-of-order and unsorted
// changes; every column, the path index, the derived instants and the problems in order must match.
DatasetBuilder random_builder(std::uint32_t seed, bool clean, bool clean_deals = false) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint32_t>(n)); };
  auto b = base();
  const std::int64_t stages1[] = {10, 11, 12, 142, 143};
  const std::int64_t stages2[] = {21, 142, 143};
  const int deals = 400;
  std::vector<std::int64_t> created_of(deals), pipeline_of(deals);
  for (int i = 0; i < deals; ++i) {
    const std::int64_t pipeline = pick(4) == 0 ? 2 : 1;
    std::int64_t stage = pipeline == 1 ? stages1[pick(5)] : stages2[pick(3)];
    const std::int64_t created = T0 + pick(1000) * H;
    created_of[i] = created;
    pipeline_of[i] = pipeline;
    std::optional<std::int64_t> closed;
    if (stage == 142 || stage == 143) closed = created + pick(500) * H;
    std::int64_t id = 1000 + i;
    if (!clean && !clean_deals) {
      switch (pick(25)) {
        case 0: id = 1000 + pick(i + 1); break;                 // duplicate (or itself first)
        case 1: stage = 99; break;                                 // unknown stage
        case 2: closed = {}; break;                                // missing closed_at when closed
        case 3: stage = pipeline == 1 ? 21 : 11; break;            // stage of the other pipeline
        default: break;
      }
    }
    DealRow r = deal(id, stage, created, closed, pipeline);
    if (!clean && !clean_deals && pick(30) == 0) r.responsible = UserId{77};  // unknown user
    b.add_deal(r, 2 + i);
  }
  std::int64_t line = 2;
  for (int i = 0; i < deals; ++i) {
    const std::int64_t id = 1000 + i;
    const int moves = pick(6);
    std::int64_t at = clean ? created_of[i] + pick(10) * H : T0 + pick(1000) * H;
    for (int m = 0; m < moves; ++m) {
      const bool p1 = pipeline_of[i] == 1 || !clean;  // not clean: pipeline 1's stages for every deal
      StageChangeRow c = change(id, at, m == 0 && pick(2) == 0 ? std::nullopt : std::optional<std::int64_t>{p1 ? 11 : 21},
                                p1 ? stages1[pick(5)] : stages2[pick(3)]);
      at += (clean ? 1 : pick(5) - 1) * H;  // not clean: some changes go back in time
      if (!clean) {
        switch (pick(20)) {
          case 0: c.deal = DealId{9000 + pick(50)}; break;       // unknown deal
          case 1: c.to_stage = StageId{99}; break;               // unknown stage
          case 2: c.to_pipeline = PipelineId{7}; break;          // unknown pipeline
          case 3: c.to_pipeline = PipelineId{2}; c.to_stage = StageId{21}; break;  // a move to pipeline 2
          case 4: c.at = Timestamp{-5}; break;                   // out of range
          case 5: c.by_user = UserId{55}; break;                 // unknown user
          case 6: c.from_stage = StageId{98}; break;             // unknown from stage
          case 7: c.by_user = UserId{2}; break;
          default: break;
        }
      }
      b.add_stage_change(c, line++);
    }
  }
  if (!clean) {
    // A few late rows for early deals: the changes are not in (deal, at) order.
    for (int i = 0; i < 20; ++i) b.add_stage_change(change(1000 + pick(deals), T0 + pick(2000) * H, 11, 12), line++);
  }
  return b;
}

void expect_same_build(const BuildResult& a, const BuildResult& b) {
  testing::expect_same_dataset(*a.dataset, *b.dataset);
  EXPECT_EQ(a.dataset->deal_settled_s(), b.dataset->deal_settled_s());
  EXPECT_EQ(a.dataset->deals_end_s(), b.dataset->deals_end_s());
  EXPECT_EQ(a.dataset->deals_start_s(), b.dataset->deals_start_s());
  EXPECT_EQ(a.dataset->deals_by_auto_day().rows, b.dataset->deals_by_auto_day().rows);
  EXPECT_EQ(a.dataset->deals_by_auto_day().offset, b.dataset->deals_by_auto_day().offset);
  EXPECT_EQ(a.dataset->deals_by_created_day().rows, b.dataset->deals_by_created_day().rows);
  ASSERT_EQ(a.problems.size(), b.problems.size());
  for (std::size_t i = 0; i < a.problems.size(); ++i) EXPECT_EQ(a.problems[i].to_string(), b.problems[i].to_string()) << i;
}

TEST(DatasetBuilderThreads, SameDatasetAndProblemsOnAnyThreadsAndBlocks) {
  for (auto [clean, clean_deals] : {std::pair{false, false}, std::pair{false, true}, std::pair{true, true}}) {
    for (std::uint32_t seed : {1u, 2u, 3u}) {
      auto one = random_builder(seed, clean, clean_deals);
      one.set_build_threads(1);
      const BuildResult ref = std::move(one).build(ValidationPolicy::lenient);
      if (clean) {
        EXPECT_TRUE(ref.problems.empty()) << ref.problems.front().to_string();
      } else {
        EXPECT_GT(ref.problems.size(), 20u);  // every kind of bad row above shows up
      }
      EXPECT_GT(ref.dataset->paths().entries(), ref.dataset->deals().id.size());
      for (auto [threads, block] : {std::pair{2u, std::size_t{1}}, std::pair{2u, std::size_t{3}},
                                    std::pair{2u, std::size_t{7}}, std::pair{3u, std::size_t{64}},
                                    std::pair{1u, std::size_t{5}}, std::pair{2u, std::size_t{0}}}) {
        SCOPED_TRACE(std::to_string(threads) + " threads, block " + std::to_string(block) + ", seed " +
                     std::to_string(seed) + (clean ? " clean" : clean_deals ? " clean deals" : ""));
        auto b = random_builder(seed, clean, clean_deals);
        b.set_build_threads(threads, block);
        expect_same_build(ref, std::move(b).build(ValidationPolicy::lenient));
      }
    }
  }
}

TEST(DatasetBuilderThreads, StrictThrowsTheFirstProblemOnAnyThreads) {
  for (bool clean_deals : {false, true}) {  // clean deals: the first problem is a stage change's
    std::string first;
    {
      auto b = random_builder(4, false, clean_deals);
      b.set_build_threads(1);
      const auto problems = std::move(b).build(ValidationPolicy::lenient).problems;
      first = problems.at(0).to_string();
      EXPECT_EQ(problems.at(0).source, clean_deals ? "stage_changes.csv" : "deals.csv");
    }
    for (std::size_t block : {std::size_t{1}, std::size_t{4}, std::size_t{0}}) {
      auto b = random_builder(4, false, clean_deals);
      b.set_build_threads(2, block);
      try {
        std::move(b).build(ValidationPolicy::strict);
        ADD_FAILURE() << "strict build did not throw";
      } catch (const Error& e) {
        EXPECT_EQ(e.problem().to_string(), first);
      }
    }
  }
}

// add_deal_fields / add_stage_change_ids (the CSV reader's fast path) stage exactly what add_deal /
// add_stage_change stage for the same rows: random rows, some breaking rules, build to the same dataset and
// the same problems.
TEST(DatasetBuilder, FieldAndIdAddsStageWhatRowAddsStage) {
  std::mt19937_64 rng(20261130);
  auto pick = [&](std::int64_t n) { return static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(n)); };
  const std::vector<std::int64_t> pipelines{1, 2, 9}, stages{10, 11, 12, 21, 142, 143, 999}, users{1, 2, 3, 7};
  const std::vector<std::string> words{"", "Email request", "sip", "mail", "No budget", "vip", "a b"};
  DatasetBuilder rows = base(), fields = base();
  for (std::int64_t i = 1; i <= 400; ++i) {
    DealRow r;
    r.id = DealId{pick(3) == 0 ? pick(50) + 1 : i};
    r.pipeline = PipelineId{pipelines[static_cast<std::size_t>(pick(3))]};
    r.stage = StageId{stages[static_cast<std::size_t>(pick(7))]};
    r.created_at = Timestamp{T0 + pick(1000) * H};
    if (pick(2) == 0) r.closed_at = Timestamp{T0 + pick(1000) * H};
    r.budget = Money{pick(10) == 0 ? -5 : pick(100000)};
    if (pick(3) != 0) r.responsible = UserId{users[static_cast<std::size_t>(pick(4))]};
    r.name = words[static_cast<std::size_t>(pick(7))];
    r.channel = words[static_cast<std::size_t>(pick(7))];
    for (std::int64_t k = pick(4); k > 0; --k) r.tags.push_back(words[static_cast<std::size_t>(pick(6)) + 1]);
    r.loss_reason = words[static_cast<std::size_t>(pick(7))];
    if (pick(2) == 0) r.contact_id = pick(1000);
    if (pick(2) == 0) r.company_id = pick(1000);
    r.deleted = pick(5) == 0;
    std::vector<std::string_view> tags(r.tags.begin(), r.tags.end());
    DealFields f{r.id.value, r.pipeline.value, r.stage.value, r.created_at.seconds,
                 r.closed_at ? r.closed_at->seconds : kNoTime, r.budget.minor,
                 r.responsible ? r.responsible->value : kNoId, r.name, r.channel, tags, r.loss_reason,
                 r.contact_id.value_or(kNoId), r.company_id.value_or(kNoId), r.deleted};
    rows.add_deal(r, i + 1);
    fields.add_deal_fields(f, i + 1);
  }
  for (std::int64_t i = 1; i <= 1500; ++i) {
    StageChangeRow r;
    r.deal = DealId{pick(420) + 1};
    r.at = Timestamp{T0 + pick(1000) * H};
    if (pick(4) == 0) r.from_pipeline = PipelineId{pipelines[static_cast<std::size_t>(pick(3))]};
    if (pick(3) != 0) r.from_stage = StageId{stages[static_cast<std::size_t>(pick(7))]};
    if (pick(2) == 0) r.to_pipeline = PipelineId{pipelines[static_cast<std::size_t>(pick(3))]};
    r.to_stage = StageId{stages[static_cast<std::size_t>(pick(7))]};
    if (pick(3) != 0) r.by_user = UserId{users[static_cast<std::size_t>(pick(4))]};
    auto opt = [](const auto& v) { return v ? v->value : kNoId; };
    StageChangeIds c{r.deal.value, r.at.seconds, opt(r.from_pipeline), opt(r.from_stage), opt(r.to_pipeline),
                     r.to_stage.value, opt(r.by_user)};
    rows.add_stage_change(r, i + 1);
    fields.add_stage_change_ids(c, i + 1);
  }
  auto a = std::move(rows).build(ValidationPolicy::lenient);
  auto b = std::move(fields).build(ValidationPolicy::lenient);
  EXPECT_GT(a.dataset->deals().size(), 20u);
  EXPECT_GT(a.dataset->paths().entries(), 50u);
  EXPECT_GT(a.problems.size(), 10u);
  testing::expect_same_dataset(*a.dataset, *b.dataset);
  ASSERT_EQ(a.problems.size(), b.problems.size());
  for (std::size_t i = 0; i < a.problems.size(); ++i) {
    EXPECT_EQ(a.problems[i].source, b.problems[i].source);
    EXPECT_EQ(a.problems[i].row, b.problems[i].row);
    EXPECT_EQ(a.problems[i].field, b.problems[i].field);
    EXPECT_EQ(a.problems[i].value, b.problems[i].value);
    EXPECT_EQ(a.problems[i].message, b.problems[i].message);
  }
}

}  // namespace
}  // namespace dealstat
