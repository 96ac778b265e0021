// Writing a Dataset as an amoCRM (Kommo) API v4 export folder: the pages the
// API would return (`{"_page":..,"_links":..,"_embedded":{"leads":[...]}}`),
// named as docs/amocrm.md says, so that read_amocrm reads the same dataset
// back. Stage history that the dataset's event log does not already carry as
// `lead_status_changed` events is written as such events. JSON text is
// produced directly (strings escaped, amounts as exact decimals).
#include <simdjson.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <unordered_set>

#include "dealstat/data/dataset.hpp"
#include "dealstat/io/amocrm.hpp"
#include "io/amocrm_common.hpp"

namespace dealstat {
inline namespace v1 {

namespace fs = std::filesystem;
using detail::AmoEndpoint;

namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;

void put_int(std::string& s, std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  s.append(buf, r.ptr);
}

void put_str(std::string& s, std::string_view v) {
  s.push_back('"');
  for (char c : v) {
    switch (c) {
      case '"': s += "\\\""; break;
      case '\\': s += "\\\\"; break;
      case '\n': s += "\\n"; break;
      case '\r': s += "\\r"; break;
      case '\t': s += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char hex[] = "0123456789abcdef";
          s += "\\u00";
          s.push_back(hex[(c >> 4) & 0xF]);
          s.push_back(hex[c & 0xF]);
        } else {
          s.push_back(c);
        }
    }
  }
  s.push_back('"');
}

// An amount in minor units as an exact decimal number: 150000 -> 1500, 150050 -> 1500.50.
void put_money(std::string& s, std::int64_t minor) {
  put_int(s, minor / 100);
  if (minor % 100 != 0) {
    s.push_back('.');
    s.push_back(static_cast<char>('0' + (minor % 100) / 10));
    s.push_back(static_cast<char>('0' + minor % 10));
  }
}

void put_opt_time(std::string& s, std::int64_t t) {
  if (t == kNoTime) s += "null";
  else put_int(s, t);
}

// Writes the records of one endpoint as pages, a page per file or several pages per file.
class PageWriter {
 public:
  PageWriter(fs::path dir, AmoEndpoint ep, const AmocrmWriteOptions& o)
      : dir_(std::move(dir)), stem_(detail::amo_def(ep).file[0]), list_(detail::amo_def(ep).list), o_(o) {}
  ~PageWriter() = default;

  // Starts a record; append its JSON object to the returned buffer.
  std::string& record() {
    if (in_page_ == o_.page_size) end_page();
    if (in_page_ == 0) begin_page();
    if (in_page_ > 0) buf_.push_back(',');
    ++in_page_;
    return buf_;
  }
  // Ends the last page and file; with no records at all, writes one empty page when `always`.
  void finish(bool always) {
    if (in_page_ == 0 && pages_ == 0 && always) begin_page();
    if (in_page_ > 0 || (pages_ > 0 && page_open_)) end_page();
    if (pages_in_file_ > 0) flush_file();
  }

 private:
  void begin_page() {
    ++pages_;
    if (o_.pages_per_file > 1) buf_ += pages_in_file_ == 0 ? "[" : ",";
    buf_ += "{\"_page\":";
    put_int(buf_, pages_);
    buf_ += ",\"_links\":{\"self\":{\"href\":\"/api/v4/";
    buf_ += stem_ == "leads_pipelines" ? "leads/pipelines" : stem_ == "leads_unsorted" ? "leads/unsorted"
            : stem_ == "customers_transactions" ? "customers/transactions" : std::string(stem_);
    buf_ += "?page=";
    put_int(buf_, pages_);
    buf_ += "&limit=";
    put_int(buf_, o_.page_size);
    buf_ += "\"}},\"_embedded\":{\"";
    buf_ += list_;
    buf_ += "\":[";
    page_open_ = true;
  }
  void end_page() {
    buf_ += "]}}";
    in_page_ = 0;
    page_open_ = false;
    ++pages_in_file_;
    if (o_.pages_per_file <= 1 || pages_in_file_ == o_.pages_per_file) flush_file();
  }
  void flush_file() {
    if (o_.pages_per_file > 1) buf_ += "]";
    buf_ += "\n";
    ++files_;
    fs::path p = dir_ / (std::string(stem_) + "_" + std::to_string(files_) + ".json");
    std::ofstream out(p, std::ios::binary);
    out.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    if (!out) throw Error(ErrorCode::io, Problem{p.string(), 0, "", "", "cannot write file"});
    buf_.clear();
    pages_in_file_ = 0;
  }

