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

// Go cannot write a C macro; these hand out the INIT defaults.
static dealstat_funnel_options funnel_defaults(void) {
  dealstat_funnel_options o = DEALSTAT_FUNNEL_OPTIONS_INIT;
  return o;
}
static dealstat_stage_time_options stage_time_defaults(void) {
  dealstat_stage_time_options o = DEALSTAT_STAGE_TIME_OPTIONS_INIT;
  return o;
}
static dealstat_movement_options movement_defaults(void) {
  dealstat_movement_options o = DEALSTAT_MOVEMENT_OPTIONS_INIT;
  return o;
}
static dealstat_sample_options sample_defaults(void) {
  dealstat_sample_options o = DEALSTAT_SAMPLE_OPTIONS_INIT;
  return o;
}
static dealstat_load_options load_defaults(void) {
  dealstat_load_options o = DEALSTAT_LOAD_OPTIONS_INIT;
  return o;
}
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

// Filter is the common report filter (SPEC section 2); zero values mean no restriction.
type Filter struct {
	From, To string   // local dates "YYYY-MM-DD": [From, To)
	Pipeline string   // pipeline id or name
	Users    []int64  // responsible user ids (any of)
	Groups   []string // user groups (any of)
	Tags     []string // tags (any of)
	Channels []string // source channels (any of)
	Status   int      // C.DEALSTAT_STATUS_* value (0 = all)
}

// cFilter holds C memory for a filter until free is called.
type cFilter struct {
	f     C.dealstat_filter
	alloc []unsafe.Pointer
}

func (c *cFilter) str(s string) *C.char {
	if s == "" {
		return nil
	}
	p := C.CString(s)
	c.alloc = append(c.alloc, unsafe.Pointer(p))
	return p
}

func (c *cFilter) list(items []string) (**C.char, C.size_t) {
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

func (c *cFilter) free() {
	for _, p := range c.alloc {
		C.free(p)
	}
}

func (c *cFilter) fill(f Filter, dst *C.dealstat_filter) {
	dst.from = c.str(f.From)
	dst.to = c.str(f.To)
	dst.pipeline = c.str(f.Pipeline)
	dst.status = C.int32_t(f.Status)
	if len(f.Users) > 0 {
		users := (*[1 << 28]C.int64_t)(C.malloc(C.size_t(len(f.Users)) * 8))
		c.alloc = append(c.alloc, unsafe.Pointer(users))
		for i, u := range f.Users {
			users[i] = C.int64_t(u)
		}
		dst.users, dst.user_count = &users[0], C.size_t(len(f.Users))
	}
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

// Funnel runs the sales funnel (SPEC section 3): tables "funnel" and "funnel_summary".
func (d *Dataset) Funnel(f Filter) (*Result, error) {
	var cf cFilter
	defer cf.free()
	o := C.funnel_defaults()
	cf.fill(f, &o.filter)
	return d.report(func(out *C.dealstat_result) C.dealstat_status { return C.dealstat_funnel(d.h, &o, out) })
}

// StageTime runs time in stage (SPEC section 4): tables "stage_time" and "stage_time_summary".
func (d *Dataset) StageTime(f Filter) (*Result, error) {
	var cf cFilter
	defer cf.free()
	o := C.stage_time_defaults()
	cf.fill(f, &o.filter)
	return d.report(func(out *C.dealstat_result) C.dealstat_status { return C.dealstat_stage_time(d.h, &o, out) })
}

// Movement runs sales analysis (SPEC section 5) by bucket (C.DEALSTAT_BUCKET_* value: 0 day ... 4 year).
func (d *Dataset) Movement(f Filter, bucket int) (*Result, error) {
	var cf cFilter
	defer cf.free()
	o := C.movement_defaults()
	cf.fill(f, &o.filter)
	o.bucket = C.int32_t(bucket)
	return d.report(func(out *C.dealstat_result) C.dealstat_status { return C.dealstat_movement(d.h, &o, out) })
}
