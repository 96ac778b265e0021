/* dealstat from C: generate the sample account, print its sales funnel,
 * the time-in-stage table and the forecast, free everything. Build with the library's CMake
 * (target dealstat_example_c) or by hand:
 *   cc -std=c99 funnel.c -I capi/include -L build/capi -ldealstat_c
 * Usage: dealstat_example_c [deals]   (default 20000) */
#include <stdio.h>
#include <stdlib.h>

#include "dealstat.h"

/* Prints the error of a failed call and returns 1. */
static int fail(const char* what) {
  fprintf(stderr, "%s failed: %s: %s\n", what, dealstat_status_name(dealstat_last_error_code()),
          dealstat_last_error_message());
  return 1;
}

/* Prints one cell of a result table. */
static void print_cell(dealstat_result r, int64_t t, int64_t c, int64_t row) {
  const uint8_t* valid = dealstat_result_column_validity(r, t, c);
  if (valid != NULL && !((valid[row / 8] >> (row % 8)) & 1)) {
    printf(" %11s", "null");
    return;
  }
  switch (dealstat_result_column_type(r, t, c)) {
    case DEALSTAT_TYPE_INT64:
      printf(" %11lld", (long long)dealstat_result_column_int64(r, t, c)[row]);
      break;
    case DEALSTAT_TYPE_FLOAT64:
      printf(" %11.2f", dealstat_result_column_float64(r, t, c)[row]);
      break;
    case DEALSTAT_TYPE_STRING: {
      const int64_t* off = dealstat_result_column_string_offsets(r, t, c);
      const char* bytes = dealstat_result_column_string_data(r, t, c);
      printf("%-14.*s", (int)(off[row + 1] - off[row]), bytes + off[row]);
      break;
    }
    default:
      break;
  }
}

/* Prints the chosen columns of table t, one line per row. */
static void print_table(dealstat_result r, int64_t t, const char* const* columns, int n) {
  int64_t row, idx[16];
  int i;
  printf("== %s\n", dealstat_result_table_name(r, t));
  for (i = 0; i < n; ++i) {
    idx[i] = dealstat_result_column_index(r, t, columns[i]);
    printf(i == 0 ? "%-14s" : " %11.11s", columns[i]);
  }
  printf("\n");
  for (row = 0; row < dealstat_result_row_count(r, t); ++row) {
    for (i = 0; i < n; ++i) print_cell(r, t, idx[i], row);
    printf("\n");
  }
}

int main(int argc, char** argv) {
  static const char* const funnel_columns[] = {"stage", "reached", "conversion_from_first_pct",
                                               "step_conversion_pct", "lost_here"};
  static const char* const summary_columns[] = {"pipeline", "deals", "won", "lost", "active",
                                                "km_median_time_to_close_s"};
  static const char* const stage_time_columns[] = {"stage", "visits", "share_pct", "median_completed_s"};
  dealstat_sample_options sample = DEALSTAT_SAMPLE_OPTIONS_INIT;
  dealstat_funnel_options funnel = DEALSTAT_FUNNEL_OPTIONS_INIT;
  dealstat_stage_time_options stage_time = DEALSTAT_STAGE_TIME_OPTIONS_INIT;
  dealstat_dataset ds = NULL;
  dealstat_result r = NULL;
  int rc = 0;

  printf("dealstat %s\n", dealstat_version_string());
  if (argc > 1) sample.deals = atoll(argv[1]);
  if (dealstat_make_sample(&sample, &ds) != DEALSTAT_OK) return fail("dealstat_make_sample");
  printf("sample account: %lld deals\n", (long long)dealstat_dataset_deal_count(ds));

  funnel.filter.from = "2024-01-01";
  funnel.filter.to = "2025-01-01";
  if (dealstat_funnel(ds, &funnel, &r) != DEALSTAT_OK) {
    rc = fail("dealstat_funnel");
  } else {
    print_table(r, dealstat_result_table_index(r, "funnel"), funnel_columns, 5);
    print_table(r, dealstat_result_table_index(r, "funnel_summary"), summary_columns, 6);
  }
  dealstat_result_destroy(&r);

  stage_time.filter.pipeline = NULL;
  if (rc == 0 && dealstat_stage_time(ds, &stage_time, &r) != DEALSTAT_OK) {
    rc = fail("dealstat_stage_time");
  } else if (rc == 0) {
    print_table(r, dealstat_result_table_index(r, "stage_time"), stage_time_columns, 4);
  }
  dealstat_result_destroy(&r);

  /* The sales forecast (SPEC section 10): every table it returns, every column. */
  if (rc == 0) {
    dealstat_forecast_options forecast = DEALSTAT_FORECAST_OPTIONS_INIT;
    forecast.backtest = 0; /* quick here; a forecast is shown with its backtest in a real report */
    if (dealstat_forecast(ds, &forecast, &r) != DEALSTAT_OK) {
      rc = fail("dealstat_forecast");
    } else {
      int64_t t, c, row;
      for (t = 0; t < dealstat_result_table_count(r); ++t) {
        printf("== %s\n", dealstat_result_table_name(r, t));
        for (row = 0; row < dealstat_result_row_count(r, t) && row < 10; ++row) {
          for (c = 0; c < dealstat_result_column_count(r, t); ++c) {
            printf("  %s=", dealstat_result_column_name(r, t, c));
            print_cell(r, t, c, row);
          }
          printf("\n");
        }
      }
    }
    dealstat_result_destroy(&r);
  }
  dealstat_dataset_destroy(&ds);
  return rc;
}
