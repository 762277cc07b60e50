#!/bin/sh
# A device added from the SDK's template (scripts/new-device.sh) in a copy of the source tree: it
# must take at most 4 new files and about 150 lines, edit nothing else, build, and pass its guest
# test in both time modes on rv64 and rv32.
#   tests/qemu/new_device_test.sh SOURCE_DIR QEMU_BIN_DIR
set -eu
src=$1
qemu_bin=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/new-device-test.XXXXXX")
if [ "${QEMU_SST_KEEP_TEST_DIRS:-0}" != 1 ]; then
    trap 'rm -rf "$work"' EXIT
fi
fail() { echo "FAIL: $*" >&2; exit 1; }

# The tree as git has it (tracked files, and new ones not ignored), without build output.
mkdir "$work/src"
(cd "$src" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$work/src")
before=$(cd "$work/src" && find . -type f | LC_ALL=C sort | xargs md5sum)

"$work/src/scripts/new-device.sh" sample | tee "$work/new-device.out"
after=$(cd "$work/src" && find . -type f | LC_ALL=C sort | xargs md5sum)
changed=$(printf '%s\n%s\n' "$before" "$after" | sort | uniq -u | awk '{ print $2 }' | sort -u)
[ "$(printf '%s\n' "$changed" | wc -l)" -eq 4 ] || fail "the template should add 4 files and change none, not: $changed"
total=$(awk '$1 == "total" { print $2 }' "$work/new-device.out")
[ "$total" -le 160 ] || fail "the new device takes $total lines (about 150 expected)"
! "$work/src/scripts/new-device.sh" sample >/dev/null 2>&1 || fail "a second device named 'sample' was accepted"

# Build what the qemu tier needs for it, sharing the compiler cache with the checkout's builds, and
# run the tier's cases for the new program: declared_guest_test finds it by its comment.
export CCACHE_BASEDIR="$work/src"
cmake -S "$work/src" -B "$work/src/build" -G Ninja -DQEMU_SST_QEMU_BIN_DIR="$qemu_bin" >"$work/configure.log" 2>&1 ||
    { cat "$work/configure.log"; fail "cmake configure"; }
cmake --build "$work/src/build" -j "$(nproc)" --target declared_guest_test >"$work/build.log" 2>&1 ||
    { tail -50 "$work/build.log"; fail "build"; }
ctest --test-dir "$work/src/build" -R 'DeclaredGuestTest.*/sample_test_' --output-on-failure >"$work/ctest.log" 2>&1 ||
    { cat "$work/ctest.log"; fail "the qemu tier's cases for sample_test"; }
grep -q '100% tests passed, 0 tests failed out of 4$' "$work/ctest.log" || { cat "$work/ctest.log"; fail "expected 4 cases"; }
grep 'Test *#' "$work/ctest.log"
