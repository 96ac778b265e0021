#!/bin/sh
# End-to-end checks of the dealstat command, one case per call:
#   run_cli_tests.sh <path to dealstat> <case> <scratch dir>
#   (mapped_export also takes the repository's tests/data/mapping directory)
# Cases: version, sample_then_validate, info_formats, bad_file, bad_options,
# amocrm_export, missing_directory, mapped_export. Prints what failed and exits 1.
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

  *)
    echo "unknown case $CASE"
    exit 1
    ;;
esac

[ "$FAILED" -eq 0 ] && echo "ok [$CASE]"
exit "$FAILED"
