// Time in stage: accumulate visits over ranges of deals, merge, finalize.
#include "dealstat/reports/stage_time.hpp"

#include <algorithm>
#include <cmath>

#include "detail/median.hpp"
#include "detail/parallel.hpp"

namespace dealstat {
inline namespace v1 {

namespace {

// Partial state over a range of deals, indexed by StageIndex.
struct StageTimeState {
  const Dataset* ds;
  const DealSelector* sel;
  std::int64_t as_of;
  std::vector<std::int64_t> visits, completed, censored, total;
  std::vector<std::vector<std::int64_t>> durations;  // completed visit lengths per stage
  std::int64_t deals = 0, time_closed = 0;

  StageTimeState(const Dataset& d, const DealSelector& s, std::int64_t a) : ds(&d), sel(&s), as_of(a) {
    const auto n = d.stages().size();
    visits.assign(n, 0);
    completed.assign(n, 0);
    censored.assign(n, 0);
    total.assign(n, 0);
    durations.resize(n);
  }

  void add_range(std::size_t b, std::size_t e) {
    const auto& kind = ds->stages().kind;
    for (std::size_t i = b; i < e; ++i) {
      if (!sel->selects(i)) continue;
      ++deals;
      const PathView p = ds->paths().path(i);
      for (std::size_t k = 0; k < p.size(); ++k) {
        const std::uint32_t s = p.stage[k];
        const std::int64_t start = p.entered_at[k];
        if (start > as_of) break;
        const bool last = k + 1 == p.size();
        if (is_closed_kind(kind[s])) {
          if (!last) time_closed += std::min(p.entered_at[k + 1], as_of) - start;  // reopened later
          continue;
        }
        ++visits[s];
        if (!last && p.entered_at[k + 1] <= as_of) {
          const std::int64_t len = p.entered_at[k + 1] - start;
          ++completed[s];
          total[s] += len;
          durations[s].push_back(len);
        } else {
          ++censored[s];
          total[s] += as_of - start;
        }
      }
    }
  }

  void merge(const StageTimeState& o) {
    for (std::size_t s = 0; s < visits.size(); ++s) {
      visits[s] += o.visits[s];
      completed[s] += o.completed[s];
      censored[s] += o.censored[s];
      total[s] += o.total[s];
      durations[s].insert(durations[s].end(), o.durations[s].begin(), o.durations[s].end());
    }
    deals += o.deals;
    time_closed += o.time_closed;
  }
};

}  // namespace

StageTimeResult stage_time(const Dataset& ds, const StageTimeOptions& opt) {
  DealSelector sel(ds, opt.filter);
  const std::int64_t as_of = opt.as_of ? opt.as_of->seconds : dataset_end(ds).seconds;
  const std::size_t n = ds.deals().size();
  StageTimeState s = detail::accumulate_parallel(
      n, detail::resolve_threads(opt.threads, n), [&] { return StageTimeState(ds, sel, as_of); },
      [](StageTimeState& st, std::size_t b, std::size_t e) { st.add_range(b, e); });

  StageTimeResult r;
  r.as_of_s = as_of;
  r.deals = s.deals;
  r.time_closed_s = s.time_closed;
  const auto& pl = ds.pipelines();
  const auto& st = ds.stages();
  for (std::uint32_t p = 0; p < pl.size(); ++p) {
    if (sel.pipeline() && sel.pipeline()->value != p) continue;
    for (auto k = pl.stages_offset[p]; k < pl.stages_offset[p + 1]; ++k) {
      const auto idx = pl.stages_ordered[k];
      if (is_closed_kind(st.kind[idx])) continue;
      StageTimeRow row;
      row.stage = idx;
      row.stage_id = st.id[idx];
      row.pipeline = std::string(ds.str(pl.name[p]));
      row.name = std::string(ds.str(st.name[idx]));
      row.visits = s.visits[idx];
      row.completed_visits = s.completed[idx];
      row.censored_visits = s.censored[idx];
      row.total_time_s = s.total[idx];
      row.mean_completed_s = detail::mean(s.durations[idx]);
      row.median_completed_s = detail::median_inplace(s.durations[idx]);
      r.total_time_s += row.total_time_s;
      r.stages.push_back(std::move(row));
    }
  }
  for (auto& row : r.stages)
    row.share_pct = r.total_time_s > 0 ? 100.0 * static_cast<double>(row.total_time_s) / static_cast<double>(r.total_time_s)
                                       : std::nan("");
  return r;
}

std::vector<ResultTable> StageTimeResult::to_tables() const {
  std::vector<std::int64_t> ids, visits_v, completed_v, censored_v, total_v;
  std::vector<std::string> pipelines, names;
  std::vector<double> share, mean, median;
  for (const auto& s : stages) {
    ids.push_back(s.stage_id);
    pipelines.push_back(s.pipeline);
    names.push_back(s.name);
    visits_v.push_back(s.visits);
    completed_v.push_back(s.completed_visits);
    censored_v.push_back(s.censored_visits);
    total_v.push_back(s.total_time_s);
    share.push_back(s.share_pct);
    mean.push_back(s.mean_completed_s);
    median.push_back(s.median_completed_s);
  }
  ResultTable t{"stage_time", {}};
  t.add("pipeline", std::move(pipelines)).add("stage_id", std::move(ids)).add("stage", std::move(names));
  t.add("visits", std::move(visits_v)).add("completed_visits", std::move(completed_v));
  t.add("censored_visits", std::move(censored_v)).add("total_time_s", std::move(total_v));
  t.add("share_pct", std::move(share)).add("mean_completed_s", std::move(mean)).add("median_completed_s", std::move(median));
  ResultTable s{"stage_time_summary", {}};
  s.add("as_of_s", std::vector<std::int64_t>{as_of_s}).add("deals", std::vector<std::int64_t>{deals});
  s.add("total_time_s", std::vector<std::int64_t>{total_time_s}).add("time_closed_s", std::vector<std::int64_t>{time_closed_s});
  return {std::move(t), std::move(s)};
}

}  // namespace v1
}  // namespace dealstat
