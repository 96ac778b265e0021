// The C ABI's datasets: loading one from files (CSV directory, mapped CSV
// export, amoCRM export) or from the sample generator, building one from
// columns (arrays or Arrow streams), and the problems a lenient load lists.
#include <cstring>
#include <string>
#include <utility>

#include "capi_internal.hpp"
#include "dealstat/io/amocrm.hpp"
#include "dealstat/io/csv_directory.hpp"
#include "dealstat/io/mapping.hpp"
#include "dealstat/io/sample_generator.hpp"
#include "dealstat/time/time_zone.hpp"

namespace dealstat {
inline namespace v1 {
namespace capi {
namespace {

ValidationPolicy to_policy(std::int32_t v) {
  switch (v) {
    case DEALSTAT_VALIDATION_STRICT: return ValidationPolicy::strict;
    case DEALSTAT_VALIDATION_LENIENT: return ValidationPolicy::lenient;
    default: throw Error::bad_option("validation", std::to_string(v), "expected DEALSTAT_VALIDATION_STRICT or _LENIENT");
  }
}

ValidationPolicy load_policy(const dealstat_load_options* o) {
  if (o == nullptr) return ValidationPolicy::strict;
  check_version("dealstat_load_options", o->version, DEALSTAT_LOAD_OPTIONS_VERSION);
  return to_policy(o->validation);
}

dealstat_dataset make_dataset(BuildResult r) {
  auto h = std::make_unique<dealstat_dataset_s>();
  h->dataset = std::move(r.dataset);
  h->problems = std::move(r.problems);
  h->problem_texts.reserve(h->problems.size());
  for (const Problem& p : h->problems) h->problem_texts.push_back(p.to_string());
  return h.release();
}

dealstat_builder_s& builder_of(dealstat_builder b, const char* function) {
  if (b == nullptr) null_argument(function, "builder");
  return *b;
}

// Span over an optional column: empty when the pointer is NULL.
std::span<const std::int64_t> col(const std::int64_t* p, std::int64_t n) {
  return p == nullptr ? std::span<const std::int64_t>{} : std::span<const std::int64_t>(p, static_cast<std::size_t>(n));
}

// Column `name` of an imported Arrow table as int64 with nulls as `none`; empty when absent.
std::vector<std::int64_t> arrow_ints(const ResultTable& t, const char* name, std::int64_t none) {
  for (const ResultColumn& c : t.columns) {
    if (c.name != name) continue;
    if (c.type() != ColumnType::int64) {
      throw Error(ErrorCode::invalid_data, Problem{t.name, 0, name, "", "expected an integer column"});
    }
    std::vector<std::int64_t> v = std::get<0>(c.values);
    for (std::size_t i = 0; i < c.valid.size(); ++i) {
      if (c.valid[i] == 0) v[i] = none;
    }
    return v;
  }
  return {};
}

void require(const ResultTable& t, const std::vector<std::int64_t>& v, const char* name) {
  if (v.empty() && t.rows() > 0) {
    throw Error(ErrorCode::invalid_data, Problem{t.name, 0, name, "", "required column is missing"});
  }
}

}  // namespace

const Dataset& dataset_of(dealstat_dataset ds, const char* function) {
  if (ds == nullptr) null_argument(function, "dataset");
  return *ds->dataset;
}

}  // namespace capi
}  // namespace v1
}  // namespace dealstat

namespace ds = dealstat;
namespace capi = dealstat::capi;

