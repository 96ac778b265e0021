// Tests of the unsorted report (include/dealstat/reports/unsorted_report.hpp)
// on a small account worked out by hand.
#include "dealstat/reports/unsorted_report.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

#include "dealstat/core/error.hpp"
#include "dealstat/data/dataset_builder.hpp"
#include "dealstat/io/sample_generator.hpp"
#include "dealstat/time/calendar.hpp"
#include "expect_error.hpp"

using namespace dealstat;
using dealstat::test::option_of;

namespace {

constexpr std::int64_t T0 = 1704067200;  // 2024-01-01T00:00:00Z
constexpr std::int64_t kDay = 86400;
Timestamp at(std::int64_t days, std::int64_t seconds = 0) { return Timestamp{T0 + days * kDay + seconds}; }

// Deals (pipeline 1): D1 won (1000), D5 active, D10 won but deleted; D20 in pipeline 2, won (700).
// Items (days from 2024-01-01; the period is January, as-of d30 unless said otherwise):
//   U1 mail  created d1, accepted d2, deal D1 (won)     -> accepted, 86400 s, became won (1000)
//   U2 mail  created d3, declined d3 + 1 h              -> declined, 3600 s
//   U3 mail  created d5, accepted d35                   -> pending at d30 (resolved after as-of)
//   U4 sip   created d2, accepted d4, deal D5 (active)  -> accepted, 172800 s, not won; pipeline 1 given
//   U5 sip   created d6, pending                        -> pending
//   U6 forms created d40                                -> not arrived by d30
//   U7 forms created d-3, accepted d1                   -> before the period
//   U8 sip   created d7, accepted d8, deal D10 (deleted)-> accepted, 86400 s, not won
//   U9 mail  created d9, accepted d9 + 2 h, deal 999 (not in the dataset) -> accepted, 7200 s, not won
//   U10 chats created d10, accepted d11, deal D20 (pipeline 2, won) -> accepted, 86400 s, won (700)
DatasetPtr hand_dataset() {
  DatasetBuilder b;
  b.add_pipeline({PipelineId{1}, "Main"});
  b.add_stage({PipelineId{1}, StageId{10}, "New", 10, StageKind::open});
  b.add_stage({PipelineId{1}, StageId{142}, "Won", 30, StageKind::won});
  b.add_stage({PipelineId{1}, StageId{143}, "Lost", 40, StageKind::lost});
  b.add_pipeline({PipelineId{2}, "Other"});
  b.add_stage({PipelineId{2}, StageId{20}, "Start", 10, StageKind::open});
  b.add_stage({PipelineId{2}, StageId{142}, "Won", 30, StageKind::won});
  b.add_stage({PipelineId{2}, StageId{143}, "Lost", 40, StageKind::lost});
  auto deal = [&](std::int64_t id, std::int64_t pipeline, std::int64_t stage, std::int64_t created,
                  std::optional<std::int64_t> closed, std::int64_t budget, bool deleted = false) {
    DealRow d;
    d.id = DealId{id};
    d.pipeline = PipelineId{pipeline};
    d.stage = StageId{stage};
    d.created_at = at(created);
    if (closed) d.closed_at = at(*closed);
    d.budget = Money{budget};
    d.deleted = deleted;
    b.add_deal(d);
  };
  deal(1, 1, 142, 2, 10, 1000);
  deal(5, 1, 10, 4, std::nullopt, 300);
  deal(10, 1, 142, 8, 9, 5000, true);
  deal(20, 2, 142, 11, 20, 700);
  auto item = [&](std::int64_t id, const char* channel, Timestamp created, std::optional<Timestamp> resolved,
                  UnsortedOutcome outcome, std::optional<std::int64_t> deal_id = std::nullopt,
                  std::optional<std::int64_t> pipeline = std::nullopt) {
    dealstat::UnsortedRow u;
    u.id = UnsortedId{id};
    u.channel = channel;
    u.created_at = created;
    u.resolved_at = resolved;
    u.outcome = outcome;
    if (deal_id) u.deal = DealId{*deal_id};
    if (pipeline) u.pipeline = PipelineId{*pipeline};
    b.add_unsorted(u);
  };
  using O = UnsortedOutcome;
  item(1, "mail", at(1), at(2), O::accepted, 1);
  item(2, "mail", at(3), at(3, 3600), O::declined);
  item(3, "mail", at(5), at(35), O::accepted);
  item(4, "sip", at(2), at(4), O::accepted, 5, 1);
  item(5, "sip", at(6), std::nullopt, O::pending);
  item(6, "forms", at(40), std::nullopt, O::pending);
  item(7, "forms", at(-3), at(1), O::accepted);
  item(8, "sip", at(7), at(8), O::accepted, 10);
  item(9, "mail", at(9), at(9, 7200), O::accepted, 999);
  item(10, "chats", at(10), at(11), O::accepted, 20);
  return std::move(b).build().dataset;
}

UnsortedOptions january() {
  UnsortedOptions o;
  o.filter.period.from = make_date(2024, 1, 1);
  o.filter.period.to = make_date(2024, 2, 1);
  o.as_of = at(30);
  return o;
}

const UnsortedChannelRow& channel(const UnsortedResult& r, const std::string& name) {
  for (const auto& c : r.channels)
    if (c.channel == name) return c;
  throw std::runtime_error("no channel " + name);
}

std::pair<double, double> wilson_pct(double x, double n) {
  const double z = 1.959963984540054, p = x / n;
  const double c = (p + z * z / (2 * n)) / (1 + z * z / n);
  const double h = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
  return {100 * (c - h), 100 * (c + h)};
}

}  // namespace

