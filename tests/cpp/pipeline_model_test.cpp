// Tests for the pipeline model: the Aalen-Johansen cell against Kaplan-Meier
// and a hand count, shrinkage, interpolation, no leakage (a model fitted at
// t equals the model fitted on the data cut at t), and the absorbing-chain
// cross-check.
#include "dealstat/forecast/pipeline_model.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "dealstat/data/dataset_builder.hpp"
#include "dealstat/io/sample_generator.hpp"
#include "dealstat/stats/kaplan_meier.hpp"

using namespace dealstat;

namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kT0 = 1704067200;  // 2024-01-01T00:00:00Z

// A pipeline New(10) -> Deal(20) -> won(142) / lost(143); deals as (created, [(stage, at)...]).
struct Move {
  std::int64_t stage, at;
};
DatasetPtr build(const std::vector<std::vector<Move>>& paths, std::int64_t cut = kNoTime) {
  DatasetBuilder b;
  b.add_pipeline({PipelineId{1}, "Sales"});
  b.add_stage({PipelineId{1}, StageId{10}, "New", 10, StageKind::open});
  b.add_stage({PipelineId{1}, StageId{20}, "Deal", 20, StageKind::open});
  b.add_stage({PipelineId{1}, StageId{142}, "Won", 142, StageKind::won});
  b.add_stage({PipelineId{1}, StageId{143}, "Lost", 143, StageKind::lost});
  std::int64_t id = 1;
  for (const auto& p : paths) {
    if (cut != kNoTime && p.front().at >= cut) continue;  // not created yet
    std::vector<Move> kept;
    for (const auto& m : p)
      if (cut == kNoTime || m.at < cut) kept.push_back(m);
    const auto last = kept.back();
    DealRow d;
    d.id = DealId{id};
    d.pipeline = PipelineId{1};
    d.stage = StageId{last.stage};
    d.created_at = Timestamp{kept.front().at};
    if (last.stage >= 142) d.closed_at = Timestamp{last.at};
    b.add_deal(d);
    for (std::size_t k = 0; k < kept.size(); ++k) {
      StageChangeRow c;
      c.deal = DealId{id};
      c.at = Timestamp{kept[k].at};
      if (k > 0) c.from_stage = StageId{kept[k - 1].stage};
      c.to_stage = StageId{kept[k].stage};
      b.add_stage_change(c);
    }
    ++id;
  }
  return std::move(b).build().dataset;
}

// A random process with a known shape, for the leakage test. With `reopen` > 0 that share of the won
// deals is reopened (back to Deal) a few days later, and half of those close again.
std::vector<std::vector<Move>> random_paths(int n, unsigned seed, double reopen = 0) {
  std::uint64_t x = seed;
  auto u = [&] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(x >> 11) / 9007199254740992.0;
  };
  std::vector<std::vector<Move>> out;
  for (int i = 0; i < n; ++i) {
    std::int64_t t = kT0 + static_cast<std::int64_t>(u() * 200 * kDay);
    std::vector<Move> p{{10, t}};
    t += static_cast<std::int64_t>(-std::log(1 - u()) * 4 * kDay);
    if (u() < 0.3) {
      p.push_back({143, t});
    } else {
      p.push_back({20, t});
      t += static_cast<std::int64_t>(-std::log(1 - u()) * 6 * kDay);
      p.push_back({u() < 0.6 ? 142 : 143, t});
      if (reopen > 0 && p.back().stage == 142 && u() < reopen) {
        t += 1 + static_cast<std::int64_t>(-std::log(1 - u()) * 8 * kDay);
        p.push_back({20, t});
        if (u() < 0.5) {
          t += 1 + static_cast<std::int64_t>(-std::log(1 - u()) * 5 * kDay);
          p.push_back({u() < 0.6 ? 142 : 143, t});
        }
      }
    }
    out.push_back(p);
  }
  return out;
}

}  // namespace

