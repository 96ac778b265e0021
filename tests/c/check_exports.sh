#!/usr/bin/env bash
# Checks that a shared library exports only dealstat_* symbols (nm -D), and
# that it does export the C ABI. Usage: check_exports.sh path/to/libdealstat_c.so
set -euo pipefail
lib="$1"
symbols=$(nm -D --defined-only "$lib" | awk 'NF >= 3 {print $3}')
others=$(grep -v '^dealstat_' <<<"$symbols" || true)
if [[ -n "$others" ]]; then
  echo "symbols other than dealstat_* are exported from $lib:" >&2
  printf '%s\n' "$others" | head -50 >&2
  exit 1
fi
for required in dealstat_version_number dealstat_funnel dealstat_result_export_arrow dealstat_last_error_message; do
  if ! grep -qx "$required" <<<"$symbols"; then  # a here-string: no SIGPIPE for pipefail to catch
    echo "$required is not exported from $lib" >&2
    exit 1
  fi
done
echo "$(wc -l <<<"$symbols") symbols exported, all dealstat_*"
