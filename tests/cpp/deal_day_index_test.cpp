// Tests for dealstat/data/deal_day_index.hpp and DealSelector::candidates()
// (dealstat/reports/deal_candidates.hpp): the index worked out by hand on a
// few deals; on random accounts (several pipelines, rows in random order,
// deleted deals, far-off instants, time zones with DST and half-hour
// offsets) and random filters (pipelines, periods with open ends, every date
// basis and status) the candidates hold every row that a brute-force scan
// with selects() accepts, in ascending order, over any row range; and every
// report that reads candidates gives exactly the result of the plain scan
// (the index switched off), through the report functions on two threads and
// through partials of random row ranges.
#include "dealstat/data/deal_day_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "dealstat/data/dataset_builder.hpp"
#include "dealstat/io/sample_generator.hpp"
#include "dealstat/reports/deal_candidates.hpp"
#include "dealstat/reports/filter.hpp"
#include "dealstat/reports/funnel.hpp"
#include "dealstat/reports/partial.hpp"
#include "dealstat/reports/stage_time.hpp"
#include "dealstat/reports/summary.hpp"
#include "reports/day_index_switch.hpp"

namespace dealstat {
namespace {

constexpr std::int64_t kD = 86400;

// prefix followed by the number (appended: GCC 12 warns falsely on "P" + std::to_string(n)).
std::string named(const char* prefix, std::int64_t n) {
  std::string s(prefix);
  s.append(std::to_string(n));
  return s;
}

// ---------------------------------------------------------------------------
// The index by hand.

TEST(DealDayIndex, CountingSortByPipelineAndDay) {
  // 6 deals, 2 pipelines. Keys (auto: closed_at when set, else created_at), in days after day 100:
  //   row 0: p1, created 100.5          -> day 0
  //   row 1: p0, created 101.2          -> day 1
  //   row 2: p0, created 100.1, closed 102.9 -> day 2
  //   row 3: p1, created 100.9 (deleted) -> left out
  //   row 4: p0, created 101.0 exactly  -> day 1
  //   row 5: p1, created 100.0 exactly  -> day 0
  // base = day 100, 3 days, shift 0: buckets 3; key (p, day) -> p * 3 + day.
  const std::int64_t t0 = 100 * kD;
  const std::vector<std::uint32_t> pipeline = {1, 0, 0, 1, 0, 1};
  const std::vector<std::int64_t> created = {t0 + kD / 2, t0 + kD + kD / 5, t0 + kD / 10, t0 + 9 * kD / 10, t0 + kD, t0};
  const std::vector<std::int64_t> closed = {kNoTime, kNoTime, t0 + 2 * kD + 9 * kD / 10, kNoTime, kNoTime, kNoTime};
  const std::vector<std::uint8_t> skip = {0, 0, 0, 1, 0, 0};
  const DealDayIndex x = DealDayIndex::build(2, pipeline, created, closed, skip);
  EXPECT_EQ(x.base_s, t0);
  EXPECT_EQ(x.shift, 0u);
  EXPECT_EQ(x.buckets, 3u);
  // p0: day 0 none, day 1 rows 1 and 4 (ascending), day 2 row 2; p1: day 0 rows 0 and 5.
  EXPECT_EQ(x.rows, (std::vector<std::uint32_t>{1, 4, 2, 0, 5}));
  EXPECT_EQ(x.offset, (std::vector<std::uint32_t>{0, 0, 2, 3, 5, 5, 5}));
  // The same deals by created_at: row 2 moves to p0 day 0.
  const DealDayIndex c = DealDayIndex::build(2, pipeline, created, {}, skip);
  EXPECT_EQ(c.buckets, 2u);  // days 100..101
  EXPECT_EQ(c.rows, (std::vector<std::uint32_t>{2, 1, 4, 0, 5}));
  EXPECT_EQ(c.offset, (std::vector<std::uint32_t>{0, 1, 3, 5, 5}));
  // Look-ups: an instant before the base is bucket 0, after the last day the last bucket.
  EXPECT_EQ(x.bucket_of(0), 0u);
  EXPECT_EQ(x.bucket_of(t0 + 2 * kD - 1), 1u);
  EXPECT_EQ(x.bucket_of(t0 + 2 * kD), 2u);
  EXPECT_EQ(x.bucket_of(t0 + 400 * kD), 2u);
  const auto r = x.range(0, 1, 3);
  EXPECT_EQ(std::vector<std::uint32_t>(r.begin(), r.end()), (std::vector<std::uint32_t>{1, 4, 2}));
}

TEST(DealDayIndex, WideSpansUseBucketsOfSeveralDays) {
  // 3 deals from 1970-01-01 to 2099-12-31 (47,481 days), 1 pipeline: at most max(4096, 3 / 4) = 4096
  // buckets, so a bucket spans 2^4 = 16 days (47,481 days / 8 = 5,936 > 4096; / 16 = 2,968).
  const std::vector<std::uint32_t> pipeline = {0, 0, 0};
  const std::vector<std::int64_t> created = {0, 20 * kD + 5, kMaxValidTime - 1};
  const std::vector<std::uint8_t> skip = {0, 0, 0};
  const DealDayIndex x = DealDayIndex::build(1, pipeline, created, {}, skip);
  EXPECT_EQ(x.base_s, 0);
  EXPECT_EQ(x.shift, 4u);
  EXPECT_EQ(x.buckets, (47481u - 1) / 16 + 1);
  EXPECT_EQ(x.bucket_of(20 * kD + 5), 1u);  // day 20 -> bucket 1 (days 16..31)
  EXPECT_EQ(x.rows, (std::vector<std::uint32_t>{0, 1, 2}));
}

TEST(DealDayIndex, NoDealsGivesAnEmptyIndex) {
  const DealDayIndex x = DealDayIndex::build(3, {}, {}, {}, {});
  EXPECT_EQ(x.buckets, 0u);
  EXPECT_TRUE(x.rows.empty());
  EXPECT_EQ(x.offset, (std::vector<std::uint32_t>{0}));
}

TEST(DealCandidates, VisitsRangesInOrderAndSplitsEvenly) {
  // Rows 3, 64, 65, 130, 200 of 300 (three 64-row words from row 0).
  const std::vector<std::vector<std::uint32_t>> lists = {{130, 3}, {200, 64, 65}};
  const DealCandidates c = DealCandidates::of_lists(300, lists);
  EXPECT_FALSE(c.all());
  EXPECT_EQ(c.size(), 5u);
  auto visit = [&](std::size_t b, std::size_t e) {
    std::vector<std::size_t> v;
    c.for_each(b, e, [&](std::size_t r) { v.push_back(r); });
    return v;
  };
  EXPECT_EQ(visit(0, 300), (std::vector<std::size_t>{3, 64, 65, 130, 200}));
  EXPECT_EQ(visit(4, 130), (std::vector<std::size_t>{64, 65}));
  EXPECT_EQ(visit(65, 201), (std::vector<std::size_t>{65, 130, 200}));
  EXPECT_EQ(visit(201, 300), (std::vector<std::size_t>{}));
  // Two parts: the first row of part 1 is the candidate of rank 5 * 1 / 2 = 2 (row 65).
  EXPECT_EQ(c.split(2), (std::vector<std::size_t>{0, 65, 300}));
  // Three parts: ranks 1 and 3 -> rows 64 and 130.
  EXPECT_EQ(c.split(3), (std::vector<std::size_t>{0, 64, 130, 300}));
  // Every row: equal row counts.
  const DealCandidates all = DealCandidates::all_rows(10);
  EXPECT_TRUE(all.all());
  EXPECT_EQ(all.split(3), (std::vector<std::size_t>{0, 3, 6, 10}));
  std::size_t seen = 0;
  all.for_each(2, 7, [&](std::size_t) { ++seen; });
  EXPECT_EQ(seen, 5u);
  // An empty set visits nothing and splits anywhere.
  const DealCandidates none = DealCandidates::of_lists(10, std::vector<std::vector<std::uint32_t>>{});
  none.for_each(0, 10, [&](std::size_t) { ADD_FAILURE(); });
  EXPECT_EQ(none.size(), 0u);
}

// ---------------------------------------------------------------------------
// Random accounts and filters against a brute-force scan.

struct Rng {
  std::mt19937_64 g;
  explicit Rng(std::uint64_t seed) : g(seed) {}
  std::int64_t below(std::int64_t m) { return std::uniform_int_distribution<std::int64_t>(0, m - 1)(g); }
  bool chance(int one_in) { return below(one_in) == 0; }
};

// A random account: 1-4 pipelines (unsorted, 2-3 open, won, lost each), `n` deals in random row order,
// created over 2023-2024 (a few in 1975 or 2095), paths of forward/backward moves, closed deals, moves
// between pipelines, deleted deals, users, tags and channels.
DatasetPtr random_dataset(std::int64_t n, std::uint64_t seed, const std::string& tz) {
  Rng r(seed);
  DatasetBuilder b;
  b.set_account(Account{TimeZone::parse(tz), Weekday::monday, "EUR"});
  const std::int64_t pipes = 1 + r.below(4);
  std::vector<std::vector<std::int64_t>> open(static_cast<std::size_t>(pipes));
  for (std::int64_t p = 1; p <= pipes; ++p) {
    b.add_pipeline({PipelineId{p}, named("P", p)});
    b.add_stage({PipelineId{p}, StageId{p * 100}, "In", 0, StageKind::unsorted});
    const std::int64_t k = 2 + r.below(2);
    for (std::int64_t s = 1; s <= k; ++s) {
      b.add_stage({PipelineId{p}, StageId{p * 100 + s}, named("S", s), static_cast<std::int32_t>(s * 10),
                   StageKind::open});
      open[static_cast<std::size_t>(p - 1)].push_back(p * 100 + s);
    }
    b.add_stage({PipelineId{p}, StageId{p * 100 + 50}, "Won", 1000, StageKind::won});
    b.add_stage({PipelineId{p}, StageId{p * 100 + 60}, "Lost", 1100, StageKind::lost});
  }
  for (std::int64_t u = 1; u <= 3; ++u) b.add_user({UserId{u}, named("U", u), u == 3 ? "" : "G"});
  std::vector<std::int64_t> ids(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) ids[static_cast<std::size_t>(i)] = 1000 + i;
  std::shuffle(ids.begin(), ids.end(), r.g);  // rows in random time order
  const std::int64_t y2023 = 1672531200;
  for (std::int64_t id : ids) {
    std::int64_t t = y2023 + r.below(730 * kD);
    if (r.chance(200)) t = r.chance(2) ? 157766400 + r.below(kD * 30) : 3944592000 + r.below(kD * 30);  // 1975, 2095
    std::int64_t p = 1 + r.below(pipes);
    struct Move {
      std::int64_t pipeline, stage, at;
    };
    std::vector<Move> path;
    if (r.chance(4)) path.push_back({p, p * 100, t});
    std::size_t pos = 0;
    path.push_back({p, open[static_cast<std::size_t>(p - 1)][0], path.empty() ? t : t + r.below(kD)});
    for (std::int64_t m = r.below(4); m > 0; --m) {
      const auto& st = open[static_cast<std::size_t>(p - 1)];
      if (r.chance(8) && pipes > 1) {  // to another pipeline
        p = 1 + (p % pipes);
        pos = 0;
      } else if (r.chance(4) && pos > 0) {
        --pos;
      } else if (pos + 1 < st.size()) {
        ++pos;
      }
      path.push_back({p, open[static_cast<std::size_t>(p - 1)][pos], path.back().at + 1 + r.below(20 * kD)});
    }
    const std::int64_t end = r.below(10);
    if (end < 6) path.push_back({p, p * 100 + (end < 3 ? 50 : 60), path.back().at + r.below(40 * kD)});
    const Move& last = path.back();
    DealRow row;
    row.id = DealId{id};
    row.pipeline = PipelineId{last.pipeline};
    row.stage = StageId{last.stage};
    row.created_at = Timestamp{path.front().at};
    if (end < 6) row.closed_at = Timestamp{last.at};
    row.budget = Money{r.below(100000)};
    if (!r.chance(5)) row.responsible = UserId{1 + r.below(3)};
    row.channel = r.chance(2) ? "mail" : "sip";
    if (r.chance(3)) row.tags = {"vip"};
    row.deleted = r.chance(20);
    b.add_deal(std::move(row));
    if (r.chance(30)) continue;  // no history
    for (std::size_t k = 0; k < path.size(); ++k) {
      StageChangeRow c;
      c.deal = DealId{id};
      c.at = Timestamp{path[k].at};
      c.to_pipeline = PipelineId{path[k].pipeline};
      c.to_stage = StageId{path[k].stage};
      if (k > 0) {
        c.from_pipeline = PipelineId{path[k - 1].pipeline};
        c.from_stage = StageId{path[k - 1].stage};
      }
      b.add_stage_change(c);
    }
  }
  return std::move(b).build().dataset;
}

// A random filter: a pipeline or none, a period of 1-120 days (ends sometimes open) around 2023-2024
// (often across the DST changes of March and October), any basis and status, sometimes a tag or a user.
DealFilter random_filter(const Dataset& ds, Rng& r) {
  DealFilter f;
  if (!r.chance(3)) f.pipeline = named("P", 1 + r.below(static_cast<std::int64_t>(ds.pipelines().size())));
  const LocalDate from = r.chance(3) ? make_date(2023 + static_cast<int>(r.below(2)), r.chance(2) ? 3 : 10, 20 + static_cast<int>(r.below(12)))
                                     : LocalDate{make_date(2022, 12, 1).days + static_cast<std::int32_t>(r.below(800))};
  const LocalDate to{from.days + 1 + static_cast<std::int32_t>(r.below(r.chance(3) ? 3 : 120))};
  switch (r.below(5)) {
    case 0: f.period = {from, std::nullopt}; break;
    case 1: f.period = {std::nullopt, to}; break;
    case 2: break;  // no period
    default: f.period = {from, to}; break;
  }
  f.date_basis = static_cast<DateBasis>(r.below(3));
  f.status = static_cast<StatusFilter>(r.below(5));
  if (r.chance(6)) f.tags = {"vip"};
  if (r.chance(8)) f.users = {1 + r.below(3)};
  return f;
}

// Checks the candidates of one filter against selects() over every row.
void expect_superset(const Dataset& ds, const DealFilter& f, const std::string& what, Rng& r) {
  const DealSelector sel(ds, f);
  const DealCandidates c = sel.candidates();
  const std::size_t n = ds.deals().size();
  ASSERT_EQ(c.rows(), n) << what;
  std::vector<std::size_t> all;
  c.for_each(0, n, [&](std::size_t i) { all.push_back(i); });
  ASSERT_EQ(all.size(), c.size()) << what;
  ASSERT_TRUE(std::is_sorted(all.begin(), all.end()) && std::adjacent_find(all.begin(), all.end()) == all.end()) << what;
  std::vector<std::uint8_t> in(n, 0);
  for (auto i : all) in[i] = 1;
  std::size_t selected = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (sel.selects(i)) {
      ++selected;
      ASSERT_TRUE(in[i]) << what << ": row " << i << " is selected but not a candidate";
    }
  // Narrowed sets hold at most half the rows (else the set is every row).
  if (!c.all()) {
    EXPECT_LE(2 * c.size(), n) << what;
  }
  EXPECT_GE(c.size(), selected) << what;
  // Any row range visits exactly the candidates inside it, ascending.
  for (int k = 0; k < 3; ++k) {
    std::size_t b = static_cast<std::size_t>(r.below(static_cast<std::int64_t>(n) + 1));
    std::size_t e = static_cast<std::size_t>(r.below(static_cast<std::int64_t>(n) + 1));
    if (b > e) std::swap(b, e);
    std::vector<std::size_t> part, want;
    c.for_each(b, e, [&](std::size_t i) { part.push_back(i); });
    for (auto i : all)
      if (i >= b && i < e) want.push_back(i);
    ASSERT_EQ(part, want) << what << " rows " << b << ".." << e;
  }
  // The split's runs hold the candidates in about equal counts.
  const auto bounds = c.split(2);
  ASSERT_EQ(bounds.size(), 3u);
  EXPECT_EQ(bounds.front(), 0u);
  EXPECT_EQ(bounds.back(), n);
  if (!c.all()) {
    std::size_t first = 0;
    c.for_each(0, bounds[1], [&](std::size_t) { ++first; });
    EXPECT_EQ(first, c.size() / 2) << what;
  }
}

TEST(DealCandidates, SupersetOfTheSelectedRowsOnRandomAccounts) {
  const char* zones[] = {"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"};
  int narrowed = 0, checked = 0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const std::string tz = zones[seed % 5];
    const auto ds = random_dataset(300 + static_cast<std::int64_t>(seed) * 150, seed, tz);
    Rng r(seed * 77);
    for (int k = 0; k < 40; ++k) {
      const DealFilter f = random_filter(*ds, r);
      const std::string what = "seed " + std::to_string(seed) + " (" + tz + ") filter " + std::to_string(k);
      expect_superset(*ds, f, what, r);
      ++checked;
      narrowed += DealSelector(*ds, f).candidates().all() ? 0 : 1;
    }
  }
  EXPECT_EQ(checked, 400);
  EXPECT_GT(narrowed, 100);  // the index did narrow most bounded filters
}

TEST(DealCandidates, QuarterOfOnePipelineReadsAboutItsShare) {
  // The sample account over 2023-2024: a quarter (an eighth of the span) of one pipeline holds under an
  // eighth of the deals,
  // and its candidates are the deals of the pipeline keyed in the ~92 UTC days overlapping the quarter.
  SampleOptions o;
  o.deals = 20000;
  o.events = false;
  o.time_zone = "Europe/Berlin";
  const auto ds = make_sample(o);
  DealFilter f;
  f.pipeline = std::string(ds->str(ds->pipelines().name[0]));
  f.period = {make_date(2024, 7, 1), make_date(2024, 10, 1)};
  const DealSelector sel(*ds, f);
  const DealCandidates c = sel.candidates();
  ASSERT_FALSE(c.all());
  std::size_t selected = 0, keyed = 0;
  const auto& d = ds->deals();
  for (std::size_t i = 0; i < d.size(); ++i) {
    selected += sel.selects(i) ? 1 : 0;
    const std::int64_t key = d.closed_at[i] != kNoTime ? d.closed_at[i] : d.created_at[i];
    // 2024-06-30T00:00Z .. 2024-10-01T00:00Z: the UTC days overlapping the quarter's Berlin instants.
    if (!d.deleted[i] && d.pipeline[i] == 0 && key >= 1719705600 && key < 1727740800) ++keyed;
  }
  EXPECT_EQ(c.size(), keyed);
  EXPECT_GE(c.size(), selected);
  EXPECT_LT(c.size() * 8, d.size());
}

// ---------------------------------------------------------------------------
// Reports: the same result with the index as with the plain scan.

bool same_double(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

void expect_same_tables(const std::vector<ResultTable>& got, const std::vector<ResultTable>& want, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t t = 0; t < got.size(); ++t) {
    ASSERT_EQ(got[t].columns.size(), want[t].columns.size()) << what;
    for (std::size_t c = 0; c < got[t].columns.size(); ++c) {
      const auto& a = got[t].columns[c];
      const auto& b = want[t].columns[c];
      const std::string where = what + " " + got[t].name + "." + a.name;
      ASSERT_EQ(a.values.index(), b.values.index()) << where;
      EXPECT_EQ(a.valid, b.valid) << where;
      if (const auto* x = std::get_if<std::vector<double>>(&a.values)) {
        const auto& y = std::get<std::vector<double>>(b.values);
        ASSERT_EQ(x->size(), y.size()) << where;
        for (std::size_t i = 0; i < x->size(); ++i)
          EXPECT_TRUE(same_double((*x)[i], y[i])) << where << "[" << i << "]: " << (*x)[i] << " vs " << y[i];
      } else {
        EXPECT_TRUE(a.values == b.values) << where;
      }
    }
  }
}

// Index off while alive (the plain scan of every row: the reports before the index).
struct PlainScan {
  PlainScan() { detail::set_day_index_enabled(false); }
  ~PlainScan() { detail::set_day_index_enabled(true); }
  PlainScan(const PlainScan&) = delete;
  PlainScan& operator=(const PlainScan&) = delete;
};

// The report through its function (threads) and through partials of random row ranges, merged.
std::vector<ResultTable> run(const Dataset& ds, const ReportOptions& opt, unsigned threads, std::mt19937_64* split) {
  if (split == nullptr) {
    return std::visit(
        [&](auto o) -> std::vector<ResultTable> {
          using T = std::decay_t<decltype(o)>;
          o.threads = threads;
          if constexpr (std::is_same_v<T, FunnelOptions>) return funnel(ds, o).to_tables();
          else if constexpr (std::is_same_v<T, StageTimeOptions>) return stage_time(ds, o).to_tables();
          else if constexpr (std::is_same_v<T, SummaryOptions>) return summary(ds, o).to_tables();
          else return {};
        },
        opt);
  }
  ReportPartial merged = ReportPartial::make(ds, opt);
  const std::size_t n = merged.rows(ds);
  std::vector<std::size_t> cuts = {0, n};
  for (int k = 0; k < 5; ++k) cuts.push_back(std::uniform_int_distribution<std::size_t>(0, n)(*split));
  std::sort(cuts.begin(), cuts.end());
  for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
    ReportPartial p = ReportPartial::make(ds, opt);
    p.accumulate(ds, cuts[c], cuts[c + 1]);
    merged.merge(p);
  }
  return result_tables(merged.finalize(ds));
}

