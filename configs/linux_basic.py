"""Linux in QEMU with one virtio-sst device `sst0`: bridge -> acalsim.VirtIODevice -> acalsim.ComputeModel, and
the device's DMA on the apps' own buffers (SST_REQ_BUFFERS) through acalsim.MemoryTiming back to the bridge.

    qemu-sst configs/linux_basic.py [--mode fast] [--kernel Image] [--initrd initrd.cpio.gz] [--qemu PATH]
                                    [--append-extra "..."] [--qemu-args "..."] [--stats-csv FILE]
                                    [--verbose N] [--console output|interactive]
    qemu-sst configs/linux_basic.py --standin --script FILE    # the QEMU stand-in runs FILE instead
    qemu-sst configs/linux_basic.py --mode fast --listen-dir DIR [--attach]
    qemu-sst configs/linux_basic.py --app my_app.c [--app-args "-n 3"]   # your own program instead of sst-test

--listen-dir makes the sockets' paths fixed; a QEMU started that way survives its simulator being
stopped (if it is not the simulator's child: see tests/linux) and its virtio-sst-device reconnects
to the next simulation run with --attach on the same DIR, which serves it until it disconnects.
--attach alone is the seed's three-terminal workflow: the simulator waits for scripts/run-linux.sh
--listen-dir DIR, run in another terminal, to start QEMU (README, "Three terminals").

--app FILE_OR_DIR builds an initramfs with your program in it and runs it instead of sst-test: a C
file (or a directory of them) is compiled for the guest with <sst_uapi.h>, <libsst.h> and
<qemu-sst/virtio_sst.h> on the include path and libsst linked in; a ready RISC-V static executable
is copied as it is.  The run ends with the program's exit status.

QEMU boots OpenSBI (fw_dynamic.bin) with the kernel Image and initrd on the riscv virt machine.
"""
import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_sst_common as common  # noqa: E402

import sst  # noqa: E402

CACHE = os.path.join(os.path.expanduser("~"), ".cache", "qemu-sst")
parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--qemu", default=common.QEMU_DEFAULT, help="QEMU to launch")
parser.add_argument("--bios", default="/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin",
                    help="firmware (QEMU -bios)")
# The kernel `make linux` built for this build tree, else the one scripts/build-linux.sh built last.
KERNEL_DEFAULT = next(k for k in (os.path.join(common.BUILD, "linux", "Image"), os.path.join(CACHE, "linux-current", "Image"))
                      if os.path.exists(k) or "linux-current" in k)
parser.add_argument("--kernel", default=KERNEL_DEFAULT, help="kernel Image (-kernel)")
parser.add_argument("--initrd", default=os.path.join(common.BUILD, "guest", "linux", "initrd.cpio.gz"),
                    help="initial RAM disk (-initrd)")
parser.add_argument("--append-extra", default="", help="added to the kernel command line")
parser.add_argument("--qemu-args", default="", help="extra QEMU arguments, separated by spaces")
parser.add_argument("--memory", default="256M")
parser.add_argument("--smp", type=int, default=1, help="guest harts (more than 1: fast mode only)")
parser.add_argument("--mode", choices=["deterministic", "fast"], default="deterministic")
parser.add_argument("--verbose", type=int, default=1)
parser.add_argument("--console", choices=["output", "interactive"], default=None,
                    help="interactive: type into the guest console (QEMU reads this terminal); the default is "
                         "interactive with sst_mode=shell in --append-extra, else output only")
parser.add_argument("--stats-csv", default="", help="write statistics to this CSV file instead of the console")
parser.add_argument("--trace", default="", metavar="FILE",
                    help="write a timeline of the run to FILE (Trace Event Format JSON; scripts/plot-trace draws it)")
parser.add_argument("--bounded-horizons", action="store_true", help=common.BOUNDED_HORIZONS_HELP)
parser.add_argument("--link-latency", default="1ns",
                    help="latency of every link; under MPI the ranks synchronise once per the shortest latency "
                         "between them, so a run on several ranks wants a longer one (README, Real sst-core)")
parser.add_argument("--standin", action="store_true", help="run the QEMU stand-in (tests/standin) instead of QEMU")
parser.add_argument("--script", default="", help="with --standin: the stand-in's guest script")
parser.add_argument("--latency-model", default="linear", choices=["fixed", "linear", "pipelined"],
                    help="compute model's default latency model")
parser.add_argument("--listen-dir", default="",
                    help="listen in this directory under fixed socket names (not a private one), so that a QEMU "
                         "outliving this simulation can connect to the next one")
parser.add_argument("--app", default="",
                    help="run this program in the guest instead of sst-test: a C file, a directory of C files (the "
                         "first in name order runs), or a RISC-V static executable")
parser.add_argument("--app-args", default="", help="arguments for --app's program")
parser.add_argument("--attach", action="store_true",
                    help="start no QEMU: serve one that connects in --listen-dir: scripts/run-linux.sh --listen-dir "
                         "DIR started in another terminal, or (fast mode) the QEMU of an earlier run whose "
                         "simulator was stopped")
args = parser.parse_args()
if args.attach and not args.listen_dir:
    sys.exit("--attach needs --listen-dir DIR: where the running QEMU's virtio-sst-device connects")



