// Dataset look-ups by CRM id and name (users and pipelines through hash indexes made on first use,
// deals by binary search) and the instants cached when the dataset is built.
#include "dealstat/data/dataset.hpp"

#include <algorithm>
#include <limits>
#include <mutex>
#include <thread>

#include "detail/id_map.hpp"
#include "detail/parallel.hpp"

namespace dealstat {
inline namespace v1 {

// CRM id -> row for users and pipelines, and a pipeline name's string code -> the first row with it;
// filled once, on first use.
struct Dataset::Lookup {
  std::once_flag once;
  detail::IdMap user_by_id, pipeline_by_id, pipeline_by_name;
};

Dataset::Dataset() : lookup_(std::make_shared<Lookup>()) {}

const Dataset::Lookup& Dataset::lookup() const {
  static const Lookup none;  // a moved-from dataset's: it finds nothing
  if (!lookup_) return none;
  Lookup& l = *lookup_;
  std::call_once(l.once, [&] {
    l.user_by_id.reserve(users_.id.size());
    for (std::size_t i = 0; i < users_.id.size(); ++i) l.user_by_id.insert(users_.id[i], static_cast<std::uint32_t>(i));
    l.pipeline_by_id.reserve(pipelines_.id.size());
    l.pipeline_by_name.reserve(pipelines_.id.size());
    for (std::size_t i = 0; i < pipelines_.id.size(); ++i) {
      l.pipeline_by_id.insert(pipelines_.id[i], static_cast<std::uint32_t>(i));
      l.pipeline_by_name.insert(pipelines_.name[i], static_cast<std::uint32_t>(i));
    }
  });
  return l;
}

std::optional<PipelineIndex> Dataset::find_pipeline(PipelineId id) const {
  const std::uint32_t row = lookup().pipeline_by_id.find(id.value);
  if (row == detail::IdMap::kMissing) return std::nullopt;
  return PipelineIndex{row};
}

std::optional<PipelineIndex> Dataset::find_pipeline(std::string_view name) const {
  const std::int64_t code = strings_.find(name);  // every pipeline's name is in the pool
  if (code < 0) return std::nullopt;
  const std::uint32_t row = lookup().pipeline_by_name.find(code);
  if (row == detail::IdMap::kMissing) return std::nullopt;
  return PipelineIndex{row};
}

std::optional<StageIndex> Dataset::find_stage(PipelineIndex pipeline, StageId id) const {
  if (!pipeline.valid() || pipeline.value >= pipelines_.size()) return std::nullopt;
  for (auto b = pipelines_.stages_offset[pipeline.value], e = pipelines_.stages_offset[pipeline.value + 1]; b < e; ++b) {
    auto s = pipelines_.stages_ordered[b];
    if (stages_.id[s] == id.value) return StageIndex{s};
  }
  return std::nullopt;
}

std::optional<UserIndex> Dataset::find_user(UserId id) const {
  const std::uint32_t row = lookup().user_by_id.find(id.value);
  if (row == detail::IdMap::kMissing) return std::nullopt;
  return UserIndex{row};
}

std::optional<DealIndex> Dataset::find_deal(DealId id) const {
  auto it = std::lower_bound(deal_by_id_.begin(), deal_by_id_.end(), id.value,
                             [&](std::uint32_t row, std::int64_t v) { return deals_.id[row] < v; });
  if (it == deal_by_id_.end() || deals_.id[*it] != id.value) return std::nullopt;
  return DealIndex{*it};
}

void Dataset::cache_instants(unsigned threads) {
  // The same scan dataset_end() made on every call: once here, over ranges of deals on `threads`
  // threads (0 = all cores), each range also filling its part of the settled column; max and min merge
  // exactly, so the result does not depend on the ranges.
  const auto& d = deals_;
  const std::size_t n = d.created_at.size();
  const std::size_t with_paths = std::min(n, paths_.deals());
  // The instant after which the deal stays in its current stage (see deal_settled_s()).
  deal_settled_s_.assign(n, std::numeric_limits<std::int64_t>::max());
  struct Span {
    std::int64_t end = 0, start = std::numeric_limits<std::int64_t>::max();
    void merge(const Span& o) {
      end = std::max(end, o.end);
      start = std::min(start, o.start);
    }
  };
  const Span span = detail::accumulate_parallel(n, detail::resolve_threads(threads, n), [] { return Span{}; },
                                                [&](Span& st, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      st.end = std::max(st.end, d.created_at[i]);
      st.start = std::min(st.start, d.created_at[i]);
      if (d.closed_at[i] != kNoTime) st.end = std::max(st.end, d.closed_at[i]);
      if (i >= with_paths) continue;
      const auto pb = paths_.offset[i], pe = paths_.offset[i + 1];
      for (auto k = pb; k < pe; ++k) st.end = std::max(st.end, paths_.entered_at[k]);
      if (pe > pb && paths_.stage[pe - 1] == d.stage[i]) deal_settled_s_[i] = paths_.entered_at[pe - 1];
    }
  });
  std::int64_t end = span.end;
  // Entries of deals past the deal table (none in a built dataset) still count.
  for (auto k = paths_.deals() == 0 ? 0 : paths_.offset[with_paths]; k < paths_.entries(); ++k)
    end = std::max(end, paths_.entered_at[k]);
  deals_end_s_ = end;
  deals_start_s_ = span.start;
  auto latest = [](std::int64_t& m, const std::vector<std::int64_t>& col) {
    for (auto t : col)
      if (t != kNoTime) m = std::max(m, t);
  };
  tasks_end_s_ = kNoTime;
  latest(tasks_end_s_, tasks_.created_at);
  latest(tasks_end_s_, tasks_.completed_at);
  unsorted_end_s_ = kNoTime;
  latest(unsorted_end_s_, unsorted_.created_at);
  latest(unsorted_end_s_, unsorted_.resolved_at);
}

void Dataset::index_deal_days() {
  const auto& d = deals_;
  const std::size_t p = pipelines_.size();
  // The two counting sorts read the same columns; each is linear (docs/reports.md, "Candidate rows").
  std::thread created([&] { by_created_day_ = DealDayIndex::build(p, d.pipeline, d.created_at, {}, d.deleted); });
  by_auto_day_ = DealDayIndex::build(p, d.pipeline, d.created_at, d.closed_at, d.deleted);
  created.join();
}

}  // namespace v1
}  // namespace dealstat
