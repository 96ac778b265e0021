#!/usr/bin/env python3
"""dealstat against pandas, Polars and DuckDB on the same questions and the same data (issue 9).

For each scale: generates the sample account once (`dealstat sample --no-events`, kept under --data-dir),
keeps the files the questions read, writes them as Parquet for the peers, then runs every tool in its own
subprocesses (peak memory = that process's max RSS), checks every peer's answers equal to dealstat's, and
only then reports times: a table per scale, bench/results/compare_<scale>.csv, compare.png, and
compare_scaling.md (how the times grow from the smallest scale on record to the largest).

  .venv/bin/python bench/compare/run_compare.py                      # 1M and 10M deals
  .venv/bin/python bench/compare/run_compare.py --deals 1000000      # one scale
  .venv/bin/python bench/compare/run_compare.py --deals 20000 --check-only   # answers only (CTest)
"""
import argparse
import csv
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

QUESTIONS = ["load", "funnel", "stage_time", "employees", "movement"]
PEERS = ["pandas", "polars", "duckdb"]
KEEP_FILES = ["account.csv", "users.csv", "pipelines.csv", "stages.csv", "deals.csv", "stage_changes.csv"]
KEYS = {"funnel": ["stage"], "stage_time": ["stage"], "employees": ["user_id"], "movement": ["week", "from", "to"]}


def scale_name(n):
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else (f"{n // 1000}k" if n % 1000 == 0 else str(n))


# ---------------------------------------------------------------------------------------------- data

def prepare(n, data_root, cli):
    """The sample account at n deals as a CSV directory (the files the questions read) and its Parquet copy."""
    d = os.path.join(data_root, f"deals_{n}")
    csv_dir, pq_dir = os.path.join(d, "csv"), os.path.join(d, "parquet")
    if not os.path.exists(os.path.join(d, "COMPLETE")):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        t0 = time.time()
        subprocess.run([cli, "sample", "--deals", str(n), "--no-events", "--out", csv_dir], check=True)
        for f in os.listdir(csv_dir):  # the questions read deals and stage changes; the rest is left out
            if f not in KEEP_FILES:
                os.remove(os.path.join(csv_dir, f))
        write_parquet(csv_dir, pq_dir)
        with open(os.path.join(d, "COMPLETE"), "w") as f:
            f.write(f"generated in {time.time() - t0:.0f} s\n")
    return csv_dir, pq_dir


