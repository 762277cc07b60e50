#!/bin/sh
# Unloading virtio-sst.ko around a device in use; the linux test tier runs it with
# sst_app=sst-unload.sh.  rmmod must be refused while /dev/sst0 is open; once it is closed the
# module unloads (resetting the device), loads again, and the device serves requests as before;
# the kernel complains about nothing on the way.  Prints "ok  : ..." lines; exit status 0 = pass.
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok  : $*"; }
# BusyBox's rmmod exits 0 even when the kernel refuses: ask /proc/modules instead.
loaded() { grep -q '^virtio_sst ' /proc/modules; }

[ -c /dev/sst0 ] || fail "/dev/sst0 missing"
exec 3<>/dev/sst0
rmmod virtio_sst 2>/dev/null
loaded || fail "rmmod succeeded while /dev/sst0 was open"
ok "rmmod refused while /dev/sst0 is open"
exec 3>&-
rmmod virtio_sst
loaded && fail "rmmod after closing /dev/sst0 left the module loaded"
[ -e /dev/sst0 ] && fail "/dev/sst0 still present after rmmod"
ok "rmmod once /dev/sst0 is closed; /dev/sst0 is gone"
insmod /lib/modules/virtio-sst.ko || fail "insmod again"
i=0
while [ ! -c /dev/sst0 ] && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
[ -c /dev/sst0 ] || fail "/dev/sst0 missing after loading the module again"
/apps/sst-bench -n 200 -t echo -s 64 -m both || fail "requests after loading the module again"
ok "requests served after loading the module again"
if dmesg | grep -qE 'Oops|BUG:|WARNING:|Call Trace'; then
    dmesg | tail -40
    fail "the kernel complained"
fi
ok "no oops or warning in the kernel log"
# The seed's debugging recipe: the driver's kernel lines carry its name as the module file spells it.
dmesg | grep -q 'virtio-sst virtio[0-9]*: /dev/sst0' || fail "dmesg | grep virtio-sst finds no probe line"
ok "dmesg | grep virtio-sst finds the driver's lines"
