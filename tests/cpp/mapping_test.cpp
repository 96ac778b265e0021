// Tests of load_mapped_export (include/dealstat/io/mapping.hpp): the small
// hand-written exports under tests/data/mapping/ and the two real exports in
// shared/data, loaded through examples/mappings/. Expected figures of the
// real exports were worked out with awk on the CSV files (each literal says
// how), never taken from dealstat's own output.
#include "dealstat/io/mapping.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

using dealstat::BuildResult;
using dealstat::Dataset;
using dealstat::Error;
using dealstat::StageKind;
using dealstat::ValidationPolicy;
namespace fs = std::filesystem;

const std::string kFixtures = std::string(DEALSTAT_TEST_DATA_DIR) + "/mapping";
const std::string kMappings = std::string(DEALSTAT_SOURCE_DIR) + "/examples/mappings";

// shared/data: the compile-time guess, then $DEALSTAT_SHARED_DATA, then /work/shared/data.
std::string shared_data() {
  std::vector<std::string> candidates{DEALSTAT_SHARED_DATA_DIR};
  if (const char* env = std::getenv("DEALSTAT_SHARED_DATA")) candidates.insert(candidates.begin() + 1, env);
  candidates.emplace_back("/work/shared/data");
  for (const auto& c : candidates)
    if (fs::is_directory(fs::path(c) / "maven-crm")) return c;
  return {};
}

std::string name_of_stage(const Dataset& ds, std::uint32_t stage) { return std::string(ds.str(ds.stages().name[stage])); }

std::int64_t deal_row(const Dataset& ds, std::int64_t id) {
  auto r = ds.find_deal(dealstat::DealId{id});
  return r ? static_cast<std::int64_t>(r->value) : -1;
}

std::vector<std::string> path_names(const Dataset& ds, std::int64_t row) {
  std::vector<std::string> out;
  for (auto s : ds.paths().path(static_cast<std::size_t>(row)).stage) out.push_back(name_of_stage(ds, s));
  return out;
}

std::vector<std::string> tags_of(const Dataset& ds, std::size_t row) {
  std::vector<std::string> out;
  const auto& d = ds.deals();
  for (auto i = d.tags_offset[row]; i < d.tags_offset[row + 1]; ++i) out.emplace_back(ds.str(d.tags[i]));
  return out;
}

// ---------------------------------------------------------------------------
// Hand-written fixtures

TEST(MappingSnapshot, TextIdsGetDenseIdsAndKeepTheirName) {
  BuildResult r = dealstat::load_mapped_export(kFixtures + "/snapshot_good", kFixtures + "/snapshot.json");
  const Dataset& ds = *r.dataset;
  EXPECT_TRUE(r.problems.empty());
  ASSERT_EQ(ds.deals().size(), 4u);
  const char* names[] = {"A1X", "B2Y", "C3Z", "D4W"};
  for (std::int64_t id = 1; id <= 4; ++id) {
    auto row = deal_row(ds, id);
    ASSERT_GE(row, 0);
    EXPECT_EQ(ds.str(ds.deals().name[static_cast<std::size_t>(row)]), names[id - 1]);
  }
}

TEST(MappingSnapshot, StagesBudgetsAndDates) {
  BuildResult r = dealstat::load_mapped_export(kFixtures + "/snapshot_good", kFixtures + "/snapshot.json");
  const Dataset& ds = *r.dataset;
  const auto& d = ds.deals();
  auto won = static_cast<std::size_t>(deal_row(ds, 1));
  EXPECT_EQ(ds.deal_kind(won), StageKind::won);
  EXPECT_EQ(d.budget_minor[won], 10050);           // "100.50"
  EXPECT_EQ(d.closed_at[won], 1706745600);         // 2024-02-01 UTC
  auto open = static_cast<std::size_t>(deal_row(ds, 4));
  EXPECT_EQ(d.budget_minor[open], 25000);          // no value: list price of "Gadget Pro" (alias of GadgetPro)
  EXPECT_EQ(tags_of(ds, open), std::vector<std::string>{"Gadget Pro"});
  EXPECT_EQ(d.closed_at[open], dealstat::kNoTime);
  // C3Z has no engage date: created at the earliest one (B2Y's 2024-01-05) and tagged.
  auto prospect = static_cast<std::size_t>(deal_row(ds, 3));
  EXPECT_EQ(d.created_at[prospect], 1704412800);
  EXPECT_EQ(tags_of(ds, prospect), (std::vector<std::string>{"Widget", "no engage date"}));
  EXPECT_EQ(d.budget_minor[prospect], 9999);       // list price of Widget
  EXPECT_EQ(path_names(ds, static_cast<std::int64_t>(prospect)), std::vector<std::string>{"Prospecting"});
}

