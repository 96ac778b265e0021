"""Run dealstat reports over Dask DataFrames (docs/distributed.md).

Every partial-capable report (``dealstat.distributed.REPORTS``) runs as: key
every row by the partitioning rule → shuffle so that all rows of a deal meet
in one partition → per partition build a dataset and its partial (bytes) →
tree-reduce merge → finalize on the client. With ``by="account"`` each
account gets its own partials and result (accounts are independent).

Needs dask (``pip install "dask[dataframe,distributed]"``); import fails with
an ImportError saying so otherwise.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

try:
    import dask
    import dask.dataframe as dd
    from dask import delayed
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "dealstat.dask needs Dask: pip install 'dask[dataframe,distributed]' "
        "(dealstat itself does not depend on it)") from exc

import numpy as np
import pandas as pd

from . import distributed as _d
from .dataset import Dataset
from .results import ReportResult

__all__ = ["run_report", "aligned_partitions", "REPORTS"]

REPORTS = _d.REPORTS
_PART = "_dealstat_part"
_SEQ = "_dealstat_seq"


def _keyed(frame: pd.DataFrame, table: str, n: int, by: Optional[str], partition_info: Any = None) -> pd.DataFrame:
    """Adds the partition number and the original row order (input partition, row) to a frame."""
    key = _d.partition_keys(table, frame)
    if by is not None:
        key = key ^ pd.util.hash_array(frame[by].astype(str).to_numpy()).astype(np.int64)
    number = 0 if partition_info is None else int(partition_info["number"])
    seq = (np.int64(number) << np.int64(40)) + np.arange(len(frame), dtype=np.int64)
    return frame.assign(**{_PART: _d._hash_ids(key, n), _SEQ: seq})


def _restore(frame: pd.DataFrame) -> pd.DataFrame:
    """A shuffled partition back in the input's row order (paths keep same-instant changes in order)."""
    frame = frame.reset_index()
    frame = frame.sort_values(_SEQ, kind="stable")
    return frame.drop(columns=[c for c in (_PART, _SEQ) if c in frame.columns]).reset_index(drop=True)


