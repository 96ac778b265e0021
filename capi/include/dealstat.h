/* dealstat.h -- the stable C ABI of dealstat (C99, no C++).
 *
 * Everything other languages need: load a dataset, run any report, read the
 * result's columns or hand them out as an Arrow C stream.
 *
 * Handles. Every object is an opaque typed handle. A function that makes one
 * writes it through an `out` pointer and returns a dealstat_status; the
 * handle's typedef names the function that frees it. Destroy functions accept
 * NULL (and a pointer to NULL) and set the caller's handle to NULL, so
 * destroying twice is harmless. Pointers returned by accessors are borrowed:
 * each accessor says how long its pointer stays valid.
 *
 * Errors. Every function that can fail returns a dealstat_status. On failure
 * the calling thread's last error is set: dealstat_last_error_message() and
 * its parts (source file, row, field, value) carry the same detail as the C++
 * dealstat::Error. No C++ exception ever leaves this library.
 *
 * Threads. A built dataset is immutable: any number of threads may run
 * reports on one dataset handle at once. A result handle is immutable too and
 * may be read from many threads. A builder is not thread-safe (one thread at
 * a time). The last error is per thread.
 *
 * Versions. DEALSTAT_VERSION_* give the version this header belongs to,
 * dealstat_version_number() the version of the library loaded at run time.
 * Every options struct starts with `version`; initialise it with its
 * DEALSTAT_*_OPTIONS_INIT macro, so fields added in later versions get their
 * defaults. Status codes and enum values are only ever appended.
 *
 * See docs/c-api.md for a tour, the Arrow export and the Go binding.
 */
#ifndef DEALSTAT_H
#define DEALSTAT_H

#include <stddef.h>
#include <stdint.h>

/* ---- export macro ------------------------------------------------------- */
#if defined(DEALSTAT_STATIC_DEFINE)
#define DEALSTAT_C_API
#elif defined(_WIN32)
#if defined(DEALSTAT_BUILDING)
#define DEALSTAT_C_API __declspec(dllexport)
#else
#define DEALSTAT_C_API __declspec(dllimport)
#endif
#else
#define DEALSTAT_C_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- versions (mirrors include/dealstat/core/version.hpp; a test keeps them in sync) ---- */
#ifndef DEALSTAT_VERSION_MAJOR
#define DEALSTAT_VERSION_MAJOR 0
#define DEALSTAT_VERSION_MINOR 1
#define DEALSTAT_VERSION_PATCH 0
/* Version as one comparable integer: major * 10000 + minor * 100 + patch. */
#define DEALSTAT_VERSION_NUMBER \
  (DEALSTAT_VERSION_MAJOR * 10000 + DEALSTAT_VERSION_MINOR * 100 + DEALSTAT_VERSION_PATCH)
#endif

/* The loaded library's version number (major * 10000 + minor * 100 + patch). */
DEALSTAT_C_API uint32_t dealstat_version_number(void);
/* The loaded library's version string ("0.1.0"); static storage, never freed. */
DEALSTAT_C_API const char* dealstat_version_string(void);

/* ---- Arrow C data interface (verbatim from Arrow's abi.h) ---------------- */
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
  // Array type description
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;

  // Release callback
  void (*release)(struct ArrowSchema*);
  // Opaque producer-specific data
  void* private_data;
};

struct ArrowArray {
  // Array data description
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;

  // Release callback
  void (*release)(struct ArrowArray*);
  // Opaque producer-specific data
  void* private_data;
};

#endif  // ARROW_C_DATA_INTERFACE

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE

struct ArrowArrayStream {
  // Callback to get the stream type
  // (will be the same for all arrays in the stream).
  //
  // Return value: 0 if successful, an `errno`-compatible error code otherwise.
  //
  // If successful, the ArrowSchema must be released independently from the stream.
  int (*get_schema)(struct ArrowArrayStream*, struct ArrowSchema* out);

  // Callback to get the next array
  // (if no error and the array is released, the stream has ended)
  //
  // Return value: 0 if successful, an `errno`-compatible error code otherwise.
  //
  // If successful, the ArrowArray must be released independently from the stream.
  int (*get_next)(struct ArrowArrayStream*, struct ArrowArray* out);

  // Callback to get optional detailed error information.
  // This must only be called if the last stream operation failed
  // with a non-0 return code.
  //
  // Return value: pointer to a null-terminated character array describing
  // the last error, or NULL if no description is available.
  //
  // The returned pointer is only valid until the next operation on this stream
  // (including release).
  const char* (*get_last_error)(struct ArrowArrayStream*);

  // Release callback: release the stream's own resources.
  // Note that arrays returned by `get_next` must be individually released.
  void (*release)(struct ArrowArrayStream*);

  // Opaque producer-specific data
  void* private_data;
};

#endif  // ARROW_C_STREAM_INTERFACE

/* ---- status codes and the last error -------------------------------------- */

/* Outcome of a call. Values 1-6 are dealstat::ErrorCode's; values are only ever appended. */
typedef enum dealstat_status {
  DEALSTAT_OK = 0,                         /* success */
  DEALSTAT_ERROR_INVALID_DATA = 1,         /* input data breaks a rule (bad value, unknown id, ...) */
  DEALSTAT_ERROR_INVALID_OPTION = 2,       /* an option has a bad value (unknown pipeline, bad date, ...) */
  DEALSTAT_ERROR_IO = 3,                   /* a file could not be opened or read */
  DEALSTAT_ERROR_PARSE = 4,                /* input could not be parsed (malformed CSV / JSON) */
  DEALSTAT_ERROR_UNSUPPORTED_VERSION = 5,  /* an options struct or state from an unknown version */
  DEALSTAT_ERROR_INTERNAL = 6,             /* a bug in dealstat */
  DEALSTAT_ERROR_OUT_OF_MEMORY = 7,        /* an allocation failed */
  DEALSTAT_ERROR_NULL_ARGUMENT = 8,        /* a required pointer or handle was NULL */
  DEALSTAT_ERROR_OUT_OF_RANGE = 9          /* a table or column index past the end */
} dealstat_status;