TEST(MappingSnapshot, UsersByNameWithGroupsAndUnknownOwnersCreated) {
  BuildResult r = dealstat::load_mapped_export(kFixtures + "/snapshot_good", kFixtures + "/snapshot.json");
  const Dataset& ds = *r.dataset;
  const auto& u = ds.users();
  ASSERT_EQ(u.size(), 3u);  // Ann, Bob from users.csv; Carl only in deals.csv
  std::map<std::string, std::string> group;
  for (std::size_t i = 0; i < u.size(); ++i)
    group[std::string(ds.str(u.name[i]))] =
        u.group[i] == dealstat::UserIndex::kNone ? "" : std::string(ds.str(u.group_name[u.group[i]]));
  EXPECT_EQ(group["Ann"], "Mia");
  EXPECT_EQ(group["Bob"], "Mia");
  EXPECT_EQ(group["Carl"], "");
  auto carl = ds.deals().responsible[static_cast<std::size_t>(deal_row(ds, 4))];
  EXPECT_EQ(u.id[carl], 3);  // next id after the users file's 1..2
}

TEST(MappingSnapshot, BadDateNamesFileLineColumnAndValue) {
  try {
    dealstat::load_mapped_export(kFixtures + "/snapshot_bad", kFixtures + "/snapshot.json");
    FAIL() << "strict load should throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), dealstat::ErrorCode::invalid_data);
    EXPECT_EQ(e.problem().source, "deals.csv");
    EXPECT_EQ(e.problem().row, 3);
    EXPECT_EQ(e.problem().field, "engaged");
    EXPECT_EQ(e.problem().value, "2024-13-45");
  }
}

TEST(MappingSnapshot, LenientKeepsGoodRowsAndListsBadOnes) {
  BuildResult r =
      dealstat::load_mapped_export(kFixtures + "/snapshot_bad", kFixtures + "/snapshot.json", ValidationPolicy::lenient);
  const Dataset& ds = *r.dataset;
  EXPECT_EQ(ds.deals().size(), 2u);  // A1X and D4W
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].row, 3);
  EXPECT_EQ(r.problems[1].source, "deals.csv");
  EXPECT_EQ(r.problems[1].row, 4);
  EXPECT_EQ(r.problems[1].field, "stage");
  EXPECT_EQ(r.problems[1].value, "Negotiation");
  EXPECT_NE(r.problems[1].message.find("not in the mapping"), std::string::npos);
}

TEST(MappingChangeLog, PathsOwnersLossAndCreation) {
  BuildResult r = dealstat::load_mapped_export(kFixtures + "/change_log", kFixtures + "/change_log.json");
  const Dataset& ds = *r.dataset;
  const auto& d = ds.deals();
  ASSERT_EQ(d.size(), 3u);
  auto ten = deal_row(ds, 10);
  ASSERT_GE(ten, 0);
  auto t = static_cast<std::size_t>(ten);
  EXPECT_EQ(path_names(ds, ten), (std::vector<std::string>{"New", "Proposal", "Lost"}));
  EXPECT_EQ(d.created_at[t], 1709283600);  // 2024-03-01 09:00 UTC
  EXPECT_EQ(d.closed_at[t], 1709974800);   // the lost row, 2024-03-09 09:00
  EXPECT_EQ(ds.str(d.loss_reason[t]), "Too expensive");
  EXPECT_EQ(ds.users().id[d.responsible[t]], 8);                 // the last owner row
  EXPECT_EQ(ds.str(ds.users().name[d.responsible[t]]), "user 8");  // not in users.csv: placeholder
  // Stage entry times: created at add_time in the first stage row's stage.
  auto p = ds.paths().path(t);
  EXPECT_EQ(p.entered_at[0], 1709283600);
  EXPECT_EQ(p.entered_at[1], 1709629200);
}

