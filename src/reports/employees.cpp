// The employees report: accumulate deal and task figures per user over ranges
// of rows, merge, then build user, group and team rows, rank and compare.
#include "dealstat/reports/employees.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>

#include "dealstat/core/error.hpp"
#include "dealstat/data/owner_history.hpp"
#include "dealstat/stats/wilson.hpp"
#include "detail/median.hpp"
#include "detail/parallel.hpp"

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

// What the accumulate steps need, resolved once.
struct Context {
  const Dataset* ds;
  const DealSelector* sel;
  const OwnerHistory* history;        // null for current attribution
  const std::vector<std::uint8_t>* user_ok;  // by user row; empty = any (unassigned included)
  std::int64_t start;                 // period start (kNoTime = unbounded)
  std::int64_t end;                   // E, exclusive
  std::size_t slots;                  // users + 1 (the last one: unassigned)

  bool in_range(std::int64_t t) const { return (start == kNoTime || t >= start) && t < end; }
  // Slot of user row u (kNone = unassigned), or -1 when the users/groups filter drops it.
  std::ptrdiff_t slot(std::uint32_t u) const {
    if (!user_ok->empty() && (u == kNone || !(*user_ok)[u])) return -1;
    return u == kNone ? static_cast<std::ptrdiff_t>(slots - 1) : static_cast<std::ptrdiff_t>(u);
  }
  std::ptrdiff_t owner(std::size_t deal, std::int64_t t) const {
    return slot(history ? history->owner_at(*ds, deal, t) : ds->deals().responsible[deal]);
  }
};

struct EmployeesState {
  const Context* cx;
  std::vector<Counts> counts;                       // by slot
  std::vector<std::vector<std::int64_t>> durations;  // by slot: time to close of won deals

  explicit EmployeesState(const Context& c) : cx(&c), counts(c.slots), durations(c.slots) {}

  void add_deals(std::size_t b, std::size_t e) {
    const auto& d = cx->ds->deals();
    const auto& kind = cx->ds->stages().kind;
    const auto& paths = cx->ds->paths();
    for (std::size_t i = b; i < e; ++i) {
      if (!cx->sel->selects_ignoring_period(i)) continue;
      const std::int64_t created = d.created_at[i];
      if (cx->in_range(created))
        if (auto s = cx->owner(i, created); s >= 0) ++counts[static_cast<std::size_t>(s)].new_deals;
      const StageKind k = kind[d.stage[i]];
      if (is_closed_kind(k) && cx->in_range(d.closed_at[i])) {
        if (auto s = cx->owner(i, d.closed_at[i]); s >= 0) {
          auto& c = counts[static_cast<std::size_t>(s)];
          if (k == StageKind::won) {
            ++c.won;
            c.won_budget += d.budget_minor[i];
            durations[static_cast<std::size_t>(s)].push_back(d.closed_at[i] - created);
          } else {
            ++c.lost;
          }
        }
      }
      // In work at the end: created before E, and the path's last entry before E is not a close.
      if (created < cx->end) {
        const PathView p = paths.path(i);
        bool active = true;
        for (std::size_t j = p.size(); j-- > 0;)
          if (p.entered_at[j] < cx->end) {
            active = !is_closed_kind(kind[p.stage[j]]);
            break;
          }
        if (active)
          if (auto s = cx->owner(i, cx->end - 1); s >= 0) ++counts[static_cast<std::size_t>(s)].in_work;
      }
    }
  }

  void add_tasks(std::size_t b, std::size_t e) {
    const auto& t = cx->ds->tasks();
    for (std::size_t i = b; i < e; ++i) {
      const auto s = cx->slot(t.responsible[i]);
      if (s < 0) continue;
      auto& c = counts[static_cast<std::size_t>(s)];
      if (cx->in_range(t.created_at[i])) ++c.tasks_created;
      const std::int64_t done = t.completed_at[i];
      if (done != kNoTime && cx->in_range(done)) ++c.tasks_completed;
      if (t.created_at[i] < cx->end && t.due_at[i] != kNoTime && t.due_at[i] < cx->end &&
          (done == kNoTime || done >= cx->end))
        ++c.tasks_overdue;
    }
  }

  void merge(EmployeesState& o) {
    for (std::size_t s = 0; s < counts.size(); ++s) {
      counts[s].add(o.counts[s]);
      durations[s].insert(durations[s].end(), o.durations[s].begin(), o.durations[s].end());
    }
  }
};

