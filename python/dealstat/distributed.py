"""Mergeable partial reports and the partitioning rule (docs/distributed.md).

A :class:`Partial` is a report's state over some rows of one account: make it
on a partition, ``accumulate``, ship it as bytes (it pickles as its portable
bytes), ``merge`` partials in any order, ``finalize`` once on a dataset that
holds the same users, pipelines and stages. :func:`repartition` splits pandas
or Arrow tables so that every row of a deal lands in the same partition.
``dealstat.dask`` and ``dealstat.spark`` drive both over Dask and Spark.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

import numpy as np

from . import _core
from .dataset import Dataset
from .results import (
    EmployeesResult,
    ForecastResult,
    FunnelResult,
    MovementResult,
    ReportResult,
    StageTimeResult,
    SummaryResult,
    UnsortedResult,
)

__all__ = [
    "REPORTS",
    "SKETCH_ALPHA",
    "Partial",
    "merge_bounds",
    "repartition",
    "partition_keys",
    "entities_dataset",
    "REPLICATED",
]

#: The reports with a partial state (the events list has none: docs/distributed.md).
REPORTS: Tuple[str, ...] = ("funnel", "stage_time", "movement", "employees", "unsorted", "summary", "forecast")
#: Relative accuracy of medians in partials that went through bytes (DDSketch).
SKETCH_ALPHA: float = _core.partial_sketch_alpha
#: Tables copied to every partition (the account's entity tables that are not deals).
REPLICATED: Tuple[str, ...] = ("users", "pipelines", "stages")

_RESULTS = {
    "funnel": FunnelResult,
    "stage_time": StageTimeResult,
    "movement": MovementResult,
    "employees": EmployeesResult,
    "unsorted": UnsortedResult,
    "summary": SummaryResult,
    "forecast": ForecastResult,
}

Bounds = Tuple[int, int]


def _check_report(report: str) -> str:
    if report not in REPORTS:
        raise ValueError(f"report {report!r} has no partial state; expected one of {', '.join(REPORTS)} "
                         "(the events list runs on one machine: docs/distributed.md)")
    return report


def merge_bounds(a: Optional[Bounds], b: Optional[Bounds]) -> Optional[Bounds]:
    """Merges two partitions' bounds: the latest ``last`` and the earliest ``first``."""
    if a is None:
        return b
    if b is None:
        return a
    return (max(a[0], b[0]), min(a[1], b[1]))


class Partial:
    """A report's mergeable partial state over some rows of one account."""

    __slots__ = ("_p", "_options")

    def __init__(self, core: "_core.Partial", options: Optional[dict] = None) -> None:
        self._p = core
        self._options = options

    @classmethod
    def make(cls, dataset: Dataset, report: str, *, bounds: Optional[Bounds] = None, **options: Any) -> "Partial":
        """An empty partial of ``report`` (its options as the report method takes them).

        ``bounds`` (from :meth:`bounds` of every partition, merged with :func:`merge_bounds`) pins the
        defaults that depend on all the data (the as-of, an open period start); ``None`` takes them
        from ``dataset`` alone, which is right on one machine.
        """
        f, kw = dataset._report_args(_check_report(report), **options)
        core = _core.partial_make(dataset._ds, report, f, kw, None if bounds is None else tuple(bounds))
        return cls(core, {**f, **kw})

    @staticmethod
    def bounds(dataset: Dataset, report: str) -> Bounds:
        """(last, first): the instants of ``dataset`` the report's defaults come from."""
        last, first = _core.partial_bounds(dataset._ds, _check_report(report))
        return int(last), int(first)

    @classmethod
    def from_bytes(cls, data: bytes) -> "Partial":
        """Reads :meth:`to_bytes`; a newer format raises an error naming both versions."""
        return cls(_core.partial_from_bytes(bytes(data)))

    def to_bytes(self) -> bytes:
        """Portable bytes (versioned, little-endian; docs/distributed.md)."""
        return self._p.to_bytes()

    def accumulate(self, dataset: Dataset, threads: int = 1) -> "Partial":
        """Adds every row of ``dataset`` (a partition of the account); returns self."""
        self._p.accumulate(dataset._ds, int(threads))
        return self

    def merge(self, other: "Partial") -> "Partial":
        """Folds ``other`` (same report, options and entity tables) in; returns self."""
        if not isinstance(other, Partial):
            raise TypeError("merge takes a dealstat.Partial")
        self._p.merge(other._p)
        return self

    def copy(self) -> "Partial":
        """A deep copy."""
        return Partial(self._p.copy(), self._options)

    def finalize(self, entities: Dataset) -> ReportResult:
        """The report, from a dataset with the same users, pipelines, stages and account."""
        return _RESULTS[self.report](self._p.finalize(entities._ds), self._options)

    @property
    def report(self) -> str:
        """The report's name."""
        return self._p.report

    @property
    def exact(self) -> bool:
        """True while every median is exact (nothing went through bytes)."""
        return self._p.exact

    def __reduce__(self) -> Any:
        return (Partial.from_bytes, (self.to_bytes(),))

    def __repr__(self) -> str:
        return f"<dealstat.Partial {self.report}{'' if self.exact else ' (sketched medians)'}>"


