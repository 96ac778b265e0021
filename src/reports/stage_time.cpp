// Time in stage: accumulate visits over ranges of deals, merge, finalize.
#include "dealstat/reports/stage_time.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "dealstat/core/error.hpp"
#include "dealstat/reports/partial.hpp"
#include "reports/partial_state.hpp"

namespace dealstat {
inline namespace v1 {

namespace {

// Partial state over a range of deals, indexed by StageIndex.
struct StageTimeState final : ReportPartial::State {
  std::shared_ptr<const DealSelector> sel;  // set between prepare() and release()
  std::shared_ptr<const DealCandidates> candidates;  // sel's candidate rows (the day index), as sel
  std::vector<std::int64_t> visits, completed, censored, total;
  std::vector<detail::DurationSet> durations;  // completed visit lengths per stage
  std::int64_t deals = 0, time_closed = 0;

  const StageTimeOptions& opt() const { return std::get<StageTimeOptions>(options); }
  void resize(std::size_t n) {
    visits.assign(n, 0);
    completed.assign(n, 0);
    censored.assign(n, 0);
    total.assign(n, 0);
    durations.assign(n, {});
  }

  std::unique_ptr<ReportPartial::State> clone() const override { return std::make_unique<StageTimeState>(*this); }
  std::unique_ptr<ReportPartial::State> empty_like() const override {
    auto s = std::make_unique<StageTimeState>();
    s->options = options;
    s->first = first;
    s->sel = sel;
    s->candidates = candidates;
    s->resize(visits.size());
    return s;
  }
  void prepare(const Dataset& ds) override {
    sel = std::make_shared<const DealSelector>(ds, opt().filter);
    candidates = std::make_shared<const DealCandidates>(sel->candidates());
  }
  void release() override {
    sel.reset();
    candidates.reset();
  }
  std::size_t rows(const Dataset& ds) const override { return ds.deals().size(); }
  std::vector<std::size_t> split(const Dataset&, std::size_t, unsigned parts) const override {
    return candidates->split(parts);
  }
  bool exact() const override {
    return std::all_of(durations.begin(), durations.end(), [](const detail::DurationSet& d) { return d.exact(); });
  }
  std::vector<detail::DurationSet*> duration_sets() override {
    std::vector<detail::DurationSet*> v;
    for (auto& d : durations) v.push_back(&d);
    return v;
  }

  void add_rows(const Dataset& ds, std::size_t b, std::size_t e) override {
    const std::int64_t as_of = opt().as_of->seconds;
    const auto& kind = ds.stages().kind;
    if (candidates->all()) {  // the plain scan
      for (std::size_t i = b; i < e; ++i) add_deal(ds, i, as_of, kind);
    } else {
      candidates->for_each(b, e, [&](std::size_t i) { add_deal(ds, i, as_of, kind); });
    }
  }

  // Adds deal i when the filter selects it.
  void add_deal(const Dataset& ds, std::size_t i, const std::int64_t as_of, const std::vector<StageKind>& kind) {
    if (!sel->selects(i)) return;
    ++deals;
    const PathView p = ds.paths().path(i);
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
        durations[s].add(len);
      } else {
        ++censored[s];
        total[s] += as_of - start;
      }
    }
  }

  void merge_from(const ReportPartial::State& other) override {
    const auto& o = static_cast<const StageTimeState&>(other);
    detail::add_into(visits, o.visits);
    detail::add_into(completed, o.completed);
    detail::add_into(censored, o.censored);
    detail::add_into(total, o.total);
    for (std::size_t s = 0; s < durations.size() && s < o.durations.size(); ++s) durations[s].merge(o.durations[s]);
    deals += o.deals;
    time_closed += o.time_closed;
  }

  void write(detail::ByteWriter& w) const override {
    detail::write_i64s(w, visits);
    detail::write_i64s(w, completed);
    detail::write_i64s(w, censored);
    detail::write_i64s(w, total);
    detail::write_i64s(w, {deals, time_closed});
    for (const auto& d : durations) d.write(w);
  }

  void read(detail::ByteReader& r) override {
    visits = detail::read_i64s(r);
    completed = detail::read_i64s(r, visits.size());
    censored = detail::read_i64s(r, visits.size());
    total = detail::read_i64s(r, visits.size());
    const auto c = detail::read_i64s(r, 2);
    deals = c[0];
    time_closed = c[1];
    durations.clear();
    for (std::size_t s = 0; s < visits.size(); ++s) durations.push_back(detail::DurationSet::read(r));
  }

  ReportResult finalize(const Dataset& ds) const override;
};

}  // namespace

namespace detail {

std::unique_ptr<ReportPartial::State> make_stage_time_state(const Dataset& ds, const StageTimeOptions& opt, std::int64_t first) {
  const DealSelector validate(ds, opt.filter);
  auto s = std::make_unique<StageTimeState>();
  s->options = opt;
  s->first = first;
  s->resize(ds.stages().size());
  return s;
}

std::unique_ptr<ReportPartial::State> blank_stage_time_state() { return std::make_unique<StageTimeState>(); }

}  // namespace detail

StageTimeResult stage_time(const Dataset& ds, const StageTimeOptions& opt) {
  return std::get<StageTimeResult>(detail::run_report(ds, opt, opt.threads));
}

ReportResult StageTimeState::finalize(const Dataset& ds) const {
  const StageTimeState& s = *this;
  const DealSelector sel(ds, opt().filter);
  const std::int64_t as_of = opt().as_of->seconds;
  if (ds.stages().size() != visits.size())
    throw Error::bad_option("partial", "stage_time", "the dataset's stages differ from the partial's");
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
      row.mean_completed_s = s.durations[idx].mean();
      row.median_completed_s = s.durations[idx].median();
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