TEST(MappingChangeLog, StageChangeBeforeAddTimeMovesCreation) {
  BuildResult r = dealstat::load_mapped_export(kFixtures + "/change_log", kFixtures + "/change_log.json");
  const Dataset& ds = *r.dataset;
  auto row = deal_row(ds, 20);
  EXPECT_EQ(ds.deals().created_at[static_cast<std::size_t>(row)], 1709546400);  // the stage row at 2024-03-04 10:00
  EXPECT_EQ(path_names(ds, row), (std::vector<std::string>{"New", "Qualified"}));
  EXPECT_EQ(ds.deal_kind(static_cast<std::size_t>(row)), StageKind::open);
}

TEST(MappingChangeLog, RepeatedAddTimeTakesTheEarliest) {
  BuildResult r = dealstat::load_mapped_export(kFixtures + "/change_log", kFixtures + "/change_log.json");
  const Dataset& ds = *r.dataset;
  auto row = deal_row(ds, 30);
  EXPECT_EQ(ds.deals().created_at[static_cast<std::size_t>(row)], 1709280000);  // 2024-03-01 08:00, file line 13
  EXPECT_EQ(path_names(ds, row), (std::vector<std::string>{"New", "Qualified"}));
}

TEST(MappingChangeLog, OwnerChangesGoToTheEventLog) {
  BuildResult r = dealstat::load_mapped_export(kFixtures + "/change_log", kFixtures + "/change_log.json");
  const Dataset& ds = *r.dataset;
  const auto& e = ds.events();
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(ds.str(e.type[0]), "entity_responsible_changed");
  EXPECT_EQ(ds.str(e.entity_type[0]), "lead");
  EXPECT_EQ(e.entity_id[0], 10);
  EXPECT_EQ(e.value_before[0], "");
  EXPECT_EQ(e.value_after[0], R"([{"responsible_user":{"id":7}}])");
  EXPECT_EQ(e.value_before[1], R"([{"responsible_user":{"id":7}}])");
  EXPECT_EQ(e.value_after[1], R"([{"responsible_user":{"id":8}}])");
}

TEST(MappingChangeLog, TasksFromActivities) {
  BuildResult r = dealstat::load_mapped_export(kFixtures + "/change_log", kFixtures + "/change_log.json");
  const auto& t = r.dataset->tasks();
  ASSERT_EQ(t.size(), 2u);  // both rows have activity id 5: ids are dense 1, 2
  EXPECT_EQ(t.id[0], 1);
  EXPECT_EQ(t.id[1], 2);
  EXPECT_EQ(t.created_at[0], 1709553600);    // no created time: the due time, 2024-03-04 12:00
  EXPECT_EQ(t.completed_at[0], 1709553600);  // done: completed at the due time
  EXPECT_EQ(t.completed_at[1], dealstat::kNoTime);
  EXPECT_EQ(t.entity_id[1], 20);
}

TEST(MappingChangeLog, BadTimeAndUnknownStage) {
  try {
    dealstat::load_mapped_export(kFixtures + "/change_log_bad", kFixtures + "/change_log.json");
    FAIL() << "strict load should throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.problem().source, "changes.csv");
    EXPECT_EQ(e.problem().row, 4);
    EXPECT_EQ(e.problem().field, "time");
    EXPECT_EQ(e.problem().value, "2024-03-0X 09:00:00");
  }
  BuildResult r = dealstat::load_mapped_export(kFixtures + "/change_log_bad", kFixtures + "/change_log.json",
                                               ValidationPolicy::lenient);
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[1].row, 5);
  EXPECT_EQ(r.problems[1].field, "value");
  EXPECT_EQ(r.problems[1].value, "42");
  ASSERT_EQ(r.dataset->deals().size(), 1u);
  EXPECT_EQ(path_names(*r.dataset, 0), std::vector<std::string>{"New"});
}

