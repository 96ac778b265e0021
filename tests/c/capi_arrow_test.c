/* The Arrow C stream interface from C, by hand: a result exported and walked
 * array by array (every value compared with the column accessors, children
 * moved out of their parent, the stream outliving its result), and a stream
 * made here in C read in by the builder (two batches, an offset, nulls,
 * int32), plus bad streams that must fail with their detail. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capi_test_util.h"

/* Compares an exported table with the result's accessors, value by value. */
static void compare_stream(dealstat_result r, int64_t t, struct ArrowArrayStream* s) {
  struct ArrowSchema schema;
  struct ArrowArray array, end;
  int64_t c, i, rows = dealstat_result_row_count(r, t);
  CHECK(s->get_schema(s, &schema) == 0);
  CHECK_STR(schema.format, "+s");
  CHECK(schema.n_children == dealstat_result_column_count(r, t));
  CHECK(s->get_next(s, &array) == 0);
  CHECK(array.release != NULL);
  CHECK(array.length == rows && array.n_children == schema.n_children && array.null_count == 0);
  for (c = 0; c < schema.n_children; ++c) {
    const struct ArrowSchema* cs = schema.children[c];
    const struct ArrowArray* ca = array.children[c];
    dealstat_column_type type = dealstat_result_column_type(r, t, c);
    CHECK_STR(cs->name, dealstat_result_column_name(r, t, c));
    CHECK(cs->flags & ARROW_FLAG_NULLABLE);
    CHECK(ca->length == rows && ca->offset == 0);
    CHECK(ca->null_count == dealstat_result_column_null_count(r, t, c));
    if (type == DEALSTAT_TYPE_INT64) {
      const int64_t* v = (const int64_t*)ca->buffers[1];
      const int64_t* w = dealstat_result_column_int64(r, t, c);
      CHECK_STR(cs->format, "l");
      CHECK(ca->n_buffers == 2);
      for (i = 0; i < rows; ++i) CHECK(v[i] == w[i]);
    } else if (type == DEALSTAT_TYPE_FLOAT64) {
      const double* v = (const double*)ca->buffers[1];
      const double* w = dealstat_result_column_float64(r, t, c);
      CHECK_STR(cs->format, "g");
      for (i = 0; i < rows; ++i) CHECK((isnan(v[i]) && isnan(w[i])) || v[i] == w[i]);
    } else {
      const int64_t* off = (const int64_t*)ca->buffers[1];
      const char* bytes = (const char*)ca->buffers[2];
      const int64_t* woff = dealstat_result_column_string_offsets(r, t, c);
      const char* wbytes = dealstat_result_column_string_data(r, t, c);
      CHECK_STR(cs->format, "U");
      CHECK(ca->n_buffers == 3);
      for (i = 0; i < rows; ++i) {
        CHECK(off[i + 1] - off[i] == woff[i + 1] - woff[i]);
        CHECK(memcmp(bytes + off[i], wbytes + woff[i], (size_t)(off[i + 1] - off[i])) == 0);
      }
    }
  }
  /* One batch: the next call ends the stream. */
  CHECK(s->get_next(s, &end) == 0);
  CHECK(end.release == NULL);
  array.release(&array);
  CHECK(array.release == NULL);
  schema.release(&schema);
  CHECK(schema.release == NULL);
}

static void test_export(void) {
  dealstat_sample_options so = DEALSTAT_SAMPLE_OPTIONS_INIT;
  dealstat_dataset ds = NULL;
  dealstat_result r = NULL;
  dealstat_movement_options mo = DEALSTAT_MOVEMENT_OPTIONS_INIT;
  struct ArrowArrayStream s;
  int64_t t;
  so.deals = 1500;
  so.events = 0;
  CHECK_OK(dealstat_make_sample(&so, &ds));
  CHECK_OK(dealstat_funnel(ds, NULL, &r));
  for (t = 0; t < dealstat_result_table_count(r); ++t) {
    CHECK_OK(dealstat_result_export_arrow(r, t, &s));
    compare_stream(r, t, &s);
    s.release(&s);
    CHECK(s.release == NULL);
  }
  CHECK(dealstat_result_export_arrow(r, 2, &s) == DEALSTAT_ERROR_OUT_OF_RANGE);
  CHECK(s.release == NULL);
  CHECK(contains(dealstat_last_error_message(), "out of range"));
  CHECK(dealstat_result_export_arrow(r, -1, &s) == DEALSTAT_ERROR_OUT_OF_RANGE);
  dealstat_result_destroy(&r);
  mo.bucket = DEALSTAT_BUCKET_MONTH;
  CHECK_OK(dealstat_movement(ds, &mo, &r));
  for (t = 0; t < dealstat_result_table_count(r); ++t) {
    CHECK_OK(dealstat_result_export_arrow(r, t, &s));
    compare_stream(r, t, &s);
    s.release(&s);
  }
  dealstat_result_destroy(&r);
  dealstat_dataset_destroy(&ds);
}