/* Name of a status ("DEALSTAT_ERROR_IO"); static storage; "DEALSTAT_UNKNOWN" for values not listed. */
DEALSTAT_C_API const char* dealstat_status_name(dealstat_status status);
/* Status of this thread's last failed call (DEALSTAT_OK when none failed yet). */
DEALSTAT_C_API dealstat_status dealstat_last_error_code(void);
/* This thread's last error in one line: "file:row:field: message (value "v")"; "" when none.
 * Borrowed: valid until the next failing dealstat call on this thread. Never NULL. */
DEALSTAT_C_API const char* dealstat_last_error_message(void);
/* The last error's source file (or "columns:deals", "option", ...); "" when not tied to input.
 * Borrowed: valid until the next failing dealstat call on this thread. Never NULL. */
DEALSTAT_C_API const char* dealstat_last_error_source(void);
/* The last error's 1-based row in its source (the header is row 1); 0 when not row-bound. */
DEALSTAT_C_API int64_t dealstat_last_error_row(void);
/* The last error's field: column, JSON path or option name; "". Borrowed like the message. */
DEALSTAT_C_API const char* dealstat_last_error_field(void);
/* The offending value as written; "". Borrowed like the message. */
DEALSTAT_C_API const char* dealstat_last_error_value(void);
/* Forgets this thread's last error (code back to DEALSTAT_OK, strings to ""). */
DEALSTAT_C_API void dealstat_clear_last_error(void);

/* ---- handles ------------------------------------------------------------ */

/* An immutable dataset. Made by the loaders and dealstat_builder_build; freed by
 * dealstat_dataset_destroy. Results do not borrow from it: it may be destroyed first. */
typedef struct dealstat_dataset_s* dealstat_dataset;
/* A dataset under construction from columns. Made by dealstat_builder_create; consumed by
 * dealstat_builder_build or freed by dealstat_builder_destroy. */
typedef struct dealstat_builder_s* dealstat_builder;
/* The tables of a report (or of a dataset's problems). Made by a report function; freed by
 * dealstat_result_destroy. Column pointers borrowed from it live until then. */
typedef struct dealstat_result_s* dealstat_result;
/* The event log's index of one dataset, for paging through the events list. Made by
 * dealstat_event_index_create; freed by dealstat_event_index_destroy. Immutable: any number of threads may use
 * one index at once. It keeps its own reference to the dataset's data: the dataset handle may be destroyed first. */
typedef struct dealstat_event_index_s* dealstat_event_index;

/* Sentinel for "no timestamp" (options, nullable timestamp columns): INT64_MIN. */
#define DEALSTAT_NO_TIME INT64_MIN
/* Sentinel for "no id" (nullable id columns): INT64_MIN. */
#define DEALSTAT_NO_ID INT64_MIN

/* ---- loading a dataset ---------------------------------------------------- */

/* How a load treats bad records. */
enum {
  DEALSTAT_VALIDATION_STRICT = 0,  /* the first problem fails the load with its detail */
  DEALSTAT_VALIDATION_LENIENT = 1  /* bad records are left out and listed (dealstat_dataset_problems) */
};

/* Options of every file loader. */
typedef struct dealstat_load_options {
  int32_t version;     /* DEALSTAT_LOAD_OPTIONS_VERSION */
  int32_t validation;  /* DEALSTAT_VALIDATION_STRICT (default) or _LENIENT */
} dealstat_load_options;
#define DEALSTAT_LOAD_OPTIONS_VERSION 1
#define DEALSTAT_LOAD_OPTIONS_INIT {DEALSTAT_LOAD_OPTIONS_VERSION, DEALSTAT_VALIDATION_STRICT}

/* Loads dealstat's CSV directory format (docs/csv-format.md), or, when mapping_path is not NULL, a
 * foreign CSV export through that JSON mapping file (docs/mappings.md). options may be NULL (defaults). */
DEALSTAT_C_API dealstat_status dealstat_load_csv_directory(const char* dir, const char* mapping_path,
                                                           const dealstat_load_options* options,
                                                           dealstat_dataset* out);

/* Loads an amoCRM (Kommo) API v4 export folder: the saved JSON pages of each endpoint (docs/amocrm.md names the
 * files and the rules). A problem names the file (source), the record's 1-based position in its page (row), the
 * JSON path (field, "$._embedded.leads[1].price") and the value as written. Malformed JSON is
 * DEALSTAT_ERROR_PARSE (strict; lenient leaves the page out and lists it); a missing or unreadable folder or
 * required file is DEALSTAT_ERROR_IO. options may be NULL (defaults). */
DEALSTAT_C_API dealstat_status dealstat_load_amocrm(const char* dir, const dealstat_load_options* options,
                                                    dealstat_dataset* out);

/* What the sample generator makes (docs/sample.md). */
typedef struct dealstat_sample_options {
  int32_t version;        /* DEALSTAT_SAMPLE_OPTIONS_VERSION */
  int32_t events;         /* nonzero: also generate the event log (default 1) */
  int64_t deals;          /* number of deals (default 20000) */
  uint64_t seed;          /* random seed (default 42) */
  int64_t start_s;        /* first creation instant, Unix seconds (default 2023-01-01T00:00:00Z) */
  int64_t end_s;          /* as-of of the account (default 2025-01-01T00:00:00Z) */
  const char* time_zone;  /* account time zone; NULL = "Europe/Moscow" */
} dealstat_sample_options;
#define DEALSTAT_SAMPLE_OPTIONS_VERSION 1
#define DEALSTAT_SAMPLE_OPTIONS_INIT \
  {DEALSTAT_SAMPLE_OPTIONS_VERSION, 1, 20000, 42, 1672531200, 1735689600, NULL}

