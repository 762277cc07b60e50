#!/usr/bin/env bash
# The demos, with deterministic guest time:
#   scripts/demo.sh [BUILD]        a RISC-V program in QEMU driving an echo device and a compute
#                                  device modelled in SST components (configs/test_2device_integration.py)
#   scripts/demo.sh BUILD accel    a matrix-multiply accelerator and a DMA engine computing on the
#                                  guest's memory, with their modelled cycles (configs/dma_accel.py)
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
if [[ "${2:-}" == accel ]]; then
  echo "== qemu-sst demo: configs/dma_accel.py (guest: accel_test; every product checked against the CPU's)"
  QEMU_SST_BUILD="$build" "$build/bin/qemu-sst" configs/dma_accel.py --verbose 1 \
    --program "$build/guest/rv64/accel_test.elf"
  exit
fi
echo "== qemu-sst demo: configs/test_2device_integration.py (guest: multi_device_test)"
QEMU_SST_BUILD="$build" "$build/bin/qemu-sst" configs/test_2device_integration.py
