"""The benchmark questions in pandas (vectorised: masks, merges, groupby, one sort for the paths)."""
import os

import numpy as np
import pandas as pd

from .common import CSV_FILES, STAGE_SHIFT, stage_label

NAME = "pandas"


def load_csv(data_dir):
    """5. Load: every CSV file of the directory into a DataFrame (pyarrow engine: multi-threaded)."""
    out = {}
    for name in CSV_FILES:
        path = os.path.join(data_dir, name + ".csv")
        if os.path.exists(path):
            out[name] = pd.read_csv(path, engine="pyarrow")
    return out


def load_parquet(pq_dir):
    return {name: pd.read_parquet(os.path.join(pq_dir, name + ".parquet"))
            for name in ["users", "stages", "deals", "stage_changes"]}


def _stages(t):
    """Stage dimension: key, kind, funnel order (unsorted, open, won, lost; by sort, then id)."""
    s = t["stages"].copy()
    s["kind"] = s["kind"].fillna("open")
    s["key"] = s["pipeline_id"] * STAGE_SHIFT + s["id"]
    s["kind_order"] = s["kind"].map({"unsorted": 0, "open": 1, "won": 2, "lost": 3})
    return s.sort_values(["pipeline_id", "kind_order", "sort", "id"], ignore_index=True)


def _deals(t):
    d = t["deals"]
    d = d[d["is_deleted"] == 0]
    s = _stages(t)
    kind = pd.Series(s["kind"].values, index=s["key"].values)
    d = d.assign(key=d["pipeline_id"] * STAGE_SHIFT + d["stage_id"])
    return d.assign(cur_kind=d["key"].map(kind).values)


def funnel(t, p):
    """1. Funnel reached per stage (implied policy) with conversions, one pipeline, one quarter, date basis auto."""
    d = _deals(t)
    closed = d["cur_kind"].isin(["won", "lost"])
    when = d["closed_at"].where(closed, d["created_at"])
    d = d[(d["pipeline_id"] == p.pipeline) & (when >= p.qs) & (when < p.qe)]
    s = _stages(t)
    s = s[(s["pipeline_id"] == p.pipeline) & (s["kind"] != "lost")].reset_index(drop=True)
    opens = s[s["kind"] == "open"]
    rank = pd.Series(np.arange(len(opens)), index=opens["key"].values)
    n_open = len(opens)
    # Stages each deal entered: every change's to-stage, plus its current stage (a path always ends there).
    sc = t["stage_changes"]
    sc = sc[sc["deal_id"].isin(d["id"])]
    entered = pd.concat([
        pd.DataFrame({"deal": sc["deal_id"].values, "key": (sc["to_pipeline_id"] * STAGE_SHIFT + sc["to_stage_id"]).values}),
        pd.DataFrame({"deal": d["id"].values, "key": d["key"].values}),
    ], ignore_index=True)
    entered = entered[entered["key"].isin(s.loc[s["kind"].isin(["unsorted", "open"]), "key"])]
    furthest = entered["key"].map(rank).groupby(entered["deal"]).max()  # NaN: only unsorted entered
    has_hist = d["id"].isin(entered["deal"]).values
    upto = np.where(d["cur_kind"].values == "won", n_open - 1,
                    np.where(has_hist, d["id"].map(furthest).fillna(-1).values, 0))
    reached = []
    for _, row in s.iterrows():  # one row per funnel stage (a handful), not per deal
        if row["kind"] == "unsorted":
            reached.append(entered.loc[entered["key"] == row["key"], "deal"].nunique())
        elif row["kind"] == "open":
            reached.append(int((upto >= rank[row["key"]]).sum()))
        else:
            reached.append(int((d["cur_kind"] == "won").sum()))
    s["reached"] = reached
    first = s.index[s["kind"] == "open"][0]
    in_chain = (s.index >= first) & (s["kind"] != "unsorted")
    first_n = s.loc[first, "reached"]
    s["conversion_from_first_pct"] = np.where(in_chain & (first_n > 0), 100.0 * s["reached"] / max(first_n, 1), np.nan)
    prev = s["reached"].shift(1)
    s["step_conversion_pct"] = np.where(in_chain & (s.index > first) & (prev > 0), 100.0 * s["reached"] / prev, np.nan)
    rows = [{"stage": stage_label(r.key), "reached": int(r.reached),
             "conversion_from_first_pct": r.conversion_from_first_pct, "step_conversion_pct": r.step_conversion_pct}
            for r in s.itertuples()]
    return {"deals": len(d), "rows": rows}


