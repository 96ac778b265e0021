/* Tests of the C API, compiled as C99: every report, NULL handles, double
 * destroy, the lifetime of borrowed pointers, bad input through every loader
 * and bad options, each failure checked for its status and its detail.
 * Run one case with `capi_test <case>` (CTest registers each as c.<case>). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capi_test_util.h"

/* ---- version ---- */
static void test_version(void) {
  char expected[32];
  CHECK(dealstat_version_number() == DEALSTAT_VERSION_NUMBER);
  CHECK(DEALSTAT_VERSION_NUMBER == DEALSTAT_VERSION_MAJOR * 10000 + DEALSTAT_VERSION_MINOR * 100 + DEALSTAT_VERSION_PATCH);
  snprintf(expected, sizeof expected, "%d.%d.%d", DEALSTAT_VERSION_MAJOR, DEALSTAT_VERSION_MINOR, DEALSTAT_VERSION_PATCH);
  CHECK_STR(dealstat_version_string(), expected);
  CHECK_STR(dealstat_status_name(DEALSTAT_ERROR_IO), "DEALSTAT_ERROR_IO");
  CHECK_STR(dealstat_status_name((dealstat_status)1000), "DEALSTAT_UNKNOWN");
  /* The values are a stable ABI: they must never change. */
  CHECK(DEALSTAT_ERROR_INVALID_DATA == 1 && DEALSTAT_ERROR_INVALID_OPTION == 2 && DEALSTAT_ERROR_IO == 3);
  CHECK(DEALSTAT_ERROR_PARSE == 4 && DEALSTAT_ERROR_UNSUPPORTED_VERSION == 5 && DEALSTAT_ERROR_INTERNAL == 6);
  CHECK(DEALSTAT_ERROR_OUT_OF_MEMORY == 7 && DEALSTAT_ERROR_NULL_ARGUMENT == 8 && DEALSTAT_ERROR_OUT_OF_RANGE == 9);
}

/* Checks a result's shape: table names in order, each column readable through its typed accessor only. */
static void check_tables(dealstat_result r, const char* const* names, int64_t n) {
  int64_t t, c;
  CHECK(dealstat_result_table_count(r) == n);
  for (t = 0; t < n; ++t) {
    CHECK_STR(dealstat_result_table_name(r, t), names[t]);
    CHECK(dealstat_result_table_index(r, names[t]) == t);
    CHECK(dealstat_result_column_count(r, t) > 0);
    for (c = 0; c < dealstat_result_column_count(r, t); ++c) {
      const char* name = dealstat_result_column_name(r, t, c);
      dealstat_column_type type = dealstat_result_column_type(r, t, c);
      int64_t rows = dealstat_result_row_count(r, t);
      CHECK(name != NULL && name[0] != '\0');
      CHECK(dealstat_result_column_index(r, t, name) == c);
      CHECK(type == DEALSTAT_TYPE_INT64 || type == DEALSTAT_TYPE_FLOAT64 || type == DEALSTAT_TYPE_STRING);
      CHECK((dealstat_result_column_int64(r, t, c) != NULL) == (type == DEALSTAT_TYPE_INT64 && rows > 0));
      CHECK((dealstat_result_column_float64(r, t, c) != NULL) == (type == DEALSTAT_TYPE_FLOAT64 && rows > 0));
      CHECK((dealstat_result_column_string_offsets(r, t, c) != NULL) == (type == DEALSTAT_TYPE_STRING));
      CHECK((dealstat_result_column_string_data(r, t, c) != NULL) == (type == DEALSTAT_TYPE_STRING));
      CHECK((dealstat_result_column_validity(r, t, c) != NULL) == (dealstat_result_column_null_count(r, t, c) > 0));
      if (type == DEALSTAT_TYPE_STRING) {
        const int64_t* off = dealstat_result_column_string_offsets(r, t, c);
        int64_t i;
        CHECK(off[0] == 0);
        for (i = 0; i < rows; ++i) CHECK(off[i + 1] >= off[i]);
      }
    }
    CHECK(dealstat_result_column_index(r, t, "no such column") == -1);
    CHECK(dealstat_result_column_name(r, t, dealstat_result_column_count(r, t)) == NULL);
    CHECK(dealstat_result_column_type(r, t, -1) == DEALSTAT_TYPE_INVALID);
  }
  CHECK(dealstat_result_table_name(r, n) == NULL);
  CHECK(dealstat_result_table_index(r, "no such table") == -1);
  CHECK(dealstat_result_row_count(r, n) == 0);
}

/* ---- every report ---- */
static void test_funnel(void) {
  static const char* const names[] = {"funnel", "funnel_summary"};
  dealstat_dataset ds = small_sample(2000);
  dealstat_result r = NULL;
  dealstat_funnel_options o = DEALSTAT_FUNNEL_OPTIONS_INIT;
  int64_t t, reached, conv, deals, i, rows;
  CHECK_OK(dealstat_funnel(ds, NULL, &r));
  check_tables(r, names, 2);
  t = dealstat_result_table_index(r, "funnel");
  rows = dealstat_result_row_count(r, t);
  CHECK(rows >= 3);
  reached = dealstat_result_column_index(r, t, "reached");
  conv = dealstat_result_column_index(r, t, "conversion_from_first_pct");
  CHECK(dealstat_result_column_type(r, t, reached) == DEALSTAT_TYPE_INT64);
  CHECK(dealstat_result_column_type(r, t, conv) == DEALSTAT_TYPE_FLOAT64);
  CHECK(dealstat_result_column_type(r, t, dealstat_result_column_index(r, t, "stage")) == DEALSTAT_TYPE_STRING);
  {
    /* The first open stage is 100%; reached never grows from an open stage to the next one (implied policy). */
    const double* cf = dealstat_result_column_float64(r, t, conv);
    int found = 0;
    for (i = 0; i < rows; ++i) {
      if (!found && !isnan(cf[i])) {
        CHECK(fabs(cf[i] - 100.0) < 1e-9);
        found = 1;
      }
    }
    CHECK(found);
  }
  deals = dealstat_result_column_int64(r, 1, dealstat_result_column_index(r, 1, "deals"))[0];
  CHECK(deals > 0 && deals <= 2000);
  dealstat_result_destroy(&r);

  /* Options reach the report: a status filter of won leaves only won deals. */
  o.filter.status = DEALSTAT_STATUS_WON;
  o.skip = DEALSTAT_SKIP_OBSERVED;
  o.value = DEALSTAT_VALUE_BUDGET;
  CHECK_OK(dealstat_funnel(ds, &o, &r));
  {
    int64_t s = dealstat_result_table_index(r, "funnel_summary");
    const int64_t* lost = dealstat_result_column_int64(r, s, dealstat_result_column_index(r, s, "lost"));
    const int64_t* active = dealstat_result_column_int64(r, s, dealstat_result_column_index(r, s, "active"));
    const int64_t* won = dealstat_result_column_int64(r, s, dealstat_result_column_index(r, s, "won"));
    CHECK(lost[0] == 0 && active[0] == 0 && won[0] > 0);
  }
  dealstat_result_destroy(&r);
  dealstat_dataset_destroy(&ds);
}

static void test_stage_time(void) {
  static const char* const names[] = {"stage_time", "stage_time_summary"};
  dealstat_dataset ds = small_sample(2000);
  dealstat_result r = NULL;
  dealstat_stage_time_options o = DEALSTAT_STAGE_TIME_OPTIONS_INIT;
  const double* share;
  double sum = 0;
  int64_t i, t;
  o.filter.from = "2023-03-01";
  o.filter.to = "2024-03-01";
  CHECK_OK(dealstat_stage_time(ds, &o, &r));
  check_tables(r, names, 2);
  t = 0;
  share = dealstat_result_column_float64(r, t, dealstat_result_column_index(r, t, "share_pct"));
  CHECK(share != NULL);
  for (i = 0; share != NULL && i < dealstat_result_row_count(r, t); ++i) sum += share[i];
  CHECK(fabs(sum - 100.0) < 1e-6);
  dealstat_result_destroy(&r);
  dealstat_dataset_destroy(&ds);
}