/* Generates the built-in sample account in memory (deterministic: same options, same data). options may be NULL. */
DEALSTAT_C_API dealstat_status dealstat_make_sample(const dealstat_sample_options* options, dealstat_dataset* out);

/* Frees a dataset and sets *dataset to NULL; accepts NULL and a pointer to NULL. */
DEALSTAT_C_API void dealstat_dataset_destroy(dealstat_dataset* dataset);
/* Number of deals in the dataset (deleted ones included); 0 for NULL. */
DEALSTAT_C_API int64_t dealstat_dataset_deal_count(dealstat_dataset dataset);
/* Number of problems a lenient load left out; 0 for NULL or after a strict load. */
DEALSTAT_C_API int64_t dealstat_dataset_problem_count(dealstat_dataset dataset);
/* Problem i in one line ("file:row:field: message (value "v")"); NULL when out of range.
 * Borrowed: valid until the dataset is destroyed. */
DEALSTAT_C_API const char* dealstat_dataset_problem_text(dealstat_dataset dataset, int64_t i);
/* The problems as one table "problems" (source, row, field, value, message), for column access or Arrow. */
DEALSTAT_C_API dealstat_status dealstat_dataset_problems(dealstat_dataset dataset, dealstat_result* out);

/* ---- building a dataset from columns ---------------------------------------- */

/* Kind of a stage. */
enum {
  DEALSTAT_STAGE_UNSORTED = 0,  /* incoming, not yet accepted */
  DEALSTAT_STAGE_OPEN = 1,      /* work in progress */
  DEALSTAT_STAGE_WON = 2,       /* closed, won */
  DEALSTAT_STAGE_LOST = 3       /* closed, lost */
};

/* Deals as columns; every non-NULL array has `length` elements. The arrays are copied. */
typedef struct dealstat_deal_columns {
  int32_t version;                /* DEALSTAT_DEAL_COLUMNS_VERSION */
  int64_t length;                 /* rows */
  const int64_t* id;              /* required: CRM deal id */
  const int64_t* pipeline_id;     /* required: current pipeline */
  const int64_t* stage_id;        /* required: current stage */
  const int64_t* created_at;      /* required: Unix seconds */
  const int64_t* closed_at;       /* optional: Unix seconds, DEALSTAT_NO_TIME = none */
  const int64_t* budget_minor;    /* optional: budget in minor units */
  const int64_t* responsible_id;  /* optional: user id, DEALSTAT_NO_ID = none */
} dealstat_deal_columns;
#define DEALSTAT_DEAL_COLUMNS_VERSION 1
#define DEALSTAT_DEAL_COLUMNS_INIT {DEALSTAT_DEAL_COLUMNS_VERSION, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL}

/* Stage changes as columns; every non-NULL array has `length` elements. The arrays are copied. */
typedef struct dealstat_stage_change_columns {
  int32_t version;                /* DEALSTAT_STAGE_CHANGE_COLUMNS_VERSION */
  int64_t length;                 /* rows */
  const int64_t* deal_id;         /* required */
  const int64_t* at;              /* required: Unix seconds */
  const int64_t* from_stage_id;   /* optional: DEALSTAT_NO_ID = the deal's creation record */
  const int64_t* to_stage_id;     /* required */
  const int64_t* to_pipeline_id;  /* optional: DEALSTAT_NO_ID = the deal's pipeline */
  const int64_t* by_user_id;      /* optional: DEALSTAT_NO_ID = unknown */
} dealstat_stage_change_columns;
#define DEALSTAT_STAGE_CHANGE_COLUMNS_VERSION 1
#define DEALSTAT_STAGE_CHANGE_COLUMNS_INIT {DEALSTAT_STAGE_CHANGE_COLUMNS_VERSION, 0, NULL, NULL, NULL, NULL, NULL, NULL}

/* Starts an empty builder (account in UTC, weeks from Monday). */
DEALSTAT_C_API dealstat_status dealstat_builder_create(dealstat_builder* out);
/* Frees a builder and sets *builder to NULL; accepts NULL and a pointer to NULL. */
DEALSTAT_C_API void dealstat_builder_destroy(dealstat_builder* builder);
/* Sets the account's time zone: an IANA name ("Europe/Moscow"), a POSIX TZ string or "+03:00". */
DEALSTAT_C_API dealstat_status dealstat_builder_set_time_zone(dealstat_builder builder, const char* time_zone);
/* Adds a user; name and group may be NULL (none). */
DEALSTAT_C_API dealstat_status dealstat_builder_add_user(dealstat_builder builder, int64_t id, const char* name,
                                                         const char* group);
/* Adds a pipeline; name may be NULL. */
DEALSTAT_C_API dealstat_status dealstat_builder_add_pipeline(dealstat_builder builder, int64_t id, const char* name);
/* Adds a stage of a pipeline; kind is a DEALSTAT_STAGE_* value. */
DEALSTAT_C_API dealstat_status dealstat_builder_add_stage(dealstat_builder builder, int64_t pipeline_id,
                                                          int64_t stage_id, const char* name, int32_t sort,
                                                          int32_t kind);