# ------------------------------------------------------------------ partitioning --

_DEAL_ENTITY_TYPES = ("lead", "leads", "deal", "deals")


def _hash_ids(ids: Any, n: int) -> np.ndarray:
    """Partition of each integer id: a fixed multiplicative hash, the same in every process."""
    v = np.asarray(ids, dtype=np.int64).astype(np.uint64)
    h = (v * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(29)
    return (h % np.uint64(n)).astype(np.int64)


def _col(frame: Any, name: str) -> Optional[np.ndarray]:
    if name not in frame.columns:
        return None
    return frame[name].to_numpy()


def _ids_or(frame: Any, name: str, fallback: np.ndarray) -> np.ndarray:
    """Integer ids of a column; missing values (NaN/None) replaced by `fallback`."""
    import pandas as pd

    s = pd.to_numeric(frame[name], errors="coerce") if name in frame.columns else None
    if s is None:
        return fallback
    mask = s.isna().to_numpy()
    out = s.fillna(0).to_numpy(dtype=np.int64)
    out[mask] = fallback[mask]
    return out


def partition_keys(table: str, frame: Any) -> np.ndarray:
    """The integer key that decides a row's partition (docs/distributed.md, "The partitioning rule").

    deals: id; stage_changes: deal_id; tasks and events of a deal: entity_id; unsorted items with a
    deal: deal_id; customers: id and purchases: customer_id (together); every other row: its own id.
    """
    n = len(frame)
    own = _ids_or(frame, "id", np.arange(n, dtype=np.int64)) if table != "events" else np.arange(n, dtype=np.int64)
    if table == "deals":
        return _ids_or(frame, "id", own)
    if table == "stage_changes":
        return _ids_or(frame, "deal_id", own)
    if table in ("tasks", "events"):
        et = frame["entity_type"].astype(str).str.lower().to_numpy() if "entity_type" in frame.columns else None
        ent = _ids_or(frame, "entity_id", own)
        if et is None:
            return own
        if table == "events":
            return ent  # an event belongs with its entity, whatever it is (the deal for deal events)
        return np.where(np.isin(et, _DEAL_ENTITY_TYPES), ent, own)
    if table == "unsorted":
        return _ids_or(frame, "deal_id", own)
    if table == "purchases":
        return _ids_or(frame, "customer_id", own)
    return own


def repartition(tables: Mapping[str, Any], n: int, *, by: Optional[str] = None) -> List[Dict[str, Any]]:
    """Splits pandas DataFrames (or Arrow tables) into ``n`` partitions by the partitioning rule.

    Returns ``n`` dicts of pandas frames, one per partition: users, pipelines and stages are copied
    to each; every row of a deal (the deal, its stage changes, tasks and events, the unsorted item
    it came from) sits in one partition; customers with their purchases; every other row in one.
    With ``by`` (an account column present in every table) rows are keyed by (account, key), and
    the entity tables are copied whole (filter them by account when building each dataset).
    """
    import pandas as pd

    if int(n) < 1:
        raise ValueError("n must be at least 1")
    n = int(n)
    out: List[Dict[str, Any]] = [dict() for _ in range(n)]
    for name, obj in tables.items():
        frame = obj if isinstance(obj, pd.DataFrame) else _to_pandas(obj)
        if name in REPLICATED:
            for p in out:
                p[name] = frame
            continue
        key = partition_keys(name, frame)
        if by is not None:
            acc = pd.util.hash_array(frame[by].astype(str).to_numpy()).astype(np.int64)
            key = key ^ acc
        part = _hash_ids(key, n)
        for i in range(n):
            out[i][name] = frame[part == i]
    return out


def _to_pandas(obj: Any) -> Any:
    import pandas as pd

    if isinstance(obj, pd.DataFrame):
        return obj
    if hasattr(obj, "to_pandas"):
        return obj.to_pandas()
    if hasattr(obj, "__arrow_c_stream__"):
        import pyarrow as pa

        return pa.table(obj).to_pandas()
    return pd.DataFrame(obj)


_EMPTY_DEALS = {"id": np.zeros(0, np.int64), "pipeline_id": np.zeros(0, np.int64),
                "stage_id": np.zeros(0, np.int64), "created_at": np.zeros(0, np.int64)}


def entities_dataset(entities: Mapping[str, Any], **dataset_options: Any) -> Dataset:
    """A dataset holding only the replicated entity tables (users, pipelines, stages) and the
    account settings: what :meth:`Partial.finalize` needs."""
    kw = {k: _to_pandas(v) for k, v in entities.items() if k in REPLICATED and v is not None}
    return Dataset.from_pandas(_EMPTY_DEALS, **kw, **dataset_options)


def build_partition(frames: Mapping[str, Any], entities: Mapping[str, Any], dataset_options: Mapping[str, Any]) -> Dataset:
    """A dataset from one partition's frames plus the replicated entity tables."""
    kw: Dict[str, Any] = {k: v for k, v in entities.items() if v is not None}
    deals = frames.get("deals")
    if deals is None or len(deals) == 0:
        deals = _EMPTY_DEALS
    for name, frame in frames.items():
        if name == "deals" or frame is None:
            continue
        kw[name] = frame
    return Dataset.from_pandas(deals, **kw, **dict(dataset_options))


def partition_partial(report: str, frames: Mapping[str, Any], entities: Mapping[str, Any],
                      dataset_options: Mapping[str, Any], options: Mapping[str, Any],
                      bounds: Optional[Bounds]) -> bytes:
    """One partition's partial as bytes (what a map task returns)."""
    ds = build_partition(frames, entities, dataset_options)
    return Partial.make(ds, report, bounds=bounds, **options).accumulate(ds).to_bytes()


def partition_bounds(report: str, frames: Mapping[str, Any], entities: Mapping[str, Any],
                     dataset_options: Mapping[str, Any]) -> Bounds:
    """One partition's bounds (the first, cheap pass when the defaults are not given)."""
    return Partial.bounds(build_partition(frames, entities, dataset_options), report)


def merge_bytes(parts: Iterable[Optional[bytes]]) -> Optional[bytes]:
    """Merges serialized partials (None entries are skipped) into one serialized partial."""
    acc: Optional[Partial] = None
    for b in parts:
        if b is None:
            continue
        p = Partial.from_bytes(b)
        acc = p if acc is None else acc.merge(p)
    return None if acc is None else acc.to_bytes()


def needs_bounds(report: str, options: Mapping[str, Any]) -> bool:
    """True when the report's defaults depend on all the data (no as_of, or an open period start
    for movement and summary; always for the forecast)."""
    if options.get("as_of") is None:
        return True
    if report == "forecast":
        return True  # its daily series and origin grid start at the data-wide first creation
    if report in ("movement", "summary"):
        period = options.get("period")
        return period is None or period[0] is None
    return False


def split_entities(tables: Mapping[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """(replicated entity tables as pandas, row tables as given)."""
    ent = {k: _to_pandas(v) for k, v in tables.items() if k in REPLICATED and v is not None}
    rows = {k: v for k, v in tables.items() if k not in REPLICATED and v is not None}
    if "stages" not in ent:
        raise ValueError("tables needs 'stages' (and usually 'users'): they are copied to every partition")
    if "deals" not in rows:
        raise ValueError("tables needs 'deals'")
    return ent, rows


def by_account(frame: Any, by: Optional[str], account: Any) -> Any:
    """The rows of one account (all rows when by is None)."""
    if by is None or frame is None:
        return frame
    return frame[frame[by] == account].drop(columns=[by])


def accounts_of(frames: Mapping[str, Any], by: str) -> List[Any]:
    """The accounts present in a partition (from every row table), in sorted order."""
    seen: set = set()
    for f in frames.values():
        if f is not None and by in f.columns:
            seen.update(f[by].unique().tolist())
    return sorted(seen, key=str)


def options_for(account: Any, options: Any) -> Mapping[str, Any]:
    """Per-account settings: a mapping {account: dict} or one dict for every account."""
    if options is None:
        return {}
    if isinstance(options, Mapping) and account in options and isinstance(options[account], Mapping):
        return options[account]
    return options

