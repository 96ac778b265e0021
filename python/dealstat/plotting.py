"""matplotlib drawings of the reports (imported lazily; matplotlib is optional).

- the funnel as a funnel chart: centred bars, widest first, each labelled
  with its count and conversions;
- shares (time in stage, tasks per user) as pies;
- movement as one line per stage over the buckets;
- employees as a ranked horizontal bar chart;
- the forecast as bars with their 80% and 95% interval bands.
Every function takes an optional ``ax`` and returns the Axes it drew on.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np


def _axes(ax: Any, figsize=(8, 5)) -> Any:
    if ax is not None:
        return ax
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("plot() needs matplotlib: pip install matplotlib") from e
    _, ax = plt.subplots(figsize=figsize)
    return ax


def _pct(v: float) -> str:
    return "–" if v is None or np.isnan(v) else f"{v:.1f}%"


def funnel_chart(result: Any, ax: Any = None, value: str = "reached", color: str = "#3b7dd8") -> Any:
    """The funnel: one centred bar per stage (unsorted left out), conversion labels beside it."""
    if value not in ("reached", "budget_minor"):
        raise ValueError(f"value={value!r} is not one of reached, budget_minor")
    t = result.table
    kinds = t.column("kind")
    keep = np.array([k != "unsorted" for k in kinds], dtype=bool)
    names = t.column("stage")[keep]
    vals = np.asarray(t.column(value), dtype=float)[keep]
    first = t.column("conversion_from_first_pct")[keep]
    step = t.column("step_conversion_pct")[keep]
    ax = _axes(ax)
    y = np.arange(len(names))[::-1]
    top = vals.max() if len(vals) and vals.max() > 0 else 1.0
    ax.barh(y, vals, left=(top - vals) / 2, color=color, height=0.8)
    for yi, name, v, f, s in zip(y, names, vals, first, step):
        label = f"{name}: {v:,.0f}  ({_pct(f)} of first"
        label += ")" if np.isnan(s) else f", {_pct(s)} from previous)"
        ax.text(top / 2, yi, label, ha="center", va="center", fontsize=9, color="black",
                bbox=dict(facecolor="white", alpha=0.7, edgecolor="none", pad=1))
    ax.set_yticks([])
    ax.set_xticks([])
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    summary = getattr(result, "summary", {})
    ax.set_title(f"Sales funnel — {summary.get('pipeline', '')} ({summary.get('deals', len(names))} deals)")
    return ax


def share_pie(labels: Sequence[str], values: Sequence[float], ax: Any = None, title: str = "",
              min_pct: float = 2.0) -> Any:
    """A pie of shares; slices under ``min_pct`` percent are merged into "other"."""
    vals = np.asarray(values, dtype=float)
    vals = np.where(np.isnan(vals), 0.0, vals)
    total = vals.sum()
    ax = _axes(ax, figsize=(6, 6))
    if total <= 0:
        ax.text(0.5, 0.5, "no data", ha="center", va="center")
        ax.set_axis_off()
        return ax
    pct = vals / total * 100
    big = pct >= min_pct
    lab = [l for l, b in zip(labels, big) if b]
    v = list(vals[big])
    if (~big).any():
        lab.append("other")
        v.append(vals[~big].sum())
    ax.pie(v, labels=lab, autopct="%1.1f%%", startangle=90, counterclock=False)
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    return ax


def movement_lines(result: Any, ax: Any = None, value: str = "deals", stages: Optional[Sequence[str]] = None) -> Any:
    """Deals (or budget) entering each stage per bucket, one line per stage."""
    if value not in ("deals", "budget_minor"):
        raise ValueError(f"value={value!r} is not one of deals, budget_minor")
    e = result.tables["movement_entries"]
    buckets = list(result.tables["movement_totals"].column("bucket_start"))
    pos = {b: i for i, b in enumerate(buckets)}
    names = e.column("stage")
    wanted = list(dict.fromkeys(names)) if stages is None else list(stages)
    ax = _axes(ax, figsize=(10, 5))
    x = np.arange(len(buckets))
    col = np.asarray(e.column(value))
    bcol = e.column("bucket_start")
    for s in wanted:
        y = np.zeros(len(buckets))
        for b, n, v in zip(bcol, names, col):
            if n == s:
                y[pos[b]] = v
        ax.plot(x, y, label=s, marker="." if len(x) < 40 else None)
    step = max(1, len(buckets) // 12)
    ax.set_xticks(x[::step])
    ax.set_xticklabels(buckets[::step], rotation=45, ha="right")
    ax.set_ylabel("deals entering" if value == "deals" else "budget entering (minor units)")
    ax.set_title("Deals entering each stage")
    ax.legend(fontsize=8, ncol=2)
    return ax


def ranked_bars(labels: Sequence[str], values: Sequence[float], ax: Any = None, title: str = "",
                xlabel: str = "", top: Optional[int] = None) -> Any:
    """Horizontal bars ranked from the largest (at the top) down."""
    vals = np.asarray(values, dtype=float)
    order = np.argsort(-np.where(np.isnan(vals), -np.inf, vals), kind="stable")
    if top is not None:
        order = order[:top]
    ax = _axes(ax, figsize=(8, max(3, 0.3 * len(order) + 1)))
    y = np.arange(len(order))[::-1]
    ax.barh(y, vals[order], color="#4c9a5f")
    ax.set_yticks(y)
    ax.set_yticklabels([str(labels[i]) for i in order], fontsize=8)
    if xlabel:
        ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    return ax


def interval_bands(x: Sequence[Any], mean: Sequence[float], lo80: Sequence[float], hi80: Sequence[float],
                   lo95: Sequence[float], hi95: Sequence[float], ax: Any = None, title: str = "",
                   ylabel: str = "") -> Any:
    """A forecast line with its 80% and 95% interval bands."""
    ax = _axes(ax, figsize=(10, 5))
    xs = np.arange(len(x))
    ax.fill_between(xs, lo95, hi95, alpha=0.2, label="95% interval", color="#3b7dd8")
    ax.fill_between(xs, lo80, hi80, alpha=0.35, label="80% interval", color="#3b7dd8")
    ax.plot(xs, mean, color="#1d4f91", marker="o", label="expected")
    step = max(1, len(xs) // 12)
    ax.set_xticks(xs[::step])
    ax.set_xticklabels([str(v) for v in list(x)[::step]], rotation=45, ha="right")
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend()
    return ax
