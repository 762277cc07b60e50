"""Helpers shared by the configs in this directory: locating the QEMU to launch and the guest
program, and wiring a bridge to its devices.  Imported by the configs with a sys.path tweak."""
import argparse
import functools
import glob
import os
import re
import sys

import sst

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("QEMU_SST_BUILD", os.path.join(REPO, "build"))


# The QEMU `make qemu` built for this build tree, else the one scripts/build-qemu.sh built last.
QEMU_DEFAULT = os.environ.get("QEMU_SST_QEMU", next(
    q for q in (os.path.join(BUILD, "qemu", "bin", "qemu-system-riscv64"),
                os.path.join(os.path.expanduser("~"), ".cache", "qemu-sst", "qemu-current", "bin", "qemu-system-riscv64"))
    if os.path.exists(q) or "qemu-current" in q))
STANDIN = os.path.join(BUILD, "bin", "qemu-standin")


def guest_program(name, arch="rv64"):
    """A bare-metal program built from guest/baremetal (make builds them into build/guest)."""
    return os.path.join(BUILD, "guest", arch, name + ".elf")


def parse_args(description, default_program, standin_script=None):
    """Options after the config name: qemu-sst CONFIG --mode fast --program prog.elf ..."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--qemu", default=QEMU_DEFAULT, help="QEMU to launch (default: the one scripts/build-qemu.sh built)")
    parser.add_argument("--program", default=default_program, help="guest program passed to QEMU as -kernel")
    parser.add_argument("--standin", action="store_true",
                        help="run the QEMU stand-in (tests/standin) and its scripted guest instead of QEMU")
    parser.add_argument("--mode", choices=["deterministic", "fast"], default="deterministic")
    parser.add_argument("--verbose", type=int, default=2)
    parser.add_argument("--stats-csv", default="", help="write statistics to this CSV file instead of the console")
    parser.add_argument("--trace", default="", metavar="FILE",
                        help="write a timeline of the run to FILE (Trace Event Format JSON: Perfetto, chrome://tracing, "
                             "scripts/plot-trace)")
    parser.add_argument("--bounded-horizons", action="store_true", help=BOUNDED_HORIZONS_HELP)
    args = parser.parse_args()
    if args.standin:
        if not standin_script:
            sys.exit("this configuration has no stand-in script: run it with QEMU")
        args.qemu, args.program = STANDIN, standin_script
    for what, path, hint in (("QEMU", args.qemu, "run scripts/build-qemu.sh (make qemu) or pass --qemu"),
                             ("guest program", args.program, "run make (it builds guest/baremetal) or pass --program")):
        if not os.path.exists(path):
            sys.exit("%s not found at %s: %s" % (what, path, hint))
    return args


BOUNDED_HORIZONS_HELP = ("deterministic mode: quantum-bounded horizons, as under sst-core, instead of the embedded "
                         "engine's exact ones (the sst-core test tier compares the two engines so)")


def add_bridge(args, devices, clock="1GHz"):
    """devices: list of (name, base, component) with each component made by device()."""
    bridge = sst.Component("qemu", "qemubinary.QEMUBinary")
    params = {
        "binary_path": args.program,
        "qemu_path": args.qemu,
        "num_devices": len(devices),
        "clock": clock,
        "time_mode": args.mode,
        "verbose": args.verbose,
        "trace_file": args.trace,
        "exact_horizons": "false" if args.bounded_horizons else "true",
    }
    for i, (name, base, component) in enumerate(devices):
        kind = _kind_of[component.getFullName()]
        params["device%d_name" % i] = name
        params["device%d_base" % i] = "0x%x" % base
        params["device%d_size" % i] = "%d" % kind.window_size
        sst.Link("link_%s" % name).connect((bridge, "device_port_%d" % i, "1ns"), (component, "cpu_port", "1ns"))
        if kind.has_irq:
            sst.Link("irq_%s" % name).connect((bridge, "irq_port_%d" % i, "1ns"), (component, "irq_port", "1ns"))
        if kind.has_dma:
            # DMA goes through a memory timing model of its own to the bridge, which performs it.
            memory = sst.Component(name + "_memory", "acalsim.MemoryTiming")
            memory.addParams(_memory_params.get(component.getFullName(), {}))
            sst.Link("dma_%s" % name).connect((component, "dma_port", "1ns"), (memory, "device_port", "1ns"))
            sst.Link("mem_%s" % name).connect((memory, "memory_port", "1ns"), (bridge, "dma_port_%d" % i, "1ns"))
    bridge.addParams(params)
    return bridge


def _header_numbers(text):
    """The numeric #defines of a header's text, by name."""
    return {k: int(v, 0) for k, v in re.findall(r"^#define\s+(\w+)\s+(0x[0-9a-fA-F]+|[0-9]+)u?l*\b", text, re.M)}


def device_base(i):
    """Where device i's window sits on virt (SST_DEVICE_BASE(i) of sst_platform.h)."""
    platform = _header_numbers(open(os.path.join(REPO, "include", "qemu-sst", "sst_platform.h")).read())
    return platform["SST_DEVICE_BASE0"] + i * platform["SST_DEVICE_STRIDE"]


class DeviceKind:
    """A device kind's descriptor: the SST_<NAME>_KIND line of its register header (include/qemu-sst/
    device_kind.h says what each field is)."""

    def __init__(self, header, name, library, element, window_size, has_irq, has_dma):
        self.header, self.name, self.element = header, name, library + "." + element
        self.window_size, self.has_irq, self.has_dma = window_size, has_irq, has_dma


@functools.lru_cache(maxsize=None)
def device_kinds():
    """Every kind whose register header in include/qemu-sst has a descriptor, by name (read once)."""
    kinds = {}
    include = os.path.join(REPO, "include", "qemu-sst")
    for header in sorted(glob.glob(os.path.join(include, "*.h"))):
        text = open(header).read()
        defines = _header_numbers(text)
        for fields in re.findall(r"^#define\s+SST_\w+_KIND\s+\((.*)\)\s*$", text, re.M):
            name, library, element, _id, window, irq, dma = [f.strip() for f in fields.split(",")]
            kinds[name.strip('"')] = DeviceKind(header, name.strip('"'), library.strip('"'), element.strip('"'),
                                                defines[window] if window in defines else int(window, 0),
                                                irq == "1", dma == "1")
    return kinds


_kind_of = {}
_memory_params = {}


def device(name, kind, memory=None, **params):
    """A device component of `kind` (a descriptor's name, e.g. "echo"), with its parameters.  A kind
    with DMA reaches guest RAM through an acalsim.MemoryTiming whose parameters are `memory`."""
    kinds = device_kinds()
    if kind not in kinds:
        sys.exit("unknown device kind '%s': the register headers in include/qemu-sst describe %s"
                 % (kind, ", ".join(sorted(kinds))))
    comp = sst.Component(name, kinds[kind].element)
    comp.addParams(params)
    _kind_of[comp.getFullName()] = kinds[kind]
    if memory:
        if not kinds[kind].has_dma:
            sys.exit("device %s: memory=... is for kinds with DMA, and %s has none" % (name, kind))
        _memory_params[comp.getFullName()] = memory
    return comp


def enable_statistics(args):
    sst.setStatisticLoadLevel(5)
    sst.enableAllStatisticsForAllComponents()
    if args.stats_csv:
        sst.setStatisticOutput("sst.statOutputCSV", {"filepath": args.stats_csv, "separator": ","})
    else:
        sst.setStatisticOutput("sst.statOutputConsole")
