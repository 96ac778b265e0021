// Tests of the CSV directory format (csv_directory.hpp, docs/csv-format.md)
// on the fixture account tests/data/csv/good and one bad file per validation
// rule in tests/data/csv/bad (made by tests/data/csv/make_fixtures.py: the
// good file plus one bad record at the end).
#include "dealstat/io/csv_directory.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <tuple>

#include "dataset_testing.hpp"
#include "dealstat/core/error.hpp"

namespace dealstat {
namespace {

namespace fs = std::filesystem;
using testing::csv_fixture;
using testing::Entry;
using testing::path_of;
using testing::slurp;
using testing::spit;
using testing::TempDir;

//! A copy of the good account in a temp directory.
struct GoodCopy {
  TempDir dir{"csvdir"};
  GoodCopy() {
    for (const auto& e : fs::directory_iterator(csv_fixture("good"))) fs::copy_file(e.path(), dir.path() / e.path().filename());
  }
};

const Dataset& good() {
  static const BuildResult r = load_csv_directory(csv_fixture("good").string());
  return *r.dataset;
}

std::vector<std::string> tags_of(const Dataset& ds, std::int64_t deal_id) {
  std::vector<std::string> out;
  auto d = ds.find_deal(DealId{deal_id})->value;
  for (auto k = ds.deals().tags_offset[d]; k < ds.deals().tags_offset[d + 1]; ++k) out.emplace_back(ds.str(ds.deals().tags[k]));
  return out;
}

// ---------------------------------------------------------------------------
// The good account

TEST(CsvDirectory, GoodAccountLoadsStrictAndLenientWithoutProblems) {
  auto strict = load_csv_directory(csv_fixture("good").string(), ValidationPolicy::strict);
  auto lenient = load_csv_directory(csv_fixture("good").string(), ValidationPolicy::lenient);
  EXPECT_TRUE(strict.problems.empty());
  EXPECT_TRUE(lenient.problems.empty());
  for (const auto& p : lenient.problems) ADD_FAILURE() << p.to_string();
  testing::expect_same_dataset(*strict.dataset, *lenient.dataset);
}

TEST(CsvDirectory, GoodAccountTablesAndAccount) {
  const Dataset& ds = good();
  EXPECT_EQ(ds.account().time_zone.name(), "Europe/Moscow");
  EXPECT_EQ(ds.account().first_day_of_week, Weekday::monday);
  EXPECT_EQ(ds.account().currency, "RUB");
  EXPECT_EQ(ds.users().id, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(ds.pipelines().id, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(ds.stages().size(), 9u);
  EXPECT_EQ(ds.deals().id, (std::vector<std::int64_t>{101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111}));
  EXPECT_EQ(ds.tasks().id, (std::vector<std::int64_t>{301, 302, 303}));
  EXPECT_EQ(ds.contacts().id, (std::vector<std::int64_t>{501, 502}));
  EXPECT_EQ(ds.companies().id, (std::vector<std::int64_t>{601}));
  EXPECT_EQ(ds.customers().id, (std::vector<std::int64_t>{701}));
  EXPECT_EQ(ds.invoices().id, (std::vector<std::int64_t>{801}));
  EXPECT_EQ(ds.purchases().id, (std::vector<std::int64_t>{901, 902}));
  EXPECT_EQ(ds.unsorted().id, (std::vector<std::int64_t>{1001, 1002, 1003}));
  EXPECT_EQ(ds.events().size(), 2u);
}

TEST(CsvDirectory, GoodAccountCellValues) {
  const Dataset& ds = good();
  const auto& d = ds.deals();
  auto row = [&](std::int64_t id) { return ds.find_deal(DealId{id})->value; };
  // ISO 8601 without an offset is local time in the account zone (Moscow, UTC+3).
  EXPECT_EQ(d.created_at[row(101)], 1704866400);  // 2024-01-10T09:00 MSK
  EXPECT_EQ(d.created_at[row(103)], 1704956400);  // 2024-01-11 10:00:00+03:00
  EXPECT_EQ(d.created_at[row(111)], 1705698000);  // 2024-01-20 = local midnight
  EXPECT_EQ(d.created_at[row(102)], 1704870000);  // Unix seconds
  EXPECT_EQ(d.closed_at[row(102)], 1705000000);
  EXPECT_EQ(d.closed_at[row(101)], kNoTime);
  // Money as decimal strings, exact; more decimals round half away from zero.
  EXPECT_EQ(d.budget_minor[row(101)], 150050);
  EXPECT_EQ(d.budget_minor[row(102)], 200000);
  EXPECT_EQ(d.budget_minor[row(103)], 99);
  EXPECT_EQ(d.budget_minor[row(104)], 0);
  EXPECT_EQ(d.budget_minor[row(111)], 1235);
  EXPECT_EQ(ds.purchases().amount_minor, (std::vector<std::int64_t>{9999, 100000}));
  // Quoted text: doubled quotes, commas, embedded newline; Cyrillic.
  EXPECT_EQ(ds.str(d.name[row(101)]), "Сделка \"Ромашка\"");
  EXPECT_EQ(ds.str(d.name[row(110)]), "Line one\nline two");
  EXPECT_EQ(ds.str(d.loss_reason[row(103)]), "Дорого, нет бюджета");
  EXPECT_EQ(ds.str(d.channel[row(102)]), "sip");
  EXPECT_EQ(ds.str(ds.users().name[1]), "Smith, John");
  EXPECT_EQ(ds.str(ds.users().name[0]), "Анна Иванова");
  EXPECT_EQ(ds.str(ds.users().group_name[ds.users().group[0]]), "Отдел продаж");
  EXPECT_EQ(ds.users().group[2], GroupIndex::kNone);
  EXPECT_EQ(ds.str(ds.pipelines().name[1]), "Partners, Inc");
  // Tags split on ';', trimmed, empty ones dropped.
  EXPECT_EQ(tags_of(ds, 101), (std::vector<std::string>{"VIP", "горячий"}));
  EXPECT_EQ(tags_of(ds, 110), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(tags_of(ds, 102).empty());
  // Optional ids, flags.
  EXPECT_EQ(d.contact_id[row(101)], 501);
  EXPECT_EQ(d.company_id[row(103)], kNoId);
  EXPECT_EQ(d.responsible[row(104)], UserIndex::kNone);
  EXPECT_EQ(ds.users().id[d.responsible[row(103)]], 3);
  EXPECT_EQ(d.deleted[row(104)], 1);
  EXPECT_EQ(d.deleted[row(103)], 0);  // "false"
  // Unsorted outcomes, events (created_by 0 = automation), JSON text kept as written.
  EXPECT_EQ(ds.unsorted().outcome,
            (std::vector<UnsortedOutcome>{UnsortedOutcome::accepted, UnsortedOutcome::declined, UnsortedOutcome::pending}));
  EXPECT_EQ(ds.unsorted().pipeline[1], PipelineIndex::kNone);
  EXPECT_EQ(ds.events().by_user[1], UserIndex::kNone);
  EXPECT_EQ(ds.events().value_after[1], "[{\"lead_status\":{\"id\":11,\"pipeline_id\":1}}]");
  EXPECT_EQ(ds.str(ds.tasks().type[2]), "письмо");
  EXPECT_EQ(ds.tasks().responsible[2], UserIndex::kNone);
}

TEST(CsvDirectory, GoodAccountStagesInFunnelOrder) {
  const Dataset& ds = good();
  const auto& pl = ds.pipelines();
  std::vector<std::int64_t> p1, p2;
  for (auto k = pl.stages_offset[0]; k < pl.stages_offset[1]; ++k) p1.push_back(ds.stages().id[pl.stages_ordered[k]]);
  for (auto k = pl.stages_offset[1]; k < pl.stages_offset[2]; ++k) p2.push_back(ds.stages().id[pl.stages_ordered[k]]);
  EXPECT_EQ(p1, (std::vector<std::int64_t>{10, 11, 12, 142, 143}));
  EXPECT_EQ(p2, (std::vector<std::int64_t>{21, 22, 142, 143}));
  auto s142 = ds.find_stage(PipelineIndex{1}, StageId{142});
  ASSERT_TRUE(s142.has_value());
  EXPECT_EQ(ds.stages().position[s142->value], 2u);
  EXPECT_EQ(ds.stages().kind[s142->value], StageKind::won);
}

TEST(CsvDirectory, GoodAccountPathsHandWorked) {
  const Dataset& ds = good();
  EXPECT_EQ(path_of(ds, 101), (std::vector<Entry>{{1, 10, 1704866400, false}, {1, 11, 1704952800, false}, {1, 12, 1705039200, false}}));
  EXPECT_EQ(testing::movers_of(ds, 101), (std::vector<std::int64_t>{1, 1, kNoId}));
  EXPECT_EQ(path_of(ds, 102), (std::vector<Entry>{{1, 142, 1705000000, false}}));
  EXPECT_EQ(path_of(ds, 103), (std::vector<Entry>{{1, 11, 1704956400, false}, {1, 12, 1705000000, false}, {1, 143, 1705300000, false}}));
  EXPECT_EQ(path_of(ds, 104), (std::vector<Entry>{{1, 11, 1704900000, false}}));
  EXPECT_EQ(path_of(ds, 105), (std::vector<Entry>{{1, 11, 1705000000, false}, {2, 21, 1705100000, false}, {2, 22, 1705200000, false}}));
  EXPECT_EQ(path_of(ds, 106), (std::vector<Entry>{{1, 11, 1705100000, false},
                                                  {1, 142, 1705200000, false},
                                                  {1, 12, 1705300000, false},
                                                  {1, 142, 1705400000, false}}));
  EXPECT_EQ(path_of(ds, 107), (std::vector<Entry>{{1, 10, 1705200000, false}, {1, 11, 1705300000, false}, {1, 143, 1705600000, true}}));
  EXPECT_EQ(path_of(ds, 108), (std::vector<Entry>{{1, 11, 1705250000, false}, {1, 12, 1705270000, false}}));
  EXPECT_EQ(path_of(ds, 109), (std::vector<Entry>{{1, 10, 1705260000, false}, {1, 11, 1705270000, false}, {1, 12, 1705270000, true}}));
  EXPECT_EQ(path_of(ds, 110), (std::vector<Entry>{{1, 11, 1705270000, false}}));
  EXPECT_EQ(path_of(ds, 111), (std::vector<Entry>{{1, 11, 1705698000, false}}));
}

// ---------------------------------------------------------------------------
// One bad file per rule: strict names file, row, field and value; lenient leaves the record out.

struct Expect {
  const char* rule;     // bad/<rule>.csv
  const char* file;     // the file it replaces, also the problem's source
  std::int64_t line;    // 1-based, header = 1
  const char* field;    // column
  const char* value;    // value as reported
  const char* message;  // a piece of the message
};

void check_bad(const Expect& e) {
  SCOPED_TRACE(e.rule);
  GoodCopy copy;
  fs::copy_file(csv_fixture("bad") / (std::string(e.rule) + ".csv"), copy.dir.path() / e.file,
                fs::copy_options::overwrite_existing);
  try {
    load_csv_directory(copy.dir.str(), ValidationPolicy::strict);
    ADD_FAILURE() << "strict load did not throw";
  } catch (const Error& err) {
    EXPECT_EQ(err.code(), ErrorCode::invalid_data);
    EXPECT_EQ(err.problem().source, e.file);
    EXPECT_EQ(err.problem().row, e.line);
    EXPECT_EQ(err.problem().field, e.field);
    EXPECT_EQ(err.problem().value, e.value);
    EXPECT_NE(err.problem().message.find(e.message), std::string::npos) << err.problem().message;
    EXPECT_NE(std::string(err.what()).find(std::string(e.file) + ":" + std::to_string(e.line) + ":" + e.field),
              std::string::npos)
        << err.what();
  }
  BuildResult r = load_csv_directory(copy.dir.str(), ValidationPolicy::lenient);
  ASSERT_EQ(r.problems.size(), 1u);
  for (const auto& p : r.problems) {
    EXPECT_EQ(p.source, e.file);
    EXPECT_EQ(p.row, e.line);
    EXPECT_EQ(p.field, e.field);
    EXPECT_EQ(p.value, e.value);
  }
  // Every good record kept, the bad one left out: the same data as the good account.
  testing::expect_same_dataset(good(), *r.dataset);
}

TEST(CsvDirectory, UnknownPipelineInDealNamesRowAndField) {
  check_bad({"unknown_pipeline.deals", "deals.csv", 14, "pipeline_id", "9", "unknown pipeline"});
}
TEST(CsvDirectory, UnknownPipelineInStageNamesRowAndField) {
  check_bad({"unknown_pipeline.stages", "stages.csv", 11, "pipeline_id", "9", "unknown pipeline"});
}
TEST(CsvDirectory, UnknownStageNamesRowAndField) {
  check_bad({"unknown_stage.deals", "deals.csv", 14, "stage_id", "99", "unknown stage"});
}
TEST(CsvDirectory, StageOfAnotherPipelineNamesRowAndField) {
  check_bad({"stage_other_pipeline.deals", "deals.csv", 14, "stage_id", "21", "does not belong"});
}
TEST(CsvDirectory, ClosedAtOnActiveDealNamesRowAndField) {
  check_bad({"closed_on_active.deals", "deals.csv", 14, "closed_at", "1705100000", "active"});
}
TEST(CsvDirectory, ClosedAtMissingOnClosedDealNamesRowAndField) {
  check_bad({"closed_missing.deals", "deals.csv", 14, "closed_at", "", "missing"});
}
TEST(CsvDirectory, ClosedBeforeCreatedNamesRowAndField) {
  check_bad({"closed_before_created.deals", "deals.csv", 14, "closed_at", "1704000000", "before"});
}
TEST(CsvDirectory, StageChangeBeforeCreationNamesRowAndField) {
  check_bad({"change_before_creation.stage_changes", "stage_changes.csv", 22, "at", "1704800000", "before"});
}
TEST(CsvDirectory, StageChangeOfUnknownDealNamesRowAndField) {
  check_bad({"change_unknown_deal.stage_changes", "stage_changes.csv", 22, "deal_id", "999", "unknown deal"});
}
TEST(CsvDirectory, StageChangeToStageNotInPipelineNamesRowAndField) {
  check_bad({"change_stage_not_in_pipeline.stage_changes", "stage_changes.csv", 22, "to_stage_id", "21",
             "not in pipeline"});
}
TEST(CsvDirectory, DuplicateDealIdNamesRowAndField) {
  check_bad({"duplicate_deal.deals", "deals.csv", 14, "id", "101", "duplicate"});
}
TEST(CsvDirectory, DuplicateUserIdNamesRowAndField) {
  check_bad({"duplicate_user.users", "users.csv", 5, "id", "2", "duplicate"});
}
TEST(CsvDirectory, DuplicatePipelineIdNamesRowAndField) {
  check_bad({"duplicate_pipeline.pipelines", "pipelines.csv", 4, "id", "1", "duplicate"});
}
TEST(CsvDirectory, DuplicateStageIdInPipelineNamesRowAndField) {
  check_bad({"duplicate_stage.stages", "stages.csv", 11, "id", "11", "duplicate"});
}
TEST(CsvDirectory, DuplicateTaskIdNamesRowAndField) {
  check_bad({"duplicate_task.tasks", "tasks.csv", 5, "id", "302", "duplicate"});
}
TEST(CsvDirectory, NegativeBudgetNamesRowAndField) {
  check_bad({"negative_budget.deals", "deals.csv", 14, "budget", "-5.00", "negative"});
}
TEST(CsvDirectory, TimestampBefore1970NamesRowAndField) {
  check_bad({"time_before_1970.deals", "deals.csv", 14, "created_at", "1969-12-31T23:00:00Z", "out of range"});
}
TEST(CsvDirectory, TimestampAfter2100NamesRowAndField) {
  check_bad({"time_after_2100.stage_changes", "stage_changes.csv", 22, "at", "2100-01-02T00:00:00Z", "out of range"});
}
TEST(CsvDirectory, UnknownResponsibleUserNamesRowAndField) {
  check_bad({"unknown_user.deals", "deals.csv", 14, "responsible_user_id", "77", "unknown user"});
}
TEST(CsvDirectory, UnknownMovingUserNamesRowAndField) {
  check_bad({"unknown_user.stage_changes", "stage_changes.csv", 22, "by_user_id", "77", "unknown user"});
}
TEST(CsvDirectory, MalformedIdNamesColumn) {
  check_bad({"malformed_id.deals", "deals.csv", 14, "id", "20x1", "not an integer"});
}
TEST(CsvDirectory, MalformedTimestampNamesColumn) {
  check_bad({"malformed_time.deals", "deals.csv", 14, "created_at", "2024-13-01", "not a timestamp"});
}
TEST(CsvDirectory, MoneyWithDecimalCommaNamesColumn) {
  check_bad({"malformed_money_comma.deals", "deals.csv", 14, "budget", "12,5", "decimal"});
}
TEST(CsvDirectory, MoneyAsTextNamesColumn) {
  check_bad({"malformed_money_text.deals", "deals.csv", 14, "budget", "abc", "decimal"});
}
TEST(CsvDirectory, MalformedStageKindNamesColumn) {
  check_bad({"malformed_kind.stages", "stages.csv", 11, "kind", "winning", "kind"});
}

TEST(CsvDirectory, MissingRequiredColumnNamesFileAndColumn) {
  for (auto policy : {ValidationPolicy::strict, ValidationPolicy::lenient}) {
    GoodCopy copy;
    fs::copy_file(csv_fixture("bad") / "missing_column.deals.csv", copy.dir.path() / "deals.csv",
                  fs::copy_options::overwrite_existing);
    try {
      load_csv_directory(copy.dir.str(), policy);
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::parse);
      EXPECT_EQ(e.problem().source, "deals.csv");
      EXPECT_EQ(e.problem().field, "stage_id");
      EXPECT_EQ(e.problem().row, 1);
    }
  }
}

TEST(CsvDirectory, MissingRequiredFileNamesFile) {
  for (const char* file : {"pipelines.csv", "stages.csv", "deals.csv"}) {
    GoodCopy copy;
    fs::remove(copy.dir.path() / file);
    try {
      load_csv_directory(copy.dir.str(), ValidationPolicy::lenient);
      ADD_FAILURE() << "no error without " << file;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::io);
      EXPECT_EQ(fs::path(e.problem().source).filename(), file);
    }
  }
}

TEST(CsvDirectory, OptionalFilesMayBeAbsent) {
  GoodCopy copy;
  for (const char* file : {"account.csv", "users.csv", "stage_changes.csv", "tasks.csv", "contacts.csv", "companies.csv",
                           "customers.csv", "invoices.csv", "purchases.csv", "unsorted.csv", "events.csv"})
    fs::remove(copy.dir.path() / file);
  // Without users.csv the deals' responsible users are unknown: keep only columns that need nothing else.
  spit(copy.dir.path() / "deals.csv", "id,pipeline_id,stage_id,created_at\n1,1,11,2024-01-10T09:00\n");
  auto r = load_csv_directory(copy.dir.str());
  EXPECT_EQ(r.dataset->deals().size(), 1u);
  EXPECT_EQ(r.dataset->account().time_zone.name(), "UTC");
  EXPECT_EQ(r.dataset->deals().created_at[0], 1704877200);  // UTC without account.csv
  EXPECT_EQ(path_of(*r.dataset, 1), (std::vector<Entry>{{1, 11, 1704877200, false}}));
}

TEST(CsvDirectory, NotADirectoryIsIoError) {
  TempDir dir("csvdir_none");
  try {
    load_csv_directory((dir.path() / "nope").string());
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
  }
}

TEST(CsvDirectory, ColumnsInAnyOrderExtraColumnsIgnored) {
  GoodCopy copy;
  spit(copy.dir.path() / "deals.csv",
       "Extra,CREATED_AT,stage_id,id,pipeline_id,budget\nx,1705000000,11,7,1,3.5\n");
  spit(copy.dir.path() / "stage_changes.csv", "deal_id,at,to_stage_id\n");
  auto r = load_csv_directory(copy.dir.str());
  ASSERT_EQ(r.dataset->deals().size(), 1u);
  EXPECT_EQ(r.dataset->deals().id[0], 7);
  EXPECT_EQ(r.dataset->deals().budget_minor[0], 350);
}

TEST(CsvDirectory, LenientCellProblemsListedBeforeValidationProblems) {
  GoodCopy copy;
  std::string deals = slurp(copy.dir.path() / "deals.csv");
  deals += "abc,1,11,1705000000,,1,1,Bad,,,,,,0\n";   // line 14: cell problem
  deals += "202,1,11,1705000000,,1,77,Bad,,,,,,0\n";  // line 15: unknown user
  spit(copy.dir.path() / "deals.csv", deals);
  auto r = load_csv_directory(copy.dir.str(), ValidationPolicy::lenient);
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].row, 14);
  EXPECT_EQ(r.problems[0].field, "id");
  EXPECT_EQ(r.problems[1].row, 15);
  EXPECT_EQ(r.problems[1].field, "responsible_user_id");
  testing::expect_same_dataset(good(), *r.dataset);
}

TEST(CsvDirectory, CellProblemsInDealsAndStageChangesKeepFileOrder) {
  // deals.csv and stage_changes.csv are read on two threads; problems still come in file order (deals
  // first), and under the strict policy the deals.csv problem is the one thrown.
  GoodCopy copy;
  std::string deals = slurp(copy.dir.path() / "deals.csv");
  deals += "abc,1,11,1705000000,,1,1,Bad,,,,,,0\n";  // line 14: malformed id
  spit(copy.dir.path() / "deals.csv", deals);
  std::string changes = slurp(copy.dir.path() / "stage_changes.csv");
  changes += "101,yesterday,,10,,11,1\n";  // line 22: malformed timestamp
  changes += "1o1,1704952800,,10,,11,1\n";  // line 23: malformed deal id
  spit(copy.dir.path() / "stage_changes.csv", changes);
  auto r = load_csv_directory(copy.dir.str(), ValidationPolicy::lenient);
  std::vector<std::tuple<std::string, std::int64_t, std::string>> where;
  for (const auto& p : r.problems) where.emplace_back(p.source, p.row, p.field);
  EXPECT_EQ(where, (std::vector<std::tuple<std::string, std::int64_t, std::string>>{
                       {"deals.csv", 14, "id"}, {"stage_changes.csv", 22, "at"}, {"stage_changes.csv", 23, "deal_id"}}));
  testing::expect_same_dataset(good(), *r.dataset);
  try {
    load_csv_directory(copy.dir.str(), ValidationPolicy::strict);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.problem().source, "deals.csv");
    EXPECT_EQ(e.problem().row, 14);
    EXPECT_EQ(e.problem().field, "id");
  }
}

