#!/usr/bin/env bash
# The main demo: a RISC-V program in QEMU driving an echo device and a compute device modelled in
# SST components (configs/test_2device_integration.py), with deterministic guest time.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
echo "== qemu-sst demo: configs/test_2device_integration.py (guest: multi_device_test)"
QEMU_SST_BUILD="$build" "$build/bin/qemu-sst" configs/test_2device_integration.py
