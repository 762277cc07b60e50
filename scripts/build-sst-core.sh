#!/usr/bin/env bash
# Builds an sst-core source tree you already have (sst-core 16.0: `git clone` or a release tarball of
# github.com/sstsimulator/sst-core) and installs it under ~/.cache/qemu-sst, so that the element
# libraries can be built and tested against the real sst-core (README, "Real sst-core").  Nothing is
# downloaded: the Debian packages it needs come from apt, the source from you.
#
#   scripts/build-sst-core.sh SRC_DIR [--mpi]
#
#   --mpi   build with MPI (Debian's libopenmpi-dev); without it, --disable-mpi
#
# The last line on stdout is SST_CORE_PREFIX=<install prefix>; <prefix>/bin has sst and sst-config.
# Environment: QEMU_SST_CACHE (default ~/.cache/qemu-sst), QEMU_SST_JOBS (default 2).
#
# Cache layout, under $QEMU_SST_CACHE:
#   sst-core-<K>/src, /build, /install   K hashes the source tree (its files' names and contents), the
#                                         MPI choice and this script; an install is reused as is.
#   sst-core-current, sst-core-mpi-current -> the newest install of each kind (what CMake and the
#                                         sst-core test tier look for).
# About 10 minutes on 2 cores.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SELF="$REPO/scripts/build-sst-core.sh"
CACHE=${QEMU_SST_CACHE:-$HOME/.cache/qemu-sst}
JOBS=${QEMU_SST_JOBS:-2}
TOOL=build-sst-core
say() { echo "SST-CORE: $*" >&2; }
die() { echo "build-sst-core: error: $*" >&2; exit 1; }
# shellcheck source=lib/debian.sh
source "$REPO/scripts/lib/debian.sh"

src=""
mpi=0
for arg in "$@"; do
    case $arg in
    --mpi) mpi=1 ;;
    -h | --help) sed -n '2,21p' "$SELF" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$arg' (see --help)" ;;
    *) [[ -z $src ]] || die "one source directory only"; src=$arg ;;
    esac
done
[[ -n $src ]] || die "usage: scripts/build-sst-core.sh SRC_DIR [--mpi]  (an sst-core source tree you already have)"
[[ -f $src/configure.ac && -f $src/src/sst/core/component.h ]] ||
    die "$src is not an sst-core source tree (no configure.ac and src/sst/core/component.h)"
src=$(cd "$src" && pwd)
version=$(sed -n 's/^AC_INIT(\[SSTCore\], *\[\([^]]*\)\].*/\1/p' "$src/configure.ac" | head -n 1)
case $version in
16.*) ;;
"") die "cannot read the version from $src/configure.ac" ;;
*) say "warning: sst-core $version; qemu-sst's elements are written and tested against 16.0" ;;
esac

packages=(autoconf automake libtool libtool-bin libltdl-dev python3-dev build-essential)
((mpi)) && packages+=(libopenmpi-dev openmpi-bin)
require_packages "${packages[@]}"

# The key: every file of the tree (not .git or build output), the options, this script.
say "hashing $src"
key=$( {
    (cd "$src" && find . -path ./.git -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    echo "mpi=$mpi"
    sha256sum <"$SELF"
} | sha256sum | cut -c1-16)
dir=$CACHE/sst-core-$key
kind=""
((mpi)) && kind=-mpi
link=$CACHE/sst-core$kind-current
if [[ -x $dir/install/bin/sst && -x $dir/install/bin/sst-config ]]; then
    say "sst-core $version already built in $dir"
else
    rm -rf "$dir"
    mkdir -p "$dir"
    start=$SECONDS
    # A copy: autogen.sh writes into the tree, and the user's tree stays as it was.
    say "copying $src to $dir/src"
    (cd "$src" && find . -path ./.git -prune -o -print0 | cpio -0 -pdm --quiet "$dir/src")
    log=$dir/build.log
    run() { local what=$1; shift; say "$what (log: $log)"; "$@" >>"$log" 2>&1 || { tail -n 40 "$log" >&2; die "$what failed; full log in $log"; }; }
    run "autogen.sh" bash -c "cd '$dir/src' && ./autogen.sh"
    mkdir -p "$dir/build"
    if ((mpi)); then mpi_opt=(--enable-mpi); else mpi_opt=(--disable-mpi); fi
    run "configure ${mpi_opt[*]}" bash -c "cd '$dir/build' && ../src/configure --prefix='$dir/install' ${mpi_opt[*]} PYTHON=/usr/bin/python3"
    run "make -j$JOBS (about 10 minutes on 2 cores)" make -C "$dir/build" -j"$JOBS"
    run "make install" make -C "$dir/build" install
    rm -rf "$dir/build" # the install is what is used; the objects are 1 GB
    [[ -x $dir/install/bin/sst-config ]] || die "no $dir/install/bin/sst-config after make install"
    say "sst-core $version built in $((SECONDS - start)) s"
fi
ln -sfn "$dir" "$link"
echo "SST_CORE_PREFIX=$dir/install"
