// The employees report: accumulate deal and task figures per user over ranges
// of rows, merge, then build user, group and team rows, rank and compare.
#include "dealstat/reports/employees.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <unordered_set>

#include "dealstat/core/error.hpp"
#include "dealstat/data/owner_history.hpp"
#include "dealstat/stats/wilson.hpp"
#include "dealstat/reports/partial.hpp"
#include "reports/partial_state.hpp"

namespace dealstat {
inline namespace v1 {

Attribution parse_attribution(std::string_view s) {
  if (s == "current") return Attribution::current;
  if (s == "at_close") return Attribution::at_close;
  throw Error::bad_option("attribution", std::string(s), "expected current or at_close");
}

const char* attribution_name(Attribution a) { return a == Attribution::at_close ? "at_close" : "current"; }

const std::vector<std::string>& employee_columns() {
  static const std::vector<std::string> cols = {
      "new_deals",           "won",                   "won_budget_minor",     "won_budget_share_pct",
      "lost",                "in_work",               "win_rate_pct",         "win_rate_lower_pct",
      "win_rate_upper_pct",  "mean_time_to_close_s",  "median_time_to_close_s", "tasks_created",
      "tasks_completed",     "tasks_overdue"};
  return cols;
}

double employee_column_value(const EmployeeRow& r, std::string_view c) {
  auto d = [](std::int64_t v) { return static_cast<double>(v); };
  if (c == "new_deals") return d(r.new_deals);
  if (c == "won") return d(r.won);
  if (c == "won_budget_minor") return d(r.won_budget_minor);
  if (c == "won_budget_share_pct") return r.won_budget_share_pct;
  if (c == "lost") return d(r.lost);
  if (c == "in_work") return d(r.in_work);
  if (c == "win_rate_pct") return r.win_rate_pct;
  if (c == "win_rate_lower_pct") return r.win_rate_lower_pct;
  if (c == "win_rate_upper_pct") return r.win_rate_upper_pct;
  if (c == "mean_time_to_close_s") return r.mean_time_to_close_s;
  if (c == "median_time_to_close_s") return r.median_time_to_close_s;
  if (c == "tasks_created") return d(r.tasks_created);
  if (c == "tasks_completed") return d(r.tasks_completed);
  if (c == "tasks_overdue") return d(r.tasks_overdue);
  std::string expected;
  for (const auto& col : employee_columns()) expected += (expected.empty() ? "" : ", ") + col;
  throw Error::bad_option("rank_by", std::string(c), "unknown column; expected one of " + expected);
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// Asks the cache for the line holding *p (a hint; nothing on compilers without the builtin).
inline void prefetch(const void* p) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p);
#else
  (void)p;
#endif
}

// Integer figures of one user (or of the unassigned slot); merge is exact.
struct Counts {
  std::int64_t new_deals = 0, won = 0, won_budget = 0, lost = 0, in_work = 0;
  std::int64_t tasks_created = 0, tasks_completed = 0, tasks_overdue = 0;
  void add(const Counts& o) {
    new_deals += o.new_deals;
    won += o.won;
    won_budget += o.won_budget;
    lost += o.lost;
    in_work += o.in_work;
    tasks_created += o.tasks_created;
    tasks_completed += o.tasks_completed;
    tasks_overdue += o.tasks_overdue;
  }
};

// What the accumulate steps need, resolved once per dataset.
struct Context {
  const Dataset* ds;
  std::optional<DealSelector> sel;    // the filter without its users/groups (they choose rows)
  OwnerHistory history;               // empty for current attribution
  bool at_close = false;
  std::vector<std::uint8_t> user_ok;  // by user row; empty = any (unassigned included)
  std::vector<std::uint32_t> compare_rows;  // compared users' rows
  std::int64_t start = kNoTime;       // period start (kNoTime = unbounded)
  std::int64_t end = 0;               // E, exclusive
  std::size_t slots = 0;              // users + 1 (the last one: unassigned)
  std::vector<std::size_t> group_of_slot;  // slot -> group row (groups: no group / unassigned last)
  std::vector<std::int32_t> slot_of_user;  // user row -> slot, -1 when the users/groups filter drops it; last: kNone