TEST(CsvDirectory, LenientDealLeftOutTakesItsStageChangesWithIt) {
  GoodCopy copy;
  std::string deals = slurp(copy.dir.path() / "deals.csv");
  // Deal 101 gets a malformed budget: its three stage changes (lines 2-4) go too, each listed.
  const auto at = deals.find("1500.50");
  deals.replace(at, 7, "15oo");
  spit(copy.dir.path() / "deals.csv", deals);
  auto r = load_csv_directory(copy.dir.str(), ValidationPolicy::lenient);
  ASSERT_EQ(r.problems.size(), 4u);
  EXPECT_EQ(r.problems[0].source, "deals.csv");
  EXPECT_EQ(r.problems[0].row, 2);
  EXPECT_EQ(r.problems[0].field, "budget");
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(r.problems[i].source, "stage_changes.csv");
    EXPECT_EQ(r.problems[i].row, i + 1);
    EXPECT_EQ(r.problems[i].field, "deal_id");
  }
  EXPECT_FALSE(r.dataset->find_deal(DealId{101}).has_value());
  EXPECT_EQ(r.dataset->deals().size(), 10u);
}

TEST(CsvDirectory, BadAccountValueNamesKey) {
  GoodCopy copy;
  spit(copy.dir.path() / "account.csv", "key,value\ncurrency,EUR\ntime_zone,Mars/Olympus\n");
  try {
    load_csv_directory(copy.dir.str());
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_data);
    EXPECT_EQ(e.problem().source, "account.csv");
    EXPECT_EQ(e.problem().row, 3);
    EXPECT_EQ(e.problem().field, "time_zone");
    EXPECT_EQ(e.problem().value, "Mars/Olympus");
  }
}

