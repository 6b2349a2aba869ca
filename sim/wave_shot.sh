#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# wave_shot.sh FST GTKW PNG: render GTKWave with a saved layout under Xvfb and
# save a screenshot (used to make the pictures in docs/).
set -euo pipefail
fst=$1; gtkw=$2; png=$3
export DISPLAY=:97
Xvfb "$DISPLAY" -screen 0 1600x1350x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
gtkwave "$fst" "$gtkw" >/dev/null 2>&1 &
gw=$!
sleep 6
import -window root "$png"
kill $gw 2>/dev/null || true
echo "wave_shot: wrote $png"
