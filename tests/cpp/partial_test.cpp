// Mergeable partial reports: merging is associative and commutative, the
// partials of any split of the rows merge to the report on the whole (exactly
// in process; through bytes exactly for counts, sums, means and Kaplan-Meier,
// and medians equal to the whole serialized once, within the sketch's bound of
// the exact one), bytes round-trip, newer formats and mixed options are refused.
#include "dealstat/reports/partial.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "dealstat/core/error.hpp"
#include "dealstat/forecast/forecast.hpp"
#include "dealstat/io/sample_generator.hpp"
#include "dealstat/stats/descriptive.hpp"

namespace dealstat {
namespace {

const Dataset& sample() {
  static const DatasetPtr ds = [] {
    SampleOptions o;
    o.deals = 3000;
    o.seed = 7;
    return make_sample(o);
  }();
  return *ds;
}

// Every report with a partial, with options that exercise its parts.
std::vector<std::pair<std::string, ReportOptions>> all_options() {
  std::vector<std::pair<std::string, ReportOptions>> v;
  v.emplace_back("funnel", FunnelOptions{});
  FunnelOptions strict;
  strict.skip = SkipPolicy::strict;
  strict.value = ValueMode::budget;
  v.emplace_back("funnel_strict_budget", strict);
  v.emplace_back("stage_time", StageTimeOptions{});
  MovementOptions mv;
  mv.bucket = Bucket::month;
  v.emplace_back("movement", mv);
  v.emplace_back("employees", EmployeesOptions{});
  EmployeesOptions ac;
  ac.attribution = Attribution::at_close;
  v.emplace_back("employees_at_close", ac);
  v.emplace_back("unsorted", UnsortedOptions{});
  v.emplace_back("summary", SummaryOptions{});
  // The forecast with its backtest (monthly origins), weekly origins with a shorter horizon, and a user
  // filter (the filtered first day is later than the pinned one: the grid's early origins are dropped).
  v.emplace_back("forecast", ForecastOptions{});
  ForecastOptions weekly;
  weekly.bucket = Bucket::week;
  weekly.horizon_days = 14;
  weekly.inflow.holidays = {LocalDate{19800}, LocalDate{20000}};
  v.emplace_back("forecast_weekly", weekly);
  ForecastOptions one_user;
  one_user.filter.users = {sample().users().id[1]};
  one_user.backtest = true;
  v.emplace_back("forecast_one_user", one_user);
  ForecastOptions no_backtest;
  no_backtest.backtest = false;
  v.emplace_back("forecast_no_backtest", no_backtest);
  return v;
}

bool same_double(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

// Tables equal exactly (NaN equals NaN); columns whose name has "median" but not "km_" may differ
// when `median_check` is given, which then judges them.
template <class Check>
void expect_tables(const std::vector<ResultTable>& got, const std::vector<ResultTable>& want, const std::string& what,
                   Check median_check) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t t = 0; t < got.size(); ++t) {
    ASSERT_EQ(got[t].name, want[t].name) << what;
    ASSERT_EQ(got[t].columns.size(), want[t].columns.size()) << what << " " << got[t].name;
    for (std::size_t c = 0; c < got[t].columns.size(); ++c) {
      const auto& a = got[t].columns[c];
      const auto& b = want[t].columns[c];
      const std::string where = what + " " + got[t].name + "." + a.name;
      ASSERT_EQ(a.name, b.name) << where;
      ASSERT_EQ(a.values.index(), b.values.index()) << where;
      EXPECT_EQ(a.valid, b.valid) << where;
      if (const auto* x = std::get_if<std::vector<double>>(&a.values)) {
        const auto& y = std::get<std::vector<double>>(b.values);
        ASSERT_EQ(x->size(), y.size()) << where;
        const bool sketched = a.name.find("median") != std::string::npos && a.name.find("km_") == std::string::npos;
        for (std::size_t i = 0; i < x->size(); ++i) {
          if (sketched) median_check((*x)[i], y[i], where);
          else EXPECT_TRUE(same_double((*x)[i], y[i])) << where << "[" << i << "]: " << (*x)[i] << " vs " << y[i];
        }
      } else {
        EXPECT_TRUE(a.values == b.values) << where;
      }
    }
  }
}

void expect_exact(const std::vector<ResultTable>& got, const std::vector<ResultTable>& want, const std::string& what) {
  expect_tables(got, want, what, [](double a, double b, const std::string& where) {
    EXPECT_TRUE(same_double(a, b)) << where << ": " << a << " vs " << b;
  });
}

// Splits the row space [0, n) into `parts` partials: cut into chunks at random points and deal the
// chunks to the parts at random (so a part holds non-contiguous rows).
std::vector<ReportPartial> random_split(const ReportPartial& empty, const Dataset& ds, std::size_t parts,
                                        std::mt19937_64& rng) {
  const std::size_t n = empty.rows(ds);
  std::vector<std::size_t> cuts = {0, n};
  for (std::size_t k = 0; k < 3 * parts; ++k) cuts.push_back(std::uniform_int_distribution<std::size_t>(0, n)(rng));
  std::sort(cuts.begin(), cuts.end());
  std::vector<ReportPartial> out(parts, empty);
  for (std::size_t c = 0; c + 1 < cuts.size(); ++c)
    out[std::uniform_int_distribution<std::size_t>(0, parts - 1)(rng)].accumulate(ds, cuts[c], cuts[c + 1]);
  return out;
}

// Merges in a random order and a random tree shape.
ReportPartial random_merge(std::vector<ReportPartial> parts, std::mt19937_64& rng) {
  while (parts.size() > 1) {
    std::shuffle(parts.begin(), parts.end(), rng);
    ReportPartial b = std::move(parts.back());
    parts.pop_back();
    parts.back().merge(b);
  }
  return std::move(parts.front());
}

TEST(Partial, EveryReportKindHasAName) {
  for (int k = 1; k <= 7; ++k) EXPECT_EQ(static_cast<int>(parse_report_kind(report_kind_name(static_cast<ReportKind>(k)))), k);
  EXPECT_THROW(parse_report_kind("events_list"), Error);
}

TEST(Partial, ReportFunctionsEqualOnePartial) {
  const Dataset& ds = sample();
  for (const auto& [name, opt] : all_options()) {
    ReportPartial p = ReportPartial::make(ds, opt);
    p.accumulate(ds, 1u);
    EXPECT_TRUE(p.exact()) << name;
    ReportPartial q = ReportPartial::make(ds, opt);
    q.accumulate(ds, 3u);  // threads: same result
    expect_exact(result_tables(p.finalize(ds)), result_tables(q.finalize(ds)), name + " threads");
  }
}

TEST(Partial, ReportFunctionsTwoPassMediansEqualThePartialsKeptValues) {
  // The report functions find medians in two passes over histograms (docs/reports.md, "Exact
  // medians in bounded memory"); a partial keeps every value and takes nth_element. On 140k deals
  // (two threads of at least 65,536 deals each), every column must agree exactly.
  static const DatasetPtr big = [] {
    SampleOptions o;
    o.deals = 140000;
    o.seed = 11;
    return make_sample(o);
  }();
  const Dataset& ds = *big;
  auto opts = all_options();
  EmployeesOptions quarter;
  quarter.filter.period.from = make_date(2024, 1, 1);
  quarter.filter.period.to = make_date(2024, 4, 1);
  opts.emplace_back("employees_quarter", quarter);
  UnsortedOptions one_pipeline;
  one_pipeline.filter.pipeline = std::string(ds.str(ds.pipelines().name[0]));
  opts.emplace_back("unsorted_one_pipeline", one_pipeline);
  for (auto& [name, opt] : opts) {
    ReportPartial p = ReportPartial::make(ds, opt);
    p.accumulate(ds, 1u);
    ASSERT_TRUE(p.exact()) << name;
    const ReportResult want = p.finalize(ds);
    const ReportResult got = std::visit(
        [&](auto o) -> ReportResult {
          using T = std::decay_t<decltype(o)>;
          o.threads = 2;
          if constexpr (std::is_same_v<T, FunnelOptions>) return funnel(ds, o);
          else if constexpr (std::is_same_v<T, StageTimeOptions>) return stage_time(ds, o);
          else if constexpr (std::is_same_v<T, MovementOptions>) return movement(ds, o);
          else if constexpr (std::is_same_v<T, EmployeesOptions>) return employees(ds, o);
          else if constexpr (std::is_same_v<T, UnsortedOptions>) return unsorted_report(ds, o);
          else if constexpr (std::is_same_v<T, SummaryOptions>) return summary(ds, o);
          else return forecast(ds, o);
        },
        opt);
    expect_exact(result_tables(got), result_tables(want), name + " two-pass");
  }
}

// The forecast runs through its partial (one implementation): forecast() equals make -> accumulate ->
// finalize, and equals partials of a random split through bytes, merged, pinned by merged bounds.
TEST(Partial, ForecastIsItsPartial) {
  const Dataset& ds = sample();
  ForecastOptions opt;
  opt.horizon_days = 30;
  const auto want = forecast(ds, opt).to_tables();
  const PartialBounds b = ReportPartial::bounds(ReportKind::forecast, ds);
  ReportPartial empty = ReportPartial::make(ds, opt, b);
  std::mt19937_64 rng(11);
  std::vector<ReportPartial> parts = random_split(empty, ds, 5, rng);
  std::vector<ReportPartial> read;
  for (const auto& p : parts) read.push_back(ReportPartial::deserialize(p.serialize()));
  const ReportPartial merged = random_merge(std::move(read), rng);
  const auto got = result_tables(merged.finalize(ds));
  expect_exact(got, want, "forecast through bytes");
  // The as-of forecast is there, with its backtest (a non-trivial comparison).
  const ForecastResult r = std::get<ForecastResult>(merged.finalize(ds));
  EXPECT_GT(r.active_deals, 0);
  EXPECT_GT(r.backtest.origins.size(), 5u);
  EXPECT_GT(r.backtest.predictions, 0);
}

// A forecast partial pinned at another first day has other shapes: it refuses to merge.
TEST(Partial, ForecastPinnedAtAnotherFirstDayRefusesToMerge) {
  const Dataset& ds = sample();
  PartialBounds b = ReportPartial::bounds(ReportKind::forecast, ds);
  ReportPartial p = ReportPartial::make(ds, ForecastOptions{}, b);
  b.first -= 40 * 86400;
  ReportPartial q = ReportPartial::make(ds, ForecastOptions{}, b);
  EXPECT_NE(p.options_hash(), q.options_hash());
  EXPECT_THROW(p.merge(q), Error);
  // Pinned earlier, it still gives the same forecast (the grid holds every origin from the first day on).
  p.accumulate(ds, 1u);
  q.accumulate(ds, 2u);
  expect_exact(result_tables(q.finalize(ds)), result_tables(p.finalize(ds)), "forecast pinned earlier");
}

TEST(Partial, AnySplitMergesToTheWholeExactlyInProcess) {
  const Dataset& ds = sample();
  std::mt19937_64 rng(2024);
  for (const auto& [name, opt] : all_options()) {
    ReportPartial empty = ReportPartial::make(ds, opt);
    ReportPartial whole = empty;
    whole.accumulate(ds, 1u);
    const auto want = result_tables(whole.finalize(ds));
    for (int trial = 0; trial < 20; ++trial) {
      const std::size_t parts = 1 + static_cast<std::size_t>(trial % 5);
      ReportPartial merged = random_merge(random_split(empty, ds, parts, rng), rng);
      expect_exact(result_tables(merged.finalize(ds)), want, name + " split " + std::to_string(trial));
    }
  }
}

TEST(Partial, AnySplitThroughBytesMergesToTheWholeThroughBytes) {
  const Dataset& ds = sample();
  std::mt19937_64 rng(99);
  for (const auto& [name, opt] : all_options()) {
    ReportPartial empty = ReportPartial::make(ds, opt);
    ReportPartial whole = empty;
    whole.accumulate(ds, 1u);
    const auto exact = result_tables(whole.finalize(ds));
    ReportPartial whole_bytes = ReportPartial::deserialize(whole.serialize());
    // Movement and the forecast have no medians: exact through bytes.
    EXPECT_EQ(whole_bytes.exact(), name.rfind("movement", 0) == 0 || name.rfind("forecast", 0) == 0) << name;
    const auto want = result_tables(whole_bytes.finalize(ds));
    // Through bytes, medians are the sketch's: at most alpha above the exact median (they are
    // within alpha of the lower middle value, which is <= the exact median); the rest is exact.
    expect_tables(want, exact, name + " bytes vs exact", [](double a, double b, const std::string& where) {
      if (std::isnan(b)) {
        EXPECT_TRUE(std::isnan(a)) << where;
        return;
      }
      EXPECT_LE(a, b * (1 + kPartialSketchAlpha) + 1e-9) << where;
      EXPECT_GE(a, 0.0) << where;
    });
    for (int trial = 0; trial < 20; ++trial) {
      const std::size_t parts = 1 + static_cast<std::size_t>(trial % 5);
      std::vector<ReportPartial> split = random_split(empty, ds, parts, rng);
      std::vector<ReportPartial> shipped;
      for (std::size_t i = 0; i < split.size(); ++i) {
        // Some parts travel as bytes, some stay exact: mixed merges sketch the exact side.
        if (i % 2 == 0 || parts == 1) shipped.push_back(ReportPartial::deserialize(split[i].serialize()));
        else shipped.push_back(std::move(split[i]));
      }
      ReportPartial merged = random_merge(std::move(shipped), rng);
      // The merged state through bytes once more (as the reduce of a distributed run ships it).
      ReportPartial final_state = ReportPartial::deserialize(merged.serialize());
      expect_exact(result_tables(final_state.finalize(ds)), want, name + " bytes split " + std::to_string(trial));
    }
  }
}

TEST(Partial, MergeIsCommutativeAndAssociativeOnBytes) {
  const Dataset& ds = sample();
  std::mt19937_64 rng(5);
  for (const auto& [name, opt] : all_options()) {
    ReportPartial empty = ReportPartial::make(ds, opt);
    auto parts = random_split(empty, ds, 3, rng);
    for (auto& p : parts) p = ReportPartial::deserialize(p.serialize());
    ReportPartial ab_c = parts[0];
    ab_c.merge(parts[1]);
    ab_c.merge(parts[2]);
    ReportPartial bc = parts[1];
    bc.merge(parts[2]);
    ReportPartial a_bc = parts[0];
    a_bc.merge(bc);
    ReportPartial cba = parts[2];
    cba.merge(parts[1]);
    cba.merge(parts[0]);
    // Sparse maps serialize in key order, sketches are bucket counts, the forecast's active-deal records
    // in (origin, deal id) order: the bytes themselves agree.
    EXPECT_EQ(ab_c.serialize(), a_bc.serialize()) << name;
    EXPECT_EQ(ab_c.serialize(), cba.serialize()) << name;
  }
}

TEST(Partial, BytesRoundTrip) {
  const Dataset& ds = sample();
  for (const auto& [name, opt] : all_options()) {
    ReportPartial p = ReportPartial::make(ds, opt);
    p.accumulate(ds, 1u);
    const auto bytes = p.serialize();
    ReportPartial q = ReportPartial::deserialize(bytes);
    EXPECT_EQ(q.kind(), p.kind()) << name;
    EXPECT_EQ(q.options_hash(), p.options_hash()) << name;
    EXPECT_EQ(q.entities_fingerprint(), p.entities_fingerprint()) << name;
    EXPECT_EQ(q.serialize(), bytes) << name;
    EXPECT_EQ(bytes[0], 'D');
    EXPECT_EQ(bytes[4], ReportPartial::format_version & 0xFF);  // little-endian u16
    EXPECT_EQ(bytes[5], 0);
  }
}

TEST(Partial, NewerFormatIsRefused) {
  const Dataset& ds = sample();
  ReportPartial p = ReportPartial::make(ds, FunnelOptions{});
  auto bytes = p.serialize();
  bytes[4] = static_cast<std::uint8_t>(ReportPartial::format_version + 1);
  try {
    ReportPartial::deserialize(bytes);
    FAIL() << "a newer format was read";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::unsupported_version);
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
}

TEST(Partial, BadBytesAreParseErrors) {
  const Dataset& ds = sample();
  ReportPartial p = ReportPartial::make(ds, StageTimeOptions{});
  p.accumulate(ds, 1u);
  const auto bytes = p.serialize();
  for (std::size_t cut : {std::size_t{0}, std::size_t{3}, std::size_t{20}, bytes.size() / 2, bytes.size() - 1}) {
    std::vector<std::uint8_t> b(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut));
    try {
      ReportPartial::deserialize(b);
      FAIL() << "truncated at " << cut;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::parse) << cut;
    }
  }
  auto tampered = bytes;
  tampered[6] = 9;  // unknown report kind
  EXPECT_THROW(ReportPartial::deserialize(tampered), Error);
}

