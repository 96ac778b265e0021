// TimeZone: offset rules from UTC to local time, held as one immutable table
// of transitions (instant, new offset) shared by every copy. IANA zones come
// from TZif files; their footer rule, and every POSIX TZ string, is expanded
// into transitions for the years 1969..2101 when the zone is parsed, so
// offset_at() never parses a rule: it is a direct index into ~24-day slots
// for 1969..2102 (then a step over at most a transition or two), and a
// binary search over the table outside that range.
#include "dealstat/time/time_zone.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "civil.hpp"
#include "dealstat/core/error.hpp"
#include "posix_tz.hpp"
#include "tzif_reader.hpp"

namespace dealstat {
inline namespace v1 {

//! The immutable transition table.
struct TimeZone::Rules {
  std::string name;                  //!< the spelling the zone was made from
  std::vector<std::int64_t> at;      //!< at[0] = INT64_MIN, then transition instants, ascending
  std::vector<std::int32_t> offset;  //!< offset[i] holds for instants in [at[i], at[i+1])
  //! Direct index over [kFastBase, kFastEnd): slot[(t - kFastBase) >> kFastShift] is the period that
  //! holds at the slot's first instant; a lookup then steps over the (rare) transitions inside the slot.
  std::vector<std::uint32_t> slot;
};

namespace detail {
namespace {

constexpr std::int32_t kFirstRuleYear = 1969;  // covers 1970-01-01 local in every zone
constexpr std::int32_t kLastRuleYear = 2101;   // covers 2100-12-31 local in every zone
constexpr std::int64_t kMinInstant = std::numeric_limits<std::int64_t>::min();
constexpr int kFastShift = 21;                  // 2^21 s, about 24 days: at most a transition or two
constexpr std::int64_t kFastBase = -(1LL << 25);  // 1968-12-08
constexpr std::int64_t kFastEnd = kFastBase + (2004LL << kFastShift);  // 2102-02-11

//! Index of the period that contains instant t, by binary search.
std::size_t search_period(const TimeZone::Rules& r, std::int64_t t) {
  return static_cast<std::size_t>(std::upper_bound(r.at.begin() + 1, r.at.end(), t) - r.at.begin()) - 1;
}

//! Builds the table from an initial offset and transitions sorted by time: of several
//! transitions at one instant the last wins, and transitions that change nothing are dropped.
std::shared_ptr<const TimeZone::Rules> make_rules(std::string name, std::int32_t initial,
                                                 const std::vector<Transition>& ts) {
  auto r = std::make_shared<TimeZone::Rules>();
  r->name = std::move(name);
  r->at.push_back(kMinInstant);
  r->offset.push_back(initial);
  for (std::size_t i = 0; i < ts.size(); ++i) {
    if (i + 1 < ts.size() && ts[i + 1].at == ts[i].at) continue;
    if (ts[i].offset == r->offset.back()) continue;
    r->at.push_back(ts[i].at);
    r->offset.push_back(ts[i].offset);
  }
  r->at.shrink_to_fit();
  r->offset.shrink_to_fit();
  if (r->at.size() > 1) {
    r->slot.resize(static_cast<std::size_t>((kFastEnd - kFastBase) >> kFastShift));
    for (std::size_t i = 0; i < r->slot.size(); ++i) {
      r->slot[i] = static_cast<std::uint32_t>(search_period(*r, kFastBase + (static_cast<std::int64_t>(i) << kFastShift)));
    }
  }
  return r;
}

//! Index of the period that contains instant t.
inline std::size_t period_of(const TimeZone::Rules& r, std::int64_t t) {
  if (t >= kFastBase && t < kFastEnd && !r.slot.empty()) {
    std::size_t k = r.slot[static_cast<std::size_t>((t - kFastBase) >> kFastShift)];
    while (k + 1 < r.at.size() && r.at[k + 1] <= t) ++k;
    return k;
  }
  return search_period(r, t);
}

//! The instant of local time `local` (seconds since 1970-01-01 local). Repeated times give the
//! earlier instant; a time in a gap gives the gap's end if first_valid, else local - old offset.
std::int64_t local_to_utc(const TimeZone::Rules& r, std::int64_t local, bool first_valid) {
  if (r.at.size() == 1) return local - r.offset[0];
  constexpr std::int64_t kWindow = 2 * 86400;  // wider than any offset or offset change
  const std::size_t lo = period_of(r, local - kWindow);
  const std::size_t hi = period_of(r, local + kWindow);
  for (std::size_t k = lo; k <= hi; ++k) {  // the first match is the earliest instant
    const std::int64_t t = local - r.offset[k];
    if ((k == 0 || t >= r.at[k]) && (k + 1 == r.at.size() || t < r.at[k + 1])) return t;
  }
  for (std::size_t k = lo + 1; k <= hi; ++k) {  // in a gap: find the transition that skipped it
    if (r.at[k] + r.offset[k - 1] <= local && local < r.at[k] + r.offset[k]) {
      return first_valid ? r.at[k] : local - r.offset[k - 1];
    }
  }
  return local - r.offset[lo];  // unreachable for sane tables
}

bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != b[i]) return false;
  }
  return true;
}

//! "UTC", "Z", "GMT", "+03:00", "-0530", "+3", "UTC+3", "GMT-05:00": seconds east. nullopt otherwise.
std::optional<std::int32_t> parse_fixed_offset(std::string_view s) {
  if (iequal(s, "UTC") || iequal(s, "Z") || iequal(s, "GMT")) return 0;
  if (s.size() > 3 && (iequal(s.substr(0, 3), "UTC") || iequal(s.substr(0, 3), "GMT"))) s.remove_prefix(3);
  if (s.empty() || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  const std::int32_t sign = s[0] == '-' ? -1 : 1;
  s.remove_prefix(1);
  std::size_t hd = 0;
  while (hd < s.size() && hd < 3 && is_ascii_digit(s[hd])) ++hd;
  std::int32_t h = 0;
  std::int32_t m = 0;
  if (hd == 1 || hd == 2) {  // h, hh, h:mm, hh:mm
    h = detail::parse_digits(s.data(), static_cast<int>(hd));
    s.remove_prefix(hd);
    if (!s.empty()) {
      if (s.size() != 3 || s[0] != ':') return std::nullopt;
      m = detail::parse_digits(s.data() + 1, 2);
    }
  } else if (s.size() == 4) {  // hhmm
    h = detail::parse_digits(s.data(), 2);
    m = detail::parse_digits(s.data() + 2, 2);
  } else {
    return std::nullopt;
  }
  if (h < 0 || m < 0 || h > 18 || m > 59 || (h == 18 && m > 0)) return std::nullopt;
  return sign * (h * 3600 + m * 60);
}

std::string format_offset(std::int32_t off) {
  if (off == 0) return "UTC";
  const char sign = off < 0 ? '-' : '+';
  const std::int32_t a = off < 0 ? -off : off;
  char buf[32];
  if (a % 60 != 0) {
    std::snprintf(buf, sizeof buf, "%c%02d:%02d:%02d", sign, a / 3600, a / 60 % 60, a % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", sign, a / 3600, a / 60 % 60);
  }
  return buf;
}

//! True for names that may be looked up under the zoneinfo directory ("America/New_York").
bool safe_zone_name(std::string_view s) {
  if (s.empty() || s.size() > 255 || s.front() == '/' || s.back() == '/') return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_ascii_digit(c) || c == '_' ||
                    c == '-' || c == '+' || c == '/' || c == '.';
    if (!ok) return false;
  }
  std::size_t from = 0;  // no "." or ".." path components
  while (from <= s.size()) {
    std::size_t to = s.find('/', from);
    if (to == std::string_view::npos) to = s.size();
    const std::string_view part = s.substr(from, to - from);
    if (part.empty() || part == "." || part == "..") return false;
    from = to + 1;
  }
  return true;
}

std::string zoneinfo_dir() {
  const char* env = std::getenv("TZDIR");
  return env != nullptr && *env != '\0' ? std::string(env) : std::string("/usr/share/zoneinfo");
}

std::shared_ptr<const TimeZone::Rules> from_posix(std::string name, const PosixTz& p) {
  std::vector<Transition> ts;
  append_posix_transitions(p, kFirstRuleYear, kLastRuleYear, ts);
  return make_rules(std::move(name), p.std_offset, ts);
}

//! Reads zone `name` from the zoneinfo directory; nullptr if there is no such file.
std::shared_ptr<const TimeZone::Rules> from_zoneinfo(const std::string& spec, const std::string& dir) {
  namespace fs = std::filesystem;
  const fs::path path = fs::path(dir) / spec;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return nullptr;
  const auto size = fs::file_size(path, ec);
  if (ec || size > (1u << 20)) return nullptr;
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return nullptr;
  TzifData data;
  std::string why;
  if (!parse_tzif(bytes, data, why)) {
    if (bytes.substr(0, 4) != "TZif") return nullptr;  // some other file (zone.tab, ...)
    throw Error::bad_option("time_zone", spec, why + " (" + path.string() + ")");
  }
  std::vector<Transition> ts = std::move(data.transitions);
  if (!data.footer.empty()) {
    const auto p = parse_posix_tz(data.footer);
    if (!p) {
      throw Error::bad_option("time_zone", spec, "unsupported rule \"" + data.footer + "\" in " + path.string());
    }
    const std::int64_t last = ts.empty() ? kMinInstant : ts.back().at;
    std::int32_t first_year = kFirstRuleYear;
    if (!ts.empty()) {
      const std::int64_t day = last / 86400 - (last % 86400 < 0 ? 1 : 0);
      first_year = std::max<std::int32_t>(kFirstRuleYear, civil_from_days(static_cast<std::int32_t>(
                                                              std::clamp<std::int64_t>(day, -1000000, 1000000)))
                                                              .y);
    }
    std::vector<Transition> rule_ts;
    append_posix_transitions(*p, first_year, kLastRuleYear, rule_ts);
    if (ts.empty() && !p->has_dst) data.initial_offset = p->std_offset;
    for (const Transition& t : rule_ts) {
      if (t.at > last) ts.push_back(t);
    }
  }
  return make_rules(spec, data.initial_offset, ts);
}

std::shared_ptr<const TimeZone::Rules> build(const std::string& spec, const std::string& dir) {
  if (const auto off = parse_fixed_offset(spec)) return make_rules(spec, *off, {});
  if (safe_zone_name(spec)) {
    if (auto r = from_zoneinfo(spec, dir)) return r;
  }
  if (const auto p = parse_posix_tz(spec)) return from_posix(spec, *p);
  throw Error::bad_option("time_zone", spec,
                          "unknown time zone: expected an IANA name (Europe/Moscow), a POSIX TZ string (MSK-3) "
                          "or a fixed offset (+03:00)");
}

//! Parsed zones by (zoneinfo directory, spec): parsing a TZif file once per process is enough.
struct Cache {
  std::mutex mu;
  std::unordered_map<std::string, std::shared_ptr<const TimeZone::Rules>> zones;
};

Cache& cache() {
  static Cache c;
  return c;
}

const std::shared_ptr<const TimeZone::Rules>& utc_rules() {
  static const std::shared_ptr<const TimeZone::Rules> r = make_rules("UTC", 0, {});
  return r;
}

}  // namespace
}  // namespace detail