static void test_movement(void) {
  static const char* const names[] = {"movement_totals", "movement_transitions", "movement_entries"};
  dealstat_dataset ds = small_sample(2000);
  dealstat_result r = NULL;
  dealstat_movement_options o = DEALSTAT_MOVEMENT_OPTIONS_INIT;
  o.bucket = DEALSTAT_BUCKET_MONTH;
  o.filter.from = "2024-01-01";
  o.filter.to = "2024-07-01";
  CHECK_OK(dealstat_movement(ds, &o, &r));
  check_tables(r, names, 3);
  CHECK(dealstat_result_row_count(r, 0) == 6); /* six months */
  dealstat_result_destroy(&r);
  dealstat_dataset_destroy(&ds);
}

/* ---- NULL handles ---- */
static void expect_null_argument(dealstat_status st, const char* function) {
  CHECK(st == DEALSTAT_ERROR_NULL_ARGUMENT);
  CHECK(dealstat_last_error_code() == DEALSTAT_ERROR_NULL_ARGUMENT);
  CHECK(contains(dealstat_last_error_message(), function));
}

static void test_null_handles(void) {
  dealstat_result r = NULL;
  dealstat_dataset ds = NULL;
  dealstat_builder b = NULL;
  struct ArrowArrayStream s;
  expect_null_argument(dealstat_funnel(NULL, NULL, &r), "dealstat_funnel");
  CHECK(r == NULL);
  expect_null_argument(dealstat_stage_time(NULL, NULL, &r), "dealstat_stage_time");
  expect_null_argument(dealstat_movement(NULL, NULL, &r), "dealstat_movement");
  expect_null_argument(dealstat_summary(NULL, NULL, &r), "dealstat_summary");
  expect_null_argument(dealstat_events_list(NULL, NULL, NULL, &r), "dealstat_events_list");
  expect_null_argument(dealstat_event_index_create(NULL, 0, NULL), "dealstat_event_index_create");
  CHECK(dealstat_event_index_event_count(NULL) == 0);
  dealstat_event_index_destroy(NULL);
  expect_null_argument(dealstat_make_sample(NULL, NULL), "dealstat_make_sample");
  expect_null_argument(dealstat_load_csv_directory(NULL, NULL, NULL, &ds), "dealstat_load_csv_directory");
  expect_null_argument(dealstat_load_csv_directory(".", NULL, NULL, NULL), "dealstat_load_csv_directory");
  expect_null_argument(dealstat_dataset_problems(NULL, &r), "dealstat_dataset_problems");
  expect_null_argument(dealstat_result_export_arrow(NULL, 0, &s), "dealstat_result_export_arrow");
  CHECK(s.release == NULL);
  expect_null_argument(dealstat_result_export_arrow(NULL, 0, NULL), "dealstat_result_export_arrow");
  expect_null_argument(dealstat_builder_create(NULL), "dealstat_builder_create");
  expect_null_argument(dealstat_builder_add_pipeline(NULL, 1, "x"), "dealstat_builder_add_pipeline");
  expect_null_argument(dealstat_builder_add_stage(NULL, 1, 1, "x", 1, DEALSTAT_STAGE_OPEN), "dealstat_builder_add_stage");
  expect_null_argument(dealstat_builder_add_user(NULL, 1, "x", NULL), "dealstat_builder_add_user");
  expect_null_argument(dealstat_builder_set_time_zone(NULL, "UTC"), "dealstat_builder_set_time_zone");
  expect_null_argument(dealstat_builder_add_deal_columns(NULL, NULL), "dealstat_builder_add_deal_columns");
  expect_null_argument(dealstat_builder_add_stage_change_columns(NULL, NULL), "dealstat_builder_add_stage_change_columns");
  expect_null_argument(dealstat_builder_add_deals_arrow(NULL, NULL), "dealstat_builder_add_deals_arrow");
  expect_null_argument(dealstat_builder_add_stage_changes_arrow(NULL, NULL), "dealstat_builder_add_stage_changes_arrow");
  expect_null_argument(dealstat_builder_build(NULL, 0, &ds), "dealstat_builder_build");
  expect_null_argument(dealstat_builder_build(&b, 0, &ds), "dealstat_builder_build");
  CHECK_OK(dealstat_builder_create(&b));
  expect_null_argument(dealstat_builder_add_deal_columns(b, NULL), "dealstat_builder_add_deal_columns");
  expect_null_argument(dealstat_builder_build(&b, 0, NULL), "dealstat_builder_build");
  CHECK(b == NULL); /* consumed even on failure */
  /* Accessors of a NULL handle answer "nothing" instead of failing. */
  CHECK(dealstat_dataset_deal_count(NULL) == 0);
  CHECK(dealstat_dataset_problem_count(NULL) == 0);
  CHECK(dealstat_dataset_problem_text(NULL, 0) == NULL);
  CHECK(dealstat_result_table_count(NULL) == 0);
  CHECK(dealstat_result_table_name(NULL, 0) == NULL);
  CHECK(dealstat_result_table_index(NULL, "funnel") == -1);
  CHECK(dealstat_result_row_count(NULL, 0) == 0);
  CHECK(dealstat_result_column_count(NULL, 0) == 0);
  CHECK(dealstat_result_column_name(NULL, 0, 0) == NULL);
  CHECK(dealstat_result_column_index(NULL, 0, "x") == -1);
  CHECK(dealstat_result_column_type(NULL, 0, 0) == DEALSTAT_TYPE_INVALID);
  CHECK(dealstat_result_column_int64(NULL, 0, 0) == NULL);
  CHECK(dealstat_result_column_float64(NULL, 0, 0) == NULL);
  CHECK(dealstat_result_column_string_offsets(NULL, 0, 0) == NULL);
  CHECK(dealstat_result_column_string_data(NULL, 0, 0) == NULL);
  CHECK(dealstat_result_column_validity(NULL, 0, 0) == NULL);
  CHECK(dealstat_result_column_null_count(NULL, 0, 0) == 0);
  /* Destroy accepts NULL and a pointer to NULL. */
  dealstat_dataset_destroy(NULL);
  dealstat_result_destroy(NULL);
  dealstat_builder_destroy(NULL);
  dealstat_dataset_destroy(&ds);
  dealstat_result_destroy(&r);
  dealstat_builder_destroy(&b);
}

/* ---- destroying twice ---- */
static void test_destroy_twice(void) {
  dealstat_dataset ds = small_sample(200);
  dealstat_result r = NULL;
  dealstat_builder b = NULL;
  CHECK_OK(dealstat_funnel(ds, NULL, &r));
  CHECK_OK(dealstat_builder_create(&b));
  dealstat_result_destroy(&r);
  CHECK(r == NULL);
  dealstat_result_destroy(&r);
  dealstat_dataset_destroy(&ds);
  CHECK(ds == NULL);
  dealstat_dataset_destroy(&ds);
  dealstat_builder_destroy(&b);
  CHECK(b == NULL);
  dealstat_builder_destroy(&b);
}

