// Tests for dealstat/io/amocrm.hpp: the hand-written fixture export under
// tests/data/amocrm/basic loads into exactly the dataset spelled out here
// (docs/amocrm.md gives each rule); malformed JSON, wrong types and unknown
// stage ids name the file, the JSON path and the value; the sample account
// written as JSON and read back equals the same account through CSV.
#include "dealstat/io/amocrm.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "dealstat/io/csv_directory.hpp"
#include "dealstat/io/sample_generator.hpp"

namespace ds = dealstat;
namespace fs = std::filesystem;

namespace {

const std::string kBasic = std::string(DEALSTAT_TEST_DATA_DIR) + "/amocrm/basic";
constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// A fresh temporary folder, removed at the end of the test.
class TempDir {
 public:
  explicit TempDir(const std::string& name) : path_(fs::temp_directory_path() / ("dealstat_amocrm_" + name)) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string str() const { return path_.string(); }
  void write(const std::string& file, const std::string& text) const {
    std::ofstream(path_ / file, std::ios::binary) << text;
  }

 private:
  fs::path path_;
};

const char* kPipelines = R"({"_embedded":{"pipelines":[{"id":10,"name":"Sales","_embedded":{"statuses":[
  {"id":101,"name":"New","sort":10,"type":0},{"id":142,"name":"Won","sort":10000,"type":0},
  {"id":143,"name":"Lost","sort":11000,"type":0}]}}]}})";

std::string lead(int id, const std::string& price = "100", const std::string& status = "101") {
  return R"({"id":)" + std::to_string(id) + R"(,"price":)" + price + R"(,"status_id":)" + status +
         R"(,"pipeline_id":10,"created_at":1700000000})";
}

// The deal row of a CRM id.
std::size_t deal(const ds::Dataset& d, std::int64_t id) {
  auto r = d.find_deal(ds::DealId{id});
  EXPECT_TRUE(r.has_value()) << id;
  return r ? r->value : 0;
}

// A path as (status id, pipeline id, entered_at, by user id or 0).
struct Entry {
  std::int64_t status, pipeline, at, by;
  bool operator==(const Entry&) const = default;
};
std::vector<Entry> path(const ds::Dataset& d, std::int64_t id) {
  std::vector<Entry> out;
  auto p = d.paths().path(deal(d, id));
  for (std::size_t k = 0; k < p.size(); ++k) {
    const auto s = p.stage[k];
    out.push_back({d.stages().id[s], d.pipelines().id[d.stages().pipeline[s]], p.entered_at[k],
                   p.by_user[k] == kNone ? 0 : d.users().id[p.by_user[k]]});
  }
  return out;
}
void PrintTo(const Entry& e, std::ostream* os) {
  *os << "{" << e.status << "@" << e.pipeline << " t=" << e.at << " by " << e.by << "}";
}

std::int64_t user_id(const ds::Dataset& d, std::uint32_t u) { return u == kNone ? 0 : d.users().id[u]; }

std::vector<std::string> problems(const ds::BuildResult& r) {
  std::vector<std::string> out;
  for (const auto& p : r.problems) out.push_back(p.to_string());
  return out;
}

}  // namespace

TEST(Amocrm, FixtureAccountPipelinesAndStages) {
  auto r = ds::import_amocrm(kBasic);
  const ds::Dataset& d = *r.dataset;
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(d.account().time_zone.name(), "Europe/Moscow");
  EXPECT_EQ(d.account().currency, "RUB");
  ASSERT_EQ(d.pipelines().size(), 2u);
  // Sales: unsorted, New, Proposal, won, lost. Partners: Talk, won (named in the file), lost (added).
  auto stages_of = [&](std::size_t p) {
    std::vector<std::pair<std::int64_t, ds::StageKind>> v;
    for (auto k = d.pipelines().stages_offset[p]; k < d.pipelines().stages_offset[p + 1]; ++k) {
      auto s = d.pipelines().stages_ordered[k];
      v.emplace_back(d.stages().id[s], d.stages().kind[s]);
    }
    return v;
  };
  using K = ds::StageKind;
  EXPECT_EQ(stages_of(0), (std::vector<std::pair<std::int64_t, K>>{
                              {100, K::unsorted}, {101, K::open}, {102, K::open}, {142, K::won}, {143, K::lost}}));
  EXPECT_EQ(stages_of(1), (std::vector<std::pair<std::int64_t, K>>{{201, K::open}, {142, K::won}, {143, K::lost}}));
  auto p20 = *d.find_pipeline(ds::PipelineId{20});
  EXPECT_EQ(d.str(d.stages().name[d.find_stage(p20, ds::StageId{142})->value]), "Won (partners)");
  EXPECT_EQ(d.str(d.stages().name[d.find_stage(p20, ds::StageId{143})->value]), "Закрыто и не реализовано");
  // Users: groups from account users_groups (group 0 is listed there); 1003 only appears as an event's author.
  ASSERT_EQ(d.users().size(), 3u);
  auto group = [&](std::int64_t id) {
    auto u = d.find_user(ds::UserId{id})->value;
    return d.users().group[u] == kNone ? std::string("-") : std::string(d.str(d.users().group_name[d.users().group[u]]));
  };
  EXPECT_EQ(group(1001), "Отдел продаж");
  EXPECT_EQ(group(1002), "Partners desk");
  EXPECT_EQ(group(1003), "-");
  EXPECT_EQ(d.str(d.users().name[d.find_user(ds::UserId{1003})->value]), "");
}

