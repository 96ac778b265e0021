// The C ABI's mergeable partial reports (dealstat_partial_*): a handle owns a
// ReportPartial; bytes go out in a malloc'ed buffer the caller frees.
#include <cstdlib>
#include <cstring>
#include <limits>

#include "entry_point.hpp"
#include "report_options.hpp"
#include "dealstat/reports/partial.hpp"

namespace ds = dealstat;
namespace capi = dealstat::capi;

//! A partial handle.
struct dealstat_partial_s {
  ds::ReportPartial partial;  //!< the state
};

namespace {

ds::ReportPartial& partial_of(dealstat_partial p, const char* function) {
  if (p == nullptr) capi::null_argument(function, "partial");
  return p->partial;
}

// A dealstat_partial_<report> entry point: *out = a new handle over the report's empty partial for the
// converted options and the optional bounds.
template <class COptions, class Convert>
void make_partial(const char* function, dealstat_dataset dataset, const COptions* options,
                  const dealstat_partial_bounds* b, dealstat_partial* out, Convert&& convert) {
  capi::make_handle(function, dataset, options, out, convert, [b](const ds::Dataset& d, const ds::ReportOptions& o) {
    return new dealstat_partial_s{b != nullptr ? ds::ReportPartial::make(d, o, ds::PartialBounds{b->last, b->first})
                                               : ds::ReportPartial::make(d, o)};
  });
}

void check_range(const char* option, std::int32_t v, std::int32_t lo, std::int32_t hi, const char* expected) {
  if (v < lo || v > hi) throw ds::Error::bad_option(option, std::to_string(v), expected);
}

}  // namespace

