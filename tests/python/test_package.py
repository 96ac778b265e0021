"""The package itself: version from the C++ header, public names, stubs."""

import re

import dealstat
from dealstat import _core

from conftest import ROOT


def test_version_is_the_headers():
    text = (ROOT / "include" / "dealstat" / "core" / "version.hpp").read_text()
    parts = [re.search(rf"#define DEALSTAT_VERSION_{p} (\d+)", text).group(1) for p in ("MAJOR", "MINOR", "PATCH")]
    assert dealstat.__version__ == ".".join(parts)
    assert _core.version_string() == dealstat.__version__


def test_all_names_exist_and_have_docstrings():
    for name in dealstat.__all__:
        obj = getattr(dealstat, name)
        if name != "__version__":
            assert obj.__doc__, name


def test_stubs_and_marker_ship():
    pkg = ROOT / "python" / "dealstat"
    assert (pkg / "py.typed").exists()
    stub = (pkg / "_core.pyi").read_text()
    for fn in ("funnel", "stage_time", "movement", "employees", "summary", "unsorted", "events_list", "forecast",
               "build_from_columns", "import_arrow_stream", "class Table", "class Dataset", "class DataError"):
        assert fn in stub, fn


def test_error_hierarchy():
    assert issubclass(dealstat.DataError, dealstat.DealstatError)
    assert issubclass(dealstat.DataError, ValueError)
    assert issubclass(dealstat.OptionError, ValueError)
    assert issubclass(dealstat.ParseError, dealstat.DataError)
    assert issubclass(dealstat.DealstatIOError, OSError)