/* Adds deals from columns (row numbers in problems are 1-based positions). */
DEALSTAT_C_API dealstat_status dealstat_builder_add_deal_columns(dealstat_builder builder,
                                                                 const dealstat_deal_columns* columns);
/* Adds stage changes from columns. */
DEALSTAT_C_API dealstat_status dealstat_builder_add_stage_change_columns(dealstat_builder builder,
                                                                         const dealstat_stage_change_columns* columns);
/* Adds deals from an Arrow stream of struct arrays whose columns are named like dealstat_deal_columns'
 * fields (int64 or int32; nulls mean none). The stream is consumed: released and its release set to NULL,
 * also on failure. */
DEALSTAT_C_API dealstat_status dealstat_builder_add_deals_arrow(dealstat_builder builder,
                                                                struct ArrowArrayStream* stream);
/* Adds stage changes from an Arrow stream (columns named like dealstat_stage_change_columns' fields);
 * the stream is consumed as above. */
DEALSTAT_C_API dealstat_status dealstat_builder_add_stage_changes_arrow(dealstat_builder builder,
                                                                        struct ArrowArrayStream* stream);
/* Validates and builds; validation is a DEALSTAT_VALIDATION_* value. The builder is consumed and *builder set to
 * NULL whether or not the build succeeds. */
DEALSTAT_C_API dealstat_status dealstat_builder_build(dealstat_builder* builder, int32_t validation,
                                                      dealstat_dataset* out);

/* ---- the common filter (SPEC section 2) ------------------------------------- */

/* Which deals count by their state. */
enum {
  DEALSTAT_STATUS_ALL = 0,
  DEALSTAT_STATUS_ACTIVE = 1,
  DEALSTAT_STATUS_CLOSED = 2,
  DEALSTAT_STATUS_WON = 3,
  DEALSTAT_STATUS_LOST = 4
};
/* Which date places a deal in the period. */
enum {
  DEALSTAT_DATE_BASIS_AUTO = 0,     /* closed deals by closed_at, active deals by created_at (amoCRM) */
  DEALSTAT_DATE_BASIS_CREATED = 1,  /* every deal by created_at */
  DEALSTAT_DATE_BASIS_CLOSED = 2    /* closed deals only, by closed_at */
};

/* The filter every report takes, embedded in its options. NULL strings and empty lists mean "no restriction".
 * Strings are read during the call only. Adding a field here bumps every report's options version. */
typedef struct dealstat_filter {
  int32_t version;                /* DEALSTAT_FILTER_VERSION */
  int32_t status;                 /* DEALSTAT_STATUS_* (default ALL) */
  int32_t date_basis;             /* DEALSTAT_DATE_BASIS_* (default AUTO) */
  const char* from;               /* first local day included, "YYYY-MM-DD"; NULL = open */
  const char* to;                 /* first local day excluded, "YYYY-MM-DD"; NULL = open */
  const char* pipeline;           /* pipeline id or name; NULL = all (the funnel then uses the first) */
  const int64_t* users;           /* responsible user ids (any of) */
  size_t user_count;              /* length of users */
  const char* const* groups;      /* user group names (any of) */
  size_t group_count;             /* length of groups */
  const char* const* tags;        /* tags (any of) */
  size_t tag_count;               /* length of tags */
  const char* const* channels;    /* source channels (any of) */
  size_t channel_count;           /* length of channels */
} dealstat_filter;
#define DEALSTAT_FILTER_VERSION 1
#define DEALSTAT_FILTER_INIT \
  {DEALSTAT_FILTER_VERSION, DEALSTAT_STATUS_ALL, DEALSTAT_DATE_BASIS_AUTO, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL, 0, NULL, 0}

/* ---- reports ------------------------------------------------------------ */
/* Every report: dealstat_<report>(dataset, &options or NULL for defaults, &result). On success *out holds the
 * report's tables (named in each function's comment); on failure *out is left NULL. */

/* What "reached a stage" means in the funnel. */
enum {
  DEALSTAT_SKIP_IMPLIED = 0,   /* reaching a later stage counts as passing every earlier one (default) */
  DEALSTAT_SKIP_OBSERVED = 1,  /* only stages actually entered */
  DEALSTAT_SKIP_STRICT = 2     /* only if every earlier stage was entered, in order */
};
/* Whether funnel conversions compare counts or budgets. */
enum { DEALSTAT_VALUE_COUNT = 0, DEALSTAT_VALUE_BUDGET = 1 };

/* Options of the funnel (SPEC section 3). */
typedef struct dealstat_funnel_options {
  int32_t version;         /* DEALSTAT_FUNNEL_OPTIONS_VERSION */
  dealstat_filter filter;  /* common filter */
  int64_t as_of_s;         /* censoring instant; DEALSTAT_NO_TIME = the dataset's latest instant */
  int32_t skip;            /* DEALSTAT_SKIP_* */
  int32_t value;           /* DEALSTAT_VALUE_* */
  double confidence;       /* level of the intervals (default 0.95) */
  uint32_t threads;        /* 0 = all cores */
} dealstat_funnel_options;
#define DEALSTAT_FUNNEL_OPTIONS_VERSION 1
#define DEALSTAT_FUNNEL_OPTIONS_INIT \
  {DEALSTAT_FUNNEL_OPTIONS_VERSION, DEALSTAT_FILTER_INIT, DEALSTAT_NO_TIME, DEALSTAT_SKIP_IMPLIED, DEALSTAT_VALUE_COUNT, 0.95, 0}
/* The sales funnel: tables "funnel" (a row per stage) and "funnel_summary". */
DEALSTAT_C_API dealstat_status dealstat_funnel(dealstat_dataset dataset, const dealstat_funnel_options* options,
                                               dealstat_result* out);