TEST(CsvDirectory, AccountFixedOffsetAndFirstDay) {
  GoodCopy copy;
  spit(copy.dir.path() / "account.csv", "key,value\ntime_zone,+05:00\nfirst_day_of_week,sunday\n");
  auto r = load_csv_directory(copy.dir.str());
  EXPECT_EQ(r.dataset->account().first_day_of_week, Weekday::sunday);
  // 2024-01-10T09:00 local at +05:00.
  EXPECT_EQ(r.dataset->deals().created_at[0], 1704859200);
}

// ---------------------------------------------------------------------------
// Writing

TEST(CsvDirectory, WriteThenReadGivesIdenticalColumns) {
  TempDir out("csvdir_out");
  write_csv_directory(good(), out.str());
  auto back = load_csv_directory(out.str());
  EXPECT_TRUE(back.problems.empty());
  testing::expect_same_dataset(good(), *back.dataset);
}

TEST(CsvDirectory, WritingTwiceGivesTheSameBytes) {
  TempDir a("csvdir_a"), b("csvdir_b");
  write_csv_directory(good(), a.str());
  write_csv_directory(*load_csv_directory(a.str()).dataset, b.str());
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(a.path())) {
    ++files;
    EXPECT_EQ(slurp(e.path()), slurp(b.path() / e.path().filename())) << e.path().filename();
  }
  EXPECT_EQ(files, 14u);
}

