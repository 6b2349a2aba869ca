#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# regress.sh: the full regression behind `make test`.
# EXTRA_SEEDS=N (default 15) reruns the scenarios with N more seeds.
# Runs every step even after a failure, then prints one summary line
# `regression: N passed, N failed` (steps) and exits 1 if any step failed.
# Every step prints its own details; seeds are printed by the test runners.
set -uo pipefail
cd "$(dirname "$0")/.."

MAKE=${MAKE:-make}
TEST_CONFIGS=$($MAKE -s --no-print-directory print-test-configs)
passed=0
failed=0
failures=()
log_dir=sim/out/regress
mkdir -p "$log_dir"

step() {   # step NAME COMMAND...
  local name=$1; shift
  local t0=$SECONDS
  echo "=== $name"
  if "$@"; then
    passed=$((passed + 1))
    echo "=== $name: ok ($((SECONDS - t0)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "=== $name: FAILED ($((SECONDS - t0)) s)"
  fi
}

step_done() {   # step_done NAME RC SECONDS LOG: report a step that ran in the background
  echo "=== $1"
  cat "$4"
  if [ "$2" -eq 0 ]; then
    passed=$((passed + 1))
    echo "=== $1: ok ($3 s for the pair)"
  else
    failed=$((failed + 1))
    failures+=("$1")
    echo "=== $1: FAILED ($3 s for the pair)"
  fi
}

step_pair() {  # step_pair NAME1 CMD1 NAME2 CMD2: two steps at once (the machine has two cores)
  local t0=$SECONDS p r1 r2
  bash -c "$2" > "$log_dir/pair_1.log" 2>&1 &
  p=$!
  bash -c "$4" > "$log_dir/pair_2.log" 2>&1
  r2=$?
  wait "$p"
  r1=$?
  step_done "$1" "$r1" "$((SECONDS - t0))" "$log_dir/pair_1.log"
  step_done "$3" "$r2" "$((SECONDS - t0))" "$log_dir/pair_2.log"
}

# Packages first: nothing else can run without them.
if ! $MAKE -s --no-print-directory deps deps-lint; then
  echo "regression: 0 passed, 1 failed"
  exit 1
fi

step "regs-check" $MAKE -s --no-print-directory regs-check
# lint and formal are single-threaded and long: run them side by side.
step_pair "lint" "$MAKE -s --no-print-directory lint" "formal" "$MAKE -s --no-print-directory formal"
step "fpga-check" $MAKE -s --no-print-directory fpga-check
step "build default" $MAKE -s --no-print-directory -j2 CFG=default build
for bin in sim/out/default/test_*; do
  step "unit $(basename "$bin")" env CK_FORK=yes "$bin"