TEST(Amocrm, FixtureDeals) {
  auto r = ds::import_amocrm(kBasic);
  const ds::Dataset& d = *r.dataset;
  const auto& t = d.deals();
  ASSERT_EQ(t.size(), 7u);
  auto closed = [&](std::int64_t id) { return t.closed_at[deal(d, id)]; };
  auto budget = [&](std::int64_t id) { return t.budget_minor[deal(d, id)]; };
  auto s = [&](std::int64_t id, const std::vector<ds::StrCode>& col) { return std::string(d.str(col[deal(d, id)])); };

  // 1: won; decimal price; closed_at given as a numeric string.
  EXPECT_EQ(budget(1), 150050);
  EXPECT_EQ(closed(1), 1700300000);
  // 2: integer price, now in the Partners pipeline.
  EXPECT_EQ(budget(2), 200000);
  EXPECT_EQ(d.pipelines().id[t.pipeline[deal(d, 2)]], 20);
  EXPECT_EQ(closed(2), ds::kNoTime);
  // 3: price null; pending in unsorted; channel from its unsorted item's category.
  EXPECT_EQ(budget(3), 0);
  EXPECT_EQ(s(3, t.channel), "forms");
  // 4: reopened after won: the stale closed_at and loss_reason_id are dropped.
  EXPECT_EQ(closed(4), ds::kNoTime);
  EXPECT_EQ(s(4, t.loss_reason), "");
  // 5: deleted and lost, closed_at 0: closed when it entered lost; loss reason by name.
  EXPECT_EQ(t.deleted[deal(d, 5)], 1);
  EXPECT_EQ(closed(5), 1700500000);
  EXPECT_EQ(s(5, t.loss_reason), "Too expensive");
  EXPECT_EQ(s(5, t.channel), "mail");
  // 6: no events; responsible missing on the lead, taken from entity_responsible_changed; source name; main contact.
  EXPECT_EQ(budget(6), 9990);
  EXPECT_EQ(user_id(d, t.responsible[deal(d, 6)]), 1002);
  EXPECT_EQ(s(6, t.channel), "site");
  EXPECT_EQ(t.contact_id[deal(d, 6)], 502);
  EXPECT_EQ(t.company_id[deal(d, 6)], 601);
  ASSERT_EQ(t.tags_offset[deal(d, 6) + 1] - t.tags_offset[deal(d, 6)], 1u);
  EXPECT_EQ(d.str(t.tags[t.tags_offset[deal(d, 6)]]), "vip");
  // 7: price_with_minor_units wins over price.
  EXPECT_EQ(budget(7), 1075);
  EXPECT_EQ(s(7, t.channel), "sip");
  EXPECT_EQ(s(1, t.name), "Won deal");
}

