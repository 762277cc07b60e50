"""Co-simulation benchmarks with the real QEMU, printed as `name: value unit` lines.

Each figure comes from two runs of different lengths, so start-up (Python config, QEMU boot,
connection set-up) cancels out: rate = (n_long - n_short) / (t_long - t_short).

  mmio_roundtrips_per_s_{fast,deterministic}   guest loads to a zero-latency echo device and back
  compute_loop_speed_ratio                      a loop with no device access under co-simulation,
                                                divided by plain QEMU's speed (same -icount)
"""
import os
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "build"))
QEMU = os.environ.get("QEMU_SST_QEMU", os.path.expanduser("~/.cache/qemu-sst/qemu-current/bin/qemu-system-riscv64"))
RUNNER = os.path.join(BUILD, "bin", "qemu-sst")
CONFIG = os.path.join(REPO, "bench", "cosim", "zero_latency_echo.py")
REPEATS = 3  # best of, to keep a busy machine from spoiling one figure


def build_variant(name, **settings):
    """Builds guest/baremetal with build-time settings into its own directory; returns rv64 dir."""
    out = os.path.join(BUILD, "bench-guest", name)
    args = ["make", "--no-print-directory", "-s", "-C", os.path.join(REPO, "guest", "baremetal"), "OUT=" + out, "-j2"]
    args += ["%s=%s" % kv for kv in settings.items()]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(out, "rv64")


def timed(cmd):
    best = None
    for _ in range(REPEATS):
        start = time.monotonic()
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
        elapsed = time.monotonic() - start
        if done.returncode != 0:
            sys.exit("benchmark run failed (%d): %s\n%s" % (done.returncode, " ".join(cmd), done.stdout.decode()[-2000:]))
        best = elapsed if best is None else min(best, elapsed)
    return best


def cosim(program, mode):
    return timed([RUNNER, CONFIG, "--qemu", QEMU, "--program", program, "--mode", mode])


def plain_qemu(program):
    return timed([QEMU, "-M", "virt", "-m", "128M", "-bios", "none", "-nographic", "-icount", "shift=0,sleep=off",
                  "-kernel", program])


def main():
    if not os.path.exists(QEMU):
        sys.exit("no QEMU at %s: run scripts/build-qemu.sh" % QEMU)
    short_n, long_n = 50000, 550000
    short = build_variant("throughput-short", THROUGHPUT_N=short_n)
    long = build_variant("throughput-long", THROUGHPUT_N=long_n)
    for mode in ("fast", "deterministic"):
        t_short = cosim(os.path.join(short, "throughput.elf"), mode)
        t_long = cosim(os.path.join(long, "throughput.elf"), mode)
        print("mmio_roundtrips_per_s_%s: %.0f round-trips/s" % (mode, (long_n - short_n) / (t_long - t_short)), flush=True)

    loop_short = build_variant("loop-short", COMPUTE_LOOP_N=20000000)
    loop_long = build_variant("loop-long", COMPUTE_LOOP_N=220000000)
    plain = plain_qemu(os.path.join(loop_long, "compute_loop.elf")) - plain_qemu(os.path.join(loop_short, "compute_loop.elf"))
    cosimulated = (cosim(os.path.join(loop_long, "compute_loop.elf"), "deterministic") -
                   cosim(os.path.join(loop_short, "compute_loop.elf"), "deterministic"))
    print("compute_loop_plain_qemu_s: %.3f s" % plain)
    print("compute_loop_cosim_s: %.3f s" % cosimulated)
    print("compute_loop_speed_ratio: %.3f x" % (plain / cosimulated))


if __name__ == "__main__":
    main()