def app_initrd(app, initrd):
    """An initramfs like `initrd` with `app` in /apps: returns (its path, the program's name)."""
    app = os.path.abspath(app)
    if not os.path.exists(app):
        sys.exit("--app %s: no such file or directory" % app)
    sources = sorted(os.path.join(app, f) for f in os.listdir(app)) if os.path.isdir(app) else [app]
    programs = [f for f in sources if f.endswith(".c") or os.access(f, os.X_OK)]
    if not programs:
        sys.exit("--app %s: no C file or executable in it" % app)
    # Keyed by the contents, so an unchanged app is not built again.
    digest = hashlib.sha256()
    # The test image too: it changes with the module, the apps and the init this one is made of.
    for f in sources + [os.path.join(common.REPO, "guest", "linux", "apps", "libsst.c"), initrd]:
        if os.path.isfile(f):
            digest.update(f.encode() + open(f, "rb").read())
    out = os.path.join(common.BUILD, "guest", "linux", "app-" + digest.hexdigest()[:16] + ".cpio.gz")
    name = os.path.splitext(os.path.basename(programs[0]))[0]
    if os.path.exists(out):
        return out, name
    busybox = os.path.join(os.path.dirname(KERNEL_DEFAULT), "busybox")
    with tempfile.TemporaryDirectory(prefix="qemu-sst-app-") as stage:
        for f in sources:
            if os.path.isfile(f):
                shutil.copy2(f, stage)
        cmd = [os.path.join(common.REPO, "guest", "linux", "image", "mkinitramfs.sh"), out + ".tmp", "--mode", "test",
               "--busybox", busybox, "--module", os.path.join(common.REPO, "guest", "linux", "driver", "virtio-sst.ko"),
               "--apps", os.path.join(common.REPO, "guest", "linux", "apps"), "--user-dir", stage]
        print("linux_basic: building an initramfs with %s" % app, flush=True)
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if done.returncode != 0:
            sys.exit("--app %s: building the initramfs failed:\n%s" % (app, done.stdout.decode()))
        os.replace(out + ".tmp", out)
    return out, name


if args.app:
    args.initrd, app_name = app_initrd(args.app, args.initrd)
    args.append_extra = ("sst_app=%s %s %s" % (app_name, 'sst_test_args="%s"' % args.app_args if args.app_args else "",
                                               args.append_extra)).strip()

if args.standin:
    if not args.script:
        sys.exit("--standin needs --script FILE (the stand-in's guest program)")
    args.qemu, args.kernel, args.initrd, args.bios = common.STANDIN, args.script, "", "none"
for what, path, hint in (("QEMU", args.qemu, "run scripts/build-qemu.sh (make qemu) or pass --qemu"),
                         ("kernel", args.kernel, "build Linux or pass --kernel"),
                         ("initrd", args.initrd, "build guest/linux (make) or pass --initrd"),
                         ("firmware", args.bios, "install opensbi or pass --bios")):
    if path and path != "none" and not os.path.exists(path) and not args.attach:
        sys.exit("%s not found at %s: %s" % (what, path, hint))

bridge = sst.Component("qemu", "qemubinary.QEMUBinary")
params = {
    "qemu_path": args.qemu,
    "binary_path": args.kernel,
    "bios": args.bios,
    "append": ("console=ttyS0 quiet " + args.append_extra).strip(),
    "memory": args.memory,
    "cpus": args.smp,
    "time_mode": args.mode,
    "exact_horizons": "false" if args.bounded_horizons else "true",
    "verbose": args.verbose,
    "trace_file": args.trace,
    "clock": "1GHz",
    "num_devices": 0,
    "num_virtio_devices": 1,
    "virtio0_name": "sst0",
    "console": args.console or ("interactive" if "sst_mode=shell" in args.append_extra else "output"),
}
if args.initrd:
    params["initrd"] = args.initrd
if args.qemu_args:
    params["qemu_args"] = args.qemu_args
if args.listen_dir:
    params["listen_dir"] = args.listen_dir
if args.attach:
    params["launch_qemu"] = "false"
    params["connect_timeout"] = "600s"  # a person starts QEMU (scripts/run-linux.sh) in another terminal
bridge.addParams(params)

device = sst.Component("sst0", "acalsim.VirtIODevice")
device.addParams({"clock": "1GHz", "memory_size": "1MiB", "service_latency": 5, "verbose": max(0, args.verbose - 1)})
model = sst.Component("compute0", "acalsim.ComputeModel")
model.addParams({"clock": "1GHz", "latency_model": args.latency_model, "verbose": max(0, args.verbose - 1)})
sst.Link("virtio_sst0").connect((bridge, "virtio_port_0", args.link_latency), (device, "bridge_port", args.link_latency))
sst.Link("compute_sst0").connect((device, "compute_port", args.link_latency), (model, "device_port", args.link_latency))
memory = sst.Component("sst0_memory", "acalsim.MemoryTiming")
memory.addParams({"latency": 50, "bytes_per_cycle": 16, "max_outstanding": 8})
sst.Link("dma_sst0").connect((device, "dma_port", args.link_latency), (memory, "device_port", args.link_latency))
sst.Link("mem_sst0").connect((memory, "memory_port", args.link_latency), (bridge, "virtio_dma_port_0", args.link_latency))

common.enable_statistics(args)