def aligned_partitions(rows: Mapping[str, Any], n: int, by: Optional[str] = None) -> List[Dict[str, Any]]:
    """Shuffles every row table into ``n`` partitions by the partitioning rule, aligned across
    tables: partition i of each table holds the rows keyed to i. Returns n dicts of delayed pandas
    frames (still in the input's row order within a deal)."""
    divisions = list(range(n)) + [n - 1]
    out: List[Dict[str, Any]] = [dict() for _ in range(n)]
    for name, t in rows.items():
        if isinstance(t, pd.DataFrame):
            t = dd.from_pandas(t, npartitions=max(1, min(n, len(t) // 1000 + 1)))
        meta = _keyed(t._meta, name, n, by)
        keyed = t.map_partitions(_keyed, name, n, by, meta=meta)
        shuffled = keyed.set_index(_PART, divisions=divisions, sort=True)
        parts = shuffled.to_delayed()
        if len(parts) != n:  # pragma: no cover - set_index keeps the given divisions
            raise RuntimeError(f"{name}: expected {n} partitions after the shuffle, got {len(parts)}")
        for i, p in enumerate(parts):
            out[i][name] = delayed(_restore)(p)
    return out


def _partition_map(report: str, frames: Dict[str, pd.DataFrame], entities: Dict[str, pd.DataFrame], by: Optional[str],
                   dataset_options: Any, options: Mapping[str, Any], bounds: Any, want_bounds: bool) -> Dict[Any, Any]:
    """One partition: {account: partial bytes} (or {account: bounds} in the bounds pass)."""
    accounts = [None] if by is None else _d.accounts_of(frames, by)
    out: Dict[Any, Any] = {}
    for acc in accounts:
        fr = {k: _d.by_account(v, by, acc) for k, v in frames.items()}
        ent = {k: _d.by_account(v, by, acc) for k, v in entities.items()}
        opts = _d.options_for(acc, dataset_options)
        if want_bounds:
            out[acc] = _d.partition_bounds(report, fr, ent, opts)
        else:
            b = bounds.get(acc) if isinstance(bounds, dict) else bounds
            out[acc] = _d.partition_partial(report, fr, ent, opts, options, b)
    return out


def _reduce(parts: List[Dict[Any, Any]], want_bounds: bool) -> Dict[Any, Any]:
    """Merges a group of {account: bytes or bounds} dicts."""
    out: Dict[Any, Any] = {}
    for d in parts:
        for acc, v in d.items():
            if want_bounds:
                out[acc] = _d.merge_bounds(out.get(acc), v)
            else:
                out[acc] = v if acc not in out else _d.merge_bytes([out[acc], v])
    return out


def _tree(leaves: List[Any], split_every: int, want_bounds: bool) -> Any:
    level = leaves
    while len(level) > 1:
        level = [delayed(_reduce)(level[i:i + split_every], want_bounds) for i in range(0, len(level), split_every)]
    return level[0] if level else delayed(dict)()


def run_report(tables: Mapping[str, Any], report: str, *, by: Optional[str] = None,
               npartitions: Optional[int] = None, split_every: int = 8, dataset_options: Any = None,
               scheduler: Any = None, **options: Any) -> Any:
    """Runs ``report`` over Dask (or pandas) tables and returns its result.

    ``tables``: {"deals": ..., "stage_changes": ..., "tasks": ..., "events": ..., "unsorted": ...,
    "users": ..., "pipelines": ..., "stages": ...} with dealstat's column names (docs/python.md);
    users, pipelines and stages are small and copied to every partition. ``by``: an account column
    in every table; then the result is {account: result}. ``dataset_options``: Dataset.from_pandas
    settings (time_zone, currency, ...), one dict or {account: dict}. ``options``: the report's own
    (``period``, ``pipeline``, ``as_of``, ...). Without ``as_of`` (and, for movement and summary,
    without a period start) a first pass computes the data-wide defaults. ``scheduler`` goes to
    ``dask.compute`` (default: the active client or Dask's default).
    """
    _d._check_report(report)
    entities, rows = _d.split_entities(tables)
    n = int(npartitions or max((t.npartitions for t in rows.values() if hasattr(t, "npartitions")), default=1))
    if n < 1:
        raise ValueError("npartitions must be at least 1")
    if split_every < 2:
        raise ValueError("split_every must be at least 2")
    parts = aligned_partitions(rows, n, by)
    kw = {} if scheduler is None else {"scheduler": scheduler}

    bounds: Any = None
    if _d.needs_bounds(report, options):
        leaves = [delayed(_partition_map)(report, p, entities, by, dataset_options, options, None, True) for p in parts]
        (bounds,) = dask.compute(_tree(leaves, split_every, True), **kw)
        if by is None:
            bounds = bounds.get(None)
    leaves = [delayed(_partition_map)(report, p, entities, by, dataset_options, options, bounds, False) for p in parts]
    (merged,) = dask.compute(_tree(leaves, split_every, False), **kw)
    return _finalize(report, merged, entities, by, dataset_options)


def _finalize(report: str, merged: Mapping[Any, Optional[bytes]], entities: Mapping[str, pd.DataFrame],
              by: Optional[str], dataset_options: Any) -> Any:
    results: Dict[Any, ReportResult] = {}
    for acc, b in merged.items():
        ent = {k: _d.by_account(v, by, acc) for k, v in entities.items()}
        ds: Dataset = _d.entities_dataset(ent, **_d.options_for(acc, dataset_options))
        results[acc] = _d.Partial.from_bytes(b).finalize(ds)
    if by is None:
        if None not in results:
            raise ValueError("no rows: the tables are empty")
        return results[None]
    return results
