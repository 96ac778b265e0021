"""Report results: tables of named, typed columns, shared with C++.

Every report returns a :class:`ReportResult` (a subclass per report). Its
tables come from C++ without copies: :meth:`Table.column` gives a read-only
numpy view whose ``base`` keeps the C++ buffer alive, and
``__arrow_c_stream__`` hands the same buffers to pyarrow, Polars or DuckDB.
``to_pandas()`` / ``to_polars()`` build frames from them.
"""

from __future__ import annotations

import html
from typing import Any, Dict, List, Optional

import numpy as np

from . import _core

_NULL_INT = np.iinfo(np.int64).min


class Table:
    """One named table of a report (columns of equal length)."""

    __slots__ = ("_t",)

    def __init__(self, core_table: "_core.Table") -> None:
        self._t = core_table

    @property
    def name(self) -> str:
        """The table's name (``"funnel"``, ``"funnel_summary"``, ...)."""
        return self._t.name

    @property
    def column_names(self) -> List[str]:
        """Column names in display order (units in the suffix: ``_s``, ``_minor``, ``_pct``)."""
        return list(self._t.column_names)

    @property
    def column_types(self) -> Dict[str, str]:
        """``{name: "int64" | "float64" | "string"}``."""
        return dict(zip(self._t.column_names, self._t.column_types))

    @property
    def num_rows(self) -> int:
        """Number of rows."""
        return self._t.num_rows

    def __len__(self) -> int:
        return self._t.num_rows

    def column(self, name: str) -> np.ndarray:
        """The column as a numpy array.

        int64 and float64 columns are read-only views of the C++ memory (no
        copy; ``arr.base`` owns it). String columns are object arrays. Nulls
        of int columns are INT64_MIN here; see :meth:`valid`.
        """
        v = self._t.column(name)
        if isinstance(v, list):
            out = np.empty(len(v), dtype=object)
            out[:] = v
            return out
        return v

    def valid(self, name: str) -> Optional[np.ndarray]:
        """Validity mask of a column (True = a value), or None when nothing is null."""
        return self._t.valid(name)

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        """The table as an Arrow C stream PyCapsule (int64/float64 buffers shared, not copied)."""
        return self._t.__arrow_c_stream__(requested_schema)

    def to_dict(self) -> Dict[str, np.ndarray]:
        """``{name: numpy array}`` of every column."""
        return {n: self.column(n) for n in self.column_names}

    def to_pandas(self) -> "Any":
        """A pandas DataFrame; int columns with nulls become nullable ``Int64``."""
        import pandas as pd

        data = {}
        for n, t in self.column_types.items():
            v = self.column(n)
            mask = self.valid(n)
            if t == "int64" and mask is not None:
                data[n] = pd.arrays.IntegerArray(np.array(v), ~mask)
            elif t == "float64" and mask is not None:
                data[n] = np.where(mask, v, np.nan)
            else:
                data[n] = v
        return pd.DataFrame(data, columns=self.column_names)

    def to_polars(self) -> "Any":
        """A Polars DataFrame through the Arrow C stream (Polars must be installed)."""
        try:
            import polars as pl
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("to_polars() needs Polars: pip install polars") from e
        return pl.DataFrame(self)

    def to_pyarrow(self) -> "Any":
        """A pyarrow Table through the Arrow C stream (pyarrow must be installed)."""
        import pyarrow as pa

        return pa.table(self)

    def _repr_html_(self, max_rows: int = 60) -> str:
        return _html_table(self, max_rows)

    def __repr__(self) -> str:
        return f"<dealstat.Table {self.name!r}: {self.num_rows} rows, columns {self.column_names}>"


def _fmt(v: Any, t: str) -> str:
    if v is None:
        return ""
    if t == "float64":
        return "" if np.isnan(v) else f"{v:,.2f}"
    if t == "int64":
        return "" if v == _NULL_INT else f"{v:,}"
    return str(v)


def _html_table(t: Table, max_rows: int) -> str:
    types = t.column_types
    cols = {n: t.column(n) for n in t.column_names}
    n = t.num_rows
    rows = range(min(n, max_rows))
    head = "".join(f"<th>{html.escape(c)}</th>" for c in t.column_names)
    body = []
    for i in rows:
        cells = []
        for c in t.column_names:
            align = "right" if types[c] != "string" else "left"
            cells.append(f'<td style="text-align:{align}">{html.escape(_fmt(cols[c][i], types[c]))}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = f"<p>… {n - max_rows} more rows</p>" if n > max_rows else ""
    return (
        f"<div><strong>{html.escape(t.name)}</strong> ({n} rows)"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}</div>"
    )