TEST(UnsortedReport, HandWorkedPerChannel) {
  auto ds = hand_dataset();
  auto r = unsorted_report(*ds, january());
  EXPECT_EQ(r.as_of_s, at(30).seconds);
  ASSERT_EQ(r.channels.size(), 3u);  // mail 4, sip 3, chats 1; forms has nothing in the period by as-of
  EXPECT_EQ(r.channels[0].channel, "mail");
  EXPECT_EQ(r.channels[1].channel, "sip");
  EXPECT_EQ(r.channels[2].channel, "chats");

  const auto& mail = channel(r, "mail");
  EXPECT_EQ(mail.items, 4);     // U1, U2, U3, U9
  EXPECT_EQ(mail.accepted, 2);  // U1, U9
  EXPECT_EQ(mail.declined, 1);  // U2
  EXPECT_EQ(mail.pending, 1);   // U3: resolved at d35, after as-of
  EXPECT_NEAR(mail.acceptance_rate_pct, 200.0 / 3, 1e-9);
  auto [lo, hi] = wilson_pct(2, 3);
  EXPECT_NEAR(mail.acceptance_rate_lower_pct, lo, 1e-9);
  EXPECT_NEAR(mail.acceptance_rate_upper_pct, hi, 1e-9);
  EXPECT_DOUBLE_EQ(mail.mean_processing_s, (86400.0 + 3600 + 7200) / 3);  // 32400
  EXPECT_DOUBLE_EQ(mail.median_processing_s, 7200.0);
  EXPECT_EQ(mail.won_deals, 1);  // U1 -> D1
  EXPECT_EQ(mail.won_budget_minor, 1000);
  EXPECT_DOUBLE_EQ(mail.won_pct, 50.0);
  EXPECT_NEAR(mail.items_share_pct, 400.0 / 8, 1e-9);

  const auto& sip = channel(r, "sip");
  EXPECT_EQ(sip.items, 3);  // U4, U5, U8
  EXPECT_EQ(sip.accepted, 2);
  EXPECT_EQ(sip.declined, 0);
  EXPECT_EQ(sip.pending, 1);  // U5
  EXPECT_DOUBLE_EQ(sip.acceptance_rate_pct, 100.0);
  EXPECT_DOUBLE_EQ(sip.mean_processing_s, 129600.0);  // (172800 + 86400) / 2
  EXPECT_DOUBLE_EQ(sip.median_processing_s, 129600.0);
  EXPECT_EQ(sip.won_deals, 0);  // D5 is active, D10 is deleted
  EXPECT_DOUBLE_EQ(sip.won_pct, 0.0);

  const auto& chats = channel(r, "chats");
  EXPECT_EQ(chats.won_deals, 1);
  EXPECT_EQ(chats.won_budget_minor, 700);

  // Overall: 8 items; accepted U1 U9 U4 U8 U10, declined U2, pending U3 U5.
  EXPECT_EQ(r.overall.items, 8);
  EXPECT_EQ(r.overall.accepted, 5);
  EXPECT_EQ(r.overall.declined, 1);
  EXPECT_EQ(r.overall.pending, 2);
  EXPECT_NEAR(r.overall.acceptance_rate_pct, 500.0 / 6, 1e-9);
  // Processing: 86400, 3600, 7200, 172800, 86400, 86400 -> mean 73800, median 86400.
  EXPECT_DOUBLE_EQ(r.overall.mean_processing_s, 73800.0);
  EXPECT_DOUBLE_EQ(r.overall.median_processing_s, 86400.0);
  EXPECT_EQ(r.overall.won_deals, 2);
  EXPECT_EQ(r.overall.won_budget_minor, 1700);
  double share = 0;
  for (const auto& c : r.channels) share += c.items_share_pct;
  EXPECT_NEAR(share, 100.0, 1e-9);
}

