"""Every notebook in examples/notebooks runs to the end without an error (nbclient)."""

import pathlib

import pytest

from conftest import DATA, ROOT

NOTEBOOKS = sorted((ROOT / "examples" / "notebooks").glob("*.ipynb"))


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path: pathlib.Path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    if path.stem in ("maven-crm", "enpal-pipeline") and not (DATA / path.stem).is_dir():
        pytest.skip(f"{path.stem} data not found at {DATA}")
    monkeypatch.setenv("DEALSTAT_SHARED_DATA", str(DATA))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError on the first failing cell
