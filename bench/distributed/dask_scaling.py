"""Dask scaling of a partial report: the funnel over N sample deals on a LocalCluster with 1 and
2 worker processes (1 thread each), against the single in-process call on the same frames.

    PYTHONPATH=python .venv/bin/python bench/distributed/dask_scaling.py --deals 2000000 --report funnel

The frames are written to Parquet first (16 files per table) so the workers read their own input,
as in a real run; as_of is given, so there is no bounds pass. Prints one line per run and the
machine's load average. Recorded results: bench/results/distributed.md.
"""

import argparse
import os
import tempfile
import time

import numpy as np
import pandas as pd

import dealstat
from dealstat import dask as dsk


def frames(ds):
    deals = ds.to_pandas("deals")[["id", "pipeline_id", "stage_id", "created_at", "closed_at", "budget_minor",
                                   "responsible_id", "deleted"]]
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
    return {"deals": deals, "stage_changes": changes, "stages": stages, "pipelines": ds.to_pandas("pipelines"),
            "users": ds.to_pandas("users")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--deals", type=int, default=2_000_000)
    ap.add_argument("--report", default="funnel")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--partitions", type=int, default=16)
    args = ap.parse_args()
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    t0 = time.perf_counter()
    sample = dealstat.Dataset.sample(args.deals, seed=1, time_zone="UTC", events=False)
    t = frames(sample)
    as_of = int(sample.end.timestamp())
    del sample
    print(f"generated {args.deals} deals, {len(t['stage_changes'])} stage changes in {time.perf_counter() - t0:.1f} s",
          flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        for k in ("deals", "stage_changes"):
            dd.from_pandas(t[k], npartitions=args.partitions).to_parquet(os.path.join(tmp, k), write_index=False)
        entities = {k: t[k] for k in ("stages", "pipelines", "users")}

        t0 = time.perf_counter()
        single = dealstat.Dataset.from_pandas(t["deals"], t["stage_changes"], time_zone="UTC", **entities)
        t_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        want = getattr(single, args.report)(as_of=as_of, threads=1)
        t_report = time.perf_counter() - t0
        print(f"single process: build {t_build:.2f} s + {args.report} (1 thread) {t_report:.2f} s", flush=True)
        del single
        del t

        for w in [int(x) for x in args.workers.split(",")]:
            with LocalCluster(n_workers=w, threads_per_worker=1, processes=True, dashboard_address=None,
                              memory_limit="8GiB") as cluster, Client(cluster):
                tables = {k: dd.read_parquet(os.path.join(tmp, k)) for k in ("deals", "stage_changes")}
                tables.update(entities)
                t0 = time.perf_counter()
                got = dsk.run_report(tables, args.report, npartitions=args.partitions,
                                     dataset_options={"time_zone": "UTC"}, as_of=as_of)
                dt = time.perf_counter() - t0
                same = got.summary.get("deals") == want.summary.get("deals")
                print(f"dask {w} worker(s): {dt:.2f} s (same deal count as single: {same})", flush=True)
    print("load average:", os.getloadavg())


if __name__ == "__main__":
    main()
