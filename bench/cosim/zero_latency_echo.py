"""One echo device answering in zero cycles over zero-latency links: what remains of a guest load's
round trip is the co-simulation's own cost.  Used by cosim_bench.py."""
import argparse

import sst

parser = argparse.ArgumentParser()
parser.add_argument("--qemu", required=True)
parser.add_argument("--program", required=True)
parser.add_argument("--mode", default="deterministic")
args = parser.parse_args()

bridge = sst.Component("qemu", "qemubinary.QEMUBinary")
bridge.addParams({"binary_path": args.program, "qemu_path": args.qemu, "time_mode": args.mode, "num_devices": 1,
                  "device0_name": "echo_device", "device0_base": "0x10200000", "verbose": 0})
echo = sst.Component("echo_device", "acalsim.EchoDevice")
echo.addParams({"latency": 0})
sst.Link("echo").connect((bridge, "device_port_0", "0ps"), (echo, "cpu_port", "0ps"))