/* The stream, a schema and an array, and a child moved out of its parent, each outlive what made them. */
static void test_export_lifetimes(void) {
  dealstat_dataset ds = small_sample(400);
  dealstat_result r = NULL;
  struct ArrowArrayStream s;
  struct ArrowSchema schema, child_schema;
  struct ArrowArray array, child;
  int64_t reached_col, rows, first;
  CHECK_OK(dealstat_funnel(ds, NULL, &r));
  reached_col = dealstat_result_column_index(r, 0, "reached");
  rows = dealstat_result_row_count(r, 0);
  first = dealstat_result_column_int64(r, 0, reached_col)[0];
  CHECK_OK(dealstat_result_export_arrow(r, 0, &s));
  dealstat_result_destroy(&r);
  dealstat_dataset_destroy(&ds);
  CHECK(s.get_schema(&s, &schema) == 0);
  CHECK(s.get_next(&s, &array) == 0);
  s.release(&s); /* arrays and schemas are released independently of the stream */
  /* Move a child out (copy it and mark the parent's copy released), then release the parent first. */
  child = *array.children[reached_col];
  array.children[reached_col]->release = NULL;
  child_schema = *schema.children[reached_col];
  schema.children[reached_col]->release = NULL;
  array.release(&array);
  schema.release(&schema);
  CHECK_STR(child_schema.name, "reached");
  CHECK(child.length == rows);
  CHECK(((const int64_t*)child.buffers[1])[0] == first);
  child.release(&child);
  child_schema.release(&child_schema);
  CHECK(child.release == NULL && child_schema.release == NULL);
}

/* ---- a producer written in C: deals in two batches ---- */
struct producer {
  int batch;      /* next batch to hand out */
  int fail;       /* nonzero: get_next fails with EIO */
  int bad_type;   /* nonzero: the stage column is float64 */
  int drop_id;    /* nonzero: no id column */
  int released;   /* counts stream releases */
};

static const char* const kNames[] = {"id", "pipeline_id", "stage_id", "created_at", "closed_at", "budget_minor",
                                     "responsible_id"};
enum { kCols = 7 };

static void release_child_schema(struct ArrowSchema* s) { s->release = NULL; }

static void release_schema(struct ArrowSchema* s) {
  int64_t i;
  for (i = 0; i < s->n_children; ++i) {
    if (s->children[i]->release != NULL) s->children[i]->release(s->children[i]);
    free(s->children[i]);
  }
  free(s->children);
  s->release = NULL;
}

static int get_schema(struct ArrowArrayStream* st, struct ArrowSchema* out) {
  struct producer* p = (struct producer*)st->private_data;
  int i, n = 0;
  memset(out, 0, sizeof *out);
  out->format = "+s";
  out->children = (struct ArrowSchema**)calloc(kCols, sizeof(struct ArrowSchema*));
  for (i = 0; i < kCols; ++i) {
    struct ArrowSchema* c;
    if (p->drop_id && i == 0) continue;
    c = (struct ArrowSchema*)calloc(1, sizeof *c);
    c->name = kNames[i];
    c->format = (i == 2 && p->bad_type) ? "g" : (i == 1 ? "i" : "l"); /* pipeline_id as int32 */
    c->flags = ARROW_FLAG_NULLABLE;
    c->release = release_child_schema;
    out->children[n++] = c;
  }
  out->n_children = n;
  out->release = release_schema;
  return 0;
}

