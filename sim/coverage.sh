#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# coverage.sh: `make coverage`. Builds CFG=default with Verilator line and
# toggle coverage under sim/out/coverage/build, runs every Lua scenario
# (COV_SEEDS seeds from SEED, default 2 from 1) and every Check unit test on
# it, merges the coverage data (verilator_coverage), annotates rtl/ into
# sim/out/coverage/annotate and runs sim/coverage.lua: line and toggle
# coverage per rtl/ file, unexercised lines not waived in
# sim/coverage_waivers.txt, and the functional coverage table
# sim/out/coverage/functional.md (from tb/fcov.c's counts).
# Exit 1 if a test failed or an RTL line is unexercised without a waiver.
set -uo pipefail
cd "$(dirname "$0")/.."

MAKE=${MAKE:-make}
COV=sim/out/coverage
B=$COV/build
SEEDS=${COV_SEEDS:-2}
BASE=${SEED:-1}
t0=$SECONDS

$MAKE -s --no-print-directory -j2 coverage-build || { echo "coverage: build failed"; exit 1; }
echo "coverage: built $B ($((SECONDS - t0)) s)"

rm -rf "$COV/dat" "$COV/fcov" "$COV/annotate" "$COV/logs"
mkdir -p "$COV/dat" "$COV/fcov" "$COV/logs"
export FERRY_COV_DIR=$PWD/$COV/dat FERRY_FCOV_DIR=$PWD/$COV/fcov
unset TEST WAVES QUIET
# Registers without a reset start from 0 here (not random values) so that a
# toggle counts activity, not the random start value.
export FERRY_VL_ARGS="+verilator+rand+reset+0"

fail=0
t1=$SECONDS
# Two seeds at a time (two cores).
pids=()
for s in $(seq "$BASE" $((BASE + SEEDS - 1))); do
  ( SEED=$s "$B/ferry_lua" sim/scenarios/*.lua > "$COV/logs/scenarios_seed$s.log" 2>&1 ) &
  pids+=("$!:$s")
  if [ ${#pids[@]} -ge 2 ]; then
    p=${pids[0]}; pids=("${pids[@]:1}")
    wait "${p%%:*}" || { fail=1; echo "coverage: scenarios failed with SEED=${p##*:} ($COV/logs/scenarios_seed${p##*:}.log)"; }
  fi
done
for p in "${pids[@]}"; do
  wait "${p%%:*}" || { fail=1; echo "coverage: scenarios failed with SEED=${p##*:} ($COV/logs/scenarios_seed${p##*:}.log)"; }
done
for s in $(seq "$BASE" $((BASE + SEEDS - 1))); do
  grep -E '^FAIL' "$COV/logs/scenarios_seed$s.log"
  tail -n 1 "$COV/logs/scenarios_seed$s.log" | sed "s/^/coverage: scenarios SEED=$s: /"
done
for t in "$B"/test_*; do
  n=$(basename "$t")
  # The coverage build runs slower: give Check's per-test timeouts room.
  if ! CK_FORK=yes CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-4} "$t" > "$COV/logs/$n.log" 2>&1; then
    fail=1
    echo "coverage: unit test $n failed ($COV/logs/$n.log)"
  fi
done
echo "coverage: ran $SEEDS seeds of the scenarios and $(ls "$B"/test_* | wc -l) unit test binaries ($((SECONDS - t1)) s)"

ndat=$(find "$COV/dat" -name '*.dat' | wc -l)
if [ "$ndat" -eq 0 ]; then
  echo "coverage: no coverage data written"
  exit 1
fi
# Merge in batches (the file list may be too long for one command line).
mapfile -t dats < <(find "$COV/dat" -name '*.dat' | sort)
parts=()
for ((i = 0; i < ndat; i += 200)); do
  part=$COV/dat/part_$((i / 200)).merged
  verilator_coverage --write "$part" "${dats[@]:i:200}" || { echo "coverage: verilator_coverage --write failed"; exit 1; }
  parts+=("$part")
done
verilator_coverage --write "$COV/coverage.dat" "${parts[@]}" \
  || { echo "coverage: verilator_coverage --write failed"; exit 1; }
verilator_coverage --annotate "$COV/annotate" --annotate-min 1 "$COV/coverage.dat" > "$COV/logs/annotate.log" \
  || { echo "coverage: verilator_coverage --annotate failed"; exit 1; }
echo "coverage: merged $ndat coverage files into $COV/coverage.dat, annotated rtl/ into $COV/annotate/"

lua5.4 sim/coverage.lua "$COV" || fail=1
echo "coverage: total $((SECONDS - t0)) s"
exit $fail