extern "C" {

dealstat_status dealstat_partial_bounds_of(dealstat_dataset dataset, int32_t kind, dealstat_partial_bounds* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_partial_bounds_of", "out");
  const ds::Dataset& d = capi::dataset_of(dataset, "dealstat_partial_bounds_of");
  check_range("kind", kind, DEALSTAT_REPORT_FUNNEL, DEALSTAT_REPORT_FORECAST, "expected a DEALSTAT_REPORT_* value");
  const auto b = ds::ReportPartial::bounds(static_cast<ds::ReportKind>(kind), d);
  out->last = b.last;
  out->first = b.first;
  DEALSTAT_C_END
}

dealstat_status dealstat_partial_funnel(dealstat_dataset dataset, const dealstat_funnel_options* options,
                                        const dealstat_partial_bounds* bounds, dealstat_partial* out) {
  DEALSTAT_C_BEGIN
  make_partial("dealstat_partial_funnel", dataset, options, bounds, out, capi::to_funnel_options);
  DEALSTAT_C_END
}

dealstat_status dealstat_partial_stage_time(dealstat_dataset dataset, const dealstat_stage_time_options* options,
                                            const dealstat_partial_bounds* bounds, dealstat_partial* out) {
  DEALSTAT_C_BEGIN
  make_partial("dealstat_partial_stage_time", dataset, options, bounds, out, capi::to_stage_time_options);
  DEALSTAT_C_END
}

dealstat_status dealstat_partial_movement(dealstat_dataset dataset, const dealstat_movement_options* options,
                                          const dealstat_partial_bounds* bounds, dealstat_partial* out) {
  DEALSTAT_C_BEGIN
  make_partial("dealstat_partial_movement", dataset, options, bounds, out, capi::to_movement_options);
  DEALSTAT_C_END
}

dealstat_status dealstat_partial_employees(dealstat_dataset dataset, const dealstat_employees_options* options,
                                           const dealstat_partial_bounds* bounds, dealstat_partial* out) {
  DEALSTAT_C_BEGIN
  make_partial("dealstat_partial_employees", dataset, options, bounds, out, capi::to_employees_options);
  DEALSTAT_C_END
}

dealstat_status dealstat_partial_unsorted(dealstat_dataset dataset, const dealstat_unsorted_options* options,
                                          const dealstat_partial_bounds* bounds, dealstat_partial* out) {
  DEALSTAT_C_BEGIN
  make_partial("dealstat_partial_unsorted", dataset, options, bounds, out, capi::to_unsorted_options);
  DEALSTAT_C_END
}

dealstat_status dealstat_partial_summary(dealstat_dataset dataset, const dealstat_filter* filter, int64_t as_of_s,
                                         int32_t bucket, const dealstat_partial_bounds* bounds, dealstat_partial* out) {
  DEALSTAT_C_BEGIN
  make_partial("dealstat_partial_summary", dataset, filter, bounds, out, [&](const dealstat_filter* f) {
    ds::SummaryOptions so;
    if (f != nullptr) so.filter = capi::to_filter(*f);
    so.as_of = capi::to_as_of(as_of_s);
    check_range("bucket", bucket, DEALSTAT_BUCKET_DAY, DEALSTAT_BUCKET_YEAR, "expected a DEALSTAT_BUCKET_* value");
    so.bucket = static_cast<ds::Bucket>(bucket);
    return so;
  });
  DEALSTAT_C_END
}

dealstat_status dealstat_partial_forecast(dealstat_dataset dataset, const dealstat_forecast_options* options,
                                          const dealstat_partial_bounds* bounds, dealstat_partial* out) {
  DEALSTAT_C_BEGIN
  make_partial("dealstat_partial_forecast", dataset, options, bounds, out, capi::to_forecast_options);
  DEALSTAT_C_END
}

dealstat_status dealstat_partial_accumulate(dealstat_partial partial, dealstat_dataset dataset, uint32_t threads) {
  DEALSTAT_C_BEGIN
  ds::ReportPartial& p = partial_of(partial, "dealstat_partial_accumulate");
  p.accumulate(capi::dataset_of(dataset, "dealstat_partial_accumulate"), threads);
  DEALSTAT_C_END
}

uint64_t dealstat_partial_rows(dealstat_partial partial, dealstat_dataset dataset) {
  if (partial == nullptr || dataset == nullptr) return 0;
  return static_cast<uint64_t>(partial->partial.rows(*dataset->dataset));
}

dealstat_status dealstat_partial_accumulate_rows(dealstat_partial partial, dealstat_dataset dataset, uint64_t begin,
                                                 uint64_t end) {
  DEALSTAT_C_BEGIN
  ds::ReportPartial& p = partial_of(partial, "dealstat_partial_accumulate_rows");
  p.accumulate(capi::dataset_of(dataset, "dealstat_partial_accumulate_rows"), static_cast<std::size_t>(begin),
               static_cast<std::size_t>(end));
  DEALSTAT_C_END
}

dealstat_status dealstat_partial_merge(dealstat_partial into, dealstat_partial other) {
  DEALSTAT_C_BEGIN
  if (into == nullptr) capi::null_argument("dealstat_partial_merge", "into");
  if (other == nullptr) capi::null_argument("dealstat_partial_merge", "other");
  into->partial.merge(other->partial);
  DEALSTAT_C_END
}

dealstat_status dealstat_partial_serialize(dealstat_partial partial, uint8_t** out_bytes, size_t* out_size) {
  DEALSTAT_C_BEGIN
  if (out_bytes == nullptr) capi::null_argument("dealstat_partial_serialize", "out_bytes");
  if (out_size == nullptr) capi::null_argument("dealstat_partial_serialize", "out_size");
  *out_bytes = nullptr;
  *out_size = 0;
  const auto bytes = partial_of(partial, "dealstat_partial_serialize").serialize();
  auto* buf = static_cast<uint8_t*>(std::malloc(bytes.size() == 0 ? 1 : bytes.size()));
  if (buf == nullptr) throw std::bad_alloc();
  std::memcpy(buf, bytes.data(), bytes.size());
  *out_bytes = buf;
  *out_size = bytes.size();
  DEALSTAT_C_END
}

void dealstat_bytes_free(uint8_t* bytes) { std::free(bytes); }

dealstat_status dealstat_partial_deserialize(const uint8_t* bytes, size_t size, dealstat_partial* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_partial_deserialize", "out");
  *out = nullptr;
  if (bytes == nullptr && size > 0) capi::null_argument("dealstat_partial_deserialize", "bytes");
  *out = new dealstat_partial_s{ds::ReportPartial::deserialize(std::span<const std::uint8_t>(bytes, size))};
  DEALSTAT_C_END
}

dealstat_status dealstat_partial_finalize(dealstat_partial partial, dealstat_dataset entities, dealstat_result* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_partial_finalize", "out");
  *out = nullptr;
  const ds::ReportPartial& p = partial_of(partial, "dealstat_partial_finalize");
  *out = capi::make_result(ds::result_tables(p.finalize(capi::dataset_of(entities, "dealstat_partial_finalize"))));
  DEALSTAT_C_END
}

int32_t dealstat_partial_kind(dealstat_partial partial) {
  return partial == nullptr ? 0 : static_cast<int32_t>(partial->partial.kind());
}

void dealstat_partial_destroy(dealstat_partial* partial) {
  if (partial == nullptr) return;
  delete *partial;
  *partial = nullptr;
}

}  // extern "C"
