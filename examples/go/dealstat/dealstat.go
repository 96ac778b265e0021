// Package dealstat calls the dealstat C ABI (capi/include/dealstat.h) through
// cgo: load a dataset, run a report, get its tables as Go slices.
//
// Build with the header and libdealstat_c.so on cgo's paths, e.g.
//
//	CGO_CFLAGS=-I$REPO/capi/include CGO_LDFLAGS=-L$BUILD/capi go build ./...
//	LD_LIBRARY_PATH=$BUILD/capi ./funnel
//
// A Dataset wraps an immutable C dataset: many goroutines may run reports on
// one at once. Results are copied into Go memory, and the C result freed,
// before a report function returns, so nothing here needs closing but the
// Dataset (a finalizer closes a forgotten one).
package dealstat

/*
#cgo LDFLAGS: -ldealstat_c
#include <stdlib.h>
#include "dealstat.h"

// Go cannot use a C macro; these hand out the INIT defaults (report_defaults() for each report).
#define DEALSTAT_GO_DEFAULTS(report, REPORT)                          \
  static dealstat_##report##_options report##_defaults(void) {        \
    dealstat_##report##_options o = DEALSTAT_##REPORT##_OPTIONS_INIT; \
    return o;                                                         \
  }
DEALSTAT_GO_DEFAULTS(funnel, FUNNEL)
DEALSTAT_GO_DEFAULTS(stage_time, STAGE_TIME)
DEALSTAT_GO_DEFAULTS(movement, MOVEMENT)
DEALSTAT_GO_DEFAULTS(employees, EMPLOYEES)
DEALSTAT_GO_DEFAULTS(unsorted, UNSORTED)
DEALSTAT_GO_DEFAULTS(forecast, FORECAST)
DEALSTAT_GO_DEFAULTS(summary, SUMMARY)
DEALSTAT_GO_DEFAULTS(events_list, EVENTS_LIST)
DEALSTAT_GO_DEFAULTS(sample, SAMPLE)
DEALSTAT_GO_DEFAULTS(load, LOAD)
*/
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"
)

// Error is a failed call: the status and the detail of the C API's last error.
type Error struct {
	Status  int    // a DEALSTAT_ERROR_* value
	Name    string // the status's name ("DEALSTAT_ERROR_IO")
	Message string // "file:row:field: message (value "v")"
	Source  string // file (or "options", "columns:deals"); "" when not tied to input
	Row     int64  // 1-based row in Source; 0 when not row-bound
	Field   string // column, JSON path or option name
	Value   string // the offending value as written
}

// Error returns the one-line message.
func (e *Error) Error() string { return e.Name + ": " + e.Message }

// lastError reads this OS thread's last error; call it on the thread that failed (see call).
func lastError(status C.dealstat_status) error {
	if status == C.DEALSTAT_OK {
		return nil
	}
	return &Error{
		Status:  int(status),
		Name:    C.GoString(C.dealstat_status_name(status)),
		Message: C.GoString(C.dealstat_last_error_message()),
		Source:  C.GoString(C.dealstat_last_error_source()),
		Row:     int64(C.dealstat_last_error_row()),
		Field:   C.GoString(C.dealstat_last_error_field()),
		Value:   C.GoString(C.dealstat_last_error_value()),
	}
}

// call runs f and reads the last error on the same OS thread (the C API's last error is thread-local).
func call(f func() C.dealstat_status) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return lastError(f())
}

// Version is the loaded library's version ("0.1.0").
func Version() string { return C.GoString(C.dealstat_version_string()) }

// Dataset is an immutable CRM dataset held by the C library.
type Dataset struct {
	h C.dealstat_dataset
}

func wrap(h C.dealstat_dataset) *Dataset {
	d := &Dataset{h: h}
	runtime.SetFinalizer(d, (*Dataset).Close)
	return d
}

// Close frees the dataset; calling it twice is harmless.
func (d *Dataset) Close() {
	if d != nil && d.h != nil {
		C.dealstat_dataset_destroy(&d.h)
	}
}

// Deals is the number of deals in the dataset.
func (d *Dataset) Deals() int64 { return int64(C.dealstat_dataset_deal_count(d.h)) }

