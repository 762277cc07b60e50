#!/usr/bin/env bash
# Assembles a qemu-sst guest initramfs (cpio newc + gzip): static BusyBox and its applet links,
# optional kernel modules and test programs, and an /init for a test run or an interactive shell.
#
#   mkinitramfs.sh OUT.cpio.gz [options]
#     --mode test|shell   test (default): load the modules, run /apps/sst-test if present, print
#                         "SST-TEST-RESULT: PASS" or "SST-TEST-RESULT: FAIL <code>", power off.
#                         shell: load the modules, then an interactive shell on the console
#                         (job control works); leaving it powers the guest off.
#     --module FILE.ko    put FILE.ko in /lib/modules/ (init insmods every /lib/modules/*.ko, in
#                         name order); repeatable
#     --apps DIR          copy DIR's executable files (not its subdirectories) into /apps; repeatable
#     --user-dir DIR      like --apps, and also compile each DIR/*.c into /apps/<name> with
#                         riscv64-linux-gnu-gcc -static -O2, linked with libsst and with the
#                         headers on the include path: <sst_uapi.h>, <libsst.h>,
#                         <qemu-sst/virtio_sst.h> (convention: guest/linux/apps/user/)
#     --busybox FILE      static riscv64 busybox (default: linux-current/busybox from
#                         scripts/build-linux.sh); applet links come from busybox.links beside it
#
# Environment: QEMU_SST_CACHE (default ~/.cache/qemu-sst), for the default --busybox.
# See README.md in this directory for the guest side (kernel parameters, result codes).
set -euo pipefail

SELF=$(basename "${BASH_SOURCE[0]}")
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
CACHE=${QEMU_SST_CACHE:-$HOME/.cache/qemu-sst}
CROSS_CC=riscv64-linux-gnu-gcc
# A user program sees the documented interface: the driver's UAPI, libsst and the protocol header.
USER_CFLAGS=(-static -O2 -Wall -I"$REPO/include" -I"$REPO/guest/linux/driver" -I"$REPO/guest/linux/apps")
USER_LIBS=("$REPO/guest/linux/apps/libsst.c")

