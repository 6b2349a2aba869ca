#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# run.sh [--deep] [SET...]: the formal checks behind `make formal` (Yosys 0.23 +
# yosys-smtbmc + z3; no SymbiYosys needed). See tb/formal/README.md.
#
# Each job: the RTL module(s), with a properties file (tb/formal/*_props.vh)
# included just before `endmodule` of a copy in sim/out/formal/<job>/src (so
# the properties see the module's state; rtl/ is never changed), under a small
# environment top (tb/formal/*_env.sv). Yosys reads it with -formal, starts it
# from its reset state (sim -w), maps it to an AIG (z3 is far faster on
# bit-level SMT than on this word-level model) and writes SMT2; yosys-smtbmc
# runs either k-induction (base case and induction step to depth k) or BMC to
# a depth. Each set also runs a mutation: a copy with one line of the RTL
# broken by sed, in which the solver must FIND a counterexample.
#
# Output: one line per check; counterexample VCDs in sim/out/formal/<job>/.
set -uo pipefail
cd "$(dirname "$0")/../.."

OUT=sim/out/formal
DEEP=0
if [[ ${1:-} == --deep ]]; then DEEP=1; shift; fi
ONLY=("$@")
# BMC depth of the write engine: make formal / make formal-deep
WR_DEPTH=10
[[ $DEEP -eq 1 ]] && WR_DEPTH=18
mkdir -p "$OUT"
fails=0
start=$SECONDS

# job NAME TOP "RTL files" "module:props.vh ..." MODE DEPTH [DEFINES] [MUTATE: file|sed]
#   MODE prove: k-induction with k = DEPTH; bmc: bounded model check to DEPTH;
#   mutate: BMC to DEPTH that must fail.
run_job() {
  local name=$1 top=$2 rtl=$3 props=$4 mode=$5 depth=$6 defs=${7:-} mut=${8:-}
  local dir=$OUT/$name src f vh base t0 t1 nprops res ok log
  dir=$OUT/$name
  src=$dir/src
  rm -rf "$dir"
  mkdir -p "$src"
  local files=()
  for f in $rtl; do
    base=$(basename "$f")
    vh=""
    for p in $props; do
      [[ ${p%%:*} == "$base" ]] && vh=${p#*:}
    done
    if [[ -n $vh ]]; then
      sed "/^endmodule/i \`include \"$vh\"" "$f" > "$src/$base"
    else
      cp "$f" "$src/$base"
    fi
    files+=("$src/$base")
  done
  if [[ -n $mut ]]; then
    local mf=${mut%%|*} mexpr=${mut#*|}
    cp "$src/$mf" "$src/$mf.orig"
    sed -i "$mexpr" "$src/$mf"
    if cmp -s "$src/$mf" "$src/$mf.orig"; then
      echo "formal: $name: the mutation '$mexpr' did not change $mf (stale sed?)"
      return 1
    fi
  fi
  local dflags=""
  for d in $defs; do dflags+=" -D$d"; done
  cat > "$dir/model.ys" <<YS
read_verilog -sv -formal$dflags -Irtl -Itb/formal ${files[*]} tb/formal/${top}.sv
prep -top $top
flatten
memory_map
opt_clean
sim -clock clk -resetn rst_n -rstlen 1 -n 1 -zinit -w
async2sync
dffunmap
opt -fast
techmap
opt -fast
abc -g AND
opt_clean
dffunmap
tee -q -o $dir/asserts.txt select -count t:\$assert
write_smt2 -wires $dir/model.smt2
YS
  t0=$EPOCHREALTIME
  log=$dir/log.txt
  if ! yosys -q -l "$dir/yosys.log" -s "$dir/model.ys" >/dev/null 2>&1; then
    echo "formal: $name: yosys failed, see $dir/yosys.log"
    grep -m3 ERROR "$dir/yosys.log"
    return 1
  fi
  nprops=$(grep -o '[0-9]\+' "$dir/asserts.txt" | tail -1)
  res=PASS
  case $mode in
    prove)
      if ! yosys-smtbmc -s z3 -t "$depth" --dump-vcd "$dir/base.vcd" "$dir/model.smt2" > "$log" 2>&1; then
        res="FAIL (base case), counterexample: $dir/base.vcd"
      elif ! yosys-smtbmc -s z3 -i -t "$depth" --dump-vcd "$dir/induction.vcd" "$dir/model.smt2" >> "$log" 2>&1; then
        res="FAIL (induction step; may be unreachable, see $log), trace: $dir/induction.vcd"
      fi
      method="induction, k=$depth";;
    bmc)
      if ! yosys-smtbmc -s z3 -t "$depth" --dump-vcd "$dir/bmc.vcd" "$dir/model.smt2" > "$log" 2>&1; then
        res="FAIL, counterexample: $dir/bmc.vcd"
      fi
      method="BMC, depth $depth";;
    mutate)
      if yosys-smtbmc -s z3 -t "$depth" --dump-vcd "$dir/cex.vcd" "$dir/model.smt2" > "$log" 2>&1; then
        res="FAIL (no counterexample found in the mutant)"
      else
        grep -q 'Assert failed' "$log" || res="FAIL (solver error, see $log)"
        [[ $res == PASS ]] && res="PASS (counterexample found: $dir/cex.vcd)"
      fi
      method="mutant BMC, depth $depth";;
  esac
  t1=$EPOCHREALTIME
  printf 'formal: %-22s %3s asserts  %-24s %s  (%.1f s)\n' "$name" "$nprops" "$method" "$res" \
    "$(awk "BEGIN { print $t1 - $t0 }")"
  if [[ $res != PASS* ]]; then
    grep -m2 'Assert failed' "$log" | sed 's/^/  /'
    return 1
  fi
}

