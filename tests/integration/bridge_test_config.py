"""A bridge with N devices of given kinds, every knob on the command line: the integration tests'
one config.  Devices sit 1 MiB apart from --base."""
import os
import sys

import sst

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import integration_config as common  # noqa: E402

parser = common.argument_parser()
parser.add_argument("--devices", default="echo,compute", help="comma-separated: echo or compute")
parser.add_argument("--base", default="0x10200000")
parser.add_argument("--echo-latency", default="10")
parser.add_argument("--device-param", action="append", default=[], help="INDEX:KEY=VALUE")
args = parser.parse_args(sys.argv[1:])

bridge, params = common.bridge(args)
kinds = args.devices.split(",")
params["num_devices"] = len(kinds)
device_params = {}
for item in args.device_param:
    index, kv = item.split(":", 1)
    key, value = kv.split("=", 1)
    device_params.setdefault(int(index), {})[key] = value

for i, kind in enumerate(kinds):
    name = "%s%d" % (kind, i)
    params["device%d_name" % i] = name
    params["device%d_base" % i] = hex(int(args.base, 0) + i * 0x100000)
    if kind == "echo":
        dev = sst.Component(name, "acalsim.EchoDevice")
        dev.addParams({"latency": args.echo_latency})
    else:
        dev = sst.Component(name, "acalsim.ComputeDevice")
        sst.Link("irq%d" % i).connect((bridge, "irq_port_%d" % i, args.link_latency), (dev, "irq_port", args.link_latency))
    dev.addParams(device_params.get(i, {}))
    sst.Link("dev%d" % i).connect((bridge, "device_port_%d" % i, args.link_latency), (dev, "cpu_port", args.link_latency))

params.update(common.key_values(args.bridge_param))
bridge.addParams(params)

common.enable_statistics(args)
