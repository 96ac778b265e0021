"""Distributed runs (docs/distributed.md): partials in Python, the partitioning
helper, Dask on a LocalCluster with 2 worker processes and Spark in local[2].

Distributed results equal the single-machine results: counts, sums, means and
Kaplan–Meier exactly (and the forecast, whose history statistics are counts);
medians bit for bit equal to the same report through
bytes on one machine, and within the sketch's stated bound of the exact ones
(never more than alpha above the exact median). Select with ``-m distributed``
(or ``-m dask`` / ``-m spark``).
"""

from __future__ import annotations

import math
import os
import shutil

import numpy as np
import pytest

pd = pytest.importorskip("pandas")

import dealstat  # noqa: E402
from dealstat.distributed import (  # noqa: E402
    REPORTS,
    SKETCH_ALPHA,
    Partial,
    build_partition,
    entities_dataset,
    merge_bounds,
    repartition,
)

# Dask and Spark warn about their own internals; the package's filterwarnings=error would fail on those.
pytestmark = [pytest.mark.distributed, pytest.mark.filterwarnings("ignore")]

TZ = "Europe/Moscow"

CASES = [
    ("funnel", {}),
    ("funnel", {"skip": "strict", "value": "budget"}),
    ("stage_time", {}),
    ("movement", {"bucket": "month"}),
    ("employees", {}),
    ("employees", {"attribution": "at_close"}),
    ("unsorted", {}),
    ("summary", {}),
    ("forecast", {"horizon_days": 30}),
]
IDS = [f"{r}-{i}" for i, (r, _) in enumerate(CASES)]


def _frames(ds: dealstat.Dataset) -> dict:
    """Every table of a dataset as from_pandas input frames (stage changes rebuilt from the paths)."""
    deals = ds.to_pandas("deals")
    deals = deals[["id", "pipeline_id", "stage_id", "created_at", "closed_at", "budget_minor", "responsible_id",
                   "channel", "tags", "deleted"]]
    paths = pd.DataFrame(ds.columns("paths"))
    stages = ds.to_pandas("stages")
    deal_ids = deals["id"].to_numpy()
    paths["deal_id"] = deal_ids[paths["deal_row"]]
    paths["stage_id"] = stages["id"].to_numpy()[paths["stage_row"]]
    paths["pipeline_id"] = stages["pipeline_id"].to_numpy()[paths["stage_row"]]
    first = paths["deal_row"].ne(paths["deal_row"].shift())
    changes = pd.DataFrame({
        "deal_id": paths["deal_id"], "at": paths["entered_at"],
        "from_stage_id": paths["stage_id"].shift().where(~first).astype("Int64"),
        "from_pipeline_id": paths["pipeline_id"].shift().where(~first).astype("Int64"),
        "to_stage_id": paths["stage_id"], "to_pipeline_id": paths["pipeline_id"],
    })
    changes = changes[paths["implied"].to_numpy() == 0].reset_index(drop=True)
    out = {"deals": deals, "stage_changes": changes, "stages": stages, "pipelines": ds.to_pandas("pipelines"),
           "users": ds.to_pandas("users")}
    for t in ("tasks", "unsorted"):  # the tables Dataset.to_pandas exports besides the above
        out[t] = _input_frame(ds, t)
    return out


def _input_frame(ds: dealstat.Dataset, table: str) -> "pd.DataFrame":
    """A dataset table in from_pandas' column names (the dataset's own names where they differ)."""
    df = ds.to_pandas(table)
    schema = dealstat.dataset._SCHEMA[table]
    keep = [c for c in df.columns if c in schema]
    df = df[keep].copy()
    for c in df.columns:
        if schema[c] == "time" and df[c].dtype.kind in "iu":
            df[c] = df[c].where(df[c] != np.iinfo(np.int64).min).astype("Int64")
        if schema[c] == "id" and df[c].dtype.kind in "iu":
            df[c] = df[c].where(df[c] > 0).astype("Int64") if c != "id" else df[c]
    return df.reset_index(drop=True)


