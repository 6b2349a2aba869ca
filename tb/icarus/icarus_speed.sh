#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# icarus_speed.sh: simulated cycles per second of the same 1 MiB direct-mode
# copy under Icarus Verilog (tb/icarus/ferry_icarus_tb.v) and under the
# Verilated model with the full C harness (tb/icarus/verilator_speed.lua),
# and their ratio. Run by `make icarus-speed` (FAST=1: against the fast model).
#
#   icarus_speed.sh OUT_DIR FERRY_LUA [LEN]
#
# Times are process CPU time (user + sys), not wall-clock time, so other jobs
# on the machine skew them less. Icarus: the cycles and CPU time of a copy of
# LEN bytes (default 1 MiB) less those of a 64-byte copy (start-up, reset and
# register writes); the memory fill and check loops of the LEN run stay in
# (under 1% at 1 MiB). Verilator: doorbell to interrupt, timed inside the run.
# Exit status 1 if either copy fails its data check.
set -euo pipefail
cd "$(dirname "$0")/../.."

out=${1:?usage: icarus_speed.sh OUT_DIR FERRY_LUA [LEN]}
lua_bin=${2:?usage: icarus_speed.sh OUT_DIR FERRY_LUA [LEN]}
len=${3:-1048576}
mkdir -p "$out"
vvp_file=$out/ferry_icarus_tb.vvp

iverilog -g2005 -Wall -Irtl -Itb/icarus -s ferry_icarus_tb -o "$vvp_file" tb/icarus/ferry_icarus_tb.v rtl/*.v 2> "$out/iverilog.log"
if [ -s "$out/iverilog.log" ]; then
  cat "$out/iverilog.log"
  echo "icarus-speed: iverilog -g2005 is not clean"
  exit 1
fi

# run_icarus LEN: runs the bench; sets cyc (total cycles) and cpu (seconds)
run_icarus() {
  local log=$out/icarus_$1.log t
  TIMEFORMAT='%U %S'
  t=$( { time vvp -n "$vvp_file" "+len=$1" > "$log"; } 2>&1 )
  cat "$log"
  if ! grep -q '^icarus: PASS' "$log"; then
    echo "icarus-speed: the Icarus copy of $1 bytes failed (log: $log)"
    exit 1
  fi
  cyc=$(sed -n 's/.* \([0-9]*\) cycles in all/\1/p' "$log")
  cpu=$(awk '{print $1 + $2}' <<< "$t")
}

echo "Icarus Verilog ($(iverilog -V 2>&1 | head -n 1 | sed 's/ (.*//')), ferry_top default parameters:"
run_icarus 64
cyc0=$cyc cpu0=$cpu
run_icarus "$len"
icarus_cps=$(awk -v c="$((cyc - cyc0))" -v s="$cpu" -v s0="$cpu0" 'BEGIN { printf "%.0f", c / (s - s0) }')
echo "icarus: $((cyc - cyc0)) cycles in $(awk -v s="$cpu" -v s0="$cpu0" 'BEGIN { printf "%.2f", s - s0 }') s CPU = $icarus_cps cycles/s"

echo "Verilator ($lua_bin), full C harness, QUIET=1:"
vlog=$out/verilator.log
if ! QUIET=1 SPEED_LEN=$len TEST=copy_1MiB "$lua_bin" tb/icarus/verilator_speed.lua > "$vlog" 2>&1; then
  cat "$vlog"
  echo "icarus-speed: the Verilator copy failed"
  exit 1
fi
cat "$vlog"
vl_cps=$(sed -n 's/^speed: \([0-9]*\) cycles in \([0-9.]*\) s.*/\1 \2/p' "$vlog" | awk '{ printf "%.0f", $1 / $2 }')
awk -v v="$vl_cps" -v i="$icarus_cps" 'BEGIN {
  printf "icarus-speed: Verilator %.3f Mcycles/s, Icarus %.4f Mcycles/s: Verilator is %.0fx faster\n", v / 1e6, i / 1e6, v / i }'