/* ---- lifetimes of borrowed pointers ---- */
static void test_lifetimes(void) {
  dealstat_dataset ds = small_sample(500);
  dealstat_result r = NULL, r2 = NULL;
  const int64_t* reached;
  const char* stage_bytes;
  const char* name;
  const char* msg;
  int64_t t, c, rows, first;
  char before[512];
  CHECK_OK(dealstat_funnel(ds, NULL, &r));
  t = dealstat_result_table_index(r, "funnel");
  c = dealstat_result_column_index(r, t, "reached");
  reached = dealstat_result_column_int64(r, t, c);
  rows = dealstat_result_row_count(r, t);
  first = reached[0];
  stage_bytes = dealstat_result_column_string_data(r, t, dealstat_result_column_index(r, t, "stage"));
  name = dealstat_result_table_name(r, t);
  /* A result does not borrow from its dataset: its columns outlive the dataset. */
  dealstat_dataset_destroy(&ds);
  CHECK(reached[0] == first && reached[rows - 1] >= 0);
  CHECK(stage_bytes[0] != '\0');
  CHECK_STR(name, "funnel");
  /* Column pointers of one result are not disturbed by making and freeing another. */
  ds = small_sample(300);
  CHECK_OK(dealstat_funnel(ds, NULL, &r2));
  dealstat_result_destroy(&r2);
  CHECK(reached[0] == first);
  dealstat_result_destroy(&r);
  /* The last error stays readable until the next failing call on this thread; a success leaves it alone. */
  CHECK(dealstat_funnel(NULL, NULL, &r) == DEALSTAT_ERROR_NULL_ARGUMENT);
  msg = dealstat_last_error_message();
  snprintf(before, sizeof before, "%s", msg);
  CHECK_OK(dealstat_funnel(ds, NULL, &r));
  CHECK_STR(msg, before);
  CHECK(dealstat_last_error_code() == DEALSTAT_ERROR_NULL_ARGUMENT);
  dealstat_clear_last_error();
  CHECK(dealstat_last_error_code() == DEALSTAT_OK);
  CHECK_STR(dealstat_last_error_message(), "");
  dealstat_result_destroy(&r);
  dealstat_dataset_destroy(&ds);
}

/* ---- loaders ---- */
static void expect_error(dealstat_status st, dealstat_status code, const char* source_suffix, int64_t row,
                         const char* field, const char* value) {
  const char* src = dealstat_last_error_source();
  size_t ls = strlen(src), lf = strlen(source_suffix);
  CHECK(st == code);
  CHECK(dealstat_last_error_code() == code);
  if (!(ls >= lf && strcmp(src + ls - lf, source_suffix) == 0)) {
    fprintf(stderr, "source \"%s\" does not end with \"%s\"\n", src, source_suffix);
    ++g_failures;
  }
  CHECK(dealstat_last_error_row() == row);
  CHECK_STR(dealstat_last_error_field(), field);
  if (value != NULL) CHECK_STR(dealstat_last_error_value(), value);
  CHECK(contains(dealstat_last_error_message(), field));
}

static void test_load_csv(void) {
  dealstat_dataset ds = NULL;
  dealstat_result r = NULL;
  dealstat_load_options lenient = DEALSTAT_LOAD_OPTIONS_INIT;
  dealstat_status st;
  char buf[256];
  CHECK_OK(dealstat_load_csv_directory(CAPI_TEST_DATA "/good", NULL, NULL, &ds));
  CHECK(dealstat_dataset_deal_count(ds) == 3);
  CHECK(dealstat_dataset_problem_count(ds) == 0);
  CHECK_OK(dealstat_funnel(ds, NULL, &r));
  CHECK(dealstat_result_column_int64(r, 1, dealstat_result_column_index(r, 1, "won"))[0] == 1);
  dealstat_result_destroy(&r);
  dealstat_dataset_destroy(&ds);

  /* Strict: the first bad cell fails the load, naming file, row, field and value. */
  st = dealstat_load_csv_directory(CAPI_TEST_DATA "/bad", NULL, NULL, &ds);
  CHECK(ds == NULL);
  CHECK(st == DEALSTAT_ERROR_INVALID_DATA || st == DEALSTAT_ERROR_PARSE);
  expect_error(st, st, "deals.csv", 3, "created_at", "yesterday");
  CHECK(contains(dealstat_last_error_message(), "deals.csv:3:created_at"));

  /* Lenient: the load succeeds without the bad row and lists it. */
  lenient.validation = DEALSTAT_VALIDATION_LENIENT;
  CHECK_OK(dealstat_load_csv_directory(CAPI_TEST_DATA "/bad", NULL, &lenient, &ds));
  CHECK(dealstat_dataset_deal_count(ds) == 2);
  CHECK(dealstat_dataset_problem_count(ds) == 1);
  CHECK(contains(dealstat_dataset_problem_text(ds, 0), "deals.csv:3:created_at"));
  CHECK(dealstat_dataset_problem_text(ds, 1) == NULL);
  CHECK_OK(dealstat_dataset_problems(ds, &r));
  CHECK_STR(dealstat_result_table_name(r, 0), "problems");
  CHECK(dealstat_result_row_count(r, 0) == 1);
  CHECK(dealstat_result_column_int64(r, 0, dealstat_result_column_index(r, 0, "row"))[0] == 3);
  CHECK_STR(string_at(r, 0, dealstat_result_column_index(r, 0, "field"), 0, buf, sizeof buf), "created_at");
  CHECK_STR(string_at(r, 0, dealstat_result_column_index(r, 0, "value"), 0, buf, sizeof buf), "yesterday");
  dealstat_result_destroy(&r);
  dealstat_dataset_destroy(&ds);

  /* A missing directory is an I/O error naming the file. */
  st = dealstat_load_csv_directory(CAPI_TEST_DATA "/no-such-dir", NULL, NULL, &ds);
  CHECK(st == DEALSTAT_ERROR_IO);
  CHECK(contains(dealstat_last_error_message(), "no-such-dir"));

  /* Bad options of the loader. */
  lenient.validation = 7;
  st = dealstat_load_csv_directory(CAPI_TEST_DATA "/good", NULL, &lenient, &ds);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "validation", "7");
  lenient.version = 99;
  st = dealstat_load_csv_directory(CAPI_TEST_DATA "/good", NULL, &lenient, &ds);
  expect_error(st, DEALSTAT_ERROR_UNSUPPORTED_VERSION, "options", 0, "dealstat_load_options.version", "99");
}

static void test_load_mapping(void) {
  dealstat_dataset ds = NULL;
  dealstat_load_options lenient = DEALSTAT_LOAD_OPTIONS_INIT;
  dealstat_status st;
  CHECK_OK(dealstat_load_csv_directory(MAPPING_DATA "/snapshot_good", MAPPING_DATA "/snapshot.json", NULL, &ds));
  CHECK(dealstat_dataset_deal_count(ds) > 0);
  dealstat_dataset_destroy(&ds);
  st = dealstat_load_csv_directory(MAPPING_DATA "/snapshot_bad", MAPPING_DATA "/snapshot.json", NULL, &ds);
  expect_error(st, DEALSTAT_ERROR_INVALID_DATA, "deals.csv", 3, "engaged", "2024-13-45");
  CHECK(ds == NULL);
  lenient.validation = DEALSTAT_VALIDATION_LENIENT;
  CHECK_OK(dealstat_load_csv_directory(MAPPING_DATA "/snapshot_bad", MAPPING_DATA "/snapshot.json", &lenient, &ds));
  CHECK(dealstat_dataset_problem_count(ds) == 2);
  CHECK(contains(dealstat_dataset_problem_text(ds, 1), "stage"));
  dealstat_dataset_destroy(&ds);
  st = dealstat_load_csv_directory(MAPPING_DATA "/snapshot_good", MAPPING_DATA "/no-such-mapping.json", NULL, &ds);
  CHECK(st == DEALSTAT_ERROR_IO);
  CHECK(contains(dealstat_last_error_message(), "no-such-mapping.json"));
}

/* Writes text to dir/name. */
static void write_file(const char* dir, const char* name, const char* text) {
  char path[512];
  FILE* f;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f == NULL) return;
  fputs(text, f);
  fclose(f);
}

/* Removes dir/name. */
static void remove_file(const char* dir, const char* name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  remove(path);
}

