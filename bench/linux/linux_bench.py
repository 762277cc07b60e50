"""Linux-guest benchmark: the virtio-sst device against a stock virtio-serial port, same guest.

    /usr/bin/python3 bench/linux/linux_bench.py [BUILD_DIR]

Both runs boot the Linux guest under qemu-sst in fast mode (configs/linux_basic.py) and run
one program from /apps chosen with the init's sst_app= kernel parameter:

  1. sst-bench -m both: N ECHO requests of SIZE bytes through /dev/sst0 (one in flight), first by
       the zero-copy interface libsst uses (mapped pages, one SST_IOCTL_CALL each), then by
       write()+read().  Its lines virtio_requests_per_s, virtio_p50_us, virtio_p99_us (mapped) and
       virtio_rw_requests_per_s, virtio_rw_p50_us, virtio_rw_p99_us are forwarded as printed.
  2. sst-accel -b 64: 64 MiB of the app's memory copied in place by the device (SST_REQ_BUFFERS:
       pinned pages, DMA through the memory model) and the same bytes as 4 KiB WRITE requests:
       linux_zero_copy_bytes_per_s, linux_payload_4k_bytes_per_s, linux_zero_copy_vs_4k.
  2b. sst-bench -m batch -B 32: the same requests 32 at a time, one SST_IOCTL_BATCH call each
       (virtio_batch_requests_per_s), and sst-bench -P 4 in a 4-hart guest: four processes, each
       with its own fd, on the CPUs' own request queues (VIRTIO_SST_F_MQ): virtio_4proc_requests_per_s
       (mapped calls) and virtio_4proc_batch_requests_per_s (batches of 32).
  3. serial-pingpong: N write+read round trips of SIZE bytes on a stock virtio-serial port
       (virtio-serial-device + virtserialport on a unix-socket chardev), echoed back by a thread
       here.  Prints stock_virtio_roundtrips_per_s, then virtio_vs_stock, virtio_rw_vs_stock and
       virtio_batch_vs_stock (each rate over the stock one; the batch target is >= 20 x).

Rates are measured inside the guest (its monotonic clock), so boot time does not count.
Environment: QEMU_SST_QEMU, QEMU_SST_KERNEL, QEMU_SST_INITRD override the default paths;
LINUX_BENCH_N (default 20000) and LINUX_BENCH_SIZE (default 64) the workload.
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "build"))
CACHE = os.environ.get("QEMU_SST_CACHE", os.path.expanduser("~/.cache/qemu-sst"))
QEMU = os.environ.get("QEMU_SST_QEMU", os.path.join(CACHE, "qemu-current", "bin", "qemu-system-riscv64"))
KERNEL = os.environ.get("QEMU_SST_KERNEL", os.path.join(CACHE, "linux-current", "Image"))
INITRD = os.environ.get("QEMU_SST_INITRD", os.path.join(BUILD, "guest", "linux", "initrd.cpio.gz"))
RUNNER = os.path.join(BUILD, "bin", "qemu-sst")
CONFIG = os.path.join(REPO, "configs", "linux_basic.py")
N = int(os.environ.get("LINUX_BENCH_N", "20000"))
SIZE = int(os.environ.get("LINUX_BENCH_SIZE", "64"))
RUN_TIMEOUT_S = 900
CONNECT_TIMEOUT_S = 120


def fail(message):
    sys.exit("linux_bench: error: " + message)


def check_inputs():
    for what, path, hint in (("qemu-sst", RUNNER, "build the project (make)"),
                             ("QEMU", QEMU, "run scripts/build-qemu.sh or set QEMU_SST_QEMU"),
                             ("kernel", KERNEL, "run scripts/build-linux.sh or set QEMU_SST_KERNEL"),
                             ("initrd", INITRD, "run scripts/build-linux-guest.sh %s or set QEMU_SST_INITRD"
                              % os.path.join(BUILD, "guest", "linux"))):
        if not os.path.exists(path):
            fail("no %s at %s: %s" % (what, path, hint))
    # An initrd built before the init learnt sst_app= would silently run sst-test instead.
    init = subprocess.run("gzip -dc '%s' | cpio -i --quiet --to-stdout init" % INITRD, shell=True,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    if b"sst_app" not in init:
        fail("%s has an /init without sst_app= support: rebuild it with scripts/build-linux-guest.sh" % INITRD)


def boot(app, app_args, qemu_args="", harts=1):
    """Boots the guest running /apps/APP; returns its console output (exits on failure)."""
    cmd = [RUNNER, CONFIG, "--qemu", QEMU, "--kernel", KERNEL, "--initrd", INITRD, "--mode", "fast",
           "--verbose", "1", "--append-extra", 'sst_app=%s sst_test_args="%s"' % (app, app_args),
           "--qemu-args", qemu_args, "--smp", str(harts)]
    try:
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired as e:
        tail = (e.stdout or b"").decode(errors="replace")[-3000:]
        fail("%s run took over %d s:\n%s" % (app, RUN_TIMEOUT_S, tail))
    text = done.stdout.decode(errors="replace")
    if done.returncode != 0 or "SST-TEST-RESULT: PASS" not in text:
        fail("%s run failed (exit %d):\n%s" % (app, done.returncode, text[-3000:]))
    return text


def figure(text, name):
    """The guest's `name: value unit` line, as (line, value)."""
    match = re.search(r"^%s: ([0-9.eE+-]+) \S+.*$" % re.escape(name), text, re.M)
    if not match:
        fail("no '%s:' line in the guest output:\n%s" % (name, text[-3000:]))
    return match.group(0).strip(), float(match.group(1))