// Problems lists what a lenient load left out, one line each.
func (d *Dataset) Problems() []string {
	n := int64(C.dealstat_dataset_problem_count(d.h))
	out := make([]string, n)
	for i := int64(0); i < n; i++ {
		out[i] = C.GoString(C.dealstat_dataset_problem_text(d.h, C.int64_t(i)))
	}
	return out
}

// Sample generates the built-in sample account (deterministic for a seed).
func Sample(deals int64, seed uint64) (*Dataset, error) {
	o := C.sample_defaults()
	o.deals = C.int64_t(deals)
	o.seed = C.uint64_t(seed)
	var h C.dealstat_dataset
	if err := call(func() C.dealstat_status { return C.dealstat_make_sample(&o, &h) }); err != nil {
		return nil, err
	}
	return wrap(h), nil
}

// LoadCSVDirectory loads dealstat's CSV directory format, or a foreign export through a mapping file
// when mapping is not "". Lenient loads leave bad records out and list them in Problems.
func LoadCSVDirectory(dir, mapping string, lenient bool) (*Dataset, error) {
	o := C.load_defaults()
	if lenient {
		o.validation = C.DEALSTAT_VALIDATION_LENIENT
	}
	cdir := C.CString(dir)
	defer C.free(unsafe.Pointer(cdir))
	var cmap *C.char
	if mapping != "" {
		cmap = C.CString(mapping)
		defer C.free(unsafe.Pointer(cmap))
	}
	var h C.dealstat_dataset
	if err := call(func() C.dealstat_status { return C.dealstat_load_csv_directory(cdir, cmap, &o, &h) }); err != nil {
		return nil, err
	}
	return wrap(h), nil
}

// LoadAmocrm loads an amoCRM (Kommo) API v4 export folder (docs/amocrm.md). Errors name the file, the
// record, the JSON path (Field) and the value. Lenient loads leave bad records out and list them in Problems.
func LoadAmocrm(dir string, lenient bool) (*Dataset, error) {
	o := C.load_defaults()
	if lenient {
		o.validation = C.DEALSTAT_VALIDATION_LENIENT
	}
	cdir := C.CString(dir)
	defer C.free(unsafe.Pointer(cdir))
	var h C.dealstat_dataset
	if err := call(func() C.dealstat_status { return C.dealstat_load_amocrm(cdir, &o, &h) }); err != nil {
		return nil, err
	}
	return wrap(h), nil
}

// Filter is the common report filter (SPEC section 2); zero values mean no restriction.
type Filter struct {
	From, To  string   // local dates "YYYY-MM-DD": [From, To)
	Pipeline  string   // pipeline id or name
	Users     []int64  // responsible user ids (any of)
	Groups    []string // user groups (any of)
	Tags      []string // tags (any of)
	Channels  []string // source channels (any of)
	Status    int      // DEALSTAT_STATUS_* value (0 = all)
	DateBasis int      // DEALSTAT_DATE_BASIS_* value (0 = auto)
}

// cMem holds the C memory of one call's options (strings, lists) until free is called.
type cMem struct {
	alloc []unsafe.Pointer
}

func (c *cMem) str(s string) *C.char {
	if s == "" {
		return nil
	}
	p := C.CString(s)
	c.alloc = append(c.alloc, unsafe.Pointer(p))
	return p
}

