// Tests of the built-in sample account generator (io/sample_generator.hpp):
// determinism, strict validity, the structural properties its true process
// must have by construction (each checked by an independent loop over the
// built dataset), and a lossless round trip through the CSV directory format.
#include "dealstat/io/sample_generator.hpp"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "dealstat/io/csv_directory.hpp"

namespace {

using namespace dealstat;

constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// The 20k-deal sample shared by the structural tests (built once).
const Dataset& sample20k() {
  static const DatasetPtr ds = [] {
    SampleOptions o;
    o.deals = 20000;
    return make_sample(o);
  }();
  return *ds;
}

// Compares two string-code columns by their text (codes depend on interning order).
void expect_same_strings(const Dataset& a, const std::vector<StrCode>& ca, const Dataset& b,
                         const std::vector<StrCode>& cb, const char* what) {
  ASSERT_EQ(ca.size(), cb.size()) << what;
  for (std::size_t i = 0; i < ca.size(); ++i) ASSERT_EQ(a.str(ca[i]), b.str(cb[i])) << what << " row " << i;
}

void expect_same_column(const StringColumn& a, const StringColumn& b, const char* what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (std::size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << what << " row " << i;
}

void expect_same_simple(const SimpleEntityTable& a, const SimpleEntityTable& b, const char* what) {
  EXPECT_EQ(a.id, b.id) << what;
  EXPECT_EQ(a.created_at, b.created_at) << what;
  EXPECT_EQ(a.responsible, b.responsible) << what;
}

// Every column of every table, strings compared as text.
void expect_same_dataset(const Dataset& a, const Dataset& b) {
  EXPECT_EQ(a.account().time_zone.name(), b.account().time_zone.name());
  EXPECT_EQ(a.account().first_day_of_week, b.account().first_day_of_week);
  EXPECT_EQ(a.account().currency, b.account().currency);

  EXPECT_EQ(a.users().id, b.users().id);
  expect_same_strings(a, a.users().name, b, b.users().name, "users.name");
  EXPECT_EQ(a.users().group, b.users().group);
  expect_same_strings(a, a.users().group_name, b, b.users().group_name, "users.group_name");

  EXPECT_EQ(a.pipelines().id, b.pipelines().id);
  expect_same_strings(a, a.pipelines().name, b, b.pipelines().name, "pipelines.name");
  EXPECT_EQ(a.pipelines().stages_offset, b.pipelines().stages_offset);
  EXPECT_EQ(a.pipelines().stages_ordered, b.pipelines().stages_ordered);

  EXPECT_EQ(a.stages().id, b.stages().id);
  EXPECT_EQ(a.stages().pipeline, b.stages().pipeline);
  expect_same_strings(a, a.stages().name, b, b.stages().name, "stages.name");
  EXPECT_EQ(a.stages().sort, b.stages().sort);
  EXPECT_EQ(a.stages().kind, b.stages().kind);
  EXPECT_EQ(a.stages().position, b.stages().position);

  const auto& da = a.deals();
  const auto& db = b.deals();
  EXPECT_EQ(da.id, db.id);
  expect_same_strings(a, da.name, b, db.name, "deals.name");
  EXPECT_EQ(da.pipeline, db.pipeline);
  EXPECT_EQ(da.stage, db.stage);
  EXPECT_EQ(da.created_at, db.created_at);
  EXPECT_EQ(da.closed_at, db.closed_at);
  EXPECT_EQ(da.budget_minor, db.budget_minor);
  EXPECT_EQ(da.responsible, db.responsible);
  expect_same_strings(a, da.channel, b, db.channel, "deals.channel");
  expect_same_strings(a, da.loss_reason, b, db.loss_reason, "deals.loss_reason");
  EXPECT_EQ(da.contact_id, db.contact_id);
  EXPECT_EQ(da.company_id, db.company_id);
  EXPECT_EQ(da.deleted, db.deleted);
  EXPECT_EQ(da.tags_offset, db.tags_offset);
  expect_same_strings(a, da.tags, b, db.tags, "deals.tags");

  EXPECT_EQ(a.paths().offset, b.paths().offset);
  EXPECT_EQ(a.paths().stage, b.paths().stage);
  EXPECT_EQ(a.paths().entered_at, b.paths().entered_at);
  EXPECT_EQ(a.paths().by_user, b.paths().by_user);
  EXPECT_EQ(a.paths().implied, b.paths().implied);

  const auto& ta = a.tasks();
  const auto& tb = b.tasks();
  EXPECT_EQ(ta.id, tb.id);
  EXPECT_EQ(ta.responsible, tb.responsible);
  EXPECT_EQ(ta.created_at, tb.created_at);
  EXPECT_EQ(ta.due_at, tb.due_at);
  EXPECT_EQ(ta.completed_at, tb.completed_at);
  expect_same_strings(a, ta.entity_type, b, tb.entity_type, "tasks.entity_type");
  EXPECT_EQ(ta.entity_id, tb.entity_id);
  expect_same_strings(a, ta.type, b, tb.type, "tasks.type");

  expect_same_simple(a.contacts(), b.contacts(), "contacts");
  expect_same_simple(a.companies(), b.companies(), "companies");
  expect_same_simple(a.customers(), b.customers(), "customers");
  expect_same_simple(a.invoices(), b.invoices(), "invoices");

  EXPECT_EQ(a.purchases().id, b.purchases().id);
  EXPECT_EQ(a.purchases().customer_id, b.purchases().customer_id);
  EXPECT_EQ(a.purchases().at, b.purchases().at);
  EXPECT_EQ(a.purchases().amount_minor, b.purchases().amount_minor);

  const auto& ua = a.unsorted();
  const auto& ub = b.unsorted();
  EXPECT_EQ(ua.id, ub.id);
  expect_same_strings(a, ua.channel, b, ub.channel, "unsorted.channel");
  EXPECT_EQ(ua.created_at, ub.created_at);
  EXPECT_EQ(ua.resolved_at, ub.resolved_at);
  EXPECT_EQ(ua.outcome, ub.outcome);
  EXPECT_EQ(ua.deal_id, ub.deal_id);
  EXPECT_EQ(ua.pipeline, ub.pipeline);

  const auto& ea = a.events();
  const auto& eb = b.events();
  expect_same_column(ea.id, eb.id, "events.id");
  expect_same_strings(a, ea.type, b, eb.type, "events.type");
  expect_same_strings(a, ea.entity_type, b, eb.entity_type, "events.entity_type");
  EXPECT_EQ(ea.entity_id, eb.entity_id);
  EXPECT_EQ(ea.at, eb.at);
  EXPECT_EQ(ea.by_user, eb.by_user);
  expect_same_column(ea.value_before, eb.value_before, "events.value_before");
  expect_same_column(ea.value_after, eb.value_after, "events.value_after");
}

TEST(SampleGenerator, SameSeedGivesIdenticalData) {
  SampleOptions o;
  o.deals = 3000;
  o.seed = 7;
  auto a = make_sample(o);
  auto b = make_sample(o);
  expect_same_dataset(*a, *b);
}

TEST(SampleGenerator, DifferentSeedGivesDifferentData) {
  SampleOptions o;
  o.deals = 3000;
  auto a = make_sample(o);
  o.seed = 43;
  auto b = make_sample(o);
  ASSERT_EQ(a->deals().size(), b->deals().size());
  EXPECT_NE(a->deals().created_at, b->deals().created_at);
  EXPECT_NE(a->deals().budget_minor, b->deals().budget_minor);
  EXPECT_NE(a->paths().stage, b->paths().stage);
}

TEST(SampleGenerator, StrictBuildHasTheRequestedDeals) {
  SampleOptions o;
  o.deals = 20000;
  DatasetBuilder builder;
  generate_sample(o, builder);
  BuildResult r;
  ASSERT_NO_THROW(r = std::move(builder).build(ValidationPolicy::strict));
  EXPECT_TRUE(r.problems.empty());
  EXPECT_EQ(r.dataset->deals().size(), 20000u);
  EXPECT_EQ(r.dataset->paths().deals(), 20000u);
  EXPECT_EQ(r.dataset->account().time_zone.name(), "Europe/Moscow");
  EXPECT_EQ(r.dataset->account().first_day_of_week, Weekday::monday);
  EXPECT_EQ(r.dataset->account().currency, "RUB");
  EXPECT_GE(r.dataset->users().size(), 12u);
  EXPECT_LE(r.dataset->users().size(), 20u);
  EXPECT_EQ(r.dataset->users().group_name.size(), 3u);
  EXPECT_GT(r.dataset->tasks().size(), 0u);
  EXPECT_GT(r.dataset->contacts().size(), 0u);
  EXPECT_GT(r.dataset->companies().size(), 0u);
  EXPECT_GT(r.dataset->customers().size(), 0u);
  EXPECT_GT(r.dataset->purchases().size(), 0u);
  EXPECT_GT(r.dataset->invoices().size(), 0u);
}

TEST(SampleGenerator, SmallAndEmptyAccountsBuild) {
  for (std::int64_t n : {0, 1, 2, 17}) {
    SampleOptions o;
    o.deals = n;
    auto ds = make_sample(o);
    EXPECT_EQ(ds->deals().size(), static_cast<std::size_t>(n));
    EXPECT_EQ(ds->pipelines().size(), 2u);
  }
  SampleOptions o;
  o.deals = 500;
  o.start_s = 1700000000;
  o.end_s = 1700000000 + 3600;  // one hour
  EXPECT_EQ(make_sample(o)->deals().size(), 500u);
}

TEST(SampleGenerator, RejectsBadOptions) {
  SampleOptions o;
  o.deals = -1;
  EXPECT_THROW(make_sample(o), Error);
  o = SampleOptions{};
  o.end_s = o.start_s;
  EXPECT_THROW(make_sample(o), Error);
  o = SampleOptions{};
  o.time_zone = "Not/AZone";
  EXPECT_THROW(make_sample(o), Error);
}

TEST(SampleGenerator, EveryPipelineHasUnsortedOpenWonLost) {
  const Dataset& ds = sample20k();
  const auto& st = ds.stages();
  ASSERT_GE(ds.pipelines().size(), 2u);
  std::set<std::int64_t> other_ids;
  for (std::size_t p = 0; p < ds.pipelines().size(); ++p) {
    int unsorted = 0, open = 0, won = 0, lost = 0;
    for (std::size_t s = 0; s < st.size(); ++s) {
      if (st.pipeline[s] != p) continue;
      switch (st.kind[s]) {
        case StageKind::unsorted: ++unsorted; break;
        case StageKind::open: ++open; break;
        case StageKind::won: ++won; EXPECT_EQ(st.id[s], 142); break;
        case StageKind::lost: ++lost; EXPECT_EQ(st.id[s], 143); break;
      }
      if (st.id[s] != 142 && st.id[s] != 143) {
        EXPECT_TRUE(other_ids.insert(st.id[s]).second) << st.id[s];
      }
    }
    EXPECT_EQ(unsorted, 1) << "pipeline " << p;
    EXPECT_GE(open, 5) << "pipeline " << p;
    EXPECT_LE(open, 8) << "pipeline " << p;
    EXPECT_EQ(won, 1) << "pipeline " << p;
    EXPECT_EQ(lost, 1) << "pipeline " << p;
  }
}

TEST(SampleGenerator, PathsSkipMoveBackReopenAndChangePipeline) {
  const Dataset& ds = sample20k();
  const auto& st = ds.stages();
  int skips = 0, backs = 0, reopened = 0, pipeline_moves = 0, won = 0, lost = 0;
  for (std::size_t d = 0; d < ds.deals().size(); ++d) {
    const PathView p = ds.paths().path(d);
    ASSERT_GE(p.size(), 1u);
    EXPECT_EQ(p.entered_at[0], ds.deals().created_at[d]);
    EXPECT_EQ(p.stage[p.size() - 1], ds.deals().stage[d]);
    for (std::size_t k = 1; k < p.size(); ++k) {
      const std::uint32_t a = p.stage[k - 1], b = p.stage[k];
      EXPECT_LE(p.entered_at[k - 1], p.entered_at[k]);
      if (st.pipeline[a] != st.pipeline[b]) {
        ++pipeline_moves;
        continue;
      }
      const bool a_open = st.kind[a] == StageKind::open;
      // Open stages in funnel order: positions 1..n_open (unsorted is 0), won right after them.
      if (a_open && (st.kind[b] == StageKind::open || st.kind[b] == StageKind::won) &&
          st.position[b] > st.position[a] + 1)
        ++skips;
      if (a_open && st.kind[b] == StageKind::open && st.position[b] < st.position[a]) ++backs;
      if (st.kind[a] == StageKind::won && st.kind[b] == StageKind::open) ++reopened;
    }
    won += ds.deal_kind(d) == StageKind::won;
    lost += ds.deal_kind(d) == StageKind::lost;
    EXPECT_EQ(ds.deal_kind(d) == StageKind::lost, !ds.str(ds.deals().loss_reason[d]).empty());
  }
  EXPECT_GT(skips, 0);
  EXPECT_GT(backs, 0);
  EXPECT_GT(reopened, 0);
  EXPECT_GT(pipeline_moves, 0);
  EXPECT_GT(won, 1000);
  EXPECT_GT(lost, 1000);
}

TEST(SampleGenerator, SomeDealsHaveNoCreationRecord) {
  // A deal created straight into an open stage has a creation record by its manager; without the record the
  // path starts at the first change's from-stage, entered by nobody known. Both kinds must be present.
  const Dataset& ds = sample20k();
  const auto& st = ds.stages();
  int recorded = 0, unrecorded = 0;
  for (std::size_t d = 0; d < ds.deals().size(); ++d) {
    const PathView p = ds.paths().path(d);
    if (st.kind[p.stage[0]] != StageKind::open || p.size() < 2) continue;
    (p.by_user[0] == kNone ? unrecorded : recorded) += 1;
  }
  EXPECT_GT(recorded, 0);
  EXPECT_GT(unrecorded, 0);
  EXPECT_GT(recorded, unrecorded);
}

TEST(SampleGenerator, FourChannelsWithDifferentVolumes) {
  const Dataset& ds = sample20k();
  std::map<std::string, int> per_channel;
  for (std::size_t d = 0; d < ds.deals().size(); ++d) ++per_channel[std::string(ds.str(ds.deals().channel[d]))];
  for (const char* c : {"mail", "forms", "sip", "chats"}) EXPECT_GT(per_channel[c], 500) << c;
  EXPECT_GT(per_channel["forms"], per_channel["chats"]);
  EXPECT_EQ(per_channel.size(), 4u);
}

TEST(SampleGenerator, TagsDeletedAndBudgets) {
  const Dataset& ds = sample20k();
  std::set<std::string> tags;
  for (auto code : ds.deals().tags) tags.insert(std::string(ds.str(code)));
  for (const char* t : {"vip", "repeat", "promo", "горячий"}) EXPECT_TRUE(tags.count(t)) << t;
  int deleted = 0, positive = 0;
  for (std::size_t d = 0; d < ds.deals().size(); ++d) {
    deleted += ds.deals().deleted[d];
    EXPECT_GE(ds.deals().budget_minor[d], 0);
    positive += ds.deals().budget_minor[d] > 0;
  }
  EXPECT_GT(deleted, 0);
  EXPECT_LT(deleted, 500);
  EXPECT_GT(positive, 19000);
}

TEST(SampleGenerator, SomeTasksAreOverdueAtTheEnd) {
  const Dataset& ds = sample20k();
  const std::int64_t end = SampleOptions{}.end_s;
  int open_overdue = 0, late = 0, on_time = 0;
  const auto& t = ds.tasks();
  for (std::size_t i = 0; i < t.size(); ++i) {
    ASSERT_NE(t.due_at[i], kNoTime);
    EXPECT_LT(t.created_at[i], end);
    if (t.completed_at[i] == kNoTime) {
      open_overdue += t.due_at[i] < end;
    } else {
      EXPECT_LT(t.completed_at[i], end);
      EXPECT_GE(t.completed_at[i], t.created_at[i]);
      (t.completed_at[i] > t.due_at[i] ? late : on_time) += 1;
    }
  }
  EXPECT_GT(open_overdue, 0);
  EXPECT_GT(late, 0);
  EXPECT_GT(on_time, late);
}

TEST(SampleGenerator, UnsortedHasAllOutcomesAndAcceptedItemsHaveDeals) {
  const Dataset& ds = sample20k();
  const auto& u = ds.unsorted();
  std::array<int, 3> outcomes{};
  std::set<std::string> channels;
  for (std::size_t i = 0; i < u.size(); ++i) {
    ++outcomes[static_cast<int>(u.outcome[i])];
    channels.insert(std::string(ds.str(u.channel[i])));
    if (u.outcome[i] == UnsortedOutcome::pending) {
      EXPECT_EQ(u.resolved_at[i], kNoTime);
    } else {
      ASSERT_NE(u.resolved_at[i], kNoTime);
      EXPECT_GE(u.resolved_at[i], u.created_at[i]);
    }
    if (u.outcome[i] == UnsortedOutcome::accepted) {
      ASSERT_NE(u.deal_id[i], kNoId);
      auto d = ds.find_deal(DealId{u.deal_id[i]});
      ASSERT_TRUE(d.has_value()) << u.deal_id[i];
      EXPECT_EQ(ds.str(ds.deals().channel[d->value]), ds.str(u.channel[i]));
      EXPECT_EQ(ds.deals().created_at[d->value], u.created_at[i]);
    }
    if (u.outcome[i] == UnsortedOutcome::declined) {
      EXPECT_EQ(u.deal_id[i], kNoId);
    }
  }
  EXPECT_GT(outcomes[static_cast<int>(UnsortedOutcome::accepted)], 0);
  EXPECT_GT(outcomes[static_cast<int>(UnsortedOutcome::declined)], 0);
  EXPECT_GT(outcomes[static_cast<int>(UnsortedOutcome::pending)], 0);
  EXPECT_EQ(channels.size(), 4u);
}

TEST(SampleGenerator, WeekendsAreQuieterInLocalTime) {
  const Dataset& ds = sample20k();
  const TimeZone& tz = ds.account().time_zone;
  std::array<int, 8> per_weekday{};
  for (auto t : ds.deals().created_at) ++per_weekday[static_cast<int>(weekday(tz.local_date(Timestamp{t})))];
  const double weekday_mean = (per_weekday[1] + per_weekday[2] + per_weekday[3] + per_weekday[4] + per_weekday[5]) / 5.0;
  const double weekend_mean = (per_weekday[6] + per_weekday[7]) / 2.0;
  EXPECT_LT(weekend_mean, 0.5 * weekday_mean);
  EXPECT_GT(weekend_mean, 0.0);
}

TEST(SampleGenerator, UpwardTrend) {
  const Dataset& ds = sample20k();
  const SampleOptions o;
  const std::int64_t mid = o.start_s + (o.end_s - o.start_s) / 2;
  int first = 0, second = 0;
  for (auto t : ds.deals().created_at) {
    EXPECT_GE(t, o.start_s);
    EXPECT_LT(t, o.end_s);
    (t < mid ? first : second) += 1;
  }
  EXPECT_GT(second, first * 11 / 10);
}

TEST(SampleGenerator, LateDealsAreStillOpen) {
  const Dataset& ds = sample20k();
  const std::int64_t end = SampleOptions{}.end_s;
  int late = 0, late_active = 0;
  for (std::size_t d = 0; d < ds.deals().size(); ++d) {
    if (ds.deals().created_at[d] < end - 14 * 86400) continue;
    ++late;
    late_active += !is_closed_kind(ds.deal_kind(d));
  }
  EXPECT_GT(late, 0);
  EXPECT_GT(late_active * 2, late);
}

TEST(SampleGenerator, EventLog) {
  const Dataset& ds = sample20k();
  const auto& e = ds.events();
  std::map<std::string, int> types;
  bool saw_won_json = false, saw_owner_json = false;
  for (std::size_t i = 0; i < e.size(); ++i) {
    const std::string type(ds.str(e.type[i]));
    ++types[type];
    if (type == "lead_status_changed") {
      EXPECT_EQ(ds.str(e.entity_type[i]), "lead");
      EXPECT_TRUE(ds.find_deal(DealId{e.entity_id[i]}).has_value());
      EXPECT_EQ(e.value_before[i].rfind("[{\"lead_status\":{\"id\":", 0), 0u) << e.value_before[i];
      if (e.value_after[i].find("{\"id\":142,\"pipeline_id\":") != std::string_view::npos) saw_won_json = true;
    }
    if (type == "entity_responsible_changed" &&
        e.value_after[i].rfind("[{\"responsible_user\":{\"id\":", 0) == 0)
      saw_owner_json = true;
  }
  for (const char* t : {"lead_added", "lead_status_changed", "entity_responsible_changed", "task_completed",
                        "incoming_call", "incoming_chat_message"})
    EXPECT_GT(types[t], 0) << t;
  EXPECT_EQ(types["lead_added"], 20000);
  EXPECT_TRUE(saw_won_json);
  EXPECT_TRUE(saw_owner_json);

  SampleOptions o;
  o.deals = 500;
  o.events = false;
  EXPECT_EQ(make_sample(o)->events().size(), 0u);
}

TEST(SampleGenerator, OtherTimeZone) {
  SampleOptions o;
  o.deals = 2000;
  o.time_zone = "America/New_York";
  auto ds = make_sample(o);
  EXPECT_EQ(ds->account().time_zone.name(), "America/New_York");
  EXPECT_EQ(ds->deals().size(), 2000u);
}

TEST(SampleGenerator, CsvRoundTripKeepsEveryColumn) {
  SampleOptions o;
  o.deals = 5000;
  auto original = make_sample(o);
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() /
                       ("dealstat_sample_roundtrip_" +
                        std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(p, ec);
    }
  } cleanup{dir};
  write_csv_directory(*original, dir.string());
  BuildResult loaded = load_csv_directory(dir.string(), ValidationPolicy::strict);
  EXPECT_TRUE(loaded.problems.empty());
  expect_same_dataset(*original, *loaded.dataset);
}

}  // namespace
