"""The funnel and time in stage over Dask: a LocalCluster with 2 worker processes, two accounts.

    pip install ".[dask]" && python examples/dask/funnel_by_account.py

Any Dask DataFrames with dealstat's column names work the same way (read_parquet, read_csv, ...):
deals, stage_changes, tasks, events, unsorted as Dask frames; users, pipelines, stages small (pandas).
See docs/distributed.md for the partitioning rule and the median bound.
"""

import pandas as pd
import dask.dataframe as dd
from distributed import Client, LocalCluster

import dealstat
from dealstat import dask as dealstat_dask


def account_tables(ds: dealstat.Dataset, account: str) -> dict:
    """A sample account's deals, stage changes and entity tables, tagged with an account column."""
    deals = ds.to_pandas("deals")[["id", "pipeline_id", "stage_id", "created_at", "closed_at", "budget_minor",
                                   "responsible_id", "channel", "deleted"]]
    paths = pd.DataFrame(ds.columns("paths"))
    stages = ds.to_pandas("stages")
    # One row per recorded move: the path's first entry is the creation (no from stage).
    deal_ids = deals["id"].to_numpy()[paths["deal_row"].to_numpy()]
    stage_ids = stages["id"].to_numpy()[paths["stage_row"].to_numpy()]
    pipe_ids = stages["pipeline_id"].to_numpy()[paths["stage_row"].to_numpy()]
    first = paths["deal_row"].ne(paths["deal_row"].shift()).to_numpy()
    changes = pd.DataFrame({
        "deal_id": deal_ids, "at": paths["entered_at"].to_numpy(),
        "from_stage_id": pd.Series(stage_ids).shift().where(~first).astype("Int64"),
        "from_pipeline_id": pd.Series(pipe_ids).shift().where(~first).astype("Int64"),
        "to_stage_id": stage_ids, "to_pipeline_id": pipe_ids,
    })[paths["implied"].to_numpy() == 0].reset_index(drop=True)
    out = {"deals": deals, "stage_changes": changes, "stages": stages,
           "pipelines": ds.to_pandas("pipelines"), "users": ds.to_pandas("users")}
    return {k: v.assign(account=account) for k, v in out.items()}


def main() -> None:
    a = account_tables(dealstat.Dataset.sample(20000, seed=1, time_zone="UTC"), "acme")
    b = account_tables(dealstat.Dataset.sample(5000, seed=2, time_zone="UTC"), "globex")
    tables = {k: pd.concat([a[k], b[k]], ignore_index=True) for k in a}
    for k in ("deals", "stage_changes"):
        tables[k] = dd.from_pandas(tables[k], npartitions=4)

    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster):
        funnels = dealstat_dask.run_report(tables, "funnel", by="account", dataset_options={"time_zone": "UTC"})
        for account, result in funnels.items():
            print(account, result.summary["deals"], "deals")
            print(result.to_pandas()[["stage", "reached", "conversion_from_first_pct"]])
        st = dealstat_dask.run_report(tables, "stage_time", by="account", dataset_options={"time_zone": "UTC"})
        print(st["acme"].to_pandas()[["stage", "visits", "share_pct", "median_completed_s"]])


if __name__ == "__main__":
    main()
