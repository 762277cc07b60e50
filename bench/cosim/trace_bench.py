"""What a timeline costs (--trace, the bridge's trace_file), printed as `name: value unit` lines.

The throughput program's echo reads on make demo's config (deterministic), with and without --trace,
in the same run of this script; each time is a difference of two run lengths, so start-up cancels
out (cosim_bench.py's method):

  trace_overhead_ratio        traced time per access over untraced time per access (1.00 = free)
  trace_bytes_per_access      size of the file per guest access
"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cosim_bench  # noqa: E402
from cosim_bench import BUILD, QEMU, REPO, RUNNER, build_variant, timed  # noqa: E402

# A run's wall time here swings by half with the scheduling of QEMU's and the bridge's waits, far
# more than tracing costs: the four runs take turns, and each keeps its best of REPEATS.
REPEATS = 5

CONFIG = os.path.join(REPO, "configs", "test_2device_integration.py")


def main():
    if not os.path.exists(QEMU):
        sys.exit("no QEMU at %s: run scripts/build-qemu.sh" % QEMU)
    short_n, long_n = 20000, 220000
    short = build_variant("throughput-trace-short", THROUGHPUT_N=short_n)
    long = build_variant("throughput-trace-long", THROUGHPUT_N=long_n)
    work = tempfile.mkdtemp(prefix="qemu-sst-trace-bench-")
    long_bytes = short_bytes = 0
    try:
        def cmd(directory, trace):
            argv = [RUNNER, CONFIG, "--qemu", QEMU, "--program", os.path.join(directory, "throughput.elf"),
                    "--verbose", "0"]
            return argv + (["--trace", os.path.join(work, "t.json")] if trace else [])

        os.environ["QEMU_SST_BUILD"] = BUILD
        cosim_bench.REPEATS = 1
        runs = [(long, False), (short, False), (long, True), (short, True)]
        best = {}
        for _ in range(REPEATS):
            for directory, trace in runs:
                t = timed(cmd(directory, trace))
                best[(directory, trace)] = min(t, best.get((directory, trace), t))
                if trace:
                    size = os.path.getsize(os.path.join(work, "t.json"))
                    long_bytes, short_bytes = (size, short_bytes) if directory == long else (long_bytes, size)
        plain = best[(long, False)] - best[(short, False)]
        traced = best[(long, True)] - best[(short, True)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    n = long_n - short_n
    print("trace_untraced_access_us: %.2f us (deterministic, per echo read)" % (plain / n * 1e6))
    print("trace_traced_access_us: %.2f us" % (traced / n * 1e6))
    print("trace_overhead_ratio: %.2f x (traced over untraced, same run)" % (traced / plain))
    print("trace_bytes_per_access: %.0f bytes" % ((long_bytes - short_bytes) / n), flush=True)


if __name__ == "__main__":
    main()
