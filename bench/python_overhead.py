"""What calling a report from Python costs over the bare C++ call.

Builds the sample account with 1M deals, then times the funnel report
(a) as the C++ call alone, timed inside C++ (_core.funnel_native_seconds),
and (b) as `Dataset.funnel(...)` from Python, keyword validation, GIL
release and result wrapping included, plus (c) with `.to_pandas()`.
Best of N runs each.  Usage: python bench/python_overhead.py [deals] [repeats]
"""

import sys
import time

import dealstat
from dealstat import _core
from dealstat import _options as opt

deals = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 7

t0 = time.perf_counter()
ds = dealstat.Dataset.sample(deals, seed=42, events=False)
print(f"sample: {deals:,} deals built in {time.perf_counter() - t0:.2f} s")

native = _core.funnel_native_seconds(ds._ds, opt.deal_filter(), repeats)


def best(fn):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


py_call = best(lambda: ds.funnel())
py_pandas = best(lambda: ds.funnel().to_pandas())
print(f"funnel, C++ call (timed in C++):       {native * 1000:8.2f} ms")
print(f"funnel, Dataset.funnel() from Python:  {py_call * 1000:8.2f} ms  ({(py_call / native - 1) * 100:+.1f}%)")
print(f"funnel, + .to_pandas():                {py_pandas * 1000:8.2f} ms  ({(py_pandas / native - 1) * 100:+.1f}%)")
