#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One run of `make synth`: fpga/synth/synth.sh NAME ARCH DW NC AW MB MO FD IW
# (one line of fpga/synth/configs.txt, which says what each ARCH does).
# Writes $SYNTH_OUT/NAME.{log,stat,time,...}; NAME.time holds the run's wall,
# user and system seconds.
#
# Environment: RTL_DIR (default rtl), SYNTH_OUT (default sim/out/synth),
# PNR_FREQ (nextpnr target in MHz, default 50), PNR_SEED (default 1).
set -euo pipefail

if [ $# -ne 9 ]; then
    echo "usage: $0 NAME ARCH DATA_WIDTH NUM_CHANNELS ADDR_WIDTH MAX_BURST_LEN MAX_OUTSTANDING FIFO_DEPTH ID_WIDTH" >&2
    exit 2
fi
name=$1 arch=$2 dw=$3 nc=$4 aw=$5 mb=$6 mo=$7 fd=$8 iw=$9
rtl=${RTL_DIR:-rtl}
out=${SYNTH_OUT:-sim/out/synth}
freq=${PNR_FREQ:-50}
seed=${PNR_SEED:-1}
here=$(cd "$(dirname "$0")/.." && pwd)   # fpga/

mkdir -p "$out"
srcs=$(ls "$rtl"/*.v | tr '\n' ' ')
top_params="-set DATA_WIDTH $dw -set NUM_CHANNELS $nc -set ADDR_WIDTH $aw -set MAX_BURST_LEN $mb \
-set MAX_OUTSTANDING $mo -set FIFO_DEPTH $fd -set ID_WIDTH $iw"

run() {
    case $arch in
    xc7)
        # opt_merge -share_all: yosys 0.23 leaves one INV of rst_n per
        # flip-flop (the FDRE reset is active high); merging identical cells
        # keeps one, as Vivado would. Nothing else is changed after synth_xilinx.
        yosys -q -l "$out/$name.log" -p "read_verilog -I$rtl $srcs; chparam $top_params ferry_top; \
synth_xilinx -family xc7 -top ferry_top -flatten -noiopad -noclkbuf; opt_merge -share_all; opt_clean; \
tee -q -o $out/$name.stat stat" >/dev/null
        ;;
    ice40)
        # -run begin:check, then the check step without its autoname: yosys
        # 0.23's autoname renames millions of nets one by one on a 4-channel
        # build (minutes) and changes no cell; the place-and-route runs keep
        # it, their critical-path report reads better with its names.
        yosys -q -l "$out/$name.log" -p "read_verilog -I$rtl $srcs; chparam $top_params ferry_top; \
synth_ice40 -top ferry_top -run begin:check; hierarchy -check; tee -q -o $out/$name.stat stat" >/dev/null
        ;;
    fit)
        yosys -q -l "$out/$name.log" -p "read_verilog -I$rtl $srcs $here/ice40/ferry_ice40_serdes.v \
$here/ice40/ferry_ice40_top.v; chparam $top_params ferry_ice40_top; \
synth_ice40 -top ferry_ice40_top -json $out/$name.json; tee -q -o $out/$name.stat stat" >/dev/null
        # --pack-only: the utilisation report comes before placement, which
        # cannot succeed when the design needs more cells than there are.
        nextpnr-ice40 --hx8k --package ct256 --pcf "$here/ice40/ferry_ice40.pcf" --json "$out/$name.json" \
            --pack-only -l "$out/$name.nextpnr.log" -q
        ;;
    pnr)
        yosys -q -l "$out/$name.log" -p "read_verilog -I$rtl $srcs $here/ice40/ferry_ice40_serdes.v \
$here/ice40/ferry_ice40_mover.v; chparam -set DATA_WIDTH $dw -set ADDR_WIDTH $aw \
-set MAX_BURST_LEN $mb -set MAX_OUTSTANDING $mo -set FIFO_DEPTH $fd ferry_ice40_mover; \
synth_ice40 -top ferry_ice40_mover -json $out/$name.json; tee -q -o $out/$name.stat stat" >/dev/null
        nextpnr-ice40 --hx8k --package ct256 --pcf "$here/ice40/ferry_ice40.pcf" --json "$out/$name.json" \
            --asc "$out/$name.asc" --freq "$freq" --seed "$seed" --timing-allow-fail \
            -l "$out/$name.nextpnr.log" -q
        icepack "$out/$name.asc" "$out/$name.bin"
        icetime -d hx8k -P ct256 -p "$here/ice40/ferry_ice40.pcf" -t "$out/$name.asc" > "$out/$name.icetime.txt" 2>&1
        ;;
    *)
        echo "$0: unknown arch '$arch' (xc7, ice40, fit or pnr)" >&2
        exit 2
        ;;
    esac
}

TIMEFORMAT='%R %U %S'
{ time run 2>"$out/$name.err"; } 2>"$out/$name.time"
read -r wall user sys < "$out/$name.time"
echo "  synth $name: done in ${wall} s (CPU ${user} s user, ${sys} s system)"
