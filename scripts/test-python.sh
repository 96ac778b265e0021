#!/usr/bin/env bash
# Builds the Python package with pip in a virtual environment and runs its
# pytest suite, notebooks included (nbclient).
#   bash scripts/test-python.sh            (from anywhere; creates .venv if missing)
# PYTHON picks the interpreter (default python3); DEALSTAT_JOBS the build jobs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
py=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv with $($py --version)"
  "$py" -m venv .venv
fi
export CMAKE_BUILD_PARALLEL_LEVEL=${DEALSTAT_JOBS:-2}
echo "== pip install .[test]"
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q ".[test]"
echo "== pytest"
# Run from tests/ so that `import dealstat` is the installed package, not the source folder.
cd tests/python
../../.venv/bin/python -m pytest -c "$root/pyproject.toml" --rootdir "$root" -q "$root/tests/python" "$@"
