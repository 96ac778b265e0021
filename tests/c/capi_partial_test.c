/* The C API's mergeable partials (dealstat_partial_*), compiled as C99: two halves of the rows
 * through bytes merge to the report on the whole (the funnel, the forecast); newer formats, mixed options and NULL handles
 * are refused; destroy accepts NULL and nulls the caller's copy. */
#include <stdint.h>
#include <stdlib.h>

#include "capi_test_util.h"

/* The funnel's "reached" column equals between two results. */
static void check_same_funnel(dealstat_result a, dealstat_result b) {
  int64_t n = dealstat_result_row_count(a, 0), i;
  const int64_t *x = dealstat_result_column_int64(a, 0, 3), *y = dealstat_result_column_int64(b, 0, 3);
  CHECK(n > 0);
  CHECK(n == dealstat_result_row_count(b, 0));
  CHECK(x != NULL && y != NULL);
  if (x == NULL || y == NULL) return;
  for (i = 0; i < n; ++i) CHECK(x[i] == y[i]);
}

static void test_halves(void) {
  dealstat_dataset ds = small_sample(3000);
  dealstat_funnel_options fo = DEALSTAT_FUNNEL_OPTIONS_INIT;
  dealstat_partial empty = NULL, a = NULL, b = NULL, a2 = NULL, b2 = NULL;
  dealstat_result whole = NULL, merged = NULL;
  dealstat_partial_bounds bounds;
  uint8_t *bytes_a = NULL, *bytes_b = NULL;
  size_t size_a = 0, size_b = 0;
  uint64_t rows;
  CHECK_OK(dealstat_partial_bounds_of(ds, DEALSTAT_REPORT_FUNNEL, &bounds));
  CHECK_OK(dealstat_partial_funnel(ds, &fo, &bounds, &a));
  CHECK_OK(dealstat_partial_funnel(ds, &fo, NULL, &b));
  CHECK(dealstat_partial_kind(a) == DEALSTAT_REPORT_FUNNEL);
  rows = dealstat_partial_rows(a, ds);
  CHECK(rows == 3000);
  CHECK_OK(dealstat_partial_accumulate_rows(a, ds, 0, rows / 2));
  CHECK_OK(dealstat_partial_accumulate_rows(b, ds, rows / 2, rows));
  CHECK(dealstat_partial_accumulate_rows(b, ds, 0, rows + 1) == DEALSTAT_ERROR_INVALID_OPTION);
  CHECK_OK(dealstat_partial_serialize(a, &bytes_a, &size_a));
  CHECK_OK(dealstat_partial_serialize(b, &bytes_b, &size_b));
  CHECK(size_a > 32 && bytes_a[0] == 'D' && bytes_a[1] == 'S' && bytes_a[2] == 'R' && bytes_a[3] == 'P');
  CHECK_OK(dealstat_partial_deserialize(bytes_a, size_a, &a2));
  CHECK_OK(dealstat_partial_deserialize(bytes_b, size_b, &b2));
  CHECK_OK(dealstat_partial_merge(b2, a2));
  CHECK_OK(dealstat_partial_finalize(b2, ds, &merged));
  CHECK_OK(dealstat_funnel(ds, &fo, &whole));
  check_same_funnel(merged, whole);
  /* A newer format is refused. */
  bytes_a[4] = 99;
  CHECK(dealstat_partial_deserialize(bytes_a, size_a, &empty) == DEALSTAT_ERROR_UNSUPPORTED_VERSION);
  CHECK(empty == NULL);
  CHECK(contains(dealstat_last_error_message(), "newer"));
  CHECK(dealstat_partial_deserialize(bytes_b, 3, &empty) == DEALSTAT_ERROR_PARSE);
  dealstat_bytes_free(bytes_a);
  dealstat_bytes_free(bytes_b);
  dealstat_bytes_free(NULL);
  dealstat_result_destroy(&whole);
  dealstat_result_destroy(&merged);
  dealstat_partial_destroy(&a);
  dealstat_partial_destroy(&b);
  dealstat_partial_destroy(&a2);
  dealstat_partial_destroy(&b2);
  CHECK(a == NULL && b2 == NULL);
  dealstat_partial_destroy(&a); /* twice */
  dealstat_partial_destroy(NULL);
  dealstat_dataset_destroy(&ds);
}

/* Every int64 and float64 column of every table equal (NaN equals NaN). */
static void check_same_tables(dealstat_result a, dealstat_result b) {
  int64_t t, c, i, n;
  CHECK(dealstat_result_table_count(a) == dealstat_result_table_count(b));
  for (t = 0; t < dealstat_result_table_count(a); ++t) {
    n = dealstat_result_row_count(a, t);
    CHECK(n == dealstat_result_row_count(b, t));
    CHECK(dealstat_result_column_count(a, t) == dealstat_result_column_count(b, t));
    for (c = 0; c < dealstat_result_column_count(a, t); ++c) {
      const int64_t *xi = dealstat_result_column_int64(a, t, c), *yi = dealstat_result_column_int64(b, t, c);
      const double *xf = dealstat_result_column_float64(a, t, c), *yf = dealstat_result_column_float64(b, t, c);
      CHECK((xi == NULL) == (yi == NULL) && (xf == NULL) == (yf == NULL));
      for (i = 0; i < n && xi != NULL && yi != NULL; ++i) CHECK(xi[i] == yi[i]);
      for (i = 0; i < n && xf != NULL && yf != NULL; ++i) CHECK(xf[i] == yf[i] || (xf[i] != xf[i] && yf[i] != yf[i]));
    }
  }
}