TEST(Partial, DifferentOptionsRefuseToMerge) {
  const Dataset& ds = sample();
  FunnelOptions a, b;
  b.skip = SkipPolicy::observed;
  ReportPartial pa = ReportPartial::make(ds, a), pb = ReportPartial::make(ds, b);
  EXPECT_NE(pa.options_hash(), pb.options_hash());
  try {
    pa.merge(pb);
    FAIL() << "merged partials of different options";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_option);
    EXPECT_NE(std::string(e.what()).find("different options"), std::string::npos) << e.what();
  }
  // Through bytes too, and across report kinds.
  ReportPartial pb2 = ReportPartial::deserialize(pb.serialize());
  EXPECT_THROW(pa.merge(pb2), Error);
  ReportPartial st = ReportPartial::make(ds, StageTimeOptions{});
  EXPECT_THROW(pa.merge(st), Error);
  // A different pinned as-of is a different option.
  FunnelOptions c;
  c.as_of = Timestamp{1700000000};
  EXPECT_THROW(pa.merge(ReportPartial::make(ds, c)), Error);
  // threads does not change results, so it is not part of the hash.
  FunnelOptions d;
  d.threads = 3;
  EXPECT_NO_THROW(pa.merge(ReportPartial::make(ds, d)));
}

TEST(Partial, DifferentEntityTablesRefuse) {
  const Dataset& ds = sample();
  SampleOptions o;
  o.deals = 50;
  o.seed = 1;
  o.time_zone = "UTC";  // another account
  const DatasetPtr other = make_sample(o);
  FunnelOptions f;
  f.as_of = Timestamp{1735689600};
  ReportPartial p = ReportPartial::make(ds, f);
  ReportPartial q = ReportPartial::make(*other, f);
  EXPECT_NE(p.entities_fingerprint(), q.entities_fingerprint());
  EXPECT_THROW(p.merge(q), Error);
  EXPECT_THROW(p.accumulate(*other, 0, 1), Error);
  EXPECT_THROW(p.finalize(*other), Error);
}

