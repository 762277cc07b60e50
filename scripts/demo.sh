#!/usr/bin/env bash
# The main demo: the 2-device configuration (echo + compute) run end to end under the engine.
# Until the real QEMU build lands, the guest is qemu-standin running a scripted program.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
echo "== qemu-sst demo: configs/test_2device_integration.py"
"$build/bin/qemu-sst" configs/test_2device_integration.py
