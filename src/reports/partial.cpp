// ReportPartial: the byte header, the options codec and hash, the entity
// fingerprint, the defaults' bounds, and dispatch to the report states.
#include "dealstat/reports/partial.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "dealstat/core/error.hpp"
#include "detail/parallel.hpp"
#include "reports/partial_state.hpp"

namespace dealstat {
inline namespace v1 {

namespace {

constexpr char kMagic[5] = "DSRP";
constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

std::uint64_t fnv1a(std::span<const std::uint8_t> b, std::uint64_t h = kFnvOffset) {
  for (auto c : b) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}

// ---- options codec (what the hash covers; `threads` is left out: it does not change results) ----

void put_str(detail::ByteWriter& w, const std::string& s) {
  w.uint(static_cast<std::uint64_t>(s.size()));
  w.bytes(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}
std::string get_str(detail::ByteReader& r) {
  const auto b = r.bytes(r.uint<std::uint64_t>());
  return std::string(b.begin(), b.end());
}
void put_strs(detail::ByteWriter& w, const std::vector<std::string>& v) {
  w.uint(static_cast<std::uint64_t>(v.size()));
  for (const auto& s : v) put_str(w, s);
}
std::vector<std::string> get_strs(detail::ByteReader& r) {
  const auto n = r.uint<std::uint64_t>();
  if (n > r.remaining() / 8) r.fail("truncated input");
  std::vector<std::string> v;
  for (std::uint64_t i = 0; i < n; ++i) v.push_back(get_str(r));
  return v;
}
void put_date(detail::ByteWriter& w, const std::optional<LocalDate>& d) {
  w.uint(static_cast<std::uint8_t>(d ? 1 : 0));
  w.i32(d ? d->days : 0);
}
std::optional<LocalDate> get_date(detail::ByteReader& r) {
  const bool has = r.uint<std::uint8_t>() != 0;
  const std::int32_t days = r.i32();
  return has ? std::optional<LocalDate>(LocalDate{days}) : std::nullopt;
}
void put_time(detail::ByteWriter& w, const std::optional<Timestamp>& t) {
  w.uint(static_cast<std::uint8_t>(t ? 1 : 0));
  w.uint(static_cast<std::uint64_t>(t ? t->seconds : 0));
}
std::optional<Timestamp> get_time(detail::ByteReader& r) {
  const bool has = r.uint<std::uint8_t>() != 0;
  const auto s = static_cast<std::int64_t>(r.uint<std::uint64_t>());
  return has ? std::optional<Timestamp>(Timestamp{s}) : std::nullopt;
}

void put_filter(detail::ByteWriter& w, const DealFilter& f) {
  put_date(w, f.period.from);
  put_date(w, f.period.to);
  put_str(w, f.pipeline);
  detail::write_i64s(w, f.users);
  put_strs(w, f.groups);
  put_strs(w, f.tags);
  put_strs(w, f.channels);
  w.uint(static_cast<std::uint8_t>(f.status));
  w.uint(static_cast<std::uint8_t>(f.date_basis));
}
DealFilter get_filter(detail::ByteReader& r) {
  DealFilter f;
  f.period.from = get_date(r);
  f.period.to = get_date(r);
  f.pipeline = get_str(r);
  f.users = detail::read_i64s(r);
  f.groups = get_strs(r);
  f.tags = get_strs(r);
  f.channels = get_strs(r);
  const auto status = r.uint<std::uint8_t>();
  const auto basis = r.uint<std::uint8_t>();
  if (status > 4 || basis > 2) r.fail("bad filter enum");
  f.status = static_cast<StatusFilter>(status);
  f.date_basis = static_cast<DateBasis>(basis);
  return f;
}

void put_options(detail::ByteWriter& w, const ReportOptions& o) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        put_filter(w, x.filter);
        if constexpr (std::is_same_v<T, ForecastOptions>) put_date(w, x.as_of);
        else put_time(w, x.as_of);
        if constexpr (std::is_same_v<T, ForecastOptions>) {
          w.i32(x.horizon_days);
          w.uint(static_cast<std::uint8_t>(x.bucket));
          w.uint(static_cast<std::uint8_t>(x.backtest ? 1 : 0));
          w.i32(x.warmup_days);
          w.uint(static_cast<std::uint64_t>(x.landmarks_days.size()));
          for (auto d : x.landmarks_days) w.i32(d);
          w.f64(x.prior_strength);
          w.i32(x.inflow.window_days);
          w.uint(static_cast<std::uint64_t>(x.inflow.holidays.size()));
          for (auto d : x.inflow.holidays) w.i32(d.days);
          w.i32(x.inflow.yearly_window_days);
          w.uint(static_cast<std::uint8_t>(x.inflow.autocorrelated_residuals ? 1 : 0));
        } else if constexpr (std::is_same_v<T, FunnelOptions>) {
          w.uint(static_cast<std::uint8_t>(x.skip));
          w.uint(static_cast<std::uint8_t>(x.value));
          w.f64(x.confidence);
        } else if constexpr (std::is_same_v<T, MovementOptions> || std::is_same_v<T, SummaryOptions>) {
          w.uint(static_cast<std::uint8_t>(x.bucket));
        } else if constexpr (std::is_same_v<T, EmployeesOptions>) {
          w.uint(static_cast<std::uint8_t>(x.attribution));
          put_str(w, x.rank_by);
          w.uint(static_cast<std::uint8_t>(x.ascending ? 1 : 0));
          detail::write_i64s(w, x.compare);
          w.f64(x.confidence);
        } else if constexpr (std::is_same_v<T, UnsortedOptions>) {
          w.f64(x.confidence);
        }
      },
      o);
}

ReportOptions get_options(detail::ByteReader& r, ReportKind kind) {
  auto common = [&](auto& x) {
    x.filter = get_filter(r);
    x.as_of = get_time(r);
  };
  auto count32 = [&]() {
    const auto n = r.uint<std::uint64_t>();
    if (n > r.remaining() / 4) r.fail("truncated input");
    return static_cast<std::size_t>(n);
  };
  auto enum8 = [&](std::uint8_t max) {
    const auto v = r.uint<std::uint8_t>();
    if (v > max) r.fail("bad option enum");
    return v;
  };
  switch (kind) {
    case ReportKind::funnel: {
      FunnelOptions x;
      common(x);
      x.skip = static_cast<SkipPolicy>(enum8(2));
      x.value = static_cast<ValueMode>(enum8(1));
      x.confidence = r.f64();
      return x;
    }
    case ReportKind::stage_time: {
      StageTimeOptions x;
      common(x);
      return x;
    }
    case ReportKind::movement: {
      MovementOptions x;
      common(x);
      x.bucket = static_cast<Bucket>(enum8(4));
      return x;
    }
    case ReportKind::employees: {
      EmployeesOptions x;
      common(x);
      x.attribution = static_cast<Attribution>(enum8(1));
      x.rank_by = get_str(r);
      x.ascending = enum8(1) != 0;
      x.compare = detail::read_i64s(r);
      x.confidence = r.f64();
      return x;
    }
    case ReportKind::unsorted: {
      UnsortedOptions x;
      common(x);
      x.confidence = r.f64();
      return x;
    }
    case ReportKind::summary: {
      SummaryOptions x;
      common(x);
      x.bucket = static_cast<Bucket>(enum8(4));
      return x;
    }
    case ReportKind::forecast: {
      ForecastOptions x;
      x.filter = get_filter(r);
      x.as_of = get_date(r);
      x.horizon_days = r.i32();
      x.bucket = static_cast<Bucket>(enum8(4));
      x.backtest = enum8(1) != 0;
      x.warmup_days = r.i32();
      x.landmarks_days.resize(count32());
      for (auto& d : x.landmarks_days) d = r.i32();
      x.prior_strength = r.f64();
      x.inflow.window_days = r.i32();
      x.inflow.holidays.resize(count32());
      for (auto& d : x.inflow.holidays) d = LocalDate{r.i32()};
      x.inflow.yearly_window_days = r.i32();
      x.inflow.autocorrelated_residuals = enum8(1) != 0;
      return x;
    }
  }
  r.fail("unknown report kind");
}

ReportKind kind_of(const ReportOptions& o) { return static_cast<ReportKind>(o.index() + 1); }

std::uint64_t options_hash_of(const ReportOptions& o, std::int64_t first) {
  detail::ByteWriter w;
  w.uint(static_cast<std::uint8_t>(kind_of(o)));
  put_options(w, o);
  // The pinned open start matters only where the period start is open and the report buckets, and
  // always for the forecast (its daily arrays and origin grid start there).
  const bool uses_first = kind_of(o) == ReportKind::forecast ||
                          ((kind_of(o) == ReportKind::movement || kind_of(o) == ReportKind::summary) &&
                           !std::visit([](const auto& x) { return x.filter.period.from.has_value(); }, o));
  w.uint(static_cast<std::uint64_t>(uses_first ? first : 0));
  const auto b = w.take();
  return fnv1a(b);
}

std::unique_ptr<ReportPartial::State> blank(ReportKind kind) {
  switch (kind) {
    case ReportKind::funnel: return detail::blank_funnel_state();
    case ReportKind::stage_time: return detail::blank_stage_time_state();
    case ReportKind::movement: return detail::blank_movement_state();
    case ReportKind::employees: return detail::blank_employees_state();
    case ReportKind::unsorted: return detail::blank_unsorted_state();
    case ReportKind::summary: return detail::blank_summary_state();
    case ReportKind::forecast: return detail::blank_forecast_state();
  }
  throw Error(ErrorCode::parse, "report partial: unknown report kind " + std::to_string(static_cast<int>(kind)));
}

void max_of(std::int64_t& m, const std::vector<std::int64_t>& col) {
  for (auto t : col)
    if (t != kNoTime) m = std::max(m, t);
}
void min_of(std::int64_t& m, const std::vector<std::int64_t>& col) {
  for (auto t : col)
    if (t != kNoTime) m = std::min(m, t);
}

// A wrapper accumulate_parallel can merge.
struct Slot {
  std::unique_ptr<ReportPartial::State> s;
  void merge(Slot& o) { s->merge_from(*o.s); }
};

[[noreturn]] void refuse(const std::string& why) { throw Error::bad_option("partial", "merge", why); }

}  // namespace