TEST(Partial, BoundsMergeByMaxAndMin) {
  const Dataset& ds = sample();
  const PartialBounds whole = ReportPartial::bounds(ReportKind::summary, ds);
  PartialBounds a;  // empty: last 0, first INT64_MAX
  a.merge(whole);
  a.merge(PartialBounds{whole.last - 10, whole.first + 10});
  EXPECT_EQ(a.last, whole.last);
  EXPECT_EQ(a.first, whole.first);
  // Pinning the bounds explicitly gives the same report as the defaults.
  SummaryOptions so;
  ReportPartial p = ReportPartial::make(ds, so, whole);
  p.accumulate(ds, 1u);
  expect_exact(result_tables(p.finalize(ds)), summary(ds, so).to_tables(), "summary pinned");
}

TEST(Partial, AccumulatingAfterBytesContinuesTheSameReport) {
  const Dataset& ds = sample();
  for (const auto& [name, opt] : all_options()) {
    ReportPartial a = ReportPartial::make(ds, opt);
    const std::size_t n = a.rows(ds);
    a.accumulate(ds, 0, n / 3);
    ReportPartial b = ReportPartial::deserialize(a.serialize());
    b.accumulate(ds, n / 3, n);
    ReportPartial whole = ReportPartial::make(ds, opt);
    whole.accumulate(ds, 1u);
    const auto want = result_tables(ReportPartial::deserialize(whole.serialize()).finalize(ds));
    expect_exact(result_tables(ReportPartial::deserialize(b.serialize()).finalize(ds)), want, name + " continued");
  }
}

TEST(Partial, RowsOutsideTheRowSpaceAreRefused) {
  const Dataset& ds = sample();
  ReportPartial p = ReportPartial::make(ds, EmployeesOptions{});
  EXPECT_EQ(p.rows(ds), ds.deals().size() + ds.tasks().size());
  EXPECT_THROW(p.accumulate(ds, 0, p.rows(ds) + 1), Error);
}

// The sketch's bound on the median of the durations: within alpha of the lower middle value.
TEST(Partial, SketchedMedianWithinAlphaOfTheLowerMiddle) {
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 50; ++trial) {
    const std::size_t n = 1 + static_cast<std::size_t>(trial * 37 % 500);
    std::vector<double> v(n);
    std::lognormal_distribution<double> dist(12.0, 2.0);
    for (auto& x : v) x = std::floor(dist(rng));
    DDSketch s(kPartialSketchAlpha);
    for (auto x : v) s.add(x);
    std::sort(v.begin(), v.end());
    const double lo = v[(n - 1) / 2];
    const double got = DDSketch::deserialize(s.serialize()).quantile(0.5);
    EXPECT_LE(std::abs(got - lo), kPartialSketchAlpha * lo + 1e-9) << n;
  }
}

}  // namespace
}  // namespace dealstat