  Context(const Dataset& d, const EmployeesOptions& opt);
  bool in_range(std::int64_t t) const { return (start == kNoTime || t >= start) && t < end; }
  // Slot of user row u (kNone = unassigned), or -1 when the users/groups filter drops it.
  std::ptrdiff_t slot(std::uint32_t u) const {
    if (!user_ok.empty() && (u == kNone || !user_ok[u])) return -1;
    return u == kNone ? static_cast<std::ptrdiff_t>(slots - 1) : static_cast<std::ptrdiff_t>(u);
  }
  std::ptrdiff_t owner(std::size_t deal, std::int64_t t) const {
    return slot(at_close ? history.owner_at(*ds, deal, t) : ds->deals().responsible[deal]);
  }
};

Context::Context(const Dataset& d, const EmployeesOptions& opt) : ds(&d) {
  if (!(opt.confidence > 0 && opt.confidence < 1))
    throw Error::bad_option("confidence", std::to_string(opt.confidence), "must be between 0 and 1");
  employee_column_value(EmployeeRow{}, opt.rank_by);  // validates rank_by
  // The users/groups part of the filter chooses rows (by attributed user), so the deal selector gets the rest.
  DealSelector validate_all(d, opt.filter);  // names a bad "users" / "groups" / "pipeline" / "to"
  DealFilter deal_filter = opt.filter;
  deal_filter.users.clear();
  deal_filter.groups.clear();
  sel.emplace(d, deal_filter);
  const auto& users = d.users();
  if (!opt.filter.users.empty() || !opt.filter.groups.empty()) {
    user_ok.assign(users.size(), 0);
    for (auto id : opt.filter.users) user_ok[d.find_user(UserId{id})->value] = 1;
    for (const auto& g : opt.filter.groups)
      for (std::size_t u = 0; u < users.size(); ++u)
        if (users.group[u] != kNone && d.str(users.group_name[users.group[u]]) == g) user_ok[u] = 1;
  }
  // Compared users: known, kept by the filter, each once.
  for (auto id : opt.compare) {
    auto u = d.find_user(UserId{id});
    if (!u) throw Error::bad_option("compare", std::to_string(id), "no user with this id");
    if (!user_ok.empty() && !user_ok[u->value])
      throw Error::bad_option("compare", std::to_string(id), "user left out by the users/groups filter");
    if (std::find(compare_rows.begin(), compare_rows.end(), u->value) != compare_rows.end())
      throw Error::bad_option("compare", std::to_string(id), "user listed twice");
    compare_rows.push_back(u->value);
  }
  const InstantRange& range = sel->range();
  start = range.start_s;
  end = opt.as_of->seconds + 1;
  if (range.end_s != kNoTime) end = std::min(end, range.end_s);
  slots = users.size() + 1;
  const std::size_t n_groups = users.group_name.size();
  group_of_slot.assign(slots, n_groups);
  for (std::size_t u = 0; u < users.size(); ++u)
    if (users.group[u] != kNone) group_of_slot[u] = users.group[u];
  slot_of_user.resize(users.size() + 1);
  for (std::size_t u = 0; u <= users.size(); ++u)
    slot_of_user[u] = static_cast<std::int32_t>(slot(u == users.size() ? kNone : static_cast<std::uint32_t>(u)));
}

// The columns the deal scan reads, as plain pointers (kept in registers across the counter updates),
// with the filter and the current owner's slot. kBaseOnly: the selector has no tags or channels
// (DealSelector::only_deleted_and_pipeline()), so its test is its DealBaseTest, copied here.
template <bool kBaseOnly>
struct DealScan {
  const std::int64_t* created_at;
  const std::int64_t* closed_at;
  const std::int64_t* settled;
  const std::uint32_t* stage;
  const StageKind* kind;
  const std::uint32_t* responsible;
  const std::int64_t* budget;
  const std::int32_t* slot_of_user;
  std::size_t no_user;  // index of kNone's entry in slot_of_user (the last)
  const DealSelector* sel;
  DealBaseTest base;

  explicit DealScan(const Context& x) {
    const auto& d = x.ds->deals();
    created_at = d.created_at.data();
    closed_at = d.closed_at.data();
    settled = x.ds->deal_settled_s().data();
    stage = d.stage.data();
    kind = x.ds->stages().kind.data();
    responsible = d.responsible.data();
    budget = d.budget_minor.data();
    slot_of_user = x.slot_of_user.data();
    no_user = x.slot_of_user.size() - 1;
    sel = &*x.sel;
    base = sel->base_test();
  }
  // True when deal row i passes the filter without its users/groups: sel->selects_ignoring_period(i).
  bool keeps(std::size_t i) const {
    if constexpr (kBaseOnly) return base(i);
    else return sel->selects_ignoring_period(i);
  }
  // Context::slot(u) by table (u a user row or kNone).
  std::ptrdiff_t slot(std::uint32_t u) const { return slot_of_user[std::min<std::size_t>(u, no_user)]; }
};

struct EmployeesState final : ReportPartial::State {
  std::shared_ptr<const Context> cx;               // set between prepare() and release()
  std::vector<Counts> counts;                      // by slot
  std::vector<detail::DurationSet> durations;      // by slot: time to close of won deals
  // Two-pass medians only (histogram_medians): the same durations by group (last: no group or
  // unassigned) and for the team, with their own picks in pass 2 (the users' picks cannot be merged into
  // an exact median); in pass 1 their histograms are the sums of the users' (sum_histograms).
  std::vector<detail::DurationSet> group_durations;
  detail::DurationSet team_durations;
  std::int64_t owner_changes = 0;                  // owner-change events of the deals seen (at_close)
  // Two-pass medians only: pass 1 also keeps the won deals' times to close by slot, at most keep_limit of
  // them (8 bytes each; detail::employees_keep_durations); while it holds them all (kept_all), pass 2
  // picks from them instead of scanning the rows again (select_from_kept).
  std::int64_t keep_limit = detail::employees_keep_durations;
  std::vector<std::vector<std::int64_t>> kept;
  std::vector<std::size_t> kept_binned;  // by slot: how many of kept[s] are in durations[s]'s histogram
  std::int64_t kept_n = 0;
  bool kept_all = true;

