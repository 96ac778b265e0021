"""dealstat: sales analytics for CRM data.

Load a CRM account into a :class:`Dataset` (the built-in sample, a CSV
directory, a mapped foreign export, an amoCRM export, pandas frames or any
Arrow stream), then call its reports (``funnel``, ``stage_time``,
``movement``, ...). Every report returns a result object with
``to_pandas()``, ``to_polars()``, ``__arrow_c_stream__``, zero-copy numpy
``column()`` views, an HTML view for Jupyter and ``plot()``.
"""

from ._core import (
    DataError,
    DealstatError,
    DealstatIOError,
    OptionError,
    ParseError,
    __version__,
)
from .dataset import Dataset, Problem
from .results import (
    EmployeesResult,
    EventsListResult,
    ForecastResult,
    SummaryResult,
    UnsortedResult,
    FunnelResult,
    MovementResult,
    ReportResult,
    StageTimeResult,
    Table,
)
from . import stats

__all__ = [
    "Dataset",
    "Problem",
    "ReportResult",
    "Table",
    "FunnelResult",
    "StageTimeResult",
    "MovementResult",
    "EmployeesResult",
    "UnsortedResult",
    "SummaryResult",
    "EventsListResult",
    "ForecastResult",
    "DealstatError",
    "DataError",
    "ParseError",
    "OptionError",
    "DealstatIOError",
    "stats",
    "__version__",
]
