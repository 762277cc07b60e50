#!/usr/bin/env bash
# Builds fake_sim (host) and virtio_test.elf (bare-metal rv64) into $OUT (default /tmp/virtio-sst-test)
# and runs the guest on QEMU with one virtio-sst-device against fake_sim, in deterministic and
# fast time mode.  QEMU: $QEMU, default ~/.cache/qemu-sst/qemu-current/bin/qemu-system-riscv64
# (scripts/build-qemu.sh).  Exit status 0 if both pass.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
OUT=${OUT:-/tmp/virtio-sst-test}
QEMU=${QEMU:-${QEMU_SST_CACHE:-$HOME/.cache/qemu-sst}/qemu-current/bin/qemu-system-riscv64}
LATENCY_PS=50000000
QUANTUM_PS=10000000
mkdir -p "$OUT"

cc -O2 -g -Wall -Wextra -I"$REPO/transport" -I"$REPO/include" -o "$OUT/fake_sim" \
    "$HERE/fake_sim.c" "$REPO/transport/mmio_endpoint.c"

RT="$REPO/guest/baremetal/runtime"
GCC=riscv64-unknown-elf-gcc
FLAGS=(-march=rv64imac -mabi=lp64 -mcmodel=medany -misa-spec=2.2 --specs=picolibc.specs -O2 -g
       -Wall -Wextra -ffunction-sections -fdata-sections -fno-common -I"$RT" -I"$REPO/include"
       -DLATENCY_PS=${LATENCY_PS}ull)
objs=()
for src in start.S timing.S console.c init.c trap.c timing.c sst_dev.c check.c; do
    $GCC "${FLAGS[@]}" -c "$RT/$src" -o "$OUT/rt_$src.o"
    objs+=("$OUT/rt_$src.o")
done
$GCC "${FLAGS[@]}" -c "$HERE/virtio_test.c" -o "$OUT/virtio_test.o"
$GCC "${FLAGS[@]}" -nostartfiles -T "$RT/virt.ld" -Wl,--gc-sections -o "$OUT/virtio_test.elf" \
    "$OUT/virtio_test.o" "${objs[@]}"

fail=0
for mode in det fast; do
    sock="$OUT/vsst-$mode.sock"
    rm -f "$sock"
    "$OUT/fake_sim" "$sock" "$mode" $LATENCY_PS $QUANTUM_PS 3 > "$OUT/sim-$mode.log" 2>&1 &
    sim=$!
    icount=()
    [[ $mode == det ]] && icount=(-icount shift=0,sleep=off)
    rc=0
    timeout 60 "$QEMU" -M virt -bios none -nographic -monitor none -serial stdio "${icount[@]}" \
        -global virtio-mmio.force-legacy=false \
        -device virtio-sst-device,id=vsst0,socket="$sock",index=3,connect_timeout_ms=5000 \
        -kernel "$OUT/virtio_test.elf" > "$OUT/qemu-$mode.log" 2>&1 || rc=$?
    wait $sim || true
    echo "=== $mode: QEMU exit $rc"
    cat "$OUT/qemu-$mode.log"
    echo "--- fake_sim ($mode)"
    cat "$OUT/sim-$mode.log"
    [[ $rc -eq 0 ]] || fail=1
done
exit $fail
