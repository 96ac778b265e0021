// Events list page latency over a synthetic event log of 10M and 50M events
// built through DatasetBuilder::add_event (1M deals linked to 300k contacts
// and 50k companies; 80% of events on deals, 15% on contacts, 5% on
// companies; 20 event types with skewed frequencies; 50 users, 10% of events
// by nobody; times over two years, appended roughly in time order with
// jitter, many ties). The EventIndex is built once per size in the setup.
// Each case fetches one page of 50 (count_total = false) unless its name
// says "Total". Sizes: $DEALSTAT_EVENTS_BENCH_SIZES (default
// "10000000,50000000"). Recorded baseline: bench/results/summary_events.md.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "dealstat/data/dataset_builder.hpp"
#include "dealstat/data/event_index.hpp"
#include "dealstat/reports/events_list.hpp"

namespace {

namespace ds = dealstat;

constexpr std::int64_t kStart = 1672531200;  // 2023-01-01T00:00:00Z
constexpr std::int64_t kSpan = 2 * 365 * 86400;

struct Log {
  std::int64_t n = 0;
  ds::DatasetPtr data;
  std::unique_ptr<ds::EventIndex> index;
};

const char* kTypes[20] = {"lead_status_changed", "note_added",      "incoming_call",     "outgoing_call",
                          "task_completed",      "lead_added",      "entity_responsible_changed",
                          "incoming_chat_message", "outgoing_chat_message", "incoming_mail", "outgoing_mail",
                          "contact_added",       "company_added",   "tag_added",         "tag_removed",
                          "custom_field_changed", "lead_deleted",   "sale_field_changed", "link_added",
                          "rare_audit"};

// One log at a time: a new size drops the previous one first.
Log& log_of(std::int64_t n) {
  static Log log;
  if (log.n == n) return log;
  log = Log{};
  const auto t0 = std::chrono::steady_clock::now();
  std::mt19937_64 rng(5);
  ds::DatasetBuilder b;
  for (int u = 1; u <= 50; ++u) b.add_user({ds::UserId{u}, std::string("user ").append(std::to_string(u)), ""});
  b.add_pipeline({ds::PipelineId{1}, "Sales"});
  b.add_stage({ds::PipelineId{1}, ds::StageId{10}, "New", 10, ds::StageKind::open});
  b.add_stage({ds::PipelineId{1}, ds::StageId{142}, "Won", 142, ds::StageKind::won});
  b.add_stage({ds::PipelineId{1}, ds::StageId{143}, "Lost", 143, ds::StageKind::lost});
  const std::int64_t deals = 1000000;
  b.reserve(static_cast<std::size_t>(deals), 0);
  for (std::int64_t d = 1; d <= deals; ++d) {
    ds::DealRow r;
    r.id = ds::DealId{d};
    r.pipeline = ds::PipelineId{1};
    r.stage = ds::StageId{10};
    r.created_at = ds::Timestamp{kStart};
    r.contact_id = 1 + d % 300000;
    r.company_id = 1 + d % 50000;
    b.add_deal(std::move(r));
  }
  // Type weights: type k has weight 1 / (k + 1), the last one ("rare_audit") 1/1000 of the first.
  std::vector<double> w(20);
  for (int k = 0; k < 19; ++k) w[static_cast<std::size_t>(k)] = 1.0 / (k + 1);
  w[19] = 0.001;
  std::discrete_distribution<int> type(w.begin(), w.end());
  ds::EventRow e;
  for (std::int64_t i = 0; i < n; ++i) {
    const auto x = rng();
    const unsigned kind = static_cast<unsigned>(x % 100);
    if (kind < 80) {
      e.entity_type = "lead";
      e.entity_id = 1 + static_cast<std::int64_t>((x >> 8) % deals);
    } else if (kind < 95) {
      e.entity_type = "contact";
      e.entity_id = 1 + static_cast<std::int64_t>((x >> 8) % 300000);
    } else {
      e.entity_type = "company";
      e.entity_id = 1 + static_cast<std::int64_t>((x >> 8) % 50000);
    }
    e.id = std::to_string(i + 1);
    e.type = kTypes[type(rng)];
    e.at = ds::Timestamp{kStart + kSpan * i / n + static_cast<std::int64_t>((x >> 40) % 600)};
    const unsigned u = static_cast<unsigned>((x >> 20) % 100);
    e.by_user = u < 10 ? std::nullopt : std::optional<ds::UserId>(ds::UserId{1 + u % 50});
    b.add_event(e);
  }
  const auto t1 = std::chrono::steady_clock::now();
  log.data = std::move(b).build().dataset;
  const auto t2 = std::chrono::steady_clock::now();
  log.index = std::make_unique<ds::EventIndex>(ds::EventIndex::build(*log.data));
  const auto t3 = std::chrono::steady_clock::now();
  log.n = n;
  auto ms = [](auto a, auto b2) { return std::chrono::duration<double, std::milli>(b2 - a).count(); };
  std::fprintf(stderr, "events=%lld: add_event %.0f ms, build %.0f ms, EventIndex::build %.0f ms\n",
               static_cast<long long>(n), ms(t0, t1), ms(t1, t2), ms(t2, t3));
  return log;
}

using Setup = void (*)(ds::EventsListOptions&);

void run_case(benchmark::State& state, Setup setup, bool total, int page) {
  Log& log = log_of(state.range(0));
  ds::EventsListOptions o;
  setup(o);
  o.limit = 50;
  o.count_total = false;
  // Walk to the requested page once (outside the timing), then time that page.
  for (int p = 1; p < page; ++p) {
    auto r = ds::events_list(*log.data, *log.index, o);
    o.cursor = r.next_cursor;
  }
  o.count_total = total;
  std::int64_t matched = 0, returned = 0;
  for (auto _ : state) {
    auto r = ds::events_list(*log.data, *log.index, o);
    returned = static_cast<std::int64_t>(r.events.size());
    matched = r.total;
    benchmark::DoNotOptimize(r);
  }
  state.counters["returned"] = static_cast<double>(returned);
  if (total) state.counters["total"] = static_cast<double>(matched);
}

struct Case {
  const char* name;
  Setup setup;
  bool total;
  int page;
};

const Case kCases[] = {
    {"NoFilter", [](ds::EventsListOptions&) {}, false, 1},
    {"NoFilterTotal", [](ds::EventsListOptions&) {}, true, 1},
    {"CommonType", [](ds::EventsListOptions& o) { o.types = {"lead_status_changed"}; }, false, 1},
    {"CommonTypeTotal", [](ds::EventsListOptions& o) { o.types = {"lead_status_changed"}; }, true, 1},
    {"RareType", [](ds::EventsListOptions& o) { o.types = {"rare_audit"}; }, false, 1},
    {"User", [](ds::EventsListOptions& o) { o.users = {7}; }, false, 1},
    {"UserTotal", [](ds::EventsListOptions& o) { o.users = {7}; }, true, 1},
    {"Deal", [](ds::EventsListOptions& o) { o.entity_type = "lead"; o.entity_id = 4242; }, false, 1},
    {"DealTotal", [](ds::EventsListOptions& o) { o.entity_type = "lead"; o.entity_id = 4242; }, true, 1},
    {"ContactWithDeals", [](ds::EventsListOptions& o) { o.contact_id = 4243; }, false, 1},
    {"ContactWithDealsTotal", [](ds::EventsListOptions& o) { o.contact_id = 4243; }, true, 1},
    {"CompanyWithDealsTotal", [](ds::EventsListOptions& o) { o.company_id = 777; }, true, 1},
    {"UserTypeMonth",
     [](ds::EventsListOptions& o) {
       o.users = {7};
       o.types = {"note_added", "incoming_call"};
       o.period = {ds::make_date(2024, 3, 1), ds::make_date(2024, 4, 1)};
     },
     false, 1},
    {"UserTypeMonthTotal",
     [](ds::EventsListOptions& o) {
       o.users = {7};
       o.types = {"note_added", "incoming_call"};
       o.period = {ds::make_date(2024, 3, 1), ds::make_date(2024, 4, 1)};
     },
     true, 1},
    {"UserAndRareType", [](ds::EventsListOptions& o) { o.users = {7}; o.types = {"rare_audit"}; }, false, 1},
    {"CommonTypePage100", [](ds::EventsListOptions& o) { o.types = {"lead_status_changed"}; }, false, 100},
};

std::vector<std::int64_t> sizes() {
  const char* env = std::getenv("DEALSTAT_EVENTS_BENCH_SIZES");
  std::string s = env ? env : "10000000,50000000";
  std::vector<std::int64_t> v;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t comma = s.find(',', pos);
    v.push_back(std::stoll(s.substr(pos, comma - pos)));
    pos = comma == std::string::npos ? s.size() : comma + 1;
  }
  return v;
}

// Registered size by size, so that each log is built once.
const int kRegistered = [] {
  for (auto n : sizes())
    for (const auto& c : kCases)
      benchmark::RegisterBenchmark((std::string("BM_EventsListPage/") + c.name).c_str(),
                                   [c](benchmark::State& st) { run_case(st, c.setup, c.total, c.page); })
          ->Arg(n)
          ->Unit(benchmark::kMicrosecond);
  return 0;
}();

}  // namespace
