#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# wake_selftest.sh (make wake-selftest): shows that the FERRY_WAKE_CHECK models
# of make test can fail. Copies the sources into sim/out/wake_selftest/tree,
# removes one term from ferry_channel's wake there (a RING_PROD write no longer
# wakes an idle channel), builds the dw32 model (a wake-checked configuration)
# and runs ring.lua on it. Passes only if the run stops with the wake check's
# message; fails if the mutation did not apply or the check stayed silent.
# First, the same for the lint step sim/wake_lists.lua: with one register
# (ferry_wr_engine's wvalid) taken out of a wk_change list, it must fail and
# name that register.
set -uo pipefail
cd "$(dirname "$0")/.."

out=sim/out/wake_selftest
tree=$out/tree
rm -rf "$tree"
mkdir -p "$tree"
tar --exclude=./sim/out --exclude=./.git -cf - . | tar -xf - -C "$tree"

list_mutant='s/(wvalid_d != wvalid_q) || //'
cp rtl/ferry_wr_engine.v "$out/wr_list_mutant.v"
sed -i "$list_mutant" "$out/wr_list_mutant.v"
if cmp -s rtl/ferry_wr_engine.v "$out/wr_list_mutant.v"; then
  echo "wake-selftest: FAIL: the mutation ($list_mutant) did not apply to rtl/ferry_wr_engine.v"
  exit 1
fi
if lua5.4 sim/wake_lists.lua "$out/wr_list_mutant.v" > "$out/lists.log" 2>&1 \
   || ! grep -q "wvalid_q is loaded on wake but wk_change has no" "$out/lists.log"; then
  cat "$out/lists.log"
  echo "wake-selftest: FAIL: sim/wake_lists.lua did not report wvalid missing from the wk_change list"
  exit 1
fi
grep -m1 "wvalid_q is loaded on wake" "$out/lists.log"
echo "wake-selftest: ok: sim/wake_lists.lua caught the register missing from the list"

mutant='s/ring_ctrl_wr_i || prod_wr_i || cfg_busy_i/ring_ctrl_wr_i || cfg_busy_i/'
sed -i "$mutant" "$tree/rtl/ferry_channel.v"
if cmp -s rtl/ferry_channel.v "$tree/rtl/ferry_channel.v"; then
  echo "wake-selftest: FAIL: the mutation ($mutant) did not apply to rtl/ferry_channel.v"
  exit 1
fi

if ! make -s --no-print-directory -C "$tree" CFG=dw32 sim/out/dw32/ferry_lua > "$out/build.log" 2>&1; then
  cat "$out/build.log"
  echo "wake-selftest: FAIL: the mutant did not build"
  exit 1
fi

# (an inner shell, so its report of the abort goes to the log too)
bash -c 'cd "$1" && SEED=1 sim/out/dw32/ferry_lua sim/scenarios/ring.lua; exit $?' _ "$tree" > "$out/run.log" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q "without wake (FERRY_WAKE_CHECK)" "$out/run.log"; then
  grep -m1 "without wake" "$out/run.log"
  echo "wake-selftest: ok: the wake check stopped the mutant (exit $rc)"
  exit 0
fi
tail -n 5 "$out/run.log"
echo "wake-selftest: FAIL: the mutant ran (exit $rc) without the wake check stopping it"
exit 1
