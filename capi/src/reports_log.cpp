// The C ABI's account-wide reports: the summary (SPEC section 6), and the
// events list (section 8) with its event index handle, built once per
// dataset and shared by every page.
#include "entry_point.hpp"
#include "dealstat/reports/events_list.hpp"
#include "dealstat/reports/summary.hpp"
#include "dealstat/time/calendar.hpp"

namespace ds = dealstat;
namespace capi = dealstat::capi;

namespace {

// The summary's C++ options from the C struct (NULL = the defaults).
ds::SummaryOptions to_summary_options(const dealstat_summary_options* options) {
  const dealstat_summary_options defaults = DEALSTAT_SUMMARY_OPTIONS_INIT;
  const dealstat_summary_options& o = options != nullptr ? *options : defaults;
  capi::check_version("dealstat_summary_options", o.version, DEALSTAT_SUMMARY_OPTIONS_VERSION);
  ds::SummaryOptions so;
  so.filter = capi::to_filter(o.filter);
  if (o.bucket < DEALSTAT_BUCKET_DAY || o.bucket > DEALSTAT_BUCKET_YEAR) {
    throw ds::Error::bad_option("bucket", std::to_string(o.bucket), "expected a DEALSTAT_BUCKET_* value");
  }
  so.bucket = static_cast<ds::Bucket>(o.bucket);
  so.as_of = capi::to_as_of(o.as_of_s);
  so.threads = o.threads;
  return so;
}

// The events list's C++ options from the C struct (NULL = the defaults).
ds::EventsListOptions to_events_list_options(const dealstat_events_list_options* options) {
  const dealstat_events_list_options defaults = DEALSTAT_EVENTS_LIST_OPTIONS_INIT;
  const dealstat_events_list_options& o = options != nullptr ? *options : defaults;
  capi::check_version("dealstat_events_list_options", o.version, DEALSTAT_EVENTS_LIST_OPTIONS_VERSION);
  ds::EventsListOptions eo;
  if (o.from != nullptr) eo.period.from = ds::parse_date(o.from, "from");
  if (o.to != nullptr) eo.period.to = ds::parse_date(o.to, "to");
  if (o.entity_type != nullptr) eo.entity_type = o.entity_type;
  if (o.entity_id != DEALSTAT_NO_ID) eo.entity_id = o.entity_id;
  if (o.contact_id != DEALSTAT_NO_ID) eo.contact_id = o.contact_id;
  if (o.company_id != DEALSTAT_NO_ID) eo.company_id = o.company_id;
  if (o.user_count > 0 && o.users == nullptr) {
    throw ds::Error::bad_option("users", std::to_string(o.user_count) + " items",
                                "the list is NULL but its count is not 0");
  }
  if (o.user_count > 0) eo.users.assign(o.users, o.users + o.user_count);
  if (o.type_count > 0 && o.types == nullptr) {
    throw ds::Error::bad_option("types", std::to_string(o.type_count) + " items",
                                "the list is NULL but its count is not 0");
  }
  eo.types.reserve(o.type_count);
  for (std::size_t i = 0; i < o.type_count; ++i) {
    if (o.types[i] == nullptr) throw ds::Error::bad_option("types", "NULL", "item " + std::to_string(i) + " is NULL");
    eo.types.emplace_back(o.types[i]);
  }
  eo.limit = o.limit;
  if (o.cursor != nullptr) eo.cursor = o.cursor;
  eo.count_total = o.count_total != 0;
  return eo;
}

}  // namespace

extern "C" {

dealstat_status dealstat_summary(dealstat_dataset dataset, const dealstat_summary_options* options,
                                 dealstat_result* out) {
  DEALSTAT_C_BEGIN
  capi::run_report("dealstat_summary", dataset, options, out, to_summary_options, ds::summary);
  DEALSTAT_C_END
}

dealstat_status dealstat_event_index_create(dealstat_dataset dataset, uint32_t threads, dealstat_event_index* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_event_index_create", "out");
  *out = nullptr;
  const ds::Dataset& d = capi::dataset_of(dataset, "dealstat_event_index_create");
  auto h = std::make_unique<dealstat_event_index_s>();
  h->dataset = dataset->dataset;
  h->index = ds::EventIndex::build(d, threads);
  *out = h.release();
  DEALSTAT_C_END
}

void dealstat_event_index_destroy(dealstat_event_index* index) {
  if (index == nullptr) return;
  delete *index;
  *index = nullptr;
}

int64_t dealstat_event_index_event_count(dealstat_event_index index) {
  return index == nullptr ? 0 : static_cast<int64_t>(index->index.size());
}

dealstat_status dealstat_events_list(dealstat_dataset dataset, dealstat_event_index index,
                                     const dealstat_events_list_options* options, dealstat_result* out) {
  DEALSTAT_C_BEGIN
  capi::run_report("dealstat_events_list", dataset, options, out, to_events_list_options,
                   [dataset, index](const ds::Dataset& d, const ds::EventsListOptions& o) {
                     if (index == nullptr) return ds::events_list(d, o);
                     capi::check_same_dataset(dataset, index->dataset, "index",
                                              std::to_string(index->index.size()) + " events");
                     return ds::events_list(d, index->index, o);
                   });
  DEALSTAT_C_END
}

}  // extern "C"
