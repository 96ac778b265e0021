// The C ABI's result handle: a report's tables laid out once in Arrow's
// format, read column by column through typed pointers, or handed out as an
// Arrow C stream that shares (and keeps alive) the same buffers.
#include <cstring>

#include "capi_internal.hpp"

namespace dealstat {
inline namespace v1 {
namespace capi {
namespace {

const ArrowTable* table_at(dealstat_result r, std::int64_t t) {
  if (r == nullptr || t < 0 || t >= static_cast<std::int64_t>(r->tables.size())) return nullptr;
  return r->tables[static_cast<std::size_t>(t)].get();
}

const ArrowColumn* column_at(dealstat_result r, std::int64_t t, std::int64_t c) {
  const ArrowTable* tab = table_at(r, t);
  if (tab == nullptr || c < 0 || c >= static_cast<std::int64_t>(tab->columns.size())) return nullptr;
  return &tab->columns[static_cast<std::size_t>(c)];
}

}  // namespace

dealstat_result make_result(std::vector<ResultTable> tables) {
  auto r = std::make_unique<dealstat_result_s>();
  r->tables.reserve(tables.size());
  for (ResultTable& t : tables) r->tables.push_back(ArrowTable::make(std::move(t)));
  return r.release();
}

}  // namespace capi
}  // namespace v1
}  // namespace dealstat

namespace capi = dealstat::capi;

extern "C" {

void dealstat_result_destroy(dealstat_result* result) {
  if (result == nullptr) return;
  delete *result;
  *result = nullptr;
}

int64_t dealstat_result_table_count(dealstat_result result) {
  return result == nullptr ? 0 : static_cast<int64_t>(result->tables.size());
}

const char* dealstat_result_table_name(dealstat_result result, int64_t t) {
  const auto* tab = capi::table_at(result, t);
  return tab == nullptr ? nullptr : tab->name.c_str();
}

int64_t dealstat_result_table_index(dealstat_result result, const char* name) {
  if (result == nullptr || name == nullptr) return -1;
  for (std::size_t i = 0; i < result->tables.size(); ++i) {
    if (result->tables[i]->name == name) return static_cast<int64_t>(i);
  }
  return -1;
}

int64_t dealstat_result_row_count(dealstat_result result, int64_t t) {
  const auto* tab = capi::table_at(result, t);
  return tab == nullptr ? 0 : tab->rows;
}

int64_t dealstat_result_column_count(dealstat_result result, int64_t t) {
  const auto* tab = capi::table_at(result, t);
  return tab == nullptr ? 0 : static_cast<int64_t>(tab->columns.size());
}

const char* dealstat_result_column_name(dealstat_result result, int64_t t, int64_t c) {
  const auto* col = capi::column_at(result, t, c);
  return col == nullptr ? nullptr : col->name.c_str();
}

int64_t dealstat_result_column_index(dealstat_result result, int64_t t, const char* name) {
  const auto* tab = capi::table_at(result, t);
  if (tab == nullptr || name == nullptr) return -1;
  for (std::size_t i = 0; i < tab->columns.size(); ++i) {
    if (tab->columns[i].name == name) return static_cast<int64_t>(i);
  }
  return -1;
}

dealstat_column_type dealstat_result_column_type(dealstat_result result, int64_t t, int64_t c) {
  const auto* col = capi::column_at(result, t, c);
  return col == nullptr ? DEALSTAT_TYPE_INVALID : static_cast<dealstat_column_type>(col->type);
}

const int64_t* dealstat_result_column_int64(dealstat_result result, int64_t t, int64_t c) {
  const auto* col = capi::column_at(result, t, c);
  if (col == nullptr || col->type != dealstat::ColumnType::int64 || col->ints.empty()) return nullptr;
  return col->ints.data();
}

const double* dealstat_result_column_float64(dealstat_result result, int64_t t, int64_t c) {
  const auto* col = capi::column_at(result, t, c);
  if (col == nullptr || col->type != dealstat::ColumnType::float64 || col->doubles.empty()) return nullptr;
  return col->doubles.data();
}

const int64_t* dealstat_result_column_string_offsets(dealstat_result result, int64_t t, int64_t c) {
  const auto* col = capi::column_at(result, t, c);
  if (col == nullptr || col->type != dealstat::ColumnType::string) return nullptr;
  return col->offsets.data();
}

const char* dealstat_result_column_string_data(dealstat_result result, int64_t t, int64_t c) {
  const auto* col = capi::column_at(result, t, c);
  if (col == nullptr || col->type != dealstat::ColumnType::string) return nullptr;
  return col->bytes.data();
}

const uint8_t* dealstat_result_column_validity(dealstat_result result, int64_t t, int64_t c) {
  const auto* col = capi::column_at(result, t, c);
  if (col == nullptr || col->null_count == 0) return nullptr;
  return col->validity.data();
}

int64_t dealstat_result_column_null_count(dealstat_result result, int64_t t, int64_t c) {
  const auto* col = capi::column_at(result, t, c);
  return col == nullptr ? 0 : col->null_count;
}

dealstat_status dealstat_result_export_arrow(dealstat_result result, int64_t t, struct ArrowArrayStream* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_result_export_arrow", "out");
  std::memset(out, 0, sizeof(*out));
  if (result == nullptr) capi::null_argument("dealstat_result_export_arrow", "result");
  if (capi::table_at(result, t) == nullptr) {
    throw capi::StatusError{DEALSTAT_ERROR_OUT_OF_RANGE, "dealstat_result_export_arrow: table " + std::to_string(t) +
                                                             " out of range (the result has " +
                                                             std::to_string(result->tables.size()) + ")"};
  }
  dealstat::export_arrow_stream(result->tables[static_cast<std::size_t>(t)], out);
  DEALSTAT_C_END
}

}  // extern "C"