static void test_load_amocrm(void) {
  static const char* const pipelines =
      "{\"_embedded\":{\"pipelines\":[{\"id\":10,\"name\":\"Sales\",\"_embedded\":{\"statuses\":["
      "{\"id\":101,\"name\":\"New\",\"sort\":10,\"type\":0},{\"id\":142,\"name\":\"Won\",\"sort\":10000,\"type\":0},"
      "{\"id\":143,\"name\":\"Lost\",\"sort\":11000,\"type\":0}]}}]}}";
  static const char* const leads_wrong_type =
      "{\"_embedded\":{\"leads\":["
      "{\"id\":1,\"price\":100,\"status_id\":101,\"pipeline_id\":10,\"created_at\":1700000000},"
      "{\"id\":2,\"price\":true,\"status_id\":101,\"pipeline_id\":10,\"created_at\":1700000000}]}}";
  static const char* const leads_malformed = "{\"_embedded\":{\"leads\":[{\"id\":3,\"price\":}]}}";
  dealstat_dataset ds = NULL;
  dealstat_result r = NULL;
  dealstat_load_options lenient = DEALSTAT_LOAD_OPTIONS_INIT;
  dealstat_status st;
  char dir[] = "/tmp/dealstat_capi_amocrm_XXXXXX";

  /* The fixture export: seven deals; reports run on it. */
  CHECK_OK(dealstat_load_amocrm(AMOCRM_DATA "/basic", NULL, &ds));
  CHECK(dealstat_dataset_deal_count(ds) == 7);
  CHECK(dealstat_dataset_problem_count(ds) == 0);
  CHECK_OK(dealstat_funnel(ds, NULL, &r));
  CHECK(dealstat_result_row_count(r, 0) > 0);
  dealstat_result_destroy(&r);
  dealstat_dataset_destroy(&ds);

  /* A value of the wrong type: the error names the file, the record, the JSON path and the value. */
  CHECK(mkdtemp(dir) != NULL);
  write_file(dir, "leads_pipelines.json", pipelines);
  write_file(dir, "leads_1.json", leads_wrong_type);
  st = dealstat_load_amocrm(dir, NULL, &ds);
  expect_error(st, DEALSTAT_ERROR_INVALID_DATA, "leads_1.json", 2, "$._embedded.leads[1].price", "true");
  CHECK(ds == NULL);
  lenient.validation = DEALSTAT_VALIDATION_LENIENT;
  CHECK_OK(dealstat_load_amocrm(dir, &lenient, &ds));
  CHECK(dealstat_dataset_deal_count(ds) == 1);
  CHECK(dealstat_dataset_problem_count(ds) == 1);
  CHECK(contains(dealstat_dataset_problem_text(ds, 0), "$._embedded.leads[1].price"));
  dealstat_dataset_destroy(&ds);

  /* Malformed JSON is a parse error naming the file and where it broke. */
  write_file(dir, "leads_2.json", leads_malformed);
  st = dealstat_load_amocrm(dir, NULL, &ds);
  CHECK(st == DEALSTAT_ERROR_PARSE || st == DEALSTAT_ERROR_INVALID_DATA); /* whichever file is read first */
  CHECK(ds == NULL);
  remove_file(dir, "leads_1.json");
  st = dealstat_load_amocrm(dir, NULL, &ds);
  expect_error(st, DEALSTAT_ERROR_PARSE, "leads_2.json", dealstat_last_error_row(), "$._embedded.leads[0].price", NULL);

  /* A folder without leads is an I/O error; so is one that does not exist. */
  remove_file(dir, "leads_2.json");
  st = dealstat_load_amocrm(dir, NULL, &ds);
  CHECK(st == DEALSTAT_ERROR_IO);
  remove_file(dir, "leads_pipelines.json");
  rmdir(dir);
  st = dealstat_load_amocrm(AMOCRM_DATA "/no-such-export", NULL, &ds);
  CHECK(st == DEALSTAT_ERROR_IO);
  CHECK(contains(dealstat_last_error_message(), "no-such-export"));
  lenient.version = 42;
  st = dealstat_load_amocrm(AMOCRM_DATA "/basic", &lenient, &ds);
  expect_error(st, DEALSTAT_ERROR_UNSUPPORTED_VERSION, "options", 0, "dealstat_load_options.version", "42");
  expect_null_argument(dealstat_load_amocrm(NULL, NULL, &ds), "dealstat_load_amocrm");
  expect_null_argument(dealstat_load_amocrm(AMOCRM_DATA "/basic", NULL, NULL), "dealstat_load_amocrm");
  CHECK(ds == NULL);
}

static void test_load_sample(void) {
  dealstat_dataset ds = NULL;
  dealstat_sample_options o = DEALSTAT_SAMPLE_OPTIONS_INIT;
  dealstat_status st;
  o.deals = -5;
  st = dealstat_make_sample(&o, &ds);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "deals", "-5");
  o = (dealstat_sample_options)DEALSTAT_SAMPLE_OPTIONS_INIT;
  o.deals = 100;
  o.time_zone = "Mars/Olympus_Mons";
  st = dealstat_make_sample(&o, &ds);
  CHECK(st == DEALSTAT_ERROR_INVALID_OPTION);
  CHECK(contains(dealstat_last_error_message(), "Mars/Olympus_Mons"));
  o.time_zone = "UTC";
  o.end_s = o.start_s;
  st = dealstat_make_sample(&o, &ds);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "end_s", NULL);
  o = (dealstat_sample_options)DEALSTAT_SAMPLE_OPTIONS_INIT;
  o.version = 0;
  st = dealstat_make_sample(&o, &ds);
  expect_error(st, DEALSTAT_ERROR_UNSUPPORTED_VERSION, "options", 0, "dealstat_sample_options.version", "0");
  CHECK(ds == NULL);
}

/* A tiny account: one pipeline New(10) -> Talk(20) -> Won(142) / Lost(143); three deals. */
static dealstat_builder tiny_builder(void) {
  dealstat_builder b = NULL;
  CHECK_OK(dealstat_builder_create(&b));
  CHECK_OK(dealstat_builder_set_time_zone(b, "Europe/Moscow"));
  CHECK_OK(dealstat_builder_add_user(b, 7, "Anna", "East"));
  CHECK_OK(dealstat_builder_add_pipeline(b, 1, "Sales"));
  CHECK_OK(dealstat_builder_add_stage(b, 1, 10, "New", 10, DEALSTAT_STAGE_OPEN));
  CHECK_OK(dealstat_builder_add_stage(b, 1, 20, "Talk", 20, DEALSTAT_STAGE_OPEN));
  CHECK_OK(dealstat_builder_add_stage(b, 1, 142, "Won", 142, DEALSTAT_STAGE_WON));
  CHECK_OK(dealstat_builder_add_stage(b, 1, 143, "Lost", 143, DEALSTAT_STAGE_LOST));
  return b;
}

