// Tests for dealstat/reports/filter.hpp: the common filter of SPEC section 2
// (date basis, status, users, groups, tags, channels, pipeline, deleted deals)
// and its bad options. Every expected count is worked out by hand in a comment.
#include "dealstat/reports/filter.hpp"

#include <gtest/gtest.h>

#include "dealstat/core/error.hpp"
#include "expect_error.hpp"
#include "test_accounts.hpp"

using namespace dealstat;
using namespace dealstat::test;

namespace {

// The deal ids a filter selects, in row order.
std::vector<std::int64_t> selected(const Dataset& ds, const DealFilter& f) {
  DealSelector sel(ds, f);
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < ds.deals().size(); ++i)
    if (sel.selects(i)) out.push_back(ds.deals().id[i]);
  return out;
}

using Ids = std::vector<std::int64_t>;

// January and February 2024 in UTC: Jan 1 = day 0, Feb 1 = day 31, Mar 1 = day 60.
DatasetPtr date_basis_account() {
  TestAccount a;
  // 1: created last month (Jan 20), won this month (Feb 10).
  a.deal(1).at(day(19), kNew).at(day(40), kWon);
  // 2: created this month (Feb 5), active.
  a.deal(2).at(day(35), kNew);
  // 3: created last month (Jan 10), active.
  a.deal(3).at(day(9), kNew);
  // 4: created and lost in January.
  a.deal(4).at(day(2), kNew).at(day(20), kLost);
  return std::move(a).build();
}

Period february() { return Period{make_date(2024, 2, 1), make_date(2024, 3, 1)}; }
Period january() { return Period{make_date(2024, 1, 1), make_date(2024, 2, 1)}; }

}  // namespace

TEST(Filter, AutoBasisPlacesClosedDealsByCloseAndActiveByCreation) {
  auto ds = date_basis_account();
  DealFilter f;
  f.period = february();
  // SPEC 2: a deal created last month and closed in this one is in this month's report.
  // February: 1 (closed Feb 10), 2 (active, created Feb 5). Not 3 (created Jan), not 4 (closed Jan).
  EXPECT_EQ(selected(*ds, f), (Ids{1, 2}));
  f.period = january();
  // January: 3 (active, created Jan 10) and 4 (closed Jan 21); 1 is closed, so it counts in February only.
  EXPECT_EQ(selected(*ds, f), (Ids{3, 4}));
}

TEST(Filter, CreatedBasisIsTheCohortView) {
  auto ds = date_basis_account();
  DealFilter f;
  f.date_basis = DateBasis::created;
  f.period = february();
  EXPECT_EQ(selected(*ds, f), (Ids{2}));  // only 2 was created in February
  f.period = january();
  EXPECT_EQ(selected(*ds, f), (Ids{1, 3, 4}));  // 1, 3, 4 were created in January
}

TEST(Filter, ClosedBasisTakesOnlyClosedDealsByCloseDate) {
  auto ds = date_basis_account();
  DealFilter f;
  f.date_basis = DateBasis::closed;
  f.period = february();
  EXPECT_EQ(selected(*ds, f), (Ids{1}));  // closed Feb 10; 2 is active
  f.period = january();
  EXPECT_EQ(selected(*ds, f), (Ids{4}));  // closed Jan 21
  f.period = {};
  EXPECT_EQ(selected(*ds, f), (Ids{1, 4}));  // no period: every closed deal
}

TEST(Filter, PeriodEndsAreLocalMidnights) {
  // Europe/Moscow is UTC+3: Feb 1 00:00 local = Jan 31 21:00 UTC.
  TestAccount a("Europe/Moscow");
  a.deal(1).at(day(30, 21), kNew);      // Jan 31 21:00Z = Feb 1 00:00 MSK -> February
  a.deal(2).at(day(30, 21) - 1, kNew);  // one second earlier = Jan 31 23:59:59 MSK -> January
  auto ds = std::move(a).build();
  DealFilter f;
  f.period = february();
  EXPECT_EQ(selected(*ds, f), (Ids{1}));
  f.period = january();
  EXPECT_EQ(selected(*ds, f), (Ids{2}));
}

TEST(Filter, StatusFilterUsesTheCurrentState) {
  TestAccount a;
  a.deal(1).at(day(0), kNew);                                        // active
  a.deal(2).at(day(0), kNew).at(day(2), kWon);                       // won
  a.deal(3).at(day(0), kNew).at(day(2), kLost);                      // lost
  a.deal(4).at(day(0), kNew).at(day(2), kWon).at(day(3), kProposal);  // won then reopened: active again
  a.deal(5).at(day(0), kNew).at(day(2), kLost).at(day(3), kNew).at(day(4), kWon);  // lost, reopened, won
  auto ds = std::move(a).build();
  DealFilter f;
  EXPECT_EQ(selected(*ds, f), (Ids{1, 2, 3, 4, 5}));
  f.status = StatusFilter::active;
  EXPECT_EQ(selected(*ds, f), (Ids{1, 4}));  // SPEC 1: a reopened deal is active again
  f.status = StatusFilter::closed;
  EXPECT_EQ(selected(*ds, f), (Ids{2, 3, 5}));
  f.status = StatusFilter::won;
  EXPECT_EQ(selected(*ds, f), (Ids{2, 5}));
  f.status = StatusFilter::lost;
  EXPECT_EQ(selected(*ds, f), (Ids{3}));  // 5's loss was undone by the reopening
}