TimeZone::TimeZone() : rules_(detail::utc_rules()) {}
TimeZone::TimeZone(std::shared_ptr<const Rules> rules) : rules_(std::move(rules)) {}
TimeZone::~TimeZone() = default;
TimeZone::TimeZone(const TimeZone&) = default;
TimeZone& TimeZone::operator=(const TimeZone&) = default;
TimeZone::TimeZone(TimeZone&&) noexcept = default;
TimeZone& TimeZone::operator=(TimeZone&&) noexcept = default;

TimeZone TimeZone::parse(std::string_view spec) {
  const std::string s(spec);
  if (s.empty()) throw Error::bad_option("time_zone", s, "empty time zone");
  const std::string dir = detail::zoneinfo_dir();
  std::string key = dir;
  key += '\0';
  key += s;
  detail::Cache& c = detail::cache();
  {
    std::lock_guard<std::mutex> lock(c.mu);
    if (auto it = c.zones.find(key); it != c.zones.end()) return TimeZone(it->second);
  }
  auto rules = detail::build(s, dir);  // outside the lock: may read a file
  std::lock_guard<std::mutex> lock(c.mu);
  if (c.zones.size() >= 1024) c.zones.clear();  // bound the memory a stream of odd specs can hold
  c.zones.emplace(std::move(key), rules);
  return TimeZone(std::move(rules));
}

