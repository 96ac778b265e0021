"""Dataset: one CRM account's data, loaded once, read by every report.

Load it from the built-in sample, a CSV directory, a foreign export with a
mapping file, an amoCRM export, pandas frames or any object with
``__arrow_c_stream__`` (pyarrow, Polars, DuckDB, pandas 2.2+). A Dataset is
immutable and shared with C++; reports run with the GIL released, so
several threads may run reports on one Dataset at once.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
import threading
from typing import Any, Dict, List, Mapping, Optional

import numpy as np

from . import _core
from . import _options as opt
from .results import (
    EmployeesResult,
    EventsListResult,
    ForecastResult,
    FunnelResult,
    MovementResult,
    StageTimeResult,
    SummaryResult,
    UnsortedResult,
)

_NONE = np.iinfo(np.int64).min  # dealstat's "no id / no time"

# Per table: column -> role. Roles: id (int64 ids), time (instants), money
# (major units, float ok), minor (int minor units), str, tags, flag, int.
_SCHEMA: Dict[str, Dict[str, str]] = {
    "users": {"id": "id", "name": "str", "group": "str"},
    "pipelines": {"id": "id", "name": "str"},
    "stages": {"pipeline_id": "id", "id": "id", "name": "str", "sort": "int", "kind": "str"},
    "deals": {
        "id": "id", "pipeline_id": "id", "stage_id": "id", "created_at": "time", "closed_at": "time",
        "budget": "money", "budget_minor": "minor", "responsible_id": "id", "name": "str", "channel": "str",
        "tags": "tags", "loss_reason": "str", "contact_id": "id", "company_id": "id", "deleted": "flag",
    },
    "stage_changes": {
        "deal_id": "id", "at": "time", "from_pipeline_id": "id", "from_stage_id": "id", "to_pipeline_id": "id",
        "to_stage_id": "id", "by_user_id": "id",
    },
    "tasks": {
        "id": "id", "responsible_id": "id", "created_at": "time", "due_at": "time", "completed_at": "time",
        "entity_type": "str", "entity_id": "id", "type": "str",
    },
    "contacts": {"id": "id", "created_at": "time", "responsible_id": "id"},
    "companies": {"id": "id", "created_at": "time", "responsible_id": "id"},
    "customers": {"id": "id", "created_at": "time", "responsible_id": "id"},
    "invoices": {"id": "id", "created_at": "time", "responsible_id": "id"},
    "purchases": {"id": "id", "customer_id": "id", "at": "time", "amount": "money", "amount_minor": "minor"},
    "unsorted": {
        "id": "id", "channel": "str", "created_at": "time", "resolved_at": "time", "outcome": "str",
        "deal_id": "id", "pipeline_id": "id",
    },
    "events": {
        "id": "str", "type": "str", "entity_type": "str", "entity_id": "id", "at": "time", "by_user_id": "id",
        "value_before": "str", "value_after": "str",
    },
}


@dataclasses.dataclass(frozen=True)
class Problem:
    """One record a lenient load left out: where it is and what is wrong."""

    source: str  #: file or table name ("deals.csv", "deals")
    row: int  #: 1-based line (files, header = 1) or position (frames); 0 when not row-bound
    field: str  #: column, JSON path or option
    value: str  #: the offending value as written
    message: str  #: what is wrong

    def __str__(self) -> str:
        return f"{self.source}:{self.row}:{self.field}: {self.message} (value {self.value!r})"


def _columns_of(table: str, obj: Any) -> Dict[str, Any]:
    """{name: array-like} of a pandas frame, an Arrow-stream object or a dict."""
    if isinstance(obj, Mapping):
        return dict(obj)
    mod = type(obj).__module__
    if mod.startswith("pandas") and hasattr(obj, "columns"):
        return {str(c): obj[c] for c in obj.columns}
    if hasattr(obj, "__arrow_c_stream__"):
        return {name: _ArrowColumn(kind, values) for name, kind, values in _core.import_arrow_stream(obj.__arrow_c_stream__())}
    raise TypeError(
        f"{table} must be a pandas DataFrame, a dict of columns or an object with __arrow_c_stream__ "
        f"(pyarrow, Polars, DuckDB); got {type(obj).__name__}"
    )


class _ArrowColumn:
    """A column read from an Arrow stream, with the kind the reader found (int, time, float, string, ...)."""

    __slots__ = ("kind", "values")

    def __init__(self, kind: str, values: Any) -> None:
        self.kind, self.values = kind, values

    def __len__(self) -> int:
        return len(self.values)


def _is_pandas(v: Any) -> bool:
    return type(v).__module__.startswith("pandas")


def _ints(table: str, name: str, v: Any) -> np.ndarray:
    """int64 ids/numbers; None/NaN/NA become INT64_MIN. C-contiguous int64 input is returned as is (no copy)."""
    if isinstance(v, _ArrowColumn):
        v = v.values
    if _is_pandas(v):
        if str(v.dtype) in ("Int64", "Int32", "Int16", "Int8", "UInt32", "UInt16", "UInt8"):
            return v.to_numpy(dtype=np.int64, na_value=_NONE)
        v = v.to_numpy()
    a = np.asarray(v)
    if a.dtype == np.int64:
        return a if a.flags.c_contiguous else np.ascontiguousarray(a)
    if a.dtype.kind in "iub":
        return a.astype(np.int64)
    if a.dtype.kind == "f":
        out = np.full(a.shape, _NONE, dtype=np.int64)
        ok = ~np.isnan(a)
        if np.any(a[ok] != np.round(a[ok])):
            raise ValueError(f"{table}.{name}: ids must be whole numbers")
        out[ok] = a[ok].astype(np.int64)
        return out
    out = np.empty(len(a), dtype=np.int64)
    for i, x in enumerate(a):
        if x is None or (isinstance(x, float) and np.isnan(x)) or (_is_pandas(x) and str(x) in ("<NA>", "NaT")):
            out[i] = _NONE
        else:
            try:
                out[i] = int(x)
            except (TypeError, ValueError):
                raise ValueError(f"{table}.{name}: row {i + 1}: {x!r} is not an integer id") from None
    return out


def _times(table: str, name: str, v: Any, tz: str) -> np.ndarray:
    """Unix seconds from datetimes (naive = account-local), ISO strings or numbers (already Unix seconds)."""
    if isinstance(v, _ArrowColumn):
        if v.kind in ("time", "int"):
            return _ints(table, name, v.values)
        if v.kind == "string":
            v = v.values
        else:
            raise ValueError(f"{table}.{name}: an Arrow {v.kind} column cannot be a time")
    a = v
    if _is_pandas(v) or (isinstance(v, (list, tuple)) and v and isinstance(v[0], str)) or \
            (isinstance(v, np.ndarray) and v.dtype.kind in "OUM"):
        import pandas as pd

        s = pd.Series(v) if not _is_pandas(v) else v
        if s.dtype.kind in "iuf" or str(s.dtype) in ("Int64", "Int32"):
            return _ints(table, name, s)
        if s.dtype.kind != "M" and not isinstance(s.dtype, pd.DatetimeTZDtype):
            try:
                s = pd.to_datetime(s, errors="raise", format="ISO8601")
            except (ValueError, TypeError) as e:
                raise ValueError(f"{table}.{name}: not a date/time column ({e})") from None
        if getattr(s.dt, "tz", None) is None:
            if tz.upper() not in ("UTC", "Z", "+00:00", ""):
                try:
                    s = s.dt.tz_localize(tz, ambiguous=np.ones(len(s), dtype=bool), nonexistent="shift_forward")
                except Exception as e:  # pandas only knows IANA names
                    raise ValueError(
                        f"{table}.{name}: naive times need an IANA time zone ({tz!r}: {e}); pass aware datetimes"
                    ) from None
            else:
                s = s.dt.tz_localize("UTC")
        ns = s.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[ns]").view(np.int64)
        out = np.floor_divide(ns, 1_000_000_000)  # floor to whole seconds
        out[ns == _NONE] = _NONE  # NaT is "none"
        return out
    a = np.asarray(a)
    if a.dtype.kind == "M":
        ns = a.astype("datetime64[ns]").view(np.int64)
        out = np.floor_divide(ns, 1_000_000_000)
        out[ns == _NONE] = _NONE
        return out
    return _ints(table, name, a)


def _money(table: str, name: str, v: Any, digits: int) -> np.ndarray:
    """Major units (float or int) to int64 minor units, rounding half away from zero; NaN = 0."""
    if isinstance(v, _ArrowColumn):
        v = v.values
    if _is_pandas(v):
        v = v.to_numpy(dtype=float, na_value=np.nan)
    a = np.asarray(v, dtype=float) * (10 ** digits)
    a = np.where(np.isnan(a), 0.0, a)
    return (np.sign(a) * np.floor(np.abs(a) + 0.5)).astype(np.int64)


def _strs(v: Any) -> List[Optional[str]]:
    if isinstance(v, _ArrowColumn):
        v = v.values
    if _is_pandas(v):
        v = v.astype(object).where(v.notna(), None).tolist()
    out: List[Optional[str]] = []
    for x in v:
        if x is None or (isinstance(x, float) and np.isnan(x)):
            out.append(None)
        else:
            out.append(str(x))
    return out


def _tags(v: Any) -> List[Any]:
    if isinstance(v, _ArrowColumn):
        v = v.values
    if _is_pandas(v):
        v = v.tolist()
    out = []
    for x in v:
        if x is None or (isinstance(x, float) and np.isnan(x)):
            out.append(None)
        elif isinstance(x, str):
            out.append(x)
        else:
            out.append([str(t) for t in x])
    return out


def _normalize(table: str, obj: Any, rename: Optional[Mapping[str, str]], tz: str, digits: int) -> Dict[str, Any]:
    """One table as {dealstat column: numpy array or list}, as _core.build_from_columns expects."""
    cols = _columns_of(table, obj)
    schema = _SCHEMA[table]
    if rename:
        for ours, theirs in rename.items():
            if ours not in schema:
                raise ValueError(f"columns[{table!r}]: {ours!r} is not a {table} column (one of {', '.join(schema)})")
            if theirs not in cols:
                raise ValueError(f"columns[{table!r}][{ours!r}]: the {table} data has no column {theirs!r}")
        cols = {**cols, **{ours: cols[theirs] for ours, theirs in rename.items()}}
    out: Dict[str, Any] = {}
    for name, role in schema.items():
        if name not in cols:
            continue
        v = cols[name]
        if role in ("id", "int", "minor"):
            out[name] = _ints(table, name, v)
        elif role == "flag":
            out[name] = _ints(table, name, np.asarray(v.values if isinstance(v, _ArrowColumn) else v).astype(bool))
        elif role == "time":
            out[name] = _times(table, name, v, tz)
        elif role == "money":
            out[name + "_minor"] = _money(table, name, v, digits)
        elif role == "tags":
            out[name] = _tags(v)
        else:
            out[name] = _strs(v)
    return out


_CAPTURE = threading.local()


class _Captured(Exception):
    """Carries a report's normalised options out of its method (see Dataset._report_args)."""

    def __init__(self, f: dict, kw: dict) -> None:
        super().__init__("captured")
        self.filter = f
        self.kw = kw


