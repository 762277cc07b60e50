"""Four devices behind one QEMU: echo and compute devices alternating from 0x10200000, 1 MiB apart.

    qemu-sst configs/qemu_4device_test.py [--mode fast] [--program prog.elf] [--qemu PATH] [--standin]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_sst_common as common  # noqa: E402

args = common.parse_args(__doc__, common.guest_program("multi_device_test"),
                         os.path.join(common.REPO, "tests", "standin", "scripts", "four_devices.script"))
devices = [
    ("echo0", 0x10200000, common.device("echo0", "echo", latency=10)),
    ("compute0", 0x10300000, common.device("compute0", "compute")),
    ("echo1", 0x10400000, common.device("echo1", "echo", latency=20)),
    ("compute1", 0x10500000, common.device("compute1", "compute", mul_latency=5)),
]
common.add_bridge(args, devices)
common.enable_statistics(args)
