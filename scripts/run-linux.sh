#!/usr/bin/env bash
# QEMU alone, for a simulator that is already running and waiting for it: the seed's three-terminal
# workflow.
#
#   terminal 1:  build/bin/qemu-sst configs/linux_basic.py --attach --listen-dir DIR \
#                    [--mode fast] [--append-extra sst_mode=shell]
#   terminal 2:  scripts/run-linux.sh [--listen-dir DIR]        # the guest's console is here
#   terminal 3:  scripts/run-linux.sh --guest-shell [--listen-dir DIR]  # a second guest shell: /apps/sst-test
#
# The simulator writes the QEMU command line it would have run to DIR/qemu.args (the bridge's
# launch_qemu=false; linux_basic.py --attach waits up to 10 minutes for QEMU); this script waits
# for that file, and for the simulator holding DIR's lock,
# then runs that QEMU in the foreground, adding a virtio serial port named sst-shell on
# DIR/sst-shell.sock, where a guest image in shell mode runs a second shell.  QEMU's exit status is
# the script's.
#
#   scripts/run-linux.sh [--listen-dir DIR] [--timeout SECONDS] [--no-shell-port] [-- EXTRA QEMU ARGS]
#   scripts/run-linux.sh --guest-shell [--listen-dir DIR]   connects this terminal to that second shell
#
# DIR defaults to ${TMPDIR:-/tmp}/qemu-sst-linux-$UID, and --timeout (how long to wait for the
# simulator) to 300.
set -euo pipefail

die() { echo "run-linux.sh: $*" >&2; exit 2; }

dir=${TMPDIR:-/tmp}/qemu-sst-linux-$(id -u)
timeout_s=300
shell_port=1
guest_shell=0
extra=()
while [[ $# -gt 0 ]]; do
    case $1 in
    --listen-dir) [[ $# -ge 2 ]] || die "--listen-dir needs a directory"; dir=$2; shift 2 ;;
    --timeout) [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || die "--timeout needs a number of seconds"; timeout_s=$2; shift 2 ;;
    --no-shell-port) shell_port=0; shift ;;
    --guest-shell) guest_shell=1; shift ;;
    --) shift; extra=("$@"); break ;;
    -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
    esac
done
command -v flock >/dev/null || die "flock not found (Debian package util-linux)"

if ((guest_shell)); then
    sock=$dir/sst-shell.sock
    [[ -S $sock ]] || die "no $sock: is scripts/run-linux.sh --listen-dir $dir running?"
    # Lines typed here go to the guest's shell, its output comes back, until either side closes.
    exec python3 -c '
import os, selectors, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
sel = selectors.DefaultSelector()
sel.register(0, selectors.EVENT_READ)
sel.register(s, selectors.EVENT_READ)
while True:
    for key, _ in sel.select():
        if key.fileobj == 0:
            data = os.read(0, 4096)
            if not data:
                s.shutdown(socket.SHUT_WR)
                sel.unregister(0)
            else:
                s.sendall(data)
        else:
            data = s.recv(4096)
            if not data:
                sys.exit(0)
            os.write(1, data)
' "$sock"
fi

args_file=$dir/qemu.args
lock=$dir/.qemu-sst.lock
# The simulator holds the lock for as long as it runs: a qemu.args without it was left by a killed one.
simulator_waiting() { [[ -f $args_file && -f $lock ]] && ! flock -n "$lock" true; }

if ! simulator_waiting; then
    echo "run-linux.sh: waiting up to ${timeout_s} s for a simulator in $dir; start one with" >&2
    echo "  build/bin/qemu-sst configs/linux_basic.py --attach --listen-dir $dir" >&2
    deadline=$((SECONDS + timeout_s))
    until simulator_waiting; do
        ((SECONDS < deadline)) || die "no simulator is waiting in $dir after ${timeout_s} s"
        sleep 0.2
    done
fi

# The simulator's working directory (relative paths in the command line are relative to it), then
# QEMU's arguments, NUL-separated.
mapfile -d '' argv <"$args_file"
((${#argv[@]} > 1)) || die "$args_file holds no command line"
cd "${argv[0]}" || die "cannot enter the simulator's working directory ${argv[0]}"
argv=("${argv[@]:1}")
if ((shell_port)); then
    sock=$dir/sst-shell.sock
    rm -f "$sock"
    argv+=(-device virtio-serial-device -chardev "socket,id=sst-shell,path=$sock,server=on,wait=off"
        -device "virtserialport,chardev=sst-shell,name=sst-shell")
    echo "run-linux.sh: a second guest shell (images in shell mode): scripts/run-linux.sh --guest-shell --listen-dir $dir" >&2
fi
echo "run-linux.sh: ${argv[*]} ${extra[*]}" >&2
status=0
"${argv[@]}" "${extra[@]}" || status=$?
[[ -z ${sock:-} ]] || rm -f "$sock"
exit "$status"