static void test_builder(void) {
  static const int64_t id[] = {1, 2, 3}, pipeline[] = {1, 1, 1}, stage[] = {10, 142, 143};
  static const int64_t created[] = {1700000000, 1700000000, 1700000000};
  static const int64_t closed[] = {DEALSTAT_NO_TIME, 1700100000, 1700200000};
  static const int64_t budget[] = {1000, 2000, 500}, resp[] = {7, 7, DEALSTAT_NO_ID};
  static const int64_t ch_deal[] = {2, 2}, ch_at[] = {1700050000, 1700100000}, ch_from[] = {10, 20};
  static const int64_t ch_to[] = {20, 142};
  static const int64_t bad_stage[] = {10, 99, 143};
  dealstat_builder b = tiny_builder();
  dealstat_dataset ds = NULL;
  dealstat_result r = NULL;
  dealstat_deal_columns d = DEALSTAT_DEAL_COLUMNS_INIT;
  dealstat_stage_change_columns c = DEALSTAT_STAGE_CHANGE_COLUMNS_INIT;
  dealstat_load_options unused = DEALSTAT_LOAD_OPTIONS_INIT;
  dealstat_status st;
  (void)unused;
  d.length = 3;
  d.id = id;
  d.pipeline_id = pipeline;
  d.stage_id = stage;
  d.created_at = created;
  d.closed_at = closed;
  d.budget_minor = budget;
  d.responsible_id = resp;
  c.length = 2;
  c.deal_id = ch_deal;
  c.at = ch_at;
  c.from_stage_id = ch_from;
  c.to_stage_id = ch_to;
  CHECK_OK(dealstat_builder_add_deal_columns(b, &d));
  CHECK_OK(dealstat_builder_add_stage_change_columns(b, &c));
  CHECK_OK(dealstat_builder_build(&b, DEALSTAT_VALIDATION_STRICT, &ds));
  CHECK(b == NULL);
  CHECK(dealstat_dataset_deal_count(ds) == 3);
  CHECK_OK(dealstat_funnel(ds, NULL, &r));
  {
    /* Rows New, Talk, Won: all three reached New; the won deal passed Talk (implied), the lost one
     * did not go further than New. */
    const int64_t* reached = dealstat_result_column_int64(r, 0, dealstat_result_column_index(r, 0, "reached"));
    CHECK(dealstat_result_row_count(r, 0) == 3);
    CHECK(reached[0] == 3 && reached[1] == 1 && reached[2] == 1);
  }
  dealstat_result_destroy(&r);
  dealstat_dataset_destroy(&ds);

  /* Bad input through the column builder: the problem names the column source, row and field. */
  b = tiny_builder();
  d.stage_id = bad_stage;
  CHECK_OK(dealstat_builder_add_deal_columns(b, &d));
  st = dealstat_builder_build(&b, DEALSTAT_VALIDATION_STRICT, &ds);
  CHECK(st == DEALSTAT_ERROR_INVALID_DATA);
  CHECK(b == NULL && ds == NULL);
  CHECK(dealstat_last_error_row() == 2);
  CHECK(contains(dealstat_last_error_message(), "99"));
  b = tiny_builder();
  CHECK_OK(dealstat_builder_add_deal_columns(b, &d));
  CHECK_OK(dealstat_builder_build(&b, DEALSTAT_VALIDATION_LENIENT, &ds));
  CHECK(dealstat_dataset_deal_count(ds) == 2);
  CHECK(dealstat_dataset_problem_count(ds) == 1);
  dealstat_dataset_destroy(&ds);
  /* A required column left NULL, a negative length, a bad kind, a bad time zone, a bad version. */
  b = tiny_builder();
  d.stage_id = NULL;
  st = dealstat_builder_add_deal_columns(b, &d);
  expect_error(st, DEALSTAT_ERROR_INVALID_DATA, "columns:deals", 0, "stage_id", NULL);
  d.stage_id = stage;
  d.length = -1;
  st = dealstat_builder_add_deal_columns(b, &d);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "length", "-1");
  d.length = 3;
  d.version = 2;
  st = dealstat_builder_add_deal_columns(b, &d);
  expect_error(st, DEALSTAT_ERROR_UNSUPPORTED_VERSION, "options", 0, "dealstat_deal_columns.version", "2");
  c.to_stage_id = NULL;
  st = dealstat_builder_add_stage_change_columns(b, &c);
  expect_error(st, DEALSTAT_ERROR_INVALID_DATA, "columns:stage_changes", 0, "to_stage_id", NULL);
  st = dealstat_builder_add_stage(b, 1, 30, "Odd", 30, 9);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "kind", "9");
  st = dealstat_builder_set_time_zone(b, "Nowhere/Special");
  CHECK(st == DEALSTAT_ERROR_INVALID_OPTION);
  CHECK(contains(dealstat_last_error_message(), "Nowhere/Special"));
  st = dealstat_builder_build(&b, 5, &ds);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "validation", "5");
  CHECK(b == NULL);
}

/* ---- bad report options ---- */
static void test_bad_options(void) {
  static const char* const tags[] = {"vip", NULL};
  dealstat_dataset ds = small_sample(300);
  dealstat_result r = NULL;
  dealstat_funnel_options f = DEALSTAT_FUNNEL_OPTIONS_INIT;
  dealstat_stage_time_options s = DEALSTAT_STAGE_TIME_OPTIONS_INIT;
  dealstat_movement_options m = DEALSTAT_MOVEMENT_OPTIONS_INIT;
  dealstat_status st;
  f.filter.pipeline = "No such pipeline";
  st = dealstat_funnel(ds, &f, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "pipeline", "No such pipeline");
  CHECK(r == NULL);
  f = (dealstat_funnel_options)DEALSTAT_FUNNEL_OPTIONS_INIT;
  f.filter.from = "2024-13-01";
  st = dealstat_funnel(ds, &f, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "from", "2024-13-01");
  f = (dealstat_funnel_options)DEALSTAT_FUNNEL_OPTIONS_INIT;
  f.filter.from = "2024-05-01";
  f.filter.to = "2024-04-01";
  st = dealstat_funnel(ds, &f, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "to", NULL);
  f = (dealstat_funnel_options)DEALSTAT_FUNNEL_OPTIONS_INIT;
  f.skip = 7;
  st = dealstat_funnel(ds, &f, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "skip", "7");
  f = (dealstat_funnel_options)DEALSTAT_FUNNEL_OPTIONS_INIT;
  f.value = -1;
  st = dealstat_funnel(ds, &f, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "value", "-1");
  f = (dealstat_funnel_options)DEALSTAT_FUNNEL_OPTIONS_INIT;
  f.filter.tags = tags;
  f.filter.tag_count = 2;
  st = dealstat_funnel(ds, &f, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "tags", "NULL");
  f.filter.tag_count = 1;
  CHECK_OK(dealstat_funnel(ds, &f, &r));
  dealstat_result_destroy(&r);
  f = (dealstat_funnel_options)DEALSTAT_FUNNEL_OPTIONS_INIT;
  f.filter.status = 11;
  st = dealstat_funnel(ds, &f, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "status", "11");
  f = (dealstat_funnel_options)DEALSTAT_FUNNEL_OPTIONS_INIT;
  f.filter.date_basis = 3;
  st = dealstat_funnel(ds, &f, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "date_basis", "3");
  f = (dealstat_funnel_options)DEALSTAT_FUNNEL_OPTIONS_INIT;
  f.version = 2;
  st = dealstat_funnel(ds, &f, &r);
  expect_error(st, DEALSTAT_ERROR_UNSUPPORTED_VERSION, "options", 0, "dealstat_funnel_options.version", "2");
  f = (dealstat_funnel_options)DEALSTAT_FUNNEL_OPTIONS_INIT;
  f.filter.version = 0;
  st = dealstat_funnel(ds, &f, &r);
  expect_error(st, DEALSTAT_ERROR_UNSUPPORTED_VERSION, "options", 0, "dealstat_filter.version", "0");
  s.version = 3;
  st = dealstat_stage_time(ds, &s, &r);
  expect_error(st, DEALSTAT_ERROR_UNSUPPORTED_VERSION, "options", 0, "dealstat_stage_time_options.version", "3");
  s = (dealstat_stage_time_options)DEALSTAT_STAGE_TIME_OPTIONS_INIT;
  s.filter.pipeline = "404";
  st = dealstat_stage_time(ds, &s, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "pipeline", "404");
  m.bucket = 9;
  st = dealstat_movement(ds, &m, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "bucket", "9");
  m = (dealstat_movement_options)DEALSTAT_MOVEMENT_OPTIONS_INIT;
  m.filter.to = "tomorrow";
  st = dealstat_movement(ds, &m, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "to", "tomorrow");
  CHECK(r == NULL);
  dealstat_dataset_destroy(&ds);
}

static void test_employees(void) {
  static const char* const names[] = {"employees", "employees_groups", "employees_team"};
  dealstat_dataset ds = small_sample(2000);
  dealstat_result r = NULL;
  dealstat_employees_options o = DEALSTAT_EMPLOYEES_OPTIONS_INIT;
  dealstat_status st;
  CHECK_OK(dealstat_employees(ds, NULL, &r));
  check_tables(r, names, 3);
  CHECK(dealstat_result_row_count(r, 0) > 0);
  dealstat_result_destroy(&r);
  o.attribution = DEALSTAT_ATTRIBUTION_AT_CLOSE;
  o.rank_by = "won";
  o.filter.from = "2024-01-01";
  CHECK_OK(dealstat_employees(ds, &o, &r));
  dealstat_result_destroy(&r);
  o.rank_by = "charm";
  st = dealstat_employees(ds, &o, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "rank_by", "charm");
  o = (dealstat_employees_options)DEALSTAT_EMPLOYEES_OPTIONS_INIT;
  o.attribution = 5;
  st = dealstat_employees(ds, &o, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "attribution", "5");
  CHECK(r == NULL);
  expect_null_argument(dealstat_employees(NULL, NULL, &r), "dealstat_employees");
  dealstat_dataset_destroy(&ds);
}

