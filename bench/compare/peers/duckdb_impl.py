"""The benchmark questions in DuckDB SQL (an in-memory database; window functions for the paths)."""
import os

import duckdb

from .common import CSV_FILES, STAGE_SHIFT, stage_label

NAME = "duckdb"


def _connect(tz):
    con = duckdb.connect()
    con.execute(f"SET TimeZone = '{tz}'")  # weeks are local to the account
    return con


def load_csv(data_dir, tz="UTC"):
    """5. Load: every CSV file of the directory into a table (read_csv, auto-detected)."""
    con = _connect(tz)
    for name in CSV_FILES:
        path = os.path.join(data_dir, name + ".csv")
        if os.path.exists(path):
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}')")
    return con


def load_parquet(pq_dir, tz="UTC"):
    con = _connect(tz)
    for name in ["users", "stages", "deals", "stage_changes"]:
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{os.path.join(pq_dir, name + '.parquet')}')")
    return con


STAGES = f"""
  stg AS (
    SELECT pipeline_id, id, pipeline_id * {STAGE_SHIFT} + id AS key, coalesce(kind, 'open') AS kind,
           row_number() OVER (PARTITION BY pipeline_id ORDER BY
             CASE coalesce(kind, 'open') WHEN 'unsorted' THEN 0 WHEN 'open' THEN 1 WHEN 'won' THEN 2 ELSE 3 END,
             sort, id) AS pos
    FROM stages),
  dl AS (
    SELECT d.*, d.pipeline_id * {STAGE_SHIFT} + d.stage_id AS key, s.kind AS cur_kind
    FROM deals d JOIN stg s ON s.key = d.pipeline_id * {STAGE_SHIFT} + d.stage_id
    WHERE d.is_deleted = 0)"""

# Path entries in time order (creation record first) with the previous stage and the next entry's time.
ENTRIES = f"""
  raw AS (
    SELECT c.deal_id AS deal, c.from_stage_id IS NOT NULL AS move, c."at" AS t, c.seq,
           c.to_pipeline_id * {STAGE_SHIFT} + c.to_stage_id AS key
    FROM stage_changes c SEMI JOIN dl ON dl.id = c.deal_id
    UNION ALL
    SELECT id, false, coalesce(closed_at, created_at), -1, key
    FROM dl ANTI JOIN stage_changes c ON c.deal_id = dl.id),
  ent AS (
    SELECT *, lead(t) OVER w AS next_at, lag(key) OVER w AS prev_key
    FROM raw WINDOW w AS (PARTITION BY deal ORDER BY move, t, seq))"""


def funnel(con, p):
    """1. Funnel reached per stage (implied policy) with conversions, one pipeline, one quarter, date basis auto."""
    rows = con.execute(f"""
    WITH {STAGES},
    sel AS (
      SELECT id, key, cur_kind FROM dl
      WHERE pipeline_id = $pipe
        AND CASE WHEN cur_kind IN ('won', 'lost') THEN closed_at ELSE created_at END >= $qs
        AND CASE WHEN cur_kind IN ('won', 'lost') THEN closed_at ELSE created_at END < $qe),
    rows AS (
      SELECT key, kind, pos,
             CASE WHEN kind = 'open' THEN row_number() OVER (PARTITION BY kind = 'open' ORDER BY pos) - 1 END AS open_rank
      FROM stg WHERE pipeline_id = $pipe AND kind <> 'lost'),
    n_open AS (SELECT count(*) AS n FROM rows WHERE kind = 'open'),
    entered AS (  -- stages each deal entered: the changes' to-stages and its current stage (a path ends there)
      SELECT e.deal, r.key, r.kind, r.open_rank FROM (
        SELECT c.deal_id AS deal, c.to_pipeline_id * {STAGE_SHIFT} + c.to_stage_id AS key
        FROM stage_changes c SEMI JOIN sel ON sel.id = c.deal_id
        UNION ALL SELECT id, key FROM sel) e
      JOIN rows r ON r.key = e.key WHERE r.kind IN ('unsorted', 'open')),
    per_deal AS (
      SELECT s.id, s.cur_kind,
             CASE WHEN s.cur_kind = 'won' THEN (SELECT n FROM n_open) - 1
                  WHEN h.deal IS NULL THEN 0 ELSE coalesce(h.furthest, -1) END AS upto
      FROM sel s LEFT JOIN (SELECT deal, max(open_rank) AS furthest FROM entered GROUP BY deal) h ON h.deal = s.id),
    counts AS (
      SELECT r.key, r.kind, r.pos,
             CASE r.kind
               WHEN 'unsorted' THEN (SELECT count(DISTINCT deal) FROM entered e WHERE e.key = r.key)
               WHEN 'open' THEN (SELECT count(*) FROM per_deal WHERE upto >= r.open_rank)
               ELSE (SELECT count(*) FROM per_deal WHERE cur_kind = 'won') END AS reached
      FROM rows r),
    first AS (SELECT min(pos) AS pos FROM rows WHERE kind = 'open')
    SELECT c.key, c.reached,
           CASE WHEN c.kind <> 'unsorted' AND c.pos >= f.pos AND fr.reached > 0
                THEN 100.0 * c.reached / fr.reached END,
           CASE WHEN c.kind <> 'unsorted' AND c.pos > f.pos AND lag(c.reached) OVER (ORDER BY c.pos) > 0
                THEN 100.0 * c.reached / lag(c.reached) OVER (ORDER BY c.pos) END,
           (SELECT count(*) FROM sel)
    FROM counts c, first f, counts fr WHERE fr.pos = f.pos ORDER BY c.pos""",
                       {"pipe": p.pipeline, "qs": p.qs, "qe": p.qe}).fetchall()
    out = [{"stage": stage_label(k), "reached": n, "conversion_from_first_pct": cf, "step_conversion_pct": sc}
           for k, n, cf, sc, _ in rows]
    return {"deals": rows[0][4] if rows else 0, "rows": out}