const char* report_kind_name(ReportKind kind) {
  switch (kind) {
    case ReportKind::funnel: return "funnel";
    case ReportKind::stage_time: return "stage_time";
    case ReportKind::movement: return "movement";
    case ReportKind::employees: return "employees";
    case ReportKind::unsorted: return "unsorted";
    case ReportKind::summary: return "summary";
    case ReportKind::forecast: return "forecast";
  }
  return "unknown";
}

ReportKind parse_report_kind(std::string_view name) {
  for (int k = 1; k <= 7; ++k)
    if (name == report_kind_name(static_cast<ReportKind>(k))) return static_cast<ReportKind>(k);
  throw Error::bad_option("report", std::string(name),
                          "expected funnel, stage_time, movement, employees, unsorted, summary or forecast (the reports "
                          "with partials)");
}

std::vector<ResultTable> result_tables(const ReportResult& result) {
  return std::visit([](const auto& r) { return r.to_tables(); }, result);
}

std::uint64_t entities_fingerprint(const Dataset& ds) {
  detail::ByteWriter w;
  const auto& u = ds.users();
  detail::write_i64s(w, u.id);
  for (auto g : u.group) w.uint(g);
  const auto& p = ds.pipelines();
  detail::write_i64s(w, p.id);
  for (auto o : p.stages_offset) w.uint(o);
  for (auto s : p.stages_ordered) w.uint(s);
  const auto& s = ds.stages();
  detail::write_i64s(w, s.id);
  for (auto x : s.pipeline) w.uint(x);
  for (auto k : s.kind) w.uint(static_cast<std::uint8_t>(k));
  put_str(w, ds.account().time_zone.name());
  w.uint(static_cast<std::uint8_t>(ds.account().first_day_of_week));
  const auto b = w.take();
  return fnv1a(b);
}

