// Small hand-made accounts for the report tests, built through DatasetBuilder
// exactly as an importer would: pipelines, stages, users and deals, each deal
// given as its path (stage, entered at) from which the helper writes the deal
// row (current stage = the last entry; closed_at = its entry time when it is
// won or lost) and one stage change per move, starting with the creation
// record. Times are whole days (and hours) after 2024-01-01T00:00:00Z so that
// expected values can be worked out by hand.
//
//   TestAccount a;
//   a.deal(1, 100).at(day(0), kNew).at(day(3), kQualified).at(day(5), kLost);
//   DatasetPtr ds = a.build();
//
// Also a fixed-seed random account (random_account) for determinism and
// invariant tests: its own xorshift generator, so the same seed gives the
// same deals on every standard library.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dealstat/data/dataset.hpp"
#include "dealstat/data/dataset_builder.hpp"
#include "dealstat/time/time_zone.hpp"

namespace dealstat::test {

//! 2024-01-01T00:00:00Z.
inline constexpr std::int64_t kT0 = 1704067200;
inline constexpr std::int64_t kHour = 3600;
inline constexpr std::int64_t kDay = 86400;
//! The instant n days (and h hours) after 2024-01-01T00:00:00Z.
inline constexpr std::int64_t day(std::int64_t n, std::int64_t h = 0) { return kT0 + n * kDay + h * kHour; }

// Pipeline 1 "Sales": unsorted 10, open 11..14, won 142, lost 143.
inline constexpr std::int64_t kSales = 1;
inline constexpr std::int64_t kIncoming = 10;      // unsorted
inline constexpr std::int64_t kNew = 11;           // first open stage
inline constexpr std::int64_t kQualified = 12;
inline constexpr std::int64_t kProposal = 13;
inline constexpr std::int64_t kNegotiation = 14;
inline constexpr std::int64_t kWon = 142;
inline constexpr std::int64_t kLost = 143;
// Pipeline 2 "Partners": open 21, 22, won 142, lost 143.
inline constexpr std::int64_t kPartners = 2;
inline constexpr std::int64_t kLead = 21;
inline constexpr std::int64_t kContract = 22;

// Users: 1 Anna and 2 Boris in group North, 3 Vera in South, 4 Gleb in no group.

//! Builds a small account deal by deal.
class TestAccount {
 public:
  //! An account in the given zone (IANA name, POSIX string or offset) and first day of week.
  explicit TestAccount(std::string tz = "UTC", Weekday first_day_of_week = Weekday::monday) {
    b_.set_account(Account{TimeZone::parse(tz), first_day_of_week, "RUB"});
    b_.add_pipeline({PipelineId{kSales}, "Sales"});
    b_.add_pipeline({PipelineId{kPartners}, "Partners"});
    // Added out of sort order on purpose: the builder orders stages.
    b_.add_stage({PipelineId{kSales}, StageId{kQualified}, "Qualified", 20, StageKind::open});
    b_.add_stage({PipelineId{kSales}, StageId{kNew}, "New", 10, StageKind::open});
    b_.add_stage({PipelineId{kSales}, StageId{kIncoming}, "Incoming", 0, StageKind::unsorted});
    b_.add_stage({PipelineId{kSales}, StageId{kProposal}, "Proposal", 30, StageKind::open});
    b_.add_stage({PipelineId{kSales}, StageId{kNegotiation}, "Negotiation", 40, StageKind::open});
    b_.add_stage({PipelineId{kSales}, StageId{kWon}, "Won", 10000, StageKind::won});
    b_.add_stage({PipelineId{kSales}, StageId{kLost}, "Lost", 11000, StageKind::lost});
    b_.add_stage({PipelineId{kPartners}, StageId{kLead}, "Lead", 10, StageKind::open});
    b_.add_stage({PipelineId{kPartners}, StageId{kContract}, "Contract", 20, StageKind::open});
    b_.add_stage({PipelineId{kPartners}, StageId{kWon}, "Won", 10000, StageKind::won});
    b_.add_stage({PipelineId{kPartners}, StageId{kLost}, "Lost", 11000, StageKind::lost});
    b_.add_user({UserId{1}, "Anna", "North"});
    b_.add_user({UserId{2}, "Boris", "North"});
    b_.add_user({UserId{3}, "Vera", "South"});
    b_.add_user({UserId{4}, "Gleb", ""});
  }

  //! Starts a deal with this id and budget (in minor units).
  TestAccount& deal(std::int64_t id, std::int64_t budget_minor = 0) {
    deals_.push_back(Spec{});
    deals_.back().id = id;
    deals_.back().budget = budget_minor;
    return *this;
  }
  //! Appends a path entry: the deal entered `stage` of `pipeline` at instant t.
  TestAccount& at(std::int64_t t, std::int64_t stage, std::int64_t pipeline = kSales) {
    deals_.back().path.push_back({pipeline, stage, t});
    return *this;
  }
  //! Sets the responsible user.
  TestAccount& user(std::int64_t id) { deals_.back().user = id; return *this; }
  //! Sets the source channel.
  TestAccount& channel(std::string c) { deals_.back().channel = std::move(c); return *this; }
  //! Adds a tag.
  TestAccount& tag(std::string t) { deals_.back().tags.push_back(std::move(t)); return *this; }
  //! Marks the deal deleted.
  TestAccount& deleted() { deals_.back().deleted = true; return *this; }
  //! Writes no stage changes for this deal: only its final stage is known (created at the first
  //! entry's time, closed at the last's when closed).
  TestAccount& no_history() { deals_.back().history = false; return *this; }