class ReportResult:
    """A report's output: a main table, optional extra tables and a one-row summary.

    ``to_pandas()``, ``to_polars()``, ``column()`` and ``__arrow_c_stream__``
    act on the main table; ``tables`` holds every table by name and
    ``summary`` the scalar figures.
    """

    #: name of the main table
    main: str = ""
    #: name of the summary table, if any
    summary_table: Optional[str] = None

    def __init__(self, core_tables: List["_core.Table"], options: Optional[dict] = None) -> None:
        self.tables: Dict[str, Table] = {t.name: Table(t) for t in core_tables}
        self.options: dict = dict(options or {})
        if not self.main:
            self.main = core_tables[0].name

    @property
    def table(self) -> Table:
        """The main table."""
        return self.tables[self.main]

    @property
    def summary(self) -> Dict[str, Any]:
        """The summary figures as ``{name: value}`` (empty when the report has none)."""
        if self.summary_table is None or self.summary_table not in self.tables:
            return {}
        t = self.tables[self.summary_table]
        out: Dict[str, Any] = {}
        for n, ty in t.column_types.items():
            v = t.column(n)[0] if t.num_rows else None
            out[n] = v.item() if hasattr(v, "item") else v
        return out

    def column(self, name: str) -> np.ndarray:
        """A column of the main table (numeric: a zero-copy numpy view)."""
        return self.table.column(name)

    def to_pandas(self, table: Optional[str] = None) -> "Any":
        """The main table (or the named one) as a pandas DataFrame."""
        return self.tables[table or self.main].to_pandas()

    def to_polars(self, table: Optional[str] = None) -> "Any":
        """The main table (or the named one) as a Polars DataFrame."""
        return self.tables[table or self.main].to_polars()

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        """The main table as an Arrow C stream PyCapsule."""
        return self.table.__arrow_c_stream__(requested_schema)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Draws the report with matplotlib and returns the Axes."""
        raise NotImplementedError(f"{type(self).__name__} has no plot")

    def _repr_html_(self) -> str:
        parts = [f"<h4>{html.escape(type(self).__name__)}</h4>"]
        s = self.summary
        if s:
            items = "".join(
                f"<li>{html.escape(k)}: {html.escape(_fmt(v, 'float64' if isinstance(v, float) else 'int64' if isinstance(v, int) else 'string'))}</li>"
                for k, v in s.items()
            )
            parts.append(f"<ul>{items}</ul>")
        for name, t in self.tables.items():
            if name != self.summary_table:
                parts.append(t._repr_html_())
        return "".join(parts)

    def __repr__(self) -> str:
        tabs = ", ".join(f"{n} ({t.num_rows} rows)" for n, t in self.tables.items())
        return f"<dealstat.{type(self).__name__}: {tabs}>"


class FunnelResult(ReportResult):
    """The sales funnel (SPEC section 3): one row per stage; summary with time to close."""

    main = "funnel"
    summary_table = "funnel_summary"

    def plot(self, ax: Any = None, value: str = "reached", **kwargs: Any) -> Any:
        """A funnel chart (bars centred, widest first) labelled with conversions."""
        from .plotting import funnel_chart

        return funnel_chart(self, ax=ax, value=value, **kwargs)


class StageTimeResult(ReportResult):
    """Time in stage (SPEC section 4): visits, total time and share of all stage time per stage."""

    main = "stage_time"
    summary_table = "stage_time_summary"

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Each stage's share of all stage time as a pie."""
        from .plotting import share_pie

        t = self.table
        labels = [f"{p} / {s}" if len(set(t.column("pipeline"))) > 1 else s
                  for p, s in zip(t.column("pipeline"), t.column("stage"))]
        return share_pie(labels, t.column("share_pct"), ax=ax, title="Share of time in stage", **kwargs)


class MovementResult(ReportResult):
    """Sales analysis (SPEC section 5): per-bucket totals, transitions and stage entries."""

    main = "movement_totals"

    def plot(self, ax: Any = None, value: str = "deals", **kwargs: Any) -> Any:
        """Entries into each stage per bucket, one line per stage."""
        from .plotting import movement_lines

        return movement_lines(self, ax=ax, value=value, **kwargs)