die() { echo "$SELF: error: $*" >&2; exit 1; }
say() { echo "initramfs: $*" >&2; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d; s/^# \{0,1\}//; p}' "${BASH_SOURCE[0]}"; }

out="" mode=test busybox="$CACHE/linux-current/busybox"
modules=() app_dirs=() user_dirs=()
while [[ $# -gt 0 ]]; do
    case $1 in
        -h|--help) usage; exit 0 ;;
        --mode) [[ $# -ge 2 ]] || die "--mode needs test or shell"; mode=$2; shift 2 ;;
        --module) [[ $# -ge 2 ]] || die "--module needs a .ko file"; modules+=("$2"); shift 2 ;;
        --apps) [[ $# -ge 2 ]] || die "--apps needs a directory"; app_dirs+=("$2"); shift 2 ;;
        --user-dir) [[ $# -ge 2 ]] || die "--user-dir needs a directory"; user_dirs+=("$2"); shift 2 ;;
        --busybox) [[ $# -ge 2 ]] || die "--busybox needs a file"; busybox=$2; shift 2 ;;
        -*) die "unknown option '$1' (see --help)" ;;
        *) [[ -z "$out" ]] || die "more than one output file given ('$out', '$1')"; out=$1; shift ;;
    esac
done
[[ -n "$out" ]] || { usage >&2; die "no output file given"; }
[[ "$mode" == test || "$mode" == shell ]] || die "--mode must be test or shell, not '$mode'"
[[ -f "$busybox" ]] || die "no busybox at $busybox (run scripts/build-linux.sh, or pass --busybox)"
for tool in cpio gzip; do
    command -v "$tool" >/dev/null || die "'$tool' is not installed (apt-get install -y $tool)"
done

# Only programs that can run in the guest go in: RISC-V ELF, statically linked (the image has no
# C library), or scripts.  A host binary dropped in by mistake would otherwise fail only at boot.
check_guest_program() {
    local file=$1 magic
    magic=$(head -c 4 "$file" | od -An -tx1 | tr -d ' \n')
    [[ "$magic" == 7f454c46 ]] || return 0 # not ELF: a script, run by busybox sh
    command -v riscv64-linux-gnu-readelf >/dev/null ||
        die "riscv64-linux-gnu-readelf is needed to check $file (apt-get install -y binutils-riscv64-linux-gnu)"
    riscv64-linux-gnu-readelf -h "$file" | grep -q 'Machine:.*RISC-V' ||
        die "$file is not a RISC-V program (cross-compile it with $CROSS_CC)"
    if riscv64-linux-gnu-readelf -l "$file" | grep -q INTERP; then
        die "$file is dynamically linked; the guest has no C library (link it with -static)"
    fi
}

# Copies the executable files of a directory into /apps.
copy_executables() {
    local dir=$1 file count=0
    for file in "$dir"/*; do
        [[ -f "$file" && -x "$file" && "$file" != *.[ch] ]] || continue
        check_guest_program "$file"
        cp "$file" "$stage/apps/"
        count=$((count + 1))
    done
    say "$count executable(s) from $dir"
}

compile_user_sources() {
    local dir=$1 src name count=0
    command -v "$CROSS_CC" >/dev/null ||
        die "$CROSS_CC is needed for the C files in $dir (apt-get install -y gcc-riscv64-linux-gnu libc6-dev-riscv64-cross)"
    for src in "$dir"/*.c; do
        [[ -f "$src" ]] || continue
        name=$(basename "$src" .c)
        "$CROSS_CC" "${USER_CFLAGS[@]}" -o "$stage/apps/$name" "$src" "${USER_LIBS[@]}" ||
            die "compiling $src failed ($CROSS_CC ${USER_CFLAGS[*]} $src ${USER_LIBS[*]})"
        count=$((count + 1))
    done
    say "$count C program(s) compiled from $dir"
}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,root,etc,apps,lib/modules}
chmod 1777 "$stage/tmp"

# BusyBox, and a link per applet.  busybox.links (written by its build) lists the applets' paths,
# so the links are made here instead of by running the riscv64 binary; without it, /init runs
# `busybox --install -s` at boot.
check_guest_program "$busybox"
install -m 0755 "$busybox" "$stage/bin/busybox"
links="$(dirname "$busybox")/busybox.links"
ln -s busybox "$stage/bin/sh"
if [[ -f "$links" ]]; then
    while read -r applet; do
        [[ "$applet" == /* && ! -e "$stage$applet" && ! -L "$stage$applet" ]] || continue
        ln -s /bin/busybox "$stage$applet"
    done < "$links"
else
    say "no $links: applet links will be made at boot"
fi

for ko in "${modules[@]}"; do
    [[ -f "$ko" && "$ko" == *.ko ]] || die "--module $ko: not an existing .ko file"
    install -m 0644 "$ko" "$stage/lib/modules/"
done
for dir in "${app_dirs[@]}"; do
    [[ -d "$dir" ]] || die "--apps $dir: not a directory"
    copy_executables "$dir"
done
for dir in "${user_dirs[@]}"; do
    [[ -d "$dir" ]] || die "--user-dir $dir: not a directory"
    copy_executables "$dir"
    compile_user_sources "$dir" # after the copy: foo.c wins over a stale binary foo beside it
done
if [[ "$mode" == test && ! -e "$stage/apps/sst-test" ]]; then
    say "note: no sst-test among the apps, so a test run only checks that the guest boots$([[ ${#modules[@]} -gt 0 ]] && echo " and the modules load")"
fi

# /init.  The kernel runs it with the console (from its built-in /dev/console) as stdin/stdout;
# unknown key=value kernel parameters arrive as environment variables (sst_mode, sst_test_args).
sed "s/@MODE@/$mode/" > "$stage/init" <<'EOF'
#!/bin/sh
# /init of a qemu-sst guest image, written by guest/linux/image/mkinitramfs.sh (mode @MODE@).
# Kernel parameters: sst_mode=test|shell overrides the mode; sst_app=NAME runs /apps/NAME instead
# of /apps/sst-test in test mode (e.g. sst_app=sst-bench); sst_test_args="..." are passed to that
# program.  Result line (test mode): "SST-TEST-RESULT: PASS" or "SST-TEST-RESULT: FAIL <code>"
# with <code> the exit status of the program, or 125 when a module failed to load, 127 when the
# program is missing.  The verdict is also QEMU's exit status: 0 after PASS, <code> after FAIL.
export PATH=/apps:/bin:/sbin:/usr/bin:/usr/sbin HOME=/root
mode=${sst_mode:-@MODE@}
sst_app=${sst_app:-sst-test}
sst_test_args=${sst_test_args:-}

[ -e /bin/mount ] || /bin/busybox --install -s
mount -t devtmpfs devtmpfs /dev
mount -t proc proc /proc
mount -t sysfs sysfs /sys
# The seed's dynamic-debug control file: /sys/kernel/debug/dynamic_debug/control.
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || true
mount -t tmpfs tmpfs /tmp

modules_ok=1
for ko in /lib/modules/*.ko; do
    [ -f "$ko" ] || continue
    if insmod "$ko"; then
        echo "init: loaded $ko"
    else
        echo "init: insmod $ko failed; kernel log:"
        dmesg | tail -n 40
        modules_ok=0
    fi
done

# power_off [CODE]: ends QEMU, with exit status CODE (1-255) through the virt board's sifive_test
# device at 0x100000 ((CODE << 16) | 0x3333 means "fail with CODE"), or 0 by a plain poweroff.
power_off() {
    if [ -n "${1:-}" ] && [ "$1" != 0 ]; then
        devmem 0x100000 32 $((($1 << 16) | 0x3333)) ||
            echo "init: could not report exit status $1 through the test device"
    fi
    poweroff -f
    echo "init: poweroff failed; halting here"
    while :; do sleep 3600; done
}

if [ "$mode" = shell ]; then
    echo "init: qemu-sst guest shell; apps in /apps:" /apps/*
    echo "init: 'exit' or 'poweroff -f' powers the guest off"
    export PS1='sst-guest:\w# '
    # A second shell, for the three-terminal workflow (scripts/run-linux.sh): on the virtio serial
    # port named sst-shell, if QEMU has one.  Not a terminal (no line editing); while nobody is
    # connected on the host side its reads end at once, so a new one starts a second later.
    for port in /sys/class/virtio-ports/*; do
        [ "$(cat "$port/name" 2>/dev/null)" = sst-shell ] || continue
        dev=/dev/${port##*/}
        echo "init: a second shell on $dev (the host's sst-shell socket)"
        # One open, shared by stdin, stdout and stderr: a port can be open only once.
        setsid sh -c "while :; do echo 'sst-shell: ready; apps in /apps'; sh -i; sleep 1; done" \
            <>"$dev" >&0 2>&0 &
    done
    # cttyhack opens the real console device (ttyS0) as the controlling terminal, which
    # /dev/console cannot be: without it, Ctrl-C and job control do not work.
    setsid cttyhack sh
    power_off
fi

if [ "$modules_ok" != 1 ]; then
    echo "init: not running tests: a module failed to load"
    result="FAIL 125"
elif [ -x "/apps/$sst_app" ]; then
    echo "init: running /apps/$sst_app${sst_test_args:+ $sst_test_args}"
    # shellcheck disable=SC2086 # unquoted on purpose: sst_test_args holds several arguments
    "/apps/$sst_app" $sst_test_args
    rc=$?
    if [ "$rc" -eq 0 ]; then result=PASS; else result="FAIL $rc"; fi
elif [ "$sst_app" != sst-test ]; then
    echo "init: no /apps/$sst_app in this image"
    result="FAIL 127"
else
    echo "init: no /apps/sst-test in this image: boot check only"
    result=PASS
fi
echo "init: guest uptime $(cut -d' ' -f1 /proc/uptime) s"
echo "SST-TEST-RESULT: $result"
case "$result" in
FAIL*) power_off "${result#FAIL }" ;;
*) power_off ;;
esac
EOF
chmod 0755 "$stage/init"

# Fixed timestamps and owners, sorted names: the same inputs give the same image, byte for byte.
find "$stage" -exec touch -h -d @0 {} +
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
    cpio --create --format=newc --owner=0:0 --reproducible --quiet) | gzip -9 -n > "$out.tmp" ||
    die "writing $out failed"
mv "$out.tmp" "$out"
apps=$(cd "$stage/apps" && find . -mindepth 1 -printf '%f\n' | LC_ALL=C sort | tr '\n' ' ')
say "wrote $out ($(stat -c %s "$out") bytes; mode $mode; modules: ${modules[*]:-none}; apps: ${apps:-none})"
