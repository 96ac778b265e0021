#!/usr/bin/env bash
# Sets up everything and runs the main job on the built-in sample data:
# installs the Debian packages, builds the dealstat command, and prints what
# the sample account holds and its reports.
# usage: bash scripts/demo.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DDEALSTAT_BUILD_TESTS=OFF -DDEALSTAT_BUILD_BENCH=OFF >/dev/null
cmake --build build -j"${DEALSTAT_JOBS:-2}" --target dealstat_cli
dealstat=build/cli/dealstat
"$dealstat" info
