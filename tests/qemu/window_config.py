"""configs/test_2device_integration.py with the compute device's window placed by --compute-base ADDR:
the qemu tier's checks that the bridge refuses overlapping windows before it starts QEMU.

    qemu-sst tests/qemu/window_config.py --compute-base 0x80001000 [configs/qemu_sst_common.py options]
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "configs"))
import qemu_sst_common as common  # noqa: E402

compute_base = 0x10300000
if "--compute-base" in sys.argv:
    at = sys.argv.index("--compute-base")
    compute_base = int(sys.argv[at + 1], 0)
    del sys.argv[at:at + 2]

args = common.parse_args(__doc__, common.guest_program("multi_device_test"),
                         os.path.join(common.REPO, "tests", "standin", "scripts", "two_devices.script"))
echo = common.device("echo_device", "echo", latency=10)
compute = common.device("compute_device", "compute")
common.add_bridge(args, [("echo_device", 0x10200000, echo), ("compute_device", compute_base, compute)])
common.enable_statistics(args)
