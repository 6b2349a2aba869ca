#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# sim_speed.sh (make sim-speed): simulated cycles per second of the default
# configuration with the full C harness, for each of its builds: checked
# (sim/out/default), fast (FAST=1, sim/out/default-fast) and fast with profile
# feedback (FAST=1 PGO=1, sim/out/default-fast-pgo). The workload is
# tb/icarus/verilator_speed.lua (a 1 MiB direct copy without added latency or
# stalls, data checked, timed doorbell to interrupt in process CPU time).
#
# First the three models must agree: align.lua, b2b.lua and ring.lua at
# SEED=1 must print byte-identical output on each (else exit 1). Then the copy
# runs RUNS times per model (default 5), the models taking turns so that a
# slow minute of this shared machine hits all of them; one more run of the
# checked model with tracing on (WAVES=1). The second test of the file runs
# the model with nothing to do (the floor of a cycle's cost). Prints min /
# median / max per model and test and writes every run to
# sim/out/sim_speed.csv.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-5}
out=sim/out
models=(default default-fast default-fast-pgo)
csv=$out/sim_speed.csv

make -s --no-print-directory CFG=default FAST=0 PGO=0 build
make -s --no-print-directory CFG=default FAST=1 PGO=0 build
make -s --no-print-directory CFG=default FAST=1 PGO=1 build

for sc in align b2b ring; do
  for m in "${models[@]}"; do
    SEED=1 "$out/$m/ferry_lua" "sim/scenarios/$sc.lua" > "$out/sim_speed_${sc}_$m.txt" 2>&1 || {
      tail -n 20 "$out/sim_speed_${sc}_$m.txt"
      echo "sim-speed: $sc.lua failed on $m"
      exit 1
    }
  done
  for m in default-fast default-fast-pgo; do
    if ! cmp -s "$out/sim_speed_${sc}_default.txt" "$out/sim_speed_${sc}_$m.txt"; then
      diff "$out/sim_speed_${sc}_default.txt" "$out/sim_speed_${sc}_$m.txt" | head -n 20
      echo "sim-speed: $sc.lua at SEED=1 prints differently on default and $m"
      exit 1
    fi
  done
  echo "sim-speed: $sc.lua at SEED=1: identical output on ${models[*]} ($(tail -n 1 "$out/sim_speed_${sc}_default.txt"))"
done

# run MODEL RUN TRACING [env...]: one run of both tests; appends their rows
run() {
  local m=$1 r=$2 tr=$3 log
  shift 3
  log=$(env QUIET=1 "$@" "$out/$m/ferry_lua" tb/icarus/verilator_speed.lua) || {
    echo "$log" | tail -n 20
    echo "sim-speed: verilator_speed.lua failed on $m" >&2
    exit 1
  }
  sed -nE "s/^(speed|idle): .*= ([0-9.]+) Mcycles\/s/$m,\1,$tr,$r,\2/p" <<< "$log" | sed 's/,speed,/,copy,/' >> "$csv"
}

echo "model,workload,tracing,run,mcycles_per_s" > "$csv"
for ((r = 1; r <= runs; r++)); do
  for m in "${models[@]}"; do
    run "$m" "$r" off
  done
done
run default 1 on WAVES=1 IDLE_CYCLES=100000

echo "sim-speed: Mcycles per CPU second, $runs runs each (raw: $csv);"
echo "  copy: 1 MiB direct copy; idle: 1,000,000 cycles with nothing to do"
lua5.4 - "$csv" <<'EOF'
local rows = {}
local order = {}
for line in io.lines(arg[1]) do
  local m, w, tr, _, v = line:match("^([^,]+),([^,]+),([^,]+),([^,]+),([^,]+)$")
  if m and m ~= "model" then
    local k = w .. ", " .. m .. (tr == "on" and " (tracing on)" or "")
    if not rows[k] then rows[k] = {}; order[#order + 1] = k end
    table.insert(rows[k], tonumber(v))
  end
end
for _, k in ipairs(order) do
  local t = rows[k]
  table.sort(t)
  local n = #t
  local med = n % 2 == 1 and t[(n + 1) // 2] or (t[n // 2] + t[n // 2 + 1]) / 2
  print(string.format("  %-28s min %.3f  median %.3f  max %.3f", k, t[1], med, t[n]))
end
EOF