  fs::path dir_;
  std::string_view stem_, list_;
  AmocrmWriteOptions o_;
  std::string buf_;
  std::int64_t in_page_ = 0, pages_ = 0, pages_in_file_ = 0, files_ = 0;
  bool page_open_ = false;
};

// Ids for distinct names (loss reasons, sources, task types, groups), 1, 2, ... in order of first use.
class NameIds {
 public:
  std::int64_t id(std::string_view name) {
    auto [it, fresh] = ids_.try_emplace(std::string(name), static_cast<std::int64_t>(order_.size() + 1));
    if (fresh) order_.push_back(&it->first);
    return it->second;
  }
  const std::vector<const std::string*>& order() const { return order_; }

 private:
  std::map<std::string, std::int64_t, std::less<>> ids_;
  std::vector<const std::string*> order_;
};

std::string_view entity_plural(std::string_view t) {
  if (t == "lead") return "leads";
  if (t == "contact") return "contacts";
  if (t == "company") return "companies";
  if (t == "customer") return "customers";
  return t;
}

}  // namespace

void write_amocrm(const Dataset& ds, const std::string& dir_str, const AmocrmWriteOptions& options) {
  if (options.page_size < 1 || options.pages_per_file < 1)
    throw Error::bad_option("page_size/pages_per_file", std::to_string(options.page_size), "must be at least 1");
  const fs::path dir(dir_str);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorCode::io, Problem{dir_str, 0, "", "", "cannot create directory: " + ec.message()});
  const auto& users = ds.users();
  auto user_id = [&](std::uint32_t u) { return u == kNone ? std::int64_t{0} : users.id[u]; };
  const auto& st = ds.stages();
  const auto& pl = ds.pipelines();

  // amoCRM's shape: won is 142 and lost is 143 in every pipeline.
  for (std::size_t s = 0; s < st.size(); ++s) {
    const bool won = st.kind[s] == StageKind::won, lost = st.kind[s] == StageKind::lost;
    if (won != (st.id[s] == detail::kAmoWon) || lost != (st.id[s] == detail::kAmoLost))
      throw Error(ErrorCode::invalid_data,
                  Problem{"stages", static_cast<std::int64_t>(s + 1), "id", std::to_string(st.id[s]),
                          "an amoCRM export needs won = 142 and lost = 143 in every pipeline, and no other stage with those ids"});
  }

  NameIds groups, task_types, loss_reasons, sources;
  for (std::size_t t = 0; t < ds.tasks().size(); ++t)
    if (!ds.str(ds.tasks().type[t]).empty()) task_types.id(ds.str(ds.tasks().type[t]));
  for (std::size_t g = 0; g < users.group_name.size(); ++g) groups.id(ds.str(users.group_name[g]));

  {
    std::string s = "{\"id\":1,\"name\":\"dealstat export\",\"currency\":";
    put_str(s, ds.account().currency);
    s += ",\"_embedded\":{\"datetime_settings\":{\"timezone\":";
    put_str(s, ds.account().time_zone.name());
    s += "},\"users_groups\":[";
    for (std::size_t g = 0; g < groups.order().size(); ++g) {
      if (g) s += ',';
      s += "{\"id\":";
      put_int(s, static_cast<std::int64_t>(g + 1));
      s += ",\"name\":";
      put_str(s, *groups.order()[g]);
      s += '}';
    }
    s += "],\"task_types\":[";
    for (std::size_t t = 0; t < task_types.order().size(); ++t) {
      if (t) s += ',';
      s += "{\"id\":";
      put_int(s, static_cast<std::int64_t>(t + 1));
      s += ",\"name\":";
      put_str(s, *task_types.order()[t]);
      s += '}';
    }
    s += "]}}\n";
    std::ofstream out(dir / "account.json", std::ios::binary);
    out << s;
    if (!out) throw Error(ErrorCode::io, Problem{(dir / "account.json").string(), 0, "", "", "cannot write file"});
  }
  {
    PageWriter w(dir, AmoEndpoint::users, options);
    for (std::size_t u = 0; u < users.size(); ++u) {
      std::string& s = w.record();
      s += "{\"id\":";
      put_int(s, users.id[u]);
      s += ",\"name\":";
      put_str(s, ds.str(users.name[u]));
      s += ",\"rights\":{\"group_id\":";
      if (users.group[u] == kNone) s += "null";
      else put_int(s, static_cast<std::int64_t>(users.group[u] + 1));
      s += "}}";
    }
    w.finish(false);
  }
  {
    PageWriter w(dir, AmoEndpoint::pipelines, options);
    for (std::size_t p = 0; p < pl.size(); ++p) {
      std::string& s = w.record();
      s += "{\"id\":";
      put_int(s, pl.id[p]);
      s += ",\"name\":";
      put_str(s, ds.str(pl.name[p]));
      s += ",\"sort\":";
      put_int(s, static_cast<std::int64_t>(p + 1));
      s += ",\"_embedded\":{\"statuses\":[";
      for (auto k = pl.stages_offset[p]; k < pl.stages_offset[p + 1]; ++k) {
        const auto i = pl.stages_ordered[k];
        if (k != pl.stages_offset[p]) s += ',';
        s += "{\"id\":";
        put_int(s, st.id[i]);
        s += ",\"name\":";
        put_str(s, ds.str(st.name[i]));
        s += ",\"sort\":";
        put_int(s, st.sort[i]);
        s += ",\"pipeline_id\":";
        put_int(s, pl.id[p]);
        s += ",\"type\":";
        s += st.kind[i] == StageKind::unsorted ? "1" : "0";
        s += '}';
      }
      s += "]}}";
    }
    w.finish(true);
  }

  const auto& d = ds.deals();
  const auto& paths = ds.paths();
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (!ds.str(d.channel[i]).empty()) sources.id(ds.str(d.channel[i]));
    if (!ds.str(d.loss_reason[i]).empty()) loss_reasons.id(ds.str(d.loss_reason[i]));
  }
  auto named = [&](AmoEndpoint ep, const NameIds& ids) {
    PageWriter w(dir, ep, options);
    for (std::size_t k = 0; k < ids.order().size(); ++k) {
      std::string& s = w.record();
      s += "{\"id\":";
      put_int(s, static_cast<std::int64_t>(k + 1));
      s += ",\"name\":";
      put_str(s, *ids.order()[k]);
      s += '}';
    }
    w.finish(false);
  };
  named(AmoEndpoint::loss_reasons, loss_reasons);
  named(AmoEndpoint::sources, sources);

  {
    PageWriter w(dir, AmoEndpoint::leads, options);
    for (std::size_t i = 0; i < d.size(); ++i) {
      const PathView path = paths.path(i);
      std::string& s = w.record();
      s += "{\"id\":";
      put_int(s, d.id[i]);
      s += ",\"name\":";
      put_str(s, ds.str(d.name[i]));
      s += ",\"price\":";
      put_money(s, d.budget_minor[i]);
      s += ",\"responsible_user_id\":";
      put_int(s, user_id(d.responsible[i]));
      s += ",\"status_id\":";
      put_int(s, st.id[d.stage[i]]);
      s += ",\"pipeline_id\":";
      put_int(s, pl.id[d.pipeline[i]]);
      s += ",\"loss_reason_id\":";
      if (ds.str(d.loss_reason[i]).empty()) s += "null";
      else put_int(s, loss_reasons.id(ds.str(d.loss_reason[i])));
      s += ",\"source_id\":";
      if (ds.str(d.channel[i]).empty()) s += "null";
      else put_int(s, sources.id(ds.str(d.channel[i])));
      s += ",\"created_by\":";
      put_int(s, path.size() > 0 ? user_id(path.by_user[0]) : 0);
      s += ",\"created_at\":";
      put_int(s, d.created_at[i]);
      s += ",\"updated_at\":";
      put_int(s, path.size() > 0 ? std::max(d.created_at[i], path.entered_at[path.size() - 1]) : d.created_at[i]);
      s += ",\"closed_at\":";
      put_opt_time(s, d.closed_at[i]);
      s += ",\"is_deleted\":";
      s += d.deleted[i] ? "true" : "false";
      s += ",\"_embedded\":{\"tags\":[";
      for (auto k = d.tags_offset[i]; k < d.tags_offset[i + 1]; ++k) {
        if (k != d.tags_offset[i]) s += ',';
        s += "{\"id\":";
        put_int(s, static_cast<std::int64_t>(d.tags[k]));
        s += ",\"name\":";
        put_str(s, ds.str(d.tags[k]));
        s += '}';
      }
      s += "],\"contacts\":[";
      if (d.contact_id[i] != kNoId) {
        s += "{\"id\":";
        put_int(s, d.contact_id[i]);
        s += ",\"is_main\":true}";
      }
      s += "],\"companies\":[";
      if (d.company_id[i] != kNoId) {
        s += "{\"id\":";
        put_int(s, d.company_id[i]);
        s += '}';
      }
      s += "]}}";
    }
    w.finish(true);
  }

  {
    // The event log as it is; stage history it does not carry becomes lead_status_changed events.
    const auto& e = ds.events();
    const std::int64_t lead_code = ds.strings().find("lead");
    const std::int64_t status_code = ds.strings().find("lead_status_changed");
    std::unordered_set<std::int64_t> has_history;
    for (std::size_t k = 0; k < e.size(); ++k)
      if (static_cast<std::int64_t>(e.type[k]) == status_code && static_cast<std::int64_t>(e.entity_type[k]) == lead_code)
        has_history.insert(e.entity_id[k]);
    simdjson::dom::parser check;
    auto put_value = [&](std::string& s, std::string_view v) {
      if (v.empty()) {
        s += "[]";
        return;
      }
      simdjson::dom::element el;
      if ((v.front() == '[' || v.front() == '{') && !check.parse(v.data(), v.size()).get(el)) s.append(v);
      else put_str(s, v);
    };
    PageWriter w(dir, AmoEndpoint::events, options);
    for (std::size_t k = 0; k < e.size(); ++k) {
      std::string& s = w.record();
      s += "{\"id\":";
      put_str(s, e.id[k]);
      s += ",\"type\":";
      put_str(s, ds.str(e.type[k]));
      s += ",\"entity_id\":";
      put_int(s, e.entity_id[k]);
      s += ",\"entity_type\":";
      put_str(s, ds.str(e.entity_type[k]));
      s += ",\"created_by\":";
      put_int(s, user_id(e.by_user[k]));
      s += ",\"created_at\":";
      put_int(s, e.at[k]);
      s += ",\"value_after\":";
      put_value(s, e.value_after[k]);
      s += ",\"value_before\":";
      put_value(s, e.value_before[k]);
      s += '}';
    }
    std::int64_t next = 0;
    auto status = [&](std::string& s, std::uint32_t stage) {
      s += "[{\"lead_status\":{\"id\":";
      put_int(s, st.id[stage]);
      s += ",\"pipeline_id\":";
      put_int(s, pl.id[st.pipeline[stage]]);
      s += "}}]";
    };
    for (std::size_t i = 0; i < d.size(); ++i) {
      if (has_history.count(d.id[i])) continue;
      const PathView path = paths.path(i);
      const auto b = paths.offset[i];
      for (std::size_t k = 1; k < path.size(); ++k) {
        if (paths.implied[b + k]) continue;
        std::string& s = w.record();
        s += "{\"id\":\"dealstat-";
        put_int(s, ++next);
        s += "\",\"type\":\"lead_status_changed\",\"entity_id\":";
        put_int(s, d.id[i]);
        s += ",\"entity_type\":\"lead\",\"created_by\":";
        put_int(s, user_id(path.by_user[k]));
        s += ",\"created_at\":";
        put_int(s, path.entered_at[k]);
        s += ",\"value_after\":";
        status(s, path.stage[k]);
        s += ",\"value_before\":";
        status(s, path.stage[k - 1]);
        s += '}';
      }
    }
    w.finish(false);
  }

  {
    static constexpr const char* outcomes[] = {"pending", "accepted", "declined"};
    const auto& u = ds.unsorted();
    PageWriter w(dir, AmoEndpoint::unsorted, options);
    for (std::size_t k = 0; k < u.size(); ++k) {
      std::string& s = w.record();
      s += "{\"uid\":\"";
      put_int(s, u.id[k]);
      s += "\",\"category\":";
      put_str(s, ds.str(u.channel[k]));
      s += ",\"pipeline_id\":";
      if (u.pipeline[k] == kNone) s += "null";
      else put_int(s, pl.id[u.pipeline[k]]);
      s += ",\"created_at\":";
      put_int(s, u.created_at[k]);
      s += ",\"outcome\":\"";
      s += outcomes[static_cast<int>(u.outcome[k])];
      s += "\",\"resolved_at\":";
      put_opt_time(s, u.resolved_at[k]);
      s += ",\"_embedded\":{\"leads\":[";
      if (u.deal_id[k] != kNoId) {
        s += "{\"id\":";
        put_int(s, u.deal_id[k]);
        s += '}';
      }
      s += "]}}";
    }
    w.finish(false);
  }

  {
    const auto& t = ds.tasks();
    PageWriter w(dir, AmoEndpoint::tasks, options);
    for (std::size_t k = 0; k < t.size(); ++k) {
      std::string& s = w.record();
      s += "{\"id\":";
      put_int(s, t.id[k]);
      s += ",\"responsible_user_id\":";
      put_int(s, user_id(t.responsible[k]));
      s += ",\"entity_id\":";
      if (t.entity_id[k] == kNoId) s += "null";
      else put_int(s, t.entity_id[k]);
      s += ",\"entity_type\":";
      if (ds.str(t.entity_type[k]).empty()) s += "null";
      else put_str(s, entity_plural(ds.str(t.entity_type[k])));
      s += ",\"is_completed\":";
      s += t.completed_at[k] != kNoTime ? "true" : "false";
      s += ",\"task_type_id\":";
      if (ds.str(t.type[k]).empty()) s += "null";
      else put_int(s, task_types.id(ds.str(t.type[k])));
      s += ",\"created_at\":";
      put_int(s, t.created_at[k]);
      s += ",\"updated_at\":";
      put_int(s, t.completed_at[k] != kNoTime ? t.completed_at[k] : t.created_at[k]);
      s += ",\"complete_till\":";
      put_opt_time(s, t.due_at[k]);
      s += '}';
    }
    w.finish(false);
  }

  auto simple = [&](AmoEndpoint ep, const SimpleEntityTable& t) {
    PageWriter w(dir, ep, options);
    for (std::size_t k = 0; k < t.size(); ++k) {
      std::string& s = w.record();
      s += "{\"id\":";
      put_int(s, t.id[k]);
      s += ",\"created_at\":";
      put_int(s, t.created_at[k]);
      s += ",\"responsible_user_id\":";
      put_int(s, user_id(t.responsible[k]));
      s += '}';
    }
    w.finish(false);
  };
  simple(AmoEndpoint::contacts, ds.contacts());
  simple(AmoEndpoint::companies, ds.companies());
  simple(AmoEndpoint::customers, ds.customers());
  simple(AmoEndpoint::invoices, ds.invoices());

  {
    const auto& p = ds.purchases();
    PageWriter w(dir, AmoEndpoint::transactions, options);
    for (std::size_t k = 0; k < p.size(); ++k) {
      std::string& s = w.record();
      s += "{\"id\":";
      put_int(s, p.id[k]);
      s += ",\"customer_id\":";
      if (p.customer_id[k] == kNoId) s += "null";
      else put_int(s, p.customer_id[k]);
      s += ",\"price\":";
      put_money(s, p.amount_minor[k]);
      s += ",\"created_at\":";
      put_int(s, p.at[k]);
      s += ",\"completed_at\":";
      put_int(s, p.at[k]);
      s += '}';
    }
    w.finish(false);
  }
}

}  // namespace v1
}  // namespace dealstat