PartialBounds ReportPartial::bounds(ReportKind kind, const Dataset& ds) {
  PartialBounds b;
  b.last = dataset_end(ds).seconds;  // cached in the dataset: O(1)
  b.first = std::numeric_limits<std::int64_t>::max();
  switch (kind) {
    case ReportKind::funnel:
    case ReportKind::stage_time:
    case ReportKind::movement:
    case ReportKind::forecast:
      b.first = ds.deals_start_s();
      break;
    case ReportKind::employees:
      b.last = std::max(b.last, ds.tasks_end_s());
      break;
    case ReportKind::unsorted:
      b.last = std::max(b.last, ds.unsorted_end_s());
      break;
    case ReportKind::summary:
      for (const auto* col : {&ds.deals().created_at, &ds.tasks().created_at, &ds.contacts().created_at,
                              &ds.companies().created_at, &ds.customers().created_at, &ds.invoices().created_at,
                              &ds.purchases().at}) {
        max_of(b.last, *col);
        min_of(b.first, *col);
      }
      break;
  }
  return b;
}

ReportPartial ReportPartial::make(const Dataset& ds, const ReportOptions& options) {
  return make(ds, options, bounds(kind_of(options), ds));
}

namespace {

// An empty state for `options` with the defaults pinned from `b` (validates the options).
std::unique_ptr<ReportPartial::State> make_state(const Dataset& ds, const ReportOptions& options, const PartialBounds& b) {
  ReportOptions pinned = options;
  std::visit(
      [&](auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ForecastOptions>) {
          // The forecast's default as-of is the local day after the latest instant.
          if (!x.as_of) x.as_of = LocalDate{ds.account().time_zone.local_date(Timestamp{b.last}).days + 1};
        } else if (!x.as_of) {
          x.as_of = Timestamp{b.last};
        }
      },
      pinned);
  return std::visit(
      [&](const auto& x) -> std::unique_ptr<ReportPartial::State> {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, FunnelOptions>) return detail::make_funnel_state(ds, x, b.first);
        else if constexpr (std::is_same_v<T, StageTimeOptions>) return detail::make_stage_time_state(ds, x, b.first);
        else if constexpr (std::is_same_v<T, MovementOptions>) return detail::make_movement_state(ds, x, b.first);
        else if constexpr (std::is_same_v<T, EmployeesOptions>) return detail::make_employees_state(ds, x, b.first);
        else if constexpr (std::is_same_v<T, UnsortedOptions>) return detail::make_unsorted_state(ds, x, b.first);
        else if constexpr (std::is_same_v<T, SummaryOptions>) return detail::make_summary_state(ds, x, b.first);
        else return detail::make_forecast_state(ds, x, b.first);
      },
      pinned);
}

}  // namespace

