"""Keyword validation and conversion shared by every report.

Dates are accepted as ``datetime.date``, ``datetime.datetime`` (its local
date), ``numpy.datetime64``, pandas ``Timestamp`` or ``"YYYY-MM-DD"``
strings; instants (``as_of``) also as Unix seconds or ISO strings, a naive
datetime being local time of the account. A bad value raises ``TypeError``
(wrong kind) or ``ValueError`` (bad value), naming the keyword.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable, Optional, Sequence

_EPOCH = _dt.date(1970, 1, 1)

STATUS = ("all", "active", "closed", "won", "lost")
DATE_BASIS = ("auto", "created", "closed")
SKIP = ("implied", "observed", "strict")
VALUE = ("count", "budget")
BUCKET = ("day", "week", "month", "quarter", "year")
POLICY = ("strict", "lenient")


def choice(name: str, value: Any, allowed: Sequence[str]) -> str:
    """``value`` if it is one of ``allowed`` (case-insensitive), else TypeError/ValueError naming ``name``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {', '.join(allowed)}; got {type(value).__name__}")
    v = value.lower()
    if v not in allowed:
        raise ValueError(f"{name}={value!r} is not one of {', '.join(allowed)}")
    return v


def to_date(name: str, value: Any) -> _dt.date:
    """A calendar date from a date, datetime, numpy/pandas timestamp or ISO string."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value[:10]) if len(value) >= 10 else _dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{name}={value!r} is not a date (YYYY-MM-DD)") from None
    if type(value).__name__ == "datetime64":
        return to_date(name, str(value))
    raise TypeError(f"{name} must be a date, datetime or 'YYYY-MM-DD' string; got {type(value).__name__}")


def to_day(name: str, value: Any) -> Optional[int]:
    """Days since 1970-01-01 of a date-like value (None stays None)."""
    if value is None:
        return None
    return (to_date(name, value) - _EPOCH).days


def period(value: Any) -> tuple[Optional[int], Optional[int]]:
    """``period=(from, to)``: a half-open range of local dates, either end None."""
    if value is None:
        return None, None
    if isinstance(value, (str, bytes)) or not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError("period must be a pair (from, to) of dates; either end may be None")
    lo, hi = to_day("period", value[0]), to_day("period", value[1])
    if lo is not None and hi is not None and hi <= lo:
        raise ValueError(f"period: 'to' ({value[1]}) must be after 'from' ({value[0]})")
    return lo, hi


def instant(name: str, value: Any, local_to_instant) -> Optional[int]:
    """Unix seconds from an int, an aware datetime, a naive datetime or date (account-local) or an ISO string."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a datetime, date, ISO string or Unix seconds; got bool")
    if isinstance(value, int):
        return value
    if type(value).__name__ == "Timestamp":  # pandas
        value = value.to_pydatetime()
    if isinstance(value, str):
        try:
            value = _dt.datetime.fromisoformat(value) if len(value) > 10 else _dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{name}={value!r} is not an ISO date or datetime") from None
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            return int(value.timestamp())
        day = (value.date() - _EPOCH).days
        return local_to_instant(day, value.hour * 3600 + value.minute * 60 + value.second)
    if isinstance(value, _dt.date):
        return local_to_instant((value - _EPOCH).days, 0)
    raise TypeError(f"{name} must be a datetime, date, ISO string or Unix seconds; got {type(value).__name__}")


def str_list(name: str, value: Any) -> list[str]:
    """A list of strings from None, one string or an iterable of strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        items = list(value)
    except TypeError:
        raise TypeError(f"{name} must be a string or a list of strings") from None
    for v in items:
        if not isinstance(v, str):
            raise TypeError(f"{name} must contain strings; got {type(v).__name__}")
    return items


def int_list(name: str, value: Any) -> list[int]:
    """A list of ids from None, one int or an iterable of ints."""
    if value is None:
        return []
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an int id or a list of ids")
    if isinstance(value, int):
        return [value]
    out = []
    try:
        items: Iterable[Any] = list(value)
    except TypeError:
        raise TypeError(f"{name} must be an int id or a list of ids") from None
    for v in items:
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            raise TypeError(f"{name} must contain int ids; got {v!r}") from None
    return out


def number(name: str, value: Any, lo: float, hi: float) -> float:
    """A float in the open interval (lo, hi)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number; got {type(value).__name__}")
    if not lo < float(value) < hi:
        raise ValueError(f"{name}={value!r} must be between {lo} and {hi} (exclusive)")
    return float(value)


def count(name: str, value: Any, minimum: int = 0) -> int:
    """A non-negative (or >= minimum) int."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int; got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name}={value} must be at least {minimum}")
    return value


def deal_filter(
    period_value: Any = None,
    pipeline: Any = None,
    users: Any = None,
    groups: Any = None,
    tags: Any = None,
    channels: Any = None,
    status: Any = "all",
    date_basis: Any = "auto",
) -> dict:
    """The common filter (SPEC section 2) as the dict ``_core`` expects."""
    lo, hi = period(period_value)
    if pipeline is not None and not isinstance(pipeline, (str, int)):
        raise TypeError(f"pipeline must be a name or an id; got {type(pipeline).__name__}")
    return {
        "from_day": lo,
        "to_day": hi,
        "pipeline": None if pipeline is None else str(pipeline),
        "users": int_list("users", users),
        "groups": str_list("groups", groups),
        "tags": str_list("tags", tags),
        "channels": str_list("channels", channels),
        "status": choice("status", status, STATUS),
        "date_basis": choice("date_basis", date_basis, DATE_BASIS),
    }