void expect_reports_unchanged(const Dataset& ds, const DealFilter& f, unsigned threads, const std::string& what,
                              std::mt19937_64& rng) {
  std::vector<std::pair<std::string, ReportOptions>> opts;
  FunnelOptions fo;
  fo.filter = f;
  opts.emplace_back("funnel", fo);
  fo.skip = SkipPolicy::strict;
  fo.value = ValueMode::budget;
  opts.emplace_back("funnel_strict_budget", fo);
  fo.skip = SkipPolicy::observed;
  opts.emplace_back("funnel_observed", fo);
  StageTimeOptions so;
  so.filter = f;
  opts.emplace_back("stage_time", so);
  if (f.period.from && f.period.to) {  // the summary's series need a bounded period (or a bucket count check)
    SummaryOptions su;
    su.filter = f;
    su.bucket = Bucket::week;
    opts.emplace_back("summary", su);
  }
  for (const auto& [name, o] : opts) {
    std::vector<ResultTable> before, before_parts;
    {
      const PlainScan plain;
      before = run(ds, o, threads, nullptr);
      std::mt19937_64 copy = rng;
      before_parts = run(ds, o, 1, &copy);
    }
    expect_same_tables(run(ds, o, threads, nullptr), before, what + " " + name);
    expect_same_tables(run(ds, o, 1, &rng), before_parts, what + " " + name + " partials");
  }
}

