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
