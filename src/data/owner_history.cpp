// Owner history from the event log's responsible-user changes.
#include "dealstat/data/owner_history.hpp"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <unordered_map>

#include <simdjson.h>

namespace dealstat {
inline namespace v1 {

namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// A user id from a JSON element: an integer, or a string of digits; -1 otherwise.
std::int64_t id_of(simdjson::dom::element e) {
  std::int64_t v = 0;
  if (e.is_null()) return 0;
  if (e.get_int64().get(v) == simdjson::SUCCESS) return v < 0 ? -1 : v;
  std::string_view s;
  if (e.get_string().get(s) == simdjson::SUCCESS) {
    s = trim(s);
    if (s.empty()) return 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && p == s.data() + s.size() && v >= 0) return v;
  }
  return -1;
}

// The responsible user named by an object: {"responsible_user":{"id":N}} or {"responsible_user_id":N}.
std::int64_t id_of_object(simdjson::dom::object o) {
  simdjson::dom::element ru;
  if (o.at_key("responsible_user").get(ru) == simdjson::SUCCESS) {
    simdjson::dom::element id;
    if (ru.is_object() && ru.at_key("id").get(id) == simdjson::SUCCESS) return id_of(id);
    return id_of(ru);  // {"responsible_user": 7}
  }
  if (o.at_key("responsible_user_id").get(ru) == simdjson::SUCCESS) return id_of(ru);
  return -1;
}

}  // namespace

std::int64_t parse_responsible_value(std::string_view value) {
  value = trim(value);
  if (value.empty()) return 0;
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec == std::errc() && p == value.data() + value.size()) return v < 0 ? -1 : v;  // the common plain form
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(value.data(), value.size(), true).get(doc) != simdjson::SUCCESS) return -1;
  simdjson::dom::array arr;
  if (doc.get_array().get(arr) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : arr) {
      simdjson::dom::object o;
      if (item.get_object().get(o) != simdjson::SUCCESS) continue;
      const std::int64_t id = id_of_object(o);
      if (id >= 0) return id;
    }
    return -1;
  }
  simdjson::dom::object obj;
  if (doc.get_object().get(obj) == simdjson::SUCCESS) return id_of_object(obj);
  return id_of(doc);
}

std::uint32_t OwnerHistory::owner_at(const Dataset& ds, std::size_t deal, std::int64_t t) const {
  const std::uint64_t b = offset[deal], e = offset[deal + 1];
  if (b == e) return ds.deals().responsible[deal];
  // Last change at or before t.
  const auto first = at.begin() + static_cast<std::ptrdiff_t>(b), last = at.begin() + static_cast<std::ptrdiff_t>(e);
  const auto it = std::upper_bound(first, last, t);
  if (it != first) return after[static_cast<std::size_t>(it - at.begin()) - 1];
  if (before[b] != kNotGiven) return before[b];
  return ds.deals().responsible[deal];
}

OwnerHistory build_owner_history(const Dataset& ds) {
  OwnerHistory h;
  const std::size_t n_deals = ds.deals().size();
  h.offset.assign(n_deals + 1, 0);
  const auto& ev = ds.events();
  const std::int64_t type_code = ds.strings().find("entity_responsible_changed");
  if (type_code < 0 || ev.size() == 0) return h;
  const std::int64_t lead = ds.strings().find("lead"), leads = ds.strings().find("leads");

  std::unordered_map<std::int64_t, std::uint32_t> user_row;
  const auto& users = ds.users();
  user_row.reserve(users.size());
  for (std::size_t u = 0; u < users.size(); ++u) user_row.emplace(users.id[u], static_cast<std::uint32_t>(u));
  auto to_row = [&](std::int64_t id) -> std::uint32_t {
    if (id <= 0) return kNone;
    auto it = user_row.find(id);
    return it == user_row.end() ? kNone : it->second;
  };

  struct Change {
    std::uint32_t deal;
    std::uint32_t before, after;
    std::int64_t at;
    std::size_t seq;
  };
  std::vector<Change> changes;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (static_cast<std::int64_t>(ev.type[i]) != type_code) continue;
    const auto et = static_cast<std::int64_t>(ev.entity_type[i]);
    if (et != lead && et != leads) continue;
    const std::int64_t after_id = parse_responsible_value(ev.value_after[i]);
    if (after_id < 0) {
      ++h.skipped;
      continue;
    }
    const auto deal = ds.find_deal(DealId{ev.entity_id[i]});
    if (!deal) {
      ++h.unknown_deal;
      continue;
    }
    const std::int64_t before_id = parse_responsible_value(ev.value_before[i]);
    const std::uint32_t before = before_id <= 0 ? OwnerHistory::kNotGiven : to_row(before_id);
    changes.push_back({deal->value, before, to_row(after_id), ev.at[i], i});
  }
  std::sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
    if (a.deal != b.deal) return a.deal < b.deal;
    if (a.at != b.at) return a.at < b.at;
    return a.seq < b.seq;
  });
  h.changes = static_cast<std::int64_t>(changes.size());
  h.at.reserve(changes.size());
  h.before.reserve(changes.size());
  h.after.reserve(changes.size());
  for (const auto& c : changes) {
    ++h.offset[c.deal + 1];
    h.at.push_back(c.at);
    h.before.push_back(c.before);
    h.after.push_back(c.after);
  }
  std::partial_sum(h.offset.begin(), h.offset.end(), h.offset.begin());
  return h;
}

}  // namespace v1
}  // namespace dealstat