  const EmployeesOptions& opt() const { return std::get<EmployeesOptions>(options); }
  void resize(std::size_t slots, std::size_t groups) {
    counts.assign(slots, {});
    durations.assign(slots, {});
    kept.assign(slots, {});
    kept_binned.assign(slots, 0);
    kept_n = 0;
    kept_all = true;
    group_durations.assign(groups, {});
    team_durations = {};
  }

  std::unique_ptr<ReportPartial::State> clone() const override { return std::make_unique<EmployeesState>(*this); }
  std::unique_ptr<ReportPartial::State> empty_like() const override {
    auto s = std::make_unique<EmployeesState>();
    s->options = options;
    s->first = first;
    s->cx = cx;
    s->resize(counts.size(), group_durations.size());
    return s;
  }
  void prepare(const Dataset& ds) override {
    auto c = std::make_shared<Context>(ds, opt());
    c->at_close = opt().attribution == Attribution::at_close;
    if (c->at_close) c->history = build_owner_history(ds);
    cx = std::move(c);
  }
  void release() override { cx.reset(); }
  std::size_t rows(const Dataset& ds) const override { return ds.deals().size() + ds.tasks().size(); }
  bool exact() const override {
    return std::all_of(durations.begin(), durations.end(), [](const detail::DurationSet& d) { return d.exact(); });
  }
  std::vector<detail::DurationSet*> duration_sets() override {
    std::vector<detail::DurationSet*> v;
    for (auto& d : durations) v.push_back(&d);
    for (auto& d : group_durations) v.push_back(&d);
    v.push_back(&team_durations);
    return v;
  }

  void add_rows(const Dataset& ds, std::size_t b, std::size_t e) override {
    const std::size_t nd = ds.deals().size();
    if (b < nd) add_deals(std::min(b, nd), std::min(e, nd));
    if (e > nd) add_tasks(std::max(b, nd) - nd, e - nd);
    if (histogram_medians) {
      bin_kept();
      sum_histograms();
    }
  }

  void add_deals(std::size_t b, std::size_t e) {
    if (cx->at_close) {
      // Every deal's owner changes, created before E or not.
      owner_changes += static_cast<std::int64_t>(cx->history.offset[e] - cx->history.offset[b]);
      add_deals_as<true, false>(b, e);
      return;
    }
    if (cx->sel->only_deleted_and_pipeline()) add_deals_as<false, true>(b, e);
    else add_deals_as<false, false>(b, e);
  }

  // True when deal i, created before E and not settled before E, is in work at E: the last path entry
  // before E is not a won or lost stage (a deal whose path has no entry before E counts as in work).
  bool in_work_by_path(std::size_t i) const {
    const auto& kind = cx->ds->stages().kind;
    const PathView p = cx->ds->paths().path(i);
    for (std::size_t j = p.size(); j-- > 0;)
      if (p.entered_at[j] < cx->end) return !is_closed_kind(kind[p.stage[j]]);
    return true;
  }

