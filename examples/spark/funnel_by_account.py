"""The funnel and the employees report over Spark (local[2] here; the same code on a cluster).

    pip install ".[spark]" && python examples/spark/funnel_by_account.py    # needs Java 17

Tables are Spark DataFrames with dealstat's column names; times as Unix seconds (Spark shifts
naive timestamps by its session time zone). users, pipelines and stages are collected to the
driver and copied to every partition. See docs/distributed.md.
"""

import os
import sys

import pandas as pd
from pyspark.sql import SparkSession

import dealstat
from dealstat import spark as dealstat_spark


def account_tables(ds: dealstat.Dataset, account: str) -> dict:
    deals = ds.to_pandas("deals")[["id", "pipeline_id", "stage_id", "created_at", "budget_minor",
                                   "responsible_id", "deleted"]]
    closed = ds.to_pandas("deals")["closed_at"]
    deals = deals.assign(closed_at=closed.where(closed != closed.min()).astype("Int64"),
                         deleted=deals["deleted"].astype("int64"))  # Spark has no unsigned types
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
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # Spark's Python workers need dealstat too
    spark = (SparkSession.builder.master("local[2]").config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.shuffle.partitions", "8").getOrCreate())
    a = account_tables(dealstat.Dataset.sample(20000, seed=1, time_zone="UTC"), "acme")
    b = account_tables(dealstat.Dataset.sample(5000, seed=2, time_zone="UTC"), "globex")
    tables = {k: pd.concat([a[k], b[k]], ignore_index=True) for k in a}
    for k in ("deals", "stage_changes"):
        tables[k] = spark.createDataFrame(tables[k])

    funnels = dealstat_spark.run_report(tables, "funnel", by="account", dataset_options={"time_zone": "UTC"})
    for account, result in sorted(funnels.items()):
        print(account, result.summary["deals"], "deals, KM median time to close",
              result.summary["km_median_time_to_close_s"], "s")
    people = dealstat_spark.run_report(tables, "employees", by="account", dataset_options={"time_zone": "UTC"})
    print(people["acme"].to_pandas()[["name", "won", "won_budget_minor", "win_rate_pct"]].head())
    spark.stop()


if __name__ == "__main__":
    main()