extern "C" {

dealstat_status dealstat_load_csv_directory(const char* dir, const char* mapping_path,
                                            const dealstat_load_options* options, dealstat_dataset* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_load_csv_directory", "out");
  *out = nullptr;
  if (dir == nullptr) capi::null_argument("dealstat_load_csv_directory", "dir");
  const ds::ValidationPolicy policy = capi::load_policy(options);
  *out = capi::make_dataset(mapping_path == nullptr ? ds::load_csv_directory(dir, policy)
                                                    : ds::load_mapped_export(dir, mapping_path, policy));
  DEALSTAT_C_END
}

dealstat_status dealstat_load_amocrm(const char* dir, const dealstat_load_options* options, dealstat_dataset* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_load_amocrm", "out");
  *out = nullptr;
  if (dir == nullptr) capi::null_argument("dealstat_load_amocrm", "dir");
  *out = capi::make_dataset(ds::import_amocrm(dir, capi::load_policy(options)));
  DEALSTAT_C_END
}

dealstat_status dealstat_make_sample(const dealstat_sample_options* options, dealstat_dataset* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_make_sample", "out");
  *out = nullptr;
  ds::SampleOptions o;
  if (options != nullptr) {
    capi::check_version("dealstat_sample_options", options->version, DEALSTAT_SAMPLE_OPTIONS_VERSION);
    o.deals = options->deals;
    o.seed = options->seed;
    o.start_s = options->start_s;
    o.end_s = options->end_s;
    if (options->time_zone != nullptr) o.time_zone = options->time_zone;
    o.events = options->events != 0;
  }
  if (o.deals < 0) throw ds::Error::bad_option("deals", std::to_string(o.deals), "must not be negative");
  if (o.end_s <= o.start_s) throw ds::Error::bad_option("end_s", std::to_string(o.end_s), "must be after start_s");
  *out = capi::make_dataset(ds::BuildResult{ds::make_sample(o), {}});
  DEALSTAT_C_END
}

void dealstat_dataset_destroy(dealstat_dataset* dataset) {
  if (dataset == nullptr) return;
  delete *dataset;
  *dataset = nullptr;
}

int64_t dealstat_dataset_deal_count(dealstat_dataset dataset) {
  return dataset == nullptr ? 0 : static_cast<int64_t>(dataset->dataset->deals().size());
}

int64_t dealstat_dataset_problem_count(dealstat_dataset dataset) {
  return dataset == nullptr ? 0 : static_cast<int64_t>(dataset->problems.size());
}

const char* dealstat_dataset_problem_text(dealstat_dataset dataset, int64_t i) {
  if (dataset == nullptr || i < 0 || i >= static_cast<int64_t>(dataset->problem_texts.size())) return nullptr;
  return dataset->problem_texts[static_cast<std::size_t>(i)].c_str();
}

dealstat_status dealstat_dataset_problems(dealstat_dataset dataset, dealstat_result* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_dataset_problems", "out");
  *out = nullptr;
  if (dataset == nullptr) capi::null_argument("dealstat_dataset_problems", "dataset");
  std::vector<std::string> source, field, value, message;
  std::vector<std::int64_t> row;
  for (const ds::Problem& p : dataset->problems) {
    source.push_back(p.source);
    row.push_back(p.row);
    field.push_back(p.field);
    value.push_back(p.value);
    message.push_back(p.message);
  }
  ds::ResultTable t;
  t.name = "problems";
  t.add("source", std::move(source)).add("row", std::move(row)).add("field", std::move(field));
  t.add("value", std::move(value)).add("message", std::move(message));
  std::vector<ds::ResultTable> tables;
  tables.push_back(std::move(t));
  *out = capi::make_result(std::move(tables));
  DEALSTAT_C_END
}

dealstat_status dealstat_builder_create(dealstat_builder* out) {
  DEALSTAT_C_BEGIN
  if (out == nullptr) capi::null_argument("dealstat_builder_create", "out");
  *out = nullptr;
  *out = new dealstat_builder_s{};
  DEALSTAT_C_END
}

void dealstat_builder_destroy(dealstat_builder* builder) {
  if (builder == nullptr) return;
  delete *builder;
  *builder = nullptr;
}

dealstat_status dealstat_builder_set_time_zone(dealstat_builder builder, const char* time_zone) {
  DEALSTAT_C_BEGIN
  auto& b = capi::builder_of(builder, "dealstat_builder_set_time_zone");
  if (time_zone == nullptr) capi::null_argument("dealstat_builder_set_time_zone", "time_zone");
  ds::Account a;
  a.time_zone = ds::TimeZone::parse(time_zone);
  b.builder.set_account(std::move(a));
  DEALSTAT_C_END
}

dealstat_status dealstat_builder_add_user(dealstat_builder builder, int64_t id, const char* name, const char* group) {
  DEALSTAT_C_BEGIN
  auto& b = capi::builder_of(builder, "dealstat_builder_add_user");
  b.builder.add_user(ds::UserRow{ds::UserId{id}, name ? name : "", group ? group : ""});
  DEALSTAT_C_END
}

dealstat_status dealstat_builder_add_pipeline(dealstat_builder builder, int64_t id, const char* name) {
  DEALSTAT_C_BEGIN
  auto& b = capi::builder_of(builder, "dealstat_builder_add_pipeline");
  b.builder.add_pipeline(ds::PipelineRow{ds::PipelineId{id}, name ? name : ""});
  DEALSTAT_C_END
}

dealstat_status dealstat_builder_add_stage(dealstat_builder builder, int64_t pipeline_id, int64_t stage_id,
                                           const char* name, int32_t sort, int32_t kind) {
  DEALSTAT_C_BEGIN
  auto& b = capi::builder_of(builder, "dealstat_builder_add_stage");
  if (kind < DEALSTAT_STAGE_UNSORTED || kind > DEALSTAT_STAGE_LOST) {
    throw ds::Error::bad_option("kind", std::to_string(kind), "expected a DEALSTAT_STAGE_* value");
  }
  b.builder.add_stage(ds::StageRow{ds::PipelineId{pipeline_id}, ds::StageId{stage_id}, name ? name : "", sort,
                                   static_cast<ds::StageKind>(kind)});
  DEALSTAT_C_END
}

dealstat_status dealstat_builder_add_deal_columns(dealstat_builder builder, const dealstat_deal_columns* c) {
  DEALSTAT_C_BEGIN
  auto& b = capi::builder_of(builder, "dealstat_builder_add_deal_columns");
  if (c == nullptr) capi::null_argument("dealstat_builder_add_deal_columns", "columns");
  capi::check_version("dealstat_deal_columns", c->version, DEALSTAT_DEAL_COLUMNS_VERSION);
  if (c->length < 0) throw ds::Error::bad_option("length", std::to_string(c->length), "must not be negative");
  const char* required[] = {"id", "pipeline_id", "stage_id", "created_at"};
  const int64_t* ptrs[] = {c->id, c->pipeline_id, c->stage_id, c->created_at};
  for (int i = 0; i < 4; ++i) {
    if (ptrs[i] == nullptr && c->length > 0) {
      throw ds::Error(ds::ErrorCode::invalid_data,
                      ds::Problem{"columns:deals", 0, required[i], "", "required column is NULL"});
    }
  }
  const int64_t n = c->length;
  b.builder.add_deal_columns(ds::DealColumns{capi::col(c->id, n), capi::col(c->pipeline_id, n),
                                             capi::col(c->stage_id, n), capi::col(c->created_at, n),
                                             capi::col(c->closed_at, n), capi::col(c->budget_minor, n),
                                             capi::col(c->responsible_id, n)});
  DEALSTAT_C_END
}

dealstat_status dealstat_builder_add_stage_change_columns(dealstat_builder builder,
                                                          const dealstat_stage_change_columns* c) {
  DEALSTAT_C_BEGIN
  auto& b = capi::builder_of(builder, "dealstat_builder_add_stage_change_columns");
  if (c == nullptr) capi::null_argument("dealstat_builder_add_stage_change_columns", "columns");
  capi::check_version("dealstat_stage_change_columns", c->version, DEALSTAT_STAGE_CHANGE_COLUMNS_VERSION);
  if (c->length < 0) throw ds::Error::bad_option("length", std::to_string(c->length), "must not be negative");
  const char* required[] = {"deal_id", "at", "to_stage_id"};
  const int64_t* ptrs[] = {c->deal_id, c->at, c->to_stage_id};
  for (int i = 0; i < 3; ++i) {
    if (ptrs[i] == nullptr && c->length > 0) {
      throw ds::Error(ds::ErrorCode::invalid_data,
                      ds::Problem{"columns:stage_changes", 0, required[i], "", "required column is NULL"});
    }
  }
  const int64_t n = c->length;
  b.builder.add_stage_change_columns(ds::StageChangeColumns{capi::col(c->deal_id, n), capi::col(c->at, n),
                                                            capi::col(c->from_stage_id, n),
                                                            capi::col(c->to_stage_id, n),
                                                            capi::col(c->to_pipeline_id, n),
                                                            capi::col(c->by_user_id, n)});
  DEALSTAT_C_END
}

dealstat_status dealstat_builder_add_deals_arrow(dealstat_builder builder, struct ArrowArrayStream* stream) {
  DEALSTAT_C_BEGIN
  if (builder == nullptr) {
    if (stream != nullptr && stream->release != nullptr) stream->release(stream);  // consumed on failure too
    capi::null_argument("dealstat_builder_add_deals_arrow", "builder");
  }
  if (stream == nullptr) capi::null_argument("dealstat_builder_add_deals_arrow", "stream");
  const ds::ResultTable t = ds::import_arrow_stream(stream, "arrow:deals");
  const auto id = capi::arrow_ints(t, "id", ds::kNoId), pipeline = capi::arrow_ints(t, "pipeline_id", ds::kNoId),
             stage = capi::arrow_ints(t, "stage_id", ds::kNoId), created = capi::arrow_ints(t, "created_at", ds::kNoTime),
             closed = capi::arrow_ints(t, "closed_at", ds::kNoTime),
             budget = capi::arrow_ints(t, "budget_minor", ds::kNoId),
             responsible = capi::arrow_ints(t, "responsible_id", ds::kNoId);
  capi::require(t, id, "id");
  capi::require(t, pipeline, "pipeline_id");
  capi::require(t, stage, "stage_id");
  capi::require(t, created, "created_at");
  for (std::size_t i = 0; i < budget.size(); ++i) {
    if (budget[i] == ds::kNoId) {
      throw ds::Error(ds::ErrorCode::invalid_data,
                      ds::Problem{t.name, static_cast<std::int64_t>(i) + 1, "budget_minor", "null",
                                  "a budget must not be null (leave the column out for none)"});
    }
  }
  builder->builder.add_deal_columns(ds::DealColumns{id, pipeline, stage, created, closed, budget, responsible});
  DEALSTAT_C_END
}

dealstat_status dealstat_builder_add_stage_changes_arrow(dealstat_builder builder, struct ArrowArrayStream* stream) {
  DEALSTAT_C_BEGIN
  if (builder == nullptr) {
    if (stream != nullptr && stream->release != nullptr) stream->release(stream);
    capi::null_argument("dealstat_builder_add_stage_changes_arrow", "builder");
  }
  if (stream == nullptr) capi::null_argument("dealstat_builder_add_stage_changes_arrow", "stream");
  const ds::ResultTable t = ds::import_arrow_stream(stream, "arrow:stage_changes");
  const auto deal = capi::arrow_ints(t, "deal_id", ds::kNoId), at = capi::arrow_ints(t, "at", ds::kNoTime),
             from = capi::arrow_ints(t, "from_stage_id", ds::kNoId), to = capi::arrow_ints(t, "to_stage_id", ds::kNoId),
             to_pipeline = capi::arrow_ints(t, "to_pipeline_id", ds::kNoId),
             by = capi::arrow_ints(t, "by_user_id", ds::kNoId);
  capi::require(t, deal, "deal_id");
  capi::require(t, at, "at");
  capi::require(t, to, "to_stage_id");
  builder->builder.add_stage_change_columns(ds::StageChangeColumns{deal, at, from, to, to_pipeline, by});
  DEALSTAT_C_END
}

dealstat_status dealstat_builder_build(dealstat_builder* builder, int32_t validation, dealstat_dataset* out) {
  DEALSTAT_C_BEGIN
  if (out != nullptr) *out = nullptr;
  if (builder == nullptr || *builder == nullptr) capi::null_argument("dealstat_builder_build", "builder");
  std::unique_ptr<dealstat_builder_s> b(*builder);  // consumed whatever happens
  *builder = nullptr;
  if (out == nullptr) capi::null_argument("dealstat_builder_build", "out");
  const ds::ValidationPolicy policy = capi::to_policy(validation);
  *out = capi::make_dataset(std::move(b->builder).build(policy));
  DEALSTAT_C_END
}

}  // extern "C"
