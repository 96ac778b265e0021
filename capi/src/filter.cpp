// The C ABI's common filter (SPEC section 2): dealstat_filter to DealFilter,
// with every enum value and date checked and a bad one named in the error.
#include "capi_internal.hpp"
#include "dealstat/time/calendar.hpp"

namespace dealstat {
inline namespace v1 {
namespace capi {
namespace {

std::vector<std::string> strings(const char* const* p, std::size_t n, const char* option) {
  std::vector<std::string> out;
  if (n > 0 && p == nullptr) {
    throw Error::bad_option(option, std::to_string(n) + " items", "the list is NULL but its count is not 0");
  }
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] == nullptr) throw Error::bad_option(option, "NULL", "item " + std::to_string(i) + " is NULL");
    out.emplace_back(p[i]);
  }
  return out;
}

}  // namespace

DealFilter to_filter(const dealstat_filter& f) {
  check_version("dealstat_filter", f.version, DEALSTAT_FILTER_VERSION);
  DealFilter out;
  if (f.from != nullptr) out.period.from = parse_date(f.from, "from");
  if (f.to != nullptr) out.period.to = parse_date(f.to, "to");
  if (f.pipeline != nullptr) out.pipeline = f.pipeline;
  if (f.user_count > 0 && f.users == nullptr) {
    throw Error::bad_option("users", std::to_string(f.user_count) + " items", "the list is NULL but its count is not 0");
  }
  if (f.user_count > 0) out.users.assign(f.users, f.users + f.user_count);
  out.groups = strings(f.groups, f.group_count, "groups");
  out.tags = strings(f.tags, f.tag_count, "tags");
  out.channels = strings(f.channels, f.channel_count, "channels");
  if (f.status < DEALSTAT_STATUS_ALL || f.status > DEALSTAT_STATUS_LOST) {
    throw Error::bad_option("status", std::to_string(f.status), "expected a DEALSTAT_STATUS_* value");
  }
  out.status = static_cast<StatusFilter>(f.status);
  if (f.date_basis < DEALSTAT_DATE_BASIS_AUTO || f.date_basis > DEALSTAT_DATE_BASIS_CLOSED) {
    throw Error::bad_option("date_basis", std::to_string(f.date_basis), "expected a DEALSTAT_DATE_BASIS_* value");
  }
  out.date_basis = static_cast<DateBasis>(f.date_basis);
  return out;
}

std::optional<Timestamp> to_as_of(std::int64_t s) {
  if (s == DEALSTAT_NO_TIME) return std::nullopt;
  return Timestamp{s};
}

}  // namespace capi
}  // namespace v1
}  // namespace dealstat