TEST(CsvDirectory, WrittenFilesUseDocumentedSpellings) {
  TempDir out("csvdir_out");
  write_csv_directory(good(), out.str());
  const std::string stages = slurp(out.path() / "stages.csv");
  EXPECT_NE(stages.find("1,10,Неразобранное,5,unsorted\n"), std::string::npos) << stages;
  const std::string deals = slurp(out.path() / "deals.csv");
  EXPECT_NE(deals.find("101,1,12,1704866400,,1500.50,1,\"Сделка \"\"Ромашка\"\"\",forms,VIP;горячий,,501,601,0\n"),
            std::string::npos)
      << deals;
  const std::string account = slurp(out.path() / "account.csv");
  EXPECT_NE(account.find("time_zone,Europe/Moscow\n"), std::string::npos) << account;
}

TEST(CsvDirectory, WriteKeepsCreationRecordMover) {
  // A one-entry path made by a creation record with a user keeps that user through a round trip.
  GoodCopy copy;
  spit(copy.dir.path() / "stage_changes.csv", "deal_id,at,to_stage_id,by_user_id\n110,1705270000,11,2\n");
  auto first = load_csv_directory(copy.dir.str());
  EXPECT_EQ(testing::movers_of(*first.dataset, 110), (std::vector<std::int64_t>{2}));
  TempDir out("csvdir_out");
  write_csv_directory(*first.dataset, out.str());
  auto back = load_csv_directory(out.str());
  testing::expect_same_dataset(*first.dataset, *back.dataset);
}

TEST(CsvDirectory, MinorDigitsOfTheCurrencyRoundTrip) {
  GoodCopy copy;
  spit(copy.dir.path() / "account.csv", "key,value\ncurrency,JPY\ncurrency_minor_digits,0\n");
  auto first = load_csv_directory(copy.dir.str());
  const auto& d = first.dataset->deals();
  EXPECT_EQ(d.budget_minor[0], 1501);  // "1500.50" rounds half away from zero to whole yen
  EXPECT_EQ(d.budget_minor[1], 2000);
  TempDir out("csvdir_out");
  write_csv_directory(*first.dataset, out.str());
  const std::string deals = slurp(out.path() / "deals.csv");
  EXPECT_NE(deals.find("102,1,142,1704870000,1705000000,2000,2,"), std::string::npos) << deals;
  auto back = load_csv_directory(out.str());
  testing::expect_same_dataset(*first.dataset, *back.dataset);
}

}  // namespace
}  // namespace dealstat
