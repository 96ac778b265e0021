"""The statistics under the reports, for analysts and for checking against peers.

- :func:`wilson_interval`: the Wilson score interval of a proportion;
- :func:`kaplan_meier`: the Kaplan–Meier curve with Greenwood log-log bands and median;
- :func:`ols`: ordinary least squares with coefficient errors and prediction intervals.
"""

from __future__ import annotations

from typing import Any, Dict, Tuple

import numpy as np

from . import _core
from ._options import count, number

__all__ = ["wilson_interval", "kaplan_meier", "ols"]


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> Tuple[float, float]:
    """Wilson score interval ``(lower, upper)`` of ``successes / trials``, as fractions in [0, 1]."""
    count("successes", successes)
    count("trials", trials)
    number("confidence", confidence, 0.0, 1.0)
    return _core.wilson_interval(successes, trials, confidence)


def kaplan_meier(durations: Any, events: Any, confidence: float = 0.95) -> Dict[str, Any]:
    """Kaplan–Meier curve of ``durations`` (``events`` True = closed, False = censored).

    Returns ``times``, ``survival``, ``at_risk``, ``events``, ``censored``,
    ``ci_lower``, ``ci_upper`` (arrays) and ``median``, ``median_lower``,
    ``median_upper``.
    """
    number("confidence", confidence, 0.0, 1.0)
    return _core.kaplan_meier(np.asarray(durations, dtype=float), np.asarray(events, dtype=bool), confidence)


def ols(x: Any, y: Any, x_new: Any, confidence: float = 0.95) -> Dict[str, Any]:
    """Fits ``y = x b`` (add your own intercept column) and predicts at ``x_new``.

    Returns ``params``, ``bse``, ``sigma2``, ``r_squared``, ``df_resid`` and
    the predictions' ``mean``, ``se_mean``, ``ci_lower/upper`` (of the mean)
    and ``pi_lower/upper`` (of a new observation).
    """
    number("confidence", confidence, 0.0, 1.0)
    return _core.ols(np.atleast_2d(np.asarray(x, dtype=float)), np.asarray(y, dtype=float),
                     np.atleast_2d(np.asarray(x_new, dtype=float)), confidence)