func (c *cMem) list(items []string) (**C.char, C.size_t) {
	if len(items) == 0 {
		return nil, 0
	}
	arr := (*[1 << 28]*C.char)(C.malloc(C.size_t(len(items)) * C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	c.alloc = append(c.alloc, unsafe.Pointer(arr))
	for i, s := range items {
		p := C.CString(s)
		c.alloc = append(c.alloc, unsafe.Pointer(p))
		arr[i] = p
	}
	return &arr[0], C.size_t(len(items))
}

func (c *cMem) ints(items []int64) (*C.int64_t, C.size_t) {
	if len(items) == 0 {
		return nil, 0
	}
	arr := (*[1 << 28]C.int64_t)(C.malloc(C.size_t(len(items)) * 8))
	c.alloc = append(c.alloc, unsafe.Pointer(arr))
	for i, v := range items {
		arr[i] = C.int64_t(v)
	}
	return &arr[0], C.size_t(len(items))
}

func (c *cMem) free() {
	for _, p := range c.alloc {
		C.free(p)
	}
}

func (c *cMem) fill(f Filter, dst *C.dealstat_filter) {
	dst.from = c.str(f.From)
	dst.to = c.str(f.To)
	dst.pipeline = c.str(f.Pipeline)
	dst.status = C.int32_t(f.Status)
	dst.date_basis = C.int32_t(f.DateBasis)
	dst.users, dst.user_count = c.ints(f.Users)
	var p **C.char
	var n C.size_t
	p, n = c.list(f.Groups)
	dst.groups, dst.group_count = p, n
	p, n = c.list(f.Tags)
	dst.tags, dst.tag_count = p, n
	p, n = c.list(f.Channels)
	dst.channels, dst.channel_count = p, n
}

// Column is one result column; exactly one of Int64, Float64, String is set.
type Column struct {
	Name    string
	Int64   []int64
	Float64 []float64
	String  []string
	Valid   []bool // nil when no row is null
}

// Table is a named table of equal-length columns.
type Table struct {
	Name    string
	Rows    int
	Columns []Column
}

// Column returns the column with this name, or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// Result is a report's tables, copied into Go memory.
type Result struct {
	Tables []Table
}

// Table returns the table with this name, or nil.
func (r *Result) Table(name string) *Table {
	for i := range r.Tables {
		if r.Tables[i].Name == name {
			return &r.Tables[i]
		}
	}
	return nil
}

// copyResult copies every table out of a C result and frees it.
func copyResult(h C.dealstat_result) *Result {
	defer C.dealstat_result_destroy(&h)
	res := &Result{}
	for t := C.int64_t(0); t < C.dealstat_result_table_count(h); t++ {
		rows := int(C.dealstat_result_row_count(h, t))
		tab := Table{Name: C.GoString(C.dealstat_result_table_name(h, t)), Rows: rows}
		for c := C.int64_t(0); c < C.dealstat_result_column_count(h, t); c++ {
			col := Column{Name: C.GoString(C.dealstat_result_column_name(h, t, c))}
			switch C.dealstat_result_column_type(h, t, c) {
			case C.DEALSTAT_TYPE_INT64:
				col.Int64 = make([]int64, rows)
				if rows > 0 {
					copy(col.Int64, unsafe.Slice((*int64)(unsafe.Pointer(C.dealstat_result_column_int64(h, t, c))), rows))
				}
			case C.DEALSTAT_TYPE_FLOAT64:
				col.Float64 = make([]float64, rows)
				if rows > 0 {
					copy(col.Float64, unsafe.Slice((*float64)(unsafe.Pointer(C.dealstat_result_column_float64(h, t, c))), rows))
				}
			case C.DEALSTAT_TYPE_STRING:
				off := unsafe.Slice((*int64)(unsafe.Pointer(C.dealstat_result_column_string_offsets(h, t, c))), rows+1)
				data := C.dealstat_result_column_string_data(h, t, c)
				col.String = make([]string, rows)
				for i := 0; i < rows; i++ {
					col.String[i] = C.GoStringN((*C.char)(unsafe.Add(unsafe.Pointer(data), off[i])), C.int(off[i+1]-off[i]))
				}
			}
			if v := C.dealstat_result_column_validity(h, t, c); v != nil {
				bits := unsafe.Slice((*byte)(unsafe.Pointer(v)), (rows+7)/8)
				col.Valid = make([]bool, rows)
				for i := range col.Valid {
					col.Valid[i] = bits[i/8]>>(i%8)&1 == 1
				}
			}
			tab.Columns = append(tab.Columns, col)
		}
		res.Tables = append(res.Tables, tab)
	}
	return res
}

// report runs one C report function and copies its result.
func (d *Dataset) report(run func(out *C.dealstat_result) C.dealstat_status) (*Result, error) {
	if d == nil || d.h == nil {
		return nil, fmt.Errorf("dealstat: the dataset is closed")
	}
	var h C.dealstat_result
	err := call(func() C.dealstat_status { return run(&h) })
	runtime.KeepAlive(d)
	if err != nil {
		return nil, err
	}
	return copyResult(h), nil
}

// filtered converts f into the C filter of a report's options (dst, a field of the options struct that
// run passes), lets set convert the report's own fields (nil: none) and runs the report. The C memory
// of both lives until the report returns.
func (d *Dataset) filtered(f Filter, dst *C.dealstat_filter, set func(cf *cMem),
	run func(out *C.dealstat_result) C.dealstat_status) (*Result, error) {
	var cf cMem
	defer cf.free()
	cf.fill(f, dst)
	if set != nil {
		set(&cf)
	}
	return d.report(run)
}

// Funnel runs the sales funnel (SPEC section 3): tables "funnel" and "funnel_summary".
func (d *Dataset) Funnel(f Filter) (*Result, error) {
	o := C.funnel_defaults()
	return d.filtered(f, &o.filter, nil, func(out *C.dealstat_result) C.dealstat_status {
		return C.dealstat_funnel(d.h, &o, out)
	})
}

// StageTime runs time in stage (SPEC section 4): tables "stage_time" and "stage_time_summary".
func (d *Dataset) StageTime(f Filter) (*Result, error) {
	o := C.stage_time_defaults()
	return d.filtered(f, &o.filter, nil, func(out *C.dealstat_result) C.dealstat_status {
		return C.dealstat_stage_time(d.h, &o, out)
	})
}

// Movement runs sales analysis (SPEC section 5) by bucket (C.DEALSTAT_BUCKET_* value: 0 day ... 4 year).
func (d *Dataset) Movement(f Filter, bucket int) (*Result, error) {
	o := C.movement_defaults()
	o.bucket = C.int32_t(bucket)
	return d.filtered(f, &o.filter, nil, func(out *C.dealstat_result) C.dealstat_status {
		return C.dealstat_movement(d.h, &o, out)
	})
}

// Employees options (SPEC section 7); the zero value is the C defaults.
type EmployeesOptions struct {
	Filter
	AtClose   bool    // credit the user responsible when it happened (default: the current one)
	RankBy    string  // column to rank by ("" = won_budget_minor)
	Ascending bool    // rank smallest first
	Compare   []int64 // user ids compared with the team's median (adds "employees_comparison")
}

// Employees runs the employees report: tables "employees", "employees_groups", "employees_team"
// (and "employees_comparison" with Compare).
func (d *Dataset) Employees(eo EmployeesOptions) (*Result, error) {
	o := C.employees_defaults()
	set := func(cf *cMem) {
		if eo.AtClose {
			o.attribution = C.DEALSTAT_ATTRIBUTION_AT_CLOSE
		}
		o.rank_by = cf.str(eo.RankBy)
		if eo.Ascending {
			o.ascending = 1
		}
		o.compare, o.compare_count = cf.ints(eo.Compare)
	}
	return d.filtered(eo.Filter, &o.filter, set, func(out *C.dealstat_result) C.dealstat_status {
		return C.dealstat_employees(d.h, &o, out)
	})
}

// Unsorted runs the unsorted (incoming) report (SPEC section 9): table "unsorted". Only the period,
// pipeline and channels of the filter apply; others are an error.
func (d *Dataset) Unsorted(f Filter) (*Result, error) {
	o := C.unsorted_defaults()
	return d.filtered(f, &o.filter, nil, func(out *C.dealstat_result) C.dealstat_status {
		return C.dealstat_unsorted(d.h, &o, out)
	})
}

// ForecastOptions of the sales forecast (SPEC section 10); the zero value is the C defaults.
type ForecastOptions struct {
	Filter             // its period and status are ignored
	AsOf        string // first local day not known ("" = the day after the data ends)
	HorizonDays int    // 0 = 30
	NoBacktest  bool   // skip the rolling-origin backtest
}

// Forecast runs the sales forecast: the tables of the pipeline model, the inflow model and the backtest.
func (d *Dataset) Forecast(fo ForecastOptions) (*Result, error) {
	o := C.forecast_defaults()
	set := func(cf *cMem) {
		o.as_of = cf.str(fo.AsOf)
		if fo.HorizonDays != 0 {
			o.horizon_days = C.int32_t(fo.HorizonDays)
		}
		if fo.NoBacktest {
			o.backtest = 0
		}
	}
	return d.filtered(fo.Filter, &o.filter, set, func(out *C.dealstat_result) C.dealstat_status {
		return C.dealstat_forecast(d.h, &o, out)
	})
}

// Summary runs the summary report (SPEC section 6) by bucket (DEALSTAT_BUCKET_*: 0 day ... 4 year):
// tables "summary_created", "summary_purchases", "summary_stages", "summary_stage_time",
// "summary_tasks_by_user" and "summary_info".
func (d *Dataset) Summary(f Filter, bucket int) (*Result, error) {
	o := C.summary_defaults()
	o.bucket = C.int32_t(bucket)
	return d.filtered(f, &o.filter, nil, func(out *C.dealstat_result) C.dealstat_status {
		return C.dealstat_summary(d.h, &o, out)
	})
}

// EventIndex is the event log's index of one dataset, built once and shared by every page (and goroutine).
type EventIndex struct {
	h  C.dealstat_event_index
	ds *Dataset
}

// EventIndex builds the index of the dataset's event log.
func (d *Dataset) EventIndex() (*EventIndex, error) {
	if d == nil || d.h == nil {
		return nil, fmt.Errorf("dealstat: the dataset is closed")
	}
	var h C.dealstat_event_index
	err := call(func() C.dealstat_status { return C.dealstat_event_index_create(d.h, 0, &h) })
	runtime.KeepAlive(d)
	if err != nil {
		return nil, err
	}
	ix := &EventIndex{h: h, ds: d}
	runtime.SetFinalizer(ix, (*EventIndex).Close)
	return ix, nil
}

// Close frees the index; calling it twice is harmless.
func (ix *EventIndex) Close() {
	if ix != nil && ix.h != nil {
		C.dealstat_event_index_destroy(&ix.h)
	}
}

// Events is the number of events indexed.
func (ix *EventIndex) Events() int64 { return int64(C.dealstat_event_index_event_count(ix.h)) }

// EventsOptions of one page of the events list (SPEC section 8); the zero value is the first page of
// everything with the C defaults. Every filter given must hold.
type EventsOptions struct {
	From, To   string   // local dates "YYYY-MM-DD": [From, To)
	EntityType string   // "lead", "contact", ...
	EntityID   *int64   // one entity (needs EntityType)
	ContactID  *int64   // events of this contact and of its deals
	CompanyID  *int64   // events of this company and of its deals
	Users      []int64  // who made the events (any of)
	Types      []string // event types (any of)
	Limit      int64    // page size (0 = 50; a negative one is an error)
	Cursor     string   // "" = first page; else NextCursor of the previous page
	NoTotal    bool     // do not count all matches (Total is then -1)
}

// EventsPage is one page of the events list.
type EventsPage struct {
	*Result           // tables "events" and "events_page"
	Events     *Table // the "events" table, newest first
	NextCursor string // "" on the last page
	Total      int64  // all matches of the filters; -1 when not counted
}

// Events returns one page of the event log through an index of this dataset (nil: one is built for the call).
func (d *Dataset) Events(ix *EventIndex, eo EventsOptions) (*EventsPage, error) {
	var cf cMem
	defer cf.free()
	o := C.events_list_defaults()
	o.from, o.to, o.entity_type = cf.str(eo.From), cf.str(eo.To), cf.str(eo.EntityType)
	for _, id := range []struct {
		v   *int64
		dst *C.int64_t
	}{{eo.EntityID, &o.entity_id}, {eo.ContactID, &o.contact_id}, {eo.CompanyID, &o.company_id}} {
		if id.v != nil {
			*id.dst = C.int64_t(*id.v)
		}
	}
	o.users, o.user_count = cf.ints(eo.Users)
	o.types, o.type_count = cf.list(eo.Types)
	if eo.Limit != 0 {
		o.limit = C.int64_t(eo.Limit)
	}
	o.cursor = cf.str(eo.Cursor)
	if eo.NoTotal {
		o.count_total = 0
	}
	var cix C.dealstat_event_index
	if ix != nil {
		if ix.h == nil {
			return nil, fmt.Errorf("dealstat: the event index is closed")
		}
		cix = ix.h
	}
	res, err := d.report(func(out *C.dealstat_result) C.dealstat_status { return C.dealstat_events_list(d.h, cix, &o, out) })
	runtime.KeepAlive(ix)
	if err != nil {
		return nil, err
	}
	page := &EventsPage{Result: res, Events: res.Table("events"), Total: -1}
	info := res.Table("events_page")
	page.NextCursor = info.Column("next_cursor").String[0]
	if total := info.Column("total"); total.Valid == nil || total.Valid[0] {
		page.Total = total.Int64[0]
	}
	return page, nil
}
