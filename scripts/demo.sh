#!/usr/bin/env bash
# Sets up everything and runs the main job on the built-in sample data:
# installs the Debian packages, builds the dealstat command, and prints what
# the sample account holds and its reports: the funnel, time in stage,
# movement by month, the employees report and the 30-day forecast with its
# backtest.
# usage: bash scripts/demo.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DDEALSTAT_BUILD_TESTS=OFF -DDEALSTAT_BUILD_BENCH=OFF >/dev/null
cmake --build build -j"${DEALSTAT_JOBS:-2}" --target dealstat_cli
dealstat=build/cli/dealstat
# The built-in sample account (20000 deals, seed 42); each report as a readable table.
show() {
  echo
  echo "=== dealstat $*"
  "$dealstat" "$@"
}
show info
show funnel
show stage-time
show movement --bucket month --from 2024-07-01 --to 2025-01-01 --tables movement_totals,movement_entries
show employees
show forecast --horizon-days 30 --tables forecast_summary,forecast,forecast_stages,backtest_scores
