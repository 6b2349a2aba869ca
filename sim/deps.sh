#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# deps.sh GROUP...: make sure the Debian packages a make target needs are installed.
# As root, installs what is missing (apt-get update once, then apt-get install).
# Otherwise prints the exact command to run and exits 1.
set -euo pipefail

declare -A PKGS=(
  [build]="make g++ gcc pkg-config verilator zlib1g-dev lua5.4 liblua5.4-dev check libsubunit-dev"
  [lint]="verilator iverilog yosys"
  [formal]="yosys z3"
  [wave]="gtkwave xvfb xauth imagemagick"
  [plot]="gnuplot-nox"
  [fuzz]="clang libclang-rt-14-dev"
  [kmod]="make gcc linux-headers-amd64"
)

want=()
for group in "$@"; do
  [[ -n "${PKGS[$group]:-}" ]] || { echo "deps.sh: unknown group '$group' (known: ${!PKGS[*]})" >&2; exit 2; }
  for p in ${PKGS[$group]}; do want+=("$p"); done
done

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    [[ " ${missing[*]} " == *" $p "* ]] || missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "deps.sh: missing Debian packages: ${missing[*]}" >&2
  echo "deps.sh: run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
