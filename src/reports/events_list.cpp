// Events list: resolve the filters to posting lists of the EventIndex, walk
// the most selective one from the cursor's rank on, check the others per
// event, stop after limit + 1 matches (the extra one says whether there is a
// next page).
#include "dealstat/reports/events_list.hpp"

#include <algorithm>
#include <queue>
#include <span>
#include <utility>

#include "dealstat/core/error.hpp"

namespace dealstat {
inline namespace v1 {

namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;
using List = std::span<const std::uint32_t>;

// One filter kind: a union of disjoint posting lists plus the per-event test of the same condition.
struct Dimension {
  std::vector<List> lists;
  std::size_t size_in_range = 0;  // entries within the period's ranks
};

// Entries of a sorted list within [lo, hi).
List clip(List l, std::size_t lo, std::size_t hi) {
  auto b = std::lower_bound(l.begin(), l.end(), static_cast<std::uint32_t>(lo));
  auto e = std::lower_bound(b, l.end(), static_cast<std::uint32_t>(std::min<std::size_t>(hi, kNone)));
  return l.subspan(static_cast<std::size_t>(b - l.begin()), static_cast<std::size_t>(e - b));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Parses a cursor made by encode_event_cursor; throws naming "cursor".
std::pair<std::int64_t, std::uint32_t> decode_cursor(const std::string& c) {
  auto bad = [&] { return Error::bad_option("cursor", c, "not a cursor of the events list (expected e1 + 24 hex digits)"); };
  if (c.size() != 26 || c[0] != 'e' || c[1] != '1') throw bad();
  std::uint64_t at = 0, row = 0;
  for (std::size_t i = 2; i < 26; ++i) {
    const int v = hex_value(c[i]);
    if (v < 0) throw bad();
    (i < 18 ? at : row) = ((i < 18 ? at : row) << 4) | static_cast<std::uint64_t>(v);
  }
  if (at > static_cast<std::uint64_t>(kMaxValidTime)) throw bad();
  return {static_cast<std::int64_t>(at), static_cast<std::uint32_t>(row)};
}

// The resolved query: which events match.
class Query {
 public:
  Query(const Dataset& ds, const EventIndex& ix, const EventsListOptions& o) : ds_(ds), ix_(ix) {
    const auto& pool = ds.strings();
    auto code = [&](std::string_view s) -> std::int64_t { return pool.find(s); };
    if (o.entity_id && o.entity_type.empty())
      throw Error::bad_option("entity_id", std::to_string(*o.entity_id), "needs entity_type");
    for (auto id : o.users) {
      auto u = ds.find_user(UserId{id});
      if (!u) throw Error::bad_option("users", std::to_string(id), "no user with this id");
      users_.push_back(u->value);
    }
    std::sort(users_.begin(), users_.end());
    users_.erase(std::unique(users_.begin(), users_.end()), users_.end());
    o.period.validate();
    const InstantRange range = resolve(o.period, ds.account().time_zone);
    lo_ = range.end_s == kNoTime ? 0 : ix.first_rank_before_time(range.end_s);
    hi_ = range.start_s == kNoTime ? ix.size() : ix.first_rank_before_time(range.start_s);
    hi_ = std::max(hi_, lo_);

    if (!o.types.empty()) {
      use_types_ = true;
      for (const auto& t : o.types)
        if (auto c = code(t); c >= 0) types_.push_back(static_cast<StrCode>(c));
      std::sort(types_.begin(), types_.end());
      types_.erase(std::unique(types_.begin(), types_.end()), types_.end());
      Dimension d;
      for (auto c : types_) d.lists.push_back(ix.by_type(c));
      dims_.push_back(std::move(d));
    }
    if (!users_.empty()) {
      Dimension d;
      for (auto u : users_) d.lists.push_back(ix.by_user(u));
      dims_.push_back(std::move(d));
    }
    if (!o.entity_type.empty()) {
      use_entity_ = true;
      entity_id_ = o.entity_id;
      const auto c = code(o.entity_type);
      entity_code_ = c >= 0 ? static_cast<std::int64_t>(c) : -1;
      Dimension d;
      if (c >= 0) d.lists.push_back(entity_id_ ? ix.by_entity(static_cast<StrCode>(c), *entity_id_)
                                               : ix.by_entity_type(static_cast<StrCode>(c)));
      dims_.push_back(std::move(d));
    }
    const std::int64_t lead = code("lead");
    auto linked = [&](const char* type, std::int64_t id, std::span<const std::int64_t> deals, Link& link) {
      link.on = true;
      link.id = id;
      link.code = code(type);
      link.lead = lead;
      link.deals = deals;
      Dimension d;
      if (link.code >= 0) d.lists.push_back(ix.by_entity(static_cast<StrCode>(link.code), id));
      if (lead >= 0)
        for (auto deal : deals) d.lists.push_back(ix.by_entity(static_cast<StrCode>(lead), deal));
      dims_.push_back(std::move(d));
    };
    if (o.contact_id) linked("contact", *o.contact_id, ix.deals_of_contact(*o.contact_id), contact_);
    if (o.company_id) linked("company", *o.company_id, ix.deals_of_company(*o.company_id), company_);

    // The most selective kind drives the walk; drop empty lists, clip to the period.
    driver_ = -1;
    for (std::size_t k = 0; k < dims_.size(); ++k) {
      auto& d = dims_[k];
      std::vector<List> kept;
      for (auto l : d.lists) {
        List c = clip(l, lo_, hi_);
        d.size_in_range += c.size();
        if (!c.empty()) kept.push_back(c);
      }
      d.lists = std::move(kept);
      if (driver_ < 0 || d.size_in_range < dims_[static_cast<std::size_t>(driver_)].size_in_range)
        driver_ = static_cast<std::int64_t>(k);
    }
  }

  // Ranks [lo, hi) of the period.
  std::size_t lo() const { return lo_; }
  std::size_t hi() const { return hi_; }

  // Does the event with this rank pass every filter? (The period holds for ranks in [lo, hi).)
  bool matches(std::size_t rank) const {
    const EventTable& ev = ds_.events();
    const std::uint32_t row = ix_.order()[rank];
    if (use_types_ && !std::binary_search(types_.begin(), types_.end(), ev.type[row])) return false;
    if (!users_.empty() && !std::binary_search(users_.begin(), users_.end(), ev.by_user[row])) return false;
    if (use_entity_) {
      if (static_cast<std::int64_t>(ev.entity_type[row]) != entity_code_) return false;
      if (entity_id_ && ev.entity_id[row] != *entity_id_) return false;
    }
    if (contact_.on && !contact_.holds(ev.entity_type[row], ev.entity_id[row])) return false;
    if (company_.on && !company_.holds(ev.entity_type[row], ev.entity_id[row])) return false;
    return true;
  }

  // Number of matches in the period.
  std::int64_t count() const {
    if (driver_ < 0) return static_cast<std::int64_t>(hi_ - lo_);
    const auto& d = dims_[static_cast<std::size_t>(driver_)];
    if (dims_.size() == 1) return static_cast<std::int64_t>(d.size_in_range);
    std::int64_t n = 0;
    for (auto l : d.lists)
      for (auto r : l) n += matches(r) ? 1 : 0;
    return n;
  }

  // Calls take(rank) on matching ranks >= start in ascending order until it returns false.
  template <class Take>
  void walk(std::size_t start, Take take) const {
    start = std::max(start, lo_);
    if (driver_ < 0) {
      for (std::size_t r = start; r < hi_; ++r)
        if (!take(r)) return;
      return;
    }
    const auto& d = dims_[static_cast<std::size_t>(driver_)];
    // k-way merge of the driver's lists (one list: a plain walk).
    using Head = std::pair<std::uint32_t, std::size_t>;  // (rank, list)
    std::priority_queue<Head, std::vector<Head>, std::greater<>> heap;
    std::vector<List> rest;
    for (auto l : d.lists) {
      List c = clip(l, start, hi_);
      if (c.empty()) continue;
      heap.emplace(c.front(), rest.size());
      rest.push_back(c.subspan(1));
    }
    while (!heap.empty()) {
      const auto [r, k] = heap.top();
      heap.pop();
      if (!rest[k].empty()) {
        heap.emplace(rest[k].front(), k);
        rest[k] = rest[k].subspan(1);
      }
      if (matches(r) && !take(static_cast<std::size_t>(r))) return;
    }
  }

 private:
  // "Events of a contact (company)": the entity itself, or a deal linked to it.
  struct Link {
    bool on = false;
    std::int64_t id = 0, code = -1, lead = -1;
    std::span<const std::int64_t> deals;
    bool holds(StrCode type, std::int64_t entity) const {
      if (static_cast<std::int64_t>(type) == code && entity == id) return true;
      return static_cast<std::int64_t>(type) == lead && std::binary_search(deals.begin(), deals.end(), entity);
    }
  };

  const Dataset& ds_;
  const EventIndex& ix_;
  std::size_t lo_ = 0, hi_ = 0;
  bool use_types_ = false, use_entity_ = false;
  std::vector<StrCode> types_;
  std::vector<std::uint32_t> users_;
  std::int64_t entity_code_ = -1;
  std::optional<std::int64_t> entity_id_;
  Link contact_, company_;
  std::vector<Dimension> dims_;
  std::int64_t driver_ = -1;
};

}  // namespace

std::string encode_event_cursor(std::int64_t at, std::uint32_t row) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s = "e1";
  s.resize(26);
  auto a = static_cast<std::uint64_t>(at);
  for (int i = 17; i >= 2; --i, a >>= 4) s[static_cast<std::size_t>(i)] = digits[a & 15];
  std::uint64_t r = row;
  for (int i = 25; i >= 18; --i, r >>= 4) s[static_cast<std::size_t>(i)] = digits[r & 15];
  return s;
}

EventsListResult events_list(const Dataset& ds, const EventIndex& ix, const EventsListOptions& o) {
  if (o.limit < 1) throw Error::bad_option("limit", std::to_string(o.limit), "must be at least 1");
  if (ix.size() != ds.events().size())
    throw Error::bad_option("index", std::to_string(ix.size()) + " events",
                            "the index was built from another dataset (" + std::to_string(ds.events().size()) + " events)");
  std::size_t start = 0;
  if (!o.cursor.empty()) {
    const auto [at, row] = decode_cursor(o.cursor);
    start = ix.first_rank_after(at, row);
  }
  const Query q(ds, ix, o);

  EventsListResult res;
  const auto limit = static_cast<std::size_t>(o.limit);
  std::vector<std::size_t> ranks;
  bool more = false;
  q.walk(start, [&](std::size_t r) {
    if (ranks.size() == limit) {
      more = true;
      return false;
    }
    ranks.push_back(r);
    return true;
  });
  const EventTable& ev = ds.events();
  const UserTable& users = ds.users();
  res.events.reserve(ranks.size());
  for (auto r : ranks) {
    const std::uint32_t row = ix.order()[r];
    EventsListRow e;
    e.row = row;
    e.id = std::string(ev.id[row]);
    e.at_s = ev.at[row];
    e.type = std::string(ds.str(ev.type[row]));
    e.entity_type = std::string(ds.str(ev.entity_type[row]));
    e.entity_id = ev.entity_id[row];
    if (const auto u = ev.by_user[row]; u != kNone) {
      e.user_id = users.id[u];
      e.user = std::string(ds.str(users.name[u]));
    }
    e.value_before = std::string(ev.value_before[row]);
    e.value_after = std::string(ev.value_after[row]);
    res.events.push_back(std::move(e));
  }
  if (more) res.next_cursor = encode_event_cursor(res.events.back().at_s, res.events.back().row);
  if (o.count_total) res.total = q.count();
  return res;
}

EventsListResult events_list(const Dataset& ds, const EventsListOptions& o) {
  const EventIndex ix = EventIndex::build(ds);
  return events_list(ds, ix, o);
}

std::vector<ResultTable> EventsListResult::to_tables() const {
  std::vector<std::int64_t> at, entity_id, user_id;
  std::vector<std::uint8_t> user_valid;
  std::vector<std::string> id, type, entity_type, user, before, after;
  for (const auto& e : events) {
    at.push_back(e.at_s);
    id.push_back(e.id);
    type.push_back(e.type);
    entity_type.push_back(e.entity_type);
    entity_id.push_back(e.entity_id);
    user_id.push_back(e.user_id == kNoId ? 0 : e.user_id);
    user_valid.push_back(e.user_id == kNoId ? 0 : 1);
    user.push_back(e.user);
    before.push_back(e.value_before);
    after.push_back(e.value_after);
  }
  ResultTable t{"events", {}};
  t.add("at_s", std::move(at)).add("id", std::move(id)).add("type", std::move(type));
  t.add("entity_type", std::move(entity_type)).add("entity_id", std::move(entity_id));
  t.add("user_id", std::move(user_id), std::move(user_valid)).add("user", std::move(user));
  t.add("value_before", std::move(before)).add("value_after", std::move(after));
  ResultTable p{"events_page", {}};
  p.add("returned", std::vector<std::int64_t>{static_cast<std::int64_t>(events.size())});
  p.add("total", std::vector<std::int64_t>{total}, std::vector<std::uint8_t>{static_cast<std::uint8_t>(total >= 0)});
  p.add("next_cursor", std::vector<std::string>{next_cursor});
  return {std::move(t), std::move(p)};
}

}  // namespace v1
}  // namespace dealstat