/* The forecast's partial: two halves through bytes give dealstat_forecast's tables. */
static void test_forecast(void) {
  dealstat_dataset ds = small_sample(3000);
  dealstat_forecast_options fo = DEALSTAT_FORECAST_OPTIONS_INIT;
  dealstat_partial a = NULL, b = NULL, a2 = NULL, b2 = NULL;
  dealstat_result whole = NULL, merged = NULL;
  dealstat_partial_bounds bounds;
  uint8_t *bytes_a = NULL, *bytes_b = NULL;
  size_t size_a = 0, size_b = 0;
  uint64_t rows;
  CHECK_OK(dealstat_partial_bounds_of(ds, DEALSTAT_REPORT_FORECAST, &bounds));
  CHECK_OK(dealstat_partial_forecast(ds, &fo, &bounds, &a));
  CHECK_OK(dealstat_partial_forecast(ds, NULL, &bounds, &b));
  CHECK(dealstat_partial_kind(a) == DEALSTAT_REPORT_FORECAST);
  rows = dealstat_partial_rows(a, ds);
  CHECK(rows == 3000);
  CHECK_OK(dealstat_partial_accumulate_rows(a, ds, rows / 3, rows));
  CHECK_OK(dealstat_partial_accumulate_rows(b, ds, 0, rows / 3));
  CHECK_OK(dealstat_partial_serialize(a, &bytes_a, &size_a));
  CHECK_OK(dealstat_partial_serialize(b, &bytes_b, &size_b));
  CHECK_OK(dealstat_partial_deserialize(bytes_a, size_a, &a2));
  CHECK_OK(dealstat_partial_deserialize(bytes_b, size_b, &b2));
  CHECK_OK(dealstat_partial_merge(a2, b2));
  CHECK_OK(dealstat_partial_finalize(a2, ds, &merged));
  CHECK_OK(dealstat_forecast(ds, &fo, &whole));
  CHECK(dealstat_result_table_index(merged, "backtest_origins") >= 0);
  check_same_tables(merged, whole);
  fo.horizon_days = 0;
  dealstat_partial_destroy(&a);
  CHECK(dealstat_partial_forecast(ds, &fo, NULL, &a) == DEALSTAT_ERROR_INVALID_OPTION);
  CHECK(a == NULL && contains(dealstat_last_error_message(), "horizon_days"));
  dealstat_bytes_free(bytes_a);
  dealstat_bytes_free(bytes_b);
  dealstat_result_destroy(&whole);
  dealstat_result_destroy(&merged);
  dealstat_partial_destroy(&b);
  dealstat_partial_destroy(&a2);
  dealstat_partial_destroy(&b2);
  dealstat_dataset_destroy(&ds);
}

static void test_refusals(void) {
  dealstat_dataset ds = small_sample(500);
  dealstat_funnel_options f1 = DEALSTAT_FUNNEL_OPTIONS_INIT, f2 = DEALSTAT_FUNNEL_OPTIONS_INIT;
  dealstat_partial a = NULL, b = NULL, s = NULL;
  dealstat_result r = NULL;
  f2.skip = DEALSTAT_SKIP_OBSERVED;
  CHECK_OK(dealstat_partial_funnel(ds, &f1, NULL, &a));
  CHECK_OK(dealstat_partial_funnel(ds, &f2, NULL, &b));
  CHECK(dealstat_partial_merge(a, b) == DEALSTAT_ERROR_INVALID_OPTION);
  CHECK(contains(dealstat_last_error_message(), "different options"));
  CHECK_OK(dealstat_partial_summary(ds, NULL, DEALSTAT_NO_TIME, DEALSTAT_BUCKET_MONTH, NULL, &s));
  CHECK(dealstat_partial_kind(s) == DEALSTAT_REPORT_SUMMARY);
  CHECK(dealstat_partial_merge(a, s) == DEALSTAT_ERROR_INVALID_OPTION);
  CHECK_OK(dealstat_partial_accumulate(s, ds, 1));
  CHECK_OK(dealstat_partial_finalize(s, ds, &r));
  CHECK(dealstat_result_table_count(r) > 0);
  CHECK(dealstat_partial_merge(NULL, a) == DEALSTAT_ERROR_NULL_ARGUMENT);
  CHECK(dealstat_partial_accumulate(NULL, ds, 1) == DEALSTAT_ERROR_NULL_ARGUMENT);
  CHECK(dealstat_partial_funnel(ds, &f1, NULL, NULL) == DEALSTAT_ERROR_NULL_ARGUMENT);
  CHECK(dealstat_partial_bounds_of(ds, 42, NULL) == DEALSTAT_ERROR_NULL_ARGUMENT);
  CHECK(dealstat_partial_kind(NULL) == 0);
  dealstat_result_destroy(&r);
  dealstat_partial_destroy(&a);
  dealstat_partial_destroy(&b);
  dealstat_partial_destroy(&s);
  dealstat_dataset_destroy(&ds);
}

int main(int argc, char** argv) {
  if (argc < 2 || strcmp(argv[1], "halves") == 0) test_halves();
  if (argc < 2 || strcmp(argv[1], "refusals") == 0) test_refusals();
  if (argc < 2 || strcmp(argv[1], "forecast") == 0) test_forecast();
  if (g_failures > 0) fprintf(stderr, "%d check(s) failed\n", g_failures);
  return g_failures == 0 ? 0 : 1;
}
