"""Shared fixtures: the sample account and the real exports in ../shared/data."""

from __future__ import annotations

import os
import pathlib

import pytest

import dealstat

ROOT = pathlib.Path(__file__).resolve().parents[2]


def shared_data() -> pathlib.Path:
    """../shared/data beside the repository (DEALSTAT_SHARED_DATA overrides)."""
    env = os.environ.get("DEALSTAT_SHARED_DATA")
    if env:
        return pathlib.Path(env)
    for base in (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data", pathlib.Path("/work/shared/data")):
        if base.is_dir():
            return base
    return ROOT.parent / "shared" / "data"


DATA = shared_data()


@pytest.fixture(scope="session")
def sample() -> dealstat.Dataset:
    return dealstat.Dataset.sample(20000, seed=42)


@pytest.fixture(scope="session")
def small_sample() -> dealstat.Dataset:
    return dealstat.Dataset.sample(2000, seed=7)


@pytest.fixture(scope="session")
def maven_dir() -> pathlib.Path:
    d = DATA / "maven-crm"
    if not d.is_dir():
        pytest.skip(f"maven-crm data not found at {d}")
    return d


@pytest.fixture(scope="session")
def maven(maven_dir) -> dealstat.Dataset:
    return dealstat.Dataset.from_mapping(maven_dir, ROOT / "examples" / "mappings" / "maven-crm.json")


@pytest.fixture(scope="session")
def enpal() -> dealstat.Dataset:
    d = DATA / "enpal-pipeline"
    if not d.is_dir():
        pytest.skip(f"enpal-pipeline data not found at {d}")
    return dealstat.Dataset.from_mapping(d, ROOT / "examples" / "mappings" / "enpal-pipeline.json")


@pytest.fixture(autouse=True)
def _agg_backend(monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