TEST(Amocrm, FixturePaths) {
  auto r = ds::import_amocrm(kBasic);
  const ds::Dataset& d = *r.dataset;
  // History starts at the first move's value_before stage at created_at, by created_by.
  EXPECT_EQ(path(d, 1), (std::vector<Entry>{{101, 10, 1700000000, 1001}, {102, 10, 1700100000, 1001},
                                            {142, 10, 1700300000, 1002}}));
  // A move between pipelines; created_by 0 (automation) is nobody.
  EXPECT_EQ(path(d, 2), (std::vector<Entry>{{101, 10, 1700000100, 0}, {201, 20, 1700200000, 0}}));
  EXPECT_EQ(path(d, 3), (std::vector<Entry>{{100, 10, 1700000150, 0}}));
  // Reopened after won.
  EXPECT_EQ(path(d, 4), (std::vector<Entry>{{101, 10, 1700000200, 1002}, {142, 10, 1700300000, 1001},
                                            {102, 10, 1700400000, 1002}}));
  EXPECT_EQ(path(d, 5), (std::vector<Entry>{{101, 10, 1700000250, 1001}, {143, 10, 1700500000, 1001}}));
  // No events: the current stage at created_at, by its creator.
  EXPECT_EQ(path(d, 6), (std::vector<Entry>{{101, 10, 1700000300, 1002}}));
  EXPECT_EQ(path(d, 7), (std::vector<Entry>{{100, 10, 1700000350, 0}, {101, 10, 1700000900, 1001}}));
}

TEST(Amocrm, FixtureEventsUnsortedTasksAndTheRest) {
  auto r = ds::import_amocrm(kBasic);
  const ds::Dataset& d = *r.dataset;
  // Every event goes to the log, also the move of lead 99 that is not in the export.
  const auto& e = d.events();
  ASSERT_EQ(e.size(), 11u);
  EXPECT_EQ(e.id[0], "01h1");
  EXPECT_EQ(e.value_before[0], R"([{"lead_status":{"id":101,"pipeline_id":10}}])");
  EXPECT_EQ(e.value_after[0], R"([{"lead_status":{"id":102,"pipeline_id":10}}])");
  EXPECT_EQ(e.by_user[2], kNone);  // created_by 0
  EXPECT_EQ(d.str(e.type[8]), "task_completed");
  EXPECT_EQ(e.value_before[8], "");  // [] is empty
  EXPECT_EQ(user_id(d, e.by_user[8]), 1003);
  EXPECT_EQ(e.entity_id[9], 99);
  EXPECT_EQ(d.str(e.entity_type[10]), "contact");

  const auto& u = d.unsorted();
  ASSERT_EQ(u.size(), 3u);
  using O = ds::UnsortedOutcome;
  EXPECT_EQ(d.str(u.channel[0]), "forms");
  EXPECT_EQ(u.outcome[0], O::pending);
  EXPECT_EQ(u.resolved_at[0], ds::kNoTime);
  EXPECT_EQ(u.deal_id[0], 3);
  EXPECT_EQ(u.id[1], 4242);
  EXPECT_EQ(u.outcome[1], O::accepted);  // its lead left unsorted at 1700000900
  EXPECT_EQ(u.resolved_at[1], 1700000900);
  EXPECT_EQ(u.outcome[2], O::declined);  // its lead was deleted
  EXPECT_EQ(u.resolved_at[2], 1700500100);

  const auto& t = d.tasks();
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t.completed_at[0], 1700450000);  // task_completed event, not updated_at
  EXPECT_EQ(t.due_at[0], 1700470800);        // "2023-11-20 12:00" in Moscow
  EXPECT_EQ(d.str(t.type[0]), "Звонок");
  EXPECT_EQ(d.str(t.entity_type[0]), "lead");
  EXPECT_EQ(t.completed_at[1], ds::kNoTime);
  EXPECT_EQ(d.str(t.type[1]), "meeting");
  EXPECT_EQ(d.str(t.entity_type[1]), "contact");

  EXPECT_EQ(d.contacts().size(), 2u);
  EXPECT_EQ(d.contacts().created_at[1], 1700000300);  // ISO 8601 with an offset
  EXPECT_EQ(d.companies().size(), 1u);
  EXPECT_EQ(d.customers().size(), 1u);
  ASSERT_EQ(d.purchases().size(), 1u);
  EXPECT_EQ(d.purchases().amount_minor[0], 10050);
  EXPECT_EQ(d.purchases().at[0], 1700000900);
  EXPECT_EQ(d.purchases().customer_id[0], 701);
}

TEST(Amocrm, FileNaming) {
  TempDir dir("naming");
  dir.write("api_v4_leads_pipelines.json", kPipelines);
  dir.write("leads-page2.json", R"({"_embedded":{"leads":[)" + lead(2) + "]}}");
  dir.write("leads_10.json", R"({"_embedded":{"leads":[)" + lead(10) + "]}}");
  dir.write("leads.json", R"({"_embedded":{"leads":[)" + lead(1) + "]}}");
  dir.write("leads_notes.json", R"({"_embedded":{"leads":[)" + lead(99) + "]}}");  // not a leads page
  dir.write("events_1.json", "");                                                      // HTTP 204: no content
  auto r = ds::import_amocrm(dir.str());
  ASSERT_EQ(r.dataset->deals().size(), 3u);
  EXPECT_EQ(r.dataset->deals().id[0], 1);
  EXPECT_EQ(r.dataset->deals().id[1], 2);
  EXPECT_EQ(r.dataset->deals().id[2], 10);
}