TEST(MappingFile, UnknownKeyIsNamedWithItsPath) {
  const fs::path tmp = fs::temp_directory_path() / "dealstat_mapping_test_bad.json";
  {
    std::ofstream out(tmp);
    out << R"({"layout": "snapshot", "stages": [{"name": "A"}],
               "files": {"deals": {"file": "deals.csv", "colums": {}}}})";
  }
  try {
    dealstat::load_mapped_export(kFixtures + "/snapshot_good", tmp.string());
    FAIL() << "should throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), dealstat::ErrorCode::invalid_option);
    EXPECT_EQ(e.problem().field, "files.deals.colums");
  }
  fs::remove(tmp);
}

// ---------------------------------------------------------------------------
// Real exports

class MappingReal : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = shared_data();
    if (dir_.empty()) GTEST_SKIP() << "shared/data not found (set DEALSTAT_SHARED_DATA)";
  }
  std::string dir_;
};

TEST_F(MappingReal, MavenCrmLoadsEveryOpportunity) {
  BuildResult r = dealstat::load_mapped_export(dir_ + "/maven-crm", kMappings + "/maven-crm.json");
  const Dataset& ds = *r.dataset;
  EXPECT_TRUE(r.problems.empty());
  // awk -F, 'NR>1{print $5}' sales_pipeline.csv | sort | uniq -c
  ASSERT_EQ(ds.deals().size(), 8800u);
  std::map<std::string, int> by_stage;
  std::int64_t won_minor = 0, open_minor = 0;
  int tagged = 0;
  for (std::size_t i = 0; i < ds.deals().size(); ++i) {
    by_stage[name_of_stage(ds, ds.deals().stage[i])]++;
    if (ds.deal_kind(i) == StageKind::won) won_minor += ds.deals().budget_minor[i];
    if (ds.deal_kind(i) == StageKind::open) open_minor += ds.deals().budget_minor[i];
    for (const auto& t : tags_of(ds, i)) tagged += t == "no engage_date" ? 1 : 0;
  }
  EXPECT_EQ(by_stage["Won"], 4238);
  EXPECT_EQ(by_stage["Lost"], 2473);
  EXPECT_EQ(by_stage["Engaging"], 1589);
  EXPECT_EQ(by_stage["Prospecting"], 500);
  // awk -F, 'NR>1 && $5=="Won"{s+=$8} END{print s}' sales_pipeline.csv  -> 10005534 dollars
  EXPECT_EQ(won_minor, 1000553400);
  // Open deals' list prices: awk join of products.csv (GTXPro -> "GTX Pro") over Engaging+Prospecting rows -> 4966215
  EXPECT_EQ(open_minor, 496621500);
  // Prospecting rows have no engage_date (awk: 500 rows with empty $6, all Prospecting): kept and tagged.
  EXPECT_EQ(tagged, 500);
  // The first opportunity keeps its id as name; the earliest engage_date is 2016-10-20 (sort of $6).
  EXPECT_EQ(ds.str(ds.deals().name[static_cast<std::size_t>(deal_row(ds, 1))]), "1C1I7A6R");
  std::int64_t earliest = INT64_MAX;
  for (auto c : ds.deals().created_at) earliest = std::min(earliest, c);
  EXPECT_EQ(earliest, 1476921600);  // 2016-10-20 UTC
}

TEST_F(MappingReal, MavenCrmUsersAndGroups) {
  BuildResult r = dealstat::load_mapped_export(dir_ + "/maven-crm", kMappings + "/maven-crm.json");
  const Dataset& ds = *r.dataset;
  // wc -l sales_teams.csv -> 36 lines = 35 agents; 30 of them have deals (awk $2 of sales_pipeline | sort -u)
  EXPECT_EQ(ds.users().size(), 35u);
  std::set<std::string> groups;
  for (auto g : ds.users().group_name) groups.emplace(ds.str(g));
  // awk -F, 'NR>1{print $2}' sales_teams.csv | sort -u -> 6 managers
  EXPECT_EQ(groups, (std::set<std::string>{"Cara Losch", "Celia Rouche", "Dustin Brinkmann", "Melvin Marxen",
                                           "Rocco Neubert", "Summer Sewald"}));
  std::set<std::uint32_t> owners(ds.deals().responsible.begin(), ds.deals().responsible.end());
  EXPECT_EQ(owners.size(), 30u);
  EXPECT_EQ(owners.count(dealstat::UserIndex::kNone), 0u);
}

