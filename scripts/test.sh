#!/usr/bin/env bash
# Sets up everything and runs every test: installs the Debian packages, builds
# with warnings as errors, runs the C++ test suite (ctest), then rebuilds with
# AddressSanitizer + UndefinedBehaviorSanitizer and runs the C++ tests again,
# then builds the Python package with pip and runs its tests (scripts/test-python.sh).
# usage: bash scripts/test.sh            (from anywhere)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh
jobs=${DEALSTAT_JOBS:-2}

echo "== build (Release, -Werror)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DDEALSTAT_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
echo "== C++ tests"
ctest --test-dir build -j"$jobs" --output-on-failure

if [ "${DEALSTAT_SKIP_SANITIZERS:-0}" != "1" ]; then
  echo "== build with ASan + UBSan"
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DDEALSTAT_SANITIZE=ON -DDEALSTAT_WERROR=ON \
        -DDEALSTAT_BUILD_BENCH=OFF >/dev/null
  cmake --build build-asan -j"$jobs"
  echo "== C++ tests under ASan + UBSan"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan -j"$jobs" --output-on-failure
fi
if [ "${DEALSTAT_SKIP_PYTHON:-0}" != "1" ]; then
  echo "== Python package (pip install in .venv, pytest incl. notebooks)"
  bash scripts/test-python.sh
  echo "== C ABI Arrow stream read back by pyarrow (needs the .venv made above)"
  cmake -S . -B build -DDEALSTAT_PYTHON="$root/.venv/bin/python" >/dev/null
  ctest --test-dir build -R 'c\.arrow_pyarrow_consumer' --no-tests=error --output-on-failure
fi
echo "all tests passed"