/* One batch's memory: all buffers in one block, freed by the parent's release. */
struct batch {
  struct ArrowArray children[kCols];
  struct ArrowArray* child_ptrs[kCols];
  const void* buffers[kCols][2];
  const void* struct_buffers[1];
  int64_t i64[kCols][4];
  int32_t i32[4];
  uint8_t validity[kCols];
};

static void release_child_array(struct ArrowArray* a) { a->release = NULL; }

static void release_batch(struct ArrowArray* a) {
  int64_t i;
  for (i = 0; i < a->n_children; ++i) {
    if (a->children[i]->release != NULL) a->children[i]->release(a->children[i]);
  }
  free(a->private_data);
  a->release = NULL;
}

/* Deals 1..3 in batch 0 (rows start at offset 1 of the buffers), deal 4 in batch 1. */
static int get_next(struct ArrowArrayStream* st, struct ArrowArray* out) {
  struct producer* p = (struct producer*)st->private_data;
  struct batch* b;
  int c, n = 0;
  int64_t rows;
  memset(out, 0, sizeof *out);
  if (p->fail) return EIO;
  if (p->batch >= 2) return 0; /* end of stream: out->release stays NULL */
  b = (struct batch*)calloc(1, sizeof *b);
  rows = p->batch == 0 ? 3 : 1;
  for (c = 0; c < kCols; ++c) {
    int64_t r;
    struct ArrowArray* a;
    if (p->drop_id && c == 0) continue;
    a = &b->children[n];
    for (r = 0; r < 4; ++r) {
      /* Buffer row 0 is padding skipped by the offset of 1; data rows are deal = r (batch 0) or 4. */
      int64_t deal = p->batch == 0 ? r : 4;
      int64_t v = 0;
      switch (c) {
        case 0: v = deal; break;
        case 1: v = 1; break;
        case 2: v = deal == 2 ? 142 : (deal == 3 ? 143 : 10); break;
        case 3: v = 1700000000; break;
        case 4: v = deal == 2 ? 1700100000 : (deal == 3 ? 1700200000 : 0); break;
        case 5: v = deal * 100; break;
        case 6: v = 7; break;
      }
      b->i64[c][r] = v;
      if (c == 1) b->i32[r] = (int32_t)v;
    }
    a->length = rows;
    a->offset = 1;
    a->n_buffers = 2;
    a->buffers = b->buffers[n];
    b->buffers[n][1] = c == 1 ? (const void*)b->i32 : (const void*)b->i64[c];
    if (c == 4 || c == 6) {
      /* closed_at null for the open deals (1 and 4); responsible null for deal 3. Bits are at offset + row. */
      uint8_t bits = 0;
      int64_t r2;
      for (r2 = 0; r2 < rows; ++r2) {
        int64_t deal = p->batch == 0 ? r2 + 1 : 4;
        int valid = c == 4 ? (deal == 2 || deal == 3) : deal != 3;
        if (valid) bits |= (uint8_t)(1u << (r2 + 1));
        else ++a->null_count;
      }
      b->validity[c] = bits;
      b->buffers[n][0] = &b->validity[c];
    }
    a->release = release_child_array;
    b->child_ptrs[n] = a;
    ++n;
  }
  out->length = rows;
  out->n_buffers = 1;
  out->buffers = b->struct_buffers;
  out->n_children = n;
  out->children = b->child_ptrs;
  out->release = release_batch;
  out->private_data = b;
  ++p->batch;
  return 0;
}

static const char* get_last_error(struct ArrowArrayStream* st) {
  (void)st;
  return "the test producer was told to fail";
}

static void release_stream(struct ArrowArrayStream* st) {
  struct producer* p = (struct producer*)st->private_data;
  ++p->released;
  st->release = NULL;
}

static void make_stream(struct ArrowArrayStream* st, struct producer* p) {
  st->get_schema = get_schema;
  st->get_next = get_next;
  st->get_last_error = get_last_error;
  st->release = release_stream;
  st->private_data = p;
}

static dealstat_builder tiny_builder(void) {
  dealstat_builder b = NULL;
  CHECK_OK(dealstat_builder_create(&b));
  CHECK_OK(dealstat_builder_add_user(b, 7, "Anna", NULL));
  CHECK_OK(dealstat_builder_add_pipeline(b, 1, "Sales"));
  CHECK_OK(dealstat_builder_add_stage(b, 1, 10, "New", 10, DEALSTAT_STAGE_OPEN));
  CHECK_OK(dealstat_builder_add_stage(b, 1, 142, "Won", 142, DEALSTAT_STAGE_WON));
  CHECK_OK(dealstat_builder_add_stage(b, 1, 143, "Lost", 143, DEALSTAT_STAGE_LOST));
  return b;
}

