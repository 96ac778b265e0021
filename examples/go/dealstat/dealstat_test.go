package dealstat

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestFunnelOnTheSample(t *testing.T) {
	ds, err := Sample(2000, 42)
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	res, err := ds.Funnel(Filter{From: "2023-06-01", To: "2024-06-01"})
	if err != nil {
		t.Fatal(err)
	}
	f := res.Table("funnel")
	if f == nil || f.Rows < 3 {
		t.Fatalf("funnel table: %+v", f)
	}
	conv := f.Column("conversion_from_first_pct").Float64
	first := -1.0
	for _, v := range conv {
		if !math.IsNaN(v) {
			first = v
			break
		}
	}
	if first != 100 {
		t.Errorf("first stage conversion = %v, want 100", first)
	}
	s := res.Table("funnel_summary")
	won, lost, active, deals := s.Column("won").Int64[0], s.Column("lost").Int64[0], s.Column("active").Int64[0], s.Column("deals").Int64[0]
	if won+lost+active != deals || deals == 0 {
		t.Errorf("won %d + lost %d + active %d != deals %d", won, lost, active, deals)
	}
}

func TestOtherReports(t *testing.T) {
	ds, err := Sample(1000, 7)
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	st, err := ds.StageTime(Filter{})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, v := range st.Table("stage_time").Column("share_pct").Float64 {
		sum += v
	}
	if math.Abs(sum-100) > 1e-6 {
		t.Errorf("shares sum to %v", sum)
	}
	mv, err := ds.Movement(Filter{From: "2024-01-01", To: "2024-04-01"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := mv.Table("movement_totals").Rows; got != 3 {
		t.Errorf("movement_totals rows = %d, want 3 months", got)
	}
}

func TestErrorsCarryTheirDetail(t *testing.T) {
	ds, err := Sample(200, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	_, err = ds.Funnel(Filter{Pipeline: "No such pipeline"})
	var e *Error
	if !errors.As(err, &e) || e.Name != "DEALSTAT_ERROR_INVALID_OPTION" || e.Field != "pipeline" || e.Value != "No such pipeline" {
		t.Fatalf("got %#v", err)
	}
	_, err = ds.Funnel(Filter{From: "2024-02-30"})
	if !errors.As(err, &e) || e.Field != "from" {
		t.Fatalf("got %#v", err)
	}

	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pipelines.csv", "id,name\n1,Sales\n")
	write("stages.csv", "pipeline_id,id,name,sort,kind\n1,10,New,10,open\n1,142,Won,142,won\n1,143,Lost,143,lost\n")
	write("deals.csv", "id,pipeline_id,stage_id,created_at\n1,1,10,1700000000\n2,1,10,soon\n")
	_, err = LoadCSVDirectory(dir, "", false)
	if !errors.As(err, &e) || filepath.Base(e.Source) != "deals.csv" || e.Row != 3 || e.Field != "created_at" || e.Value != "soon" {
		t.Fatalf("got %#v", err)
	}
	lenient, err := LoadCSVDirectory(dir, "", true)
	if err != nil {
		t.Fatal(err)
	}
	defer lenient.Close()
	if lenient.Deals() != 1 || len(lenient.Problems()) != 1 {
		t.Errorf("deals %d, problems %v", lenient.Deals(), lenient.Problems())
	}
}

func TestGoroutinesShareOneDataset(t *testing.T) {
	ds, err := Sample(1000, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	var wg sync.WaitGroup
	sums := make([]int64, 4)
	for g := range sums {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			res, err := ds.Funnel(Filter{})
			if err != nil {
				t.Error(err)
				return
			}
			for _, v := range res.Table("funnel").Column("reached").Int64 {
				sums[g] += v
			}
		}(g)
	}
	wg.Wait()
	for _, s := range sums {
		if s != sums[0] || s == 0 {
			t.Fatalf("sums differ: %v", sums)
		}
	}
	ds.Close()
	ds.Close() // twice is harmless
	if _, err := ds.Funnel(Filter{}); err == nil {
		t.Fatal("a closed dataset must fail")
	}
}

func TestEveryReport(t *testing.T) {
	ds, err := Sample(1500, 11)
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	period := Filter{From: "2024-01-01", To: "2024-07-01"}
	check := func(name string, res *Result, err error, tables ...string) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, tab := range tables {
			tb := res.Table(tab)
			if tb == nil || len(tb.Columns) == 0 {
				t.Errorf("%s: no table %q in %d tables", name, tab, len(res.Tables))
				continue
			}
			for _, c := range tb.Columns {
				if n := len(c.Int64) + len(c.Float64) + len(c.String); n != tb.Rows {
					t.Errorf("%s.%s.%s: %d values for %d rows", name, tab, c.Name, n, tb.Rows)
				}
			}
		}
	}
	emp, err := ds.Employees(EmployeesOptions{Filter: period, RankBy: "won", Compare: []int64{}})
	check("employees", emp, err, "employees", "employees_groups", "employees_team")
	if emp.Table("employees").Rows == 0 {
		t.Error("no employees")
	}
	users := emp.Table("employees").Column("user_id").Int64
	emp, err = ds.Employees(EmployeesOptions{AtClose: true, Compare: users[:1]})
	check("employees compare", emp, err, "employees_comparison")

	uns, err := ds.Unsorted(period)
	check("unsorted", uns, err, "unsorted")
	if _, err := ds.Unsorted(Filter{Status: 3}); err == nil {
		t.Error("unsorted with a status filter must fail")
	}

	fc, err := ds.Forecast(ForecastOptions{HorizonDays: 14, NoBacktest: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(fc.Tables) == 0 {
		t.Error("forecast: no tables")
	}
	check("forecast", fc, nil)

	sum, err := ds.Summary(period, 2)
	check("summary", sum, err, "summary_created", "summary_purchases", "summary_stages", "summary_stage_time",
		"summary_tasks_by_user", "summary_info")
	if got := sum.Table("summary_created").Rows; got != 6 {
		t.Errorf("summary_created rows = %d, want 6 months", got)
	}
	var e *Error
	if _, err := ds.Summary(period, 9); !errors.As(err, &e) || e.Field != "bucket" {
		t.Errorf("bad bucket: %#v", err)
	}
}

func TestEventsPages(t *testing.T) {
	ds, err := Sample(300, 5)
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	ix, err := ds.EventIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	n := ix.Events()
	if n == 0 {
		t.Fatal("no events in the sample")
	}
	// Page through everything: newest first, no event twice.
	seen := map[string]bool{}
	opts := EventsOptions{Limit: 41}
	last := int64(math.MaxInt64)
	for pages := 0; ; pages++ {
		page, err := ds.Events(ix, opts)
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != n {
			t.Fatalf("total %d, want %d", page.Total, n)
		}
		ids, at := page.Events.Column("id").String, page.Events.Column("at_s").Int64
		for i := range ids {
			if seen[ids[i]] || at[i] > last {
				t.Fatalf("event %s repeated or out of order", ids[i])
			}
			seen[ids[i]], last = true, at[i]
		}
		if page.NextCursor == "" {
			break
		}
		opts.Cursor = page.NextCursor
	}
	if int64(len(seen)) != n {
		t.Errorf("saw %d events of %d", len(seen), n)
	}
	// Filters, without an index, and not counted.
	first, err := ds.Events(nil, EventsOptions{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	typ := first.Events.Column("type").String[0]
	page, err := ds.Events(ix, EventsOptions{Types: []string{typ}, EntityType: "lead", NoTotal: true, Limit: 1000000})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != -1 || page.Events.Rows == 0 {
		t.Errorf("total %d, rows %d", page.Total, page.Events.Rows)
	}
	for i, v := range page.Events.Column("type").String {
		if v != typ || page.Events.Column("entity_type").String[i] != "lead" {
			t.Fatalf("row %d: %s %s", i, v, page.Events.Column("entity_type").String[i])
		}
	}
	entity := page.Events.Column("entity_id").Int64[0]
	one, err := ds.Events(ix, EventsOptions{EntityType: "lead", EntityID: &entity})
	if err != nil || one.Total == 0 {
		t.Fatalf("one entity: %v, %+v", err, one)
	}
	// Bad options name the option.
	var e *Error
	for _, c := range []struct {
		o     EventsOptions
		field string
	}{
		{EventsOptions{Limit: -1}, "limit"},
		{EventsOptions{Cursor: "not a cursor"}, "cursor"},
		{EventsOptions{EntityID: &entity}, "entity_id"},
		{EventsOptions{Users: []int64{424242}}, "users"},
		{EventsOptions{From: "2024-13-01"}, "from"},
	} {
		if _, err := ds.Events(ix, c.o); !errors.As(err, &e) || e.Field != c.field || e.Name != "DEALSTAT_ERROR_INVALID_OPTION" {
			t.Errorf("%+v: got %#v, want field %s", c.o, err, c.field)
		}
	}
	// An index of another dataset is refused.
	other, err := Sample(300, 5)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Events(ix, EventsOptions{}); !errors.As(err, &e) || e.Field != "index" {
		t.Errorf("foreign index: %#v", err)
	}
	ix.Close()
	ix.Close() // twice is harmless
	if _, err := ds.Events(ix, EventsOptions{}); err == nil {
		t.Error("a closed index must fail")
	}
}

func TestLoadAmocrm(t *testing.T) {
	ds, err := LoadAmocrm(filepath.Join("..", "..", "..", "tests", "data", "amocrm", "basic"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	if ds.Deals() != 7 {
		t.Errorf("deals = %d, want 7", ds.Deals())
	}
	dir := t.TempDir()
	pipelines := `{"_embedded":{"pipelines":[{"id":10,"name":"Sales","_embedded":{"statuses":[` +
		`{"id":101,"name":"New","sort":10,"type":0},{"id":142,"name":"Won","sort":10000,"type":0},` +
		`{"id":143,"name":"Lost","sort":11000,"type":0}]}}]}}`
	leads := `{"_embedded":{"leads":[{"id":1,"price":100,"status_id":101,"pipeline_id":10,"created_at":1700000000},` +
		`{"id":2,"price":"12,50","status_id":101,"pipeline_id":10,"created_at":1700000000}]}}`
	for name, body := range map[string]string{"leads_pipelines.json": pipelines, "leads_1.json": leads} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err = LoadAmocrm(dir, false)
	var e *Error
	if !errors.As(err, &e) || e.Source != "leads_1.json" || e.Row != 2 || e.Field != "$._embedded.leads[1].price" || e.Value != "12,50" {
		t.Fatalf("got %#v", err)
	}
	lenient, err := LoadAmocrm(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	defer lenient.Close()
	if lenient.Deals() != 1 || len(lenient.Problems()) != 1 {
		t.Errorf("deals %d, problems %v", lenient.Deals(), lenient.Problems())
	}
}