  // Pass 1 over deals [b, e): every deal figure in one read of the columns each deal needs. A deal
  // created at or after E counts for nothing (closed_at >= created_at is a Dataset invariant, as is
  // "closed_at is set exactly when the current stage is won or lost"), so it costs one created_at read.
  // The three figures are independent tests on the row (new: created_at; won/lost: closed_at; in work:
  // deal_settled_s or the path), then one filter test and one owner look-up for the deals that count.
  // kAtClose: each figure's owner at its own instant (owner history); else the current responsible user.
  template <bool kAtClose, bool kBaseOnly>
  void add_deals_as(std::size_t b, std::size_t e) {
    const Context& x = *cx;
    const DealScan<kBaseOnly> col(x);
    // start is kNoTime (the smallest int64) when the period has no start, so t >= start always holds then.
    const std::int64_t start = x.start, end = x.end;
    // A deal closed before min(start, E) was created before it too: not new, not closed in the period,
    // and not in work at E unless its path says otherwise; its created_at need not be read.
    const std::int64_t early = std::min(start, end);
    std::size_t walk[kWalkBatch];
    std::size_t n_walk = 0;
    auto walk_later = [&](std::size_t i) {
      walk[n_walk++] = i;
      if (n_walk == kWalkBatch) {
        add_walked<kAtClose>(col, walk, n_walk);
        n_walk = 0;
      }
    };
    // Rows usually come in creation order: long runs of deals closed before the period, then the
    // period's, then those created at or after E. Both orders of reading below are exact; the one that
    // fitted the previous deal goes first, so that each run reads as few columns as it can.
    bool after_end = false;
    for (std::size_t i = b; i < e; ++i) {
      std::int64_t created, close;  // close: set exactly when the current stage is won or lost
      if (after_end) {
        created = col.created_at[i];
        if (created >= end) continue;
        after_end = false;
        close = col.closed_at[i];
        if (close != kNoTime && close < early) {
          if (col.settled[i] >= end) walk_later(i);
          continue;
        }
      } else {
        close = col.closed_at[i];
        if (close != kNoTime && close < early) {
          if (col.settled[i] >= end) walk_later(i);
          continue;
        }
        created = col.created_at[i];
        if (created >= end) {
          after_end = true;
          continue;
        }
      }
      const bool closed = close != kNoTime;
      const bool is_new = created >= start;
      const bool closes = closed && close >= start && close < end;
      // In work at E: a deal settled in its current stage before E needs no path walk (Dataset::deal_settled_s());
      // the others are counted in batches (add_walked).
      bool active = false;
      if (col.settled[i] < end) active = !closed;
      else walk_later(i);
      if (is_new || closes || active) count_deal<kAtClose>(col, i, created, close, is_new, closes, active);
    }
    add_walked<kAtClose>(col, walk, n_walk);
  }

  // The figures deal i counts for (new, closed in the period, in work at E; the caller tested them),
  // when it passes the filter, to its owner(s). Candidate-row lists ("created in the period", "closed in
  // the period") would call this with is_new / closes set, and the scan above would keep only `active`.
  template <bool kAtClose, class Scan>
  void count_deal(const Scan& col, std::size_t i, std::int64_t created, std::int64_t close, bool is_new, bool closes,
                  bool active) {
    const Context& x = *cx;
    if (!col.keeps(i)) return;
    if constexpr (kAtClose) {
      if (is_new)
        if (auto s = x.owner(i, created); s >= 0) ++counts[static_cast<std::size_t>(s)].new_deals;
      if (closes)
        if (auto s = x.owner(i, close); s >= 0)
          add_close(static_cast<std::size_t>(s), col.kind[col.stage[i]], close - created, col.budget[i]);
      if (active)
        if (auto s = x.owner(i, x.end - 1); s >= 0) ++counts[static_cast<std::size_t>(s)].in_work;
    } else {
      const auto s = col.slot(col.responsible[i]);
      if (s < 0) return;
      Counts& c = counts[static_cast<std::size_t>(s)];
      c.new_deals += is_new;
      c.in_work += active;
      if (!closes) return;
      if (col.kind[col.stage[i]] != StageKind::won) {
        ++c.lost;
        return;
      }
      ++c.won;
      c.won_budget += col.budget[i];
      add_won_duration(static_cast<std::size_t>(s), close - created);
    }
  }

  static constexpr std::size_t kWalkBatch = 32;

  // "In work at E" of deals that walk their path (created before E, not settled before E): their paths'
  // tails are fetched together first (the walks are cache misses spread over the path arrays).
  template <bool kAtClose, class Scan>
  void add_walked(const Scan& col, const std::size_t* rows, std::size_t n) {
    const Context& x = *cx;
    const PathIndex& paths = x.ds->paths();
    for (std::size_t k = 0; k < n; ++k) prefetch(&paths.offset[rows[k] + 1]);
    for (std::size_t k = 0; k < n; ++k) {
      const std::uint64_t last = paths.offset[rows[k] + 1];
      if (last == 0) continue;
      prefetch(&paths.entered_at[last - 1]);
      prefetch(&paths.stage[last - 1]);
    }
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = rows[k];
      if (!in_work_by_path(i) || !col.keeps(i)) continue;
      const auto s = kAtClose ? x.owner(i, x.end - 1) : col.slot(col.responsible[i]);
      if (s >= 0) ++counts[static_cast<std::size_t>(s)].in_work;
    }
  }

  // A deal closed in the period, attributed to slot s: won (with its budget and time to close) or lost.
  void add_close(std::size_t s, StageKind k, std::int64_t to_close, std::int64_t budget) {
    Counts& c = counts[s];
    if (k != StageKind::won) {
      ++c.lost;
      return;
    }
    ++c.won;
    c.won_budget += budget;
    add_won_duration(s, to_close);
  }

