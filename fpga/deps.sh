#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# fpga/deps.sh GROUP: make sure the Debian packages of an fpga/ target are
# installed (synth: make synth; check: make fpga-check). As root, installs
# what is missing; otherwise prints the apt-get line and exits 1.
set -euo pipefail

case "${1:-}" in
synth) want="yosys nextpnr-ice40 fpga-icestorm lua5.4" ;;
check) want="tcl verilator iverilog yosys" ;;
*) echo "fpga/deps.sh: unknown group '${1:-}' (synth or check)" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "fpga/deps.sh: missing Debian packages:$missing" >&2
    echo "fpga/deps.sh: run: sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "fpga/deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
