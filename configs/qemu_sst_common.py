"""Helpers shared by the configs in this directory: locating the QEMU to launch and the guest
program, and wiring a bridge to its devices.  Imported by the configs with a sys.path tweak."""
import argparse
import os
import sys

import sst

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("QEMU_SST_BUILD", os.path.join(REPO, "build"))


QEMU_DEFAULT = os.environ.get(
    "QEMU_SST_QEMU", os.path.join(os.path.expanduser("~"), ".cache", "qemu-sst", "qemu-current", "bin", "qemu-system-riscv64"))
STANDIN = os.path.join(BUILD, "bin", "qemu-standin")


def guest_program(name, arch="rv64"):
    """A bare-metal program built from guest/baremetal (make builds them into build/guest)."""
    return os.path.join(BUILD, "guest", arch, name + ".elf")


def parse_args(description, default_program, standin_script):
    """Options after the config name: qemu-sst CONFIG --mode fast --program prog.elf ..."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--qemu", default=QEMU_DEFAULT, help="QEMU to launch (default: the one scripts/build-qemu.sh built)")
    parser.add_argument("--program", default=default_program, help="guest program passed to QEMU as -kernel")
    parser.add_argument("--standin", action="store_true",
                        help="run the QEMU stand-in (tests/standin) and its scripted guest instead of QEMU")
    parser.add_argument("--mode", choices=["deterministic", "fast"], default="deterministic")
    parser.add_argument("--verbose", type=int, default=2)
    parser.add_argument("--stats-csv", default="", help="write statistics to this CSV file instead of the console")
    args = parser.parse_args()
    if args.standin:
        args.qemu, args.program = STANDIN, standin_script
    for what, path, hint in (("QEMU", args.qemu, "run scripts/build-qemu.sh (make qemu) or pass --qemu"),
                             ("guest program", args.program, "run make (it builds guest/baremetal) or pass --program")):
        if not os.path.exists(path):
            sys.exit("%s not found at %s: %s" % (what, path, hint))
    return args


def add_bridge(args, devices, clock="1GHz"):
    """devices: list of (name, base, component) with each component already created."""
    bridge = sst.Component("qemu", "qemubinary.QEMUBinary")
    params = {
        "binary_path": args.program,
        "qemu_path": args.qemu,
        "num_devices": len(devices),
        "clock": clock,
        "time_mode": args.mode,
        "verbose": args.verbose,
    }
    for i, (name, base, component) in enumerate(devices):
        params["device%d_name" % i] = name
        params["device%d_base" % i] = "0x%x" % base
        params["device%d_size" % i] = "4096"
        sst.Link("link_%s" % name).connect((bridge, "device_port_%d" % i, "1ns"), (component, "cpu_port", "1ns"))
        if component_has_irq(component):
            sst.Link("irq_%s" % name).connect((bridge, "irq_port_%d" % i, "1ns"), (component, "irq_port", "1ns"))
    bridge.addParams(params)
    return bridge


_irq_components = set()


def compute_device(name, **params):
    comp = sst.Component(name, "acalsim.ComputeDevice")
    comp.addParams(dict({"clock": "1GHz"}, **params))
    _irq_components.add(name)
    return comp


def echo_device(name, **params):
    comp = sst.Component(name, "acalsim.QEMUDevice")
    comp.addParams(dict({"clock": "1GHz", "latency": 10}, **params))
    return comp


def component_has_irq(component):
    return component.getFullName() in _irq_components


def enable_statistics(args):
    sst.setStatisticLoadLevel(5)
    sst.enableAllStatisticsForAllComponents()
    if args.stats_csv:
        sst.setStatisticOutput("sst.statOutputCSV", {"filepath": args.stats_csv, "separator": ","})
    else:
        sst.setStatisticOutput("sst.statOutputConsole")