  // A won deal's time to close, for slot s's median. Two-pass medians: pass 1 keeps the durations
  // themselves while they fit (binned into the users' histograms at the end of the range: bin_kept()),
  // so that pass 2 need not scan the rows.
  void add_won_duration(std::size_t s, std::int64_t to_close) {
    if (histogram_medians && kept_all && kept_n < keep_limit) {
      auto& v = kept[s];
      if (v.size() < v.capacity()) [[likely]] v.push_back(to_close);
      else grow_kept(v, to_close);
      ++kept_n;
      return;
    }
    add_duration(s, to_close);
  }

  // kept[s].push_back when it must grow (kept apart so that the common case stays inline).
  static void grow_kept(std::vector<std::int64_t>& v, std::int64_t x) {
    v.reserve(std::max<std::size_t>(1024, 2 * v.capacity()));
    v.push_back(x);
  }

  // A won deal's time to close into slot s's set directly (values mode, or pass 1 once the kept ones overflow).
  void add_duration(std::size_t s, std::int64_t to_close) {
    if (histogram_medians && kept_all) drop_kept();
    durations[s].add(to_close);
  }

  // Pass 1: bins the kept durations not binned yet into their users' histograms.
  void bin_kept() {
    for (std::size_t s = 0; s < kept.size(); ++s) {
      auto& d = durations[s];
      for (std::size_t j = kept_binned[s]; j < kept[s].size(); ++j) d.add(kept[s][j]);
      kept_binned[s] = kept[s].size();
    }
  }

  // Gives up keeping the durations (pass 2 then scans the rows); every kept one is binned first.
  void drop_kept() {
    bin_kept();
    kept_all = false;
    kept_n = 0;
    kept = {};
    kept_binned = {};
  }

  // Pass 1, two-pass medians: the group and team histograms as sums of the users' (exact: counts per bin).
  void sum_histograms() {
    for (auto& g : group_durations) {
      g = detail::DurationSet{};
      g.use_histogram();
    }
    team_durations = detail::DurationSet{};
    team_durations.use_histogram();
    for (std::size_t s = 0; s < durations.size(); ++s) {
      group_durations[cx->group_of_slot[s]].merge(durations[s]);
      team_durations.merge(durations[s]);
    }
  }

  // Pass 2 from the kept durations: the values add_selected_rows would find, slot by slot.
  bool select_from_kept() override {
    if (!kept_all) return false;
    for (std::size_t s = 0; s < kept.size() && s < durations.size(); ++s) {
      durations[s].pick(kept[s]);
      group_durations[cx->group_of_slot[s]].pick(kept[s]);
      team_durations.pick(kept[s]);
    }
    drop_kept();
    return true;
  }

  // Pass 2 of the two-pass medians: only the won deals' times to close (no path walk, no tasks).
  void add_selected_rows(const Dataset& ds, std::size_t b, std::size_t e) override {
    const std::size_t nd = ds.deals().size();
    const auto& d = cx->ds->deals();
    const auto& kind = cx->ds->stages().kind;
    for (std::size_t i = b; i < std::min(e, nd); ++i) {
      if (kind[d.stage[i]] != StageKind::won || !cx->in_range(d.closed_at[i])) continue;
      if (!cx->sel->selects_ignoring_period(i)) continue;
      const auto s = cx->owner(i, d.closed_at[i]);
      if (s < 0) continue;
      const std::int64_t v = d.closed_at[i] - d.created_at[i];
      durations[static_cast<std::size_t>(s)].add(v);
      group_durations[cx->group_of_slot[static_cast<std::size_t>(s)]].add(v);
      team_durations.add(v);
    }
  }

  // Tasks [b, e): created and completed in the period, overdue at E (due before E, not completed before
  // E); one owner look-up for the tasks that count.
  void add_tasks(std::size_t b, std::size_t e) {
    const auto& t = cx->ds->tasks();
    const std::int64_t* created_at = t.created_at.data();
    const std::int64_t* completed_at = t.completed_at.data();
    const std::int64_t* due_at = t.due_at.data();
    const std::uint32_t* responsible = t.responsible.data();
    const std::int32_t* slot_of_user = cx->slot_of_user.data();
    const std::size_t no_user = cx->slot_of_user.size() - 1;
    const std::int64_t start = cx->start, end = cx->end;  // start: as in add_deals_as
    for (std::size_t i = b; i < e; ++i) {
      const std::int64_t created = created_at[i], done = completed_at[i];
      const bool made = created >= start && created < end;
      const bool finished = done != kNoTime && done >= start && done < end;
      bool overdue = false;
      if (created < end && (done == kNoTime || done >= end)) {
        const std::int64_t due = due_at[i];
        overdue = due != kNoTime && due < end;
      }
      if (!(made || finished || overdue)) continue;
      const std::int32_t s = slot_of_user[std::min<std::size_t>(responsible[i], no_user)];
      if (s < 0) continue;
      auto& c = counts[static_cast<std::size_t>(s)];
      c.tasks_created += made;
      c.tasks_completed += finished;
      c.tasks_overdue += overdue;
    }
  }