/* Options of time in stage (SPEC section 4). */
typedef struct dealstat_stage_time_options {
  int32_t version;         /* DEALSTAT_STAGE_TIME_OPTIONS_VERSION */
  dealstat_filter filter;  /* common filter; with a pipeline, only its stages are rows */
  int64_t as_of_s;         /* censoring instant; DEALSTAT_NO_TIME = the dataset's latest instant */
  uint32_t threads;        /* 0 = all cores */
} dealstat_stage_time_options;
#define DEALSTAT_STAGE_TIME_OPTIONS_VERSION 1
#define DEALSTAT_STAGE_TIME_OPTIONS_INIT {DEALSTAT_STAGE_TIME_OPTIONS_VERSION, DEALSTAT_FILTER_INIT, DEALSTAT_NO_TIME, 0}
/* Time in stage: tables "stage_time" (a row per stage) and "stage_time_summary". */
DEALSTAT_C_API dealstat_status dealstat_stage_time(dealstat_dataset dataset,
                                                   const dealstat_stage_time_options* options, dealstat_result* out);

/* Size of a date bucket. */
enum {
  DEALSTAT_BUCKET_DAY = 0,
  DEALSTAT_BUCKET_WEEK = 1,
  DEALSTAT_BUCKET_MONTH = 2,
  DEALSTAT_BUCKET_QUARTER = 3,
  DEALSTAT_BUCKET_YEAR = 4
};

/* Options of the movement report (SPEC section 5). */
typedef struct dealstat_movement_options {
  int32_t version;         /* DEALSTAT_MOVEMENT_OPTIONS_VERSION */
  dealstat_filter filter;  /* common filter; its period bounds the events */
  int32_t bucket;          /* DEALSTAT_BUCKET_* (default WEEK) */
  int64_t as_of_s;         /* end of an open period; DEALSTAT_NO_TIME = the dataset's latest instant */
  uint32_t threads;        /* 0 = all cores */
} dealstat_movement_options;
#define DEALSTAT_MOVEMENT_OPTIONS_VERSION 1
#define DEALSTAT_MOVEMENT_OPTIONS_INIT \
  {DEALSTAT_MOVEMENT_OPTIONS_VERSION, DEALSTAT_FILTER_INIT, DEALSTAT_BUCKET_WEEK, DEALSTAT_NO_TIME, 0}
/* Sales analysis: tables "movement_totals", "movement_transitions", "movement_entries". */
DEALSTAT_C_API dealstat_status dealstat_movement(dealstat_dataset dataset, const dealstat_movement_options* options,
                                                 dealstat_result* out);

/* Who a deal's figures are credited to in the employees report. */
enum {
  DEALSTAT_ATTRIBUTION_CURRENT = 0,  /* the deal's current responsible user (default) */
  DEALSTAT_ATTRIBUTION_AT_CLOSE = 1  /* the user responsible when it happened */
};

/* Options of the employees report (SPEC section 7). */
typedef struct dealstat_employees_options {
  int32_t version;         /* DEALSTAT_EMPLOYEES_OPTIONS_VERSION */
  dealstat_filter filter;  /* period, pipeline, users/groups, tags, channels (status, date basis unused) */
  int64_t as_of_s;         /* DEALSTAT_NO_TIME = the latest instant of deals, paths and tasks */
  int32_t attribution;     /* DEALSTAT_ATTRIBUTION_* */
  int32_t ascending;       /* nonzero: rank smallest first */
  const char* rank_by;     /* column to rank by; NULL = "won_budget_minor" */
  const int64_t* compare;  /* user ids compared with the team's median */
  size_t compare_count;    /* length of compare */
  double confidence;       /* level of the Wilson interval (default 0.95) */
  uint32_t threads;        /* 0 = all cores */
} dealstat_employees_options;
#define DEALSTAT_EMPLOYEES_OPTIONS_VERSION 1
#define DEALSTAT_EMPLOYEES_OPTIONS_INIT                                                                      \
  {DEALSTAT_EMPLOYEES_OPTIONS_VERSION, DEALSTAT_FILTER_INIT, DEALSTAT_NO_TIME, DEALSTAT_ATTRIBUTION_CURRENT, 0, \
   NULL, NULL, 0, 0.95, 0}
/* Employees: tables "employees", "employees_groups", "employees_team" and, with compare, "employees_comparison". */
DEALSTAT_C_API dealstat_status dealstat_employees(dealstat_dataset dataset, const dealstat_employees_options* options,
                                                  dealstat_result* out);

/* Options of the unsorted report (SPEC section 9). */
typedef struct dealstat_unsorted_options {
  int32_t version;         /* DEALSTAT_UNSORTED_OPTIONS_VERSION */
  dealstat_filter filter;  /* period, channels and pipeline only (others are an error) */
  int64_t as_of_s;         /* DEALSTAT_NO_TIME = the latest instant of deals, paths and items */
  double confidence;       /* level of the Wilson interval (default 0.95) */
  uint32_t threads;        /* 0 = all cores */
} dealstat_unsorted_options;
#define DEALSTAT_UNSORTED_OPTIONS_VERSION 1
#define DEALSTAT_UNSORTED_OPTIONS_INIT \
  {DEALSTAT_UNSORTED_OPTIONS_VERSION, DEALSTAT_FILTER_INIT, DEALSTAT_NO_TIME, 0.95, 0}
/* Unsorted (incoming) items: table "unsorted" (a row per channel, then "(all)"). */
DEALSTAT_C_API dealstat_status dealstat_unsorted(dealstat_dataset dataset, const dealstat_unsorted_options* options,
                                                 dealstat_result* out);

