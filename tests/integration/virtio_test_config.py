"""A bridge with one virtio-sst device `sst0` (acalsim.VirtIODevice) and, unless --no-compute, its
compute model (acalsim.ComputeModel): the virtio integration tests' config."""
import argparse
import sys

import sst

parser = argparse.ArgumentParser()
parser.add_argument("--qemu", required=True)
parser.add_argument("--script", required=True)
parser.add_argument("--mode", default="deterministic")
parser.add_argument("--link-latency", default="1ns")
parser.add_argument("--quantum", default="1us")
parser.add_argument("--verbose", default="2")
parser.add_argument("--stats-csv", default="")
parser.add_argument("--no-compute", action="store_true")
parser.add_argument("--mmio-echo", action="store_true", help="also an MMIO echo device (device window 0)")
parser.add_argument("--bridge-param", action="append", default=[], help="KEY=VALUE")
parser.add_argument("--device-param", action="append", default=[], help="KEY=VALUE for the virtio device")
parser.add_argument("--model-param", action="append", default=[], help="KEY=VALUE for the compute model")
args = parser.parse_args(sys.argv[1:])


def kv(items):
    return dict(item.split("=", 1) for item in items)


bridge = sst.Component("qemu", "qemubinary.QEMUBinary")
params = {
    "binary_path": args.script,
    "qemu_path": args.qemu,
    "time_mode": args.mode,
    "sync_quantum": args.quantum,
    "verbose": args.verbose,
    "connect_timeout": "5s",
    "num_devices": 0,
    "num_virtio_devices": 1,
    "virtio0_name": "sst0",
}
if args.mmio_echo:
    params.update({"num_devices": 1, "device0_name": "echo0", "device0_base": "0x10200000"})
    echo = sst.Component("echo0", "acalsim.QEMUDevice")
    sst.Link("echo_link").connect((bridge, "device_port_0", args.link_latency), (echo, "cpu_port", args.link_latency))
params.update(kv(args.bridge_param))
bridge.addParams(params)

device = sst.Component("sst0", "acalsim.VirtIODevice")
device.addParams(dict({"clock": "1GHz", "verbose": 1}, **kv(args.device_param)))
sst.Link("virtio_link").connect((bridge, "virtio_port_0", args.link_latency), (device, "bridge_port", args.link_latency))
if not args.no_compute:
    model = sst.Component("model0", "acalsim.ComputeModel")
    model.addParams(dict({"clock": "1GHz", "verbose": 1}, **kv(args.model_param)))
    sst.Link("compute_link").connect((device, "compute_port", args.link_latency), (model, "device_port", args.link_latency))

sst.setStatisticLoadLevel(5)
sst.enableAllStatisticsForAllComponents()
if args.stats_csv:
    sst.setStatisticOutput("sst.statOutputCSV", {"filepath": args.stats_csv, "separator": ","})
