"""Run dealstat reports over Spark DataFrames (docs/distributed.md).

Every partial-capable report (``dealstat.distributed.REPORTS``) runs as: key
each table's rows by the partitioning rule (``mapInPandas``), put the tables
side by side in one long frame, ``groupBy(partition).applyInPandas`` → one
dataset and one partial (bytes) per partition and account → ``reduceByKey``
merge → finalize on the driver. With ``by="account"`` the result is
{account: result} (accounts are independent).

Times are best given as Unix seconds (int64): Spark shifts naive timestamps
by ``spark.sql.session.timeZone``. Needs pyspark (``pip install pyspark``;
Java 17); import fails with an ImportError saying so otherwise.
"""

from __future__ import annotations

import functools
from typing import Any, Dict, Iterator, Mapping, Optional

try:
    from pyspark.sql import DataFrame as SparkDataFrame
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql import types as T
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError("dealstat.spark needs PySpark: pip install pyspark (and a Java 17 runtime); "
                      "dealstat itself does not depend on it") from exc

import numpy as np
import pandas as pd

from . import distributed as _d

__all__ = ["run_report", "REPORTS"]

REPORTS = _d.REPORTS
_PART = "_dealstat_part"
_SEQ = "_dealstat_seq"
_TABLE = "_dealstat_table"
_SEP = "__"


def _entities_pandas(tables: Mapping[str, Any]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for k, v in tables.items():
        if v is None:
            continue
        if k in _d.REPLICATED and isinstance(v, SparkDataFrame):
            v = v.toPandas()
        out[k] = v
    return out


def _keyed_table(df: SparkDataFrame, table: str, n: int, by: Optional[str]) -> SparkDataFrame:
    """The table with its columns prefixed by its name, its partition and row order, in the long schema."""
    df = df.withColumn(_SEQ, F.monotonically_increasing_id())
    fields = [T.StructField(table + _SEP + f.name if f.name not in (_SEQ, by) else f.name, f.dataType, True)
              for f in df.schema.fields]
    schema = T.StructType(fields + [T.StructField(_PART, T.LongType(), False)])

    def add_key(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for b in batches:
            key = _d.partition_keys(table, b)
            if by is not None:
                key = key ^ pd.util.hash_array(b[by].astype(str).to_numpy()).astype(np.int64)
            part = _d._hash_ids(key, n)
            b = b.rename(columns={c: table + _SEP + c for c in b.columns if c not in (_SEQ, by)})
            yield b.assign(**{_PART: part})

    return df.mapInPandas(add_key, schema).withColumn(_TABLE, F.lit(table))


def _split(pdf: pd.DataFrame, tables: list, by: Optional[str]) -> Dict[str, pd.DataFrame]:
    """The long frame of one partition back into its tables (input row order kept)."""
    out: Dict[str, pd.DataFrame] = {}
    for t in tables:
        rows = pdf[pdf[_TABLE] == t].sort_values(_SEQ, kind="stable")
        cols = [c for c in pdf.columns if c.startswith(t + _SEP)]
        frame = rows[cols].rename(columns={c: c[len(t) + len(_SEP):] for c in cols})
        if by is not None:
            frame[by] = rows[by].to_numpy()
        out[t] = frame.reset_index(drop=True)
    return out


def run_report(tables: Mapping[str, Any], report: str, *, by: Optional[str] = None,
               num_partitions: Optional[int] = None, dataset_options: Any = None,
               spark: Optional[SparkSession] = None, **options: Any) -> Any:
    """Runs ``report`` over Spark (or pandas) tables and returns its result.

    ``tables``: {"deals": ..., "stage_changes": ..., "tasks": ..., "events": ..., "unsorted": ...,
    "users": ..., "pipelines": ..., "stages": ...} with dealstat's column names; users, pipelines
    and stages are collected to the driver and copied to every partition. ``by``: an account
    column in every table; then the result is {account: result}. ``num_partitions``: how many
    partials per account (default: spark.sql.shuffle.partitions, at most 64). ``dataset_options``:
    Dataset.from_pandas settings, one dict or {account: dict}. ``options``: the report's own.
    """
    _d._check_report(report)
    spark = spark or SparkSession.getActiveSession() or SparkSession.builder.getOrCreate()
    tables = _entities_pandas(tables)
    entities, rows = _d.split_entities(tables)
    rows = {k: (spark.createDataFrame(v) if isinstance(v, pd.DataFrame) else v) for k, v in rows.items()}
    n = int(num_partitions or min(64, int(spark.conf.get("spark.sql.shuffle.partitions", "8"))))
    if n < 1:
        raise ValueError("num_partitions must be at least 1")
    names = sorted(rows)
    long = functools.reduce(lambda a, b: a.unionByName(b, allowMissingColumns=True),
                            [_keyed_table(rows[t], t, n, by) for t in names])
    acc_type = rows["deals"].schema[by].dataType if by is not None else T.StringType()

    def per_partition(want_bounds: bool, bounds: Any):
        def fn(pdf: pd.DataFrame) -> pd.DataFrame:
            frames = _split(pdf, names, by)
            accounts = [None] if by is None else _d.accounts_of(frames, by)
            recs = []
            for acc in accounts:
                fr = {k: _d.by_account(v, by, acc) for k, v in frames.items()}
                ent = {k: _d.by_account(v, by, acc) for k, v in entities.items()}
                opts = _d.options_for(acc, dataset_options)
                if want_bounds:
                    last, first = _d.partition_bounds(report, fr, ent, opts)
                    recs.append((acc, last, first))
                else:
                    b = bounds.get(acc) if isinstance(bounds, dict) else bounds
                    recs.append((acc, _d.partition_partial(report, fr, ent, opts, options, b)))
            cols = ["account", "last", "first"] if want_bounds else ["account", "payload"]
            return pd.DataFrame.from_records(recs, columns=cols)
        return fn

    grouped = long.groupBy(_PART)
    bounds: Any = None
    if _d.needs_bounds(report, options):
        schema = T.StructType([T.StructField("account", acc_type), T.StructField("last", T.LongType()),
                               T.StructField("first", T.LongType())])
        rows_b = (grouped.applyInPandas(per_partition(True, None), schema)
                  .groupBy("account").agg(F.max("last").alias("last"), F.min("first").alias("first")).collect())
        bounds = {r["account"]: (int(r["last"]), int(r["first"])) for r in rows_b}
        if by is None:
            bounds = bounds.get(None)
    schema = T.StructType([T.StructField("account", acc_type), T.StructField("payload", T.BinaryType())])
    partials = grouped.applyInPandas(per_partition(False, bounds), schema)
    merged = (partials.rdd.map(lambda r: (r["account"], bytes(r["payload"])))
              .reduceByKey(lambda a, b: _d.merge_bytes([a, b])).collect())
    results: Dict[Any, Any] = {}
    for acc, payload in merged:
        ent = {k: _d.by_account(v, by, acc) for k, v in entities.items()}
        ds = _d.entities_dataset(ent, **_d.options_for(acc, dataset_options))
        results[acc] = _d.Partial.from_bytes(payload).finalize(ds)
    if by is None:
        if None not in results:
            raise ValueError("no rows: the tables are empty")
        return results[None]
    return results
