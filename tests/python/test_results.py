"""Result objects: zero-copy numpy views, pandas / Polars / Arrow out, HTML, plots, bad keywords."""

import concurrent.futures as cf
import gc

import numpy as np
import pandas as pd
import pytest

import dealstat


def test_numeric_columns_are_views_that_keep_the_buffer(sample):
    f = sample.funnel(pipeline="Sales")
    col = f.column("reached")
    assert col.dtype == np.int64 and not col.flags.writeable
    assert "capsule" in type(col.base).__name__.lower()
    again = f.column("reached")
    assert np.shares_memory(col, again) or col.ctypes.data == again.ctypes.data
    expected = col.copy()
    del f
    gc.collect()
    assert np.array_equal(col, expected)  # the capsule keeps the C++ buffer alive


def test_arrow_stream_shares_the_buffers(sample):
    pa = pytest.importorskip("pyarrow")
    f = sample.funnel(pipeline="Sales")
    t = pa.table(f)
    assert t.column_names == f.table.column_names
    buf = t.column("reached").chunk(0).buffers()[1]
    assert buf.address == f.column("reached").ctypes.data
    assert t.column("stage").to_pylist() == list(f.column("stage"))


def test_polars_and_pandas(sample):
    pl = pytest.importorskip("polars")
    f = sample.funnel(pipeline="Sales")
    df = f.to_pandas()
    assert list(df.columns) == f.table.column_names
    p = f.to_polars()
    assert isinstance(p, pl.DataFrame) and p.shape == df.shape
    assert p["reached"].to_list() == df["reached"].tolist()


def test_nullable_int_columns(sample):
    e = sample.employees(period=("2024-01-01", "2024-07-01"))
    seen = 0
    for t in e.tables.values():
        df = t.to_pandas()
        for name, ty in t.column_types.items():
            mask = t.valid(name)
            if ty == "int64" and mask is not None:
                seen += 1
                assert str(df[name].dtype) == "Int64"
                assert int(df[name].isna().sum()) == int((~mask).sum())
    assert seen >= 1  # group and team rows have no user id


def test_every_report_has_html_and_plot(sample):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = [
        sample.funnel(pipeline="Sales"),
        sample.stage_time(pipeline="Sales"),
        sample.movement(bucket="month", pipeline="Sales"),
        sample.employees(period=("2024-01-01", "2025-01-01")),
        sample.unsorted(),
        sample.forecast(horizon_days=30, backtest=False),
    ]
    for r in results:
        assert "<table>" in r._repr_html_()
        ax = r.plot()
        assert ax.figure is not None
        plt.close(ax.figure)
    s = sample.summary(period=("2024-01-01", "2025-01-01"))
    for kind in ("tasks", "stages", "stage_time", "created"):
        plt.close(s.plot(kind=kind).figure)
    ev = sample.events(limit=5)
    assert ev.table.num_rows == 5 and ev.total > 5 and ev.next_cursor
    nxt = sample.events(limit=5, cursor=ev.next_cursor)
    assert set(nxt.column("id")).isdisjoint(ev.column("id"))


def test_bad_keywords_name_themselves(sample):
    with pytest.raises(TypeError, match="bogus"):
        sample.funnel(bogus=1)
    with pytest.raises(ValueError, match="skip"):
        sample.funnel(skip="sometimes")
    with pytest.raises(ValueError, match="period"):
        sample.funnel(period=("2024-02-01", "2024-01-01"))
    with pytest.raises(TypeError, match="confidence"):
        sample.funnel(confidence="high")
    with pytest.raises(ValueError, match="bucket"):
        sample.movement(bucket="fortnight")
    with pytest.raises(ValueError, match="rank_by"):
        sample.employees(rank_by="charm")
    with pytest.raises(dealstat.OptionError) as e:
        sample.funnel(pipeline="No such pipeline")
    assert e.value.field == "pipeline"


def test_dates_in_any_spelling(sample):
    import datetime as dt

    a = sample.funnel(pipeline="Sales", period=("2024-01-01", "2024-04-01")).to_pandas()
    b = sample.funnel(pipeline="Sales", period=(dt.date(2024, 1, 1), dt.datetime(2024, 4, 1, 12))).to_pandas()
    c = sample.funnel(pipeline="Sales", period=(np.datetime64("2024-01-01"), pd.Timestamp("2024-04-01"))).to_pandas()
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)
    x = sample.funnel(pipeline="Sales", as_of="2024-06-01")
    y = sample.funnel(pipeline="Sales", as_of=dt.datetime(2024, 6, 1))  # naive = account-local midnight
    assert x.summary["as_of_s"] == y.summary["as_of_s"] == sample._ds.local_instant(19875, 0)


def test_threads_run_reports_at_once(sample):
    calls = [
        lambda: sample.funnel(pipeline="Sales", threads=1).to_pandas(),
        lambda: sample.stage_time(threads=1).to_pandas(),
        lambda: sample.movement(bucket="month", threads=1).to_pandas(),
        lambda: sample.employees(threads=1).to_pandas(),
        lambda: sample.funnel(pipeline="Sales", skip="strict", threads=1).to_pandas(),
    ] * 3
    serial = [c() for c in calls]
    with cf.ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(lambda c: c(), calls))
    for s, p in zip(serial, parallel):
        pd.testing.assert_frame_equal(s, p)


def test_gil_is_released_during_a_report():
    import threading
    import time

    big = dealstat.Dataset.sample(200000, seed=1, events=False)
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    t0 = time.perf_counter()
    for _ in range(3):
        big.funnel(pipeline="Sales", threads=1)
    t1 = time.perf_counter()
    stop.set()
    t.join()
    during = [x for x in ticks if t0 <= x <= t1]
    # with the GIL held the ticker could not run while the report computes
    assert len(during) >= 0.3 * (t1 - t0) / 0.001 * 0.1
