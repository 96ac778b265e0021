// `dealstat info`: what a data source holds -- the account settings, counts
// per entity, the time span of the deals in local dates of the account's time
// zone, and every pipeline's stages in funnel order with how many deals are in
// each now. Output as tables, so --format csv|json works as for reports.
// Deleted deals are counted in "deals" (and apart in "deals_deleted") but not
// in the span, the pipelines or the stages.
#include <algorithm>
#include <optional>

#include "commands.hpp"
#include "dealstat/time/calendar.hpp"

namespace dealstat::cli {

namespace {

// Lowercase English name of a weekday.
const char* weekday_name(Weekday d) {
  static constexpr const char* kNames[] = {"",         "monday", "tuesday",  "wednesday",
                                           "thursday", "friday", "saturday", "sunday"};
  return kNames[static_cast<int>(d)];
}

// The name of a stage kind as written in stages.csv.
const char* kind_name(StageKind k) {
  switch (k) {
    case StageKind::unsorted: return "unsorted";
    case StageKind::open: return "open";
    case StageKind::won: return "won";
    case StageKind::lost: return "lost";
  }
  return "open";
}

// One-row table of the account settings.
ResultTable account_table(const Dataset& ds) {
  const Account& a = ds.account();
  ResultTable t;
  t.name = "account";
  t.add("time_zone", std::vector<std::string>{a.time_zone.name()})
      .add("first_day_of_week", std::vector<std::string>{weekday_name(a.first_day_of_week)})
      .add("currency", std::vector<std::string>{a.currency}, {static_cast<std::uint8_t>(!a.currency.empty())});
  return t;
}

// Rows per entity.
ResultTable counts_table(const Dataset& ds) {
  const auto& d = ds.deals();
  const auto deleted = std::count(d.deleted.begin(), d.deleted.end(), std::uint8_t{1});
  std::vector<std::pair<std::string, std::size_t>> rows = {
      {"users", ds.users().size()},
      {"groups", ds.users().group_name.size()},
      {"pipelines", ds.pipelines().size()},
      {"stages", ds.stages().size()},
      {"deals", d.size()},
      {"deals_deleted", static_cast<std::size_t>(deleted)},
      {"path_entries", ds.paths().entries()},
      {"tasks", ds.tasks().size()},
      {"contacts", ds.contacts().size()},
      {"companies", ds.companies().size()},
      {"customers", ds.customers().size()},
      {"invoices", ds.invoices().size()},
      {"purchases", ds.purchases().size()},
      {"unsorted", ds.unsorted().size()},
      {"events", ds.events().size()},
  };
  std::vector<std::string> entity;
  std::vector<std::int64_t> count;
  for (auto& [name, n] : rows) {
    entity.push_back(name);
    count.push_back(static_cast<std::int64_t>(n));
  }
  ResultTable t;
  t.name = "counts";
  t.add("entity", std::move(entity)).add("count", std::move(count));
  return t;
}

// Earliest and latest of a set of instants, as local dates.
struct Span {
  std::optional<std::int64_t> first, last;  // Unix seconds
  // Widens the span to include t.
  void add(std::int64_t t) {
    if (!first || t < *first) first = t;
    if (!last || t > *last) last = t;
  }
};

// One-row table: first and last creation and closing dates of the (not deleted) deals, in local dates.
ResultTable span_table(const Dataset& ds) {
  const auto& d = ds.deals();
  Span created, closed;
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (d.deleted[i]) continue;
    created.add(d.created_at[i]);
    if (d.closed_at[i] != kNoTime) closed.add(d.closed_at[i]);
  }
  const TimeZone& tz = ds.account().time_zone;
  ResultTable t;
  t.name = "deal_span";
  auto date_column = [&](const char* name, const std::optional<std::int64_t>& v) {
    t.add(name, std::vector<std::string>{v ? format_date(tz.local_date(Timestamp{*v})) : std::string()},
          {static_cast<std::uint8_t>(v.has_value())});
  };
  date_column("first_created", created.first);
  date_column("last_created", created.last);
  date_column("first_closed", closed.first);
  date_column("last_closed", closed.last);
  return t;
}

// Pipelines with their stage count and current (not deleted) deals; stages in funnel order with their deals.
std::vector<ResultTable> pipeline_tables(const Dataset& ds) {
  const auto& p = ds.pipelines();
  const auto& s = ds.stages();
  const auto& d = ds.deals();
  std::vector<std::int64_t> stage_deals(s.size()), stage_budget(s.size()), pipeline_deals(p.size());
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (d.deleted[i]) continue;
    ++stage_deals[d.stage[i]];
    stage_budget[d.stage[i]] += d.budget_minor[i];
    ++pipeline_deals[d.pipeline[i]];
  }
  ResultTable pipelines;
  pipelines.name = "pipelines";
  {
    std::vector<std::int64_t> id, stages;
    std::vector<std::string> name;
    for (std::size_t k = 0; k < p.size(); ++k) {
      id.push_back(p.id[k]);
      name.emplace_back(ds.str(p.name[k]));
      stages.push_back(static_cast<std::int64_t>(p.stages_offset[k + 1] - p.stages_offset[k]));
    }
    pipelines.add("pipeline_id", std::move(id)).add("pipeline", std::move(name)).add("stages", std::move(stages));
    pipelines.add("deals", std::move(pipeline_deals));
  }
  ResultTable stages;
  stages.name = "stages";
  {
    std::vector<std::int64_t> pipeline_id, position, stage_id, deals, budget;
    std::vector<std::string> pipeline, stage, kind;
    for (std::size_t k = 0; k < p.size(); ++k) {
      for (auto j = p.stages_offset[k]; j < p.stages_offset[k + 1]; ++j) {
        const std::uint32_t st = p.stages_ordered[j];
        pipeline_id.push_back(p.id[k]);
        pipeline.emplace_back(ds.str(p.name[k]));
        position.push_back(static_cast<std::int64_t>(j - p.stages_offset[k]) + 1);
        stage_id.push_back(s.id[st]);
        stage.emplace_back(ds.str(s.name[st]));
        kind.emplace_back(kind_name(s.kind[st]));
        deals.push_back(stage_deals[st]);
        budget.push_back(stage_budget[st]);
      }
    }
    stages.add("pipeline_id", std::move(pipeline_id))
        .add("pipeline", std::move(pipeline))
        .add("position", std::move(position))
        .add("stage_id", std::move(stage_id))
        .add("stage", std::move(stage))
        .add("kind", std::move(kind))
        .add("deals", std::move(deals))
        .add("budget_minor", std::move(budget));
  }
  return {std::move(pipelines), std::move(stages)};
}

// All of info's tables.
std::vector<ResultTable> info_tables(const Dataset& ds) {
  std::vector<ResultTable> out{account_table(ds), counts_table(ds), span_table(ds)};
  for (auto& t : pipeline_tables(ds)) out.push_back(std::move(t));
  return out;
}

}  // namespace

void register_info(CLI::App& app) {
  add_report_command(app, "info", "Counts, time span, pipelines and stages of a data source", info_tables);
}

}  // namespace dealstat::cli
