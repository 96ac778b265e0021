"""The benchmark questions in Polars (lazy expressions: joins, group_by, one sort for the paths)."""
import os

import polars as pl

from .common import CSV_FILES, STAGE_SHIFT, stage_label

NAME = "polars"


def load_csv(data_dir):
    """5. Load: every CSV file of the directory into a DataFrame."""
    out = {}
    for name in CSV_FILES:
        path = os.path.join(data_dir, name + ".csv")
        if os.path.exists(path):
            out[name] = pl.read_csv(path, infer_schema_length=10000)
    return out


def load_parquet(pq_dir):
    return {name: pl.read_parquet(os.path.join(pq_dir, name + ".parquet"))
            for name in ["users", "stages", "deals", "stage_changes"]}


def _stages(t):
    kind_order = pl.col("kind").replace_strict({"unsorted": 0, "open": 1, "won": 2, "lost": 3}, return_dtype=pl.Int8)
    return (t["stages"].lazy()
            .with_columns(pl.col("kind").fill_null("open"))
            .with_columns(key=pl.col("pipeline_id") * STAGE_SHIFT + pl.col("id"), kind_order=kind_order)
            .sort(["pipeline_id", "kind_order", "sort", "id"]))


def _deals(t):
    s = _stages(t).select("key", cur_kind=pl.col("kind"))
    return (t["deals"].lazy().filter(pl.col("is_deleted") == 0)
            .with_columns(key=pl.col("pipeline_id") * STAGE_SHIFT + pl.col("stage_id"))
            .join(s, on="key", how="left"))


def funnel(t, p):
    """1. Funnel reached per stage (implied policy) with conversions, one pipeline, one quarter, date basis auto."""
    closed = pl.col("cur_kind").is_in(["won", "lost"])
    when = pl.when(closed).then(pl.col("closed_at")).otherwise(pl.col("created_at"))
    d = _deals(t).filter((pl.col("pipeline_id") == p.pipeline) & (when >= p.qs) & (when < p.qe)) \
        .select("id", "key", "cur_kind").collect()
    s = _stages(t).filter((pl.col("pipeline_id") == p.pipeline) & (pl.col("kind") != "lost")).collect() \
        .with_row_index("row")
    opens = s.filter(pl.col("kind") == "open").with_row_index("open_rank").select("key", pl.col("open_rank").cast(pl.Int64))
    n_open = opens.height
    work = s.filter(pl.col("kind").is_in(["unsorted", "open"])).select("key", "kind").join(opens, on="key", how="left")
    # Stages each deal entered: every change's to-stage, plus its current stage (a path always ends there).
    entered = pl.concat([
        t["stage_changes"].lazy().join(d.lazy().select("id"), left_on="deal_id", right_on="id", how="semi")
        .select(deal=pl.col("deal_id"), key=pl.col("to_pipeline_id") * STAGE_SHIFT + pl.col("to_stage_id")),
        d.lazy().select(deal=pl.col("id"), key=pl.col("key")),
    ]).join(work.lazy(), on="key", how="inner").collect()
    unsorted_reached = entered.filter(pl.col("kind") == "unsorted").group_by("key").agg(reached=pl.col("deal").n_unique())
    furthest = entered.group_by("deal").agg(furthest=pl.col("open_rank").max())  # null: only unsorted entered
    per_deal = d.join(furthest, left_on="id", right_on="deal", how="left").with_columns(
        upto=pl.when(pl.col("cur_kind") == "won").then(n_open - 1)
        .when(pl.col("id").is_in(entered["deal"].implode())).then(pl.col("furthest").fill_null(-1))
        .otherwise(0))
    upto = per_deal["upto"]
    won_n = int((per_deal["cur_kind"] == "won").sum())
    rows_reached = []
    ranks = dict(zip(opens["key"].to_list(), opens["open_rank"].to_list()))
    ureach = dict(zip(unsorted_reached["key"].to_list(), unsorted_reached["reached"].to_list()))
    for key, kind in zip(s["key"].to_list(), s["kind"].to_list()):  # one per funnel stage (a handful)
        if kind == "unsorted":
            rows_reached.append(ureach.get(key, 0))
        elif kind == "open":
            rows_reached.append(int((upto >= ranks[key]).sum()))
        else:
            rows_reached.append(won_n)
    s = s.with_columns(reached=pl.Series(rows_reached, dtype=pl.Int64))
    first = s.filter(pl.col("kind") == "open")["row"][0]
    first_n = s["reached"][first]
    in_chain = (pl.col("row") >= first) & (pl.col("kind") != "unsorted")
    prev = pl.col("reached").shift(1)
    s = s.with_columns(
        conversion_from_first_pct=pl.when(in_chain & (first_n > 0)).then(100.0 * pl.col("reached") / first_n),
        step_conversion_pct=pl.when(in_chain & (pl.col("row") > first) & (prev > 0)).then(100.0 * pl.col("reached") / prev))
    rows = [{"stage": stage_label(r["key"]), "reached": r["reached"], "conversion_from_first_pct": r["conversion_from_first_pct"],
             "step_conversion_pct": r["step_conversion_pct"]} for r in s.iter_rows(named=True)]
    return {"deals": d.height, "rows": rows}