static void test_unsorted(void) {
  static const char* const names[] = {"unsorted"};
  dealstat_dataset ds = small_sample(2000);
  dealstat_result r = NULL;
  dealstat_unsorted_options o = DEALSTAT_UNSORTED_OPTIONS_INIT;
  dealstat_status st;
  CHECK_OK(dealstat_unsorted(ds, NULL, &r));
  check_tables(r, names, 1);
  CHECK(dealstat_result_row_count(r, 0) >= 2); /* at least one channel and "(all)" */
  dealstat_result_destroy(&r);
  o.filter.status = DEALSTAT_STATUS_WON; /* a status does not describe items: an error naming it */
  st = dealstat_unsorted(ds, &o, &r);
  CHECK(st == DEALSTAT_ERROR_INVALID_OPTION);
  CHECK(contains(dealstat_last_error_field(), "status"));
  o = (dealstat_unsorted_options)DEALSTAT_UNSORTED_OPTIONS_INIT;
  o.version = 9;
  st = dealstat_unsorted(ds, &o, &r);
  expect_error(st, DEALSTAT_ERROR_UNSUPPORTED_VERSION, "options", 0, "dealstat_unsorted_options.version", "9");
  expect_null_argument(dealstat_unsorted(NULL, NULL, &r), "dealstat_unsorted");
  dealstat_dataset_destroy(&ds);
}

static void test_forecast(void) {
  dealstat_dataset ds = small_sample(3000);
  dealstat_result r = NULL;
  dealstat_forecast_options o = DEALSTAT_FORECAST_OPTIONS_INIT;
  dealstat_status st;
  int64_t t;
  o.backtest = 0;
  CHECK_OK(dealstat_forecast(ds, &o, &r));
  CHECK(dealstat_result_table_count(r) > 0);
  for (t = 0; t < dealstat_result_table_count(r); ++t) CHECK(dealstat_result_column_count(r, t) > 0);
  dealstat_result_destroy(&r);
  o.horizon_days = 0;
  st = dealstat_forecast(ds, &o, &r);
  CHECK(st == DEALSTAT_ERROR_INVALID_OPTION);
  CHECK(contains(dealstat_last_error_field(), "horizon"));
  o = (dealstat_forecast_options)DEALSTAT_FORECAST_OPTIONS_INIT;
  o.as_of = "2024-02-30";
  st = dealstat_forecast(ds, &o, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "as_of", "2024-02-30");
  expect_null_argument(dealstat_forecast(NULL, NULL, &r), "dealstat_forecast");
  CHECK(r == NULL);
  dealstat_dataset_destroy(&ds);
}

static void test_summary(void) {
  static const char* const names[] = {"summary_created",    "summary_purchases",     "summary_stages",
                                      "summary_stage_time", "summary_tasks_by_user", "summary_info"};
  dealstat_dataset ds = small_sample(2000);
  dealstat_result r = NULL;
  dealstat_summary_options o = DEALSTAT_SUMMARY_OPTIONS_INIT;
  dealstat_status st;
  char buf[64];
  int64_t t, i, rows, deals_sum = 0;
  CHECK_OK(dealstat_summary(ds, NULL, &r));
  check_tables(r, names, 6);
  dealstat_result_destroy(&r);

  /* Options reach the report: six months by month, the snapshot's stage counts add up to stage_deals. */
  o.filter.from = "2024-01-01";
  o.filter.to = "2024-07-01";
  o.bucket = DEALSTAT_BUCKET_MONTH;
  CHECK_OK(dealstat_summary(ds, &o, &r));
  check_tables(r, names, 6);
  t = dealstat_result_table_index(r, "summary_created");
  CHECK(dealstat_result_row_count(r, t) == 6);
  CHECK_STR(string_at(r, t, dealstat_result_column_index(r, t, "bucket_start"), 0, buf, sizeof buf), "2024-01-01");
  CHECK_STR(string_at(r, t, dealstat_result_column_index(r, t, "bucket_start"), 5, buf, sizeof buf), "2024-06-01");
  t = dealstat_result_table_index(r, "summary_stages");
  rows = dealstat_result_row_count(r, t);
  CHECK(rows > 0);
  {
    const int64_t* deals = dealstat_result_column_int64(r, t, dealstat_result_column_index(r, t, "deals"));
    int64_t info = dealstat_result_table_index(r, "summary_info");
    for (i = 0; deals != NULL && i < rows; ++i) deals_sum += deals[i];
    CHECK(deals_sum > 0);
    CHECK(dealstat_result_column_int64(r, info, dealstat_result_column_index(r, info, "stage_deals"))[0] == deals_sum);
    CHECK_STR(string_at(r, info, dealstat_result_column_index(r, info, "bucket"), 0, buf, sizeof buf), "month");
  }
  {
    /* Pie shares sum to 100%. */
    const double* share;
    double sum = 0;
    t = dealstat_result_table_index(r, "summary_tasks_by_user");
    share = dealstat_result_column_float64(r, t, dealstat_result_column_index(r, t, "share_pct"));
    CHECK(share != NULL);
    for (i = 0; share != NULL && i < dealstat_result_row_count(r, t); ++i) sum += share[i];
    CHECK(fabs(sum - 100.0) < 1e-6);
  }
  dealstat_result_destroy(&r);
  o.bucket = DEALSTAT_BUCKET_WEEK;
  CHECK_OK(dealstat_summary(ds, &o, &r));
  CHECK(dealstat_result_row_count(r, 0) == 26); /* 2024-01-01 is a Monday and the half-year 182 days */
  dealstat_result_destroy(&r);

  /* Bad options name the option. */
  o = (dealstat_summary_options)DEALSTAT_SUMMARY_OPTIONS_INIT;
  o.bucket = 5;
  st = dealstat_summary(ds, &o, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "bucket", "5");
  o = (dealstat_summary_options)DEALSTAT_SUMMARY_OPTIONS_INIT;
  o.filter.pipeline = "No such pipeline";
  st = dealstat_summary(ds, &o, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "pipeline", "No such pipeline");
  o = (dealstat_summary_options)DEALSTAT_SUMMARY_OPTIONS_INIT;
  o.filter.from = "2024-07-01";
  o.filter.to = "2024-01-01";
  st = dealstat_summary(ds, &o, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "to", NULL);
  o = (dealstat_summary_options)DEALSTAT_SUMMARY_OPTIONS_INIT;
  o.version = 2;
  st = dealstat_summary(ds, &o, &r);
  expect_error(st, DEALSTAT_ERROR_UNSUPPORTED_VERSION, "options", 0, "dealstat_summary_options.version", "2");
  CHECK(r == NULL);
  expect_null_argument(dealstat_summary(NULL, NULL, &r), "dealstat_summary");
  expect_null_argument(dealstat_summary(ds, NULL, NULL), "dealstat_summary");
  dealstat_dataset_destroy(&ds);
}

/* A sample account with its event log. */
static dealstat_dataset sample_with_events(int64_t deals) {
  dealstat_sample_options o = DEALSTAT_SAMPLE_OPTIONS_INIT;
  dealstat_dataset ds = NULL;
  o.deals = deals;
  o.events = 1;
  CHECK_OK(dealstat_make_sample(&o, &ds));
  return ds;
}

/* The page's next_cursor copied into buf ("" on the last page). */
static const char* next_cursor(dealstat_result r, char* buf, size_t size) {
  int64_t p = dealstat_result_table_index(r, "events_page");
  const char* c = string_at(r, p, dealstat_result_column_index(r, p, "next_cursor"), 0, buf, size);
  return c == NULL ? "" : c;
}

/* The page's total, or -2 when it is null (not counted). */
static int64_t page_total(dealstat_result r) {
  int64_t p = dealstat_result_table_index(r, "events_page");
  int64_t c = dealstat_result_column_index(r, p, "total");
  if (dealstat_result_column_null_count(r, p, c) > 0) return -2;
  return dealstat_result_column_int64(r, p, c)[0];
}