ReportPartial ReportPartial::make(const Dataset& ds, const ReportOptions& options, const PartialBounds& b) {
  ReportPartial p(kind_of(options), make_state(ds, options, b));
  p.options_hash_ = options_hash_of(p.state_->options, p.state_->first);
  p.fingerprint_ = ::dealstat::entities_fingerprint(ds);
  return p;
}

namespace detail {

ReportResult run_report(const Dataset& ds, const ReportOptions& options, unsigned threads) {
  std::unique_ptr<ReportPartial::State> st = make_state(ds, options, ReportPartial::bounds(kind_of(options), ds));
  st->use_histogram_medians();
  const std::size_t n = st->rows(ds);
  const unsigned t = detail::resolve_threads(threads, n);
  st->prepare(ds);
  try {
    // Pass 1: every accumulator, with the medians' durations counted per bin.
    const std::vector<std::size_t> bounds = st->split(ds, n, t);
    Slot merged = detail::accumulate_parallel(
        bounds,
        [&] {
          Slot s{st->empty_like()};
          s.s->use_histogram_medians();
          return s;
        },
        [&](Slot& s, std::size_t b, std::size_t e) { s.s->add_rows(ds, b, e); });
    st->merge_from(*merged.s);
    merged.s.reset();
    // Pass 2: only the values in the bins holding the middle ranks (from the durations pass 1 kept,
    // when the state kept them all; else from another scan of the rows).
    if (st->plan_medians() && !st->select_from_kept()) {
      Slot picked = detail::accumulate_parallel(
          bounds, [&] { return Slot{st->selection_like()}; },
          [&](Slot& s, std::size_t b, std::size_t e) { s.s->add_selected_rows(ds, b, e); });
      st->take_selected(*picked.s);
    }
  } catch (...) {
    st->release();
    throw;
  }
  st->release();
  return st->finalize(ds);
}

}  // namespace detail

ReportPartial::ReportPartial(ReportKind kind, std::unique_ptr<ReportPartial::State> state)
    : kind_(kind), state_(std::move(state)) {}
ReportPartial::ReportPartial(ReportPartial&&) noexcept = default;
ReportPartial& ReportPartial::operator=(ReportPartial&&) noexcept = default;
ReportPartial::ReportPartial(const ReportPartial& o)
    : kind_(o.kind_), options_hash_(o.options_hash_), fingerprint_(o.fingerprint_), state_(o.state_->clone()) {}
ReportPartial& ReportPartial::operator=(const ReportPartial& o) {
  if (this != &o) *this = ReportPartial(o);
  return *this;
}
ReportPartial::~ReportPartial() = default;

const ReportOptions& ReportPartial::options() const { return state_->options; }
std::size_t ReportPartial::rows(const Dataset& ds) const { return state_->rows(ds); }
bool ReportPartial::exact() const { return state_->exact(); }

void ReportPartial::accumulate(const Dataset& ds, std::size_t begin, std::size_t end) {
  const std::size_t n = state_->rows(ds);
  if (begin > end || end > n)
    throw Error::bad_option("rows", std::to_string(begin) + ".." + std::to_string(end),
                            "outside the report's " + std::to_string(n) + " rows");
  if (::dealstat::entities_fingerprint(ds) != fingerprint_)
    refuse("the dataset's entity tables (users, pipelines, stages, account) differ from the partial's");
  state_->prepare(ds);
  try {
    state_->add_rows(ds, begin, end);
  } catch (...) {
    state_->release();
    throw;
  }
  state_->release();
}

