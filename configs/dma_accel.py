"""Devices that reach guest memory: a DMA copy engine (device 0) and a matrix-multiply accelerator
(device 1), each through its own memory timing model (acalsim.MemoryTiming) to the guest's RAM.

    qemu-sst configs/dma_accel.py [--mode fast] [--program prog.elf] [--qemu PATH] [--pes N]

The default program is dma_test; build/guest/rv64/accel_test.elf drives the accelerator.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_sst_common as common  # noqa: E402

# The accelerator's parallelism, from the command line too (qemu-sst ... -- --pes 64).
pes = "16"
if "--pes" in sys.argv:
    i = sys.argv.index("--pes")
    pes = sys.argv[i + 1]
    del sys.argv[i:i + 2]

args = common.parse_args(__doc__, common.guest_program("dma_test"))
memory = {"latency": 50, "bytes_per_cycle": 16, "max_outstanding": 8}
dma = common.device("dma_engine", "dma", memory=memory)
accel = common.device("matmul_accel", "matmul", memory=memory, pes=pes)
common.add_bridge(args, [("dma_engine", common.device_base(0), dma), ("matmul_accel", common.device_base(1), accel)])
common.enable_statistics(args)
