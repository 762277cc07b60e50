#!/bin/sh
# Guest-side smoke test: load virtio-sst.ko, run sst-test, unload; fails on any kernel oops/warning.
#   usage: sst-smoke.sh [path/to/virtio-sst.ko] [sst-test args...]
KO=${1:-/lib/modules/virtio-sst.ko}
[ $# -gt 0 ] && shift
fail() { echo "SST-SMOKE: FAIL $*"; exit 1; }
insmod "$KO" || fail "insmod"
i=0
while [ ! -c /dev/sst0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -c /dev/sst0 ] || fail "/dev/sst0 missing"
for f in requests responses events errors timeouts in_flight; do
    echo "sysfs $f: $(cat /sys/class/sst/sst0/$f)"
done
rc=0
if [ -x "${SST_TEST:-/bin/sst-test}" ]; then
    "${SST_TEST:-/bin/sst-test}" "$@" || rc=1
fi
rmmod virtio_sst || fail "rmmod"
[ -e /dev/sst0 ] && fail "/dev/sst0 still present after rmmod"
if dmesg | grep -qE 'Oops|BUG:|WARNING:|Call Trace'; then dmesg | tail -40; fail "kernel complained"; fi
[ $rc -eq 0 ] || fail "sst-test"
echo "SST-SMOKE: PASS"
