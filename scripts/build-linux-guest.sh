#!/usr/bin/env bash
# Builds the Linux guest's own parts against the kernel scripts/build-linux.sh made: the
# virtio-sst.ko module, the static apps (sst-test, sst-bench, serial-pingpong) and the test
# initramfs with both.  Both build in their source directories, as kbuild does (outputs are
# git-ignored).  Without a kernel tree it says so and exits 0, so a plain build still works; the
# `linux` test tier then fails with the same hint.
#
#   scripts/build-linux-guest.sh OUT_DIR      -> OUT_DIR/initrd.cpio.gz
set -euo pipefail
out=${1:?usage: build-linux-guest.sh OUT_DIR}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
linux=${QEMU_SST_LINUX:-${QEMU_SST_CACHE:-$HOME/.cache/qemu-sst}/linux-current}

if [[ ! -e "$linux/build/Makefile" ]] || ! command -v riscv64-linux-gnu-gcc >/dev/null; then
    echo "linux guest: skipped (no kernel tree at $linux/build or no riscv64-linux-gnu-gcc: run scripts/build-linux.sh)"
    exit 0
fi
make --no-print-directory -s -C "$repo/guest/linux/driver" KERNEL_TREE="$linux/build"
make --no-print-directory -s -C "$repo/guest/linux/apps"
mkdir -p "$out"
"$repo/guest/linux/image/mkinitramfs.sh" "$out/initrd.cpio.gz" --mode test --busybox "$linux/busybox" \
    --module "$repo/guest/linux/driver/virtio-sst.ko" --apps "$repo/guest/linux/apps" >/dev/null
echo "linux guest: $out/initrd.cpio.gz"