TEST_F(MappingReal, EnpalPipelineRebuildsHistory) {
  BuildResult r = dealstat::load_mapped_export(dir_ + "/enpal-pipeline", kMappings + "/enpal-pipeline.json");
  const Dataset& ds = *r.dataset;
  EXPECT_TRUE(r.problems.empty());
  // awk -F, 'NR>1{print $1}' deal_changes.csv | sort -u | wc -l
  ASSERT_EQ(ds.deals().size(), 1995u);
  // Observed reach: awk -F, 'NR>1 && $3=="stage_id"{print $1","$4}' deal_changes.csv | sort -u, counted per stage;
  // lost: every deal's latest row (by change_time) is a lost_reason row (awk, 1995 of 1995).
  const std::map<std::string, int> expected{
      {"Lead Generation", 1995}, {"Qualified lead", 1479}, {"Needs Assessment", 1305},
      {"Proposal/Quote Preparation", 1086}, {"Negotiation", 894}, {"Closing", 741},
      {"Implementation/Onboarding", 588}, {"Follow-up/Customer Success", 479}, {"Renewal/Expansion", 324},
      {"Lost", 1995}};
  std::map<std::string, int> reached;
  int lost = 0;
  for (std::size_t i = 0; i < ds.deals().size(); ++i) {
    std::set<std::string> seen;
    for (auto s : ds.paths().path(i).stage) seen.insert(name_of_stage(ds, s));
    for (const auto& s : seen) reached[s]++;
    lost += ds.deal_kind(i) == StageKind::lost ? 1 : 0;
  }
  EXPECT_EQ(reached, expected);
  EXPECT_EQ(lost, 1995);
  // Owner changes: awk -F, 'NR>1 && $3=="user_id"' deal_changes.csv | wc -l -> 2500 events
  EXPECT_EQ(ds.events().size(), 2500u);
  // Tasks: wc -l activity.csv -> 4580 lines = 4579 activities (11 activity ids repeat; ids are dense);
  // awk '$5=="True"' -> 2290 done.
  ASSERT_EQ(ds.tasks().size(), 4579u);
  int done = 0;
  for (auto c : ds.tasks().completed_at) done += c != dealstat::kNoTime ? 1 : 0;
  EXPECT_EQ(done, 2290);
  // users.csv has 1787 users and every user_id / assigned_to_user is among them (comm): no placeholders.
  EXPECT_EQ(ds.users().size(), 1787u);
}

TEST_F(MappingReal, EnpalDealDetails) {
  BuildResult r = dealstat::load_mapped_export(dir_ + "/enpal-pipeline", kMappings + "/enpal-pipeline.json");
  const Dataset& ds = *r.dataset;
  // grep '^881836,' deal_changes.csv: add_time 2024-04-09 21:32:09, owners 1463 then 1728,
  // stages 1,2,3,4,6, lost_reason 5 (fields.csv: "Duplicate Entry") at 2024-07-16 21:32:09.
  auto row = deal_row(ds, 881836);
  ASSERT_GE(row, 0);
  auto i = static_cast<std::size_t>(row);
  EXPECT_EQ(ds.deals().created_at[i], 1712698329);
  EXPECT_EQ(ds.deals().closed_at[i], 1721165529);
  EXPECT_EQ(ds.users().id[ds.deals().responsible[i]], 1728);
  EXPECT_EQ(ds.str(ds.deals().loss_reason[i]), "Duplicate Entry");
  EXPECT_EQ(path_names(ds, row),
            (std::vector<std::string>{"Lead Generation", "Qualified lead", "Needs Assessment",
                                      "Proposal/Quote Preparation", "Closing", "Lost"}));
  // Two add_time rows (awk: 5 deals): 851850 (2024-02-16 21:45:41 and 2024-06-09) and 554294
  // (2024-08-13 and 2024-07-09 01:32:03): created at the earliest.
  EXPECT_EQ(ds.deals().created_at[static_cast<std::size_t>(deal_row(ds, 851850))], 1708119941);
  EXPECT_EQ(ds.deals().created_at[static_cast<std::size_t>(deal_row(ds, 554294))], 1720488723);
}

}  // namespace