  void merge_from(const ReportPartial::State& other) override {
    const auto& o = static_cast<const EmployeesState&>(other);
    for (std::size_t s = 0; s < counts.size() && s < o.counts.size(); ++s) {
      counts[s].add(o.counts[s]);
      durations[s].merge(o.durations[s]);
    }
    for (std::size_t g = 0; g < group_durations.size() && g < o.group_durations.size(); ++g)
      group_durations[g].merge(o.group_durations[g]);
    team_durations.merge(o.team_durations);
    owner_changes += o.owner_changes;
    // Both sides' kept durations are already binned (add_rows ends with bin_kept), so the merged
    // histograms hold them.
    if (!kept_all || !o.kept_all || kept_n + o.kept_n > keep_limit) {
      drop_kept();
      return;
    }
    kept.resize(std::max(kept.size(), o.kept.size()));
    kept_binned.resize(kept.size());
    for (std::size_t s = 0; s < o.kept.size(); ++s) {
      kept[s].insert(kept[s].end(), o.kept[s].begin(), o.kept[s].end());
      kept_binned[s] = kept[s].size();
    }
    kept_n += o.kept_n;
  }

  void write(detail::ByteWriter& w) const override {
    w.uint(static_cast<std::uint64_t>(counts.size()));
    w.uint(static_cast<std::uint64_t>(owner_changes));
    for (std::size_t s = 0; s < counts.size(); ++s) {
      const Counts& c = counts[s];
      detail::write_i64s(w, {c.new_deals, c.won, c.won_budget, c.lost, c.in_work, c.tasks_created, c.tasks_completed,
                             c.tasks_overdue});
      durations[s].write(w);
    }
  }

  void read(detail::ByteReader& r) override {
    const auto n = r.uint<std::uint64_t>();
    if (n > r.remaining() / 64) r.fail("bad number of users");
    owner_changes = static_cast<std::int64_t>(r.uint<std::uint64_t>());
    resize(static_cast<std::size_t>(n), 0);  // group sets are for two-pass medians only
    for (std::size_t s = 0; s < counts.size(); ++s) {
      const auto v = detail::read_i64s(r, 8);
      counts[s] = Counts{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]};
      durations[s] = detail::DurationSet::read(r);
    }
  }

  ReportResult finalize(const Dataset& ds) const override;
};

// A row from merged counts and the won deals' durations (reordered by the median).
EmployeeRow make_row(const Counts& c, const detail::DurationSet& dur, double confidence) {
  EmployeeRow r;
  r.new_deals = c.new_deals;
  r.won = c.won;
  r.won_budget_minor = c.won_budget;
  r.lost = c.lost;
  r.in_work = c.in_work;
  r.tasks_created = c.tasks_created;
  r.tasks_completed = c.tasks_completed;
  r.tasks_overdue = c.tasks_overdue;
  const auto win = wilson_rate_pct(c.won, c.won + c.lost, confidence);  // NaN with nothing closed
  r.win_rate_pct = win.pct;
  r.win_rate_lower_pct = win.lower_pct;
  r.win_rate_upper_pct = win.upper_pct;
  r.mean_time_to_close_s = dur.mean();
  r.median_time_to_close_s = dur.median();
  return r;
}

// Sorts rows by column (NaN last in either order; ties by user id, then name) and numbers them.
void rank_rows(std::vector<EmployeeRow>& rows, const std::string& col, bool ascending) {
  std::vector<double> key(rows.size());
  std::vector<std::size_t> order(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    key[i] = employee_column_value(rows[i], col);
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const bool na = std::isnan(key[a]), nb = std::isnan(key[b]);
    if (na != nb) return nb;
    if (!na && key[a] != key[b]) return ascending ? key[a] < key[b] : key[a] > key[b];
    if (rows[a].user_id != rows[b].user_id) return rows[a].user_id < rows[b].user_id;
    return rows[a].name < rows[b].name;
  });
  std::vector<EmployeeRow> out;
  out.reserve(rows.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    out.push_back(std::move(rows[order[k]]));
    out.back().rank = static_cast<std::int64_t>(k + 1);
  }
  rows = std::move(out);
}

double median_of(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.empty()) return kNaN;
  const std::size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double hi = v[mid];
  if (v.size() % 2 == 1) return hi;
  return (*std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid)) + hi) / 2.0;
}


}  // namespace

