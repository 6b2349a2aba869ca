#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make synth`: every run of fpga/synth/configs.txt, in parallel, then the
# results table in docs/fpga.md (fpga/synth/report.lua).
#
# Environment:
#   SYNTH_REV=<git rev>  synthesize rtl/ as committed at that revision (git archive)
#                        instead of the working tree
#   SYNTH_JOBS=N         runs in parallel (default: nproc)
#   SYNTH_OUT=dir        output directory (default sim/out/synth)
#   SYNTH_DOC=file       where the table goes (default docs/fpga.md)
set -euo pipefail
cd "$(dirname "$0")/../.."

out=${SYNTH_OUT:-sim/out/synth}
jobs=${SYNTH_JOBS:-$(nproc)}
doc=${SYNTH_DOC:-docs/fpga.md}
configs=fpga/synth/configs.txt

fpga/deps.sh synth
mkdir -p "$out"
if [ -n "${SYNTH_REV:-}" ]; then
    rev=$(git rev-parse --short "$SYNTH_REV")
    rm -rf "$out/src"
    mkdir -p "$out/src"
    git archive "$rev" rtl | tar -x -C "$out/src"
    rtl="$out/src/rtl"
    source="rtl/ at commit $rev"
else
    rtl=rtl
    source="rtl/ of the working tree at $(git rev-parse --short HEAD)"
    if ! git diff --quiet HEAD -- rtl || [ -n "$(git ls-files --others --exclude-standard rtl)" ]; then
        source="$source, with uncommitted changes in rtl/"
    fi
fi
echo "synth: $source -> $out ($jobs in parallel)"

# Drop the previous results so a failed run cannot leave a stale figure.
rm -f "$out"/*.stat "$out"/*.time "$out"/*.nextpnr.log "$out"/*.icetime.txt "$out"/*.err

# Longest runs first (roughly DATA_WIDTH x NUM_CHANNELS; the ice40 fit and
# place-and-route runs cost about two 64-bit channels), so the parallel
# slots stay busy.
grep -v -e '^#' -e '^[[:space:]]*$' "$configs" \
    | awk '{ c = ($2 == "fit" || $2 == "pnr") ? 100 : $3 * $4; print c, $0 }' \
    | sort -s -k1,1 -n -r | cut -d' ' -f2- > "$out/jobs.txt"

start=$(date +%s)
if ! RTL_DIR="$rtl" SYNTH_OUT="$out" xargs -P "$jobs" -L 1 fpga/synth/synth.sh < "$out/jobs.txt"; then
    echo "synth: a run failed; see $out/<name>.err and <name>.log (yosys) or <name>.nextpnr.log" >&2
    exit 1
fi
elapsed=$(( $(date +%s) - start ))
load=$(cut -d' ' -f1-3 /proc/loadavg)

lua5.4 fpga/synth/report.lua "$configs" "$out" "$doc" "$source" "$elapsed" "$jobs" "$load"
echo "synth: done in ${elapsed} s (load average at the end: $load)"
