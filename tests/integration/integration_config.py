"""What the integration tests' configs share: their common options, the bridge launching the
stand-in, and statistics.  Imported by the configs in this directory with a sys.path tweak."""
import argparse

import sst


def argument_parser():
    """The options every integration config takes; each config adds its own."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--qemu", required=True)
    parser.add_argument("--script", required=True)
    parser.add_argument("--mode", default="deterministic")
    parser.add_argument("--link-latency", default="1ns")
    parser.add_argument("--quantum", default="1us")
    parser.add_argument("--verbose", default="2")
    parser.add_argument("--stats-csv", default="")
    parser.add_argument("--bridge-param", action="append", default=[], help="KEY=VALUE, overrides")
    return parser


def key_values(items):
    """["KEY=VALUE", ...] as a dict."""
    return dict(item.split("=", 1) for item in items)


def bridge(args):
    """The bridge and the parameters every config gives it; the config adds its devices' parameters
    and --bridge-param overrides before calling addParams."""
    component = sst.Component("qemu", "qemubinary.QEMUBinary")
    params = {
        "binary_path": args.script,
        "qemu_path": args.qemu,
        "time_mode": args.mode,
        "sync_quantum": args.quantum,
        "verbose": args.verbose,
        "connect_timeout": "5s",
    }
    return component, params


def enable_statistics(args):
    sst.setStatisticLoadLevel(5)
    sst.enableAllStatisticsForAllComponents()
    if args.stats_csv:
        sst.setStatisticOutput("sst.statOutputCSV", {"filepath": args.stats_csv, "separator": ","})
