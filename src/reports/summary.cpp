// Summary: one pass over the rows of every table (deals, tasks, contacts,
// companies, customers, invoices, purchases, seen as one concatenated range)
// accumulating per-bucket counts, the stage snapshot and tasks per user;
// merge; finalize into series and shares. Time in stage is stage_time().
#include "dealstat/reports/summary.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>

#include "dealstat/core/error.hpp"
#include "detail/id_map.hpp"
#include "dealstat/reports/partial.hpp"
#include "reports/partial_state.hpp"

namespace dealstat {
inline namespace v1 {

namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// Series columns of one bucket, in SummaryBucket's order.
enum Series : std::size_t { kDeals, kContacts, kCompanies, kCustomers, kTasks, kInvoices, kPurchases, kAmount, kSeries };

// The tables walked, in the order of the concatenated row range.
enum Part : std::size_t { pDeals, pTasks, pContacts, pCompanies, pCustomers, pInvoices, pPurchases, kParts };

// Users the filter's users and groups allow (empty = any); DealSelector has validated the names.
std::vector<std::uint8_t> allowed_users(const Dataset& ds, const DealFilter& f) {
  std::vector<std::uint8_t> ok;
  if (f.users.empty() && f.groups.empty()) return ok;
  const auto& users = ds.users();
  ok.assign(users.size(), 0);
  for (auto id : f.users)
    if (auto u = ds.find_user(UserId{id})) ok[u->value] = 1;
  for (const auto& g : f.groups)
    for (std::size_t u = 0; u < users.size(); ++u)
      if (users.group[u] != kNone && ds.str(users.group_name[users.group[u]]) == g) ok[u] = 1;
  return ok;
}

// The period, its bucket edges and the snapshot instant, from pinned options.
struct Frame {
  LocalDate from, to;
  std::vector<LocalDate> edge_days;
  std::vector<std::int64_t> edges;     // bucket edges as instants
  std::int64_t snapshot = 0;           // stage at the snapshot: last path entry <= snapshot
  std::int64_t closed_from = 0;        // won/lost count when entered at or after this

  Frame(const Dataset& ds, const SummaryOptions& opt, std::int64_t first) {
    const std::int64_t as_of = opt.as_of->seconds;
    const TimeZone& tz = ds.account().time_zone;
    from = opt.filter.period.from ? *opt.filter.period.from : tz.local_date(Timestamp{std::min(first, as_of)});
    to = opt.filter.period.to ? *opt.filter.period.to : LocalDate{tz.local_date(Timestamp{as_of}).days + 1};
    if (to <= from) throw Error::bad_option("to", format_date(to), "period ends before it starts");
    edge_days = bucket_edges(from, to, opt.bucket, ds.account().first_day_of_week);
    if (edge_days.size() > 100001) throw Error::bad_option("bucket", bucket_name(opt.bucket), "more than 100000 buckets");
    for (auto d : edge_days) edges.push_back(tz.start_of_day(d).seconds);
    edges.front() = tz.start_of_day(from).seconds;  // the first and last bucket are clipped to the period
    edges.back() = tz.start_of_day(to).seconds;
    snapshot = std::min(as_of, edges.back() - 1);
    closed_from = opt.filter.period.from ? edges.front() : std::numeric_limits<std::int64_t>::min();
  }
  // The options of the time-in-stage part: the filter, at the snapshot.
  static StageTimeOptions stage_time_options(const SummaryOptions& opt, std::int64_t snapshot) {
    StageTimeOptions sto;
    sto.filter = opt.filter;
    sto.as_of = Timestamp{snapshot};
    sto.threads = opt.threads;
    return sto;
  }
};

struct Context {
  const Dataset* ds;
  DealSelector sel;            // the filter, for the created series (current pipeline)
  DealSelector sel_any_pipe;   // the filter without its pipeline, for the snapshot
  std::optional<std::uint32_t> pipeline;
  StatusFilter status;
  std::vector<std::uint8_t> user_ok;  // by UserIndex; empty = any user
  detail::IdMap customer_rows;        // customer id -> row (only with a user filter)
  Frame frame;
  std::array<std::size_t, kParts + 1> part_begin;  // offsets of each table in the concatenated range

  static DealFilter without_pipeline(DealFilter f) {
    f.pipeline.clear();
    return f;
  }
  Context(const Dataset& d, const SummaryOptions& opt, std::int64_t first)
      : ds(&d), sel(d, opt.filter), sel_any_pipe(d, without_pipeline(opt.filter)), status(opt.filter.status),
        user_ok(allowed_users(d, opt.filter)), frame(d, opt, first) {
    if (sel.pipeline()) pipeline = sel.pipeline()->value;
    if (!user_ok.empty()) {
      customer_rows.reserve(d.customers().size());
      for (std::size_t i = 0; i < d.customers().size(); ++i)
        customer_rows.insert(d.customers().id[i], static_cast<std::uint32_t>(i));
    }
    const std::array<std::size_t, kParts> sizes = {d.deals().size(),     d.tasks().size(),     d.contacts().size(),
                                                   d.companies().size(), d.customers().size(), d.invoices().size(),
                                                   d.purchases().size()};
    part_begin[0] = 0;
    for (std::size_t p = 0; p < kParts; ++p) part_begin[p + 1] = part_begin[p] + sizes[p];
  }

  bool user_passes(std::uint32_t u) const { return user_ok.empty() || (u != kNone && user_ok[u]); }
  std::ptrdiff_t bucket_of(std::int64_t t) const {
    const auto& edges = frame.edges;
    if (t < edges.front() || t >= edges.back()) return -1;
    return std::upper_bound(edges.begin(), edges.end(), t) - edges.begin() - 1;
  }
};

struct SummaryState final : ReportPartial::State {
  std::shared_ptr<const Context> cx;  // set between prepare() and release()
  std::vector<std::int64_t> series;  // bucket * kSeries + column
  std::vector<std::int64_t> stage_deals, stage_budget;  // by StageIndex
  std::vector<std::int64_t> user_tasks;                 // by UserIndex; the last slot = nobody
  std::unique_ptr<ReportPartial::State> stage_time;     // time in stage at the snapshot

  SummaryState() = default;
  SummaryState(const SummaryState& o)
      : ReportPartial::State(o), cx(o.cx), series(o.series), stage_deals(o.stage_deals), stage_budget(o.stage_budget),
        user_tasks(o.user_tasks), stage_time(o.stage_time ? o.stage_time->clone() : nullptr) {}

  const SummaryOptions& opt() const { return std::get<SummaryOptions>(options); }
  void resize(std::size_t buckets, std::size_t stages, std::size_t users) {
    series.assign(buckets * kSeries, 0);
    stage_deals.assign(stages, 0);
    stage_budget.assign(stages, 0);
    user_tasks.assign(users + 1, 0);
  }

  std::unique_ptr<ReportPartial::State> clone() const override { return std::make_unique<SummaryState>(*this); }
  std::unique_ptr<ReportPartial::State> empty_like() const override {
    auto s = std::make_unique<SummaryState>();
    s->options = options;
    s->first = first;
    s->cx = cx;
    s->resize(series.size() / kSeries, stage_deals.size(), user_tasks.size() - 1);
    s->stage_time = stage_time->empty_like();
    return s;
  }
  void prepare(const Dataset& ds) override {
    cx = std::make_shared<const Context>(ds, opt(), first);
    // The time-in-stage part is censored at the snapshot (also after reading bytes, which do not carry it).
    stage_time->options = Frame::stage_time_options(opt(), cx->frame.snapshot);
    stage_time->prepare(ds);
  }
  void release() override {
    cx.reset();
    stage_time->release();
  }
  std::size_t rows(const Dataset& ds) const override {
    return ds.deals().size() + ds.tasks().size() + ds.contacts().size() + ds.companies().size() +
           ds.customers().size() + ds.invoices().size() + ds.purchases().size();
  }
  bool exact() const override { return stage_time->exact(); }

  void count(std::int64_t t, Series col, std::int64_t add = 1) {
    if (auto b = cx->bucket_of(t); b >= 0) series[static_cast<std::size_t>(b) * kSeries + col] += add;
  }

  void add_deal(std::size_t i) {
    const Dataset& ds = *cx->ds;
    if (cx->sel.selects_ignoring_period(i)) count(ds.deals().created_at[i], kDeals);
    if (!cx->sel_any_pipe.selects_ignoring_period(i)) return;
    const PathView p = ds.paths().path(i);
    const auto k = std::upper_bound(p.entered_at.begin(), p.entered_at.end(), cx->frame.snapshot) - p.entered_at.begin();
    if (k == 0) return;  // not created yet at the snapshot
    const std::uint32_t s = p.stage[static_cast<std::size_t>(k - 1)];
    if (cx->pipeline && ds.stages().pipeline[s] != *cx->pipeline) return;
    const StageKind kind = ds.stages().kind[s];
    const bool closed = is_closed_kind(kind);
    switch (cx->status) {
      case StatusFilter::all: break;
      case StatusFilter::active: if (closed) return; break;
      case StatusFilter::closed: if (!closed) return; break;
      case StatusFilter::won: if (kind != StageKind::won) return; break;
      case StatusFilter::lost: if (kind != StageKind::lost) return; break;
    }
    if (closed && p.entered_at[static_cast<std::size_t>(k - 1)] < cx->frame.closed_from) return;  // closed before the period
    ++stage_deals[s];
    stage_budget[s] += ds.deals().budget_minor[i];
  }

  void add_simple(const SimpleEntityTable& t, std::size_t i, Series col) {
    if (cx->user_passes(t.responsible[i])) count(t.created_at[i], col);
  }

  void add_rows(const Dataset& ds, std::size_t b, std::size_t e) override {
    const std::size_t nd = ds.deals().size();
    if (b < nd) stage_time->add_rows(ds, b, std::min(e, nd));
    for (std::size_t part = 0; part < kParts; ++part) {
      const std::size_t pb = std::max(b, cx->part_begin[part]), pe = std::min(e, cx->part_begin[part + 1]);
      for (std::size_t g = pb; g < pe; ++g) {
        const std::size_t i = g - cx->part_begin[part];
        switch (static_cast<Part>(part)) {
          case pDeals: add_deal(i); break;
          case pTasks: {
            const auto& t = ds.tasks();
            const std::uint32_t u = t.responsible[i];
            if (!cx->user_passes(u)) break;
            if (cx->bucket_of(t.created_at[i]) < 0) break;
            count(t.created_at[i], kTasks);
            ++user_tasks[u == kNone ? user_tasks.size() - 1 : u];
            break;
          }
          case pContacts: add_simple(ds.contacts(), i, kContacts); break;
          case pCompanies: add_simple(ds.companies(), i, kCompanies); break;
          case pCustomers: add_simple(ds.customers(), i, kCustomers); break;
          case pInvoices: add_simple(ds.invoices(), i, kInvoices); break;
          case pPurchases: {
            const auto& pu = ds.purchases();
            if (!cx->user_ok.empty()) {
              const std::uint32_t row = pu.customer_id[i] == kNoId ? detail::IdMap::kMissing
                                                                   : cx->customer_rows.find(pu.customer_id[i]);
              if (row == detail::IdMap::kMissing || !cx->user_passes(ds.customers().responsible[row])) break;
            }
            count(pu.at[i], kPurchases);
            count(pu.at[i], kAmount, pu.amount_minor[i]);
            break;
          }
          case kParts: break;
        }
      }
    }
  }

  void merge_from(const ReportPartial::State& other) override {
    const auto& o = static_cast<const SummaryState&>(other);
    detail::add_into(series, o.series);
    detail::add_into(stage_deals, o.stage_deals);
    detail::add_into(stage_budget, o.stage_budget);
    detail::add_into(user_tasks, o.user_tasks);
    stage_time->merge_from(*o.stage_time);
  }

  void write(detail::ByteWriter& w) const override {
    detail::write_i64s(w, series);
    detail::write_i64s(w, stage_deals);
    detail::write_i64s(w, stage_budget);
    detail::write_i64s(w, user_tasks);
    stage_time->write(w);
  }

  void read(detail::ByteReader& r) override {
    series = detail::read_i64s(r);
    if (series.size() % kSeries != 0 || series.empty()) r.fail("bad summary series");
    stage_deals = detail::read_i64s(r);
    stage_budget = detail::read_i64s(r, stage_deals.size());
    user_tasks = detail::read_i64s(r);
    if (user_tasks.empty()) r.fail("bad summary users");
    stage_time = detail::blank_stage_time_state();
    stage_time->options = Frame::stage_time_options(opt(), 0);  // the snapshot is set by prepare() and finalize()
    stage_time->read(r);
  }

  ReportResult finalize(const Dataset& ds) const override;
};

double pct(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : std::nan("");
}

const char* kind_label(StageKind k) {
  static constexpr const char* names[] = {"unsorted", "open", "won", "lost"};
  return names[static_cast<int>(k)];
}

}  // namespace

namespace detail {

std::unique_ptr<ReportPartial::State> make_summary_state(const Dataset& ds, const SummaryOptions& opt, std::int64_t first) {
  const Context cx(ds, opt, first);  // validates
  auto s = std::make_unique<SummaryState>();
  s->options = opt;
  s->first = first;
  s->resize(cx.frame.edges.size() - 1, ds.stages().size(), ds.users().size());
  s->stage_time = make_stage_time_state(ds, Frame::stage_time_options(opt, cx.frame.snapshot), first);
  return s;
}

std::unique_ptr<ReportPartial::State> blank_summary_state() { return std::make_unique<SummaryState>(); }

}  // namespace detail

SummaryResult summary(const Dataset& ds, const SummaryOptions& opt) {
  ReportPartial p = ReportPartial::make(ds, opt);
  p.accumulate(ds, opt.threads);
  return std::get<SummaryResult>(p.finalize(ds));
}

ReportResult SummaryState::finalize(const Dataset& ds) const {
  const SummaryOptions& opt = this->opt();
  const SummaryState& s = *this;
  const Frame fr(ds, opt, first);
  const std::int64_t as_of = opt.as_of->seconds;
  const LocalDate from = fr.from;
  const std::vector<LocalDate>& edge_days = fr.edge_days;
  if (fr.edges.size() != series.size() / kSeries + 1 || stage_deals.size() != ds.stages().size() ||
      user_tasks.size() != ds.users().size() + 1)
    throw Error::bad_option("partial", "summary", "the dataset's stages, users or buckets differ from the partial's");
  struct {
    std::optional<std::uint32_t> pipeline;
    std::int64_t snapshot;
    std::vector<std::uint8_t> user_ok;
    bool user_passes(std::uint32_t u) const { return user_ok.empty() || (u != kNone && user_ok[u]); }
  } cx{std::nullopt, fr.snapshot, allowed_users(ds, opt.filter)};
  if (const DealSelector sel(ds, opt.filter); sel.pipeline()) cx.pipeline = sel.pipeline()->value;
  SummaryResult r;
  r.bucket = opt.bucket;
  r.as_of_s = as_of;
  r.snapshot_s = cx.snapshot;
  for (std::size_t b = 0; b + 1 < edge_days.size(); ++b) {
    const std::int64_t* v = &s.series[b * kSeries];
    SummaryBucket x;
    x.start = b == 0 ? from : edge_days[b];
    x.deals = v[kDeals];
    x.contacts = v[kContacts];
    x.companies = v[kCompanies];
    x.customers = v[kCustomers];
    x.tasks = v[kTasks];
    x.invoices = v[kInvoices];
    x.purchases = v[kPurchases];
    x.purchase_amount_minor = v[kAmount];
    r.buckets.push_back(x);
  }

  const auto& pl = ds.pipelines();
  const auto& st = ds.stages();
  std::int64_t budget_total = 0;
  for (std::uint32_t p = 0; p < pl.size(); ++p) {
    if (cx.pipeline && *cx.pipeline != p) continue;
    for (auto k = pl.stages_offset[p]; k < pl.stages_offset[p + 1]; ++k) {
      const auto idx = pl.stages_ordered[k];
      SummaryStage row;
      row.stage = idx;
      row.stage_id = st.id[idx];
      row.pipeline = std::string(ds.str(pl.name[p]));
      row.name = std::string(ds.str(st.name[idx]));
      row.kind = st.kind[idx];
      row.deals = s.stage_deals[idx];
      row.budget_minor = s.stage_budget[idx];
      r.stage_deals += row.deals;
      budget_total += row.budget_minor;
      r.stages.push_back(std::move(row));
    }
  }
  for (auto& row : r.stages) {
    row.share_pct = pct(row.deals, r.stage_deals);
    row.budget_share_pct = pct(row.budget_minor, budget_total);
  }

  {
    auto st = stage_time->clone();
    st->options = Frame::stage_time_options(opt, cx.snapshot);
    r.stage_time = std::get<StageTimeResult>(st->finalize(ds));
  }

  const auto& users = ds.users();
  for (std::size_t u = 0; u <= users.size(); ++u) {
    const bool nobody = u == users.size();
    if (nobody ? s.user_tasks[u] == 0 : !cx.user_passes(static_cast<std::uint32_t>(u))) continue;
    SummaryUserTasks row;
    row.user_id = nobody ? kNoId : users.id[u];
    row.name = nobody ? "(nobody)" : std::string(ds.str(users.name[u]));
    row.tasks = s.user_tasks[u];
    r.tasks += row.tasks;
    r.tasks_by_user.push_back(std::move(row));
  }
  std::stable_sort(r.tasks_by_user.begin(), r.tasks_by_user.end(),
                   [](const SummaryUserTasks& a, const SummaryUserTasks& b) { return a.tasks > b.tasks; });
  for (auto& row : r.tasks_by_user) row.share_pct = pct(row.tasks, r.tasks);
  return r;
}

std::vector<ResultTable> SummaryResult::to_tables() const {
  ResultTable created{"summary_created", {}}, purchases_t{"summary_purchases", {}};
  {
    std::vector<std::string> starts;
    std::array<std::vector<std::int64_t>, kSeries> v;
    for (const auto& b : buckets) {
      starts.push_back(format_date(b.start));
      v[kDeals].push_back(b.deals);
      v[kContacts].push_back(b.contacts);
      v[kCompanies].push_back(b.companies);
      v[kCustomers].push_back(b.customers);
      v[kTasks].push_back(b.tasks);
      v[kInvoices].push_back(b.invoices);
      v[kPurchases].push_back(b.purchases);
      v[kAmount].push_back(b.purchase_amount_minor);
    }
    created.add("bucket_start", starts).add("deals", std::move(v[kDeals])).add("contacts", std::move(v[kContacts]));
    created.add("companies", std::move(v[kCompanies])).add("customers", std::move(v[kCustomers]));
    created.add("tasks", std::move(v[kTasks])).add("invoices", std::move(v[kInvoices]));
    purchases_t.add("bucket_start", std::move(starts)).add("purchases", std::move(v[kPurchases]));
    purchases_t.add("amount_minor", std::move(v[kAmount]));
  }
  ResultTable stages_t{"summary_stages", {}};
  {
    std::vector<std::string> label, pipeline, name, kind;
    std::vector<std::int64_t> id, deals, budget;
    std::vector<double> share, bshare;
    for (const auto& s : stages) {
      label.push_back(s.pipeline + " / " + s.name);
      pipeline.push_back(s.pipeline);
      id.push_back(s.stage_id);
      name.push_back(s.name);
      kind.push_back(kind_label(s.kind));
      deals.push_back(s.deals);
      budget.push_back(s.budget_minor);
      share.push_back(s.share_pct);
      bshare.push_back(s.budget_share_pct);
    }
    stages_t.add("label", std::move(label)).add("deals", std::move(deals)).add("share_pct", std::move(share));
    stages_t.add("budget_minor", std::move(budget)).add("budget_share_pct", std::move(bshare));
    stages_t.add("pipeline", std::move(pipeline)).add("stage_id", std::move(id)).add("stage", std::move(name));
    stages_t.add("kind", std::move(kind));
  }
  ResultTable time_tab{"summary_stage_time", {}};
  {
    std::vector<std::string> label;
    std::vector<std::int64_t> total;
    std::vector<double> share;
    for (const auto& s : stage_time.stages) {
      label.push_back(s.pipeline + " / " + s.name);
      total.push_back(s.total_time_s);
      share.push_back(s.share_pct);
    }
    time_tab.add("label", std::move(label)).add("total_time_s", std::move(total)).add("share_pct", std::move(share));
  }
  ResultTable tasks_t{"summary_tasks_by_user", {}};
  {
    std::vector<std::string> label;
    std::vector<std::int64_t> tasks_v, ids;
    std::vector<std::uint8_t> id_valid;
    std::vector<double> share;
    for (const auto& u : tasks_by_user) {
      label.push_back(u.name);
      tasks_v.push_back(u.tasks);
      share.push_back(u.share_pct);
      ids.push_back(u.user_id == kNoId ? 0 : u.user_id);
      id_valid.push_back(u.user_id == kNoId ? 0 : 1);
    }
    tasks_t.add("label", std::move(label)).add("tasks", std::move(tasks_v)).add("share_pct", std::move(share));
    tasks_t.add("user_id", std::move(ids), std::move(id_valid));
  }
  ResultTable info{"summary_info", {}};
  info.add("bucket", std::vector<std::string>{bucket_name(bucket)});
  info.add("as_of_s", std::vector<std::int64_t>{as_of_s}).add("snapshot_s", std::vector<std::int64_t>{snapshot_s});
  info.add("stage_deals", std::vector<std::int64_t>{stage_deals}).add("tasks", std::vector<std::int64_t>{tasks});
  info.add("stage_time_total_s", std::vector<std::int64_t>{stage_time.total_time_s});
  return {std::move(created), std::move(purchases_t), std::move(stages_t), std::move(time_tab), std::move(tasks_t),
          std::move(info)};
}

}  // namespace v1
}  // namespace dealstat