// A row from merged counts and the won deals' durations (reordered by the median).
EmployeeRow make_row(const Counts& c, std::vector<std::int64_t>& dur, double confidence) {
  EmployeeRow r;
  r.new_deals = c.new_deals;
  r.won = c.won;
  r.won_budget_minor = c.won_budget;
  r.lost = c.lost;
  r.in_work = c.in_work;
  r.tasks_created = c.tasks_created;
  r.tasks_completed = c.tasks_completed;
  r.tasks_overdue = c.tasks_overdue;
  const std::int64_t closed = c.won + c.lost;
  r.win_rate_pct = r.win_rate_lower_pct = r.win_rate_upper_pct = kNaN;
  if (closed > 0) {
    r.win_rate_pct = 100.0 * static_cast<double>(c.won) / static_cast<double>(closed);
    const auto w = wilson_interval(c.won, closed, confidence);
    r.win_rate_lower_pct = 100.0 * w.lower;
    r.win_rate_upper_pct = 100.0 * w.upper;
  }
  r.mean_time_to_close_s = detail::mean(dur);
  r.median_time_to_close_s = detail::median_inplace(dur);
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

Timestamp default_as_of(const Dataset& ds) {
  std::int64_t end = dataset_end(ds).seconds;
  const auto& t = ds.tasks();
  for (std::size_t i = 0; i < t.size(); ++i) {
    end = std::max(end, t.created_at[i]);
    if (t.completed_at[i] != kNoTime) end = std::max(end, t.completed_at[i]);
  }
  return Timestamp{end};
}

}  // namespace

EmployeesResult employees(const Dataset& ds, const EmployeesOptions& opt) {
  if (!(opt.confidence > 0 && opt.confidence < 1))
    throw Error::bad_option("confidence", std::to_string(opt.confidence), "must be between 0 and 1");
  employee_column_value(EmployeeRow{}, opt.rank_by);  // validates rank_by
  // The users/groups part of the filter chooses rows (by attributed user), so the deal selector gets the rest.
  DealSelector validate_all(ds, opt.filter);  // names a bad "users" / "groups" / "pipeline" / "to"
  DealFilter deal_filter = opt.filter;
  deal_filter.users.clear();
  deal_filter.groups.clear();
  const DealSelector selector(ds, deal_filter);
  const auto& users = ds.users();
  std::vector<std::uint8_t> user_ok;
  if (!opt.filter.users.empty() || !opt.filter.groups.empty()) {
    user_ok.assign(users.size(), 0);
    for (auto id : opt.filter.users) user_ok[ds.find_user(UserId{id})->value] = 1;
    for (const auto& g : opt.filter.groups)
      for (std::size_t u = 0; u < users.size(); ++u)
        if (users.group[u] != kNone && ds.str(users.group_name[users.group[u]]) == g) user_ok[u] = 1;
  }
  // Compared users: known, kept by the filter, each once.
  std::vector<std::uint32_t> compare_rows;
  for (auto id : opt.compare) {
    auto u = ds.find_user(UserId{id});
    if (!u) throw Error::bad_option("compare", std::to_string(id), "no user with this id");
    if (!user_ok.empty() && !user_ok[u->value])
      throw Error::bad_option("compare", std::to_string(id), "user left out by the users/groups filter");
    if (std::find(compare_rows.begin(), compare_rows.end(), u->value) != compare_rows.end())
      throw Error::bad_option("compare", std::to_string(id), "user listed twice");
    compare_rows.push_back(u->value);
  }

  const std::int64_t as_of = (opt.as_of ? *opt.as_of : default_as_of(ds)).seconds;
  const InstantRange& range = selector.range();
  std::int64_t end = as_of + 1;
  if (range.end_s != kNoTime) end = std::min(end, range.end_s);

  OwnerHistory history;
  if (opt.attribution == Attribution::at_close) history = build_owner_history(ds);
  const Context cx{&ds, &selector, opt.attribution == Attribution::at_close ? &history : nullptr, &user_ok,
                   range.start_s, end, users.size() + 1};

  const std::size_t n = ds.deals().size();
  EmployeesState s = detail::accumulate_parallel(
      n, detail::resolve_threads(opt.threads, n), [&] { return EmployeesState(cx); },
      [](EmployeesState& st, std::size_t b, std::size_t e) { st.add_deals(b, e); });
  const std::size_t nt = ds.tasks().size();
  EmployeesState ts = detail::accumulate_parallel(
      nt, detail::resolve_threads(opt.threads, nt), [&] { return EmployeesState(cx); },
      [](EmployeesState& st, std::size_t b, std::size_t e) { st.add_tasks(b, e); });
  s.merge(ts);

  EmployeesResult r;
  r.period_start_s = range.start_s;
  r.period_end_s = end;
  r.attribution = opt.attribution;
  r.rank_by = opt.rank_by;
  r.ascending = opt.ascending;
  r.owner_changes = history.changes;

  // Group and team aggregates (before the per-user medians reorder the durations; order does not matter).
  const std::size_t n_groups = users.group_name.size();
  std::vector<Counts> group_counts(n_groups + 1);  // last: no group
  std::vector<std::vector<std::int64_t>> group_dur(n_groups + 1);
  std::vector<std::uint8_t> group_used(n_groups + 1, 0);
  Counts team;
  std::vector<std::int64_t> team_dur;
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
    group_dur[g].insert(group_dur[g].end(), s.durations[slot].begin(), s.durations[slot].end());
    team.add(s.counts[slot]);
    team_dur.insert(team_dur.end(), s.durations[slot].begin(), s.durations[slot].end());
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
