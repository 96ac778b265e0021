// Reading an amoCRM (Kommo) API v4 export folder (SPEC section 11,
// docs/amocrm.md) into a DatasetBuilder.
//
// Two phases. Reading: every file is parsed with simdjson On Demand, page by
// page, record by record, keeping the JSON path of where we are so that every
// problem names the file, the record and the path; a page is committed only
// when it parsed completely (malformed JSON leaves out the whole page). Events
// go to the builder as they are read; leads and what is derived from events
// (stage changes, owner changes, task completions) are kept compactly.
// Resolving: the rules for messy exports (closed_at 0, stale loss reasons,
// history that starts after the lead was created, deleted leads, unsorted
// outcomes) turn the kept records into builder rows; the builder's own
// problems are mapped back to files and JSON paths through its locator hook.
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <exception>
#include <filesystem>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "dealstat/io/amocrm.hpp"
#include "dealstat/io/value_parsers.hpp"
#include "io/amocrm_common.hpp"

namespace dealstat {
inline namespace v1 {

namespace fs = std::filesystem;
namespace od = simdjson::ondemand;
using detail::AmoEndpoint;

namespace {

constexpr std::uint32_t kNoIndex = 0xFFFFFFFFu;

// Malformed JSON (not a wrong type): leaves out the page.
struct SyntaxError {
  simdjson::error_code code;
};

// The JSON path of where the reader is: "$[2]._embedded.leads[17].price".
class JsonPath {
 public:
  void push(std::string_view key) { segs_.push_back({key, -1}); }
  void push(std::int64_t index) { segs_.push_back({{}, index}); }
  void pop() { segs_.pop_back(); }
  std::string str() const {
    std::string s = "$";
    for (const auto& g : segs_) {
      if (g.index >= 0) {
        s += '[';
        s += std::to_string(g.index);
        s += ']';
      } else {
        s += '.';
        s.append(g.key);
      }
    }
    return s;
  }
  void clear() {
    segs_.clear();
    at_error.clear();
  }
  std::string at_error;  // the path where an exception started unwinding (set by ~Seg)

 private:
  struct Seg {
    std::string_view key;
    std::int64_t index;
  };
  std::vector<Seg> segs_;
};

// Pushes one path segment for a scope.
class Seg {
 public:
  template <class K>
  Seg(JsonPath& p, K k) : p_(p), uncaught_(std::uncaught_exceptions()) {
    p_.push(k);
  }
  ~Seg() {
    if (std::uncaught_exceptions() > uncaught_ && p_.at_error.empty()) p_.at_error = p_.str();
    p_.pop();
  }
  Seg(const Seg&) = delete;
  Seg& operator=(const Seg&) = delete;

 private:
  JsonPath& p_;
  int uncaught_;
};

template <class T>
T ok(simdjson::simdjson_result<T> r) {
  T v{};
  auto err = std::move(r).get(v);
  if (err) throw SyntaxError{err};
  return v;
}
void ok(simdjson::error_code err) {
  if (err) throw SyntaxError{err};
}
std::string_view ok(std::string_view v) { return v; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

// Where a record came from: a page of a file, and the record's index in `_embedded.<list>`.
struct PageInfo {
  std::uint32_t file;     // index into Reader::files_
  std::int64_t page;      // index in a file holding an array of pages; -1 = the file is one page
  AmoEndpoint endpoint;
};
struct Loc {
  std::uint32_t page = 0;   // index into Reader::pages_
  std::uint32_t index = 0;  // record index in its page
  std::int32_t sub = -1;    // status index within a pipeline (stages only)
};

struct LeadRec {
  std::int64_t id = 0, pipeline = 0, status = 0, created_at = 0, closed_at = kNoTime, updated_at = kNoTime;
  std::int64_t responsible = kNoId, group = kNoId, loss_reason = kNoId, created_by = kNoId, source = kNoId;
  std::int64_t contact = kNoId, company = kNoId;
  Money price;
  bool deleted = false;
  std::string name, loss_reason_name;
  std::vector<std::string> tags;
  Loc loc;
};

struct StatusChange {
  std::int64_t lead, at, from_pipeline, from_status, to_pipeline, to_status, by;
  std::uint32_t seq;  // position in read order (ties keep it)
  Loc loc;
};

struct OwnerChange {
  std::int64_t lead, at, user;
};

struct UserRec {
  std::int64_t id = 0, group = kNoId;
  std::string name;
  Loc loc;
};

struct StatusRec {
  std::int64_t id = 0, type = 0;
  std::int32_t sort = 0;
  std::string name;
  Loc loc;
};
struct PipelineRec {
  std::int64_t id = 0;
  std::string name;
  std::vector<StatusRec> statuses;
  Loc loc;
};

struct UnsortedRec {
  std::int64_t id = 0, created_at = 0, pipeline = kNoId, lead = kNoId, resolved_at = kNoTime;
  std::string channel;
  std::optional<UnsortedOutcome> outcome;
  Loc loc;
};

struct TaskRec {
  std::int64_t id = 0, responsible = kNoId, created_at = 0, due = kNoTime, updated_at = kNoTime, entity = kNoId,
               type = kNoId;
  bool completed = false;
  std::string entity_type;
  Loc loc;
};

struct SimpleRec {
  std::int64_t id = 0, created_at = 0, responsible = kNoId;
  Loc loc;
};

struct TransactionRec {
  std::int64_t id = 0, customer = kNoId, at = 0;
  Money amount;
  Loc loc;
};

// A vector whose tail since the last commit can be dropped (a page that turned out malformed).
class Staged {
 public:
  virtual ~Staged() = default;
  virtual void commit() = 0;
  virtual void rollback() = 0;
};
template <class T>
class StagedVec final : public Staged {
 public:
  std::vector<T> v;
  void commit() override { mark_ = v.size(); }
  void rollback() override { v.erase(v.begin() + static_cast<std::ptrdiff_t>(mark_), v.end()); }

 private:
  std::size_t mark_ = 0;
};

std::string_view entity_singular(std::string_view t) {
  if (t == "leads") return "lead";
  if (t == "contacts") return "contact";
  if (t == "companies") return "company";
  if (t == "customers") return "customer";
  return t;
}

class Reader {
 public:
  Reader(std::string dir, DatasetBuilder& b, ValidationPolicy policy, Problems& problems)
      : dir_(std::move(dir)), b_(b), policy_(policy), problems_(problems) {}

  void run() {
    list_files();
    for (std::size_t e = 0; e < detail::kAmoEndpoints; ++e) {
      for (auto& [name, ep] : listing_) {
        if (static_cast<std::size_t>(ep) != e) continue;
        read_file(name, ep);
      }
    }
    resolve();
  }

 private:
  // ---- files --------------------------------------------------------------

  void list_files() {
    std::error_code ec;
    fs::directory_iterator it(dir_, ec);
    if (ec) throw Error(ErrorCode::io, Problem{dir_, 0, "", "", "cannot read the export folder: " + ec.message()});
    for (const auto& entry : it) {
      if (!entry.is_regular_file()) continue;
      std::string name = entry.path().filename().string();
      if (auto ep = detail::amo_endpoint_of(name)) listing_.emplace_back(name, *ep);
    }
    // Natural order, so that leads_2.json comes before leads_10.json.
    auto key = [](const std::string& n) {
      std::size_t e = n.size() - 5, b = e;
      while (b > 0 && n[b - 1] >= '0' && n[b - 1] <= '9') --b;
      std::int64_t num = -1;
      if (b < e) std::from_chars(n.data() + b, n.data() + std::min(e, b + 18), num);
      return std::make_pair(n.substr(0, b), num);
    };
    std::sort(listing_.begin(), listing_.end(), [&](const auto& a, const auto& b) { return key(a.first) < key(b.first); });
    bool has[detail::kAmoEndpoints] = {};
    for (auto& [n, ep] : listing_) has[static_cast<std::size_t>(ep)] = true;
    for (AmoEndpoint need : {AmoEndpoint::pipelines, AmoEndpoint::leads})
      if (!has[static_cast<std::size_t>(need)])
        throw Error(ErrorCode::io, Problem{dir_, 0, "", "",
                                           "no " + std::string(detail::amo_def(need).file[0]) +
                                               " file in the export folder (docs/amocrm.md names the files)"});
  }

  void read_file(const std::string& name, AmoEndpoint ep) {
    file_index_ = static_cast<std::uint32_t>(files_.size());
    files_.push_back(name);
    auto loaded = simdjson::padded_string::load((fs::path(dir_) / name).string());
    if (loaded.error())
      throw Error(ErrorCode::io, Problem{name, 0, "", "", std::string("cannot read file: ") +
                                                              simdjson::error_message(loaded.error())});
    simdjson::padded_string text = std::move(loaded).value_unsafe();
    if (trim(std::string_view(text.data(), text.size())).empty()) return;  // an empty page (HTTP 204)
    buf_end_ = text.data() + text.size();
    path_.clear();
    try {
      od::document doc;
      ok(parser_.iterate(text).get(doc));
      od::json_type t = ok(doc.type());
      if (t == od::json_type::array) {
        std::int64_t k = 0;
        for (auto page : ok(doc.get_array())) {
          Seg g(path_, k);
          od::value pv = ok(std::move(page));
          if (ok(pv.type()) != od::json_type::object) throw SyntaxError{simdjson::INCORRECT_TYPE};
          read_page(ok(pv.get_object()), ep, k);
          ++k;
        }
      } else if (t == od::json_type::object) {
        read_page(ok(doc.get_object()), ep, -1);
      } else {
        throw SyntaxError{simdjson::INCORRECT_TYPE};
      }
    } catch (const SyntaxError& e) {
      for (auto* s : staged_) s->rollback();
      page_events_.clear();
      Problem p{name, 0, path_.at_error.empty() ? path_.str() : path_.at_error, "",
                std::string("malformed JSON: ") + simdjson::error_message(e.code) + "; the page is left out"};
      if (policy_ == ValidationPolicy::strict) throw Error(ErrorCode::parse, std::move(p));
      problems_.push_back(std::move(p));
    }
  }

  // One page: `_embedded.<list>` holds the records (the account page is itself the record).
  void read_page(od::object page, AmoEndpoint ep, std::int64_t page_no) {
    page_index_ = static_cast<std::uint32_t>(pages_.size());
    pages_.push_back(PageInfo{file_index_, page_no, ep});
    const std::string_view list = detail::amo_def(ep).list;
    if (ep == AmoEndpoint::account) {
      read_account(page);
    } else {
      for (auto field : page) {
        std::string_view key = ok(field.unescaped_key());
        if (key != "_embedded") continue;
        Seg g1(path_, "_embedded");
        od::value emb = ok(field.value());
        if (ok(emb.type()) != od::json_type::object) continue;  // `[]` when empty
        for (auto f2 : ok(emb.get_object())) {
          std::string_view k2 = ok(f2.unescaped_key());
          if (k2 != list) continue;
          Seg g2(path_, list);
          od::value arr = ok(f2.value());
          if (ok(arr.type()) != od::json_type::array) continue;
          std::uint32_t i = 0;
          for (auto rec : ok(arr.get_array())) {
            Seg g3(path_, static_cast<std::int64_t>(i));
            record_index_ = i;
            bad_.reset();
            od::value v = ok(std::move(rec));
            if (ok(v.type()) != od::json_type::object) {
              fail(raw_of(v), "a record must be an object");
            } else {
              read_record(ok(v.get_object()), ep);
            }
            if (bad_) reject();
            ++i;
          }
        }
      }
    }
    for (auto* s : staged_) s->commit();
    const std::size_t base = event_locs_.v.size() - page_events_.size();
    for (std::size_t k = 0; k < page_events_.size(); ++k)
      b_.add_event(std::move(page_events_[k]), static_cast<std::int64_t>(base + k + 1));
    page_events_.clear();
  }

  void read_record(od::object obj, AmoEndpoint ep) {
    switch (ep) {
      case AmoEndpoint::users: return read_user(obj);
      case AmoEndpoint::pipelines: return read_pipeline(obj);
      case AmoEndpoint::loss_reasons: return read_named(obj, loss_reason_names_);
      case AmoEndpoint::sources: return read_named(obj, source_names_);
      case AmoEndpoint::leads: return read_lead(obj);
      case AmoEndpoint::events: return read_event(obj);
      case AmoEndpoint::unsorted: return read_unsorted(obj);
      case AmoEndpoint::tasks: return read_task(obj);
      case AmoEndpoint::contacts: return read_simple(obj, contacts_.v);
      case AmoEndpoint::companies: return read_simple(obj, companies_.v);
      case AmoEndpoint::customers: return read_simple(obj, customers_.v);
      case AmoEndpoint::transactions: return read_transaction(obj);
      case AmoEndpoint::invoices: return read_simple(obj, invoices_.v);
      case AmoEndpoint::account: return;
    }
  }

  // ---- values ---------------------------------------------------------------

  Loc here() const { return Loc{page_index_, record_index_, -1}; }

  // The value as written (for problems).
  std::string raw_of(od::value& v) {
    switch (ok(v.type())) {
      case od::json_type::array: return std::string(ok(ok(v.get_array()).raw_json()));
      case od::json_type::object: return std::string(ok(ok(v.get_object()).raw_json()));
      case od::json_type::string: return std::string(ok(v.get_string()));
      default: return std::string(trim(ok(v.raw_json_token())));
    }
  }

  // Records the first problem of the current record; the record is left out at its end.
  void fail(std::string value, std::string message) {
    if (bad_) return;
    bad_ = Problem{files_[file_index_], static_cast<std::int64_t>(record_index_) + 1, path_.str(), std::move(value),
                   std::move(message)};
  }
  void reject() {
    if (policy_ == ValidationPolicy::strict) throw Error(ErrorCode::invalid_data, std::move(*bad_));
    problems_.push_back(std::move(*bad_));
    bad_.reset();
  }

  // An integer; null gives nullopt. A string of digits is accepted (some exports quote ids).
  std::optional<std::int64_t> as_int(od::value v) {
    switch (ok(v.type())) {
      case od::json_type::null: return std::nullopt;
      case od::json_type::number: {
        std::int64_t x = 0;
        if (v.get_int64().get(x)) {
          fail(raw_of(v), "not an integer");
          return std::nullopt;
        }
        return x;
      }
      case od::json_type::string: {
        auto s = ok(v.get_string());
        if (auto x = try_parse_int(s)) return x;
        fail(std::string(s), "not an integer");
        return std::nullopt;
      }
      default: fail(raw_of(v), "not an integer"); return std::nullopt;
    }
  }
  std::int64_t as_id(od::value v) {
    auto x = as_int(v);
    return x ? *x : kNoId;
  }
  // An id where 0 or less means none (responsible_user_id, created_by, loss_reason_id, ...).
  std::int64_t as_ref(od::value v) {
    auto x = as_int(v);
    return x && *x > 0 ? *x : kNoId;
  }
  // A timestamp: Unix seconds as a number or a string, or an ISO 8601 string (local in the account's zone).
  std::int64_t as_time(od::value v) {
    switch (ok(v.type())) {
      case od::json_type::null: return kNoTime;
      case od::json_type::number: {
        std::int64_t x = 0;
        if (v.get_int64().get(x)) {
          fail(raw_of(v), "not a Unix timestamp (integer seconds)");
          return kNoTime;
        }
        return x;
      }
      case od::json_type::string: {
        auto s = ok(v.get_string());
        if (trim(s).empty()) return kNoTime;
        if (auto t = try_parse_timestamp(s, tz_)) return t->seconds;
        fail(std::string(s), "not a timestamp (Unix seconds or ISO 8601)");
        return kNoTime;
      }
      default: fail(raw_of(v), "not a timestamp"); return kNoTime;
    }
  }
  std::string_view as_str(od::value v) {
    switch (ok(v.type())) {
      case od::json_type::null: return {};
      case od::json_type::string: return ok(v.get_string());
      case od::json_type::number: return trim(ok(v.raw_json_token()));
      default: fail(raw_of(v), "not a string"); return {};
    }
  }
  bool as_bool(od::value v) {
    switch (ok(v.type())) {
      case od::json_type::null: return false;
      case od::json_type::boolean: return ok(v.get_bool());
      default: {
        std::string r = raw_of(v);
        if (r == "0") return false;
        if (r == "1") return true;
        fail(r, "not a boolean");
        return false;
      }
    }
  }
  // A decimal amount, parsed exactly from its JSON text (never through a double).
  Money as_money(od::value v) {
    std::string_view text;
    switch (ok(v.type())) {
      case od::json_type::null: return Money{};
      case od::json_type::number: text = trim(ok(v.raw_json_token())); break;
      case od::json_type::string: text = ok(v.get_string()); break;
      default: fail(raw_of(v), "not a number"); return Money{};
    }
    if (auto m = try_parse_money(text, 2)) {
      if (m->minor < 0) fail(std::string(text), "negative amount");
      return *m;
    }
    fail(std::string(text), "not a decimal amount");
    return Money{};
  }

  // Iterates an array value with its index on the path; null and non-arrays of `[]`-or-null fields are skipped.
  template <class F>
  void each(od::value v, F&& f) {
    auto t = ok(v.type());
    if (t == od::json_type::null) return;
    if (t != od::json_type::array) {
      fail(raw_of(v), "not an array");
      return;
    }
    std::int64_t i = 0;
    for (auto el : ok(v.get_array())) {
      Seg g(path_, i++);
      f(ok(std::move(el)));
    }
  }
  // Iterates the fields of an object value (key on the path); a non-object is a problem.
  template <class F>
  void fields(od::value v, F&& f) {
    auto t = ok(v.type());
    if (t == od::json_type::null) return;
    if (t != od::json_type::object) {
      if (t == od::json_type::array) {  // PHP encodes an empty object as []
        auto a = ok(v.get_array());
        if (ok(a.count_elements()) == 0) return;
      }
      fail(raw_of(v), "not an object");
      return;
    }
    fields(ok(v.get_object()), f);
  }
  template <class F>
  void fields(od::object o, F&& f) {
    for (auto field : o) {
      std::string_view key = ok(field.unescaped_key());
      Seg g(path_, key);
      f(key, ok(field.value()));
    }
  }

  // ---- endpoints --------------------------------------------------------------

  void read_account(od::object page) {
    record_index_ = 0;
    bad_.reset();
    std::string tz_name;
    fields(page, [&](std::string_view k, od::value v) {
      if (k == "currency") {
        account_.currency = std::string(as_str(v));
      } else if (k == "timezone") {
        tz_name = std::string(as_str(v));
        tz_path_ = path_.str();
      } else if (k == "_embedded") {
        fields(v, [&](std::string_view k2, od::value v2) {
          if (k2 == "datetime_settings") {
            fields(v2, [&](std::string_view k3, od::value v3) {
              if (k3 == "timezone") {
                tz_name = std::string(as_str(v3));
                tz_path_ = path_.str();
              }
            });
          } else if (k2 == "users_groups") {
            each(v2, [&](od::value g) { read_named_value(g, group_names_); });
          } else if (k2 == "task_types") {
            each(v2, [&](od::value g) { read_named_value(g, task_type_names_); });
          }
        });
      }
    });
    if (!tz_name.empty()) {
      try {
        account_.time_zone = TimeZone::parse(tz_name);
        tz_ = account_.time_zone;
      } catch (const Error& e) {
        fail(tz_name, std::string("unknown time zone: ") + e.what());
      }
    }
    if (bad_) {
      if (!tz_path_.empty()) bad_->field = tz_path_;
      reject();
    }
  }

  void read_named_value(od::value v, std::unordered_map<std::int64_t, std::string>& out) {
    std::int64_t id = kNoId;
    std::string name;
    fields(v, [&](std::string_view k, od::value x) {
      if (k == "id") id = as_id(x);
      else if (k == "name") name = std::string(as_str(x));
    });
    if (id != kNoId) out[id] = std::move(name);
  }
  void read_named(od::object o, std::unordered_map<std::int64_t, std::string>& out) {
    std::int64_t id = kNoId;
    std::string name;
    fields(o, [&](std::string_view k, od::value x) {
      if (k == "id") id = as_id(x);
      else if (k == "name") name = std::string(as_str(x));
    });
    if (id == kNoId) fail("", "id is required");
    if (!bad_) out[id] = std::move(name);
  }

  void read_user(od::object o) {
    UserRec u;
    u.loc = here();
    bool has_id = false;
    fields(o, [&](std::string_view k, od::value v) {
      if (k == "id") {
        u.id = as_id(v);
        has_id = u.id != kNoId;
      } else if (k == "name") {
        u.name = std::string(as_str(v));
      } else if (k == "rights") {
        fields(v, [&](std::string_view k2, od::value v2) {
          if (k2 == "group_id") {
            auto g = as_int(v2);
            u.group = g ? *g : kNoId;
          }
        });
      }
    });
    if (!has_id) fail("", "id is required");
    if (!bad_) users_.v.push_back(std::move(u));
  }

  void read_pipeline(od::object o) {
    PipelineRec p;
    p.loc = here();
    bool has_id = false;
    fields(o, [&](std::string_view k, od::value v) {
      if (k == "id") {
        p.id = as_id(v);
        has_id = p.id != kNoId;
      } else if (k == "name") {
        p.name = std::string(as_str(v));
      } else if (k == "_embedded") {
        fields(v, [&](std::string_view k2, od::value v2) {
          if (k2 != "statuses") return;
          std::int32_t si = 0;
          each(v2, [&](od::value sv) {
            StatusRec s;
            s.loc = here();
            s.loc.sub = si++;
            bool sid = false;
            fields(sv, [&](std::string_view k3, od::value v3) {
              if (k3 == "id") {
                s.id = as_id(v3);
                sid = s.id != kNoId;
              } else if (k3 == "name") {
                s.name = std::string(as_str(v3));
              } else if (k3 == "sort") {
                auto x = as_int(v3);
                s.sort = static_cast<std::int32_t>(x ? std::clamp<std::int64_t>(*x, INT32_MIN, INT32_MAX) : 0);
              } else if (k3 == "type") {
                auto x = as_int(v3);
                s.type = x ? *x : 0;
              }
            });
            if (!sid) fail("", "a status needs an id");
            p.statuses.push_back(std::move(s));
          });
        });
      }
    });
    if (!has_id) fail("", "id is required");
    if (!bad_) {
      for (const auto& s : p.statuses) stage_keys_.insert(key(p.id, s.id));
      stage_keys_.insert(key(p.id, detail::kAmoWon));
      stage_keys_.insert(key(p.id, detail::kAmoLost));
      pipelines_.v.push_back(std::move(p));
    }
  }

  static std::uint64_t key(std::int64_t pipeline, std::int64_t status) {
    return (static_cast<std::uint64_t>(pipeline) << 32) ^ static_cast<std::uint64_t>(status);
  }

  void read_lead(od::object o) {
    LeadRec& l = lead_tmp_;
    l = LeadRec{};
    l.loc = here();
    bool has_id = false, has_status = false, has_pipeline = false, has_created = false, minor = false;
    fields(o, [&](std::string_view k, od::value v) {
      switch (k.empty() ? '\0' : k[0]) {
        case 'c':
          if (k == "created_at") {
            l.created_at = as_time(v);
            has_created = l.created_at != kNoTime;
          } else if (k == "closed_at") {
            l.closed_at = as_time(v);
            if (l.closed_at != kNoTime && l.closed_at <= 0) l.closed_at = kNoTime;
          } else if (k == "created_by") {
            l.created_by = as_ref(v);
          }
          break;
        case 'g':
          if (k == "group_id") l.group = as_ref(v);
          break;
        case 'i':
          if (k == "id") {
            l.id = as_id(v);
            has_id = l.id != kNoId;
          } else if (k == "is_deleted") {
            l.deleted = as_bool(v);
          }
          break;
        case 'l':
          if (k == "loss_reason_id") l.loss_reason = as_ref(v);
          break;
        case 'n':
          if (k == "name") l.name = std::string(as_str(v));
          break;
        case 'p':
          if (k == "price") {
            if (!minor) l.price = as_money(v);
          } else if (k == "price_with_minor_units") {
            auto x = as_int(v);
            if (x) {
              if (*x < 0) fail(std::to_string(*x), "negative amount");
              l.price = Money{*x};
              minor = true;
            }
          } else if (k == "pipeline_id") {
            auto x = as_int(v);
            has_pipeline = x.has_value();
            l.pipeline = x ? *x : 0;
          }
          break;
        case 'r':
          if (k == "responsible_user_id") l.responsible = as_ref(v);
          break;
        case 's':
          if (k == "status_id") {
            auto x = as_int(v);
            has_status = x.has_value();
            l.status = x ? *x : 0;
          } else if (k == "source_id") {
            l.source = as_ref(v);
          }
          break;
        case 'u':
          if (k == "updated_at") l.updated_at = as_time(v);
          break;
        case '_':
          if (k == "_embedded") read_lead_embedded(v, l);
          break;
        default: break;
      }
    });
    if (!has_id) fail("", "id is required");
    else if (!has_pipeline) fail("", "pipeline_id is required");
    else if (!has_status) fail("", "status_id is required");
    else if (!has_created) fail("", "created_at is required");
    if (!bad_) leads_.v.push_back(std::move(l));
  }

  void read_lead_embedded(od::value v, LeadRec& l) {
    fields(v, [&](std::string_view k, od::value x) {
      if (k == "tags") {
        each(x, [&](od::value t) {
          fields(t, [&](std::string_view k2, od::value v2) {
            if (k2 == "name") l.tags.emplace_back(as_str(v2));
          });
        });
      } else if (k == "contacts") {
        std::int64_t first = kNoId, main = kNoId;
        each(x, [&](od::value c) {
          std::int64_t id = kNoId;
          bool is_main = false;
          fields(c, [&](std::string_view k2, od::value v2) {
            if (k2 == "id") id = as_id(v2);
            else if (k2 == "is_main") is_main = as_bool(v2);
          });
          if (first == kNoId) first = id;
          if (is_main && main == kNoId) main = id;
        });
        l.contact = main != kNoId ? main : first;
      } else if (k == "companies") {
        each(x, [&](od::value c) {
          fields(c, [&](std::string_view k2, od::value v2) {
            if (k2 == "id" && l.company == kNoId) l.company = as_id(v2);
          });
        });
      } else if (k == "loss_reason") {
        each(x, [&](od::value c) {
          fields(c, [&](std::string_view k2, od::value v2) {
            if (k2 == "name" && l.loss_reason_name.empty()) l.loss_reason_name = std::string(as_str(v2));
          });
        });
      }
    });
  }

  // value_before / value_after: kept as given (minified JSON; a JSON string as its text; [] and null as "").
  std::string_view event_value(od::value v, std::string& out, std::string_view& raw) {
    out.clear();
    raw = {};
    switch (ok(v.type())) {
      case od::json_type::null: return out;
      case od::json_type::string: out.assign(ok(v.get_string())); return out;
      case od::json_type::array: {
        od::array a = ok(v.get_array());
        raw = ok(a.raw_json());
        break;
      }
      case od::json_type::object: raw = ok(ok(v.get_object()).raw_json()); break;
      default: raw = trim(ok(v.raw_json_token())); break;
    }
    raw = trim(raw);
    if (raw == "[]") return out;
    if (raw.find_first_of(" \n\r\t") == std::string_view::npos) {
      out.assign(raw);
    } else {
      out.resize(raw.size());
      std::size_t n = 0;
      if (simdjson::minify(raw.data(), raw.size(), out.data(), n)) throw SyntaxError{simdjson::TAPE_ERROR};
      out.resize(n);
    }
    return out;
  }

  // Parses [{"<what>": {"id": ..., "pipeline_id": ...}}] out of a raw event value.
  struct Ref {
    std::int64_t id = kNoId, pipeline = kNoId;
    bool ok = false;
  };
  Ref parse_ref(std::string_view raw, const char* what) {
    Ref r;
    if (raw.empty()) return r;
    const std::size_t cap = static_cast<std::size_t>(buf_end_ - raw.data()) + simdjson::SIMDJSON_PADDING;
    simdjson::dom::element e;
    if (small_.parse(raw.data(), raw.size(), cap < raw.size() + simdjson::SIMDJSON_PADDING).get(e)) return r;
    simdjson::dom::array arr;
    simdjson::dom::element first, inner;
    if (e.get_array().get(arr) || arr.at(0).get(first) || first[what].get(inner)) return r;
    std::int64_t x = 0;
    if (inner["id"].get_int64().get(x)) return r;
    r.id = x;
    if (!inner["pipeline_id"].get_int64().get(x)) r.pipeline = x;
    r.ok = true;
    return r;
  }

  void read_event(od::object o) {
    EventRow& e = event_tmp_;
    e.id.clear();
    e.type.clear();
    e.entity_type.clear();
    e.entity_id = 0;
    e.at = Timestamp{kNoTime};
    e.by_user.reset();
    std::string_view raw_before, raw_after;
    std::string before_path, after_path;
    bool has_id = false, has_entity = false;
    std::int64_t by = kNoId;
    fields(o, [&](std::string_view k, od::value v) {
      if (k == "id") {
        e.id.assign(as_str(v));
        has_id = !e.id.empty();
      } else if (k == "type") {
        e.type.assign(as_str(v));
      } else if (k == "entity_type") {
        e.entity_type.assign(as_str(v));
      } else if (k == "entity_id") {
        auto x = as_int(v);
        has_entity = x.has_value();
        e.entity_id = x ? *x : 0;
      } else if (k == "created_by") {
        by = as_ref(v);
      } else if (k == "created_at") {
        e.at = Timestamp{as_time(v)};
      } else if (k == "value_before") {
        event_value(v, e.value_before, raw_before);
      } else if (k == "value_after") {
        event_value(v, e.value_after, raw_after);
      }
    });
    if (!has_id) fail("", "id is required");
    else if (e.type.empty()) fail("", "type is required");
    else if (!has_entity) fail("", "entity_id is required");
    else if (e.at.seconds == kNoTime) fail("", "created_at is required");
    if (bad_) return;
    if (by != kNoId) {
      e.by_user = UserId{by};
      referenced_users_.insert(by);
    }
    const bool lead = e.entity_type == "lead" || e.entity_type == "leads";
    if (lead && e.type == "lead_status_changed") {
      Ref from = parse_ref(raw_before, "lead_status"), to = parse_ref(raw_after, "lead_status");
      auto check = [&](const Ref& r, std::string_view raw, const char* side) {
        if (bad_) return;
        Seg g(path_, side);
        if (!r.ok) {
          fail(std::string(raw), "expected [{\"lead_status\": {\"id\": ..., \"pipeline_id\": ...}}]");
          return;
        }
        Seg g0(path_, std::int64_t{0});
        Seg g1(path_, "lead_status");
        if (r.pipeline == kNoId) {
          Seg g2(path_, "pipeline_id");
          fail("", "pipeline_id is required");
        } else if (!stage_keys_.count(key(r.pipeline, r.id))) {
          Seg g2(path_, "id");
          fail(std::to_string(r.id), "unknown stage (pipeline " + std::to_string(r.pipeline) + ", status " +
                                         std::to_string(r.id) + ")");
        }
      };
      // A creation-like event without a before value only gives the stage entered.
      if (!raw_before.empty()) check(from, raw_before, "value_before");
      check(to, raw_after, "value_after");
      if (bad_) return;
      const auto seq = static_cast<std::uint32_t>(changes_.v.size());
      changes_.v.push_back(StatusChange{e.entity_id, e.at.seconds, from.ok ? from.pipeline : kNoId,
                                        from.ok ? from.id : kNoId, to.pipeline, to.id, by, seq, here()});
    } else if (lead && e.type == "entity_responsible_changed") {
      Ref to = parse_ref(raw_after, "responsible_user");
      if (!to.ok) {
        Seg g(path_, "value_after");
        fail(std::string(raw_after), "expected [{\"responsible_user\": {\"id\": ...}}]");
        return;
      }
      if (to.id > 0) referenced_users_.insert(to.id);
      owners_.v.push_back(OwnerChange{e.entity_id, e.at.seconds, to.id > 0 ? to.id : kNoId});
    } else if (e.type == "task_completed" && (e.entity_type == "task" || e.entity_type == "tasks")) {
      task_done_.v.push_back(OwnerChange{e.entity_id, e.at.seconds, 0});
    }
    event_locs_.v.push_back(here());
    page_events_.push_back(e);
  }

  void read_unsorted(od::object o) {
    UnsortedRec u;
    u.loc = here();
    bool has_id = false;
    fields(o, [&](std::string_view k, od::value v) {
      if (k == "uid") {
        std::string_view s = as_str(v);
        has_id = !s.empty();
        if (auto x = try_parse_int(s)) {
          u.id = *x;
        } else {  // a hex uid: a stable 63-bit FNV-1a hash
          std::uint64_t h = 1469598103934665603ull;
          for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
          u.id = static_cast<std::int64_t>(h >> 1);
        }
      } else if (k == "category") {
        u.channel = std::string(as_str(v));
      } else if (k == "created_at") {
        u.created_at = as_time(v);
      } else if (k == "pipeline_id") {
        u.pipeline = as_ref(v);
      } else if (k == "outcome") {
        std::string_view s = as_str(v);
        if (s == "accepted") u.outcome = UnsortedOutcome::accepted;
        else if (s == "declined") u.outcome = UnsortedOutcome::declined;
        else if (s == "pending") u.outcome = UnsortedOutcome::pending;
        else if (!s.empty()) fail(std::string(s), "outcome must be accepted, declined or pending");
      } else if (k == "resolved_at") {
        u.resolved_at = as_time(v);
      } else if (k == "_embedded") {
        fields(v, [&](std::string_view k2, od::value v2) {
          if (k2 != "leads") return;
          each(v2, [&](od::value l) {
            fields(l, [&](std::string_view k3, od::value v3) {
              if (k3 == "id" && u.lead == kNoId) u.lead = as_ref(v3);
            });
          });
        });
      }
    });
    if (!has_id) fail("", "uid is required");
    else if (u.created_at == kNoTime) fail("", "created_at is required");
    if (!bad_) unsorted_.v.push_back(std::move(u));
  }

  void read_task(od::object o) {
    TaskRec t;
    t.loc = here();
    bool has_id = false;
    fields(o, [&](std::string_view k, od::value v) {
      if (k == "id") {
        t.id = as_id(v);
        has_id = t.id != kNoId;
      } else if (k == "responsible_user_id") {
        t.responsible = as_ref(v);
      } else if (k == "created_at") {
        t.created_at = as_time(v);
      } else if (k == "complete_till") {
        t.due = as_time(v);
        if (t.due != kNoTime && t.due <= 0) t.due = kNoTime;
      } else if (k == "updated_at") {
        t.updated_at = as_time(v);
      } else if (k == "is_completed") {
        t.completed = as_bool(v);
      } else if (k == "entity_type") {
        t.entity_type = std::string(entity_singular(as_str(v)));
      } else if (k == "entity_id") {
        t.entity = as_ref(v);
      } else if (k == "task_type_id") {
        t.type = as_ref(v);
      }
    });
    if (!has_id) fail("", "id is required");
    else if (t.created_at == kNoTime) fail("", "created_at is required");
    if (!bad_) tasks_.v.push_back(std::move(t));
  }

  void read_simple(od::object o, std::vector<SimpleRec>& out) {
    SimpleRec r;
    r.loc = here();
    bool has_id = false;
    fields(o, [&](std::string_view k, od::value v) {
      if (k == "id") {
        r.id = as_id(v);
        has_id = r.id != kNoId;
      } else if (k == "created_at") {
        r.created_at = as_time(v);
      } else if (k == "responsible_user_id") {
        r.responsible = as_ref(v);
      }
    });
    if (!has_id) fail("", "id is required");
    else if (r.created_at == kNoTime) fail("", "created_at is required");
    if (!bad_) out.push_back(r);
  }

  void read_transaction(od::object o) {
    TransactionRec r;
    r.loc = here();
    bool has_id = false;
    std::int64_t created = kNoTime, completed = kNoTime;
    fields(o, [&](std::string_view k, od::value v) {
      if (k == "id") {
        r.id = as_id(v);
        has_id = r.id != kNoId;
      } else if (k == "price") {
        r.amount = as_money(v);
      } else if (k == "customer_id") {
        r.customer = as_ref(v);
      } else if (k == "created_at") {
        created = as_time(v);
      } else if (k == "completed_at") {
        completed = as_time(v);
      }
    });
    r.at = completed != kNoTime && completed > 0 ? completed : created;
    if (!has_id) fail("", "id is required");
    else if (r.at == kNoTime) fail("", "created_at or completed_at is required");
    if (!bad_) transactions_.v.push_back(r);
  }

  // ---- resolving ------------------------------------------------------------------

  std::optional<UserId> user(std::int64_t id) {
    if (id == kNoId) return std::nullopt;
    referenced_users_.insert(id);
    return UserId{id};
  }

  // Builder rows are numbered by position in a Loc vector; the locator maps them back.
  void locate(Table table, std::vector<Loc> locs, std::vector<std::pair<std::string_view, std::string_view>> rename,
              std::vector<std::pair<std::string_view, std::string_view>> rename_lead = {}) {
    b_.set_source(table, dir_);
    auto shared = std::make_shared<std::vector<Loc>>(std::move(locs));
    b_.set_locator(table, [files = files_snapshot_, pages = pages_snapshot_, shared, rename = std::move(rename),
                           rename_lead = std::move(rename_lead)](Problem& p) {
      if (p.row <= 0 || static_cast<std::size_t>(p.row) > shared->size()) return;
      const Loc& l = (*shared)[static_cast<std::size_t>(p.row - 1)];
      const PageInfo& pg = (*pages)[l.page];
      const auto& names = pg.endpoint == AmoEndpoint::leads && !rename_lead.empty() ? rename_lead : rename;
      std::string field = p.field;
      for (const auto& [from, to] : names)
        if (field == from) field = std::string(to);
      std::string path = "$";
      if (pg.page >= 0) path += "[" + std::to_string(pg.page) + "]";
      path += "._embedded.";
      path += detail::amo_def(pg.endpoint).list;
      path += "[" + std::to_string(l.index) + "]";
      if (l.sub >= 0) path += "._embedded.statuses[" + std::to_string(l.sub) + "]";
      if (!field.empty()) path += "." + field;
      p.source = (*files)[pg.file];
      p.row = l.index + 1;
      p.field = std::move(path);
    });
  }

  void resolve() {
    files_snapshot_ = std::make_shared<const std::vector<std::string>>(files_);
    pages_snapshot_ = std::make_shared<const std::vector<PageInfo>>(pages_);
    Account acc = account_;
    b_.set_account(std::move(acc));

    // Pipelines and stages (142 and 143 exist in every pipeline).
    {
      std::vector<Loc> plocs, slocs;
      for (const auto& p : pipelines_.v) {
        b_.add_pipeline(PipelineRow{PipelineId{p.id}, p.name}, static_cast<std::int64_t>(plocs.size() + 1));
        plocs.push_back(p.loc);
        bool won = false, lost = false;
        for (const auto& s : p.statuses) {
          StageKind kind = s.id == detail::kAmoWon    ? StageKind::won
                           : s.id == detail::kAmoLost ? StageKind::lost
                           : s.type == detail::kAmoUnsortedType ? StageKind::unsorted
                                                                : StageKind::open;
          won = won || s.id == detail::kAmoWon;
          lost = lost || s.id == detail::kAmoLost;
          b_.add_stage(StageRow{PipelineId{p.id}, StageId{s.id}, s.name, s.sort, kind},
                       static_cast<std::int64_t>(slocs.size() + 1));
          slocs.push_back(s.loc);
        }
        if (!won) {
          b_.add_stage(StageRow{PipelineId{p.id}, StageId{detail::kAmoWon}, "Успешно реализовано", 10000, StageKind::won},
                       static_cast<std::int64_t>(slocs.size() + 1));
          slocs.push_back(p.loc);
        }
        if (!lost) {
          b_.add_stage(StageRow{PipelineId{p.id}, StageId{detail::kAmoLost}, "Закрыто и не реализовано", 11000,
                                StageKind::lost},
                       static_cast<std::int64_t>(slocs.size() + 1));
          slocs.push_back(p.loc);
        }
      }
      locate(Table::pipelines, std::move(plocs), {});
      locate(Table::stages, std::move(slocs), {{"pipeline_id", "pipeline_id"}});
    }
    std::unordered_map<std::uint64_t, std::int64_t> status_type;  // (pipeline, status) -> type
    for (const auto& p : pipelines_.v)
      for (const auto& s : p.statuses) status_type[key(p.id, s.id)] = s.type;
    auto is_unsorted = [&](std::int64_t pipeline, std::int64_t status) {
      auto it = status_type.find(key(pipeline, status));
      return it != status_type.end() && it->second == detail::kAmoUnsortedType && status != detail::kAmoWon &&
             status != detail::kAmoLost;
    };

    // Stage changes by lead, in time order (ties keep read order).
    auto& ch = changes_.v;
    std::stable_sort(ch.begin(), ch.end(), [](const StatusChange& a, const StatusChange& b) {
      return a.lead != b.lead ? a.lead < b.lead : a.at < b.at;
    });
    auto changes_of = [&](std::int64_t lead) {
      auto lo = std::lower_bound(ch.begin(), ch.end(), lead, [](const StatusChange& c, std::int64_t id) { return c.lead < id; });
      auto hi = lo;
      while (hi != ch.end() && hi->lead == lead) ++hi;
      return std::make_pair(lo, hi);
    };
    // Last owner change per lead.
    std::unordered_map<std::int64_t, std::pair<std::int64_t, std::int64_t>> last_owner;  // lead -> (at, user)
    for (const auto& o : owners_.v) {
      auto [it, fresh] = last_owner.try_emplace(o.lead, o.at, o.user);
      if (!fresh && o.at >= it->second.first) it->second = {o.at, o.user};
    }
    // Channel of a lead created from an unsorted item.
    std::unordered_map<std::int64_t, const std::string*> unsorted_channel;
    for (const auto& u : unsorted_.v)
      if (u.lead != kNoId && !u.channel.empty()) unsorted_channel.emplace(u.lead, &u.channel);
    // The lead's group (used for users without a group of their own).
    std::unordered_map<std::int64_t, std::int64_t> lead_group_of_user;

    // Leads.
    std::unordered_map<std::int64_t, std::uint32_t> lead_row;
    lead_row.reserve(leads_.v.size());
    std::vector<Loc> deal_locs, change_locs;
    deal_locs.reserve(leads_.v.size());
    change_locs.reserve(ch.size() + leads_.v.size());
    b_.reserve(leads_.v.size(), ch.size() + leads_.v.size());
    DealRow d;
    for (std::uint32_t i = 0; i < leads_.v.size(); ++i) {
      LeadRec& l = leads_.v[i];
      lead_row.emplace(l.id, i);
      auto [cb, ce] = changes_of(l.id);
      const bool closed = l.status == detail::kAmoWon || l.status == detail::kAmoLost;
      d.id = DealId{l.id};
      d.pipeline = PipelineId{l.pipeline};
      d.stage = StageId{l.status};
      d.created_at = Timestamp{l.created_at};
      // closed_at: kept only on a won or lost lead (a reopened lead keeps a stale one); when 0 or null on a
      // closed lead, the last move into its current stage, else updated_at, else created_at.
      d.closed_at.reset();
      if (closed) {
        std::int64_t at = l.closed_at;
        if (at == kNoTime) {
          for (auto it = ce; it != cb;) {
            --it;
            if (it->to_status == l.status && it->to_pipeline == l.pipeline) {
              at = it->at;
              break;
            }
          }
        }
        if (at == kNoTime && l.updated_at != kNoTime && l.updated_at >= l.created_at) at = l.updated_at;
        if (at == kNoTime) at = l.created_at;
        d.closed_at = Timestamp{at};
      }
      d.budget = l.price;
      // Responsible: the lead's own; when missing, the last entity_responsible_changed.
      std::int64_t resp = l.responsible;
      if (resp == kNoId) {
        auto it = last_owner.find(l.id);
        if (it != last_owner.end()) resp = it->second.second;
      }
      d.responsible = user(resp);
      if (resp != kNoId && l.group != kNoId) lead_group_of_user.emplace(resp, l.group);
      d.name = std::move(l.name);
      d.channel.clear();
      if (l.source != kNoId) {
        auto it = source_names_.find(l.source);
        if (it != source_names_.end()) d.channel = it->second;
      }
      if (d.channel.empty()) {
        auto it = unsorted_channel.find(l.id);
        if (it != unsorted_channel.end()) d.channel = *it->second;
      }
      d.tags = std::move(l.tags);
      // A loss reason counts only on a lost lead (a reopened or won lead may keep a stale one).
      d.loss_reason.clear();
      if (l.status == detail::kAmoLost) {
        if (l.loss_reason != kNoId) {
          auto it = loss_reason_names_.find(l.loss_reason);
          d.loss_reason = it != loss_reason_names_.end() ? it->second
                          : !l.loss_reason_name.empty() ? l.loss_reason_name
                                                        : std::to_string(l.loss_reason);
        } else {
          d.loss_reason = l.loss_reason_name;
        }
      }
      d.contact_id = l.contact == kNoId ? std::nullopt : std::optional<std::int64_t>(l.contact);
      d.company_id = l.company == kNoId ? std::nullopt : std::optional<std::int64_t>(l.company);
      d.deleted = l.deleted;
      b_.add_deal(std::move(d), static_cast<std::int64_t>(deal_locs.size() + 1));
      d = DealRow{};
      deal_locs.push_back(l.loc);

      // The creation record: the stage the history starts from (the first move's from-stage, or the current
      // stage of a lead without moves), at created_at, by created_by (0 = automation = nobody).
      std::optional<std::pair<std::int64_t, std::int64_t>> start;
      if (cb != ce) {
        if (cb->from_status != kNoId) start = std::make_pair(cb->from_pipeline, cb->from_status);
      } else if (!closed && l.created_by != kNoId) {
        start = std::make_pair(l.pipeline, l.status);
      }
      if (start) {
        StageChangeRow c;
        c.deal = DealId{l.id};
        c.at = Timestamp{l.created_at};
        c.to_pipeline = PipelineId{start->first};
        c.to_stage = StageId{start->second};
        c.by_user = user(l.created_by);
        b_.add_stage_change(c, static_cast<std::int64_t>(change_locs.size() + 1));
        change_locs.push_back(l.loc);
      }
      for (auto it = cb; it != ce; ++it) {
        StageChangeRow c;
        c.deal = DealId{l.id};
        c.at = Timestamp{it->at};
        if (it->from_status != kNoId) {
          c.from_pipeline = PipelineId{it->from_pipeline};
          c.from_stage = StageId{it->from_status};
        }
        c.to_pipeline = PipelineId{it->to_pipeline};
        c.to_stage = StageId{it->to_status};
        c.by_user = user(it->by);
        b_.add_stage_change(c, static_cast<std::int64_t>(change_locs.size() + 1));
        change_locs.push_back(it->loc);
      }
    }
    // Moves of leads that are not in the export (deleted for good, or left out) stay in the event log only.
    locate(Table::deals, std::move(deal_locs), {{"stage_id", "status_id"}, {"budget", "price"}});
    locate(Table::stage_changes, std::move(change_locs),
           {{"deal_id", "entity_id"},
            {"at", "created_at"},
            {"by_user_id", "created_by"},
            {"to_stage_id", "value_after[0].lead_status.id"},
            {"to_pipeline_id", "value_after[0].lead_status.pipeline_id"},
            {"from_stage_id", "value_before[0].lead_status.id"},
            {"from_pipeline_id", "value_before[0].lead_status.pipeline_id"}},
           {{"deal_id", "id"}, {"at", "created_at"}, {"by_user_id", "created_by"}, {"to_stage_id", "status_id"},
            {"to_pipeline_id", "pipeline_id"}});
    locate(Table::events, std::move(event_locs_.v), {});

    // Unsorted items: an explicit outcome wins; otherwise from the lead made of the item.
    {
      std::vector<Loc> locs;
      for (const auto& u : unsorted_.v) {
        UnsortedRow r;
        r.id = UnsortedId{u.id};
        r.channel = u.channel;
        r.created_at = Timestamp{u.created_at};
        if (u.lead != kNoId) r.deal = DealId{u.lead};
        if (u.pipeline != kNoId) r.pipeline = PipelineId{u.pipeline};
        if (u.outcome) {
          r.outcome = *u.outcome;
          if (u.resolved_at != kNoTime) r.resolved_at = Timestamp{u.resolved_at};
        } else if (u.lead != kNoId) {
          auto it = lead_row.find(u.lead);
          if (it != lead_row.end()) {
            const LeadRec& l = leads_.v[it->second];
            auto fallback = [&] {
              return Timestamp{l.updated_at != kNoTime && l.updated_at >= u.created_at ? l.updated_at : u.created_at};
            };
            if (l.deleted) {
              r.outcome = UnsortedOutcome::declined;
              r.resolved_at = fallback();
            } else if (!is_unsorted(l.pipeline, l.status)) {
              r.outcome = UnsortedOutcome::accepted;
              auto [cb, ce] = changes_of(u.lead);
              std::optional<Timestamp> left;
              for (auto c = cb; c != ce && !left; ++c)
                if (c->from_status != kNoId && is_unsorted(c->from_pipeline, c->from_status) &&
                    !is_unsorted(c->to_pipeline, c->to_status))
                  left = Timestamp{c->at};
              r.resolved_at = left ? *left : fallback();
            }
          }
        }
        b_.add_unsorted(std::move(r), static_cast<std::int64_t>(locs.size() + 1));
        locs.push_back(u.loc);
      }
      locate(Table::unsorted, std::move(locs), {{"id", "uid"}});
    }

    // Tasks: completed_at is the task_completed event, else updated_at of a completed task.
    {
      std::unordered_map<std::int64_t, std::int64_t> done;
      for (const auto& t : task_done_.v) done[t.lead] = t.at;
      std::vector<Loc> locs;
      for (const auto& t : tasks_.v) {
        TaskRow r;
        r.id = TaskId{t.id};
        r.responsible = user(t.responsible);
        r.created_at = Timestamp{t.created_at};
        if (t.due != kNoTime) r.due_at = Timestamp{t.due};
        if (t.completed) {
          auto it = done.find(t.id);
          std::int64_t at = it != done.end() ? it->second : t.updated_at != kNoTime ? t.updated_at : t.created_at;
          r.completed_at = Timestamp{at};
        }
        r.entity_type = t.entity_type;
        if (t.entity != kNoId) r.entity_id = t.entity;
        if (t.type != kNoId) {
          auto it = task_type_names_.find(t.type);
          r.type = it != task_type_names_.end() ? it->second
                   : t.type == 1                ? "call"
                   : t.type == 2                ? "meeting"
                                                : std::to_string(t.type);
        }
        b_.add_task(std::move(r), static_cast<std::int64_t>(locs.size() + 1));
        locs.push_back(t.loc);
      }
      locate(Table::tasks, std::move(locs), {{"due_at", "complete_till"}, {"completed_at", "updated_at"}});
    }

    auto simple = [&](const std::vector<SimpleRec>& v, Table t, void (DatasetBuilder::*add)(const SimpleEntityRow&, std::int64_t)) {
      std::vector<Loc> locs;
      for (const auto& r : v) {
        (b_.*add)(SimpleEntityRow{r.id, Timestamp{r.created_at}, user(r.responsible)},
                  static_cast<std::int64_t>(locs.size() + 1));
        locs.push_back(r.loc);
      }
      locate(t, std::move(locs), {});
    };
    simple(contacts_.v, Table::contacts, &DatasetBuilder::add_contact);
    simple(companies_.v, Table::companies, &DatasetBuilder::add_company);
    simple(customers_.v, Table::customers, &DatasetBuilder::add_customer);
    simple(invoices_.v, Table::invoices, &DatasetBuilder::add_invoice);
    {
      std::vector<Loc> locs;
      for (const auto& r : transactions_.v) {
        PurchaseRow p;
        p.id = PurchaseId{r.id};
        if (r.customer != kNoId) p.customer = r.customer;
        p.at = Timestamp{r.at};
        p.amount = r.amount;
        b_.add_purchase(p, static_cast<std::int64_t>(locs.size() + 1));
        locs.push_back(r.loc);
      }
      locate(Table::purchases, std::move(locs), {{"at", "completed_at"}, {"amount", "price"}});
    }

    // Users last: those of /users, then every id referenced but missing there (a deleted user still owns
    // deals), with an empty name. A user without a group of their own takes the group of their leads.
    {
      std::vector<Loc> locs;
      std::unordered_set<std::int64_t> known;
      for (const auto& u : users_.v) {
        std::int64_t g = u.group;
        if (g == kNoId) {
          auto it = lead_group_of_user.find(u.id);
          if (it != lead_group_of_user.end()) g = it->second;
        }
        std::string group;
        if (g != kNoId) {
          auto it = group_names_.find(g);
          if (it != group_names_.end()) group = it->second;
          else if (g != 0) group = "group " + std::to_string(g);
        }
        b_.add_user(UserRow{UserId{u.id}, u.name, std::move(group)}, static_cast<std::int64_t>(locs.size() + 1));
        locs.push_back(u.loc);
        known.insert(u.id);
      }
      std::vector<std::int64_t> missing;
      for (auto id : referenced_users_)
        if (!known.count(id)) missing.push_back(id);
      std::sort(missing.begin(), missing.end());
      for (auto id : missing) b_.add_user(UserRow{UserId{id}, "", ""});
      locate(Table::users, std::move(locs), {});
    }
  }

  // ---- state ----------------------------------------------------------------------

  std::string dir_;
  DatasetBuilder& b_;
  ValidationPolicy policy_;
  Problems& problems_;
  od::parser parser_;
  simdjson::dom::parser small_;
  const char* buf_end_ = nullptr;
  JsonPath path_;
  std::vector<std::pair<std::string, AmoEndpoint>> listing_;
  std::vector<std::string> files_;
  std::vector<PageInfo> pages_;
  std::uint32_t file_index_ = 0, page_index_ = 0, record_index_ = 0;
  std::optional<Problem> bad_;
  std::shared_ptr<const std::vector<std::string>> files_snapshot_;
  std::shared_ptr<const std::vector<PageInfo>> pages_snapshot_;

  Account account_;
  TimeZone tz_;
  std::string tz_path_;
  std::unordered_map<std::int64_t, std::string> group_names_, task_type_names_, loss_reason_names_, source_names_;
  std::unordered_set<std::uint64_t> stage_keys_;
  std::unordered_set<std::int64_t> referenced_users_;

  StagedVec<UserRec> users_;
  StagedVec<PipelineRec> pipelines_;
  StagedVec<LeadRec> leads_;
  StagedVec<StatusChange> changes_;
  StagedVec<OwnerChange> owners_, task_done_;
  StagedVec<Loc> event_locs_;
  StagedVec<UnsortedRec> unsorted_;
  StagedVec<TaskRec> tasks_;
  StagedVec<SimpleRec> contacts_, companies_, customers_, invoices_;
  StagedVec<TransactionRec> transactions_;
  std::vector<Staged*> staged_{&users_,    &pipelines_, &leads_,     &changes_,  &owners_,    &task_done_,
                               &event_locs_, &unsorted_, &tasks_,    &contacts_, &companies_, &customers_,
                               &invoices_, &transactions_};
  std::vector<EventRow> page_events_;
  LeadRec lead_tmp_;
  EventRow event_tmp_;
};

}  // namespace

void read_amocrm(const std::string& dir, DatasetBuilder& builder, ValidationPolicy policy, Problems& problems) {
  Reader r(dir, builder, policy, problems);
  r.run();
}

BuildResult import_amocrm(const std::string& dir, ValidationPolicy policy) {
  DatasetBuilder b;
  Problems problems;
  read_amocrm(dir, b, policy, problems);
  BuildResult r = std::move(b).build(policy);
  problems.insert(problems.end(), std::make_move_iterator(r.problems.begin()), std::make_move_iterator(r.problems.end()));
  r.problems = std::move(problems);
  return r;
}

}  // namespace v1
}  // namespace dealstat