TimeZone TimeZone::fixed(std::int32_t offset_seconds) {
  if (offset_seconds <= -86400 || offset_seconds >= 86400) {
    throw Error::bad_option("time_zone", std::to_string(offset_seconds), "offset must be within +-24 hours");
  }
  return TimeZone(detail::make_rules(detail::format_offset(offset_seconds), offset_seconds, {}));
}

const std::string& TimeZone::name() const { return rules_->name; }

std::int32_t TimeZone::offset_at(Timestamp t) const {
  const Rules& r = *rules_;
  if (r.at.size() == 1) return r.offset[0];
  return r.offset[detail::period_of(r, t.seconds)];
}

LocalDate TimeZone::local_date(Timestamp t) const {
  const std::int64_t local = t.seconds + offset_at(t);
  const std::int64_t day = local / 86400 - (local % 86400 < 0 ? 1 : 0);
  return LocalDate{static_cast<std::int32_t>(day)};
}

std::int32_t TimeZone::local_seconds_of_day(Timestamp t) const {
  const std::int64_t local = t.seconds + offset_at(t);
  const std::int64_t r = local % 86400;
  return static_cast<std::int32_t>(r < 0 ? r + 86400 : r);
}

Timestamp TimeZone::start_of_day(LocalDate d) const {
  return Timestamp{detail::local_to_utc(*rules_, std::int64_t{d.days} * 86400, true)};
}

Timestamp TimeZone::from_local(LocalDate d, std::int32_t seconds_of_day) const {
  return Timestamp{detail::local_to_utc(*rules_, std::int64_t{d.days} * 86400 + seconds_of_day, false)};
}

}  // namespace v1
}  // namespace dealstat
