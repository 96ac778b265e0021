// The built-in sample account (docs/sample.md): the account, its pipelines,
// stages and managers, then deal by deal in creation order the true process
// -- channel, manager, budget, tags, the walk through the stages with its
// skips, moves back, pipeline moves, losses, wins and reopenings, cut at the
// as-of -- together with the deal's tasks, contact, company, customer,
// purchases, invoices, unsorted items and event log, all fed straight into a
// DatasetBuilder. One pass, a fixed amount of state: time and memory grow
// linearly with the number of deals.
#include "dealstat/io/sample_generator.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string>

#include "io/sample_arrivals.hpp"
#include "io/sample_random.hpp"

namespace dealstat {
inline namespace v1 {

namespace {

using detail::SampleRng;

constexpr std::int64_t kMinute = 60;
constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kWonId = 142;   // amoCRM: won in every pipeline
constexpr std::int64_t kLostId = 143;  // amoCRM: lost in every pipeline

// Walk positions besides the open stages 0..open-1.
constexpr int kUnsorted = -1;
constexpr int kWon = 100;
constexpr int kLost = 101;

// Id ranges of the generated entities (amoCRM-like, one range per kind).
constexpr std::int64_t kDealBase = 10'000'000;
constexpr std::int64_t kContactBase = 20'000'000;
constexpr std::int64_t kCompanyBase = 30'000'000;
constexpr std::int64_t kCustomerBase = 40'000'000;
constexpr std::int64_t kInvoiceBase = 50'000'000;
constexpr std::int64_t kTaskBase = 60'000'000;
constexpr std::int64_t kPurchaseBase = 70'000'000;
constexpr std::int64_t kUnsortedBase = 80'000'000;
constexpr std::int64_t kNoteBase = 90'000'000;

// A pipeline of the true process.
struct PipelineDef {
  std::int64_t id;                           // CRM id
  const char* name;                          // display name
  std::int64_t unsorted_id;                  // status id of the unsorted stage
  std::int64_t first_open_id;                // status id of open stage 0 (the others follow)
  int open;                                  // number of open stages
  std::array<const char*, 8> stage_names;    // open stage names
  std::array<std::int32_t, 8> loss_bp;       // chance (per 10000) to be lost at the end of a visit
  std::array<std::int64_t, 8> dwell_median;  // median time in the stage, seconds
  std::int64_t budget_median;                // median budget, kopecks
  int manager_first, manager_count;          // managers working this pipeline (kManagers rows)
  int partner_entry;                         // open stage a deal moved in from the other pipeline enters
};

const std::array<PipelineDef, 2> kPipelines = {{
    {3, "Sales", 300, 301, 7,
     {"First contact", "Qualification", "Needs analysis", "Proposal", "Negotiation", "Contract", "Invoice", ""},
     {2500, 2000, 1500, 1200, 1000, 600, 300, 0},
     {1 * kDay, 2 * kDay, 3 * kDay, 4 * kDay, 5 * kDay, 4 * kDay, 3 * kDay, 0},
     8'000'000, 0, 11, 2},
    {7, "Partners", 700, 701, 5,
     {"Application", "Partner check", "Terms", "Agreement", "Onboarding", "", "", ""},
     {2000, 1500, 1200, 800, 400, 0, 0, 0},
     {2 * kDay, 4 * kDay, 6 * kDay, 7 * kDay, 5 * kDay, 0, 0, 0},
     25'000'000, 11, 5, 0},
}};

// A manager: skill scales the loss chances (percent, lower is better), speed scales time in stage (percent).
struct ManagerDef {
  std::int64_t id;
  const char* name;
  const char* group;
  std::int32_t loss_pct;
  std::int32_t time_pct;
};

constexpr std::array<ManagerDef, 16> kManagers = {{
    {101, "Anna Petrova", "Sales A", 70, 80},      {102, "Ivan Smirnov", "Sales A", 90, 100},
    {103, "Olga Ivanova", "Sales A", 100, 70},     {104, "Dmitry Kuznetsov", "Sales A", 120, 120},
    {105, "Elena Sokolova", "Sales A", 85, 90},    {106, "Sergey Popov", "Sales A", 140, 150},
    {107, "Maria Lebedeva", "Sales B", 75, 110},   {108, "Alexey Kozlov", "Sales B", 110, 85},
    {109, "Natalia Novikova", "Sales B", 95, 100}, {110, "Pavel Morozov", "Sales B", 130, 130},
    {111, "Tatiana Volkova", "Sales B", 100, 95},  {112, "Andrey Fedorov", "Partners", 80, 100},
    {113, "Yulia Orlova", "Partners", 100, 80},    {114, "Nikolai Egorov", "Partners", 120, 120},
    {115, "Irina Pavlova", "Partners", 90, 140},   {116, "Maxim Stepanov", "Partners", 110, 90},
}};

// A source channel: volume share, loss and budget scaling (percent), how many of its deals came through
// unsorted, extra declined items per such deal, median time to accept an item, and the deal name it gives.
struct ChannelDef {
  const char* name;
  std::int32_t loss_pct;
  std::int32_t budget_pct;
  std::int32_t via_unsorted_bp;
  std::int32_t declined_bp;
  std::int64_t accept_median;
  const char* deal_name;
};

constexpr std::array<ChannelDef, 4> kChannels = {{
    {"mail", 115, 110, 8000, 3000, 3 * kHour, "Email request"},
    {"forms", 105, 90, 9000, 4000, 1 * kHour, "Web form"},
    {"sip", 80, 100, 6000, 1500, 15 * kMinute, "Incoming call"},
    {"chats", 100, 80, 8500, 2500, 30 * kMinute, "Chat"},
}};
constexpr std::array<std::uint32_t, 4> kChannelVolume = {20, 35, 30, 15};

constexpr std::array<const char*, 5> kLossReasons = {"Too expensive", "No budget", "Chose competitor", "No response",
                                                     "Not a fit"};
constexpr std::array<std::uint32_t, 5> kLossReasonWeight = {30, 20, 20, 22, 8};

constexpr std::array<const char*, 3> kTaskTypes = {"call", "meeting", "email"};
constexpr std::array<std::uint32_t, 3> kTaskTypeWeight = {50, 25, 25};

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

void validate(const SampleOptions& o) {
  auto bad = [](const std::string& what) { throw Error(ErrorCode::invalid_option, "sample: " + what); };
  if (o.deals < 0 || o.deals > 0x7FFFFFFF) bad("deals must be 0..2147483647, got " + std::to_string(o.deals));
  if (o.start_s < kMinValidTime || o.end_s > kMaxValidTime)
    bad("start_s and end_s must lie in 1970..2100");
  if (o.start_s >= o.end_s) bad("start_s must be before end_s");
}

// The generator's state: options, random stream, id counters and reusable rows.
class Generator {
 public:
  Generator(const SampleOptions& o, DatasetBuilder& b) : o_(o), b_(b), rng_(o.seed), tz_(TimeZone::parse(o.time_zone)) {}

  void run() {
    setup();
    b_.reserve(static_cast<std::size_t>(o_.deals), static_cast<std::size_t>(o_.deals) * 6);
    detail::SampleArrivals arrivals(tz_, o_.start_s, o_.end_s, o_.deals, rng_);
    for (std::int64_t i = 0; i < o_.deals; ++i) deal(kDealBase + 1 + i, arrivals.next(rng_));
  }

 private:
  // Where a deal is: pipeline row, position (kUnsorted, open 0.., kWon, kLost), entry instant, manager row.
  struct Walk {
    int pipe = 0;
    int pos = 0;
    std::int64_t t = 0;
    int manager = 0;
  };

  void setup() {
    Account account;
    account.time_zone = tz_;
    account.first_day_of_week = Weekday::monday;
    account.currency = "RUB";
    b_.set_account(std::move(account));
    for (const auto& m : kManagers) b_.add_user({UserId{m.id}, m.name, m.group});
    for (const auto& p : kPipelines) {
      b_.add_pipeline({PipelineId{p.id}, p.name});
      b_.add_stage({PipelineId{p.id}, StageId{p.unsorted_id}, "Incoming", 10, StageKind::unsorted});
      for (int s = 0; s < p.open; ++s)
        b_.add_stage({PipelineId{p.id}, StageId{p.first_open_id + s}, p.stage_names[static_cast<std::size_t>(s)],
                      20 + 10 * s, StageKind::open});
      b_.add_stage({PipelineId{p.id}, StageId{kWonId}, "Closed - won", 10000, StageKind::won});
      b_.add_stage({PipelineId{p.id}, StageId{kLostId}, "Closed - lost", 11000, StageKind::lost});
    }
  }

  static std::int64_t stage_id(int pipe, int pos) {
    const auto& p = kPipelines[static_cast<std::size_t>(pipe)];
    if (pos == kUnsorted) return p.unsorted_id;
    if (pos == kWon) return kWonId;
    if (pos == kLost) return kLostId;
    return p.first_open_id + pos;
  }

  // Managers act in office hours: an instant outside Mon-Fri 9:00-19:00 local moves (mostly) to the next
  // working morning. Never earlier than t.
  std::int64_t work_time(std::int64_t t) {
    const std::int64_t off = tz_.offset_at(Timestamp{t});
    const std::int64_t local = t + off;
    std::int64_t day = floor_div(local, kDay);
    const std::int64_t sod = local - day * kDay;
    auto weekday0 = [](std::int64_t d) { return ((d + 3) % 7 + 7) % 7; };  // 0 = Monday (1970-01-01 = Thursday)
    const bool working = weekday0(day) < 5 && sod >= 9 * kHour && sod < 19 * kHour;
    if (working || rng_.chance(1500)) return t;
    if (sod >= 9 * kHour) ++day;
    while (weekday0(day) >= 5) ++day;
    return std::max(t, day * kDay + 9 * kHour + rng_.below(3 * kHour) - off);
  }

  int other_manager(int pipe, int current) {
    const auto& p = kPipelines[static_cast<std::size_t>(pipe)];
    int m = p.manager_first + static_cast<int>(rng_.below(static_cast<std::uint32_t>(p.manager_count)));
    if (m == current) m = p.manager_first + (m - p.manager_first + 1) % p.manager_count;
    return m;
  }

  std::optional<UserId> user(int manager) const { return UserId{kManagers[static_cast<std::size_t>(manager)].id}; }

  // --- events -------------------------------------------------------------

  void append_int(std::string& s, std::int64_t v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    s.append(buf, r.ptr);
  }
  void status_json(std::string& s, int pipe, int pos) {
    s.assign("[{\"lead_status\":{\"id\":");
    append_int(s, stage_id(pipe, pos));
    s.append(",\"pipeline_id\":");
    append_int(s, kPipelines[static_cast<std::size_t>(pipe)].id);
    s.append("}}]");
  }
  void user_json(std::string& s, int manager) {
    s.assign("[{\"responsible_user\":{\"id\":");
    append_int(s, kManagers[static_cast<std::size_t>(manager)].id);
    s.append("}}]");
  }
  void note_json(std::string& s, const char* key, const char* field, std::int64_t id) {
    s.assign("[{\"");
    s.append(key);
    s.append("\":{\"");
    s.append(field);
    s.append("\":");
    append_int(s, id);
    s.append("}}]");
  }
  // Emits ev_ (type, entity and values set by the caller) with a fresh id.
  void emit(const char* type, const char* entity_type, std::int64_t entity_id, std::int64_t at,
            std::optional<UserId> by) {
    ev_.id.clear();
    append_int(ev_.id, ++events_);
    ev_.type = type;
    ev_.entity_type = entity_type;
    ev_.entity_id = entity_id;
    ev_.at = Timestamp{at};
    ev_.by_user = by;
    b_.add_event(ev_);
  }

  // --- the walk -------------------------------------------------------------

  // Moves the deal to (pipe, pos) at `at`, recording the stage change and its event.
  void move(std::int64_t deal, Walk& w, int pipe, int pos, std::int64_t at, std::optional<UserId> by) {
    StageChangeRow c;
    c.deal = DealId{deal};
    c.at = Timestamp{at};
    c.from_pipeline = PipelineId{kPipelines[static_cast<std::size_t>(w.pipe)].id};
    c.from_stage = StageId{stage_id(w.pipe, w.pos)};
    c.to_pipeline = PipelineId{kPipelines[static_cast<std::size_t>(pipe)].id};
    c.to_stage = StageId{stage_id(pipe, pos)};
    c.by_user = by;
    b_.add_stage_change(c);
    if (o_.events) {
      status_json(ev_.value_before, w.pipe, w.pos);
      status_json(ev_.value_after, pipe, pos);
      emit("lead_status_changed", "lead", deal, at, by);
    }
    w.pipe = pipe;
    w.pos = pos;
    w.t = at;
  }

  void change_owner(std::int64_t deal, Walk& w, int to, std::int64_t at) {
    if (o_.events) {
      user_json(ev_.value_before, w.manager);
      user_json(ev_.value_after, to);
      emit("entity_responsible_changed", "lead", deal, at, user(w.manager));
    }
    w.manager = to;
  }

  // A task during a visit that began at `from`: created soon after, due a day or so later; most are done
  // on time, some late, some never (open at the as-of, overdue once due has passed).
  void task(std::int64_t deal, const Walk& w, std::int64_t from) {
    const std::int64_t created = from + rng_.below(2 * kHour);
    if (created >= o_.end_s) return;
    const std::int64_t due = work_time(created + std::max(kHour, rng_.lognormal(kDay, 1024)));
    std::optional<Timestamp> completed;
    const std::uint32_t r = rng_.below(100);
    if (r < 70) {
      completed = Timestamp{rng_.between(created, due + 1)};
    } else if (r < 85) {
      completed = Timestamp{due + 1 + rng_.lognormal(kDay, 1024)};
    }
    if (completed && completed->seconds >= o_.end_s) completed.reset();
    TaskRow t;
    t.id = TaskId{kTaskBase + ++tasks_};
    t.responsible = user(w.manager);
    t.created_at = Timestamp{created};
    t.due_at = Timestamp{due};
    t.completed_at = completed;
    t.entity_type = "lead";
    t.entity_id = deal;
    t.type = kTaskTypes[rng_.pick(kTaskTypeWeight)];
    if (completed && o_.events) {
      ev_.value_before.clear();
      ev_.value_after.clear();
      emit("task_completed", "task", t.id.value, completed->seconds, user(w.manager));
    }
    b_.add_task(std::move(t));
  }

  void unsorted_item(int channel, int pipe, std::int64_t created, std::optional<std::int64_t> resolved,
                     UnsortedOutcome outcome, std::optional<std::int64_t> deal) {
    UnsortedRow u;
    u.id = UnsortedId{kUnsortedBase + ++unsorted_};
    u.channel = kChannels[static_cast<std::size_t>(channel)].name;
    u.created_at = Timestamp{created};
    if (resolved) u.resolved_at = Timestamp{*resolved};
    u.outcome = outcome;
    if (deal) u.deal = DealId{*deal};
    u.pipeline = PipelineId{kPipelines[static_cast<std::size_t>(pipe)].id};
    b_.add_unsorted(std::move(u));
  }

  void deal(std::int64_t id, std::int64_t t0) {
    const std::int64_t end = o_.end_s;
    Walk w;
    w.pipe = rng_.chance(8000) ? 0 : 1;
    const auto channel = static_cast<int>(rng_.pick(kChannelVolume));
    const ChannelDef& ch = kChannels[static_cast<std::size_t>(channel)];
    {
      const auto& p = kPipelines[static_cast<std::size_t>(w.pipe)];
      w.manager = p.manager_first + static_cast<int>(rng_.below(static_cast<std::uint32_t>(p.manager_count)));
    }

    DealRow& d = row_;
    d.id = DealId{id};
    d.created_at = Timestamp{t0};
    d.channel = ch.name;
    d.name = w.pipe == 1 ? "Partner request" : ch.deal_name;
    d.tags.clear();
    d.loss_reason.clear();
    d.closed_at.reset();
    d.contact_id.reset();
    d.company_id.reset();

    const bool vip = rng_.chance(500);
    const bool hot = rng_.chance(600);
    const bool promo = (channel == 1 || channel == 3) && rng_.chance(1000);
    if (vip) d.tags.emplace_back("vip");
    if (promo) d.tags.emplace_back("promo");
    if (hot) d.tags.emplace_back("горячий");

    // Budget: lognormal by pipeline and channel, rounded to 100 rubles; a few deals have none.
    std::int64_t median = kPipelines[static_cast<std::size_t>(w.pipe)].budget_median * ch.budget_pct / 100;
    if (vip) median *= 3;
    std::int64_t budget = rng_.lognormal(median, 1200);
    budget = std::max<std::int64_t>(100'000, (budget + 5'000) / 10'000 * 10'000);
    if (rng_.chance(200)) budget = 0;
    d.budget = Money{budget};

    // Contact (new or a returning one) and company.
    if (rng_.chance(9000)) {
      if (contacts_ > 0 && rng_.chance(1200)) {
        d.contact_id = kContactBase + 1 + rng_.between(0, contacts_);
        d.tags.emplace_back("repeat");
      } else {
        d.contact_id = kContactBase + ++contacts_;
        b_.add_contact({*d.contact_id, Timestamp{t0}, user(w.manager)});
      }
      if (o_.events && channel == 2) {
        ev_.value_before.clear();
        note_json(ev_.value_after, "note", "id", kNoteBase + ++notes_);
        emit("incoming_call", "contact", *d.contact_id, t0, std::nullopt);
      } else if (o_.events && channel == 3) {
        ev_.value_before.clear();
        note_json(ev_.value_after, "message", "talk_id", kNoteBase + ++notes_);
        emit("incoming_chat_message", "contact", *d.contact_id, t0, std::nullopt);
      }
    }
    if (rng_.chance(w.pipe == 1 ? 8000 : 3000)) {
      if (companies_ > 0 && rng_.chance(4000)) {
        d.company_id = kCompanyBase + 1 + rng_.between(0, companies_);
      } else {
        d.company_id = kCompanyBase + ++companies_;
        b_.add_company({*d.company_id, Timestamp{t0}, user(w.manager)});
      }
    }

    // Creation: through unsorted (accepted later by the manager) or straight into the first open stage.
    const bool via_unsorted = rng_.chance(ch.via_unsorted_bp);
    const bool creation_record = rng_.chance(9200);
    w.pos = via_unsorted ? kUnsorted : 0;
    w.t = t0;
    const std::optional<UserId> creator = via_unsorted ? std::nullopt : user(w.manager);
    if (creation_record) {
      StageChangeRow c;
      c.deal = DealId{id};
      c.at = Timestamp{t0};
      c.to_pipeline = PipelineId{kPipelines[static_cast<std::size_t>(w.pipe)].id};
      c.to_stage = StageId{stage_id(w.pipe, w.pos)};
      c.by_user = creator;
      b_.add_stage_change(c);
    }
    if (o_.events) {
      ev_.value_before.clear();
      status_json(ev_.value_after, w.pipe, w.pos);
      emit("lead_added", "lead", id, t0, creator);
    }
    if (via_unsorted) {
      const std::int64_t accepted = work_time(t0 + rng_.lognormal(ch.accept_median, 1536));
      if (accepted < end) {
        unsorted_item(channel, w.pipe, t0, accepted, UnsortedOutcome::accepted, id);
        move(id, w, w.pipe, 0, accepted, user(w.manager));
      } else {
        unsorted_item(channel, w.pipe, t0, std::nullopt, UnsortedOutcome::pending, id);
      }
      // Spam, duplicates and wrong numbers arriving through the same channel, declined (or still pending).
      if (rng_.chance(ch.declined_bp)) {
        const std::int64_t at = t0 + rng_.below(6 * kHour);
        if (at < end) {
          const std::int64_t resolved = work_time(at + rng_.lognormal(2 * ch.accept_median, 1536));
          if (resolved < end)
            unsorted_item(channel, w.pipe, at, resolved, UnsortedOutcome::declined, std::nullopt);
          else
            unsorted_item(channel, w.pipe, at, std::nullopt, UnsortedOutcome::pending, std::nullopt);
        }
      }
    }

    // The walk through the open stages until won, lost or the as-of.
    int backs = 0;
    bool moved_pipeline = false, owner_changed = false;
    while (w.pos >= 0 && w.pos < kWon) {
      const auto& p = kPipelines[static_cast<std::size_t>(w.pipe)];
      const auto& m = kManagers[static_cast<std::size_t>(w.manager)];
      const auto s = static_cast<std::size_t>(w.pos);
      std::int64_t dwell_median = p.dwell_median[s] * m.time_pct / 100;
      if (hot) dwell_median = dwell_median * 7 / 10;
      const std::int64_t next = work_time(w.t + std::max(10 * kMinute, rng_.lognormal(dwell_median, 1100)));
      if (rng_.chance(6000)) task(id, w, w.t);
      if (next >= end) break;
      if (!owner_changed && rng_.chance(400)) {
        owner_changed = true;
        change_owner(id, w, other_manager(w.pipe, w.manager), w.t + (next - w.t) / 2);
      }
      std::int64_t loss = std::int64_t{p.loss_bp[s]} * m.loss_pct / 100 * ch.loss_pct / 100;
      if (hot) loss = loss * 6 / 10;
      if (rng_.chance(loss)) {
        move(id, w, w.pipe, kLost, next, user(w.manager));
        break;
      }
      if (!moved_pipeline && rng_.chance(w.pipe == 0 ? 150 : 120)) {
        moved_pipeline = true;
        const int to = 1 - w.pipe;
        move(id, w, to, kPipelines[static_cast<std::size_t>(to)].partner_entry, next, user(w.manager));
        change_owner(id, w, other_manager(to, -1), next);
        continue;
      }
      if (w.pos > 0 && backs < 2 && rng_.chance(600)) {
        ++backs;
        move(id, w, w.pipe, w.pos - 1, next, user(w.manager));
        continue;
      }
      int to = w.pos + 1;
      if (w.pos + 2 <= p.open && rng_.chance(700)) to = w.pos + 2;  // skips a stage (the last one: straight to won)
      move(id, w, w.pipe, to >= p.open ? kWon : to, next, user(w.manager));
    }

    // Some won deals are reopened (a second order, a dispute) and then closed again or left open.
    if (w.pos == kWon && rng_.chance(400)) {
      const std::int64_t reopened = work_time(w.t + rng_.lognormal(14 * kDay, 1024));
      if (reopened < end) {
        const auto& p = kPipelines[static_cast<std::size_t>(w.pipe)];
        move(id, w, w.pipe, p.open - (rng_.chance(7000) ? 1 : 2), reopened, user(w.manager));
        if (rng_.chance(7000)) {
          const std::int64_t closed = work_time(reopened + rng_.lognormal(7 * kDay, 1024));
          if (closed < end) move(id, w, w.pipe, rng_.chance(6500) ? kWon : kLost, closed, user(w.manager));
        }
      }
    }

    const auto& p = kPipelines[static_cast<std::size_t>(w.pipe)];
    d.pipeline = PipelineId{p.id};
    d.stage = StageId{stage_id(w.pipe, w.pos)};
    d.responsible = user(w.manager);
    if (w.pos == kWon || w.pos == kLost) d.closed_at = Timestamp{w.t};
    if (w.pos == kLost) d.loss_reason = kLossReasons[rng_.pick(kLossReasonWeight)];
    d.deleted = rng_.chance(50);

    if (w.pos == kWon) {
      if (rng_.chance(7000)) {
        const std::int64_t at = std::max(t0, w.t - rng_.below(2 * kDay));
        b_.add_invoice({kInvoiceBase + ++invoices_, Timestamp{at}, user(w.manager)});
      }
      if (rng_.chance(3000)) {
        const std::int64_t customer = kCustomerBase + ++customers_;
        b_.add_customer({customer, Timestamp{w.t}, user(w.manager)});
        std::int64_t at = w.t;
        const int n = 1 + static_cast<int>(rng_.below(5));
        for (int k = 0; k < n; ++k) {
          at = work_time(at + rng_.lognormal(k == 0 ? 3 * kDay : 45 * kDay, 1024));
          if (at >= end) break;
          const std::int64_t amount = (rng_.lognormal(std::max<std::int64_t>(budget / 3, 500'000), 1024) + 50) / 100 * 100;
          b_.add_purchase({PurchaseId{kPurchaseBase + ++purchases_}, customer, Timestamp{at}, Money{amount}});
        }
      }
    }
    b_.add_deal(d);
  }

  const SampleOptions& o_;
  DatasetBuilder& b_;
  SampleRng rng_;
  TimeZone tz_;
  DealRow row_;
  EventRow ev_;
  std::int64_t contacts_ = 0, companies_ = 0, customers_ = 0, invoices_ = 0, tasks_ = 0, purchases_ = 0,
               unsorted_ = 0, notes_ = 0, events_ = 0;
};

}  // namespace

void generate_sample(const SampleOptions& options, DatasetBuilder& builder) {
  validate(options);
  Generator(options, builder).run();
}

DatasetPtr make_sample(const SampleOptions& options) {
  DatasetBuilder builder;
  generate_sample(options, builder);
  return std::move(builder).build(ValidationPolicy::strict).dataset;
}

}  // namespace v1
}  // namespace dealstat