static void test_import(void) {
  struct producer p;
  struct ArrowArrayStream st;
  dealstat_builder b = tiny_builder();
  dealstat_dataset ds = NULL;
  dealstat_result r = NULL;
  dealstat_status status;
  memset(&p, 0, sizeof p);
  make_stream(&st, &p);
  CHECK_OK(dealstat_builder_add_deals_arrow(b, &st));
  CHECK(st.release == NULL && p.released == 1); /* consumed */
  CHECK_OK(dealstat_builder_build(&b, DEALSTAT_VALIDATION_STRICT, &ds));
  CHECK(dealstat_dataset_deal_count(ds) == 4);
  CHECK_OK(dealstat_funnel(ds, NULL, &r));
  {
    int64_t s = dealstat_result_table_index(r, "funnel_summary");
    CHECK(dealstat_result_column_int64(r, s, dealstat_result_column_index(r, s, "won"))[0] == 1);
    CHECK(dealstat_result_column_int64(r, s, dealstat_result_column_index(r, s, "lost"))[0] == 1);
    CHECK(dealstat_result_column_int64(r, s, dealstat_result_column_index(r, s, "active"))[0] == 2);
    CHECK(dealstat_result_column_int64(r, 0, dealstat_result_column_index(r, 0, "budget_minor"))[0] ==
          100 + 200 + 300 + 400);
  }
  dealstat_result_destroy(&r);
  dealstat_dataset_destroy(&ds);

  /* A producer failure is an I/O error carrying the producer's message; the stream is still released. */
  memset(&p, 0, sizeof p);
  p.fail = 1;
  make_stream(&st, &p);
  b = tiny_builder();
  status = dealstat_builder_add_deals_arrow(b, &st);
  CHECK(status == DEALSTAT_ERROR_IO);
  CHECK(contains(dealstat_last_error_message(), "the test producer was told to fail"));
  CHECK(st.release == NULL && p.released == 1);
  /* An unsupported column type names the column. */
  memset(&p, 0, sizeof p);
  p.bad_type = 1;
  make_stream(&st, &p);
  status = dealstat_builder_add_deals_arrow(b, &st);
  CHECK(status == DEALSTAT_ERROR_INVALID_DATA);
  CHECK_STR(dealstat_last_error_field(), "stage_id");
  CHECK(st.release == NULL && p.released == 1);
  /* A missing required column names it. */
  memset(&p, 0, sizeof p);
  p.drop_id = 1;
  make_stream(&st, &p);
  status = dealstat_builder_add_deals_arrow(b, &st);
  CHECK(status == DEALSTAT_ERROR_INVALID_DATA);
  CHECK_STR(dealstat_last_error_field(), "id");
  CHECK_STR(dealstat_last_error_source(), "arrow:deals");
  CHECK(st.release == NULL && p.released == 1);
  /* A released stream is refused. */
  status = dealstat_builder_add_deals_arrow(b, &st);
  CHECK(status == DEALSTAT_ERROR_INVALID_OPTION);
  /* A NULL builder still consumes the stream. */
  memset(&p, 0, sizeof p);
  make_stream(&st, &p);
  CHECK(dealstat_builder_add_deals_arrow(NULL, &st) == DEALSTAT_ERROR_NULL_ARGUMENT);
  CHECK(st.release == NULL && p.released == 1);
  dealstat_builder_destroy(&b);
}

int main(int argc, char** argv) {
  const char* which = argc > 1 ? argv[1] : "";
  if (which[0] == '\0' || strcmp(which, "export") == 0) test_export();
  if (which[0] == '\0' || strcmp(which, "export_lifetimes") == 0) test_export_lifetimes();
  if (which[0] == '\0' || strcmp(which, "import") == 0) test_import();
  if (g_failures > 0) fprintf(stderr, "%d check(s) failed\n", g_failures);
  return g_failures == 0 ? 0 : 1;
}
