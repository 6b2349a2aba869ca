#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make fpga-check`: what can be checked of the board flows without Vivado
# (seconds). Output under sim/out/fpga-check/.
#
#   1. fpga/boards/litefury/build.tcl under tclsh, Vivado commands stubbed
#      (fpga/check/vivado_stubs.tcl: Tcl, files, core names, .xdc ports and pins)
#   2. the board top (ferry_litefury_top and its modules, ferry_top inside)
#      against the vendor cores' port-list stubs: verilator --lint-only -Wall,
#      iverilog -g2005 and yosys (read + hierarchy -check)
#   3. ferry_litefury_msi's self-checking test under Icarus
#   4. the iCE40 wrappers of make synth: verilator --lint-only -Wall
set -euo pipefail
cd "$(dirname "$0")/../.."

out=sim/out/fpga-check
board=fpga/boards/litefury
top=ferry_litefury_top

fpga/deps.sh check
mkdir -p "$out"

# 1. Tcl
tclsh fpga/check/vivado_stubs.tcl "$board" "$top" "$out/litefury" > "$out/tcl.log" 2>&1 || {
    cat "$out/tcl.log" >&2; exit 1; }
grep '^fpga-check:' "$out/tcl.log"

# 2. board top against the stubs
srcs="$board/*.v $board/stubs/*.v rtl/*.v"
# shellcheck disable=SC2086
verilator --lint-only -Wall -Irtl --top-module "$top" $srcs
echo "fpga-check: verilator --lint-only -Wall clean: $top against the stubs in $board/stubs/ (port lists only)"
# shellcheck disable=SC2086
iverilog -g2005 -Wall -Irtl -s "$top" -o "$out/$top.vvp" $srcs 2>&1 | tee "$out/iverilog.log"
if [ -s "$out/iverilog.log" ]; then
    echo "fpga-check: iverilog -g2005 is not clean on $top" >&2
    exit 1
fi
echo "fpga-check: iverilog -g2005 clean: $top"
# shellcheck disable=SC2086
yosys -q -l "$out/yosys.log" -p "read_verilog -Irtl $(echo $srcs); hierarchy -check -top $top" >/dev/null
if grep -qi warning "$out/yosys.log"; then
    grep -i warning "$out/yosys.log" >&2
    echo "fpga-check: yosys has warnings on $top" >&2
    exit 1
fi
echo "fpga-check: yosys read_verilog + hierarchy -check clean: $top"

# 3. MSI bridge test
iverilog -g2005 -Wall -o "$out/msi_tb.vvp" fpga/check/ferry_litefury_msi_tb.v "$board/ferry_litefury_msi.v"
vvp -n "$out/msi_tb.vvp" | tee "$out/msi_tb.log"
grep -q ' 0 failed' "$out/msi_tb.log"

# 4. iCE40 wrappers
for t in ferry_ice40_top ferry_ice40_mover; do
    verilator --lint-only -Wall -Irtl --top-module "$t" fpga/ice40/*.v rtl/*.v
done
echo "fpga-check: verilator --lint-only -Wall clean: ferry_ice40_top, ferry_ice40_mover"
echo "fpga-check: passed (Vivado itself was not run: see docs/fpga.md)"
