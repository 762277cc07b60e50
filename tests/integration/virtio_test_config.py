"""A bridge with one virtio-sst device `sst0` (acalsim.VirtIODevice) and, unless --no-compute, its
compute model (acalsim.ComputeModel): the virtio integration tests' config."""
import os
import sys

import sst

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import integration_config as common  # noqa: E402

parser = common.argument_parser()
parser.add_argument("--no-compute", action="store_true")
parser.add_argument("--mmio-echo", action="store_true", help="also an MMIO echo device (device window 0)")
parser.add_argument("--device-param", action="append", default=[], help="KEY=VALUE for the virtio device")
parser.add_argument("--model-param", action="append", default=[], help="KEY=VALUE for the compute model")
args = parser.parse_args(sys.argv[1:])

bridge, params = common.bridge(args)
params.update({"num_devices": 0, "num_virtio_devices": 1, "virtio0_name": "sst0"})
if args.mmio_echo:
    params.update({"num_devices": 1, "device0_name": "echo0", "device0_base": "0x10200000"})
    echo = sst.Component("echo0", "acalsim.EchoDevice")
    sst.Link("echo_link").connect((bridge, "device_port_0", args.link_latency), (echo, "cpu_port", args.link_latency))
params.update(common.key_values(args.bridge_param))
bridge.addParams(params)

device = sst.Component("sst0", "acalsim.VirtIODevice")
device.addParams(dict({"clock": "1GHz", "verbose": 1}, **common.key_values(args.device_param)))
sst.Link("virtio_link").connect((bridge, "virtio_port_0", args.link_latency), (device, "bridge_port", args.link_latency))
if not args.no_compute:
    model = sst.Component("model0", "acalsim.ComputeModel")
    model.addParams(dict({"clock": "1GHz", "verbose": 1}, **common.key_values(args.model_param)))
    sst.Link("compute_link").connect((device, "compute_port", args.link_latency), (model, "device_port", args.link_latency))

common.enable_statistics(args)
