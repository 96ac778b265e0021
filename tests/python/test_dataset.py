"""Loading: sample, CSV directory, mappings, amoCRM, pandas / Arrow frames; errors with their detail."""

import numpy as np
import pandas as pd
import pytest

import dealstat
from dealstat.dataset import _normalize

from conftest import ROOT


def test_sample_is_deterministic(small_sample):
    again = dealstat.Dataset.sample(2000, seed=7)
    assert again.num_deals == small_sample.num_deals == 2000
    assert np.array_equal(again.columns("deals")["created_at"], small_sample.columns("deals")["created_at"])
    assert small_sample.time_zone == "Europe/Moscow"


def test_dataset_columns_are_views(small_sample):
    cols = small_sample.columns("deals")
    ids = cols["id"]
    assert ids.dtype == np.int64 and not ids.flags.writeable and ids.base is not None


def test_csv_dir_round_trip(tmp_path, small_sample):
    small_sample.write_csv_dir(tmp_path / "acc")
    back = dealstat.Dataset.from_csv_dir(tmp_path / "acc")
    assert back.num_deals == small_sample.num_deals
    a = small_sample.funnel(pipeline="Sales").to_pandas()
    b = back.funnel(pipeline="Sales").to_pandas()
    pd.testing.assert_frame_equal(a, b)


