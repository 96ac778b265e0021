/* A tiny test harness for the C API tests (C99): CHECK macros that count
 * failures and print the last dealstat error, and a few shared helpers. */
#ifndef DEALSTAT_CAPI_TEST_UTIL_H
#define DEALSTAT_CAPI_TEST_UTIL_H

#include <stdio.h>
#include <string.h>

#include "dealstat.h"

static int g_failures = 0;

/* Counts and reports a failed condition. */
#define CHECK(cond)                                                                              \
  do {                                                                                           \
    if (!(cond)) {                                                                               \
      fprintf(stderr, "%s:%d: CHECK(%s) failed (last error: %s)\n", __FILE__, __LINE__, #cond,   \
              dealstat_last_error_message());                                                    \
      ++g_failures;                                                                              \
    }                                                                                            \
  } while (0)

/* Checks that a call returns DEALSTAT_OK. */
#define CHECK_OK(call) CHECK((call) == DEALSTAT_OK)

/* Checks that two C strings are equal (NULL-safe). */
#define CHECK_STR(a, b)                                                                          \
  do {                                                                                           \
    const char* sa_ = (a);                                                                       \
    const char* sb_ = (b);                                                                       \
    if (sa_ == NULL || sb_ == NULL || strcmp(sa_, sb_) != 0) {                                   \
      fprintf(stderr, "%s:%d: CHECK_STR(%s, %s) failed: \"%s\" vs \"%s\"\n", __FILE__, __LINE__, \
              #a, #b, sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)");                               \
      ++g_failures;                                                                              \
    }                                                                                            \
  } while (0)

/* True when haystack contains needle. */
static inline int contains(const char* haystack, const char* needle) {
  return haystack != NULL && needle != NULL && strstr(haystack, needle) != NULL;
}

/* A small deterministic sample account (fast, also under ASan). */
static inline dealstat_dataset small_sample(int64_t deals) {
  dealstat_sample_options o = DEALSTAT_SAMPLE_OPTIONS_INIT;
  dealstat_dataset ds = NULL;
  o.deals = deals;
  o.events = 0;
  CHECK_OK(dealstat_make_sample(&o, &ds));
  CHECK(ds != NULL);
  return ds;
}

/* Row r of string column c of table t, copied into buf (NUL-terminated). */
static inline const char* string_at(dealstat_result r, int64_t t, int64_t c, int64_t row, char* buf, size_t size) {
  const int64_t* off = dealstat_result_column_string_offsets(r, t, c);
  const char* data = dealstat_result_column_string_data(r, t, c);
  size_t n;
  if (off == NULL || data == NULL) return NULL;
  n = (size_t)(off[row + 1] - off[row]);
  if (n >= size) n = size - 1;
  memcpy(buf, data + off[row], n);
  buf[n] = '\0';
  return buf;
}

#endif /* DEALSTAT_CAPI_TEST_UTIL_H */