/* Options of the sales forecast (SPEC section 10). */
typedef struct dealstat_forecast_options {
  int32_t version;         /* DEALSTAT_FORECAST_OPTIONS_VERSION */
  dealstat_filter filter;  /* common filter; its period and status are ignored (the forecast sets time) */
  const char* as_of;       /* first local day not known, "YYYY-MM-DD"; NULL = the day after the data ends */
  int32_t horizon_days;    /* N, 1..364 (default 30) */
  int32_t bucket;          /* spacing of the backtest origins: DEALSTAT_BUCKET_WEEK or _MONTH (default) */
  int32_t backtest;        /* nonzero (default): run the rolling-origin backtest */
  int32_t warmup_days;     /* first backtest origin at least this many days after the first deal (default 90) */
  double prior_strength;   /* pipeline model shrinkage weight (default 20) */
  uint32_t threads;        /* 0 = all cores */
} dealstat_forecast_options;
#define DEALSTAT_FORECAST_OPTIONS_VERSION 1
#define DEALSTAT_FORECAST_OPTIONS_INIT \
  {DEALSTAT_FORECAST_OPTIONS_VERSION, DEALSTAT_FILTER_INIT, NULL, 30, DEALSTAT_BUCKET_MONTH, 1, 90, 20.0, 0}
/* The sales forecast with its backtest: the tables of dealstat::ForecastResult::to_tables(). */
DEALSTAT_C_API dealstat_status dealstat_forecast(dealstat_dataset dataset, const dealstat_forecast_options* options,
                                                 dealstat_result* out);

/* Options of the summary report (SPEC section 6). */
typedef struct dealstat_summary_options {
  int32_t version;         /* DEALSTAT_SUMMARY_OPTIONS_VERSION */
  dealstat_filter filter;  /* common filter; its period bounds the series and sets the snapshot */
  int32_t bucket;          /* DEALSTAT_BUCKET_* of the series (default MONTH) */
  int64_t as_of_s;         /* end of an open period; DEALSTAT_NO_TIME = the dataset's latest instant */
  uint32_t threads;        /* 0 = all cores */
} dealstat_summary_options;
#define DEALSTAT_SUMMARY_OPTIONS_VERSION 1
#define DEALSTAT_SUMMARY_OPTIONS_INIT \
  {DEALSTAT_SUMMARY_OPTIONS_VERSION, DEALSTAT_FILTER_INIT, DEALSTAT_BUCKET_MONTH, DEALSTAT_NO_TIME, 0}
/* The summary: tables "summary_created" and "summary_purchases" (series per bucket), "summary_stages",
 * "summary_stage_time" and "summary_tasks_by_user" (shares at the snapshot) and "summary_info". */
DEALSTAT_C_API dealstat_status dealstat_summary(dealstat_dataset dataset, const dealstat_summary_options* options,
                                                dealstat_result* out);

/* Builds the event log's index of a dataset (once; then page with dealstat_events_list). threads: 0 = all cores. */
DEALSTAT_C_API dealstat_status dealstat_event_index_create(dealstat_dataset dataset, uint32_t threads,
                                                           dealstat_event_index* out);
/* Frees an event index and sets *index to NULL; accepts NULL and a pointer to NULL. */
DEALSTAT_C_API void dealstat_event_index_destroy(dealstat_event_index* index);
/* Number of events indexed; 0 for NULL. */
DEALSTAT_C_API int64_t dealstat_event_index_event_count(dealstat_event_index index);

/* Options of the events list (SPEC section 8). The event log is not a list of deals, so this report has its own
 * filter fields instead of dealstat_filter. Every filter given must hold; within a list, any of. Strings and
 * lists are read during the call only. */
typedef struct dealstat_events_list_options {
  int32_t version;            /* DEALSTAT_EVENTS_LIST_OPTIONS_VERSION */
  int32_t count_total;        /* nonzero (default): also count all matches ("total" of "events_page") */
  const char* from;           /* first local day included, "YYYY-MM-DD"; NULL = open */
  const char* to;             /* first local day excluded, "YYYY-MM-DD"; NULL = open */
  const char* entity_type;    /* "lead", "contact", "company", ...; NULL = any */
  int64_t entity_id;          /* one entity (needs entity_type); DEALSTAT_NO_ID = any */
  int64_t contact_id;         /* events of this contact and of its deals; DEALSTAT_NO_ID = any */
  int64_t company_id;         /* events of this company and of its deals; DEALSTAT_NO_ID = any */
  const int64_t* users;       /* ids of the users who made the events (any of); an unknown id is an error */
  size_t user_count;          /* length of users */
  const char* const* types;   /* event types (any of); an unknown type matches nothing */
  size_t type_count;          /* length of types */
  int64_t limit;              /* page size, >= 1 (default 50) */
  const char* cursor;         /* NULL or "" = first page; else the next_cursor of the previous page */
} dealstat_events_list_options;
#define DEALSTAT_EVENTS_LIST_OPTIONS_VERSION 1
#define DEALSTAT_EVENTS_LIST_OPTIONS_INIT                                                                    \
  {DEALSTAT_EVENTS_LIST_OPTIONS_VERSION, 1, NULL, NULL, NULL, DEALSTAT_NO_ID, DEALSTAT_NO_ID, DEALSTAT_NO_ID, \
   NULL, 0, NULL, 0, 50, NULL}
/* One page of the event log, newest first: tables "events" (a row per event) and "events_page" (one row:
 * returned, total (null when not counted), next_cursor ("" on the last page)). index must have been made from
 * this dataset (else DEALSTAT_ERROR_INVALID_OPTION naming "index"); NULL builds one for this call only (slow
 * for repeated pages). A bad option (limit < 1, a malformed cursor, ...) is DEALSTAT_ERROR_INVALID_OPTION
 * naming it. */
