// The mapping file (docs/mappings.md): JSON read with nlohmann-json and
// checked key by key -- an unknown key or a value of the wrong type is an
// error naming the mapping file and the key's JSON path -- and the entry
// point load_mapped_export, which hands the export to the layout's loader.
#include "dealstat/io/mapping.hpp"

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "io/mapping_internal.hpp"

namespace dealstat {
inline namespace v1 {
namespace detail {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// Reads one JSON object of the mapping, remembering its path for errors.
class Node {
 public:
  Node(const json& j, std::string path, const std::string& file) : j_(j), path_(std::move(path)), file_(file) {
    if (!j_.is_object()) fail("", "must be an object");
  }

  //! Rejects keys other than `allowed` (catches typos).
  void only(std::initializer_list<const char*> allowed) const {
    std::set<std::string> ok(allowed.begin(), allowed.end());
    for (auto it = j_.begin(); it != j_.end(); ++it)
      if (!ok.count(it.key())) fail(it.key(), "unknown key");
  }
  bool has(const char* key) const { return j_.contains(key) && !j_.at(key).is_null(); }
  std::string str(const char* key, std::string dflt = "") const {
    if (!has(key)) return dflt;
    const json& v = j_.at(key);
    if (!v.is_string()) fail(key, "must be a string", v.dump());
    return v.get<std::string>();
  }
  std::int64_t integer(const char* key, std::int64_t dflt) const {
    if (!has(key)) return dflt;
    const json& v = j_.at(key);
    if (!v.is_number_integer()) fail(key, "must be an integer", v.dump());
    return v.get<std::int64_t>();
  }
  //! A string key that must be one of `choices`.
  std::string choice(const char* key, std::initializer_list<const char*> choices) const {
    std::string v = str(key, *choices.begin());
    for (const char* c : choices)
      if (v == c) return v;
    std::string all;
    for (const char* c : choices) all += (all.empty() ? "" : ", ") + std::string(c);
    fail(key, "must be one of " + all, v);
  }
  Node child(const char* key) const { return Node(j_.at(key), sub(key), file_); }
  const json& raw(const char* key) const { return j_.at(key); }
  const json& raw() const { return j_; }
  std::string sub(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  [[noreturn]] void fail(const std::string& key, const std::string& message, std::string value = "") const {
    throw Error(ErrorCode::invalid_option, Problem{file_, 0, key.empty() ? path_ : sub(key), std::move(value), message});
  }

 private:
  const json& j_;
  std::string path_;
  const std::string& file_;
};

StageKind parse_kind(const Node& n) {
  std::string k = n.choice("kind", {"open", "won", "lost", "unsorted"});
  if (k == "won") return StageKind::won;
  if (k == "lost") return StageKind::lost;
  if (k == "unsorted") return StageKind::unsorted;
  return StageKind::open;
}

// files.<name>: file, ids, columns (role -> column; "tags" is a list), plus the file's own rule keys.
FileSpec parse_file(const Node& files, const char* name, std::initializer_list<const char*> roles,
                    std::initializer_list<const char*> extra_keys) {
  FileSpec f;
  if (!files.has(name)) return f;
  Node n = files.child(name);
  std::vector<const char*> keys{"file", "ids", "columns"};
  keys.insert(keys.end(), extra_keys.begin(), extra_keys.end());
  for (auto it = n.raw().begin(); it != n.raw().end(); ++it) {
    bool ok = false;
    for (const char* k : keys) ok = ok || it.key() == k;
    if (!ok) n.fail(it.key(), "unknown key");
  }
  f.present = true;
  f.json_path = n.sub("");
  f.json_path.pop_back();  // sub("") ends with '.'
  f.file = n.str("file");
  if (f.file.empty()) n.fail("file", "the file name is required");
  f.dense_ids = n.choice("ids", {"integer", "dense"}) == "dense";
  if (n.has("columns")) {
    Node c = n.child("columns");
    for (auto it = c.raw().begin(); it != c.raw().end(); ++it) {
      bool ok = false;
      for (const char* r : roles) ok = ok || it.key() == r;
      if (!ok) c.fail(it.key(), "unknown column role");
      if (it.key() == "tags") {
        if (!it.value().is_array()) c.fail("tags", "must be a list of column names", it.value().dump());
        for (const auto& t : it.value()) {
          if (!t.is_string()) c.fail("tags", "must be a list of column names", t.dump());
          f.tag_columns.push_back(t.get<std::string>());
        }
      } else if (!it.value().is_null()) {
        if (!it.value().is_string()) c.fail(it.key(), "must be a column name", it.value().dump());
        f.columns[it.key()] = it.value().get<std::string>();
      }
    }
  }
  return f;
}

// A stage entry that lists stages from a CSV file of the export.
void stages_from_file(const Node& n, const fs::path& dir, std::vector<StageSpec>& out) {
  n.only({"from_file", "key", "name", "kind"});
  const std::string file = n.str("from_file");
  const std::string key_col = n.str("key"), name_col = n.str("name", key_col);
  if (key_col.empty()) n.fail("key", "the column of the stage key is required");
  const StageKind kind = parse_kind(n);
  std::size_t key = 0, name = 0;
  read_csv_file(
      (dir / file).string(),
      [&](const CsvHeader& h) {
        key = h.require(key_col, file);
        name = h.require(name_col, file);
      },
      [&](const CsvRecord& r) {
        StageSpec s;
        s.key = key < r.fields.size() ? std::string(r.fields[key]) : std::string();
        s.name = name < r.fields.size() ? std::string(r.fields[name]) : std::string();
        s.kind = kind;
        if (s.key.empty())
          throw Error(ErrorCode::invalid_data, Problem{file, r.line, key_col, "", "stage key is empty"});
        out.push_back(std::move(s));
      });
}

}  // namespace

MappingSpec parse_mapping(const std::string& mapping_path, const fs::path& dir) {
  std::ifstream in(mapping_path, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, Problem{mapping_path, 0, "", "", "cannot open the mapping file"});
  std::stringstream text;
  text << in.rdbuf();
  json j;
  try {
    j = json::parse(text.str());
  } catch (const json::parse_error& e) {
    throw Error(ErrorCode::parse, Problem{mapping_path, 0, "", "", std::string("malformed JSON: ") + e.what()});
  }
  MappingSpec m;
  m.path = mapping_path;
  Node root(j, "", m.path);
  root.only({"layout", "time_zone", "currency", "currency_minor_digits", "date_format", "pipeline", "stages",
             "unknown_users", "files", "description"});
  if (!root.has("layout")) root.fail("layout", "is required (\"snapshot\" or \"change_log\")");
  m.change_log = root.choice("layout", {"snapshot", "change_log"}) == "change_log";
  try {
    m.account.time_zone = TimeZone::parse(root.str("time_zone", "UTC"));
  } catch (const Error& e) {
    root.fail("time_zone", e.problem().message, root.str("time_zone"));
  }
  m.account.currency = root.str("currency");
  const std::int64_t digits = root.integer("currency_minor_digits", 2);
  if (digits < 0 || digits > 4) root.fail("currency_minor_digits", "must be 0..4", std::to_string(digits));
  m.minor_digits = static_cast<int>(digits);
  const std::string df = root.choice("date_format", {"iso", "YYYY-MM-DD", "DD.MM.YYYY", "MM/DD/YYYY"});
  m.date_format = df == "DD.MM.YYYY" ? DateFormat::day_month : df == "MM/DD/YYYY" ? DateFormat::month_day : DateFormat::iso;
  m.create_unknown_users = root.choice("unknown_users", {"create", "error"}) == "create";
  if (root.has("pipeline")) {
    Node p = root.child("pipeline");
    p.only({"id", "name"});
    m.pipeline_id = PipelineId{p.integer("id", 1)};
    m.pipeline_name = p.str("name", m.pipeline_name);
  }

  // Stages: explicit entries and entries read from a file, in funnel order.
  if (!root.has("stages") || !root.raw("stages").is_array() || root.raw("stages").empty())
    root.fail("stages", "must be a non-empty list");
  {
    const json& list = root.raw("stages");
    for (std::size_t i = 0; i < list.size(); ++i) {
      Node s(list[i], "stages[" + std::to_string(i) + "]", m.path);
      if (s.has("from_file")) {
        stages_from_file(s, dir, m.stages);
        continue;
      }
      s.only({"name", "key", "id", "kind"});
      StageSpec st;
      st.name = s.str("name");
      if (st.name.empty()) s.fail("name", "is required");
      st.key = s.str("key", st.name);
      st.kind = parse_kind(s);
      st.id = StageId{s.integer("id", kNoId)};
      m.stages.push_back(std::move(st));
    }
    // Ids: explicit, else the key when it is an integer, else the next numbers after the largest id.
    std::int64_t max_id = 0;
    for (auto& st : m.stages) {
      if (st.id.value == kNoId) {
        if (auto v = try_parse_int(st.key)) st.id = StageId{*v};
      }
      if (st.id.value != kNoId) max_id = std::max(max_id, st.id.value);
    }
    std::set<std::string> keys;
    for (std::size_t i = 0; i < m.stages.size(); ++i) {
      auto& st = m.stages[i];
      if (st.id.value == kNoId) st.id = StageId{++max_id};
      if (!keys.insert(st.key).second)
        root.fail("stages[" + std::to_string(i) + "]", "two stages have the same key", st.key);
    }
  }

  if (!root.has("files")) root.fail("files", "is required");
  Node files = root.child("files");
  files.only({"deals", "changes", "users", "tasks", "products"});
  m.deals = parse_file(files, "deals",
                       {"id", "name", "stage", "created_at", "closed_at", "budget", "owner_id", "owner_name",
                        "company", "company_id", "contact_id", "channel", "product", "tags", "loss_reason"},
                       {"missing_created_at", "assumed_created_at_tag", "missing_budget", "product_aliases"});
  m.changes = parse_file(files, "changes", {"deal", "at", "field", "value"},
                         {"fields", "repeated_created", "changes_before_created", "loss_reasons"});
  m.users = parse_file(files, "users", {"id", "name", "group"}, {});
  m.tasks = parse_file(files, "tasks",
                       {"id", "owner_id", "owner_name", "created_at", "due", "completed_at", "done", "deal", "type"},
                       {});
  m.products = parse_file(files, "products", {"name", "price"}, {});

  if (m.change_log) {
    if (!m.changes.present) files.fail("changes", "the change_log layout needs files.changes");
    Node c = files.child("changes");
    m.field_keys = {{"created", "add_time"}, {"stage", "stage_id"}, {"owner", "user_id"}, {"lost", "lost_reason"}};
    if (c.has("fields")) {
      Node f = c.child("fields");
      f.only({"created", "stage", "owner", "lost", "won", "budget"});
      for (const char* role : {"created", "stage", "owner", "lost", "won", "budget"}) {
        if (f.raw().contains(role) && f.raw().at(role).is_null()) m.field_keys.erase(role);
        else if (f.has(role)) m.field_keys[role] = f.str(role);
      }
    }
    m.repeated_created_latest = c.choice("repeated_created", {"earliest", "latest"}) == "latest";
    m.changes_before_created_error = c.choice("changes_before_created", {"move_creation", "error"}) == "error";
    if (c.has("loss_reasons")) {
      Node l = c.child("loss_reasons");
      l.only({"file", "key_column", "key", "options_column"});
      m.loss_reason_file = l.str("file");
      m.loss_reason_key_column = l.str("key_column");
      m.loss_reason_key = l.str("key", m.field_keys.count("lost") ? m.field_keys["lost"] : "");
      m.loss_reason_options_column = l.str("options_column");
      if (m.loss_reason_file.empty() || m.loss_reason_key_column.empty() || m.loss_reason_options_column.empty())
        l.fail("", "file, key_column and options_column are required");
    }
    for (const char* role : {"deal", "at", "field", "value"})
      if (!m.changes.column(role)) files.fail("changes.columns." + std::string(role), "is required");
    if (m.field_keys.count("lost") && !std::count_if(m.stages.begin(), m.stages.end(),
                                                     [](const StageSpec& s) { return s.kind == StageKind::lost; }))
      root.fail("stages", "files.changes.fields.lost needs a stage of kind \"lost\"");
    if (m.field_keys.count("won") && !std::count_if(m.stages.begin(), m.stages.end(),
                                                    [](const StageSpec& s) { return s.kind == StageKind::won; }))
      root.fail("stages", "files.changes.fields.won needs a stage of kind \"won\"");
  } else {
    if (!m.deals.present) files.fail("deals", "the snapshot layout needs files.deals");
    Node d = files.child("deals");
    const std::string mc = d.choice("missing_created_at", {"error", "earliest", "latest"});
    m.missing_created_at = mc == "earliest" ? MissingCreated::earliest
                           : mc == "latest" ? MissingCreated::latest
                                            : MissingCreated::error;
    m.assumed_created_tag = d.str("assumed_created_at_tag", m.assumed_created_tag);
    m.budget_from_list_price = d.choice("missing_budget", {"zero", "list_price"}) == "list_price";
    if (m.budget_from_list_price && !m.products.present)
      d.fail("missing_budget", "\"list_price\" needs files.products", "list_price");
    if (m.budget_from_list_price && !m.deals.column("product"))
      d.fail("missing_budget", "\"list_price\" needs the deal's product column (columns.product)", "list_price");
    if (d.has("product_aliases")) {
      Node a = d.child("product_aliases");
      for (auto it = a.raw().begin(); it != a.raw().end(); ++it) {
        if (!it.value().is_string()) a.fail(it.key(), "must be a product name", it.value().dump());
        m.product_aliases[it.key()] = it.value().get<std::string>();
      }
    }
    for (const char* role : {"id", "stage"})
      if (!m.deals.column(role)) files.fail("deals.columns." + std::string(role), "is required");
    if (!m.deals.column("created_at") && m.missing_created_at == MissingCreated::error)
      files.fail("deals.columns.created_at", "is required unless missing_created_at says what to use");
  }
  if (m.products.present)
    for (const char* role : {"name", "price"})
      if (!m.products.column(role)) files.fail("products.columns." + std::string(role), "is required");
  if (m.tasks.present && !m.tasks.column("created_at") && !m.tasks.column("due"))
    files.fail("tasks.columns", "created_at or due is required");
  return m;
}

}  // namespace detail

BuildResult load_mapped_export(const std::string& dir, const std::string& mapping_path, ValidationPolicy policy) {
  const std::filesystem::path root(dir);
  if (!std::filesystem::is_directory(root)) throw Error(ErrorCode::io, Problem{dir, 0, "", "", "not a directory"});
  const detail::MappingSpec spec = detail::parse_mapping(mapping_path, root);
  DatasetBuilder builder;
  Problems cell_problems;
  {
    detail::MappedLoad load(spec, root, builder, policy, cell_problems);
    load.read_users();
    if (spec.change_log) {
      detail::load_change_log(load);
    } else {
      detail::load_snapshot(load);
    }
    load.read_tasks();
    load.finish();
  }
  BuildResult r = std::move(builder).build(policy);
  cell_problems.insert(cell_problems.end(), std::make_move_iterator(r.problems.begin()),
                       std::make_move_iterator(r.problems.end()));
  r.problems = std::move(cell_problems);
  return r;
}

}  // namespace v1
}  // namespace dealstat