def _entries(t, d):
    """Path entries of deals d (lazy) in time order (creation record first), with the next entry's time."""
    sc = t["stage_changes"].lazy().join(d.select("id"), left_on="deal_id", right_on="id", how="semi")
    lone = d.join(t["stage_changes"].lazy().select("deal_id"), left_on="id", right_on="deal_id", how="anti")
    e = pl.concat([
        sc.select(deal=pl.col("deal_id"), move=pl.col("from_stage_id").is_not_null(), at=pl.col("at"), seq=pl.col("seq"),
                  key=pl.col("to_pipeline_id") * STAGE_SHIFT + pl.col("to_stage_id")),
        lone.select(deal=pl.col("id"), move=pl.lit(False), at=pl.coalesce("closed_at", "created_at"),
                    seq=pl.lit(-1, dtype=pl.Int64), key=pl.col("key")),
    ]).sort(["deal", "move", "at", "seq"])
    same_next = pl.col("deal").shift(-1) == pl.col("deal")
    same_prev = pl.col("deal").shift(1) == pl.col("deal")
    return e.with_columns(next_at=pl.when(same_next).then(pl.col("at").shift(-1)),
                          prev_key=pl.when(same_prev).then(pl.col("key").shift(1)))


def stage_time(t, p):
    """2. Time in stage: visits, total, share, mean and median of completed visits (as-of = latest instant)."""
    d = _deals(t)
    e = _entries(t, d)
    as_of = pl.concat([d.select(x=pl.max_horizontal(pl.col("created_at").max(), pl.col("closed_at").max())),
                       e.select(x=pl.col("at").max())]).select(pl.col("x").max()).collect().item()
    work = _stages(t).filter(pl.col("kind").is_in(["unsorted", "open"])).select("key")
    agg = (e.join(work, on="key", how="semi")
           .with_columns(done=pl.col("next_at").is_not_null(), len=pl.col("next_at").fill_null(as_of) - pl.col("at"))
           .group_by("key")
           .agg(visits=pl.len(), completed=pl.col("done").sum(), total=pl.col("len").sum(),
                mean=pl.col("len").filter(pl.col("done")).mean(), median=pl.col("len").filter(pl.col("done")).median()))
    r = (work.join(agg, on="key", how="left")
         .with_columns(pl.col("visits", "completed", "total").fill_null(0))
         .with_columns(share=100.0 * pl.col("total") / pl.col("total").sum())).collect()
    rows = [{"stage": stage_label(x["key"]), "visits": x["visits"], "completed_visits": x["completed"],
             "total_time_s": x["total"], "share_pct": x["share"], "mean_completed_s": x["mean"],
             "median_completed_s": x["median"]} for x in r.iter_rows(named=True)]
    return {"as_of_s": int(as_of), "rows": rows}


def employees(t, p):
    """3. Employees: per user won count, won budget, lost, win rate, median time to close (closed in the quarter)."""
    won = pl.col("cur_kind") == "won"
    agg = (_deals(t)
           .filter(pl.col("cur_kind").is_in(["won", "lost"]) & (pl.col("closed_at") >= p.qs) & (pl.col("closed_at") < p.qe))
           .group_by(user=pl.col("responsible_user_id"))
           .agg(won=won.sum(), lost=(~won).sum(),
                won_budget=(pl.col("budget") * 100).round().cast(pl.Int64).filter(won).sum(),
                median_ttc=(pl.col("closed_at") - pl.col("created_at")).filter(won).median()))
    users = t["users"].lazy().select(user=pl.col("id"))
    closed_n = pl.col("won") + pl.col("lost")
    r = (users.join(agg, on="user", how="full", coalesce=True, nulls_equal=True)
         .with_columns(pl.col("won", "lost", "won_budget").fill_null(0))
         .with_columns(win_rate=pl.when(closed_n > 0).then(100.0 * pl.col("won") / closed_n))).collect()
    rows = [{"user_id": x["user"], "won": x["won"], "won_budget_minor": x["won_budget"], "lost": x["lost"],
             "win_rate_pct": x["win_rate"], "median_time_to_close_s": x["median_ttc"]} for x in r.iter_rows(named=True)]
    return {"rows": rows}


def movement(t, p):
    """4. Movement: transitions from -> to per local week of the quarter."""
    e = _entries(t, _deals(t))
    from_day = pl.lit(p.q_from).str.to_date()
    week = (pl.from_epoch("at", time_unit="s").dt.replace_time_zone("UTC").dt.convert_time_zone(p.tz)
            .dt.date().dt.truncate("1w"))
    r = (e.filter(pl.col("prev_key").is_not_null() & (pl.col("at") >= p.qs) & (pl.col("at") < p.qe))
         .group_by(week=pl.max_horizontal(week, from_day), frm=pl.col("prev_key"), to=pl.col("key"))
         .agg(deals=pl.len()).sort("week", "frm", "to")).collect()
    rows = [{"week": x["week"].isoformat(), "from": stage_label(x["frm"]), "to": stage_label(x["to"]), "deals": x["deals"]}
            for x in r.iter_rows(named=True)]
    return {"rows": rows}
