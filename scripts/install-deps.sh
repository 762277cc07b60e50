#!/usr/bin/env bash
# Installs the Debian packages a tier needs, or prints the exact apt line when not root.
# Usage: scripts/install-deps.sh [guest] [fuzz] ...   (core is always included; QEMU's build
# packages are handled by scripts/build-qemu.sh)
set -euo pipefail

declare -A TIER_PACKAGES=(
  [core]="build-essential cmake ninja-build pkg-config python3 python3-dev pybind11-dev libgtest-dev libgmock-dev libfmt-dev ccache clang-format python3-matplotlib"
  [guest]="gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf"
  [fuzz]="clang libclang-rt-14-dev"
)

wanted=()
for tier in core "$@"; do
  [[ -n "${TIER_PACKAGES[$tier]:-}" ]] || { echo "install-deps: unknown tier '$tier' (known: ${!TIER_PACKAGES[*]})" >&2; exit 2; }
  read -r -a pkgs <<< "${TIER_PACKAGES[$tier]}"
  wanted+=("${pkgs[@]}")
done

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
  [[ "$status" == ii* ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "Missing Debian packages. Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
