// MappedLoad: what the files of one mapped export share -- the account,
// pipeline and stages handed to the builder, the date format, dense ids for
// text keys, users looked up by id or by name (made on demand when the
// export refers to users it does not list), and the readers of the users and
// tasks files, which both layouts use alike.
#include <algorithm>
#include <charconv>

#include "io/mapping_internal.hpp"

namespace dealstat {
inline namespace v1 {
namespace detail {

namespace fs = std::filesystem;

MappedLoad::MappedLoad(const MappingSpec& s, fs::path dir, DatasetBuilder& b, ValidationPolicy p, Problems& probs)
    : spec(s), builder(b), policy(p), problems(probs), dir_(std::move(dir)) {
  builder.set_account(spec.account);
  builder.set_source(Table::pipelines, spec.path);
  builder.set_source(Table::stages, spec.path);
  builder.add_pipeline({spec.pipeline_id, spec.pipeline_name});
  std::int32_t sort = 0;
  for (const auto& st : spec.stages) {
    builder.add_stage({spec.pipeline_id, st.id, st.name, ++sort, st.kind});
    stage_by_key_.emplace(st.key, &st);
  }
}

void MappedLoad::read(const FileSpec& file,
                      const std::function<std::function<void(Cells&, std::int64_t)>(Cells&)>& setup) {
  const fs::path path = dir_ / file.file;
  if (!fs::exists(path)) throw Error(ErrorCode::io, Problem{path.string(), 0, "", "", "file named by the mapping is missing"});
  read_table(path, file.file, policy, problems, spec.account.time_zone, spec.minor_digits, setup);
}

std::size_t MappedLoad::required_column(Cells& c, const FileSpec& file, const std::string& role) const {
  const std::string* name = file.column(role);
  if (!name)
    throw Error(ErrorCode::invalid_option, Problem{spec.path, 0, file.json_path + ".columns." + role, "", "is required"});
  return c.col(*name);
}

std::size_t MappedLoad::optional_column(Cells& c, const FileSpec& file, const std::string& role) const {
  const std::string* name = file.column(role);
  return name ? c.col(*name) : Cells::npos;  // a column the mapping names must exist
}

namespace {
// "DD.MM.YYYY[ rest]" or "MM/DD/YYYY[ rest]" -> "YYYY-MM-DD[ rest]"; empty when the shape is wrong.
std::string to_iso(std::string_view s, char sep, bool day_first) {
  if (s.size() < 10 || s[2] != sep || s[5] != sep) return {};
  for (std::size_t i : {0u, 1u, 3u, 4u, 6u, 7u, 8u, 9u})
    if (s[i] < '0' || s[i] > '9') return {};
  std::string_view a = s.substr(0, 2), b = s.substr(3, 2);
  std::string out;
  out.append(s.substr(6, 4)).push_back('-');
  out.append(day_first ? b : a).push_back('-');
  out.append(day_first ? a : b);
  out.append(s.substr(10));
  return out;
}
}  // namespace

std::optional<Timestamp> MappedLoad::parse_time(std::string_view s) const {
  const TimeZone& tz = spec.account.time_zone;
  switch (spec.date_format) {
    case DateFormat::iso: return try_parse_timestamp(s, tz);
    case DateFormat::day_month: {
      std::string iso = to_iso(s, '.', true);
      return iso.empty() ? std::nullopt : try_parse_timestamp(iso, tz);
    }
    case DateFormat::month_day: {
      std::string iso = to_iso(s, '/', false);
      return iso.empty() ? std::nullopt : try_parse_timestamp(iso, tz);
    }
  }
  return std::nullopt;
}

namespace {
const char* format_words(DateFormat f) {
  switch (f) {
    case DateFormat::iso: return "not a date or time (expected YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or ISO 8601)";
    case DateFormat::day_month: return "not a date or time (expected DD.MM.YYYY[ HH:MM[:SS]])";
    case DateFormat::month_day: return "not a date or time (expected MM/DD/YYYY[ HH:MM[:SS]])";
  }
  return "not a date";
}
}  // namespace

Timestamp MappedLoad::req_time(Cells& c, std::size_t col) const {
  auto t = c.text(col);
  if (t.empty()) c.fail(col, t, "value is required");
  auto v = parse_time(t);
  if (!v) c.fail(col, t, format_words(spec.date_format));
  return *v;
}

std::optional<Timestamp> MappedLoad::opt_time(Cells& c, std::size_t col) const {
  auto t = c.text(col);
  if (t.empty()) return std::nullopt;
  auto v = parse_time(t);
  if (!v) c.fail(col, t, format_words(spec.date_format));
  return v;
}

std::optional<Money> MappedLoad::opt_money(Cells& c, std::size_t col) const {
  auto t = c.text(col);
  if (t.empty()) return std::nullopt;
  auto v = try_parse_money(t, spec.minor_digits);
  if (!v) c.fail(col, t, "not a decimal amount");
  return v;
}

const StageSpec* MappedLoad::stage_by_key(std::string_view key) const {
  auto it = stage_by_key_.find(std::string(key));
  return it == stage_by_key_.end() ? nullptr : it->second;
}

const StageSpec* MappedLoad::first_stage(StageKind kind) const {
  for (const auto& st : spec.stages)
    if (st.kind == kind) return &st;
  return nullptr;
}

DealId MappedLoad::deal_id(Cells& c, std::size_t col) {
  auto t = c.text(col);
  if (t.empty()) c.fail(col, t, "value is required");
  // Both layouts read the same file's rows with one spec; the deals or changes file decides.
  const bool dense = spec.change_log ? spec.changes.dense_ids : spec.deals.dense_ids;
  if (!dense) {
    auto v = try_parse_int(t);
    if (!v) c.fail(col, t, "not an integer (set \"ids\": \"dense\" for text ids)");
    return DealId{*v};
  }
  auto [it, fresh] = deal_dense_.try_emplace(std::string(t), static_cast<std::int64_t>(deal_dense_.size()) + 1);
  (void)fresh;
  return DealId{it->second};
}

std::optional<UserId> MappedLoad::user_by_name(Cells& c, std::size_t col) {
  auto t = c.text(col);
  if (t.empty()) return std::nullopt;
  auto it = user_by_name_.find(std::string(t));
  if (it != user_by_name_.end()) return UserId{it->second};
  if (!spec.create_unknown_users) c.fail(col, t, "user is not in the users file (unknown_users is \"error\")");
  const std::int64_t id = next_user_id_++;
  user_by_name_.emplace(std::string(t), id);
  user_known_.emplace(id, true);
  made_users_.push_back({UserId{id}, std::string(t), ""});
  return UserId{id};
}

UserId MappedLoad::user_by_id(std::int64_t id) {
  if (user_known_.emplace(id, true).second) {
    made_users_.push_back({UserId{id}, "user " + std::to_string(id), ""});
    next_user_id_ = std::max(next_user_id_, id + 1);
  }
  return UserId{id};
}

std::optional<UserId> MappedLoad::user_by_id(Cells& c, std::size_t col) {
  auto t = c.text(col);
  if (t.empty()) return std::nullopt;
  auto v = try_parse_int(t);
  if (!v) c.fail(col, t, "not an integer user id");
  if (!spec.create_unknown_users) return UserId{*v};  // the builder reports unknown ids
  return user_by_id(*v);
}

std::optional<std::int64_t> MappedLoad::company(Cells& c, std::size_t id_col, std::size_t name_col) {
  if (id_col != Cells::npos) return c.opt_int(id_col);
  auto t = c.text(name_col);
  if (t.empty()) return std::nullopt;
  auto [it, fresh] = company_dense_.try_emplace(std::string(t), static_cast<std::int64_t>(company_dense_.size()) + 1);
  (void)fresh;
  return it->second;
}

void MappedLoad::read_users() {
  if (!spec.users.present) return;
  const FileSpec& f = spec.users;
  builder.set_source(Table::users, f.file);
  std::vector<std::pair<UserRow, std::int64_t>> rows;
  bool generated = false;
  read(f, [&](Cells& c) -> std::function<void(Cells&, std::int64_t)> {
    const std::size_t id = optional_column(c, f, "id"), name = optional_column(c, f, "name"),
                      group = optional_column(c, f, "group");
    generated = id == Cells::npos;
    if (generated && name == Cells::npos)
      throw Error(ErrorCode::invalid_option,
                  Problem{spec.path, 0, f.json_path + ".columns", "", "the users file needs an id or a name column"});
    return [&, id, name, group](Cells& c, std::int64_t line) {
      UserRow u;
      u.id = UserId{generated ? static_cast<std::int64_t>(rows.size()) + 1 : c.req_int(id)};
      u.name = std::string(c.text(name));
      u.group = std::string(c.text(group));
      if (generated && u.name.empty()) c.fail(name, "", "value is required (users are known by name)");
      rows.emplace_back(std::move(u), line);
    };
  });
  for (auto& [u, line] : rows) {
    user_known_.emplace(u.id.value, true);
    if (!u.name.empty()) user_by_name_.emplace(u.name, u.id.value);  // the first of equal names wins
    next_user_id_ = std::max(next_user_id_, u.id.value + 1);
    builder.add_user(std::move(u), line);
  }
}

void MappedLoad::read_tasks() {
  if (!spec.tasks.present) return;
  const FileSpec& f = spec.tasks;
  builder.set_source(Table::tasks, f.file);
  std::int64_t row_number = 0;
  read(f, [&](Cells& c) -> std::function<void(Cells&, std::int64_t)> {
    const std::size_t id = f.dense_ids ? Cells::npos : required_column(c, f, "id"),
                      owner_id = optional_column(c, f, "owner_id"), owner_name = optional_column(c, f, "owner_name"),
                      created = optional_column(c, f, "created_at"), due = optional_column(c, f, "due"),
                      completed = optional_column(c, f, "completed_at"), done = optional_column(c, f, "done"),
                      deal = optional_column(c, f, "deal"), type = optional_column(c, f, "type");
    return [&, id, owner_id, owner_name, created, due, completed, done, deal, type](Cells& c, std::int64_t line) {
      ++row_number;  // counts every record, so dense ids follow file order even when one is left out
      TaskRow t;
      const std::int64_t number = row_number;
      t.id = TaskId{f.dense_ids ? number : c.req_int(id)};
      t.responsible = owner_id != Cells::npos ? user_by_id(c, owner_id) : user_by_name(c, owner_name);
      t.due_at = opt_time(c, due);
      if (created != Cells::npos) {
        t.created_at = req_time(c, created);
      } else {
        if (!t.due_at) c.fail(due, "", "value is required (the task's created_at is taken from its due time)");
        t.created_at = *t.due_at;
      }
      t.completed_at = opt_time(c, completed);
      if (!t.completed_at && done != Cells::npos && c.flag(done)) t.completed_at = t.due_at ? *t.due_at : t.created_at;
      if (deal != Cells::npos) {
        t.entity_id = c.opt_int(deal);
        if (t.entity_id) t.entity_type = "lead";
      }
      t.type = std::string(c.text(type));
      builder.add_task(std::move(t), line);
    };
  });
}

void MappedLoad::finish() {
  for (auto& u : made_users_) builder.add_user(std::move(u), 0);
  made_users_.clear();
}

}  // namespace detail
}  // namespace v1
}  // namespace dealstat
