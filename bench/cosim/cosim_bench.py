"""Co-simulation benchmarks with the real QEMU, printed as `name: value unit` lines.

Each figure comes from two runs of different lengths, so start-up (Python config, QEMU boot,
connection set-up) cancels out: rate = (n_long - n_short) / (t_long - t_short).

  mmio_roundtrips_per_s_{fast,deterministic}   guest loads to a zero-latency echo device and back
  compute_loop_speed_ratio                      a loop with no device access under co-simulation,
                                                divided by plain QEMU's speed (same -icount)

Then the same machinery on a busy machine, beside CPU hogs (`yes > /dev/null`) started here:

  mmio_roundtrips_per_s_fast_contended          as above, beside one hog
  cosim_slowdown_contended                      the long deterministic throughput run beside two
                                                hogs, over the same run without them
  sim_cpu_idle_fast                             the simulator's own CPU use while a compute-only
                                                guest runs in fast mode (it has nothing to do)
"""
import contextlib
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


def timed(cmd, pick=min):
    """Wall time of cmd, the best of REPEATS runs (or another pick of them, e.g. the median)."""
    times = []
    for _ in range(REPEATS):
        start = time.monotonic()
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
        times.append(time.monotonic() - start)
        if done.returncode != 0:
            sys.exit("benchmark run failed (%d): %s\n%s" % (done.returncode, " ".join(cmd), done.stdout.decode()[-2000:]))
    return pick(times)


def median(values):
    return sorted(values)[len(values) // 2]


def cosim_cmd(program, mode):
    return [RUNNER, CONFIG, "--qemu", QEMU, "--program", program, "--mode", mode]


def cosim(program, mode):
    return timed(cosim_cmd(program, mode))


@contextlib.contextmanager
def hogs(n):
    """n CPU-bound processes for the duration of the block."""
    procs = [subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) for _ in range(n)]
    try:
        yield
    finally:
        for p in procs:
            p.kill()
            p.wait()


def own_cpu_seconds(cmd):
    """Runs cmd; returns (wall seconds, CPU seconds of that process alone, not its children)."""
    hz = os.sysconf("SC_CLK_TCK")
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    ticks = 0
    while proc.poll() is None:  # sampled: once reaped, a process's own times are gone
        try:
            with open("/proc/%d/stat" % proc.pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ticks = int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
        time.sleep(0.02)
    out = proc.stdout.read()
    if proc.returncode != 0:
        sys.exit("benchmark run failed (%d): %s\n%s" % (proc.returncode, " ".join(cmd), out.decode()[-2000:]))
    return time.monotonic() - start, ticks / hz


def mmio_rate(short, long, n, mode):
    t_short = cosim(os.path.join(short, "throughput.elf"), mode)
    t_long = cosim(os.path.join(long, "throughput.elf"), mode)
    return n / (t_long - t_short)


def plain_qemu(program):
    return timed([QEMU, "-M", "virt", "-m", "128M", "-bios", "none", "-nographic", "-icount", "shift=0,sleep=off",
                  "-kernel", program])


def main():
    if not os.path.exists(QEMU):
        sys.exit("no QEMU at %s: run scripts/build-qemu.sh" % QEMU)
    short_n, long_n = 50000, 550000
    short = build_variant("throughput-short", THROUGHPUT_N=short_n)
    long = build_variant("throughput-long", THROUGHPUT_N=long_n)
    rates = {}
    for mode in ("fast", "deterministic"):
        rates[mode] = mmio_rate(short, long, long_n - short_n, mode)
        print("mmio_roundtrips_per_s_%s: %.0f round-trips/s" % (mode, rates[mode]), flush=True)

    loop_short = build_variant("loop-short", COMPUTE_LOOP_N=20000000)
    loop_long = build_variant("loop-long", COMPUTE_LOOP_N=220000000)
    plain = plain_qemu(os.path.join(loop_long, "compute_loop.elf")) - plain_qemu(os.path.join(loop_short, "compute_loop.elf"))
    cosimulated = (cosim(os.path.join(loop_long, "compute_loop.elf"), "deterministic") -
                   cosim(os.path.join(loop_short, "compute_loop.elf"), "deterministic"))
    print("compute_loop_plain_qemu_s: %.3f s" % plain)
    print("compute_loop_cosim_s: %.3f s" % cosimulated)
    print("compute_loop_speed_ratio: %.3f x" % (plain / cosimulated), flush=True)

    with hogs(1):
        contended = mmio_rate(short, long, long_n - short_n, "fast")
    print("mmio_roundtrips_per_s_fast_contended: %.0f round-trips/s (beside 1 CPU hog; target >= 50000)" % contended)
    print("mmio_fast_contended_vs_quiet: %.2f x" % (contended / rates["fast"]), flush=True)

    # The median beside the hogs: a lucky run among slow ones must not hide them.
    run = cosim_cmd(os.path.join(long, "throughput.elf"), "deterministic")
    quiet = timed(run)
    with hogs(2):
        busy = timed(run, pick=median)
    print("cosim_run_s: %.2f s (deterministic, %d echo reads)" % (quiet, long_n))
    print("cosim_run_s_contended: %.2f s (beside 2 CPU hogs, median of %d)" % (busy, REPEATS))
    print("cosim_slowdown_contended: %.2f x (target <= 3)" % (busy / quiet), flush=True)

    # Fast mode, compute only: the simulator waits for QEMU's SYNCs and should sleep meanwhile.
    loop_idle = build_variant("loop-idle", COMPUTE_LOOP_N=1000000000)  # a few seconds
    idle_short = own_cpu_seconds(cosim_cmd(os.path.join(loop_short, "compute_loop.elf"), "fast"))
    idle_long = own_cpu_seconds(cosim_cmd(os.path.join(loop_idle, "compute_loop.elf"), "fast"))
    share = (idle_long[1] - idle_short[1]) / (idle_long[0] - idle_short[0])
    print("sim_cpu_idle_fast: %.0f %% of a core (a compute-only guest in fast mode)" % (100 * max(share, 0)))


if __name__ == "__main__":
    main()
