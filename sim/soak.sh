#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# soak.sh: runs sim/scenarios/soak.lua with SEEDS fresh seeds, never stops at
# a failure, and prints a summary: seeds, failures with their rerun lines,
# transfers (descriptors and direct copies) and bytes checked, and both per
# minute.
#
#   sim/soak.sh                       # behind `make soak`
#   SEEDS=N      seeds to run (default 20)
#   SOAK_SEED=S  first seed (default: from the clock, printed); seeds S..S+N-1
#   SOAK_N=K     transfers per test (default 200 here; soak.lua's own default is 20)
#   SOAK_MAXLOG  largest transfer as log2 bytes (default 20 = 1 MiB)
#   SOAK_BYTES   bytes a test moves at most (default 0 here = no limit)
#   CFG=name     build configuration (default default)
#   FERRY_LUA    the runner (default sim/out/$CFG/ferry_lua)
#
#   sim/soak.sh --selftest            # the failing-seed path: a scenario that
#       fails must be rerun with waves, and its FST and gtkwave line printed
#
# Exit status 1 if any test failed.
set -uo pipefail
cd "$(dirname "$0")/.."

CFG=${CFG:-default}
LUA_BIN=${FERRY_LUA:-sim/out/$CFG/ferry_lua}
if [ ! -x "$LUA_BIN" ]; then
  echo "soak: $LUA_BIN not found: run 'make build CFG=$CFG' first" >&2
  exit 2
fi

# ---- self test of the failing-seed path (item 8 of issue 4)
if [ "${1:-}" = "--selftest" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  cat > "$tmp/soak_selftest_fail.lua" <<'EOF'
-- fails on purpose: the runner must rerun it with waves on
return {
  { name = "boom", fn = function(t)
      t:mem_fill(0x1000, 100, 7)
      t:expect_eq(t:copy(0, 0x1000, 0x9000, 100), "OK", "copy")
      error("deliberate failure")
  end },
  { name = "stray_byte", fn = function(t)
      t:mem_fill(0x1000, 100, 7)
      t:expect_eq(t:copy(0, 0x1000, 0x9000, 100), "OK", "copy")
      t:shadow_write(0x9010, "\0", "a deliberately wrong expectation")
  end },
}
EOF
  out=$(env -u WAVES SEED=3 "$LUA_BIN" "$tmp/soak_selftest_fail.lua" 2>&1)
  rc=$?
  echo "$out" | sed 's/^/  | /'
  ok=1
  [ $rc -eq 1 ] || { echo "soak selftest: exit status $rc, expected 1"; ok=0; }
  for test in boom stray_byte; do
    fst=$(echo "$out" | sed -n "s|^    waves: \(.*soak_selftest_fail_$test\.fst\)$|\1|p")
    if [ -z "$fst" ]; then
      echo "soak selftest: no 'waves:' line for $test"; ok=0; continue
    fi
    [ -s "$fst" ] || { echo "soak selftest: $fst does not exist or is empty"; ok=0; }
    echo "$out" | grep -qxF "    view: gtkwave $fst sim/ferry.gtkw" \
      || { echo "soak selftest: no 'view: gtkwave $fst sim/ferry.gtkw' line for $test"; ok=0; }
    rm -f "$fst"
  done
  echo "$out" | grep -q "^FAIL soak_selftest_fail/stray_byte (seed=3, profile=[a-z]*): scoreboard: 1 byte(s) in 1 run(s) .* first at 0x9010: found 0x[0-9A-F]*, expected 0x00; the bus wrote this page; last expected writer: a deliberately wrong expectation" \
    || { echo "soak selftest: the scoreboard message for stray_byte is not as expected"; ok=0; }
  echo "$out" | grep -q "^    rerun with WAVES=1: failed again" \
    || { echo "soak selftest: no 'rerun with WAVES=1: failed again' line"; ok=0; }
  if [ $ok -eq 1 ]; then
    echo "soak selftest: ok (failing tests rerun with waves; FSTs exist; gtkwave lines; scoreboard message)"
    exit 0
  fi
  exit 1
fi

SEEDS=${SEEDS:-20}
SOAK_SEED=${SOAK_SEED:-$(( $(date +%s) % 1000000000 ))}
export SOAK_N=${SOAK_N:-200}
export SOAK_MAXLOG=${SOAK_MAXLOG:-20}
export SOAK_BYTES=${SOAK_BYTES:-0}
log_dir=sim/out/soak
mkdir -p "$log_dir"

echo "soak: $SEEDS seeds from $SOAK_SEED, SOAK_N=$SOAK_N transfers per test, sizes up to 2^$SOAK_MAXLOG bytes," \
     "SOAK_BYTES=$SOAK_BYTES (0: no limit), CFG=$CFG"
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
start=$(now)
tests=0 fails=0 xfers=0 bytes=0 pages=0 cpu=0
failures=()
for i in $(seq 0 $((SEEDS - 1))); do
  s=$((SOAK_SEED + i))
  log=$log_dir/seed_$s.log
  t0=$(now)
  TIMEFORMAT='%U %S'
  { time env -u WAVES SEED=$s "$LUA_BIN" sim/scenarios/soak.lua > "$log" 2>&1; } 2> "$log.time"
  read -r u sy < "$log.time"
  cpu=$(awk -v a="$cpu" -v b="$u" -v c="$sy" 'BEGIN { print a + b + c }')
  # PASS soak/x (seed=N, cycles=M) [scoreboard: P pages, T transfers, B bytes moved...]
  while read -r p x b; do
    pages=$((pages + p)); xfers=$((xfers + x)); bytes=$((bytes + b))
  done < <(sed -n 's/^PASS .*\[scoreboard: \([0-9]*\) pages, \([0-9]*\) transfers, \([0-9]*\) bytes moved.*/\1 \2 \3/p' "$log")
  np=$(grep -c '^PASS ' "$log")
  nf=$(grep -c '^FAIL ' "$log")
  tests=$((tests + np + nf))
  fails=$((fails + nf))
  while IFS= read -r line; do
    failures+=("$line")
  done < <(grep -E '^(FAIL |    rerun: |    view: )' "$log" \
             | sed "s|^    rerun: |    rerun: SOAK_N=$SOAK_N SOAK_MAXLOG=$SOAK_MAXLOG SOAK_BYTES=$SOAK_BYTES |" | cut -c1-400)
  echo "seed $s: $np passed, $nf failed ($(since "$t0") s)"
done
wall=$(since "$start")

echo
echo "soak summary"
echo "  seeds:     $SEEDS ($SOAK_SEED..$((SOAK_SEED + SEEDS - 1))), $tests tests, $fails failed"
if [ "$fails" -ne 0 ]; then
  echo "  failures:"
  printf '    %s\n' "${failures[@]}"
fi
echo "  checked:   $xfers transfers (descriptors and direct copies, by the reference model), $bytes bytes moved," \
     "$((pages * 4096)) bytes compared by the scoreboard (passing tests)"
awk -v x="$xfers" -v b="$bytes" -v w="$wall" -v c="$cpu" 'BEGIN {
  printf "  time:      %.1f s wall, %.1f s CPU\n", w, c
  if (w > 0) printf "  per minute (wall): %.0f transfers, %.1f MiB moved\n", 60 * x / w, 60 * b / w / 1048576
  if (c > 0) printf "  per minute (CPU):  %.0f transfers, %.1f MiB moved\n", 60 * x / c, 60 * b / c / 1048576
}'
echo "  logs:      $log_dir/seed_<seed>.log"
[ "$fails" -eq 0 ]
