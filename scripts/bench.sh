#!/usr/bin/env bash
# Runs every benchmark; each prints its figures as `name: value unit` lines.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
for bench in "$build"/bin/*_bench; do
  echo "== $(basename "$bench")" >&2
  "$bench"
done
echo "== engine_vs_sst_core (the same ring element and config under sst-core's sst, when there is one)" >&2
/usr/bin/python3 bench/engine/engine_vs_sst_core.py "$build"
echo "== cosim_bench (real QEMU)" >&2
/usr/bin/python3 bench/cosim/cosim_bench.py "$build"
echo "== dma_bench (real QEMU)" >&2
/usr/bin/python3 bench/cosim/dma_bench.py "$build"
echo "== trace_bench (real QEMU, --trace on and off)" >&2
/usr/bin/python3 bench/cosim/trace_bench.py "$build"
echo "== linux_bench (real QEMU, Linux guest)" >&2
/usr/bin/python3 bench/linux/linux_bench.py "$build"
