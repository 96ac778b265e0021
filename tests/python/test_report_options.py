"""The one keywords -> options conversion (python/src/report_options.cpp): the Python methods'
default keywords give what the C++ options structs' defaults give (the core called with no
keywords at all), None keeps the default, and a keyword a report does not take is refused."""

import numpy as np
import pytest

from dealstat import _core

REPORTS = ("funnel", "stage_time", "movement", "employees", "unsorted", "summary", "forecast")


def _same_tables(a, b):
    assert [t.name for t in a] == [t.name for t in b]
    for x, y in zip(a, b):
        assert x.column_names == y.column_names and x.num_rows == y.num_rows
        for c in x.column_names:
            u, v = x.column(c), y.column(c)
            if isinstance(u, np.ndarray) and u.dtype.kind == "f":
                np.testing.assert_array_equal(u, v)  # NaN == NaN here
            else:
                assert list(u) == list(v), (x.name, c)


@pytest.mark.parametrize("report", REPORTS)
def test_method_defaults_are_the_cpp_defaults(small_sample, report):
    f, kw = small_sample._report_args(report)
    core = getattr(_core, report)
    with_python_defaults = core(small_sample._ds, f, **kw)
    with_cpp_defaults = core(small_sample._ds, f)
    _same_tables(with_python_defaults, with_cpp_defaults)
    _same_tables(with_cpp_defaults, core(small_sample._ds, f, **{k: None for k in kw}))


@pytest.mark.parametrize("report", REPORTS)
def test_partials_take_the_same_keywords(small_sample, report):
    f, kw = small_sample._report_args(report)
    p = _core.partial_make(small_sample._ds, report, f, kw)
    p.accumulate(small_sample._ds)
    _same_tables(p.finalize(small_sample._ds), getattr(_core, report)(small_sample._ds, f, **kw))


@pytest.mark.parametrize("report", REPORTS)
def test_unknown_keyword_is_a_type_error_naming_it(small_sample, report):
    f, _ = small_sample._report_args(report)
    with pytest.raises(TypeError, match="no_such_option"):
        getattr(_core, report)(small_sample._ds, f, no_such_option=1)
    with pytest.raises(TypeError, match="no_such_option"):
        _core.partial_make(small_sample._ds, report, f, {"no_such_option": 1})
