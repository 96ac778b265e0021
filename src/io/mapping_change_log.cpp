// The change-log layout: rows of (deal, time, field key, new value), as
// Pipedrive-style exports keep them (enpal-pipeline's deal_changes.csv).
// Rows are grouped by deal and put in time order (ties in file order); then
//   - the "created" field gives created_at (the earliest such row when a deal
//     has several, or the latest: repeated_created), and a stage move earlier
//     than that moves the creation back to it (changes_before_created);
//   - the creation stage is the first "stage" row's stage, entered at
//     created_at; every later "stage" row is a stage change;
//   - a "lost" ("won") row moves the deal into the lost (won) stage at its
//     time; a later "stage" row reopens it. The loss reason is the label of
//     the last "lost" value (from a field-options file when mapped);
//   - "owner" rows give the responsible user (the last one) and each goes to
//     the event log as entity_responsible_changed, so reports can attribute
//     by the owner at the time;
//   - other field keys are ignored.
// Every deal, stage change and event keeps the line of the row it came from.
#include <algorithm>
#include <numeric>

#include <nlohmann/json.hpp>

#include "io/mapping_internal.hpp"

namespace dealstat {
inline namespace v1 {
namespace detail {

namespace {

enum class Field : std::uint8_t { created, stage, owner, lost, won, budget };

struct ChangeEvent {
  std::uint32_t deal = 0;       // index into the deals seen
  std::int64_t at = 0;          // row time
  std::int64_t line = 0;        // row line
  Field field = Field::stage;
  std::int64_t value_time = 0;  // created: the time it gives
  const StageSpec* stage = nullptr;
  std::int64_t user = 0;        // owner
  std::int64_t money = 0;       // budget
  std::string text;             // lost: the reason as written
};

struct DealSeen {
  DealId id;
  std::string key;  // the id as written
};

// Labels of the loss reasons: {"1": "Customer Not Ready", ...} from a JSON options cell.
std::unordered_map<std::string, std::string> read_loss_labels(MappedLoad& load, const std::filesystem::path& dir) {
  const MappingSpec& m = load.spec;
  std::unordered_map<std::string, std::string> labels;
  if (m.loss_reason_file.empty()) return labels;
  const std::string& file = m.loss_reason_file;
  std::size_t key = 0, options = 0;
  read_csv_file(
      (dir / file).string(),
      [&](const CsvHeader& h) {
        key = h.require(m.loss_reason_key_column, file);
        options = h.require(m.loss_reason_options_column, file);
      },
      [&](const CsvRecord& r) {
        if (key >= r.fields.size() || options >= r.fields.size() || r.fields[key] != m.loss_reason_key) return;
        auto bad = [&](const std::string& why) {
          return Error(ErrorCode::invalid_data,
                       Problem{file, r.line, m.loss_reason_options_column, std::string(r.fields[options]), why});
        };
        nlohmann::json j;
        try {
          j = nlohmann::json::parse(r.fields[options]);
        } catch (const nlohmann::json::parse_error&) {
          throw bad("options are not JSON");
        }
        if (!j.is_array()) throw bad("options must be a JSON list of {\"id\", \"label\"}");
        for (const auto& o : j) {
          if (!o.is_object() || !o.contains("id") || !o.contains("label") || !o.at("label").is_string())
            throw bad("options must be a JSON list of {\"id\", \"label\"}");
          const auto& id = o.at("id");
          labels[id.is_string() ? id.get<std::string>() : id.dump()] = o.at("label").get<std::string>();
        }
      });
  return labels;
}

std::string responsible_json(std::int64_t user) {
  return "[{\"responsible_user\":{\"id\":" + std::to_string(user) + "}}]";
}

}  // namespace

void load_change_log(MappedLoad& load) {
  const MappingSpec& spec = load.spec;
  const FileSpec& f = spec.changes;
  DatasetBuilder& b = load.builder;
  for (Table t : {Table::deals, Table::stage_changes, Table::events}) b.set_source(t, f.file);

  std::unordered_map<std::string, Field> fields;
  for (const auto& [role, key] : spec.field_keys) {
    static const std::unordered_map<std::string, Field> roles = {
        {"created", Field::created}, {"stage", Field::stage}, {"owner", Field::owner},
        {"lost", Field::lost},       {"won", Field::won},     {"budget", Field::budget}};
    fields.emplace(key, roles.at(role));
  }
  const StageSpec* lost_stage = load.first_stage(StageKind::lost);
  const StageSpec* won_stage = load.first_stage(StageKind::won);
  const StageSpec* first_open = load.first_stage(StageKind::open);
  if (!first_open) first_open = &spec.stages.front();

  std::vector<DealSeen> deals;
  std::unordered_map<std::int64_t, std::uint32_t> deal_index;
  std::vector<ChangeEvent> events;
  load.read(f, [&](Cells& c) -> std::function<void(Cells&, std::int64_t)> {
    const std::size_t deal = load.required_column(c, f, "deal"), at = load.required_column(c, f, "at"),
                      field = load.required_column(c, f, "field"), value = load.required_column(c, f, "value");
    return [&, deal, at, field, value](Cells& c, std::int64_t line) {
      auto fit = fields.find(std::string(c.text(field)));
      if (fit == fields.end()) return;  // a field the mapping does not use
      ChangeEvent e;
      e.field = fit->second;
      e.line = line;
      const DealId id = load.deal_id(c, deal);
      e.at = load.req_time(c, at).seconds;
      const std::string_view v = c.text(value);
      switch (e.field) {
        case Field::created: e.value_time = v.empty() ? e.at : load.req_time(c, value).seconds; break;
        case Field::stage:
          e.stage = load.stage_by_key(v);
          if (!e.stage) c.fail(value, v, "stage is not in the mapping's stages");
          break;
        case Field::owner: e.user = load.user_by_id(c, value).value_or(UserId{kNoId}).value; break;
        case Field::lost:
        case Field::won: e.text = std::string(v); break;
        case Field::budget: e.money = load.opt_money(c, value).value_or(Money{0}).minor; break;
      }
      if (e.field == Field::owner && e.user == kNoId) return;  // an empty owner changes nothing
      auto [it, fresh] = deal_index.try_emplace(id.value, static_cast<std::uint32_t>(deals.size()));
      if (fresh) deals.push_back({id, std::string(c.text(deal))});
      e.deal = it->second;
      events.push_back(std::move(e));
    };
  });
  const auto labels = read_loss_labels(load, load.dir());

  // Deal by deal, events in time order (ties in file order).
  std::vector<std::uint32_t> order(events.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (events[a].deal != events[b].deal) return events[a].deal < events[b].deal;
    return events[a].at < events[b].at;
  });
  b.reserve(deals.size(), events.size());
  const bool dense = f.dense_ids;
  std::size_t k = 0;
  for (std::uint32_t d = 0; d < deals.size(); ++d) {
    const std::size_t begin = k;
    while (k < order.size() && events[order[k]].deal == d) ++k;
    auto ev = [&](std::size_t j) -> const ChangeEvent& { return events[order[j]]; };
    auto moves = [](const ChangeEvent& e) {
      return e.field == Field::stage || e.field == Field::lost || e.field == Field::won;
    };

    // Creation: the earliest (or latest) "created" row; else the deal's first row.
    const ChangeEvent* created = nullptr;
    for (std::size_t j = begin; j < k; ++j) {
      const ChangeEvent& e = ev(j);
      if (e.field != Field::created) continue;
      if (!created || (spec.repeated_created_latest ? e.value_time >= created->value_time
                                                    : e.value_time < created->value_time))
        created = &e;
    }
    std::int64_t created_at = created ? created->value_time : ev(begin).at;
    const std::int64_t line = created ? created->line : ev(begin).line;
    if (!spec.changes_before_created_error)
      for (std::size_t j = begin; j < k; ++j)
        if (moves(ev(j))) created_at = std::min(created_at, ev(j).at);

    // Stage path: creation record, then one change per move into another stage.
    const StageSpec* stage = first_open;
    for (std::size_t j = begin; j < k; ++j) {
      if (!moves(ev(j))) continue;
      if (ev(j).field == Field::stage) stage = ev(j).stage;
      break;
    }
    b.add_stage_change({deals[d].id, Timestamp{created_at}, std::nullopt, std::nullopt, std::nullopt, stage->id,
                        std::nullopt},
                       line);
    std::int64_t entered = created_at;
    std::optional<UserId> owner;
    std::string loss;
    Money budget{0};
    for (std::size_t j = begin; j < k; ++j) {
      const ChangeEvent& e = ev(j);
      const StageSpec* to = nullptr;
      switch (e.field) {
        case Field::created: break;
        case Field::stage: to = e.stage; break;
        case Field::lost:
          to = lost_stage;
          loss = labels.count(e.text) ? labels.at(e.text) : e.text;
          break;
        case Field::won: to = won_stage; break;
        case Field::budget: budget = Money{e.money}; break;
        case Field::owner:
          b.add_event({f.file + ":" + std::to_string(e.line), "entity_responsible_changed", "lead", deals[d].id.value,
                       Timestamp{e.at}, std::nullopt, owner ? responsible_json(owner->value) : std::string(),
                       responsible_json(e.user)},
                      e.line);
          owner = UserId{e.user};
          break;
      }
      if (!to || to == stage) continue;
      b.add_stage_change({deals[d].id, Timestamp{e.at}, std::nullopt, stage->id, std::nullopt, to->id, std::nullopt},
                         e.line);
      stage = to;
      entered = e.at;
    }

    DealRow r;
    r.id = deals[d].id;
    r.pipeline = spec.pipeline_id;
    r.stage = stage->id;
    r.created_at = Timestamp{created_at};
    if (is_closed_kind(stage->kind)) r.closed_at = Timestamp{entered};
    if (stage->kind == StageKind::lost) r.loss_reason = loss;
    r.budget = budget;
    r.responsible = owner;
    if (dense) r.name = deals[d].key;
    b.add_deal(std::move(r), line);
  }
}

}  // namespace detail
}  // namespace v1
}  // namespace dealstat
