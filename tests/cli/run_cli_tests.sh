#!/bin/sh
# End-to-end checks of the dealstat command, one case per call:
#   run_cli_tests.sh <path to dealstat> <case> <scratch dir>
#   (mapped_export also takes the repository's tests/data/mapping directory)
# Cases: version, sample_then_validate, info_formats, bad_file, bad_options,
# amocrm_export, missing_directory, mapped_export, and per report command
# (funnel, stage_time, movement, summary, employees, events, unsorted,
# forecast) its output in the three formats and its bad options.
# Prints what failed and exits 1.
set -u
BIN=$1
CASE=$2
WORK=$3
rm -rf "$WORK"
mkdir -p "$WORK"
OUT="$WORK/stdout"
ERR="$WORK/stderr"
FAILED=0

# fail MESSAGE: records a failure and shows the last command's output.
fail() {
  echo "FAIL [$CASE]: $1"
  echo "--- stdout:"; head -c 2000 "$OUT"
  echo "--- stderr:"; head -c 2000 "$ERR"
  FAILED=1
}

# run ARGS...: runs dealstat, keeping stdout, stderr and the exit status in $STATUS.
run() {
  "$BIN" "$@" >"$OUT" 2>"$ERR"
  STATUS=$?
}

# expect_status N: the last run exited with N.
expect_status() {
  [ "$STATUS" -eq "$1" ] || fail "expected exit status $1, got $STATUS"
}

# expect_out TEXT / expect_err TEXT: stdout / stderr contains TEXT (fixed string).
expect_out() { grep -qF -- "$1" "$OUT" || fail "stdout lacks: $1"; }
expect_err() { grep -qF -- "$1" "$ERR" || fail "stderr lacks: $1"; }

# expect_one_err_line: stderr is exactly one line.
expect_one_err_line() {
  n=$(wc -l <"$ERR" | tr -d ' ')
  [ "$n" = 1 ] || fail "expected one line on stderr, got $n"
}

# Sample size of the report cases: small enough to run in a second or two.
SAMPLE="--sample-deals 2000 --seed 5"

# expect_json: stdout is valid JSON.
expect_json() { python3 -m json.tool "$OUT" >/dev/null 2>&1 || fail "output is not valid JSON"; }

# expect_json_tables NAME...: stdout is a JSON object with (at least) these tables, each a list.
expect_json_tables() {
  python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
missing = [n for n in sys.argv[2:] if not isinstance(t.get(n), list)]
sys.exit(1 if missing else 0)
' "$OUT" "$@" || fail "JSON lacks tables: $*"
}