  //! Builds the dataset (strict validation).
  DatasetPtr build() && {
    for (const auto& s : deals_) {
      const auto& first = s.path.front();
      const auto& last = s.path.back();
      const bool closed = last.stage == kWon || last.stage == kLost;
      DealRow row;
      row.id = DealId{s.id};
      row.pipeline = PipelineId{last.pipeline};
      row.stage = StageId{last.stage};
      row.created_at = Timestamp{first.at};
      if (closed) row.closed_at = Timestamp{last.at};
      row.budget = Money{s.budget};
      if (s.user) row.responsible = UserId{*s.user};
      row.channel = s.channel;
      row.tags = s.tags;
      row.deleted = s.deleted;
      b_.add_deal(std::move(row));
      if (!s.history) continue;
      for (std::size_t k = 0; k < s.path.size(); ++k) {
        StageChangeRow c;
        c.deal = DealId{s.id};
        c.at = Timestamp{s.path[k].at};
        c.to_pipeline = PipelineId{s.path[k].pipeline};
        c.to_stage = StageId{s.path[k].stage};
        if (k > 0) {
          c.from_pipeline = PipelineId{s.path[k - 1].pipeline};
          c.from_stage = StageId{s.path[k - 1].stage};
        }
        b_.add_stage_change(c);
      }
    }
    return std::move(b_).build().dataset;
  }

 private:
  struct Entry {
    std::int64_t pipeline, stage, at;
  };
  struct Spec {
    std::int64_t id = 0, budget = 0;
    std::vector<Entry> path;
    std::optional<std::int64_t> user;
    std::string channel;
    std::vector<std::string> tags;
    bool deleted = false, history = true;
  };
  DatasetBuilder b_;
  std::vector<Spec> deals_;
};

//! A fixed-seed random account of n deals in the TestAccount layout (time zone Europe/Moscow):
//! forward moves, skipped stages, moves back, unsorted starts, reopened closes, moves between
//! pipelines, deals with no history, deleted deals; created over 2024, as-of about 2025-02-01.
inline DatasetPtr random_account(std::int64_t n, std::uint64_t seed = 12345) {
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  auto next = [&]() {  // xorshift64*
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    return (x * 0x2545F4914F6CDD1Dull) >> 11;
  };
  auto below = [&](std::uint64_t m) { return static_cast<std::int64_t>(next() % m); };
  TestAccount a("Europe/Moscow");
  const std::int64_t sales[] = {kNew, kQualified, kProposal, kNegotiation};
  const std::int64_t partners[] = {kLead, kContract};
  for (std::int64_t id = 1; id <= n; ++id) {
    std::int64_t t = day(below(366), below(24)) + below(3600);
    a.deal(id, below(5) == 0 ? 0 : 1000 * (1 + below(500)));
    const std::int64_t pipe = below(10) == 0 ? kPartners : kSales;
    const std::int64_t* st = pipe == kSales ? sales : partners;
    const std::int64_t n_open = pipe == kSales ? 4 : 2;
    std::int64_t pos = 0;
    if (pipe == kSales && below(5) == 0) {
      a.at(t, kIncoming);
      t += below(3 * kDay);
      if (below(6) == 0) {  // declined from unsorted
        a.at(t, kLost);
        continue;
      }
    }
    pos = below(4) == 0 ? below(n_open) : 0;
    a.at(t, st[pos], pipe);
    std::int64_t cur_pipe = pipe;
    const std::int64_t moves = below(6);
    for (std::int64_t m = 0; m < moves; ++m) {
      t += 1 + below(20 * kDay);
      const std::int64_t r = below(20);
      if (r < 12 && pos + 1 < n_open) {
        pos += 1 + (below(4) == 0 && pos + 2 < n_open ? 1 : 0);  // forward, sometimes skipping one
      } else if (r < 15 && pos > 0) {
        --pos;  // back
      } else if (r == 15 && cur_pipe == kPartners) {
        cur_pipe = kSales;  // moved to Sales
        st = sales;
        pos = below(4);
      } else {
        continue;
      }
      a.at(t, st[pos], cur_pipe);
    }
    const std::int64_t end = below(10);
    if (end < 7) {
      t += 1 + below(30 * kDay);
      const std::int64_t close = end < 3 ? kWon : kLost;
      a.at(t, close, cur_pipe);
      if (below(15) == 0) {  // reopened, maybe closed again
        t += 1 + below(10 * kDay);
        a.at(t, st[below(cur_pipe == kSales ? 4 : 2)], cur_pipe);
        if (below(2) == 0) a.at(t + 1 + below(10 * kDay), below(2) == 0 ? kWon : kLost, cur_pipe);
      }
    }
    if (below(50) == 0) a.no_history();
    if (below(100) == 0) a.deleted();
    const std::int64_t u = below(5);
    if (u > 0) a.user(u);
    a.channel(below(2) == 0 ? "mail" : "sip");
    if (below(3) == 0) a.tag("vip");
  }
  return std::move(a).build();
}

}  // namespace dealstat::test