TEST(PipelineModel, AalenJohansenWithoutCompetingRiskIsOneMinusKaplanMeier) {
  CompetingRiskCounts c(10);
  KaplanMeierAccumulator km;
  const int won_slot[] = {0, 1, 1, 3, 4, 4, 4, 7};
  for (int s : won_slot) {
    ++c.won[s];
    km.add(s + 0.5, true);
  }
  const int cens_slot[] = {2, 5, 10, 10};  // slot 10 = seen event-free for the whole horizon
  for (int s : cens_slot) {
    ++c.censored[s];
    km.add(s == 10 ? 100.0 : s + 0.25, false);  // censored part-way through slot s: not at risk at s's events
  }
  const auto cif = c.won_incidence();
  const auto curve = km.finalize();
  for (int r = 1; r <= 10; ++r) EXPECT_NEAR(cif[r], 1 - curve.survival_at(r), 1e-12) << r;
  EXPECT_EQ(c.at_risk(), 12);
}

TEST(PipelineModel, CompetingRiskByHand) {
  // 4 episodes: won in slot 0, lost in slot 0, won in slot 2, event-free through the horizon.
  CompetingRiskCounts c(3);
  c.won[0] = 1;
  c.lost[0] = 1;
  c.won[2] = 1;
  c.censored[3] = 1;
  const auto cif = c.won_incidence();
  // slot 0: n = 4, CIF += 1/4, S = 1/2; slot 1: n = 2; slot 2: n = 2, CIF += 1/2 * 1/2.
  EXPECT_DOUBLE_EQ(cif[1], 0.25);
  EXPECT_DOUBLE_EQ(cif[2], 0.25);
  EXPECT_DOUBLE_EQ(cif[3], 0.5);
}

TEST(PipelineModel, HandCountedDataset) {
  // Three deals entered New on day 0; one won on day 2, one lost on day 1, one still in New at the origin (day 40).
  const auto ds = build({{{10, kT0}, {142, kT0 + 2 * kDay}},
                         {{10, kT0}, {143, kT0 + kDay + 5}},
                         {{10, kT0}}});
  DealSelector sel(*ds, DealFilter{});
  PipelineModelOptions o;
  o.horizon_days = 30;
  o.prior_strength = 0;
  const auto m = PipelineModel::fit(*ds, sel, Timestamp{kT0 + 40 * kDay}, o);
  const std::uint32_t s_new = ds->find_stage(PipelineIndex{0}, StageId{10})->value;
  EXPECT_EQ(m.cell_at_risk(s_new, 0), 3);
  EXPECT_NEAR(m.cell_probability(s_new, 0), 1.0 / 3, 1e-12);
  // Landmark 1 day: the lost deal left at 1 day + 5 s, so it was still there: 3 at risk, same answer.
  EXPECT_EQ(m.cell_at_risk(s_new, 1), 3);
  // Landmark 2 days: only the winner (won exactly at 2 days: not still there) and the open one... the
  // winner left at the landmark, so only the open deal is at risk.
  EXPECT_EQ(m.cell_at_risk(s_new, 2), 1);
  EXPECT_DOUBLE_EQ(m.cell_probability(s_new, 2), 0.0);
  // The creation cohort sees the same three deals: 1/3 won within 30 days.
  EXPECT_NEAR(m.new_deal_win_probability(30), 1.0 / 3, 1e-12);
  EXPECT_NEAR(m.new_deal_win_probability(2), 0.0, 1e-12);
  EXPECT_NEAR(m.new_deal_win_probability(3), 1.0 / 3, 1e-12);
  // Interpolation between landmarks 1 and 2 days.
  EXPECT_NEAR(m.win_probability(s_new, kDay + kDay / 2), 0.5 * (1.0 / 3), 1e-12);
}

TEST(PipelineModel, ShrinksSparseCellsTowardsTheirParent) {
  const auto ds = build({{{10, kT0}, {142, kT0 + kDay}}, {{10, kT0}, {20, kT0 + kDay}, {143, kT0 + 3 * kDay}}});
  DealSelector sel(*ds, DealFilter{});
  PipelineModelOptions o;
  o.prior_strength = 2;
  const auto m = PipelineModel::fit(*ds, sel, Timestamp{kT0 + 60 * kDay}, o);
  const std::uint32_t s_new = ds->find_stage(PipelineIndex{0}, StageId{10})->value;
  const std::uint32_t s_deal = ds->find_stage(PipelineIndex{0}, StageId{20})->value;
  // Pooled landmark 0: New (1 won of 2) + Deal (0 of 1) = 1/3. New: (2 * 1/2 + 2 * 1/3) / 4.
  EXPECT_NEAR(m.cell_probability(s_new, 0), (1.0 + 2.0 / 3) / 4, 1e-12);
  EXPECT_NEAR(m.cell_probability(s_deal, 0), (0 + 2.0 / 3) / 3, 1e-12);
}