static void test_events_list(void) {
  static const char* const names[] = {"events", "events_page"};
  static const char* const bad_cursors[] = {"garbage", "e1", "E10000000065ee3e4000000007",
                                            "e10000000065ee1140000000zz", "e1ffffffffffffffff00000007"};
  dealstat_dataset ds = sample_with_events(300);
  dealstat_event_index ix = NULL;
  dealstat_result r = NULL;
  dealstat_events_list_options o = DEALSTAT_EVENTS_LIST_OPTIONS_INIT;
  dealstat_status st;
  char cursor[64], buf[128];
  int64_t n, total, seen = 0, pages = 0, last_at = INT64_MAX, i;
  size_t k;

  CHECK_OK(dealstat_event_index_create(ds, 0, &ix));
  n = dealstat_event_index_event_count(ix);
  CHECK(n > 100);

  /* Defaults: the first 50 events, newest first, and the count of all. */
  CHECK_OK(dealstat_events_list(ds, ix, NULL, &r));
  check_tables(r, names, 2);
  CHECK(dealstat_result_row_count(r, 0) == 50);
  CHECK(page_total(r) == n);
  CHECK(strlen(next_cursor(r, cursor, sizeof cursor)) > 0);
  dealstat_result_destroy(&r);

  /* Page through everything: no event twice, none left out, newest first, the last page has no cursor. */
  o.limit = 37;
  cursor[0] = '\0';
  do {
    const int64_t* at;
    int64_t rows;
    o.cursor = cursor;
    CHECK_OK(dealstat_events_list(ds, ix, &o, &r));
    if (r == NULL) break;
    rows = dealstat_result_row_count(r, 0);
    CHECK(rows <= 37);
    at = dealstat_result_column_int64(r, 0, dealstat_result_column_index(r, 0, "at_s"));
    for (i = 0; i < rows; ++i) {
      CHECK(at[i] <= last_at);
      last_at = at[i];
    }
    seen += rows;
    ++pages;
    total = page_total(r);
    CHECK(total == n);
    next_cursor(r, cursor, sizeof cursor);
    CHECK((cursor[0] == '\0') == (seen == n));
    dealstat_result_destroy(&r);
  } while (cursor[0] != '\0' && pages < 1000);
  CHECK(seen == n);
  CHECK(pages == (n + 36) / 37);

  /* The same without an index (one built for the call) gives the same first page. */
  o.cursor = NULL;
  o.limit = 5;
  {
    dealstat_result r2 = NULL;
    const int64_t *a, *b;
    CHECK_OK(dealstat_events_list(ds, ix, &o, &r));
    CHECK_OK(dealstat_events_list(ds, NULL, &o, &r2));
    a = dealstat_result_column_int64(r, 0, 0);
    b = dealstat_result_column_int64(r2, 0, 0);
    CHECK(a != NULL && b != NULL && memcmp(a, b, 5 * sizeof *a) == 0);
    CHECK(page_total(r) == page_total(r2));
    dealstat_result_destroy(&r2);
  }
  /* Filters: by type the totals add up to all events; count_total = 0 leaves total null. */
  {
    int64_t type_col = dealstat_result_column_index(r, 0, "type");
    const char* types[1];
    char type[64];
    types[0] = string_at(r, 0, type_col, 0, type, sizeof type);
    o.types = types;
    o.type_count = 1;
    o.limit = 1000000;
    dealstat_result_destroy(&r);
    CHECK_OK(dealstat_events_list(ds, ix, &o, &r));
    total = page_total(r);
    CHECK(total > 0 && total < n);
    CHECK(dealstat_result_row_count(r, 0) == total);
    for (i = 0; i < dealstat_result_row_count(r, 0); ++i) CHECK_STR(string_at(r, 0, type_col, i, buf, sizeof buf), type);
    dealstat_result_destroy(&r);
    o.count_total = 0;
    CHECK_OK(dealstat_events_list(ds, ix, &o, &r));
    CHECK(page_total(r) == -2);
    dealstat_result_destroy(&r);
    o = (dealstat_events_list_options)DEALSTAT_EVENTS_LIST_OPTIONS_INIT;
    types[0] = "no such type";
    o.types = types;
    o.type_count = 1;
    CHECK_OK(dealstat_events_list(ds, ix, &o, &r));
    CHECK(dealstat_result_row_count(r, 0) == 0 && page_total(r) == 0);
    dealstat_result_destroy(&r);
  }
  /* A period and an entity type: every event is of that type and inside the period. */
  o = (dealstat_events_list_options)DEALSTAT_EVENTS_LIST_OPTIONS_INIT;
  o.entity_type = "lead";
  o.from = "2024-01-01";
  o.to = "2024-02-01";
  o.limit = 100000;
  CHECK_OK(dealstat_events_list(ds, ix, &o, &r));
  {
    int64_t et = dealstat_result_column_index(r, 0, "entity_type");
    const int64_t* at = dealstat_result_column_int64(r, 0, dealstat_result_column_index(r, 0, "at_s"));
    CHECK(dealstat_result_row_count(r, 0) > 0);
    for (i = 0; i < dealstat_result_row_count(r, 0); ++i) {
      CHECK_STR(string_at(r, 0, et, i, buf, sizeof buf), "lead");
      CHECK(at[i] >= 1704056400 && at[i] < 1706734800); /* [2024-01-01, 2024-02-01) in Moscow */
    }
  }
  dealstat_result_destroy(&r);

  /* Bad options name the option. */
  o = (dealstat_events_list_options)DEALSTAT_EVENTS_LIST_OPTIONS_INIT;
  o.limit = 0;
  st = dealstat_events_list(ds, ix, &o, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "limit", "0");
  o.limit = -5;
  st = dealstat_events_list(ds, ix, &o, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "limit", "-5");
  o.limit = 10;
  for (k = 0; k < sizeof bad_cursors / sizeof bad_cursors[0]; ++k) {
    o.cursor = bad_cursors[k];
    st = dealstat_events_list(ds, ix, &o, &r);
    expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "cursor", bad_cursors[k]);
  }
  o = (dealstat_events_list_options)DEALSTAT_EVENTS_LIST_OPTIONS_INIT;
  o.entity_id = 5;
  st = dealstat_events_list(ds, ix, &o, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "entity_id", "5");
  o = (dealstat_events_list_options)DEALSTAT_EVENTS_LIST_OPTIONS_INIT;
  {
    static const int64_t nobody[] = {987654321};
    static const char* const null_type[] = {NULL};
    o.users = nobody;
    o.user_count = 1;
    st = dealstat_events_list(ds, ix, &o, &r);
    expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "users", "987654321");
    o.users = NULL;
    st = dealstat_events_list(ds, ix, &o, &r);
    expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "users", NULL);
    o.user_count = 0;
    o.types = null_type;
    o.type_count = 1;
    st = dealstat_events_list(ds, ix, &o, &r);
    expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "types", "NULL");
  }
  o = (dealstat_events_list_options)DEALSTAT_EVENTS_LIST_OPTIONS_INIT;
  o.from = "2024-02-30";
  st = dealstat_events_list(ds, ix, &o, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "from", "2024-02-30");
  o.from = "2024-03-01";
  o.to = "2024-03-01";
  st = dealstat_events_list(ds, ix, &o, &r);
  expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "to", NULL);
  o = (dealstat_events_list_options)DEALSTAT_EVENTS_LIST_OPTIONS_INIT;
  o.version = 0;
  st = dealstat_events_list(ds, ix, &o, &r);
  expect_error(st, DEALSTAT_ERROR_UNSUPPORTED_VERSION, "options", 0, "dealstat_events_list_options.version", "0");
  CHECK(r == NULL);
  {
    /* An index made from another dataset handle, even one with the same data, is refused naming "index". */
    dealstat_dataset other = sample_with_events(300);
    st = dealstat_events_list(other, ix, NULL, &r);
    expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "index", NULL);
    CHECK(r == NULL);
    /* The options struct is read before the second handle is checked (docs/c-api.md, "Errors"). */
    o = (dealstat_events_list_options)DEALSTAT_EVENTS_LIST_OPTIONS_INIT;
    o.type_count = 1; /* types is NULL */
    st = dealstat_events_list(other, ix, &o, &r);
    expect_error(st, DEALSTAT_ERROR_INVALID_OPTION, "", 0, "types", "1 items");
    o.type_count = 0;
    CHECK(r == NULL);
    dealstat_dataset_destroy(&other);
  }
  expect_null_argument(dealstat_events_list(NULL, ix, NULL, &r), "dealstat_events_list");
  expect_null_argument(dealstat_events_list(ds, ix, NULL, NULL), "dealstat_events_list");
  dealstat_event_index_destroy(&ix);
  ix = (dealstat_event_index)&ds; /* any non-NULL value: a failed constructor sets *out to NULL */
  expect_null_argument(dealstat_event_index_create(NULL, 0, &ix), "dealstat_event_index_create");
  CHECK(ix == NULL);
  dealstat_dataset_destroy(&ds);
}