namespace detail {

DEALSTAT_API std::int64_t employees_keep_durations = std::int64_t{1} << 20;

std::unique_ptr<ReportPartial::State> make_employees_state(const Dataset& ds, const EmployeesOptions& opt, std::int64_t first) {
  const Context cx(ds, opt);  // validates
  auto s = std::make_unique<EmployeesState>();
  s->options = opt;
  s->first = first;
  s->resize(cx.slots, ds.users().group_name.size() + 1);
  return s;
}

std::unique_ptr<ReportPartial::State> blank_employees_state() { return std::make_unique<EmployeesState>(); }

}  // namespace detail

EmployeesResult employees(const Dataset& ds, const EmployeesOptions& opt) {
  return std::get<EmployeesResult>(detail::run_report(ds, opt, opt.threads));
}

ReportResult EmployeesState::finalize(const Dataset& ds) const {
  const EmployeesOptions& opt = this->opt();
  const EmployeesState& s = *this;
  const Context cx(ds, opt);
  if (cx.slots != counts.size())
    throw Error::bad_option("partial", "employees", "the dataset's users differ from the partial's");
  const auto& users = ds.users();
  const auto& user_ok = cx.user_ok;
  const auto& compare_rows = cx.compare_rows;
  const std::int64_t end = cx.end;
  const InstantRange& range = cx.sel->range();
  EmployeesResult r;
  r.period_start_s = range.start_s;
  r.period_end_s = end;
  r.attribution = opt.attribution;
  r.rank_by = opt.rank_by;
  r.ascending = opt.ascending;
  r.owner_changes = owner_changes;

  // Group and team aggregates (before the per-user medians reorder the durations; order does not matter).
  const std::size_t n_groups = users.group_name.size();
  std::vector<Counts> group_counts(n_groups + 1);  // last: no group
  std::vector<detail::DurationSet> group_dur(n_groups + 1);
  std::vector<std::uint8_t> group_used(n_groups + 1, 0);
  Counts team;
  detail::DurationSet team_dur;
  for (std::size_t slot = 0; slot < cx.slots; ++slot) {
    const bool unassigned = slot == users.size();
    if (!unassigned && !user_ok.empty() && !user_ok[slot]) continue;
    const std::size_t g = unassigned || users.group[slot] == kNone ? n_groups : users.group[slot];
    const bool has_work = s.counts[slot].new_deals || s.counts[slot].won || s.counts[slot].lost ||
                          s.counts[slot].in_work || s.counts[slot].tasks_created || s.counts[slot].tasks_completed ||
                          s.counts[slot].tasks_overdue;
    if (unassigned && !has_work) continue;
    group_used[g] = 1;
    group_counts[g].add(s.counts[slot]);
    if (!histogram_medians) group_dur[g].merge(s.durations[slot]);
    team.add(s.counts[slot]);
    if (!histogram_medians) team_dur.merge(s.durations[slot]);
  }
  if (histogram_medians) {  // their own two-pass sets (see group_durations)
    if (group_durations.size() != n_groups + 1)
      throw Error::bad_option("partial", "employees", "the dataset's groups differ from the partial's");
    group_dur = group_durations;
    team_dur = team_durations;
  }
  r.team = make_row(team, team_dur, opt.confidence);
  r.team.user_id = kNoId;
  r.team.name = "(team)";
  const double team_budget = static_cast<double>(team.won_budget);
  auto share = [&](EmployeeRow& row) {
    row.won_budget_share_pct = team.won_budget > 0 ? 100.0 * static_cast<double>(row.won_budget_minor) / team_budget : kNaN;
  };
  share(r.team);

  for (std::size_t u = 0; u < users.size(); ++u) {
    if (!user_ok.empty() && !user_ok[u]) continue;
    EmployeeRow row = make_row(s.counts[u], s.durations[u], opt.confidence);
    row.user_id = users.id[u];
    row.name = std::string(ds.str(users.name[u]));
    if (users.group[u] != kNone) row.group = std::string(ds.str(users.group_name[users.group[u]]));
    share(row);
    r.users.push_back(std::move(row));
  }
  {
    const auto& c = s.counts[users.size()];
    if (c.new_deals || c.won || c.lost || c.in_work || c.tasks_created || c.tasks_completed || c.tasks_overdue) {
      EmployeeRow row = make_row(c, s.durations[users.size()], opt.confidence);
      row.user_id = kNoId;
      row.name = "(unassigned)";
      share(row);
      r.unassigned = std::move(row);
    }
  }
  for (std::size_t g = 0; g <= n_groups; ++g) {
    // Every named group with a user the filter keeps; "(no group)" only when something falls in it.
    bool keep = group_used[g] != 0;
    if (!keep && g < n_groups)
      for (std::size_t u = 0; u < users.size() && !keep; ++u)
        keep = users.group[u] == g && (user_ok.empty() || user_ok[u]);
    if (!keep) continue;
    EmployeeRow row = make_row(group_counts[g], group_dur[g], opt.confidence);
    row.user_id = kNoId;
    row.name = g < n_groups ? std::string(ds.str(users.group_name[g])) : "(no group)";
    row.group = g < n_groups ? row.name : "";
    share(row);
    r.groups.push_back(std::move(row));
  }
  rank_rows(r.users, opt.rank_by, opt.ascending);
  rank_rows(r.groups, opt.rank_by, opt.ascending);

  if (!compare_rows.empty()) {
    auto& cmp = r.comparison;
    cmp.metrics = employee_columns();
    for (const auto& m : cmp.metrics) {
      std::vector<double> all;
      all.reserve(r.users.size());
      for (const auto& row : r.users) all.push_back(employee_column_value(row, m));
      cmp.team_median.push_back(median_of(std::move(all)));
    }
    for (auto u : compare_rows) {
      const auto it = std::find_if(r.users.begin(), r.users.end(),
                                   [&](const EmployeeRow& row) { return row.user_id == users.id[u]; });
      cmp.user_ids.push_back(it->user_id);
      cmp.user_names.push_back(it->name);
      std::vector<double> vals;
      for (const auto& m : cmp.metrics) vals.push_back(employee_column_value(*it, m));
      cmp.values.push_back(std::move(vals));
    }
  }
  return r;
}