want() {   # want SET: is SET selected on the command line (or nothing selected)?
  [[ ${#ONLY[@]} -eq 0 ]] && return 0
  local s
  for s in "${ONLY[@]}"; do [[ $s == "$1" ]] && return 0; done
  return 1
}

# Jobs run two at a time (the machine has 2 cores); flush prints their
# lines in order and counts the failures.
pids=()
names=()
job() {
  run_job "$@" > "$OUT/$1.out" 2>&1 &
  pids+=($!)
  names+=("$1")
  [[ ${#pids[@]} -ge 2 ]] && flush
  return 0
}
flush() {
  local i
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || fails=$((fails + 1))
    cat "$OUT/${names[$i]}.out"
  done
  pids=()
  names=()
}

# ---- 1. arbiter: N=3, WEIGHT_WIDTH=3
if want arbiter; then
  job arbiter arbiter_env "rtl/ferry_arbiter.v" "ferry_arbiter.v:arbiter_props.vh" prove 5
  job arbiter-mutant arbiter_env "rtl/ferry_arbiter.v" "ferry_arbiter.v:arbiter_props.vh" mutate 3 "" \
    "ferry_arbiter.v|s/if (!found \&\& eligible\[idx\])/if (eligible[idx])/"
  # Expected to fail: the bound ferry_arbiter.v's header used to state,
  # 2 * sum(w_j, j != P), is exceeded by N - 2 takes (so the proven bound,
  # now in the header, is tight).
  [[ $DEEP -eq 1 ]] && job arbiter-doc-bound-xfail arbiter_env "rtl/ferry_arbiter.v" \
    "ferry_arbiter.v:arbiter_props.vh" mutate 12 "FORMAL_DOC_BOUND"
fi
# ---- 2. AXI4-Lite slave: NUM_CHANNELS=1, AXIL_ADDR_WIDTH=13
if want axil; then
  job axil axil_env "rtl/ferry_axil_regs.v" "" prove 3
  job axil-mutant axil_env "rtl/ferry_axil_regs.v" "" mutate 4 "" \
    "ferry_axil_regs.v|s/assign s_axil_arready = !ar_full_q;/assign s_axil_arready = 1'b1;/"
fi

# ---- 3. AXI master burst rules
if want burst; then
  job burst_split burst_split_env "rtl/ferry_burst_split.v" "" prove 1
  job burst_split-mutant burst_split_env "rtl/ferry_burst_split.v" "" mutate 1 "" \
    "ferry_burst_split.v|s/len_o = 9'd16;/len_o = 9'd17;/"
  job rd_engine rd_engine_env "rtl/ferry_burst_split.v rtl/ferry_queue.v rtl/ferry_rd_engine.v" \
    "ferry_rd_engine.v:rd_engine_props.vh" prove 3
  job rd_engine-mutant rd_engine_env "rtl/ferry_burst_split.v rtl/ferry_queue.v rtl/ferry_rd_engine.v" \
    "ferry_rd_engine.v:rd_engine_props.vh" mutate 8 "" \
    "ferry_rd_engine.v|s/(bursts_q < limit)/(bursts_q <= limit)/"
  job wr_engine wr_engine_env "rtl/ferry_burst_split.v rtl/ferry_queue.v rtl/ferry_wr_engine.v" \
    "ferry_wr_engine.v:wr_engine_props.vh" bmc "$WR_DEPTH"
  job wr_engine-mutant wr_engine_env "rtl/ferry_burst_split.v rtl/ferry_queue.v rtl/ferry_wr_engine.v" \
    "ferry_wr_engine.v:wr_engine_props.vh" mutate 8 "" \
    "ferry_wr_engine.v|s/wire w_is_last = (w_beat_q == wq_len - 9'd1);/wire w_is_last = (w_beat_q == wq_len);/"
fi

# ---- 4. the register slice of the registered boundary: WIDTH 8
if want skid; then
  job skid skid_env "rtl/ferry_skid.v" "ferry_skid.v:skid_props.vh" prove 3
  job skid-mutant skid_env "rtl/ferry_skid.v" "ferry_skid.v:skid_props.vh" mutate 4 "" \
    "ferry_skid.v|s/assign in_ready_o = !skid_valid_q;/assign in_ready_o = !skid_valid_q || out_ready_i;/"
  job skid-mutant-data skid_env "rtl/ferry_skid.v" "ferry_skid.v:skid_props.vh" mutate 4 "" \
    "ferry_skid.v|s/skid_data_q <= in_data_i;/skid_data_q <= ~in_data_i;/"
  job skid-mutant-dup skid_env "rtl/ferry_skid.v" "ferry_skid.v:skid_props.vh" mutate 4 "" \
    "ferry_skid.v|s/out_valid_q <= in_valid_i;/out_valid_q <= 1'b1;/"
fi

flush
echo "formal: $fails failed ($((SECONDS - start)) s)"
[[ $fails -eq 0 ]]
