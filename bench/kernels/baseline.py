#!/usr/bin/env python3
"""Records and checks the Google Benchmark kernels' baseline (issue 9).

    bench/kernels/baseline.py build/bench/dealstat_bench --record   # write bench/results/kernels_baseline.json
    bench/kernels/baseline.py build/bench/dealstat_bench            # compare a new run with it

Each kernel is run --repetitions times; its median CPU time (the process's CPU
time over all threads, steadier than wall time on a shared machine) is
compared with the recorded one. A kernel whose time grew by more than
--threshold (default 1.25, i.e. 25%) is flagged REGRESSION; with --fail the
script then exits 1. Kernels missing on either side are listed, not flagged.
The default --filter keeps the 1M-deal and smaller cases, so a check takes a
few minutes on 2 cores; the 10M cases are recorded in bench/results/*.md.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_BASELINE = os.path.join(ROOT, "bench", "results", "kernels_baseline.json")
# Every kernel but the 10M-deal and 50M-event cases.
DEFAULT_FILTER = "-.*(10000000|50000000).*"


def run_kernels(binary, bench_filter, repetitions, min_time):
    """Runs the benchmark binary and returns {name: {"cpu_ns", "real_ns"}} from its median aggregates."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        out_path = out.name
    cmd = [binary, f"--benchmark_filter={bench_filter}", f"--benchmark_repetitions={repetitions}",
           "--benchmark_report_aggregates_only=true", f"--benchmark_out={out_path}",
           "--benchmark_out_format=json"]
    if min_time:
        cmd.append(f"--benchmark_min_time={min_time}")
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(out_path) as f:
        data = json.load(f)
    os.unlink(out_path)
    scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
    kernels = {}
    for b in data["benchmarks"]:
        if b.get("error_occurred") or b.get("skipped"):
            continue
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        name = b.get("run_name", b["name"])
        unit = scale[b.get("time_unit", "ns")]
        kernels[name] = {"cpu_ns": b["cpu_time"] * unit, "real_ns": b["real_time"] * unit}
    return kernels, data.get("context", {})


def machine():
    """The facts that make two baselines comparable: cores, CPU model, load at the time."""
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    return {"cores": os.cpu_count(), "cpu": model, "system": platform.platform(),
            "load_average": os.getloadavg(), "recorded": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "commit": commit}


def compare(baseline, now, threshold, all_names):
    """Prints one row per kernel (baseline, now, ratio) and returns the names that regressed.
    all_names: also list the baseline's kernels that did not run (the run used the recorded filter)."""
    regressed = []
    width = max([len(n) for n in list(baseline) + list(now)] + [6])
    print(f"{'kernel':<{width}}  {'baseline cpu':>13}  {'now cpu':>13}  {'ratio':>6}")
    for name in sorted(set(baseline) | set(now) if all_names else set(now)):
        b, n = baseline.get(name), now.get(name)
        if b is None or n is None:
            print(f"{name:<{width}}  {'-' if b is None else ms(b['cpu_ns']):>13}  "
                  f"{'-' if n is None else ms(n['cpu_ns']):>13}  {'':>6}  {'new' if b is None else 'missing'}")
            continue
        ratio = n["cpu_ns"] / b["cpu_ns"] if b["cpu_ns"] > 0 else float("inf")
        flag = "REGRESSION" if ratio > threshold else ""
        if flag:
            regressed.append(name)
        print(f"{name:<{width}}  {ms(b['cpu_ns']):>13}  {ms(n['cpu_ns']):>13}  {ratio:>6.2f}  {flag}")
    return regressed


def ms(ns):
    """Nanoseconds as a short human string in ms."""
    return f"{ns / 1e6:.3f} ms"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary", help="the dealstat_bench executable")
    ap.add_argument("--record", action="store_true", help="write the baseline instead of comparing")
    ap.add_argument("--baseline", default=DEFAULT_BASELINE)
    ap.add_argument("--filter", default=DEFAULT_FILTER, help="Google Benchmark --benchmark_filter")
    ap.add_argument("--repetitions", type=int, default=3)
    ap.add_argument("--min-time", default="", help="Google Benchmark --benchmark_min_time (e.g. 0.2s)")
    ap.add_argument("--threshold", type=float, default=1.25, help="flag kernels slower than this ratio")
    ap.add_argument("--fail", action="store_true", help="exit 1 when a kernel regressed")
    args = ap.parse_args()
    if args.threshold <= 1.0:
        ap.error(f"--threshold must be above 1.0 (got {args.threshold})")
    if args.repetitions < 1:
        ap.error(f"--repetitions must be at least 1 (got {args.repetitions})")

    kernels, context = run_kernels(args.binary, args.filter, args.repetitions, args.min_time)
    if not kernels:
        sys.exit(f"no kernel ran with --filter {args.filter!r}")
    if args.record:
        with open(args.baseline, "w") as f:
            json.dump({"machine": machine(), "filter": args.filter, "repetitions": args.repetitions,
                       "kernels": kernels}, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"recorded {len(kernels)} kernels to {args.baseline}")
        return
    with open(args.baseline) as f:
        recorded = json.load(f)
    m = recorded.get("machine", {})
    print(f"baseline: {m.get('recorded')} at {m.get('commit')}, {m.get('cores')} cores, "
          f"load {m.get('load_average')}; now: load {os.getloadavg()}")
    regressed = compare(recorded["kernels"], kernels, args.threshold, args.filter == recorded.get("filter"))
    if regressed:
        print(f"{len(regressed)} kernel(s) slower than {args.threshold}x the baseline")
        if args.fail:
            sys.exit(1)


if __name__ == "__main__":
    main()