namespace {

void add_rows(ResultTable& t, const std::vector<const EmployeeRow*>& rows) {
  std::vector<std::int64_t> ids, rank, nd, won, wb, lost, inw, tc, tco, tov;
  std::vector<std::uint8_t> id_valid, rank_valid;
  std::vector<std::string> names, groups;
  std::vector<double> share, wr, wrl, wru, mean, med;
  for (const auto* r : rows) {
    ids.push_back(r->user_id == kNoId ? 0 : r->user_id);
    id_valid.push_back(r->user_id == kNoId ? 0 : 1);
    names.push_back(r->name);
    groups.push_back(r->group);
    rank.push_back(r->rank);
    rank_valid.push_back(r->rank > 0 ? 1 : 0);
    nd.push_back(r->new_deals);
    won.push_back(r->won);
    wb.push_back(r->won_budget_minor);
    share.push_back(r->won_budget_share_pct);
    lost.push_back(r->lost);
    inw.push_back(r->in_work);
    wr.push_back(r->win_rate_pct);
    wrl.push_back(r->win_rate_lower_pct);
    wru.push_back(r->win_rate_upper_pct);
    mean.push_back(r->mean_time_to_close_s);
    med.push_back(r->median_time_to_close_s);
    tc.push_back(r->tasks_created);
    tco.push_back(r->tasks_completed);
    tov.push_back(r->tasks_overdue);
  }
  t.add("rank", std::move(rank), std::move(rank_valid));
  t.add("user_id", std::move(ids), std::move(id_valid)).add("name", std::move(names)).add("group", std::move(groups));
  t.add("new_deals", std::move(nd)).add("won", std::move(won)).add("won_budget_minor", std::move(wb));
  t.add("won_budget_share_pct", std::move(share)).add("lost", std::move(lost)).add("in_work", std::move(inw));
  t.add("win_rate_pct", std::move(wr)).add("win_rate_lower_pct", std::move(wrl)).add("win_rate_upper_pct", std::move(wru));
  t.add("mean_time_to_close_s", std::move(mean)).add("median_time_to_close_s", std::move(med));
  t.add("tasks_created", std::move(tc)).add("tasks_completed", std::move(tco)).add("tasks_overdue", std::move(tov));
}

}  // namespace

std::vector<ResultTable> EmployeesResult::to_tables() const {
  std::vector<ResultTable> out;
  std::vector<const EmployeeRow*> rows;
  for (const auto& u : users) rows.push_back(&u);
  if (unassigned) rows.push_back(&*unassigned);
  ResultTable t{"employees", {}};
  add_rows(t, rows);
  out.push_back(std::move(t));
  rows.clear();
  for (const auto& g : groups) rows.push_back(&g);
  ResultTable gt{"employees_groups", {}};
  add_rows(gt, rows);
  out.push_back(std::move(gt));
  ResultTable tt{"employees_team", {}};
  add_rows(tt, {&team});
  out.push_back(std::move(tt));
  if (!comparison.user_ids.empty()) {
    ResultTable c{"employees_comparison", {}};
    c.add("metric", std::vector<std::string>(comparison.metrics));
    std::unordered_set<std::string> used{"metric", "team_median"};
    for (std::size_t u = 0; u < comparison.user_ids.size(); ++u) {
      std::string name = comparison.user_names[u];
      if (!used.insert(name).second) {
        name += " [" + std::to_string(comparison.user_ids[u]) + "]";
        used.insert(name);
      }
      c.add(std::move(name), std::vector<double>(comparison.values[u]));
    }
    c.add("team_median", std::vector<double>(comparison.team_median));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace v1
}  // namespace dealstat