# report_formats COMMAND TABLE... -- ARGS...: the command prints as a table (first TABLE's title), as CSV
# (a "# table:" line per table when there are several) and as valid JSON with every TABLE, on the small sample with ARGS.
report_formats() {
  cmd=$1
  shift
  tables=""
  while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do tables="$tables $1"; shift; done
  [ "$#" -gt 0 ] && shift
  first=${tables# }
  first=${first%% *}
  # shellcheck disable=SC2086
  run "$cmd" $SAMPLE "$@"
  expect_status 0
  expect_out "$first"
  # shellcheck disable=SC2086
  run "$cmd" $SAMPLE --format csv "$@"
  expect_status 0
  # With one table the CSV is a plain file; with more, each starts with a "# table:" line.
  if [ "$first" != "${tables# }" ]; then
    for t in $tables; do expect_out "# table: $t"; done
  fi
  # shellcheck disable=SC2086
  run "$cmd" $SAMPLE --format json "$@"
  expect_status 0
  expect_json
  # shellcheck disable=SC2086
  expect_json_tables $tables
}

# bad_option FLAG ARGS...: dealstat ARGS exits 2 with one line on stderr that names FLAG.
bad_option() {
  flag=$1
  shift
  run "$@"
  expect_status 2
  expect_err "$flag"
  expect_one_err_line
}

case "$CASE" in
  version)
    run --version
    expect_status 0
    expect_out "dealstat 0."
    ;;

  sample_then_validate)
    run sample --deals 300 --seed 7 --out "$WORK/sample"
    expect_status 0
    expect_out "wrote 300 deals"
    [ -f "$WORK/sample/deals.csv" ] || fail "sample wrote no deals.csv"
    run validate --data "$WORK/sample"
    expect_status 0
    expect_out "0 problems"
    # The built-in sample itself validates too.
    run validate --sample-deals 200 --seed 3
    expect_status 0
    expect_out "0 problems"
    ;;

  info_formats)
    run sample --deals 250 --seed 11 --out "$WORK/sample"
    expect_status 0
    run info --data "$WORK/sample" --format json
    expect_status 0
    python3 -m json.tool "$OUT" >/dev/null 2>&1 || fail "info --format json is not valid JSON"
    deals=$(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
print(next(r["count"] for r in t["counts"] if r["entity"] == "deals"))
print(sum(r["deals"] for r in t["pipelines"]) <= 250 and len(t["stages"]) > 0)
' "$OUT" 2>&1 | tr '\n' ' ')
    [ "$deals" = "250 True " ] || fail "info json: deal count / stages wrong: $deals"
    run info --data "$WORK/sample"
    expect_status 0
    expect_out "counts"
    expect_out "deal_span"
    run info --sample-deals 150 --format csv
    expect_status 0
    expect_out "# table: counts"
    expect_out "deals,150"
    ;;

  bad_file)
    d="$WORK/bad"
    mkdir -p "$d"
    printf 'id,name\n1,Sales\n' >"$d/pipelines.csv"
    printf 'pipeline_id,id,name,sort,kind\n1,10,New,10,open\n1,142,Won,10000,won\n1,143,Lost,10001,lost\n' \
      >"$d/stages.csv"
    printf 'id,pipeline_id,stage_id,created_at,closed_at,budget\n1,1,10,1700000000,,100.50\n2,1,10,1700000100,,abc\n' \
      >"$d/deals.csv"
    run validate --data "$d"
    expect_status 1
    grep -q '^deals\.csv:3:budget: .*(value "abc")$' "$OUT" || fail "validate did not name deals.csv:3:budget"
    expect_out "1 problem"
    # A report loads strictly: the first problem stops it, one line on stderr.
    run info --data "$d"
    expect_status 1
    expect_err "deals.csv:3:budget"
    expect_one_err_line
    # Lenient reports go on without the bad record.
    run info --data "$d" --lenient --format csv
    expect_status 0
    expect_err "1 bad records left out"
    ;;

  bad_options)
    run info --format xml
    expect_status 2
    expect_err "--format"
    expect_err "xml"
    expect_one_err_line
    run info --no-such-option
    expect_status 2
    expect_err "--no-such-option"
    run info --strict --lenient
    expect_status 2
    expect_err "--lenient"
    run info --mapping m.json
    expect_status 2
    expect_err "--mapping"
    run info --data somewhere --sample-deals 10
    expect_status 2
    expect_err "--sample-deals"
    run sample --deals 0 --out "$WORK/x"
    expect_status 2
    expect_err "--deals"
    run sample --deals 10
    expect_status 2
    expect_err "--out"
    run
    expect_status 2
    run frobnicate
    expect_status 2
    ;;

  amocrm_export)
    A=$4
    run validate --amocrm "$A/../amocrm/basic"
    expect_status 0
    run info --amocrm "$A/../amocrm/basic" --format json
    expect_status 0
    ;;

  missing_directory)
    run validate --data "$WORK/does-not-exist"
    expect_status 1
    expect_err "does-not-exist"
    expect_one_err_line
    ;;

  mapped_export)
    M=$4
    run validate --data "$M/snapshot_good" --mapping "$M/snapshot.json"
    expect_status 0
    expect_out "0 problems"
    run info --data "$M/snapshot_good" --mapping "$M/snapshot.json" --format csv
    expect_status 0
    expect_out "deals,4"
    run validate --data "$M/snapshot_bad" --mapping "$M/snapshot.json"
    expect_status 1
    grep -q '^deals\.csv:3:engaged: ' "$OUT" || fail "validate did not name deals.csv:3:engaged"
    expect_out "2 problems"
    ;;

  funnel)
    report_formats funnel funnel funnel_summary --
    report_formats funnel funnel funnel_summary -- --skip strict --value budget --status closed \
      --date-basis created --from 2023-03-01 --to 2024-07-01 --as-of 2024-07-01
    # Under implied and strict, reached never grows down the funnel; the first open stage is 100%.
    run funnel $SAMPLE --format json --skip strict
    python3 -c '
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["funnel"] if r["kind"] != "unsorted"]
reached = [r["reached"] for r in rows]
assert reached == sorted(reached, reverse=True), reached
assert abs(rows[0]["conversion_from_first_pct"] - 100) < 1e-9
' "$OUT" || fail "funnel --skip strict: reached grows down the funnel"
    # The pipeline by name, users by name, tags and channels.
    run info $SAMPLE --format json
    pipe=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pipelines"][0]["pipeline"])' "$OUT")
    report_formats funnel funnel funnel_summary -- --pipeline "$pipe" --channels mail,forms --tags x,y
    bad_option "--skip" funnel $SAMPLE --skip sometimes
    bad_option "--value" funnel $SAMPLE --value weight
    bad_option "--status" funnel $SAMPLE --status open
    bad_option "--date-basis" funnel $SAMPLE --date-basis modified
    bad_option "--pipeline" funnel $SAMPLE --pipeline "No such pipeline"
    bad_option "--users" funnel $SAMPLE --users "Nobody Here"
    bad_option "--users" funnel $SAMPLE --users 999999999
    bad_option "--groups" funnel $SAMPLE --groups "No group"
    bad_option "--from" funnel $SAMPLE --from 2024-13-01
    bad_option "--to" funnel $SAMPLE --from 2024-03-01 --to 2024-02-01
    bad_option "--as-of" funnel $SAMPLE --as-of yesterday
    ;;

  stage_time)
    report_formats stage-time stage_time stage_time_summary --
    run stage-time $SAMPLE --format json --status active
    expect_status 0
    python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))["stage_time"]