DEALSTAT_C_API dealstat_status dealstat_events_list(dealstat_dataset dataset, dealstat_event_index index,
                                                    const dealstat_events_list_options* options,
                                                    dealstat_result* out);

/* ---- results ------------------------------------------------------------ */

/* Type of a result column. */
typedef enum dealstat_column_type {
  DEALSTAT_TYPE_INVALID = -1,  /* no such column */
  DEALSTAT_TYPE_INT64 = 0,     /* int64_t values */
  DEALSTAT_TYPE_FLOAT64 = 1,   /* double values (NaN is a value, e.g. a rate with nothing to divide) */
  DEALSTAT_TYPE_STRING = 2     /* UTF-8 strings: int64 offsets + bytes */
} dealstat_column_type;

/* Frees a result and sets *result to NULL; accepts NULL and a pointer to NULL. Arrow streams already exported
 * from it stay valid. */
DEALSTAT_C_API void dealstat_result_destroy(dealstat_result* result);
/* Number of tables; 0 for NULL. */
DEALSTAT_C_API int64_t dealstat_result_table_count(dealstat_result result);
/* Name of table t ("funnel"); NULL when out of range. Borrowed: valid until the result is destroyed. */
DEALSTAT_C_API const char* dealstat_result_table_name(dealstat_result result, int64_t t);
/* Index of the table with this name, or -1. */
DEALSTAT_C_API int64_t dealstat_result_table_index(dealstat_result result, const char* name);
/* Rows of table t; 0 when out of range. */
DEALSTAT_C_API int64_t dealstat_result_row_count(dealstat_result result, int64_t t);
/* Columns of table t; 0 when out of range. */
DEALSTAT_C_API int64_t dealstat_result_column_count(dealstat_result result, int64_t t);
/* Name of column c of table t (with its unit suffix: _s, _minor, _pct); NULL when out of range.
 * Borrowed: valid until the result is destroyed. */
DEALSTAT_C_API const char* dealstat_result_column_name(dealstat_result result, int64_t t, int64_t c);
/* Index of the column with this name in table t, or -1. */
DEALSTAT_C_API int64_t dealstat_result_column_index(dealstat_result result, int64_t t, const char* name);
/* Type of column c of table t; DEALSTAT_TYPE_INVALID when out of range. */
DEALSTAT_C_API dealstat_column_type dealstat_result_column_type(dealstat_result result, int64_t t, int64_t c);
/* The int64 values of column c (row_count of them); NULL when out of range, not int64, or the table is empty.
 * Borrowed: valid until the result is destroyed. */
DEALSTAT_C_API const int64_t* dealstat_result_column_int64(dealstat_result result, int64_t t, int64_t c);
/* The double values of column c (row_count of them); NULL when out of range, not float64, or the table is
 * empty. Borrowed: valid until the result is destroyed. */
DEALSTAT_C_API const double* dealstat_result_column_float64(dealstat_result result, int64_t t, int64_t c);
/* Offsets of string column c: row_count + 1 of them; row i is bytes[offsets[i] .. offsets[i+1]), not
 * NUL-terminated. NULL when out of range or not a string column. Borrowed: valid until the result is destroyed. */
DEALSTAT_C_API const int64_t* dealstat_result_column_string_offsets(dealstat_result result, int64_t t, int64_t c);
/* Bytes of string column c (UTF-8, concatenated); NULL when out of range or not a string column.
 * Borrowed: valid until the result is destroyed. */
DEALSTAT_C_API const char* dealstat_result_column_string_data(dealstat_result result, int64_t t, int64_t c);
/* Validity bitmap of column c (Arrow's: bit i of byte i/8, LSB first; 1 = valid); NULL when no row is null or
 * out of range. Borrowed: valid until the result is destroyed. */
DEALSTAT_C_API const uint8_t* dealstat_result_column_validity(dealstat_result result, int64_t t, int64_t c);
/* Number of null rows of column c; 0 when out of range. */
DEALSTAT_C_API int64_t dealstat_result_column_null_count(dealstat_result result, int64_t t, int64_t c);
/* Hands table t out as an Arrow C stream (one record batch; int64 "l", float64 "g", large utf8 "U").
 * *out is overwritten; the caller (or the consumer it is given to) calls out->release. The stream keeps its
 * data alive on its own: it stays valid after the result is destroyed. */
DEALSTAT_C_API dealstat_status dealstat_result_export_arrow(dealstat_result result, int64_t t,
                                                            struct ArrowArrayStream* out);

/* ---- Mergeable partial reports (docs/distributed.md) --------------------------------------------------
 * A partial is a report's state over some rows of an account: make it on a partition, accumulate, serialize
 * to portable bytes (versioned, little-endian), ship, deserialize, merge in any order, finalize once. Rows of
 * one deal must sit in one partition; users, pipelines, stages and the account are replicated to every one.
 * Counts, sums, means and Kaplan-Meier merge exactly; medians of a partial that went through bytes come from
 * a DDSketch within DEALSTAT_PARTIAL_SKETCH_ALPHA (relative) of the exact lower middle value. */

/* A report's partial state: free with dealstat_partial_destroy. */
typedef struct dealstat_partial_s* dealstat_partial;

/* The reports that have partials (values are part of the byte format). */
enum {
  DEALSTAT_REPORT_FUNNEL = 1,
  DEALSTAT_REPORT_STAGE_TIME = 2,
  DEALSTAT_REPORT_MOVEMENT = 3,
  DEALSTAT_REPORT_EMPLOYEES = 4,
  DEALSTAT_REPORT_UNSORTED = 5,
  DEALSTAT_REPORT_SUMMARY = 6,
  DEALSTAT_REPORT_FORECAST = 7
};
/* Relative accuracy of the medians of serialized partials. */
#define DEALSTAT_PARTIAL_SKETCH_ALPHA 0.005