@pytest.fixture(scope="module")
def account():
    sample = dealstat.Dataset.sample(5000, seed=11, time_zone=TZ)
    tables = _frames(sample)
    single = dealstat.Dataset.from_pandas(tables["deals"], **{k: v for k, v in tables.items() if k != "deals"},
                                          time_zone=TZ)
    return tables, single


def _is_sketched(col: str) -> bool:
    return "median" in col and not col.startswith("km_")


def _assert_same(got, want, *, exact_want=None, where=""):
    """Every table equal (NaN = NaN); medians compared with want (through bytes) exactly, and with
    exact_want (in process) within the sketch bound."""
    assert set(got.tables) == set(want.tables), where
    for name in want.tables:
        a, b = got.to_pandas(name), want.to_pandas(name)
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=f"{where} {name}")
        if exact_want is None:
            continue
        e = exact_want.to_pandas(name)
        for col in a.columns:
            if not _is_sketched(col):
                pd.testing.assert_series_equal(a[col], e[col], check_exact=True, obj=f"{where} {name}.{col}")
                continue
            for x, y in zip(a[col].to_numpy(), e[col].to_numpy()):
                if isinstance(y, float) and math.isnan(y):
                    assert math.isnan(x), f"{where} {name}.{col}"
                else:
                    assert 0 <= x <= y * (1 + SKETCH_ALPHA) + 1e-9, f"{where} {name}.{col}: {x} vs exact {y}"


def _single(single, report, options, as_of=None):
    """(exact in process, through bytes) on one machine."""
    opts = dict(options, **({"as_of": as_of} if as_of is not None else {}))
    p = Partial.make(single, report, **opts).accumulate(single)
    exact = getattr(single, report)(**opts)
    _assert_same(p.finalize(single), exact, where=f"{report} partial vs method")
    through = Partial.from_bytes(p.to_bytes()).finalize(single)
    return exact, through


# ------------------------------------------------------------------ partials in process --

def test_reports_listed():
    assert REPORTS == ("funnel", "stage_time", "movement", "employees", "unsorted", "summary", "forecast")
    assert SKETCH_ALPHA == 0.005


@pytest.mark.parametrize("report,options", CASES, ids=IDS)
def test_repartitioned_pandas_partials_merge_to_the_whole(account, report, options):
    tables, single = account
    exact, through = _single(single, report, options)
    parts = repartition(tables, 3)
    entities = {k: tables[k] for k in ("users", "pipelines", "stages")}
    datasets = [build_partition({k: v for k, v in p.items() if k not in entities}, entities, {"time_zone": TZ})
                for p in parts]
    assert sum(d.num_deals for d in datasets) == single.num_deals
    bounds = None
    for d in datasets:
        bounds = merge_bounds(bounds, Partial.bounds(d, report))
    assert bounds == Partial.bounds(single, report)
    merged = None
    for d in reversed(datasets):
        b = Partial.make(d, report, bounds=bounds, **options).accumulate(d).to_bytes()
        merged = Partial.from_bytes(b) if merged is None else merged.merge(Partial.from_bytes(b))
    ent = entities_dataset(entities, time_zone=TZ)
    _assert_same(merged.finalize(ent), through, exact_want=exact, where=report)


def test_partial_pickles_and_refuses_mixed_options(account):
    import pickle

    _, single = account
    p = Partial.make(single, "funnel").accumulate(single)
    q = pickle.loads(pickle.dumps(p))
    assert q.report == "funnel" and not q.exact and p.exact
    with pytest.raises(dealstat.OptionError, match="different options"):
        q.merge(Partial.make(single, "funnel", skip="observed"))
    with pytest.raises(ValueError, match="no partial state"):
        Partial.make(single, "events")
    bad = bytearray(p.to_bytes())
    bad[4] = 99  # a format version from the future
    with pytest.raises(dealstat.DealstatError, match="newer"):
        Partial.from_bytes(bytes(bad))