TEST(PipelineModel, NoLeakageFittedAtTEqualsFittedOnDataCutAtT) {
  const auto paths = random_paths(600, 7, 0.3);  // with reopenings: reopened rows and after-close counts too
  const auto full = build(paths);
  PipelineModelOptions o;
  o.horizon_days = 21;
  for (std::int64_t day : {60, 120, 190}) {
    const std::int64_t t = kT0 + day * kDay;
    const auto cut = build(paths, t);
    DealSelector s1(*full, DealFilter{}), s2(*cut, DealFilter{});
    const auto a = PipelineModel::fit(*full, s1, Timestamp{t}, o);
    const auto b = PipelineModel::fit(*cut, s2, Timestamp{t}, o);
    for (std::uint32_t s = 0; s < 2; ++s)
      for (std::size_t l = 0; l < o.landmarks_days.size(); ++l) {
        EXPECT_EQ(a.cell_at_risk(s, l), b.cell_at_risk(s, l)) << day << " " << s << " " << l;
        EXPECT_DOUBLE_EQ(a.cell_probability(s, l), b.cell_probability(s, l)) << day << " " << s << " " << l;
        EXPECT_EQ(a.reopened_cell_at_risk(s, l), b.reopened_cell_at_risk(s, l)) << day << " " << s << " " << l;
        EXPECT_DOUBLE_EQ(a.reopened_cell_probability(s, l), b.reopened_cell_probability(s, l)) << day << " " << s;
      }
    for (int r = 0; r <= 21; ++r) EXPECT_DOUBLE_EQ(a.new_deal_win_probability(r), b.new_deal_win_probability(r));
  }
}

TEST(PipelineModel, TargetIsTheWonStateAtTheHorizonEnd) {
  // Ten deals enter Deal and are won a day later; four of them are reopened (back to Deal) on day 5 and
  // stay open. "Won within 30 days" as scored (in a won stage at day 30) is 6/10, not 10/10.
  std::vector<std::vector<Move>> paths;
  for (int i = 0; i < 10; ++i) {
    std::vector<Move> p{{20, kT0 + i * 3600}, {142, kT0 + i * 3600 + kDay}};
    if (i < 4) p.push_back({20, kT0 + i * 3600 + 5 * kDay});
    paths.push_back(p);
  }
  const auto ds = build(paths);
  DealSelector sel(*ds, DealFilter{});
  PipelineModelOptions o;
  o.horizon_days = 30;
  o.prior_strength = 0;
  const auto m = PipelineModel::fit(*ds, sel, Timestamp{kT0 + 90 * kDay}, o);
  const std::uint32_t s_deal = ds->find_stage(PipelineIndex{0}, StageId{20})->value;
  EXPECT_EQ(m.cell_at_risk(s_deal, 0), 10);
  EXPECT_NEAR(m.cell_probability(s_deal, 0), 0.6, 1e-12);
  // The four reopened visits are a row of their own: never closed again, probability 0.
  EXPECT_EQ(m.reopened_cell_at_risk(s_deal, 0), 4);
  EXPECT_NEAR(m.win_probability(s_deal, 10 * kDay, true), 0.0, 1e-12);
  EXPECT_NEAR(m.win_probability(s_deal, 0, false), 0.6, 1e-12);
  // With a horizon of 3 days the reopenings (day 5, four days after the win) are not reached yet.
  o.horizon_days = 3;
  const auto m3 = PipelineModel::fit(*ds, sel, Timestamp{kT0 + 90 * kDay}, o);
  EXPECT_NEAR(m3.cell_probability(s_deal, 0), 1.0, 1e-12);
}

