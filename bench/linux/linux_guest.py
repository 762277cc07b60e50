"""Bench config: Linux in QEMU with one virtio-sst device `sst0` (as configs/linux_basic.py),
plus extra QEMU arguments for the bridge (e.g. a stock virtio-serial port to compare against).

    qemu-sst bench/linux/linux_guest.py --qemu Q --kernel Image --initrd initrd.cpio.gz
                                        [--mode fast] [--append-extra "..."] [--qemu-args "..."]
"""
import argparse
import sys

import sst

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--qemu", required=True)
parser.add_argument("--kernel", required=True)
parser.add_argument("--initrd", required=True)
parser.add_argument("--bios", default="/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin")
parser.add_argument("--append-extra", default="")
parser.add_argument("--qemu-args", default="", help="extra QEMU arguments, separated by spaces")
parser.add_argument("--memory", default="256M")
parser.add_argument("--mode", choices=["deterministic", "fast"], default="fast")
parser.add_argument("--verbose", type=int, default=1)
args = parser.parse_args()

bridge = sst.Component("qemu", "qemubinary.QEMUBinary")
bridge.addParams({
    "qemu_path": args.qemu,
    "binary_path": args.kernel,
    "initrd": args.initrd,
    "bios": args.bios,
    "append": ("console=ttyS0 quiet " + args.append_extra).strip(),
    "memory": args.memory,
    "time_mode": args.mode,
    "verbose": args.verbose,
    "clock": "1GHz",
    "num_devices": 0,
    "num_virtio_devices": 1,
    "virtio0_name": "sst0",
    "qemu_args": args.qemu_args,
})
device = sst.Component("sst0", "acalsim.VirtIODevice")
device.addParams({"clock": "1GHz", "memory_size": "1MiB", "service_latency": 5, "verbose": 0})
model = sst.Component("compute0", "acalsim.ComputeModel")
model.addParams({"clock": "1GHz", "latency_model": "linear", "verbose": 0})
sst.Link("virtio_sst0").connect((bridge, "virtio_port_0", "1ns"), (device, "bridge_port", "1ns"))
sst.Link("compute_sst0").connect((device, "compute_port", "1ns"), (model, "device_port", "1ns"))