TEST(UnsortedReport, PendingAtAsOfAndDefaultAsOf) {
  auto ds = hand_dataset();
  auto o = january();
  o.as_of = at(3);  // before U2 is resolved: U1 accepted; U2 pending; U4 (resolved d4) pending; U3.. not arrived
  auto r = unsorted_report(*ds, o);
  EXPECT_EQ(r.overall.items, 3);  // U1, U2, U4 (created by d3)
  EXPECT_EQ(r.overall.accepted, 1);
  EXPECT_EQ(r.overall.pending, 2);
  EXPECT_EQ(channel(r, "mail").pending, 1);
  EXPECT_EQ(channel(r, "sip").pending, 1);

  // No period, default as-of: the latest instant of deals and items (U6 at d40).
  o = UnsortedOptions{};
  r = unsorted_report(*ds, o);
  EXPECT_EQ(r.as_of_s, at(40).seconds);
  EXPECT_EQ(r.overall.items, 10);
  EXPECT_EQ(channel(r, "mail").pending, 0);  // U3 resolved at d35 <= d40
  EXPECT_EQ(channel(r, "forms").items, 2);   // U6 (pending), U7 (accepted)
  EXPECT_EQ(channel(r, "forms").pending, 1);
}

TEST(UnsortedReport, FilterChannelsAndPipeline) {
  auto ds = hand_dataset();
  auto o = january();
  o.filter.channels = {"sip", "fax"};  // an unknown channel matches nothing
  auto r = unsorted_report(*ds, o);
  ASSERT_EQ(r.channels.size(), 1u);
  EXPECT_EQ(r.overall.items, 3);
  EXPECT_DOUBLE_EQ(r.channels[0].items_share_pct, 100.0);

  // Pipeline: the item's own (U4), else its deal's (U1 -> D1, U8 -> D10: pipeline 1; U10 -> D20: pipeline 2).
  o = january();
  o.filter.pipeline = "Main";
  r = unsorted_report(*ds, o);
  EXPECT_EQ(r.overall.items, 3);  // U1, U4, U8
  EXPECT_EQ(channel(r, "mail").items, 1);
  EXPECT_EQ(channel(r, "sip").items, 2);
  o.filter.pipeline = "2";
  r = unsorted_report(*ds, o);
  EXPECT_EQ(r.overall.items, 1);  // U10
  EXPECT_EQ(r.overall.won_deals, 1);

  // A period that holds nothing: no channel rows, NaN rates.
  o = january();
  o.filter.period.from = make_date(2023, 1, 1);
  o.filter.period.to = make_date(2023, 2, 1);
  r = unsorted_report(*ds, o);
  EXPECT_TRUE(r.channels.empty());
  EXPECT_EQ(r.overall.items, 0);
  EXPECT_TRUE(std::isnan(r.overall.acceptance_rate_pct));
  EXPECT_TRUE(std::isnan(r.overall.median_processing_s));
  EXPECT_EQ(r.to_tables()[0].rows(), 1u);  // just "(all)"
}