/* The event index: NULL handles, destroying twice, what outlives what, one index shared by threads. */
struct events_job {
  dealstat_dataset ds;
  dealstat_event_index ix;
  int64_t first_at;
  int64_t total;
  dealstat_status status;
};

static void* run_events_list(void* arg) {
  struct events_job* job = (struct events_job*)arg;
  dealstat_result r = NULL;
  dealstat_events_list_options o = DEALSTAT_EVENTS_LIST_OPTIONS_INIT;
  o.limit = 3;
  job->status = dealstat_events_list(job->ds, job->ix, &o, &r);
  if (job->status == DEALSTAT_OK) {
    job->first_at = dealstat_result_column_int64(r, 0, dealstat_result_column_index(r, 0, "at_s"))[0];
    job->total = page_total(r);
  }
  dealstat_result_destroy(&r);
  return NULL;
}

static void test_event_index(void) {
  enum { kThreads = 4 };
  struct events_job jobs[kThreads];
  pthread_t threads[kThreads];
  dealstat_dataset ds = sample_with_events(200);
  dealstat_event_index ix = NULL, empty_ix = NULL;
  dealstat_dataset empty = small_sample(50); /* no event log */
  dealstat_result r = NULL;
  const char* id_bytes;
  char first_id[64];
  int64_t n;
  int i;
  /* NULL and double destroy. */
  CHECK(dealstat_event_index_event_count(NULL) == 0);
  dealstat_event_index_destroy(NULL);
  dealstat_event_index_destroy(&ix);
  expect_null_argument(dealstat_event_index_create(ds, 0, NULL), "dealstat_event_index_create");
  CHECK_OK(dealstat_event_index_create(ds, 1, &ix));
  n = dealstat_event_index_event_count(ix);
  CHECK(n > 0);

  /* One index, many threads. */
  for (i = 0; i < kThreads; ++i) {
    jobs[i].ds = ds;
    jobs[i].ix = ix;
    CHECK(pthread_create(&threads[i], NULL, run_events_list, &jobs[i]) == 0);
  }
  for (i = 0; i < kThreads; ++i) CHECK(pthread_join(threads[i], NULL) == 0);
  for (i = 0; i < kThreads; ++i) {
    CHECK(jobs[i].status == DEALSTAT_OK);
    CHECK(jobs[i].total == n && jobs[i].first_at == jobs[0].first_at);
  }

  /* A page outlives its index and its dataset; the index outlives its dataset handle. */
  CHECK_OK(dealstat_events_list(ds, ix, NULL, &r));
  id_bytes = dealstat_result_column_string_data(r, 0, dealstat_result_column_index(r, 0, "id"));
  string_at(r, 0, dealstat_result_column_index(r, 0, "id"), 0, first_id, sizeof first_id);
  dealstat_dataset_destroy(&ds);
  CHECK(dealstat_event_index_event_count(ix) == n);
  dealstat_event_index_destroy(&ix);
  CHECK(ix == NULL);
  dealstat_event_index_destroy(&ix);
  CHECK(strncmp(id_bytes, first_id, strlen(first_id)) == 0);
  CHECK(page_total(r) == n);
  dealstat_result_destroy(&r);
  dealstat_result_destroy(&r);

  /* A dataset without events: an empty index and an empty page. */
  CHECK_OK(dealstat_event_index_create(empty, 0, &empty_ix));
  CHECK(dealstat_event_index_event_count(empty_ix) == 0);
  CHECK_OK(dealstat_events_list(empty, empty_ix, NULL, &r));
  CHECK(dealstat_result_row_count(r, 0) == 0 && page_total(r) == 0);
  CHECK(strlen(next_cursor(r, first_id, sizeof first_id)) == 0);
  dealstat_result_destroy(&r);
  dealstat_event_index_destroy(&empty_ix);
  dealstat_dataset_destroy(&empty);
}

/* ---- many threads read one dataset ---- */
struct thread_job {
  dealstat_dataset ds;
  int64_t reached_sum;
  dealstat_status status;
};

static void* run_funnel(void* arg) {
  struct thread_job* job = (struct thread_job*)arg;
  dealstat_result r = NULL;
  dealstat_funnel_options o = DEALSTAT_FUNNEL_OPTIONS_INIT;
  int64_t i, c;
  const int64_t* reached;
  o.threads = 1;
  job->status = dealstat_funnel(job->ds, &o, &r);
  job->reached_sum = 0;
  if (job->status == DEALSTAT_OK) {
    c = dealstat_result_column_index(r, 0, "reached");
    reached = dealstat_result_column_int64(r, 0, c);
    for (i = 0; i < dealstat_result_row_count(r, 0); ++i) job->reached_sum += reached[i];
  }
  dealstat_result_destroy(&r);
  /* Each thread has its own last error. */
  if (dealstat_funnel(NULL, NULL, &r) != DEALSTAT_ERROR_NULL_ARGUMENT) job->status = DEALSTAT_ERROR_INTERNAL;
  return NULL;
}

static void test_threads(void) {
  enum { kThreads = 4 };
  struct thread_job jobs[kThreads];
  pthread_t threads[kThreads];
  int i;
  dealstat_dataset ds = small_sample(1000);
  dealstat_clear_last_error();
  for (i = 0; i < kThreads; ++i) {
    jobs[i].ds = ds;
    CHECK(pthread_create(&threads[i], NULL, run_funnel, &jobs[i]) == 0);
  }
  for (i = 0; i < kThreads; ++i) CHECK(pthread_join(threads[i], NULL) == 0);
  for (i = 0; i < kThreads; ++i) {
    CHECK(jobs[i].status == DEALSTAT_OK);
    CHECK(jobs[i].reached_sum == jobs[0].reached_sum && jobs[i].reached_sum > 0);
  }
  CHECK(dealstat_last_error_code() == DEALSTAT_OK); /* the threads' errors stayed theirs */
  dealstat_dataset_destroy(&ds);
}

int main(int argc, char** argv) {
  static const struct {
    const char* name;
    void (*run)(void);
  } cases[] = {
      {"version", test_version},           {"funnel", test_funnel},
      {"stage_time", test_stage_time},     {"movement", test_movement},
      {"null_handles", test_null_handles}, {"destroy_twice", test_destroy_twice},
      {"lifetimes", test_lifetimes},       {"load_csv", test_load_csv},
      {"load_mapping", test_load_mapping}, {"load_sample", test_load_sample},
      {"builder", test_builder},           {"bad_options", test_bad_options},
      {"threads", test_threads},           {"employees", test_employees},
      {"unsorted", test_unsorted},         {"forecast", test_forecast},
      {"summary", test_summary},           {"events_list", test_events_list},
      {"event_index", test_event_index},   {"load_amocrm", test_load_amocrm},
  };
  size_t i;
  int ran = 0;
  for (i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    if (argc < 2 || strcmp(argv[1], cases[i].name) == 0) {
      cases[i].run();
      ++ran;
    }
  }
  if (ran == 0) {
    fprintf(stderr, "unknown case %s\n", argv[1]);
    return 2;
  }
  if (g_failures > 0) fprintf(stderr, "%d check(s) failed\n", g_failures);
  return g_failures == 0 ? 0 : 1;
}
