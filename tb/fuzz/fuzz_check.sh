#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# fuzz_check.sh FUZZER SECONDS: the fuzzer's regress step (make fuzz-check).
# 1. replays every input of tb/fuzz/seeds and tb/fuzz/regress (saved findings
#    stay fixed); 2. fuzzes SECONDS seconds with seed 1 from the seeds into a
#    fresh corpus. Fails on any finding (the input lands in sim/out/fuzz/crashes/).
set -uo pipefail
cd "$(dirname "$0")/../.."
fuzzer=$1
seconds=${2:-30}
out=sim/out/fuzz
mkdir -p "$out/crashes"

# Known open findings (tb/fuzz/regress/KNOWN): expected to fail, avoided while fuzzing.
known=()
[ -f tb/fuzz/regress/KNOWN ] && mapfile -t known < <(sed -n 's/^\([A-Za-z0-9_.-]\+\) .*/\1/p' tb/fuzz/regress/KNOWN)
avoid=$(IFS=,; echo "${known[*]}")
is_known() { local k; for k in "${known[@]}"; do [ "$k" = "$1" ] && return 0; done; return 1; }

files=()
for f in tb/fuzz/seeds/* tb/fuzz/regress/*; do
  [ -f "$f" ] || continue
  case $(basename "$f") in *.md|KNOWN) continue ;; esac
  if is_known "$(basename "$f")"; then
    if "$fuzzer" "$f" > "$out/check-known.log" 2>&1; then
      echo "fuzz-check: known finding $(basename "$f") no longer fails: delete its line in tb/fuzz/regress/KNOWN"
    else
      echo "fuzz-check: known open finding, still failing: $(basename "$f"): $(grep -m1 -o 'FINDING.*' "$out/check-known.log" | cut -c1-100)"
    fi
    continue
  fi
  files+=("$f")
done
if ! "$fuzzer" "${files[@]}" > "$out/check-replay.log" 2>&1; then
  grep -E 'FINDING|Running:|ERROR' "$out/check-replay.log" | tail -n 5
  echo "fuzz-check: replay of tb/fuzz/seeds and tb/fuzz/regress FAILED (log $out/check-replay.log)"
  exit 1
fi
echo "fuzz-check: replayed ${#files[@]} inputs (tb/fuzz/seeds, tb/fuzz/regress): no finding"

# The checks can fail: each one broken on purpose must turn its seed into a finding.
for pair in writes:ring_copies idle:busy_end windows:windows; do
  brk=${pair%%:*} seed=tb/fuzz/seeds/${pair#*:}
  log=$out/check-break-$brk.log
  if FERRY_FUZZ_BREAK=$brk FERRY_FUZZ_STATS=1 "$fuzzer" "$seed" > "$log" 2>&1; then
    if [ "$brk" = windows ] && grep -q 'CAP1.WINDOWS 0$' "$log"; then
      echo "fuzz-check: self test '$brk': skipped, this RTL has no address windows (CAP1.WINDOWS 0)"
      continue
    fi
    echo "fuzz-check: self test FAILED: FERRY_FUZZ_BREAK=$brk on $seed found nothing (log $log)"
    exit 1
  fi
  grep -q FINDING "$log" || { echo "fuzz-check: self test '$brk' failed without a FINDING (log $log)"; exit 1; }
  echo "fuzz-check: self test: the $brk check broken on purpose fails $seed: $(grep -m1 -o 'FINDING.*' "$log" | cut -c1-110)"
done

rm -rf "$out/check-corpus" && mkdir -p "$out/check-corpus"
if ! FERRY_FUZZ_AVOID=$avoid FERRY_FUZZ_STATS=1 "$fuzzer" -seed=1 -max_total_time="$seconds" -max_len=1024 -timeout=20 \
     -rss_limit_mb=1024 -print_final_stats=1 -artifact_prefix="$out/crashes/" \
     "$out/check-corpus" tb/fuzz/seeds > "$out/check-fuzz.log" 2>&1; then
  grep -E 'FINDING|Test unit written|ERROR' "$out/check-fuzz.log" | tail -n 5
  echo "fuzz-check: fuzzing FAILED (log $out/check-fuzz.log); replay: make fuzz-replay FILE=<the crash file>"
  exit 1
fi
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/check-fuzz.log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/check-fuzz.log")
echo "fuzz-check: $seconds s with seed 1${avoid:+ (avoiding $avoid)}: $execs programs ($rate/s), no finding"
grep '^ferry_fuzz:' "$out/check-fuzz.log"