total = sum(r["share_pct"] for r in rows if r["share_pct"] is not None)
assert abs(total - 100) < 1e-6, total
' "$OUT" || fail "stage-time: shares do not sum to 100%"
    bad_option "--status" stage-time $SAMPLE --status open
    bad_option "--pipeline" stage-time $SAMPLE --pipeline 424242
    ;;

  movement)
    report_formats movement movement_totals movement_transitions movement_entries -- --bucket month
    report_formats movement movement_totals movement_transitions movement_entries -- \
      --bucket day --from 2024-03-25 --to 2024-04-02
    # --tables prints only the chosen tables, in the report's order.
    run movement $SAMPLE --format json --tables movement_entries,movement_totals
    expect_status 0
    python3 -c '
import json, sys
assert list(json.load(open(sys.argv[1]))) == ["movement_totals", "movement_entries"]
' "$OUT" || fail "movement --tables: wrong tables"
    bad_option "--tables" movement $SAMPLE --tables movement_nothing
    bad_option "--bucket" movement $SAMPLE --bucket fortnight
    bad_option "--status" movement $SAMPLE --status won
    ;;

  summary)
    report_formats summary summary_created summary_stages summary_tasks_by_user summary_info -- --bucket quarter
    bad_option "--bucket" summary $SAMPLE --bucket hour
    bad_option "--groups" summary $SAMPLE --groups "No group"
    ;;

  employees)
    report_formats employees employees employees_groups employees_team -- --from 2024-01-01 --to 2025-01-01
    bad_option "--rank-by" employees $SAMPLE --rank-by shoe_size
    bad_option "--compare" employees $SAMPLE --compare "Nobody Here"
    bad_option "--date-basis" employees $SAMPLE --date-basis created
    ;;

  unsorted)
    report_formats unsorted unsorted -- --channels mail,sip --as-of 2024-12-01
    bad_option "--to" unsorted $SAMPLE --to 2023-01-01 --from 2023-02-01
    bad_option "--users" unsorted $SAMPLE --users 1
    ;;

  events)
    report_formats events events events_page -- --limit 5
    python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
ev = t["events"]
assert len(ev) == 5, len(ev)
assert [e["at_s"] for e in ev] == sorted((e["at_s"] for e in ev), reverse=True)
' "$OUT" || fail "events: not 5 events newest first"
    # The next page follows the cursor without repeating an event.
    cursor=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["events_page"][0]["next_cursor"])' "$OUT")
    first_ids=$(python3 -c 'import json,sys; print(" ".join(e["id"] for e in json.load(open(sys.argv[1]))["events"]))' "$OUT")
    run events $SAMPLE --limit 5 --cursor "$cursor" --format json
    expect_status 0
    python3 -c '
import json, sys
ids = [e["id"] for e in json.load(open(sys.argv[1]))["events"]]
assert len(ids) == 5 and not set(ids) & set(sys.argv[2].split()), ids
' "$OUT" "$first_ids" || fail "events: second page repeats the first"
    report_formats events events events_page -- --entity lead --type lead_status_changed --from 2024-01-01 --limit 3
    bad_option "--limit" events $SAMPLE --limit 0
    bad_option "--cursor" events $SAMPLE --cursor garbage
    bad_option "--entity" events $SAMPLE --entity-id 5
    bad_option "--user" events $SAMPLE --user "Nobody Here"
    ;;

  forecast)
    report_formats forecast forecast_summary forecast -- --horizon-days 30 --as-of 2024-10-01 --no-backtest
    report_formats forecast forecast_summary forecast -- --horizon-days 14 --as-of 2024-10-01 --bucket week
    bad_option "--horizon-days" forecast $SAMPLE --horizon-days 0
    bad_option "--bucket" forecast $SAMPLE --bucket day
    bad_option "--as-of" forecast $SAMPLE --as-of 2024-10-01T10:00
    bad_option "--status" forecast $SAMPLE --status won
    ;;

  *)
    echo "unknown case $CASE"
    exit 1
    ;;
esac

[ "$FAILED" -eq 0 ] && echo "ok [$CASE]"
exit "$FAILED"
