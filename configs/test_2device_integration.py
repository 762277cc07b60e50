"""Two devices behind one QEMU: an echo device at 0x10200000 and a compute device at 0x10300000.

    qemu-sst configs/test_2device_integration.py [--mode fast] [--program prog.elf] [--qemu PATH] [--standin]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_sst_common as common  # noqa: E402

args = common.parse_args(__doc__, common.guest_program("multi_device_test"),
                         os.path.join(common.REPO, "tests", "standin", "scripts", "two_devices.script"))
echo = common.device("echo_device", "echo", latency=10)
compute = common.device("compute_device", "compute")
common.add_bridge(args, [("echo_device", 0x10200000, echo), ("compute_device", 0x10300000, compute)])
common.enable_statistics(args)
