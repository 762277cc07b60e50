"""DMA benchmarks with the real QEMU, printed as `name: value unit` lines.

The guest (guest/baremetal dma_copy) has the DMA engine of configs/dma_accel.py copy 4 MiB of its
RAM, N times; two runs with different N cancel start-up: rate = bytes copied between them / time.

  host_memcpy_bytes_per_s          memmove of 64 MiB on this host, in this run: the yardstick
  dma_bytes_per_s_fast             guest bytes the engine copies per wall second, fast mode
  dma_fast_vs_memcpy               the two above as a ratio (target >= 0.25)
  dma_bytes_per_s_deterministic    as above, deterministic mode (every burst lands with QEMU stopped
                                   at its own time)
  irq_lateness_cycles_max          largest lateness of the copies' completion interrupts in
                                   deterministic mode: guest time taken minus time raised (target 0)
"""
import ctypes
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cosim_bench import BUILD, QEMU, REPO, RUNNER, build_variant, timed  # noqa: E402

CONFIG = os.path.join(REPO, "configs", "dma_accel.py")
COPY_BYTES = 4 * 1024 * 1024


def host_memcpy_rate():
    n = 64 * 1024 * 1024
    src = ctypes.create_string_buffer(n)
    dst = ctypes.create_string_buffer(n)
    ctypes.memmove(dst, src, n)  # touch every page first
    best = None
    for _ in range(10):
        start = time.perf_counter()
        ctypes.memmove(dst, src, n)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return n / best


def cmd(program, mode):
    return [RUNNER, CONFIG, "--qemu", QEMU, "--program", program, "--mode", mode, "--verbose", "0"]


def main():
    if not os.path.exists(QEMU):
        sys.exit("no QEMU at %s: run scripts/build-qemu.sh" % QEMU)
    memcpy = host_memcpy_rate()
    copies = {"fast": (2, 258), "deterministic": (2, 10)}  # 1 GiB and 32 MiB apart
    for mode in ("fast", "deterministic"):
        short_n, long_n = copies[mode]
        short = build_variant("dma-copy-%d" % short_n, DMA_COPIES=short_n)
        long = build_variant("dma-copy-%d" % long_n, DMA_COPIES=long_n)
        t_short = timed(cmd(os.path.join(short, "dma_copy.elf"), mode))
        t_long = timed(cmd(os.path.join(long, "dma_copy.elf"), mode))
        rate = (long_n - short_n) * COPY_BYTES / (t_long - t_short)
        print("dma_bytes_per_s_%s: %.3g bytes/s" % (mode, rate), flush=True)
        if mode == "fast":
            # The yardstick's best before and after the DMA runs: a busy moment must not flatter the ratio.
            memcpy = max(memcpy, host_memcpy_rate())
            print("host_memcpy_bytes_per_s: %.3g bytes/s" % memcpy)
            print("dma_fast_vs_memcpy: %.2f x (target >= 0.25)" % (rate / memcpy), flush=True)
    out = subprocess.run(cmd(os.path.join(long, "dma_copy.elf"), "deterministic"), stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=600).stdout.decode()
    late = re.search(r"largest interrupt lateness (-?[0-9]+) ns", out)
    if not late:
        sys.exit("dma_copy printed no lateness:\n" + out[-2000:])
    # The engine's clock is 1 GHz: one cycle per ns.
    print("irq_lateness_cycles_max: %s cycles (deterministic, embedded engine; target 0)" % late.group(1))


if __name__ == "__main__":
    main()