TEST(Filter, UsersGroupsTagsChannelsAndDeleted) {
  TestAccount a;
  a.deal(1).at(day(0), kNew).user(1).channel("mail").tag("vip");
  a.deal(2).at(day(0), kNew).user(2).channel("sip").tag("vip").tag("repeat");
  a.deal(3).at(day(0), kNew).user(3).channel("forms").tag("repeat");
  a.deal(4).at(day(0), kNew).user(4).channel("mail");
  a.deal(5).at(day(0), kNew).channel("chats");                        // nobody responsible
  a.deal(6).at(day(0), kNew).user(1).channel("mail").tag("vip").deleted();  // never counted
  auto ds = std::move(a).build();

  DealFilter f;
  EXPECT_EQ(selected(*ds, f), (Ids{1, 2, 3, 4, 5}));  // 6 is deleted
  f.users = {1};
  EXPECT_EQ(selected(*ds, f), (Ids{1}));
  f.users = {3, 4};
  EXPECT_EQ(selected(*ds, f), (Ids{3, 4}));
  f.users = {};
  f.groups = {"North"};  // Anna (1) and Boris (2)
  EXPECT_EQ(selected(*ds, f), (Ids{1, 2}));
  f.users = {3};  // users and groups together: any of them
  EXPECT_EQ(selected(*ds, f), (Ids{1, 2, 3}));
  f.users = {};
  f.groups = {"North", "South"};
  EXPECT_EQ(selected(*ds, f), (Ids{1, 2, 3}));

  DealFilter t;
  t.tags = {"vip"};
  EXPECT_EQ(selected(*ds, t), (Ids{1, 2}));
  t.tags = {"vip", "repeat"};  // any of
  EXPECT_EQ(selected(*ds, t), (Ids{1, 2, 3}));
  t.tags = {"nobody-has-this"};  // an unknown tag matches no deal, it is not an error
  EXPECT_EQ(selected(*ds, t), (Ids{}));

  DealFilter c;
  c.channels = {"mail"};
  EXPECT_EQ(selected(*ds, c), (Ids{1, 4}));
  c.channels = {"sip", "chats"};
  EXPECT_EQ(selected(*ds, c), (Ids{2, 5}));
  c.tags = {"vip"};  // every part must pass: sip/chats and vip -> 2
  EXPECT_EQ(selected(*ds, c), (Ids{2}));
}

TEST(Filter, PipelineByIdOrName) {
  TestAccount a;
  a.deal(1).at(day(0), kNew);
  a.deal(2).at(day(0), kLead, kPartners);
  a.deal(3).at(day(0), kLead, kPartners).at(day(1), kProposal, kSales);  // moved to Sales: counts there
  auto ds = std::move(a).build();
  DealFilter f;
  f.pipeline = "Partners";
  EXPECT_EQ(selected(*ds, f), (Ids{2}));
  f.pipeline = std::string("1");  // not = "1": GCC 12 -O3 reports a false -Wrestrict on that assignment here
  EXPECT_EQ(selected(*ds, f), (Ids{1, 3}));
  DealSelector sel(*ds, f);
  ASSERT_TRUE(sel.pipeline());
  EXPECT_EQ(sel.pipeline()->value, 0u);
}

TEST(Filter, SelectsIgnoringPeriodIgnoresPeriodAndStatus) {
  auto ds = date_basis_account();
  DealFilter f;
  f.period = february();
  f.status = StatusFilter::lost;
  DealSelector sel(*ds, f);
  for (std::size_t i = 0; i < ds->deals().size(); ++i) EXPECT_TRUE(sel.selects_ignoring_period(i));
}