class Dataset:
    """An immutable CRM dataset (deals with their stage paths, users, pipelines, tasks, ...).

    Build one with :meth:`sample`, :meth:`from_csv_dir`, :meth:`from_mapping`,
    :meth:`from_amocrm`, :meth:`from_pandas` or :meth:`from_arrow`; then call
    its reports. ``problems`` lists the records a lenient load left out.
    """

    __slots__ = ("_ds", "problems")

    def __init__(self, core: "_core.Dataset", problems: Optional[List[dict]] = None) -> None:
        self._ds = core
        self.problems: List[Problem] = [Problem(**p) for p in (problems or [])]

    # ------------------------------------------------------------ loading --
    @classmethod
    def sample(cls, deals: int = 20000, *, seed: int = 42, start: Any = "2023-01-01", end: Any = "2025-01-01",
               time_zone: str = "Europe/Moscow", events: bool = True) -> "Dataset":
        """The built-in sample account (deterministic: the same seed gives the same data).

        ``start``/``end`` bound the creation instants (dates are UTC midnight);
        ``time_zone`` is the account's (an IANA name, POSIX TZ string or offset).
        """
        opt.count("deals", deals, 0)
        opt.count("seed", seed, 0)
        s = opt.instant("start", start, lambda d, sec: d * 86400 + sec)
        e = opt.instant("end", end, lambda d, sec: d * 86400 + sec)
        if e <= s:
            raise ValueError(f"end ({end}) must be after start ({start})")
        if not isinstance(time_zone, str):
            raise TypeError("time_zone must be a string such as 'Europe/Moscow'")
        return cls(_core.sample(deals, seed, s, e, time_zone, bool(events)))

    @classmethod
    def from_csv_dir(cls, path: "os.PathLike[str] | str", *, policy: str = "strict") -> "Dataset":
        """Loads the project's CSV directory format (docs/csv-format.md).

        ``policy="lenient"`` leaves bad records out and lists them in ``problems``;
        ``"strict"`` raises :class:`DataError` naming the file, row, field and value.
        """
        ds, problems = _core.load_csv_directory(os.fspath(path), opt.choice("policy", policy, opt.POLICY))
        return cls(ds, problems)

    @classmethod
    def from_mapping(cls, path: "os.PathLike[str] | str", mapping: "os.PathLike[str] | str", *,
                     policy: str = "strict") -> "Dataset":
        """Loads a foreign CSV export through a JSON mapping file (docs/mappings.md, examples/mappings/)."""
        ds, problems = _core.load_mapped_export(os.fspath(path), os.fspath(mapping),
                                                opt.choice("policy", policy, opt.POLICY))
        return cls(ds, problems)

    @classmethod
    def from_amocrm(cls, path: "os.PathLike[str] | str", *, policy: str = "strict") -> "Dataset":
        """Loads an amoCRM (Kommo) API v4 export folder (SPEC section 11)."""
        if not getattr(_core, "HAVE_AMOCRM", False):
            raise NotImplementedError("this build of dealstat has no amoCRM importer")
        ds, problems = _core.import_amocrm(os.fspath(path), opt.choice("policy", policy, opt.POLICY))
        return cls(ds, problems)

    @classmethod
    def from_pandas(cls, deals: Any, stage_changes: Any = None, *, stages: Any, pipelines: Any = None,
                    users: Any = None, tasks: Any = None, contacts: Any = None, companies: Any = None,
                    customers: Any = None, invoices: Any = None, purchases: Any = None, unsorted: Any = None,
                    events: Any = None, columns: Optional[Mapping[str, Mapping[str, str]]] = None,
                    time_zone: str = "UTC", first_day_of_week: str = "monday", currency: str = "",
                    minor_digits: int = 2, policy: str = "strict") -> "Dataset":
        """Builds a dataset from frames: pandas DataFrames, dicts of arrays, or any object with
        ``__arrow_c_stream__`` (pyarrow, Polars, DuckDB results).

        Column names are dealstat's (``deals``: id, pipeline_id, stage_id,
        created_at, closed_at, budget or budget_minor, responsible_id, name,
        channel, tags, loss_reason, contact_id, company_id, deleted; see
        docs/python.md for every table); ``columns={"deals": {"id":
        "opportunity_id", ...}}`` maps other names. Times are datetimes
        (naive = the account's ``time_zone``), ISO strings or Unix seconds;
        ``budget`` is in major units (rounded half away from zero to minor
        units), ``budget_minor`` in minor units. ``stages`` needs pipeline_id,
        id, name, sort and kind (unsorted/open/won/lost); ``pipelines`` is
        derived from the stages when omitted. int64 columns are passed to
        C++ without copies. Problems name the table and the 1-based row.
        """
        if columns is not None and not isinstance(columns, Mapping):
            raise TypeError("columns must be a dict {table: {dealstat column: your column}}")
        for t in (columns or {}):
            if t not in _SCHEMA:
                raise ValueError(f"columns: unknown table {t!r} (one of {', '.join(_SCHEMA)})")
        opt.count("minor_digits", minor_digits, 0)
        if not isinstance(time_zone, str):
            raise TypeError("time_zone must be a string such as 'Europe/Moscow'")
        given = dict(deals=deals, stage_changes=stage_changes, stages=stages, pipelines=pipelines, users=users,
                     tasks=tasks, contacts=contacts, companies=companies, customers=customers, invoices=invoices,
                     purchases=purchases, unsorted=unsorted, events=events)
        tables: Dict[str, Dict[str, Any]] = {}
        for name, obj in given.items():
            if obj is not None:
                tables[name] = _normalize(name, obj, (columns or {}).get(name), time_zone, minor_digits)
        if "pipelines" not in tables:
            pids = tables["stages"].get("pipeline_id")
            if pids is None:
                raise ValueError("stages: needs a pipeline_id column")
            uniq = list(dict.fromkeys(int(p) for p in pids))
            tables["pipelines"] = {"id": np.array(uniq, dtype=np.int64), "name": [str(p) for p in uniq]}
        account = {"time_zone": time_zone,
                   "first_day_of_week": opt.choice("first_day_of_week", first_day_of_week,
                                                   ("monday", "tuesday", "wednesday", "thursday", "friday",
                                                    "saturday", "sunday")),
                   "currency": currency, "minor_digits": minor_digits}
        ds, problems = _core.build_from_columns(account, tables, opt.choice("policy", policy, opt.POLICY))
        return cls(ds, problems)

    from_arrow = from_pandas  # the same loader accepts any __arrow_c_stream__ object

    # --------------------------------------------------------- properties --
    @property
    def num_deals(self) -> int:
        """Number of deals (deleted ones included)."""
        return self._ds.num_deals

    @property
    def time_zone(self) -> str:
        """The account's time zone as it was spelled."""
        return self._ds.time_zone

    @property
    def currency(self) -> str:
        """The account's currency code (may be empty)."""
        return self._ds.currency

    @property
    def minor_digits(self) -> int:
        """Decimals of the minor unit: money columns count 10**-minor_digits of the currency."""
        return self._ds.minor_digits

    @property
    def end(self) -> _dt.datetime:
        """The latest instant recorded (the reports' default as-of), UTC."""
        return _dt.datetime.fromtimestamp(self._ds.end_s, tz=_dt.timezone.utc)

    def columns(self, table: str) -> Dict[str, np.ndarray]:
        """The dataset's own columns of ``table`` (deals, paths, stages, pipelines, users, tasks, unsorted);
        numeric ones are read-only views (no copy)."""
        return self._ds.columns(table)

    def to_pandas(self, table: str = "deals") -> Any:
        """One of the dataset's tables as a pandas DataFrame (ids, Unix seconds, INT64_MIN = none)."""
        import pandas as pd

        cols = self.columns(table)
        if table == "deals":
            off = cols.pop("tags_offset")
            tags = cols.pop("tags")
            cols["tags"] = [list(tags[off[i]:off[i + 1]]) for i in range(len(off) - 1)]
        return pd.DataFrame(cols)

    def write_csv_dir(self, path: "os.PathLike[str] | str") -> None:
        """Writes the dataset in the CSV directory format (creating the folder)."""
        _core.write_csv_directory(self._ds, os.fspath(path))

    def write_amocrm(self, path: "os.PathLike[str] | str", *, page_size: int = 250) -> None:
        """Writes the dataset as an amoCRM API v4 export folder (what :meth:`from_amocrm` reads)."""
        if not getattr(_core, "HAVE_AMOCRM", False):
            raise NotImplementedError("this build of dealstat has no amoCRM writer")
        _core.write_amocrm(self._ds, os.fspath(path), opt.count("page_size", page_size, 1))

    def __repr__(self) -> str:
        return f"<dealstat.Dataset: {self.num_deals} deals, time zone {self.time_zone}>"

    # --------------------------------------------------- options capture --
    def _run(self, report: str, cls: Any, f: dict, kw: dict) -> Any:
        """Runs a report from its normalised options, or hands them to :meth:`_report_args`."""
        if getattr(_CAPTURE, "on", False):
            raise _Captured(f, kw)
        return cls(getattr(_core, report)(self._ds, f, **kw), {**f, **kw})

    def _report_args(self, report: str, **options: Any) -> "tuple[dict, dict]":
        """The normalised (filter, keywords) a report method would pass to the core, validated
        exactly as the method validates them (used by :class:`dealstat.Partial`)."""
        method = getattr(type(self), report, None)
        if report.startswith("_") or method is None:
            raise ValueError(f"unknown report {report!r}")
        _CAPTURE.on = True
        try:
            method(self, **options)
        except _Captured as c:
            return c.filter, c.kw
        finally:
            _CAPTURE.on = False
        raise RuntimeError(f"{report} did not reach the core")  # pragma: no cover

    # ------------------------------------------------------------ reports --
    def _as_of(self, value: Any, name: str = "as_of") -> Optional[int]:
        return opt.instant(name, value, self._ds.local_instant)

    def funnel(self, *, period: Any = None, pipeline: Any = None, users: Any = None, groups: Any = None,
               tags: Any = None, channels: Any = None, status: str = "all", date_basis: str = "auto",
               as_of: Any = None, skip: str = "implied", value: str = "count", confidence: float = 0.95,
               threads: int = 0) -> FunnelResult:
        """The sales funnel (SPEC section 3) of one pipeline.

        ``period=(from, to)`` local dates [from, to); ``pipeline`` a name or id
        (default: the first); ``users`` ids, ``groups``, ``tags``,
        ``channels`` (any of); ``status`` all/active/closed/won/lost;
        ``date_basis`` auto/created/closed; ``as_of`` the censoring instant;
        ``skip`` implied/observed/strict; ``value`` count/budget;
        ``confidence`` of the Wilson and Kaplan–Meier intervals; ``threads``
        (0 = all cores).
        """
        f = opt.deal_filter(period, pipeline, users, groups, tags, channels, status, date_basis)
        kw = dict(as_of=self._as_of(as_of), skip=opt.choice("skip", skip, opt.SKIP),
                  value=opt.choice("value", value, opt.VALUE),
                  confidence=opt.number("confidence", confidence, 0.0, 1.0), threads=opt.count("threads", threads))
        return self._run('funnel', FunnelResult, f, kw)

    def stage_time(self, *, period: Any = None, pipeline: Any = None, users: Any = None, groups: Any = None,
                   tags: Any = None, channels: Any = None, status: str = "all", date_basis: str = "auto",
                   as_of: Any = None, threads: int = 0) -> StageTimeResult:
        """Time in stage (SPEC section 4): visits, total time, share, mean and median per stage."""
        f = opt.deal_filter(period, pipeline, users, groups, tags, channels, status, date_basis)
        kw = dict(as_of=self._as_of(as_of), threads=opt.count("threads", threads))
        return self._run('stage_time', StageTimeResult, f, kw)

    def movement(self, *, period: Any = None, pipeline: Any = None, users: Any = None, groups: Any = None,
                 tags: Any = None, channels: Any = None, bucket: str = "week", as_of: Any = None,
                 threads: int = 0) -> MovementResult:
        """Sales analysis (SPEC section 5): transitions, stage entries and totals per bucket
        (day/week/month/quarter/year in the account's time zone)."""
        f = opt.deal_filter(period, pipeline, users, groups, tags, channels)
        kw = dict(bucket=opt.choice("bucket", bucket, opt.BUCKET), as_of=self._as_of(as_of),
                  threads=opt.count("threads", threads))
        return self._run('movement', MovementResult, f, kw)

    def employees(self, *, period: Any = None, pipeline: Any = None, users: Any = None, groups: Any = None,
                  tags: Any = None, channels: Any = None, as_of: Any = None, attribution: str = "current",
                  rank_by: str = "won_budget_minor", ascending: bool = False, compare: Any = None,
                  confidence: float = 0.95, threads: int = 0) -> EmployeesResult:
        """Employees (SPEC section 7): per user new deals, won, lost, in work, win rate (Wilson),
        time to close and tasks; ranked by ``rank_by``; ``compare`` user ids side by side with the
        team median; ``attribution`` current/at_close."""
        f = opt.deal_filter(period, pipeline, users, groups, tags, channels)
        if not isinstance(ascending, bool):
            raise TypeError("ascending must be a bool")
        kw = dict(as_of=self._as_of(as_of), attribution=opt.choice("attribution", attribution, ("current", "at_close")),
                  rank_by=opt.choice("rank_by", rank_by, tuple(_core.employee_columns())), ascending=ascending,
                  compare=opt.int_list("compare", compare),
                  confidence=opt.number("confidence", confidence, 0.0, 1.0), threads=opt.count("threads", threads))
        return self._run('employees', EmployeesResult, f, kw)

    def unsorted(self, *, period: Any = None, pipeline: Any = None, channels: Any = None, as_of: Any = None,
                 confidence: float = 0.95, threads: int = 0) -> UnsortedResult:
        """Unsorted (SPEC section 9): incoming items per channel: accepted, declined, pending,
        acceptance rate (Wilson), processing time, won deals."""
        f = opt.deal_filter(period, pipeline, None, None, None, channels)
        kw = dict(as_of=self._as_of(as_of), confidence=opt.number("confidence", confidence, 0.0, 1.0),
                  threads=opt.count("threads", threads))
        return self._run('unsorted', UnsortedResult, f, kw)

    def summary(self, *, period: Any = None, pipeline: Any = None, users: Any = None, groups: Any = None,
                tags: Any = None, channels: Any = None, status: str = "all", bucket: str = "month",
                as_of: Any = None, threads: int = 0) -> SummaryResult:
        """Summary (SPEC section 6): entities created per bucket, purchases, deals per stage at the
        end of the period, time-in-stage shares and tasks per user."""
        f = opt.deal_filter(period, pipeline, users, groups, tags, channels, status)
        kw = dict(bucket=opt.choice("bucket", bucket, opt.BUCKET), as_of=self._as_of(as_of),
                  threads=opt.count("threads", threads))
        return self._run('summary', SummaryResult, f, kw)

    def events(self, *, period: Any = None, entity_type: str = "", entity_id: Optional[int] = None,
               contact_id: Optional[int] = None, company_id: Optional[int] = None, users: Any = None,
               types: Any = None, limit: int = 50, cursor: str = "", count_total: bool = True) -> EventsListResult:
        """The events list (SPEC section 8), newest first, one page of ``limit``; pass the result's
        ``next_cursor`` as ``cursor`` for the next page."""
        lo, hi = opt.period(period)
        if not isinstance(entity_type, str):
            raise TypeError("entity_type must be a string such as 'lead'")
        if not isinstance(cursor, str):
            raise TypeError("cursor must be a string (a previous page's next_cursor)")
        for n, v in (("entity_id", entity_id), ("contact_id", contact_id), ("company_id", company_id)):
            if v is not None and (isinstance(v, bool) or not isinstance(v, int)):
                raise TypeError(f"{n} must be an int id")
        kw = dict(from_day=lo, to_day=hi, entity_type=entity_type, entity_id=entity_id, contact_id=contact_id,
                  company_id=company_id, users=opt.int_list("users", users), types=opt.str_list("types", types),
                  limit=opt.count("limit", limit, 1), cursor=cursor, count_total=bool(count_total))
        return EventsListResult(_core.events_list(self._ds, **kw), kw)

    def forecast(self, *, as_of: Any = None, horizon_days: int = 30, pipeline: Any = None, users: Any = None,
                 groups: Any = None, tags: Any = None, channels: Any = None, bucket: str = "month",
                 backtest: bool = True, warmup_days: int = 90, prior_strength: float = 20.0,
                 window_days: int = 91, holidays: Any = None, threads: int = 0) -> ForecastResult:
        """The sales forecast (SPEC section 10) from the local day ``as_of`` (default: the day after
        the data ends) for ``horizon_days``: deals won, deals created and won budget with 80%/95%
        intervals, per-stage and per-deal probabilities, and the rolling-origin backtest."""
        f = opt.deal_filter(None, pipeline, users, groups, tags, channels)
        if isinstance(prior_strength, bool) or not isinstance(prior_strength, (int, float)) or prior_strength < 0:
            raise ValueError(f"prior_strength={prior_strength!r} must be a non-negative number")
        kw = dict(as_of_day=opt.to_day("as_of", as_of), horizon_days=opt.count("horizon_days", horizon_days, 1),
                  bucket=opt.choice("bucket", bucket, ("week", "month")), backtest=bool(backtest),
                  warmup_days=opt.count("warmup_days", warmup_days), prior_strength=float(prior_strength),
                  window_days=opt.count("window_days", window_days, 1),
                  holidays=[opt.to_day("holidays", h) for h in (holidays or [])], threads=opt.count("threads", threads))
        return self._run('forecast', ForecastResult, f, kw)