TEST(Amocrm, MissingLeadsOrPipelinesIsAnIoError) {
  TempDir dir("missing");
  dir.write("leads_pipelines.json", kPipelines);
  try {
    ds::import_amocrm(dir.str());
    FAIL();
  } catch (const ds::Error& e) {
    EXPECT_EQ(e.code(), ds::ErrorCode::io);
  }
}

TEST(Amocrm, MalformedJsonNamesFileAndPath) {
  TempDir dir("malformed");
  dir.write("leads_pipelines.json", kPipelines);
  dir.write("leads_1.json", R"({"_embedded":{"leads":[)" + lead(1) + "]}}");
  dir.write("leads_2.json", R"({"_embedded":{"leads":[)" + lead(2) + R"(,{"id":3,"price":}]}})");
  try {
    ds::import_amocrm(dir.str());
    FAIL();
  } catch (const ds::Error& e) {
    EXPECT_EQ(e.code(), ds::ErrorCode::parse);
    EXPECT_EQ(e.problem().source, "leads_2.json");
    EXPECT_EQ(e.problem().field, "$._embedded.leads[1].price");
    EXPECT_NE(e.problem().message.find("malformed JSON"), std::string::npos);
  }
  // Lenient: the page is left out (lead 2 too) and listed; the other page is kept.
  auto r = ds::import_amocrm(dir.str(), ds::ValidationPolicy::lenient);
  ASSERT_EQ(r.dataset->deals().size(), 1u);
  EXPECT_EQ(r.dataset->deals().id[0], 1);
  ASSERT_EQ(r.problems.size(), 1u) << ::testing::PrintToString(problems(r));
  EXPECT_EQ(r.problems[0].source, "leads_2.json");
}

TEST(Amocrm, WrongTypeNamesFilePathAndValue) {
  TempDir dir("types");
  dir.write("leads_pipelines.json", kPipelines);
  dir.write("leads_1.json", R"({"_embedded":{"leads":[)" + lead(1) + "," + lead(2, "true") + "," + lead(3, "\"12,50\"") +
                                "," + lead(4, "100.255") + "]}}");
  dir.write("events_1.json", R"([{"_embedded":{"events":[]}},{"_embedded":{"events":[
    {"id":"a","type":"lead_status_changed","entity_id":1,"entity_type":"lead","created_by":0,"created_at":"yesterday",
     "value_before":[{"lead_status":{"id":101,"pipeline_id":10}}],"value_after":[{"lead_status":{"id":142,"pipeline_id":10}}]}]}}])");
  try {
    ds::import_amocrm(dir.str());
    FAIL();
  } catch (const ds::Error& e) {
    EXPECT_EQ(e.code(), ds::ErrorCode::invalid_data);
    EXPECT_EQ(e.problem().source, "leads_1.json");
    EXPECT_EQ(e.problem().row, 2);
    EXPECT_EQ(e.problem().field, "$._embedded.leads[1].price");
    EXPECT_EQ(e.problem().value, "true");
  }
  auto r = ds::import_amocrm(dir.str(), ds::ValidationPolicy::lenient);
  auto list = problems(r);
  ASSERT_EQ(list.size(), 3u) << ::testing::PrintToString(list);
  EXPECT_EQ(r.problems[1].field, "$._embedded.leads[2].price");
  EXPECT_EQ(r.problems[1].value, "12,50");
  EXPECT_EQ(r.problems[2].source, "events_1.json");
  EXPECT_EQ(r.problems[2].field, "$[1]._embedded.events[0].created_at");
  EXPECT_EQ(r.problems[2].value, "yesterday");
  // Leads 1 and 4 are kept (100.255 rounds half away from zero); lead 1 has no moves left.
  ASSERT_EQ(r.dataset->deals().size(), 2u);
  EXPECT_EQ(r.dataset->deals().budget_minor[1], 10026);
  EXPECT_EQ(r.dataset->events().size(), 0u);
}