def stage_time(con, p):
    """2. Time in stage: visits, total, share, mean and median of completed visits (as-of = latest instant)."""
    rows = con.execute(f"""
    WITH {STAGES}, {ENTRIES},
    as_of AS (SELECT greatest((SELECT max(created_at) FROM dl), (SELECT max(closed_at) FROM dl),
                              (SELECT max(t) FROM ent)) AS t),
    v AS (
      SELECT e.key, e.next_at IS NOT NULL AS done, coalesce(e.next_at, (SELECT t FROM as_of)) - e.t AS len
      FROM ent e SEMI JOIN stg s ON s.key = e.key AND s.kind IN ('unsorted', 'open')),
    agg AS (
      SELECT key, count(*) AS visits, count(*) FILTER (WHERE done) AS completed, sum(len) AS total,
             avg(len) FILTER (WHERE done) AS mean, median(len) FILTER (WHERE done) AS median
      FROM v GROUP BY key)
    SELECT s.key, coalesce(a.visits, 0), coalesce(a.completed, 0), coalesce(a.total, 0)::BIGINT,
           100.0 * coalesce(a.total, 0) / sum(coalesce(a.total, 0)) OVER (), a.mean, a.median, (SELECT t FROM as_of)
    FROM stg s LEFT JOIN agg a ON a.key = s.key
    WHERE s.kind IN ('unsorted', 'open') ORDER BY s.pipeline_id, s.pos""").fetchall()
    out = [{"stage": stage_label(k), "visits": v, "completed_visits": c, "total_time_s": tot, "share_pct": sh,
            "mean_completed_s": m, "median_completed_s": md} for k, v, c, tot, sh, m, md, _ in rows]
    return {"as_of_s": int(rows[0][7]), "rows": out}


def employees(con, p):
    """3. Employees: per user won count, won budget, lost, win rate, median time to close (closed in the quarter)."""
    rows = con.execute(f"""
    WITH {STAGES},
    agg AS (
      SELECT responsible_user_id AS user_id,
             count(*) FILTER (WHERE cur_kind = 'won') AS won, count(*) FILTER (WHERE cur_kind = 'lost') AS lost,
             coalesce(sum(round(budget * 100)::BIGINT) FILTER (WHERE cur_kind = 'won'), 0) AS won_budget,
             median(closed_at - created_at) FILTER (WHERE cur_kind = 'won') AS median_ttc
      FROM dl WHERE cur_kind IN ('won', 'lost') AND closed_at >= $qs AND closed_at < $qe
      GROUP BY responsible_user_id)
    SELECT coalesce(u.id, a.user_id), coalesce(a.won, 0), coalesce(a.won_budget, 0), coalesce(a.lost, 0),
           CASE WHEN a.won + a.lost > 0 THEN 100.0 * a.won / (a.won + a.lost) END, a.median_ttc
    FROM users u FULL JOIN agg a ON a.user_id IS NOT DISTINCT FROM u.id""", {"qs": p.qs, "qe": p.qe}).fetchall()
    return {"rows": [{"user_id": u, "won": w, "won_budget_minor": b, "lost": l, "win_rate_pct": r, "median_time_to_close_s": m}
                     for u, w, b, l, r, m in rows]}


def movement(con, p):
    """4. Movement: transitions from -> to per local week of the quarter."""
    rows = con.execute(f"""
    WITH {STAGES}, {ENTRIES}
    SELECT greatest(date_trunc('week', to_timestamp(t))::DATE, $from::DATE) AS week, prev_key, key, count(*)
    FROM ent WHERE prev_key IS NOT NULL AND t >= $qs AND t < $qe
    GROUP BY ALL ORDER BY ALL""", {"qs": p.qs, "qe": p.qe, "from": p.q_from}).fetchall()
    return {"rows": [{"week": w.isoformat(), "from": stage_label(f), "to": stage_label(t), "deals": n}
                     for w, f, t, n in rows]}