TEST(UnsortedReport, BadOptionsNameTheOption) {
  auto ds = hand_dataset();
  auto with = [&](auto change) {
    return option_of([&] {
      auto o = january();
      change(o);
      unsorted_report(*ds, o);
    });
  };
  EXPECT_EQ(with([](UnsortedOptions& o) { o.filter.users = {1}; }), "users");
  EXPECT_EQ(with([](UnsortedOptions& o) { o.filter.groups = {"Sales"}; }), "groups");
  EXPECT_EQ(with([](UnsortedOptions& o) { o.filter.tags = {"vip"}; }), "tags");
  EXPECT_EQ(with([](UnsortedOptions& o) { o.filter.status = StatusFilter::won; }), "status");
  EXPECT_EQ(with([](UnsortedOptions& o) { o.filter.date_basis = DateBasis::closed; }), "date_basis");
  EXPECT_EQ(with([](UnsortedOptions& o) { o.filter.pipeline = "Nope"; }), "pipeline");
  EXPECT_EQ(with([](UnsortedOptions& o) { o.confidence = 0; }), "confidence");
  EXPECT_EQ(with([](UnsortedOptions& o) { o.filter.period.to = make_date(2023, 1, 1); }), "to");
}

TEST(UnsortedReport, TableHasChannelsThenAll) {
  auto ds = hand_dataset();
  auto t = unsorted_report(*ds, january()).to_tables();
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].name, "unsorted");
  ASSERT_EQ(t[0].rows(), 4u);
  const auto& names = std::get<std::vector<std::string>>(t[0].column("channel").values);
  EXPECT_EQ(names.back(), "(all)");
  const auto& items = std::get<std::vector<std::int64_t>>(t[0].column("items").values);
  EXPECT_EQ(items.back(), 8);
}


TEST(UnsortedReportSample, ChannelsSumToOverallAndSharesTo100) {
  SampleOptions so;
  so.deals = 3000;
  auto ds = make_sample(so);
  auto r = unsorted_report(*ds);
  ASSERT_GE(r.channels.size(), 4u);  // mail, forms, sip, chats
  std::int64_t items = 0, accepted = 0, declined = 0, pending = 0, won = 0;
  double share = 0;
  for (const auto& c : r.channels) {
    EXPECT_EQ(c.items, c.accepted + c.declined + c.pending) << c.channel;
    EXPECT_LE(c.won_deals, c.accepted) << c.channel;
    items += c.items;
    accepted += c.accepted;
    declined += c.declined;
    pending += c.pending;
    won += c.won_deals;
    share += c.items_share_pct;
  }
  EXPECT_EQ(items, r.overall.items);
  EXPECT_EQ(accepted, r.overall.accepted);
  EXPECT_EQ(declined, r.overall.declined);
  EXPECT_EQ(pending, r.overall.pending);
  EXPECT_EQ(won, r.overall.won_deals);
  EXPECT_NEAR(share, 100.0, 1e-9);
  EXPECT_EQ(r.overall.items, static_cast<std::int64_t>(ds->unsorted().size()));  // no period: every item
  EXPECT_GT(r.overall.won_deals, 0);
  EXPECT_GT(r.overall.pending, 0);
}