TEST(Amocrm, UnknownStageIdsNameFileAndPath) {
  TempDir dir("stages");
  dir.write("leads_pipelines.json", kPipelines);
  dir.write("leads_1.json", R"({"_embedded":{"leads":[)" + lead(1) + "," + lead(2, "5", "999") + "]}}");
  dir.write("events_1.json", R"({"_embedded":{"events":[
    {"id":"a","type":"lead_status_changed","entity_id":1,"entity_type":"lead","created_by":0,"created_at":1700000500,
     "value_before":[{"lead_status":{"id":101,"pipeline_id":10}}],"value_after":[{"lead_status":{"id":555,"pipeline_id":10}}]},
    {"id":"b","type":"lead_status_changed","entity_id":1,"entity_type":"lead","created_by":0,"created_at":1700000600,
     "value_before":[{"lead_status":{"id":101,"pipeline_id":10}}],"value_after":[{"lead_status":{"id":142,"pipeline_id":77}}]}]}})");
  try {
    ds::import_amocrm(dir.str());
    FAIL();
  } catch (const ds::Error& e) {
    EXPECT_EQ(e.problem().source, "events_1.json");
    EXPECT_EQ(e.problem().field, "$._embedded.events[0].value_after[0].lead_status.id");
    EXPECT_EQ(e.problem().value, "555");
  }
  auto r = ds::import_amocrm(dir.str(), ds::ValidationPolicy::lenient);
  ASSERT_EQ(r.problems.size(), 3u) << ::testing::PrintToString(problems(r));
  EXPECT_EQ(r.problems[1].field, "$._embedded.events[1].value_after[0].lead_status.id");
  EXPECT_EQ(r.problems[1].value, "142");
  // The lead's own unknown status comes from the builder, mapped back to the lead's JSON path.
  EXPECT_EQ(r.problems[2].source, "leads_1.json");
  EXPECT_EQ(r.problems[2].row, 2);
  EXPECT_EQ(r.problems[2].field, "$._embedded.leads[1].status_id");
  EXPECT_EQ(r.problems[2].value, "999");
  ASSERT_EQ(r.dataset->deals().size(), 1u);
}