done
# Functional coverage counts of the default scenarios (tb/fcov.c), checked by make fcov-check
# after the stream configuration's stream.lua added its counts.
rm -rf "$log_dir/fcov/fcov" && mkdir -p "$log_dir/fcov/fcov"
for sc in sim/scenarios/*.lua; do
  step "scenario $(basename "$sc" .lua)" env FERRY_FCOV_DIR="$PWD/$log_dir/fcov/fcov" sim/out/default/ferry_lua "$sc"
done
step "bench smoke" bash -c 'rm -f sim/out/regress/bench_smoke.csv && BENCH=smoke BENCH_CSV=sim/out/regress/bench_smoke.csv sim/out/default/ferry_bench && BENCH=smoke BENCH_PART=dq BENCH_CSV=sim/out/regress/bench_smoke.csv sim/out/default/ferry_bench'
# More seeds: every scenario again under other random latency/backpressure.
# Two seeds at a time (the machine has two cores; each run is one process).
extra_seeds() {
  local base=${SEED:-1} s rc=0 pid
  for s in $(seq $((base + 1)) 2 $((base + ${EXTRA_SEEDS:-15}))); do
    pid=
    rm -f "$log_dir/seed_$((s + 1)).log"
    if [ $((s + 1)) -le $((base + ${EXTRA_SEEDS:-15})) ]; then
      SEED=$((s + 1)) sim/out/default/ferry_lua sim/scenarios/*.lua > "$log_dir/seed_$((s + 1)).log" 2>&1 &
      pid=$!
    fi
    SEED=$s sim/out/default/ferry_lua sim/scenarios/*.lua > "$log_dir/seed_$s.log" 2>&1 || rc=1
    if [ -n "$pid" ]; then
      wait "$pid" || rc=1
    fi
    for f in "$log_dir/seed_$s.log" "$log_dir/seed_$((s + 1)).log"; do
      [ -f "$f" ] || continue
      grep -E '^(FAIL|rerun)' "$f"
      tail -n 1 "$f" | sed "s/^/$(basename "$f" .log): /"
    done
  done
  return $rc
}

# One configuration's scenarios, one process per file, two at a time (the
# machine has two cores), the longest files first so the two stay balanced.
scenarios_2way() {
  local bin=$1 f rc=0 files=() heavy="arbiter demo b2b recovery"
  for f in $heavy; do files+=("sim/scenarios/$f.lua"); done
  for f in sim/scenarios/*.lua; do
    case " $heavy " in *" $(basename "$f" .lua) "*) ;; *) files+=("$f") ;; esac
  done
  rm -f "$log_dir"/scen_*.log
  printf '%s\n' "${files[@]}" | xargs -P 2 -I{} sh -c \
    '"$1" "$2" > "$3/scen_$(basename "$2" .lua).log" 2>&1' _ "$bin" {} "$log_dir" || rc=1
  for f in "${files[@]}"; do cat "$log_dir/scen_$(basename "$f" .lua).log"; done
  return $rc
}
step "scenarios, ${EXTRA_SEEDS:-15} more seeds" extra_seeds
step "soak: failing-seed self test, 2 short soak seeds" $MAKE -s --no-print-directory soak-check
step "wake check self test: a mutant wake must stop the dw32 model" $MAKE -s --no-print-directory wake-selftest
step "fuzz: replay seeds and saved findings, 30 s of libFuzzer with seed 1" $MAKE -s --no-print-directory fuzz-check
for cfg in $TEST_CONFIGS; do
  step "build $cfg" $MAKE -s --no-print-directory -j2 CFG="$cfg" build
  for t in test_regmap test_driver; do
    step "unit $t ($cfg)" env CK_FORK=yes "sim/out/$cfg/$t"
  done
  step "scenarios ($cfg)" scenarios_2way "sim/out/$cfg/ferry_lua"
done

# Stream channels (issue 8): CFG=stream has channel 1 host-to-card and 2
# card-to-host; only stream.lua runs there (the memory scenarios take every
# channel as a memory channel). Elsewhere stream.lua says SKIP.
step "build stream" $MAKE -s --no-print-directory -j2 CFG=stream build
for t in test_regmap test_driver; do
  step "unit $t (stream)" env CK_FORK=yes "sim/out/stream/$t"
done
step "scenario stream (stream)" env FERRY_FCOV_DIR="$PWD/$log_dir/fcov/fcov" sim/out/stream/ferry_lua sim/scenarios/stream.lua
# Functional coverage: the counts of the default scenarios and of stream.lua on CFG=stream.
step "functional coverage" $MAKE -s --no-print-directory fcov-check
stream_seeds() {
  local base=${SEED:-1} s rc=0
  for s in $(seq $((base + 1)) $((base + ${EXTRA_SEEDS:-15}))); do
    SEED=$s sim/out/stream/ferry_lua sim/scenarios/stream.lua > "$log_dir/stream_seed_$s.log" 2>&1 || rc=1
    grep -E '^(FAIL|rerun)' "$log_dir/stream_seed_$s.log"
    tail -n 1 "$log_dir/stream_seed_$s.log" | sed "s/^/stream seed $s: /"
  done
  return $rc
}
step "scenario stream (stream), ${EXTRA_SEEDS:-15} more seeds" stream_seeds
step "stream-unit: Icarus loopback bench of the stream RTL" $MAKE -s --no-print-directory stream-unit

echo
if [ "$failed" -ne 0 ]; then
  printf 'failed step: %s\n' "${failures[@]}"
fi
echo "regression: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
