// The common report filter resolved against a dataset.
#include "dealstat/reports/filter.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <span>

#include "dealstat/core/error.hpp"
#include "reports/day_index_switch.hpp"

namespace dealstat {
inline namespace v1 {

namespace {
constexpr std::uint32_t kNone = 0xFFFFFFFFu;

std::atomic<bool> g_day_index{true};  // detail::set_day_index_enabled

}  // namespace

namespace detail {
void set_day_index_enabled(bool on) { g_day_index.store(on, std::memory_order_relaxed); }
bool day_index_enabled() { return g_day_index.load(std::memory_order_relaxed); }
}  // namespace detail

StatusFilter parse_status_filter(std::string_view s) {
  if (s == "all") return StatusFilter::all;
  if (s == "active") return StatusFilter::active;
  if (s == "closed") return StatusFilter::closed;
  if (s == "won") return StatusFilter::won;
  if (s == "lost") return StatusFilter::lost;
  throw Error::bad_option("status", std::string(s), "expected all, active, closed, won or lost");
}

DateBasis parse_date_basis(std::string_view s) {
  if (s == "auto") return DateBasis::automatic;
  if (s == "created") return DateBasis::created;
  if (s == "closed") return DateBasis::closed;
  throw Error::bad_option("date_basis", std::string(s), "expected auto, created or closed");
}

const char* status_filter_name(StatusFilter s) {
  static constexpr const char* names[] = {"all", "active", "closed", "won", "lost"};
  return names[static_cast<int>(s)];
}

const char* date_basis_name(DateBasis b) {
  static constexpr const char* names[] = {"auto", "created", "closed"};
  return names[static_cast<int>(b)];
}

DealSelector::DealSelector(const Dataset& ds, const DealFilter& f)
    : ds_(ds), basis_(f.date_basis), status_(f.status) {
  f.period.validate();
  range_ = resolve(f.period, ds.account().time_zone);
  if (!f.pipeline.empty()) {
    pipeline_ = ds.find_pipeline(f.pipeline);
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(f.pipeline.data(), f.pipeline.data() + f.pipeline.size(), id);
    if (!pipeline_ && ec == std::errc() && p == f.pipeline.data() + f.pipeline.size())
      pipeline_ = ds.find_pipeline(PipelineId{id});
    if (!pipeline_) throw Error::bad_option("pipeline", f.pipeline, "no pipeline with this id or name");
  }
  const auto& users = ds.users();
  if (!f.users.empty() || !f.groups.empty()) {
    user_ok_.assign(users.size(), 0);
    for (auto id : f.users) {
      auto u = ds.find_user(UserId{id});
      if (!u) throw Error::bad_option("users", std::to_string(id), "no user with this id");
      user_ok_[u->value] = 1;
    }
    for (const auto& g : f.groups) {
      bool found = false;
      for (std::size_t gi = 0; gi < users.group_name.size(); ++gi) {
        if (ds.str(users.group_name[gi]) != g) continue;
        found = true;
        for (std::size_t u = 0; u < users.size(); ++u)
          if (users.group[u] == gi) user_ok_[u] = 1;
      }
      if (!found) throw Error::bad_option("groups", g, "no group with this name");
    }
  }
  auto codes = [&](const std::vector<std::string>& names, std::vector<std::uint8_t>& ok) {
    if (names.empty()) return;
    ok.assign(ds.strings().size(), 0);
    for (const auto& n : names) {
      auto c = ds.strings().find(n);
      if (c >= 0) ok[static_cast<std::size_t>(c)] = 1;  // an unknown tag simply matches no deal
    }
  };
  codes(f.tags, tag_ok_);
  codes(f.channels, channel_ok_);
  set_base();
}

void DealSelector::set_base() {
  base_.deleted = ds_.deals().deleted.data();
  base_.pipeline = ds_.deals().pipeline.data();
  base_.pipeline_row = pipeline_ ? pipeline_->value : DealBaseTest::kAnyPipeline;
  only_base_ = user_ok_.empty() && tag_ok_.empty() && channel_ok_.empty();
}

DealSelector::DealSelector(const Dataset& ds, const DealFilter& f, PipelineIndex default_pipeline)
    : DealSelector(ds, f) {
  if (f.pipeline.empty()) {
    if (default_pipeline.value >= ds.pipelines().size())
      throw Error::bad_option("pipeline", std::to_string(default_pipeline.value), "no pipeline at this row");
    pipeline_ = default_pipeline;
    set_base();
  }
}

bool DealSelector::selects_lists(std::size_t i) const {
  const auto& d = ds_.deals();
  if (!user_ok_.empty()) {
    auto u = d.responsible[i];
    if (u == kNone || !user_ok_[u]) return false;
  }
  if (!channel_ok_.empty() && !channel_ok_[d.channel[i]]) return false;
  if (!tag_ok_.empty()) {
    bool any = false;
    for (auto k = d.tags_offset[i]; k < d.tags_offset[i + 1] && !any; ++k) any = tag_ok_[d.tags[k]] != 0;
    if (!any) return false;
  }
  return true;
}

bool DealSelector::selects(std::size_t i) const {
  if (!selects_ignoring_period(i)) return false;
  const auto& d = ds_.deals();
  const StageKind kind = ds_.stages().kind[d.stage[i]];
  const bool closed = is_closed_kind(kind);
  switch (status_) {
    case StatusFilter::all: break;
    case StatusFilter::active: if (closed) return false; break;
    case StatusFilter::closed: if (!closed) return false; break;
    case StatusFilter::won: if (kind != StageKind::won) return false; break;
    case StatusFilter::lost: if (kind != StageKind::lost) return false; break;
  }
  switch (basis_) {
    case DateBasis::automatic: return range_.contains(closed ? d.closed_at[i] : d.created_at[i]);
    case DateBasis::created: return range_.contains(d.created_at[i]);
    case DateBasis::closed: return closed && range_.contains(d.closed_at[i]);
  }
  return false;
}

DealCandidates DealSelector::candidates() const {
  const std::size_t n = ds_.deals().size();
  const bool bounded = range_.start_s != kNoTime || range_.end_s != kNoTime;
  if ((!bounded && !pipeline_) || !detail::day_index_enabled()) return DealCandidates::all_rows(n);
  const DealDayIndex& x = basis_ == DateBasis::created ? ds_.deals_by_created_day() : ds_.deals_by_auto_day();
  std::vector<std::span<const std::uint32_t>> lists;
  if (x.buckets > 0) {
    // The buckets overlapping [start_s, end_s): bucket_of clamps, so instants outside the data's days
    // give the first or last bucket (a superset; selects() decides).
    const std::uint32_t b0 = range_.start_s == kNoTime ? 0 : x.bucket_of(range_.start_s);
    const std::uint32_t b1 = range_.end_s == kNoTime ? x.buckets : x.bucket_of(range_.end_s - 1) + 1;
    if (b0 < b1) {
      if (pipeline_) {
        lists.push_back(x.range(pipeline_->value, b0, b1));
      } else {
        for (std::uint32_t p = 0; p < x.pipelines; ++p) lists.push_back(x.range(p, b0, b1));
      }
    }
  }
  std::size_t count = 0;
  for (const auto& l : lists) count += l.size();
  if (2 * count > n) return DealCandidates::all_rows(n);  // the plain scan is as fast
  return DealCandidates::of_lists(n, lists);
}

Timestamp dataset_end(const Dataset& ds) { return Timestamp{ds.deals_end_s()}; }

}  // namespace v1
}  // namespace dealstat