TEST(DealCandidates, ReportsEqualThePlainScanOnRandomAccounts) {
  const char* zones[] = {"Europe/Berlin", "America/New_York", "Asia/Kolkata"};
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const std::string tz = zones[seed % 3];
    const auto ds = random_dataset(2000, seed + 100, tz);
    Rng r(seed * 31);
    std::mt19937_64 rng(seed);
    for (int k = 0; k < 6; ++k) {
      DealFilter f = random_filter(*ds, r);
      if (!f.period.from && !f.period.to) f.period.from = make_date(2024, 3, 1);
      expect_reports_unchanged(*ds, f, 1, "seed " + std::to_string(seed) + " (" + tz + ") filter " + std::to_string(k),
                               rng);
    }
  }
}

TEST(DealCandidates, ReportsEqualThePlainScanOnTwoThreads) {
  // 140k deals: the report functions run on two threads (at least 65,536 rows each), split at the
  // median candidate instead of the middle row.
  static const DatasetPtr big = [] {
    SampleOptions o;
    o.deals = 140000;
    o.seed = 5;
    o.events = false;
    o.time_zone = "America/New_York";
    return make_sample(o);
  }();
  std::mt19937_64 rng(3);
  DealFilter q;
  q.period = {make_date(2024, 3, 1), make_date(2024, 4, 1)};  // across the US DST change of March 10
  for (const auto basis : {DateBasis::automatic, DateBasis::created, DateBasis::closed}) {
    for (const std::string& pipeline : {std::string(), std::string(big->str(big->pipelines().name[1]))}) {
      q.date_basis = basis;
      q.pipeline = pipeline;
      ASSERT_FALSE(DealSelector(*big, q).candidates().all());
      expect_reports_unchanged(*big, q, 2, std::string(date_basis_name(basis)) + " " + pipeline, rng);
    }
  }
}

}  // namespace
}  // namespace dealstat
