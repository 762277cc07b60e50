"""The same element and config on both engines: qemu-sst's embedded engine and a real sst-core.

bench/engine/ring.py (elements/benchring: 256 events circling 64 nodes over 1 ns links) runs for the
same simulated time on each; each engine's own measure of its run loop gives the rate, so Python
start-up and library loading do not count.  Prints `name: value unit` lines:

  engine_ring_events_per_s             events the embedded engine delivers per second (qemu-sst)
  sst_core_ring_events_per_s           the same under sst-core's sst, in this run
  engine_vs_sst_core_events_ratio      the first over the second (target >= 1: not slower than SST)

Without an sst-core (scripts/build-sst-core.sh; CMake finds it) it says so on stderr and prints
nothing.  usage: engine_vs_sst_core.py BUILD_DIR
"""
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONFIG = os.path.join(REPO, "bench", "engine", "ring.py")
EVENTS_IN_FLIGHT = 256  # each delivered once per simulated ns
SIM_US = 100


def cache_value(build, name):
    with open(os.path.join(build, "CMakeCache.txt")) as cache:
        for line in cache:
            if line.startswith(name + ":"):
                return line.split("=", 1)[1].strip()
    return ""


def run(argv, pattern, what):
    out = subprocess.run(argv, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("%s failed (exit %d):\n%s%s" % (what, out.returncode, out.stdout, out.stderr))
    found = re.search(pattern, out.stdout, re.S)
    if not found:
        sys.exit("%s printed no run time:\n%s" % (what, out.stdout))
    return float(found.group(1))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: engine_vs_sst_core.py BUILD_DIR")
    build = os.path.abspath(sys.argv[1])
    sst = cache_value(build, "QEMU_SST_SST_BINARY")
    elements = os.path.join(build, "sst-core", "elements")
    if not sst or sst == "-" or not os.path.exists(os.path.join(elements, "libbenchring.so")):
        print("engine_vs_sst_core: skipped: no sst-core found by CMake (scripts/build-sst-core.sh)", file=sys.stderr)
        return
    stop = "--stop-at=%dus" % SIM_US
    events = EVENTS_IN_FLIGHT * SIM_US * 1000
    ours = run([os.path.join(build, "bin", "qemu-sst"), stop, "--print-timing-info", CONFIG],
               r"Timing: run ([0-9.]+) s", "qemu-sst")
    # --print-timing-info=2 breaks the total down; "execute" is sst-core's run loop.
    theirs = run([sst, "--add-lib-path=" + elements, stop, "--print-timing-info=2", CONFIG],
                 r"execute\s*\n\s*.*Duration: ([0-9.e+-]+) s", "sst")
    print("engine_ring_events_per_s: %.0f events/s" % (events / ours))
    print("sst_core_ring_events_per_s: %.0f events/s" % (events / theirs))
    print("engine_vs_sst_core_events_ratio: %.2f x" % (theirs / ours))


if __name__ == "__main__":
    main()