# ------------------------------------------------------------------ Dask --

@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                       memory_limit="2GiB")
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.mark.dask
@pytest.mark.parametrize("report,options", CASES, ids=IDS)
def test_dask_local_cluster_equals_single_machine(account, dask_client, report, options):
    import dask.dataframe as dd
    from dealstat import dask as dsk

    tables, single = account
    exact, through = _single(single, report, options)
    dtables = {k: (dd.from_pandas(v, npartitions=3) if k not in ("users", "pipelines", "stages") else v)
               for k, v in tables.items()}
    got = dsk.run_report(dtables, report, npartitions=4, split_every=2, dataset_options={"time_zone": TZ}, **options)
    _assert_same(got, through, exact_want=exact, where=f"dask {report}")


@pytest.mark.dask
def test_dask_grouped_by_account(account, dask_client):
    from dealstat import dask as dsk

    tables, single = account
    other = dealstat.Dataset.sample(800, seed=5, time_zone=TZ)
    t2 = _frames(other)
    both = {}
    for k in tables:
        a = tables[k].assign(account="a")
        b = t2[k].assign(account="b")
        both[k] = pd.concat([a, b], ignore_index=True)
    as_of = 1735689600
    got = dsk.run_report(both, "funnel", by="account", npartitions=3, dataset_options={"time_zone": TZ},
                         as_of=as_of)
    assert set(got) == {"a", "b"}
    _, through_a = _single(single, "funnel", {}, as_of=as_of)
    _assert_same(got["a"], through_a, where="dask account a")
    single_b = dealstat.Dataset.from_pandas(t2["deals"], **{k: v for k, v in t2.items() if k != "deals"},
                                            time_zone=TZ)
    _, through_b = _single(single_b, "funnel", {}, as_of=as_of)
    _assert_same(got["b"], through_b, where="dask account b")


# ------------------------------------------------------------------ Spark --

@pytest.fixture(scope="module")
def spark():
    pyspark = pytest.importorskip("pyspark")
    if not os.environ.get("JAVA_HOME"):
        java = shutil.which("java")
        if java is None:
            pytest.skip("Spark needs Java 17")
        os.environ["JAVA_HOME"] = os.path.dirname(os.path.dirname(os.path.realpath(java)))
    from pyspark.sql import SparkSession

    import sys

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers run this interpreter (and its dealstat)
    session = (SparkSession.builder.master("local[2]").appName("dealstat-tests")
               .config("spark.sql.shuffle.partitions", "4").config("spark.ui.enabled", "false")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true").getOrCreate())
    yield session
    session.stop()
    del pyspark


def _spark_frame(spark, df):
    """A Spark DataFrame from pandas through Arrow: nullable ints as int64 with NULLs, tags as
    array<string> (Spark cannot infer the type of a column of empty lists)."""
    pa = pytest.importorskip("pyarrow")
    if "tags" in df.columns:
        df = df.assign(tags=[[str(t) for t in v] for v in df["tags"]])
    df = df.astype({c: "int64" for c in df.columns if df[c].dtype.kind == "u"})  # Spark has no unsigned types
    return spark.createDataFrame(pa.Table.from_pandas(df, preserve_index=False))


@pytest.mark.spark
@pytest.mark.parametrize("report,options", [CASES[0], CASES[2], CASES[4], CASES[7], CASES[8]],
                         ids=[IDS[0], IDS[2], IDS[4], IDS[7], IDS[8]])
def test_spark_local_equals_single_machine(account, spark, report, options):
    from dealstat import spark as spk

    tables, single = account
    exact, through = _single(single, report, options)
    stables = {k: (_spark_frame(spark, v) if k not in ("users", "pipelines", "stages") else v)
               for k, v in tables.items()}
    got = spk.run_report(stables, report, num_partitions=4, dataset_options={"time_zone": TZ}, spark=spark,
                         **options)
    _assert_same(got, through, exact_want=exact, where=f"spark {report}")