class EchoServer(threading.Thread):
    """Connects to QEMU's chardev socket once it exists and sends every byte back."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path, self.stop, self.error, self.echoed = path, threading.Event(), None, 0

    def run(self):
        deadline = time.monotonic() + CONNECT_TIMEOUT_S
        sock = None
        while not self.stop.is_set():
            try:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.connect(self.path)
                break
            except OSError:
                sock.close()
                sock = None
                if time.monotonic() > deadline:
                    self.error = "QEMU's socket %s did not appear within %d s" % (self.path, CONNECT_TIMEOUT_S)
                    return
                time.sleep(0.05)
        if sock is None:
            return
        sock.settimeout(0.5)
        with sock:
            while not self.stop.is_set():
                try:
                    data = sock.recv(65536)
                except socket.timeout:
                    continue
                except OSError:
                    return
                if not data:
                    return
                sock.sendall(data)
                self.echoed += len(data)


def main():
    check_inputs()

    text = boot("sst-bench", "-n %d -t echo -s %d -m both" % (N, SIZE))
    virtio_line, virtio_rate = figure(text, "virtio_requests_per_s")
    print(virtio_line, flush=True)
    for name in ("virtio_p50_us", "virtio_p99_us"):
        print(figure(text, name)[0], flush=True)
    rw_line, rw_rate = figure(text, "virtio_rw_requests_per_s")
    print(rw_line, flush=True)
    for name in ("virtio_rw_p50_us", "virtio_rw_p99_us"):
        print(figure(text, name)[0], flush=True)

    # Batches of 32: one system call and one kick for 32 requests.
    text = boot("sst-bench", "-n %d -t echo -s %d -m batch -B 32" % (N, SIZE))
    batch_line, batch_rate = figure(text, "virtio_batch_requests_per_s")
    print(batch_line, flush=True)
    # Four processes in a 4-hart guest, each CPU on its own request queue.
    text = boot("sst-bench", "-n %d -t echo -s %d -m map -P 4" % (N, SIZE), harts=4)
    print(figure(text, "virtio_4proc_requests_per_s")[0], flush=True)
    text = boot("sst-bench", "-n %d -t echo -s %d -m batch -B 32 -P 4" % (N, SIZE), harts=4)
    print(figure(text, "virtio_4proc_batch_requests_per_s")[0], flush=True)

    # 64 MiB through the device in place (SST_REQ_BUFFERS), and the same bytes as 4 KiB WRITE requests.
    text = boot("sst-accel", "-b 64")
    _, zero_copy = figure(text, "zero_copy_bytes_per_s")
    _, paged = figure(text, "payload_4k_bytes_per_s")
    print("linux_zero_copy_bytes_per_s: %.4g bytes/s (64 MiB buffers, one SST_REQ_BUFFERS copy)" % zero_copy)
    print("linux_payload_4k_bytes_per_s: %.4g bytes/s (the same bytes in 4 KiB WRITE requests)" % paged)
    print("linux_zero_copy_vs_4k: %.1f x" % (zero_copy / paged), flush=True)

    with tempfile.TemporaryDirectory(prefix="linux-bench-") as tmp:
        sock_path = os.path.join(tmp, "echo.sock")
        qemu_args = ("-device virtio-serial-device "
                     "-chardev socket,id=echo0,path=%s,server=on,wait=off "
                     "-device virtserialport,chardev=echo0,name=echo" % sock_path)
        echo = EchoServer(sock_path)
        echo.start()
        try:
            text = boot("serial-pingpong", "-n %d -s %d" % (N, SIZE), qemu_args)
        finally:
            echo.stop.set()
            echo.join(5)
        if echo.error:
            fail(echo.error)
    stock_line, stock_rate = figure(text, "stock_virtio_roundtrips_per_s")
    print(stock_line, flush=True)
    if stock_rate <= 0:
        fail("stock virtio-serial rate is zero")
    print("virtio_vs_stock: %.3f x" % (virtio_rate / stock_rate), flush=True)
    print("virtio_rw_vs_stock: %.3f x" % (rw_rate / stock_rate), flush=True)
    print("virtio_batch_vs_stock: %.3f x (target >= 20)" % (batch_rate / stock_rate), flush=True)


if __name__ == "__main__":
    main()