TEST(PipelineModel, AfterCloseCountsByHand) {
  AfterCloseCounts a(4);
  a.won_closes = 4;
  a.won_after_won = {0, 4, 4, 3, 2};  // two of the four wins reopened on days 2 and 3
  a.lost_closes = 2;
  a.won_after_lost = {0, 0, 0, 1, 1};  // one loss reopened and won on day 2
  const auto gw = a.won_share(true), gl = a.won_share(false);
  EXPECT_DOUBLE_EQ(gw[0], 1.0);
  EXPECT_DOUBLE_EQ(gw[3], 0.75);
  EXPECT_DOUBLE_EQ(gl[0], 0.0);
  EXPECT_DOUBLE_EQ(gl[4], 0.5);
  // One cell: 2 won in slot 0, 2 lost in slot 1, of 4 at risk. P(won state at day 4) =
  // 1/2 * (gw[3] + gw[4]) / 2 + 1/2 * (gl[2] + gl[3]) / 2.
  CompetingRiskCounts c(4);
  c.won[0] = 2;
  c.lost[1] = 2;
  PipelineModelOptions o;
  o.horizon_days = 4;
  o.landmarks_days = {0};
  o.prior_strength = 0;
  const auto m = PipelineModel::from_counts(1, 0, o, {c}, a);
  EXPECT_NEAR(m.cell_probability(0, 0), 0.5 * (0.75 + 0.5) / 2 + 0.5 * (0 + 0.5) / 2, 1e-12);
  // Without after-close counts it is the won cumulative incidence.
  EXPECT_NEAR(PipelineModel::from_counts(1, 0, o, {c}).cell_probability(0, 0), 0.5, 1e-12);
}

TEST(PipelineModel, RecoversTheTrueProbabilityOfAKnownProcess) {
  // True process: New ~ Exp(4 d) then lost 30% / Deal; Deal ~ Exp(6 d) then won 60%.
  // P(won within 21 d | just entered Deal) = 0.6 (1 - exp(-21/6)).
  const auto ds = build(random_paths(4000, 11));
  DealSelector sel(*ds, DealFilter{});
  PipelineModelOptions o;
  o.horizon_days = 21;
  const auto m = PipelineModel::fit(*ds, sel, Timestamp{kT0 + 260 * kDay}, o);
  const std::uint32_t s_deal = ds->find_stage(PipelineIndex{0}, StageId{20})->value;
  const double truth = 0.6 * (1 - std::exp(-21.0 / 6));
  EXPECT_NEAR(m.cell_probability(s_deal, 0), truth, 0.03);
  // Memoryless dwell: the same at a later landmark.
  EXPECT_NEAR(m.win_probability(s_deal, 5 * kDay), truth, 0.05);
}

TEST(PipelineModel, AbsorbingChainCrossCheck) {
  const auto ds = build(random_paths(4000, 13));
  DealSelector sel(*ds, DealFilter{});
  const auto p = chain_win_probability(*ds, sel, Timestamp{kT0 + 400 * kDay});
  const std::uint32_t s_new = ds->find_stage(PipelineIndex{0}, StageId{10})->value;
  const std::uint32_t s_deal = ds->find_stage(PipelineIndex{0}, StageId{20})->value;
  EXPECT_NEAR(p[s_new], 0.7 * 0.6, 0.03);
  EXPECT_NEAR(p[s_deal], 0.6, 0.03);
  const std::uint32_t s_won = ds->find_stage(PipelineIndex{0}, StageId{142})->value;
  EXPECT_TRUE(std::isnan(p[s_won]));
}

TEST(PipelineModel, RejectsBadOptions) {
  const auto ds = build({{{10, kT0}}});
  DealSelector sel(*ds, DealFilter{});
  PipelineModelOptions o;
  o.horizon_days = 0;
  EXPECT_THROW(PipelineModel::fit(*ds, sel, Timestamp{kT0}, o), Error);
  o = {};
  o.landmarks_days = {0, 5, 5};
  EXPECT_THROW(PipelineModel::fit(*ds, sel, Timestamp{kT0}, o), Error);
  o = {};
  o.prior_strength = -1;
  EXPECT_THROW(PipelineModel::fit(*ds, sel, Timestamp{kT0}, o), Error);
}
