#!/bin/sh
# The seed's driver self-test and debugging recipes, run as printed; the linux test tier runs it
# with sst_app=sst-debug-workflows.sh.  Prints "ok  : ..." lines; exit status 0 = pass.
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok  : $*"; }
loaded() { grep -q '^virtio_sst ' /proc/modules; }
params=/sys/module/virtio_sst/parameters
# The device node appears once probe is done; the self-test of test_mode=1 runs inside probe.
wait_dev() {
    i=0
    while [ ! -c /dev/sst0 ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    [ -c /dev/sst0 ] || fail "/dev/sst0 missing after insmod"
}

# --- insmod virtio-sst.ko test_mode=1 ---
rmmod virtio_sst
loaded && fail "rmmod virtio_sst"
insmod /lib/modules/virtio-sst.ko test_mode=1 || fail "insmod virtio-sst.ko test_mode=1"
wait_dev
dmesg | grep 'virtio-sst virtio[0-9]*: self-test' || fail "no self-test lines in the kernel log"
dmesg | grep -q 'virtio-sst virtio[0-9]*: self-test: passed' || fail "the probe-time self-test did not pass"
result=$(cat /sys/class/sst/sst0/self_test)
case "$result" in passed*) ok "test_mode=1: self-test at probe: $result (kernel log and /sys/class/sst/sst0/self_test)" ;;
    *) fail "/sys/class/sst/sst0/self_test says '$result'" ;; esac

# --- echo 1 > /sys/module/virtio_sst/parameters/run_tests ---
[ "$(cat $params/run_tests)" != "not run" ] || fail "run_tests does not report the probe-time run"
before=$(dmesg | grep -c 'virtio-sst: self-test: ')
echo 1 > $params/run_tests || fail "echo 1 > $params/run_tests"
result=$(cat $params/run_tests)
case "$result" in "passed "*) ok "run_tests: $result" ;; *) fail "run_tests says '$result'" ;; esac
after=$(dmesg | grep -c 'virtio-sst: self-test: ')
[ "$after" -gt "$before" ] || fail "run_tests wrote no summary line to the kernel log"
ok "run_tests logged its summary: $(dmesg | grep 'virtio-sst: self-test: ' | tail -n 1)"
echo 2x > $params/run_tests 2>/dev/null && fail "run_tests accepted '2x'"
ok "run_tests refuses a value that is not a boolean"

# --- dynamic debug: echo 'module virtio_sst +p' > /sys/kernel/debug/dynamic_debug/control ---
control=/sys/kernel/debug/dynamic_debug/control
[ -f $control ] || fail "$control missing (CONFIG_DYNAMIC_DEBUG, debugfs mounted?)"
grep -q '\[virtio_sst\]' $control || fail "the driver has no dynamic debug sites"
echo 'module virtio_sst +p' > $control || fail "echo 'module virtio_sst +p' > $control"
/apps/sst-bench -n 5 -t echo -s 16 -m map >/dev/null || fail "requests with debug on"
dmesg | grep -E 'virtio-sst virtio[0-9]*: request [0-9]+: ECHO' | tail -n 1 | grep -q . ||
    fail "no per-request debug line after 'module virtio_sst +p'"
dmesg | grep -E 'virtio-sst virtio[0-9]*: response [0-9]+: OK' | tail -n 1 | grep -q . ||
    fail "no per-response debug line"
ok "dynamic debug: $(dmesg | grep -E 'virtio-sst virtio[0-9]*: request [0-9]+: ECHO' | tail -n 1)"
echo 'module virtio_sst -p' > $control
n=$(dmesg | grep -cE 'virtio-sst virtio[0-9]*: request [0-9]+:')
/apps/sst-bench -n 5 -t echo -s 16 -m map >/dev/null || fail "requests with debug off"
[ "$(dmesg | grep -cE 'virtio-sst virtio[0-9]*: request [0-9]+:')" -eq "$n" ] || fail "debug lines after '-p'"
ok "'module virtio_sst -p' turns them off again"

# --- the device's virtio status (the seed's /sys/devices/virtio*/virtio*/status is PCI's layout;
# on the virt board's virtio-mmio the same file is under /sys/bus/virtio/devices) ---
status=$(cat /sys/bus/virtio/devices/virtio*/status 2>/dev/null | head -n 1)
[ -n "$status" ] || fail "no /sys/bus/virtio/devices/virtio*/status"
ok "virtio status: $status (/sys/bus/virtio/devices/virtio*/status)"

if dmesg | grep -qE 'Oops|BUG:|WARNING:|Call Trace'; then
    dmesg | tail -40
    fail "the kernel complained"
fi
ok "no oops or warning in the kernel log"