def test_csv_error_carries_file_row_field(tmp_path, small_sample):
    d = tmp_path / "bad"
    small_sample.write_csv_dir(d)
    lines = (d / "deals.csv").read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("created_at")] = "not-a-date"
    lines[3] = ",".join(cells)
    (d / "deals.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(dealstat.DataError) as e:
        dealstat.Dataset.from_csv_dir(d)
    assert e.value.source.endswith("deals.csv")
    assert e.value.row == 4
    assert e.value.field == "created_at"
    assert e.value.value == "not-a-date"
    lenient = dealstat.Dataset.from_csv_dir(d, policy="lenient")
    assert lenient.num_deals == small_sample.num_deals - 1
    assert lenient.problems and lenient.problems[0].row == 4


def test_missing_dir_is_an_os_error(tmp_path):
    with pytest.raises(OSError):
        dealstat.Dataset.from_csv_dir(tmp_path / "nope")


def test_mappings_load_real_exports(maven, enpal):
    assert maven.num_deals == 8800
    assert enpal.num_deals == 1995


def _frames(ds):
    deals = ds.to_pandas("deals")
    deals = deals[["id", "pipeline_id", "stage_id", "created_at", "closed_at", "budget_minor", "responsible_id",
                   "channel", "tags", "deleted"]]
    paths = pd.DataFrame(ds.columns("paths"))
    stages = ds.to_pandas("stages")
    pipes = ds.to_pandas("pipelines")
    users = ds.to_pandas("users")
    deal_ids = deals["id"].to_numpy()
    # Stage changes rebuilt from the paths: each entry after the first is a move from the previous stage.
    paths["deal_id"] = deal_ids[paths["deal_row"]]
    paths["stage_id"] = stages["id"].to_numpy()[paths["stage_row"]]
    paths["pipeline_id"] = stages["pipeline_id"].to_numpy()[paths["stage_row"]]
    first = paths["deal_row"].ne(paths["deal_row"].shift())
    changes = pd.DataFrame({
        "deal_id": paths["deal_id"], "at": paths["entered_at"],
        "from_stage_id": paths["stage_id"].shift().where(~first).astype("Int64"),
        "from_pipeline_id": paths["pipeline_id"].shift().where(~first).astype("Int64"),
        "to_stage_id": paths["stage_id"], "to_pipeline_id": paths["pipeline_id"],
    })
    changes = changes[paths["implied"].to_numpy() == 0]
    return deals, changes, stages, pipes, users


def test_from_pandas_gives_the_same_reports(small_sample):
    deals, changes, stages, pipes, users = _frames(small_sample)
    ds = dealstat.Dataset.from_pandas(deals, changes, stages=stages.rename(columns={}), pipelines=pipes,
                                      users=users, time_zone="Europe/Moscow")
    assert ds.num_deals == small_sample.num_deals
    a = small_sample.funnel(pipeline="Sales").to_pandas()
    b = ds.funnel(pipeline="Sales").to_pandas()
    pd.testing.assert_frame_equal(a, b)


def test_from_arrow_objects(small_sample):
    pa = pytest.importorskip("pyarrow")
    pl = pytest.importorskip("polars")
    deals, changes, stages, pipes, users = _frames(small_sample)
    deals = deals.drop(columns=["tags", "channel"])
    ref = small_sample.funnel(pipeline="Sales").to_pandas()
    for conv in (pa.Table.from_pandas, pl.from_pandas):
        ds = dealstat.Dataset.from_arrow(conv(deals), conv(changes), stages=conv(stages), pipelines=conv(pipes),
                                         users=conv(users), time_zone="Europe/Moscow")
        pd.testing.assert_frame_equal(ds.funnel(pipeline="Sales").to_pandas(), ref)


def test_column_mapping_datetimes_and_money():
    deals = pd.DataFrame({
        "opp": [1, 2, 3],
        "stage": [11, 12, 13],
        "opened": pd.to_datetime(["2024-01-01 10:00", "2024-01-02 00:00", "2024-01-03 00:00"]),
        "closed": pd.to_datetime([None, "2024-02-01 00:00", "2024-02-02 00:00"]),
        "value": [10.005, 20.5, None],
    })
    deals["pipe"] = 1
    stages = pd.DataFrame({"pipeline_id": [1, 1, 1], "id": [11, 12, 13], "name": ["New", "Won", "Lost"],
                           "sort": [1, 2, 3], "kind": ["open", "won", "lost"]})
    ds = dealstat.Dataset.from_pandas(
        deals, stages=stages, time_zone="Europe/Berlin",
        columns={"deals": {"id": "opp", "stage_id": "stage", "created_at": "opened", "closed_at": "closed",
                           "budget": "value", "pipeline_id": "pipe"}})
    cols = ds.columns("deals")
    assert list(cols["budget_minor"]) == [1001, 2050, 0]  # half away from zero, NaN = 0
    assert cols["created_at"][0] == int(pd.Timestamp("2024-01-01 09:00", tz="UTC").timestamp())  # naive = Berlin
    assert cols["closed_at"][0] == np.iinfo(np.int64).min


def test_int64_columns_are_not_copied():
    ids = np.arange(1000, dtype=np.int64)
    df = pd.DataFrame({"id": ids, "pipeline_id": np.ones(1000, dtype=np.int64)})
    out = _normalize("deals", df, None, "UTC", 2)
    assert np.shares_memory(out["id"], df["id"].to_numpy())
    assert np.shares_memory(out["pipeline_id"], df["pipeline_id"].to_numpy())


def test_frame_error_names_table_row_field():
    stages = pd.DataFrame({"pipeline_id": [1, 1], "id": [11, 12], "name": ["New", "Won"], "sort": [1, 2],
                           "kind": ["open", "won"]})
    deals = pd.DataFrame({"id": [1, 2, 3], "pipeline_id": [1, 1, 1], "stage_id": [11, 99, 11],
                          "created_at": [1_700_000_000] * 3})
    with pytest.raises(dealstat.DataError) as e:
        dealstat.Dataset.from_pandas(deals, stages=stages)
    assert e.value.source == "deals" and e.value.row == 2 and e.value.field and e.value.value == "99"
    ds = dealstat.Dataset.from_pandas(deals, stages=stages, policy="lenient")
    assert ds.num_deals == 2 and len(ds.problems) == 1


def test_bad_keywords():
    with pytest.raises(ValueError, match="policy"):
        dealstat.Dataset.from_csv_dir(".", policy="loose")
    with pytest.raises(TypeError, match="deals"):
        dealstat.Dataset.sample(deals="many")
    with pytest.raises(ValueError, match="columns"):
        dealstat.Dataset.from_pandas({}, stages={}, columns={"dealz": {}})
    with pytest.raises(dealstat.OptionError) as e:
        dealstat.Dataset.sample(10, time_zone="Mars/Olympus")
    assert "Mars/Olympus" in str(e.value)


def test_amocrm_round_trip(tmp_path, small_sample):
    from dealstat import _core

    if not _core.HAVE_AMOCRM:
        pytest.skip("built without the amoCRM importer")
    small_sample.write_amocrm(tmp_path / "amo")
    back = dealstat.Dataset.from_amocrm(tmp_path / "amo")
    assert back.num_deals == small_sample.num_deals


def test_duckdb_in_and_out(small_sample):
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    f = small_sample.funnel(pipeline="Sales")
    rows = con.sql("select stage, reached from f").fetchall()  # our __arrow_c_stream__ read by DuckDB
    assert [r[1] for r in rows] == list(f.column("reached"))
    stages = con.sql("select 1::BIGINT as pipeline_id, 11::BIGINT as id, 'New' as name, 1 as sort, 'open' as kind "
                     "union all select 1, 142, 'Won', 2, 'won'")
    deals = con.sql("select range::BIGINT as id, 1::BIGINT as pipeline_id, 11::BIGINT as stage_id, "
                    "TIMESTAMP '2024-01-01' + to_days(range::INT) as created_at from range(5)")
    ds = dealstat.Dataset.from_arrow(deals, stages=stages)
    assert list(ds.columns("deals")["created_at"]) == [1704067200 + 86400 * i for i in range(5)]