void ReportPartial::accumulate(const Dataset& ds, unsigned threads) {
  const std::size_t n = state_->rows(ds);
  const unsigned t = detail::resolve_threads(threads, n);
  if (t <= 1) {
    accumulate(ds, 0, n);
    return;
  }
  if (::dealstat::entities_fingerprint(ds) != fingerprint_)
    refuse("the dataset's entity tables (users, pipelines, stages, account) differ from the partial's");
  state_->prepare(ds);
  try {
    Slot merged = detail::accumulate_parallel(
        state_->split(ds, n, t), [&] { return Slot{state_->empty_like()}; },
        [&](Slot& s, std::size_t b, std::size_t e) { s.s->add_rows(ds, b, e); });
    state_->merge_from(*merged.s);
  } catch (...) {
    state_->release();
    throw;
  }
  state_->release();
}

void ReportPartial::merge(const ReportPartial& o) {
  if (o.kind_ != kind_)
    refuse(std::string("cannot merge a ") + report_kind_name(o.kind_) + " partial into a " + report_kind_name(kind_) +
           " partial");
  if (o.options_hash_ != options_hash_)
    refuse("the partials were made with different options (or a different pinned as-of / period start)");
  if (o.fingerprint_ != fingerprint_)
    refuse("the partials were resolved against different entity tables (users, pipelines, stages, account)");
  if (&o == this) {  // merging with itself doubles it: merge a copy (the states read what they extend)
    const ReportPartial copy(o);
    state_->merge_from(*copy.state_);
    return;
  }
  state_->merge_from(*o.state_);
}

std::vector<std::uint8_t> ReportPartial::serialize() const {
  detail::ByteWriter w;
  // The magic as a little-endian u32 (the same 4 bytes as w.magic(); sidesteps a GCC 12 false
  // -Wstringop-overflow on inserting into an empty vector).
  w.uint(static_cast<std::uint32_t>(static_cast<std::uint8_t>(kMagic[0]) | static_cast<std::uint8_t>(kMagic[1]) << 8 |
                                    static_cast<std::uint8_t>(kMagic[2]) << 16 |
                                    static_cast<std::uint32_t>(static_cast<std::uint8_t>(kMagic[3])) << 24));
  w.uint(format_version);
  w.uint(static_cast<std::uint8_t>(kind_));
  w.uint(static_cast<std::uint8_t>(0));  // flags
  w.uint(options_hash_);
  w.uint(fingerprint_);
  w.uint(static_cast<std::uint64_t>(state_->first));
  put_options(w, state_->options);
  state_->write(w);
  return w.take();
}

ReportPartial ReportPartial::deserialize(std::span<const std::uint8_t> bytes) {
  detail::ByteReader r(bytes, "report partial");
  r.magic(kMagic);
  const auto version = r.uint<std::uint16_t>();
  if (version > format_version)
    throw Error(ErrorCode::unsupported_version,
                "report partial: format version " + std::to_string(version) + " is newer than this build reads (" +
                    std::to_string(format_version) + "); upgrade dealstat where the partials are merged");
  if (version == 0) r.fail("bad format version 0");
  const auto kind_byte = r.uint<std::uint8_t>();
  if (kind_byte < 1 || kind_byte > 7) r.fail("unknown report kind " + std::to_string(kind_byte));
  const auto kind = static_cast<ReportKind>(kind_byte);
  if (version < 2 && kind == ReportKind::funnel)
    throw Error(ErrorCode::unsupported_version,
                "report partial: a format version 1 funnel partial holds exact-time Kaplan-Meier counts; this build "
                "reads the hour grid of version 2: make the funnel partials again with this build");
  r.uint<std::uint8_t>();  // flags
  const auto hash = r.uint<std::uint64_t>();
  const auto fp = r.uint<std::uint64_t>();
  const auto first = static_cast<std::int64_t>(r.uint<std::uint64_t>());
  ReportOptions opts = get_options(r, kind);
  if (options_hash_of(opts, first) != hash) r.fail("options hash does not match the options");
  auto st = blank(kind);
  st->options = std::move(opts);
  st->first = first;
  st->read(r);
  if (r.remaining() != 0) r.fail("trailing bytes");
  ReportPartial p(kind, std::move(st));
  p.options_hash_ = hash;
  p.fingerprint_ = fp;
  return p;
}

ReportResult ReportPartial::finalize(const Dataset& entities) const {
  if (::dealstat::entities_fingerprint(entities) != fingerprint_)
    throw Error::bad_option("partial", "finalize",
                            "the dataset's entity tables (users, pipelines, stages, account) differ from the partial's");
  return state_->finalize(entities);
}

}  // namespace v1
}  // namespace dealstat
