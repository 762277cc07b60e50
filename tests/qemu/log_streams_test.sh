#!/bin/sh
# The simulator's log lines (the bridge's, the engine's) go to stderr and the guest's console to
# stdout, so that a log line never lands in the middle of a console line: make demo's configuration
# with the engine's -v and the bridge's --verbose 2, its two streams looked at apart.
#   tests/qemu/log_streams_test.sh SOURCE_DIR BUILD_DIR
set -eu
src=$1
build=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/log-streams-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; echo "---- stdout:"; cat "$work/out"; echo "---- stderr:"; cat "$work/err"; exit 1; }

QEMU_SST_BUILD=$build "$build/bin/qemu-sst" -v "$src/configs/test_2device_integration.py" --verbose 2 \
    >"$work/out" 2>"$work/err" || fail "the run failed"
grep -q '^multi_device_test: rv64$' "$work/out" || fail "the guest's console is not on stdout"
grep -q 'Simulation is complete' "$work/out" || fail "the end of the run is not on stdout"
grep -q 'qemu.reads.echo_device : Accumulator' "$work/out" || fail "the statistics are not on stdout"
grep -q '^0:qemu: Launching QEMU: ' "$work/err" || fail "the bridge's log lines are not on stderr"
grep -q '^qemu-sst: run ended at ' "$work/err" || fail "the engine's log lines are not on stderr"
if grep -nE '^qemu-sst: |(^|[^a-z_])[0-9]+:(qemu|echo_device|compute_device): ' "$work/out"; then
    fail "log lines on stdout (above)"
fi
grep -qE '^multi_device_test: |^  \[[0-9]+\] ' "$work/err" && fail "guest console lines on stderr"
echo "ok: the console and the statistics on stdout, $(wc -l <"$work/err") log lines on stderr"