def write_parquet(csv_dir, pq_dir):
    """Parquet for the peers; stage_changes gets `seq`, its row number in the file (the order of equal instants)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq
    os.makedirs(pq_dir, exist_ok=True)
    for name in ["users", "stages", "deals", "stage_changes"]:
        t = pacsv.read_csv(os.path.join(csv_dir, name + ".csv"))
        if name == "stage_changes":
            t = t.append_column("seq", pa.array(range(t.num_rows), type=pa.int64()))
        pq.write_table(t, os.path.join(pq_dir, name + ".parquet"))


def csv_bytes(csv_dir):
    return sum(os.path.getsize(os.path.join(csv_dir, f)) for f in os.listdir(csv_dir))


# -------------------------------------------------------------------------------------- subprocesses

def run_child(cmd, timeout_s, mem_limit_kb):
    """Runs cmd; returns (stdout, status, max RSS kB). status: ok | timeout | oom | error: ..."""
    import resource  # noqa: F401  (os.wait4 returns a resource.struct_rusage)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = {"why": None}
    done = threading.Event()

    def watch():  # never reaps the child (wait4 below does, and reports its rusage)
        t0 = time.time()
        while not done.wait(0.2):
            if time.time() - t0 > timeout_s:
                killed["why"] = "timeout"
                proc.kill()
                return
            try:
                with open(f"/proc/{proc.pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:") and int(line.split()[1]) > mem_limit_kb:
                            killed["why"] = "oom"
                            proc.kill()
                            return
            except (FileNotFoundError, ProcessLookupError):
                return

    w = threading.Thread(target=watch, daemon=True)
    w.start()
    out_chunks, err_chunks = [], []
    t_out = threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()))
    t_err = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()))
    t_out.start()
    t_err.start()
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    proc.returncode = os.waitstatus_to_exitcode(status)
    t_out.join()
    t_err.join()
    w.join(timeout=1)
    out, err = "".join(out_chunks), "".join(err_chunks)
    if killed["why"]:
        return out, killed["why"], usage.ru_maxrss
    if proc.returncode != 0:
        return out, "error: " + err.strip().splitlines()[-1] if err.strip() else f"error: exit {proc.returncode}", usage.ru_maxrss
    return out, "ok", usage.ru_maxrss


def worker(tool, question, csv_dir, pq_dir, runs, budget):
    """In the child: load (CSV for `load`, Parquet otherwise), run the question `runs` times, print JSON."""
    import importlib
    from peers.common import params
    m = importlib.import_module(f"peers.{tool}_impl")
    p = params(csv_dir)
    kw = {"tz": p.tz} if tool == "duckdb" else {}
    times, cpu = [], []
    if question == "load":
        for _ in range(runs):
            t0, c0 = time.perf_counter(), time.process_time()
            data = m.load_csv(csv_dir, **kw)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            del data
            if sum(times) > budget:
                break
        print(json.dumps({"times_s": times, "cpu_s": cpu}))
        return
    data = m.load_parquet(pq_dir, **kw)
    f = getattr(m, question)
    answer = None
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        answer = f(data, p)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        if sum(times) > budget:  # a slow question is not repeated: its first runs are the result
            break
    print(json.dumps({"times_s": times, "cpu_s": cpu, "answer": answer}, default=float))


# ------------------------------------------------------------------------------------------- checking

def _num(x):
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def compare_answers(question, ours, theirs):
    """Differences between dealstat's answer and a peer's (empty list = equal)."""
    keys = KEYS[question]
    problems = []

    def norm(rows):
        out = {}
        for r in rows:
            if question == "employees" and r["user_id"] is None and r["won"] + r["lost"] == 0:
                continue  # dealstat lists unassigned work of any kind; only closes matter here
            out[tuple(str(r[k]) for k in keys)] = r
        return out

    a, b = norm(ours["rows"]), norm(theirs["rows"])
    for k in sorted(set(a) | set(b)):
        if k not in a or k not in b:
            problems.append(f"{question} {k}: only in {'dealstat' if k in a else 'peer'}")
            continue
        for field, va in a[k].items():
            if field in keys:
                continue
            va, vb = _num(va), _num(b[k].get(field))
            if va is None or vb is None:
                if va != vb:
                    problems.append(f"{question} {k} {field}: dealstat {va}, peer {vb}")
            elif not math.isclose(va, vb, rel_tol=1e-9, abs_tol=1e-6):
                problems.append(f"{question} {k} {field}: dealstat {va}, peer {vb}")
    for extra in ("deals", "as_of_s"):
        if extra in ours and extra in theirs and int(ours[extra]) != int(theirs[extra]):
            problems.append(f"{question} {extra}: dealstat {ours[extra]}, peer {theirs[extra]}")
    return problems


# -------------------------------------------------------------------------------------------- running

def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def run_scale(n, args):
    scale = scale_name(n)
    csv_dir, pq_dir = prepare(n, args.data_dir, args.cli)
    runs = 1 if args.check_only else args.runs
    load_runs = 1 if args.check_only else args.load_runs
    mem_kb = int(args.mem_limit_gb * 1024 * 1024)
    print(f"== {scale} deals: {csv_bytes(csv_dir) / 1e6:.0f} MB of CSV; load average {load_average()}", flush=True)

    results = {}  # (tool, question) -> dict(times, rss_kb, status)
    questions = [q for q in QUESTIONS if not (args.check_only and q == "load")]
    qs = ",".join(q for q in questions if q != "load")
    # dealstat answers each question in milliseconds: more runs cost nothing and steady its median
    # against the machine's noise bursts, which at that scale would swing a 5-run median by 20-50%.
    ds_runs = 1 if args.check_only else max(runs, args.dealstat_runs)
    out, status, rss = run_child([args.driver, "--data", csv_dir, "--runs", str(ds_runs), "--load-runs", str(load_runs),
                                  "--questions", qs], args.timeout, mem_kb * 4)
    if status != "ok":
        sys.exit(f"dealstat failed at {scale}: {status}")
    ds = json.loads(out)
    for q in questions:
        results[("dealstat", q)] = {"times": ds[q]["times_s"], "cpu": ds[q].get("cpu_s"), "rss_kb": rss, "status": "ok"}
    ds_mem = ds["load"]

    failures = []
    for tool in args.tools:
        for q in questions:
            cmd = [sys.executable, os.path.abspath(__file__), "--worker", tool, "--question", q,
                   "--csv", csv_dir, "--parquet", pq_dir, "--runs", str(load_runs if q == "load" else runs),
                   "--budget", str(args.budget)]
            t0 = time.time()
            out, status, rss = run_child(cmd, args.timeout + 120, mem_kb)  # + reading the Parquet files
            entry = {"times": None, "cpu": None, "rss_kb": rss, "status": status}
            if status == "ok":
                res = json.loads(out)
                entry["times"] = res["times_s"]
                entry["cpu"] = res.get("cpu_s")
                if q != "load":
                    diff = compare_answers(q, ds[q], res["answer"])
                    if diff:
                        entry["status"] = "wrong answer"
                        entry["times"] = None
                        failures.append((tool, q, diff))
            results[(tool, q)] = entry
            print(f"   {tool:7s} {q:10s} {entry['status']:12s} ({time.time() - t0:.0f} s)", flush=True)
    for tool, q, diff in failures:
        print(f"!! {tool} {q}: answers differ from dealstat's:\n   " + "\n   ".join(diff[:20]), file=sys.stderr)
    if args.check_only:
        bad = [f for f in failures] + [(t, q) for (t, q), e in results.items() if e["status"] != "ok"]
        print("answers equal" if not bad else f"{len(bad)} problem(s)")
        return not bad, None
    return not failures, report(scale, n, results, ds_mem, csv_dir, args)


def med(times):
    return statistics.median(times) if times else None


def report(scale, n, results, ds_mem, csv_dir, args):
    tools = ["dealstat"] + args.tools
    rows = []
    for q in QUESTIONS:
        base = med(results[("dealstat", q)]["times"])
        base_cpu = med(results[("dealstat", q)].get("cpu") or [])
        for tool in tools:
            e = results[(tool, q)]
            t = med(e["times"]) if e["times"] else None
            rows.append({"scale": scale, "deals": n, "question": q, "tool": tool,
                         "median_s": f"{t:.4f}" if t is not None else "",
                         "median_cpu_s": f"{med(e['cpu']):.4f}" if e["times"] and e.get("cpu") else "",
                         "runs": len(e["times"]) if e["times"] else 0,
                         "peak_rss_mb": f"{e['rss_kb'] / 1024:.0f}",
                         "ratio_vs_dealstat": f"{t / base:.2f}" if t is not None and tool != "dealstat" else "",
                         "cpu_ratio_vs_dealstat": f"{med(e['cpu']) / base_cpu:.2f}"
                         if t is not None and e.get("cpu") and base_cpu and tool != "dealstat" else "",
                         "status": e["status"], "load_average": load_average()})
    os.makedirs(args.results_dir, exist_ok=True)
    path = os.path.join(args.results_dir, f"compare_{scale}.csv")
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    # Markdown table: one row per question; per tool time, ratio and peak memory.
    lines = [f"### {scale} deals ({n:,} deals, {ds_mem['path_entries']:,} path entries, "
             f"{csv_bytes(csv_dir) / 1e6:,.0f} MB of CSV; load average {load_average()})", "",
             "| question | " + " | ".join(tools) + " |", "|---|" + "---|" * len(tools)]
    for q in QUESTIONS:
        cells = []
        for r in rows:
            if r["question"] != q:
                continue
            if not r["median_s"]:
                cells.append(f"{r['status']} ({r['peak_rss_mb']} MB)")
                continue
            ratio = f" **{r['ratio_vs_dealstat']}×**" if r["ratio_vs_dealstat"] else ""
            cpu = f" (CPU {fmt_s(float(r['median_cpu_s']))})" if r["median_cpu_s"] else ""
            cells.append(f"{fmt_s(float(r['median_s']))}{cpu}{ratio}, {r['peak_rss_mb']} MB")
        lines.append(f"| {q} | " + " | ".join(cells) + " |")
    raw = ds_mem["raw_bytes"]
    lines += ["", f"dealstat memory: raw column bytes {raw / 1e6:,.0f} MB; resident after load "
                  f"{(ds_mem['rss_after_load_kb'] - ds_mem['rss_before_load_kb']) / 1024:,.0f} MB "
                  f"({(ds_mem['rss_after_load_kb'] - ds_mem['rss_before_load_kb']) * 1024 / raw:.2f}× raw); "
                  f"peak during load {(ds_mem['load_peak_rss_kb'] - ds_mem['rss_before_load_kb']) / 1024:,.0f} MB "
                  f"({(ds_mem['load_peak_rss_kb'] - ds_mem['rss_before_load_kb']) * 1024 / raw:.2f}× raw)."]
    table = "\n".join(lines)
    print(table, flush=True)
    with open(os.path.join(args.results_dir, f"compare_{scale}.md"), "w") as f:
        f.write(table + "\n")
    return rows


def fmt_s(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def chart(all_rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    scales = sorted({r["scale"] for r in all_rows}, key=lambda s: next(r["deals"] for r in all_rows if r["scale"] == s))
    tools = list(dict.fromkeys(r["tool"] for r in all_rows))
    fig, axes = plt.subplots(1, len(scales), figsize=(7 * len(scales), 4.5), squeeze=False)
    for ax, scale in zip(axes[0], scales):
        width = 0.8 / len(tools)
        for i, tool in enumerate(tools):
            ys, missing = [], []
            for j, q in enumerate(QUESTIONS):
                r = next(r for r in all_rows if r["scale"] == scale and r["tool"] == tool and r["question"] == q)
                ys.append(float(r["median_s"]) if r["median_s"] else float("nan"))
                if not r["median_s"]:
                    missing.append((j + i * width, r["status"]))
            bars = ax.bar([j + i * width for j in range(len(QUESTIONS))], ys, width, label=tool)
            for x, status in missing:  # no time: say why (oom, timeout, wrong answer)
                ax.text(x, 0.02, status, rotation=90, ha="center", va="bottom", fontsize=8,
                        color=bars.patches[0].get_facecolor(), transform=ax.get_xaxis_transform())
        ax.set_yscale("log")
        ax.set_xticks([j + 0.4 - width / 2 for j in range(len(QUESTIONS))], QUESTIONS)
        ax.set_ylabel("median wall time, s (log)")
        ax.set_title(f"{scale} deals")
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def scaling(all_rows, path):
    """Writes how each tool's times grow from the smallest to the largest scale on record (issue 9:
    linear or better means a ratio of times no more than the ratio of deals, with 5% of slack)."""
    by = {(r["scale"], r["tool"], r["question"]): r for r in all_rows}
    scales = sorted({(r["deals"], r["scale"]) for r in all_rows})
    if len(scales) < 2:
        return
    (n0, s0), (n1, s1) = scales[0], scales[-1]
    tools = list(dict.fromkeys(r["tool"] for r in all_rows))
    lines = [f"### Scaling from {s0} to {s1} deals ({n1 / n0:g}× the deals)", "",
             f"Ratio of median times, {s1} / {s0}: wall (CPU). Linear is {n1 / n0:g}; the target is "
             f"{n1 / n0 * 1.05:g} or less. `-`: no time at one of the scales (oom, timeout).", "",
             "| question | " + " | ".join(tools) + " |", "|---|" + "---|" * len(tools)]
    for q in QUESTIONS:
        cells = []
        for tool in tools:
            a, b = by.get((s0, tool, q)), by.get((s1, tool, q))
            if not a or not b or not a["median_s"] or not b["median_s"]:
                cells.append("-")
                continue
            wall = float(b["median_s"]) / float(a["median_s"])
            cpu = (f" ({float(b['median_cpu_s']) / float(a['median_cpu_s']):.1f})"
                   if a["median_cpu_s"] and b["median_cpu_s"] else "")
            cells.append(f"{wall:.1f}{cpu}")
        lines.append(f"| {q} | " + " | ".join(cells) + " |")
    table = "\n".join(lines)
    print(table, flush=True)
    with open(path, "w") as f:
        f.write(table + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--deals", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--check-only", action="store_true", help="check answers, report no times")
    ap.add_argument("--runs", type=int, default=5, help="runs per question (median reported)")
    ap.add_argument("--dealstat-runs", type=int, default=21,
                    help="runs per question for dealstat (at least --runs; its questions take milliseconds)")
    ap.add_argument("--load-runs", type=int, default=5,
                    help="runs of the CSV load (median reported; the first run of a process also pays for fresh pages)")
    ap.add_argument("--tools", default=",".join(PEERS))
    ap.add_argument("--timeout", type=float, default=600, help="seconds per tool and question")
    ap.add_argument("--mem-limit-gb", type=float, default=12, help="a peer above this RSS is stopped (oom)")
    ap.add_argument("--data-dir", default=os.path.join(HERE, "data"))
    ap.add_argument("--results-dir", default=os.path.join(ROOT, "bench", "results"))
    ap.add_argument("--driver", default=os.path.join(ROOT, "build", "bench", "dealstat_compare"))
    ap.add_argument("--cli", default=os.path.join(ROOT, "build", "cli", "dealstat"))
    ap.add_argument("--budget", type=float, default=120,
                    help="a question is not run again once its runs took this many seconds in all")
    ap.add_argument("--worker")
    ap.add_argument("--question")
    ap.add_argument("--csv")
    ap.add_argument("--parquet")
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.question, args.csv, args.parquet, args.runs, args.budget)
        return 0
    args.tools = [t for t in args.tools.split(",") if t]
    ok, all_rows = True, []
    for n in args.deals:
        good, rows = run_scale(n, args)
        ok &= good
        all_rows += rows or []
    if all_rows:  # the chart shows every scale with a results file, run now or before
        rows = []
        for f in sorted(os.listdir(args.results_dir)):
            if f.startswith("compare_") and f.endswith(".csv"):
                with open(os.path.join(args.results_dir, f), newline="") as fh:
                    rows += [dict(r, deals=int(r["deals"])) for r in csv.DictReader(fh)]
        chart(rows, os.path.join(args.results_dir, "compare.png"))
        scaling(rows, os.path.join(args.results_dir, "compare_scaling.md"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