class EmployeesResult(ReportResult):
    """Employees (SPEC section 7): one row per user (ranked), plus groups, the team and a comparison."""

    main = "employees"

    def plot(self, ax: Any = None, by: Optional[str] = None, top: Optional[int] = 20, **kwargs: Any) -> Any:
        """The users ranked by ``by`` (default: the report's rank_by) as horizontal bars."""
        from .plotting import ranked_bars

        by = by or self.options.get("rank_by", "won_budget_minor")
        t = self.table
        rank = t.column("rank")
        valid = t.valid("rank")
        keep = np.ones(len(rank), dtype=bool) if valid is None else valid
        names = t.column("name")[keep]
        vals = np.asarray(t.column(by), dtype=float)[keep]
        return ranked_bars(list(names), vals, ax=ax, title=f"Employees ranked by {by}", xlabel=by, top=top, **kwargs)


class UnsortedResult(ReportResult):
    """Unsorted (SPEC section 9): incoming items per channel and overall ("(all)" row last)."""

    main = "unsorted"

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Each channel's share of the incoming items as a pie."""
        from .plotting import share_pie

        t = self.table
        ch = t.column("channel")
        keep = np.array([c != "(all)" for c in ch], dtype=bool)
        return share_pie(list(ch[keep]), np.asarray(t.column("items"))[keep], ax=ax,
                         title="Incoming items by channel", **kwargs)


class SummaryResult(ReportResult):
    """Summary (SPEC section 6): created series per bucket, deals per stage, stage-time and task shares."""

    main = "summary_created"
    summary_table = "summary_info"

    def plot(self, ax: Any = None, kind: str = "tasks", **kwargs: Any) -> Any:
        """``kind="tasks"``: tasks per user as a pie; ``"stages"``: deals per stage as a pie;
        ``"stage_time"``: time in stage as a pie; ``"created"``: the created series as lines."""
        from .plotting import _axes, share_pie

        if kind == "tasks":
            t = self.tables["summary_tasks_by_user"]
            return share_pie(list(t.column("label")), t.column("tasks"), ax=ax, title="Tasks per user", **kwargs)
        if kind == "stages":
            t = self.tables["summary_stages"]
            return share_pie(list(t.column("label")), t.column("deals"), ax=ax, title="Deals per stage", **kwargs)
        if kind == "stage_time":
            t = self.tables["summary_stage_time"]
            return share_pie(list(t.column("label")), t.column("share_pct"), ax=ax, title="Time in stage", **kwargs)
        if kind == "created":
            t = self.tables["summary_created"]
            ax = _axes(ax, figsize=(10, 5))
            x = np.arange(t.num_rows)
            for c in t.column_names[1:]:
                ax.plot(x, t.column(c), label=c)
            starts = list(t.column("bucket_start"))
            step = max(1, len(starts) // 12)
            ax.set_xticks(x[::step])
            ax.set_xticklabels(starts[::step], rotation=45, ha="right")
            ax.set_title("Created per bucket")
            ax.legend()
            return ax
        raise ValueError(f"kind={kind!r} is not one of tasks, stages, stage_time, created")


class EventsListResult(ReportResult):
    """One page of the events list (SPEC section 8), newest first; ``next_cursor`` and ``total``."""

    main = "events"
    summary_table = "events_page"

    @property
    def next_cursor(self) -> str:
        """Pass as ``cursor=`` for the next page; empty on the last page."""
        return str(self.summary.get("next_cursor") or "")

    @property
    def total(self) -> int:
        """All matches of the filters (-1 when not counted)."""
        return int(self.summary.get("total", -1))


class ForecastResult(ReportResult):
    """The sales forecast (SPEC section 10) with its backtest: figures with 80%/95% intervals,
    per-stage and per-deal win probabilities, backtest scores."""

    main = "forecast"
    summary_table = "forecast_summary"

    def plot(self, ax: Any = None, figures: Optional[List[str]] = None, **kwargs: Any) -> Any:
        """The count figures (won, from pipeline, from new deals, created) with their interval bands."""
        from .plotting import interval_bands

        t = self.table
        names = list(t.column("figure"))
        figures = figures or [f for f in ("won_count", "won_count_pipeline", "won_count_new", "created") if f in names]
        idx = [names.index(f) for f in figures]
        col = {c: np.asarray(t.column(c))[idx] for c in ("mean", "lower80", "upper80", "lower95", "upper95")}
        s = self.summary
        return interval_bands(figures, col["mean"], col["lower80"], col["upper80"], col["lower95"], col["upper95"],
                              ax=ax, title=f"Forecast for {s.get('horizon_days')} days from {s.get('as_of')}",
                              ylabel="deals", **kwargs)