namespace {

// Every table of two datasets, strings compared by text.
void expect_same(const ds::Dataset& a, const ds::Dataset& b) {
  auto strs = [](const ds::Dataset& d, const std::vector<ds::StrCode>& col) {
    std::vector<std::string> v;
    for (auto c : col) v.emplace_back(d.str(c));
    return v;
  };
  auto uids = [](const ds::Dataset& d, const std::vector<std::uint32_t>& col) {
    std::vector<std::int64_t> v;
    for (auto u : col) v.push_back(user_id(d, u));
    return v;
  };
  EXPECT_EQ(a.account().time_zone.name(), b.account().time_zone.name());
  EXPECT_EQ(a.users().id, b.users().id);
  EXPECT_EQ(strs(a, a.users().name), strs(b, b.users().name));
  EXPECT_EQ(a.pipelines().id, b.pipelines().id);
  EXPECT_EQ(strs(a, a.pipelines().name), strs(b, b.pipelines().name));
  EXPECT_EQ(a.stages().id, b.stages().id);
  EXPECT_EQ(a.stages().kind, b.stages().kind);
  EXPECT_EQ(a.stages().position, b.stages().position);
  EXPECT_EQ(strs(a, a.stages().name), strs(b, b.stages().name));
  const auto &da = a.deals(), &db = b.deals();
  ASSERT_EQ(da.id, db.id);
  EXPECT_EQ(da.stage, db.stage);
  EXPECT_EQ(da.pipeline, db.pipeline);
  EXPECT_EQ(da.created_at, db.created_at);
  EXPECT_EQ(da.closed_at, db.closed_at);
  EXPECT_EQ(da.budget_minor, db.budget_minor);
  EXPECT_EQ(uids(a, da.responsible), uids(b, db.responsible));
  EXPECT_EQ(strs(a, da.name), strs(b, db.name));
  EXPECT_EQ(strs(a, da.channel), strs(b, db.channel));
  EXPECT_EQ(strs(a, da.loss_reason), strs(b, db.loss_reason));
  EXPECT_EQ(da.tags_offset, db.tags_offset);
  EXPECT_EQ(strs(a, da.tags), strs(b, db.tags));
  EXPECT_EQ(da.contact_id, db.contact_id);
  EXPECT_EQ(da.company_id, db.company_id);
  EXPECT_EQ(da.deleted, db.deleted);
  std::size_t differing_paths = 0;
  for (std::size_t i = 0; i < da.size(); ++i)
    if (path(a, da.id[i]) != path(b, db.id[i]) && ++differing_paths <= 5)
      ADD_FAILURE() << "deal " << da.id[i] << ": " << ::testing::PrintToString(path(a, da.id[i])) << " vs "
                    << ::testing::PrintToString(path(b, db.id[i]));
  EXPECT_EQ(differing_paths, 0u);
  EXPECT_EQ(a.paths().implied, b.paths().implied);
  EXPECT_EQ(a.tasks().id, b.tasks().id);
  EXPECT_EQ(uids(a, a.tasks().responsible), uids(b, b.tasks().responsible));
  EXPECT_EQ(a.tasks().created_at, b.tasks().created_at);
  EXPECT_EQ(a.tasks().due_at, b.tasks().due_at);
  EXPECT_EQ(a.tasks().completed_at, b.tasks().completed_at);
  EXPECT_EQ(strs(a, a.tasks().entity_type), strs(b, b.tasks().entity_type));
  EXPECT_EQ(a.tasks().entity_id, b.tasks().entity_id);
  EXPECT_EQ(strs(a, a.tasks().type), strs(b, b.tasks().type));
  for (auto [x, y] : {std::pair{&a.contacts(), &b.contacts()}, std::pair{&a.companies(), &b.companies()},
                      std::pair{&a.customers(), &b.customers()}, std::pair{&a.invoices(), &b.invoices()}}) {
    EXPECT_EQ(x->id, y->id);
    EXPECT_EQ(x->created_at, y->created_at);
    EXPECT_EQ(uids(a, x->responsible), uids(b, y->responsible));
  }
  EXPECT_EQ(a.purchases().id, b.purchases().id);
  EXPECT_EQ(a.purchases().customer_id, b.purchases().customer_id);
  EXPECT_EQ(a.purchases().at, b.purchases().at);
  EXPECT_EQ(a.purchases().amount_minor, b.purchases().amount_minor);
  EXPECT_EQ(a.unsorted().id, b.unsorted().id);
  EXPECT_EQ(strs(a, a.unsorted().channel), strs(b, b.unsorted().channel));
  EXPECT_EQ(a.unsorted().created_at, b.unsorted().created_at);
  EXPECT_EQ(a.unsorted().resolved_at, b.unsorted().resolved_at);
  EXPECT_EQ(a.unsorted().outcome, b.unsorted().outcome);
  EXPECT_EQ(a.unsorted().deal_id, b.unsorted().deal_id);
  EXPECT_EQ(a.unsorted().pipeline, b.unsorted().pipeline);
  const auto &ea = a.events(), &eb = b.events();
  ASSERT_EQ(ea.size(), eb.size());
  EXPECT_EQ(strs(a, ea.type), strs(b, eb.type));
  EXPECT_EQ(strs(a, ea.entity_type), strs(b, eb.entity_type));
  EXPECT_EQ(ea.entity_id, eb.entity_id);
  EXPECT_EQ(ea.at, eb.at);
  EXPECT_EQ(uids(a, ea.by_user), uids(b, eb.by_user));
  for (std::size_t k = 0; k < ea.size(); ++k) {
    if (ea.id[k] != eb.id[k] || ea.value_before[k] != eb.value_before[k] || ea.value_after[k] != eb.value_after[k]) {
      ADD_FAILURE() << "event " << k << " differs: " << ea.id[k] << " " << ea.value_after[k] << " vs " << eb.id[k]
                    << " " << eb.value_after[k];
      break;
    }
  }
}

}  // namespace

TEST(Amocrm, SampleThroughJsonEqualsSampleThroughCsv) {
  ds::SampleOptions o;
  o.deals = 3000;
  auto sample = ds::make_sample(o);
  TempDir csv("roundtrip_csv"), json("roundtrip_json");
  ds::write_csv_directory(*sample, csv.str());
  ds::write_amocrm(*sample, json.str(), {250, 3});
  auto via_csv = ds::load_csv_directory(csv.str());
  auto via_json = ds::import_amocrm(json.str());
  EXPECT_TRUE(via_json.problems.empty()) << ::testing::PrintToString(problems(via_json));
  expect_same(*via_csv.dataset, *via_json.dataset);
}

TEST(Amocrm, FixtureWrittenAndReadBackIsTheSame) {
  auto first = ds::import_amocrm(kBasic);
  TempDir out("fixture_again");
  ds::write_amocrm(*first.dataset, out.str());
  auto again = ds::import_amocrm(out.str());
  expect_same(*first.dataset, *again.dataset);
}