TEST(Filter, OnlyDeletedAndPipelineIsTheWholeTestWithoutLists) {
  TestAccount a;
  a.deal(1).at(day(0), kNew).user(1).channel("mail").tag("vip");            // Sales
  a.deal(2).at(day(0), kLead, kPartners).user(2).channel("sip");            // Partners
  a.deal(3).at(day(0), kNew).user(3).deleted();                             // Sales, deleted
  a.deal(4).at(day(0), kLead, kPartners).user(1).tag("vip").deleted();      // Partners, deleted
  a.deal(5).at(day(0), kNew);                                               // Sales, nobody responsible
  auto ds = std::move(a).build();
  // The ids selects_ignoring_period() keeps, and the ids base_test() keeps, in row order.
  auto ids = [&](const DealSelector& sel, bool base) {
    Ids out;
    for (std::size_t i = 0; i < ds->deals().size(); ++i)
      if (base ? sel.base_test()(i) : sel.selects_ignoring_period(i)) out.push_back(ds->deals().id[i]);
    return out;
  };
  DealFilter f;  // no lists: the base test (not deleted) is the whole test
  f.period = Period{make_date(2030, 1, 1), std::nullopt};  // ignored by both
  f.status = StatusFilter::won;                             // ignored by both
  DealSelector all(*ds, f);
  EXPECT_TRUE(all.only_deleted_and_pipeline());
  EXPECT_EQ(all.base_test().pipeline_row, DealBaseTest::kAnyPipeline);
  EXPECT_EQ(ids(all, true), (Ids{1, 2, 5}));
  EXPECT_EQ(ids(all, false), (Ids{1, 2, 5}));
  f.pipeline = "Partners";  // a pipeline is still the base test: 2 (4 is deleted)
  DealSelector partners(*ds, f);
  EXPECT_TRUE(partners.only_deleted_and_pipeline());
  EXPECT_EQ(partners.base_test().pipeline_row, 1u);
  EXPECT_EQ(ids(partners, true), (Ids{2}));
  EXPECT_EQ(ids(partners, false), (Ids{2}));
  // The default pipeline of the three-argument constructor is the base test's pipeline too: Sales -> 1, 5.
  DealSelector first(*ds, DealFilter{}, PipelineIndex{0});
  EXPECT_TRUE(first.only_deleted_and_pipeline());
  EXPECT_EQ(ids(first, true), (Ids{1, 5}));
  EXPECT_EQ(ids(first, false), (Ids{1, 5}));
  // Any list: not only the base test; the base test stays "not deleted, in the pipeline".
  DealFilter u;
  u.users = {1};  // 1 (4 is Anna's but deleted)
  DealSelector by_user(*ds, u);
  EXPECT_FALSE(by_user.only_deleted_and_pipeline());
  EXPECT_EQ(ids(by_user, true), (Ids{1, 2, 5}));
  EXPECT_EQ(ids(by_user, false), (Ids{1}));
  DealFilter g;
  g.groups = {"North"};  // Anna and Boris: 1, 2
  DealSelector by_group(*ds, g);
  EXPECT_FALSE(by_group.only_deleted_and_pipeline());
  EXPECT_EQ(ids(by_group, false), (Ids{1, 2}));
  DealFilter t;
  t.tags = {"vip"};  // 1 (4 is deleted)
  DealSelector by_tag(*ds, t);
  EXPECT_FALSE(by_tag.only_deleted_and_pipeline());
  EXPECT_EQ(ids(by_tag, false), (Ids{1}));
  DealFilter c;
  c.channels = {"sip"};
  c.pipeline = "Sales";  // 2 is sip but in Partners: none
  DealSelector by_channel(*ds, c);
  EXPECT_FALSE(by_channel.only_deleted_and_pipeline());
  EXPECT_EQ(ids(by_channel, true), (Ids{1, 5}));
  EXPECT_EQ(ids(by_channel, false), (Ids{}));
}

TEST(Filter, BadOptionsNameTheOption) {
  auto ds = date_basis_account();
  DealFilter f;
  f.pipeline = "Nope";
  expect_bad_option([&] { DealSelector s(*ds, f); }, "pipeline");
  f.pipeline = "99";
  expect_bad_option([&] { DealSelector s(*ds, f); }, "pipeline");
  f = {};
  f.users = {1, 77};
  expect_bad_option([&] { DealSelector s(*ds, f); }, "users");
  f = {};
  f.groups = {"West"};
  expect_bad_option([&] { DealSelector s(*ds, f); }, "groups");
  f = {};
  f.period = Period{make_date(2024, 2, 1), make_date(2024, 1, 1)};
  expect_bad_option([&] { DealSelector s(*ds, f); }, "to");
  f.period = Period{make_date(2024, 2, 1), make_date(2024, 2, 1)};  // empty period
  expect_bad_option([&] { DealSelector s(*ds, f); }, "to");
  expect_bad_option([] { parse_status_filter("open"); }, "status");
  expect_bad_option([] { parse_date_basis("updated"); }, "date_basis");
}

TEST(Filter, NamesRoundTrip) {
  for (auto s : {StatusFilter::all, StatusFilter::active, StatusFilter::closed, StatusFilter::won, StatusFilter::lost})
    EXPECT_EQ(parse_status_filter(status_filter_name(s)), s);
  for (auto b : {DateBasis::automatic, DateBasis::created, DateBasis::closed})
    EXPECT_EQ(parse_date_basis(date_basis_name(b)), b);
  EXPECT_STREQ(date_basis_name(DateBasis::automatic), "auto");
}

TEST(Filter, DatasetEndIsTheLatestInstant) {
  auto ds = date_basis_account();
  // Latest: deal 1 won at day 40 (later than every creation: day 35 is the latest).
  EXPECT_EQ(dataset_end(*ds).seconds, day(40));
}
