#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# boundary_cones: the registered boundary, checked on the netlist (make lint).
#
# Every input of ferry_top but clk and rst_n must reach registers only
# through a few gates: its combinational fan-out cone (the cells and wires
# from the port up to the first flip-flop or memory port, Yosys
# `%co*` stopped at registers) must hold at most LIMIT objects. An input that
# feeds an engine's next-state logic directly (as m_axis_tready and s_axis_*
# did before the stream lanes got their ferry_skid: 4,727 and 3,966 objects)
# fails. The design is elaborated with stream lanes (channel 1 host-to-card,
# channel 2 card-to-host, channel 0 memory to memory) so every port is live.
#
#   sim/boundary_cones.sh [LIMIT]      (default 64; OUT=dir for the log)
set -euo pipefail
cd "$(dirname "$0")/.."
LIMIT=${1:-64}
OUT=${OUT:-sim/out}/lint
mkdir -p "$OUT"
regs='$dff,$sdff,$adff,$dffe,$sdffe,$adffe,$sdffce,$mem_v2,$memwr_v2,$memrd_v2'
ports=$(sed -n 's/^ *input  *wire *\(\[[^]]*\]\)\? *\([a-z_0-9]*\),\?.*$/\2/p' rtl/ferry_top.v | grep -vx 'clk\|rst_n')
[ -n "$ports" ] || { echo "boundary-cones: no input ports found in rtl/ferry_top.v"; exit 1; }
script=$OUT/boundary_cones.ys
{
  echo "read_verilog -Irtl $(ls rtl/*.v | tr '\n' ' ')"
  echo "chparam -set NUM_CHANNELS 3 -set DATA_WIDTH 32 -set FIFO_DEPTH 32 -set H2C_MASK 2 -set C2H_MASK 4 ferry_top"
  echo "hierarchy -top ferry_top"
  echo "proc; flatten; opt_clean; memory -nomap; opt_clean"
  for p in $ports; do
    echo "log cone $p"
    echo "select -count i:$p %co*:-$regs"
  done
} > "$script"
yosys -p "script $script" > "$OUT/boundary_cones.log" 2>&1 || { tail -20 "$OUT/boundary_cones.log"; exit 1; }
awk -v limit="$LIMIT" '
  /^cone / { port = $2; next }
  port != "" && / objects\.$/ { n[port] = $1; order[++k] = port; port = "" }
  END {
    bad = 0; max = 0
    for (i = 1; i <= k; i++) {
      p = order[i]
      if (n[p] > max) { max = n[p]; maxp = p }
      if (n[p] > limit) { printf "boundary-cones: %s reaches %d objects before a register (limit %d): a combinational path from the port into the logic\n", p, n[p], limit; bad = 1 }
    }
    if (k == 0) { print "boundary-cones: no cone counted (see the log)"; exit 1 }
    if (!bad) printf "boundary-cones: %d inputs reach registers within %d objects (largest %s: %d)\n", k, limit, maxp, max
    exit bad
  }' "$OUT/boundary_cones.log"