def _entries(t, d):
    """Path entries of deals d in time order (creation record first), with the next entry's time."""
    sc = t["stage_changes"]
    sc = sc[sc["deal_id"].isin(d["id"])]
    lone = d[~d["id"].isin(sc["deal_id"])]  # no recorded change: the path is the current stage
    e = pd.concat([
        pd.DataFrame({"deal": sc["deal_id"].values, "move": sc["from_stage_id"].notna().values, "at": sc["at"].values,
                      "seq": sc["seq"].values,
                      "key": (sc["to_pipeline_id"] * STAGE_SHIFT + sc["to_stage_id"]).values}),
        pd.DataFrame({"deal": lone["id"].values, "move": False,
                      "at": lone["closed_at"].fillna(lone["created_at"]).astype("int64").values, "seq": -1,
                      "key": lone["key"].values}),
    ], ignore_index=True)
    e = e.sort_values(["deal", "move", "at", "seq"], ignore_index=True)
    same_next = e["deal"].shift(-1) == e["deal"]
    e["next_at"] = e["at"].shift(-1).where(same_next)
    e["prev_key"] = e["key"].shift(1).where(e["deal"].shift(1) == e["deal"])
    return e


def stage_time(t, p):
    """2. Time in stage: visits, total, share, mean and median of completed visits (as-of = latest instant)."""
    d = _deals(t)
    s = _stages(t)
    e = _entries(t, d)
    as_of = int(max(d["created_at"].max(), d["closed_at"].max(), e["at"].max()))
    work = s.loc[s["kind"].isin(["unsorted", "open"]), ["key"]]
    e = e[e["key"].isin(work["key"])]
    done = e["next_at"].notna()
    length = e["next_at"].fillna(as_of) - e["at"]
    g = pd.DataFrame({"key": e["key"].values, "len": length.values, "done": done.values})
    agg = g.groupby("key").agg(visits=("len", "size"), total=("len", "sum"), completed=("done", "sum"))
    comp = g[g["done"]].groupby("key")["len"].agg(["mean", "median"])
    r = work.join(agg, on="key").join(comp, on="key")
    r[["visits", "total", "completed"]] = r[["visits", "total", "completed"]].fillna(0)
    r["share"] = 100.0 * r["total"] / r["total"].sum()
    rows = [{"stage": stage_label(x.key), "visits": int(x.visits), "completed_visits": int(x.completed),
             "total_time_s": int(x.total), "share_pct": x.share, "mean_completed_s": x.mean,
             "median_completed_s": x.median} for x in r.itertuples()]
    return {"as_of_s": as_of, "rows": rows}


def employees(t, p):
    """3. Employees: per user won count, won budget, lost, win rate, median time to close (closed in the quarter)."""
    d = _deals(t)
    d = d[d["cur_kind"].isin(["won", "lost"]) & (d["closed_at"] >= p.qs) & (d["closed_at"] < p.qe)]
    won = d["cur_kind"] == "won"
    g = pd.DataFrame({"user": d["responsible_user_id"], "won": won, "lost": ~won,
                      "budget": (d["budget"] * 100).round().astype("int64").where(won, 0),
                      "ttc": (d["closed_at"] - d["created_at"]).where(won)})
    agg = g.groupby("user", dropna=False).agg(won=("won", "sum"), lost=("lost", "sum"), won_budget=("budget", "sum"),
                                              median_ttc=("ttc", "median"))
    users = t["users"][["id"]].rename(columns={"id": "user"})
    r = users.merge(agg.reset_index(), on="user", how="outer")
    r[["won", "lost", "won_budget"]] = r[["won", "lost", "won_budget"]].fillna(0)
    closed_n = r["won"] + r["lost"]
    r["win_rate"] = np.where(closed_n > 0, 100.0 * r["won"] / closed_n.where(closed_n > 0, 1), np.nan)
    rows = [{"user_id": None if pd.isna(x.user) else int(x.user), "won": int(x.won), "won_budget_minor": int(x.won_budget),
             "lost": int(x.lost), "win_rate_pct": x.win_rate, "median_time_to_close_s": x.median_ttc}
            for x in r.itertuples()]
    return {"rows": rows}


def movement(t, p):
    """4. Movement: transitions from -> to per local week of the quarter."""
    d = _deals(t)
    e = _entries(t, d)
    e = e[e["prev_key"].notna() & (e["at"] >= p.qs) & (e["at"] < p.qe)]
    local = pd.to_datetime(e["at"], unit="s", utc=True).dt.tz_convert(p.tz).dt.tz_localize(None)
    day = local.dt.normalize()
    week = day - pd.to_timedelta(day.dt.weekday, unit="D")
    week = week.where(week >= pd.Timestamp(p.q_from), pd.Timestamp(p.q_from))  # the first bucket starts at `from`
    agg = pd.DataFrame({"week": week.values, "from": e["prev_key"].astype("int64").values, "to": e["key"].values}) \
        .groupby(["week", "from", "to"]).size().reset_index(name="deals")
    rows = [{"week": x.week.strftime("%Y-%m-%d"), "from": stage_label(x[2]), "to": stage_label(x[3]),
             "deals": int(x.deals)} for x in agg.itertuples()]
    return {"rows": rows}