/* The instants a report's defaults come from, over one partition: merge by max(last), min(first). */
typedef struct dealstat_partial_bounds {
  int64_t last;   /* the report's default as-of on this partition */
  int64_t first;  /* its earliest instant (open period start of movement and summary, the forecast's first
                   * day: its daily series and backtest origins start there); INT64_MAX if none */
} dealstat_partial_bounds;
/* The bounds of report `kind` (DEALSTAT_REPORT_*) on a partition. */
DEALSTAT_C_API dealstat_status dealstat_partial_bounds_of(dealstat_dataset dataset, int32_t kind,
                                                          dealstat_partial_bounds* out);

/* An empty partial of a report for its options, validated on `dataset`. `bounds` (merged over every
 * partition) pins the defaults that depend on all the data; NULL takes them from `dataset` alone. */
DEALSTAT_C_API dealstat_status dealstat_partial_funnel(dealstat_dataset dataset, const dealstat_funnel_options* options,
                                                       const dealstat_partial_bounds* bounds, dealstat_partial* out);
DEALSTAT_C_API dealstat_status dealstat_partial_stage_time(dealstat_dataset dataset,
                                                           const dealstat_stage_time_options* options,
                                                           const dealstat_partial_bounds* bounds, dealstat_partial* out);
DEALSTAT_C_API dealstat_status dealstat_partial_movement(dealstat_dataset dataset,
                                                         const dealstat_movement_options* options,
                                                         const dealstat_partial_bounds* bounds, dealstat_partial* out);
DEALSTAT_C_API dealstat_status dealstat_partial_employees(dealstat_dataset dataset,
                                                          const dealstat_employees_options* options,
                                                          const dealstat_partial_bounds* bounds, dealstat_partial* out);
DEALSTAT_C_API dealstat_status dealstat_partial_unsorted(dealstat_dataset dataset,
                                                         const dealstat_unsorted_options* options,
                                                         const dealstat_partial_bounds* bounds, dealstat_partial* out);
/* The summary's partial: filter (NULL = none), as_of_s (DEALSTAT_NO_TIME = default), bucket (DEALSTAT_BUCKET_*). */
DEALSTAT_C_API dealstat_status dealstat_partial_summary(dealstat_dataset dataset, const dealstat_filter* filter,
                                                        int64_t as_of_s, int32_t bucket,
                                                        const dealstat_partial_bounds* bounds, dealstat_partial* out);
/* The forecast's partial (with its backtest when options->backtest): the history statistics of every origin
 * add up across partitions; finalize fits the models and gives dealstat_forecast's tables. Always pass bounds
 * merged over every partition in a distributed run (the first day pins the daily series). */
DEALSTAT_C_API dealstat_status dealstat_partial_forecast(dealstat_dataset dataset,
                                                         const dealstat_forecast_options* options,
                                                         const dealstat_partial_bounds* bounds, dealstat_partial* out);
/* Adds every row of `dataset` (a partition of the account) on `threads` threads (0 = all cores). */
DEALSTAT_C_API dealstat_status dealstat_partial_accumulate(dealstat_partial partial, dealstat_dataset dataset,
                                                           uint32_t threads);
/* Size of the report's row space on `dataset` (deals first; docs/distributed.md); 0 for NULL. */
DEALSTAT_C_API uint64_t dealstat_partial_rows(dealstat_partial partial, dealstat_dataset dataset);
/* Adds rows [begin, end) of the report's row space of `dataset` (DEALSTAT_ERROR_INVALID_OPTION outside it). */
DEALSTAT_C_API dealstat_status dealstat_partial_accumulate_rows(dealstat_partial partial, dealstat_dataset dataset,
                                                                uint64_t begin, uint64_t end);
/* Folds `other` (same report, options and entity tables; else DEALSTAT_ERROR_INVALID_OPTION) into `into`. */
DEALSTAT_C_API dealstat_status dealstat_partial_merge(dealstat_partial into, dealstat_partial other);
/* The partial as bytes in a new buffer of *out_size bytes: free it with dealstat_bytes_free. */
DEALSTAT_C_API dealstat_status dealstat_partial_serialize(dealstat_partial partial, uint8_t** out_bytes,
                                                          size_t* out_size);
/* Frees a buffer from dealstat_partial_serialize; NULL is ignored. */
DEALSTAT_C_API void dealstat_bytes_free(uint8_t* bytes);
/* A partial from bytes: DEALSTAT_ERROR_UNSUPPORTED_VERSION for a newer format, DEALSTAT_ERROR_PARSE for bad bytes. */
DEALSTAT_C_API dealstat_status dealstat_partial_deserialize(const uint8_t* bytes, size_t size, dealstat_partial* out);
/* The report's result tables, from a dataset with the same users, pipelines, stages and account. */
DEALSTAT_C_API dealstat_status dealstat_partial_finalize(dealstat_partial partial, dealstat_dataset entities,
                                                         dealstat_result* out);
/* The report kind (DEALSTAT_REPORT_*) of a partial; 0 for NULL. */
DEALSTAT_C_API int32_t dealstat_partial_kind(dealstat_partial partial);
/* Frees a partial and sets *partial to NULL; NULL or *partial NULL is ignored. */
DEALSTAT_C_API void dealstat_partial_destroy(dealstat_partial* partial);

#ifdef __cplusplus
}  /* extern "C" */
#endif

#endif /* DEALSTAT_H */
