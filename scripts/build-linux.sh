#!/usr/bin/env bash
# Builds the qemu-sst Linux guest: a riscv64 kernel from Debian's linux-source-6.1 (tinyconfig plus
# guest/linux/kernel/virtio-sst.config), kept as a built tree so out-of-tree modules can be compiled
# against it, and a static riscv64 BusyBox cross-built from Debian's busybox source package.
#
#   scripts/build-linux.sh          build (or reuse) both; the last three lines on stdout are
#                                     KERNEL=<Image>  KERNEL_TREE=<built tree>  BUSYBOX=<binary>
#                                   (progress goes to stderr, so stdout holds only those lines)
#
# Build a module against the tree:
#   make -C "$KERNEL_TREE" M="$PWD" ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- modules
# Then assemble an initramfs with guest/linux/image/mkinitramfs.sh.
#
# Environment: QEMU_SST_CACHE (default ~/.cache/qemu-sst), QEMU_SST_JOBS (default 2).
#
# Cache layout, all under $QEMU_SST_CACHE:
#   downloads/                 Debian's busybox .dsc, orig tarball and diff (apt-get source)
#   linux-tree-<K>/src         the unpacked and built kernel tree (~1.5 GB).  K hashes the
#                              linux-source-6.1 package version, the config fragment and this
#                              script.  Kept: out-of-tree modules are built against it.
#   busybox-<B>/               busybox (static riscv64), busybox.links (its applet paths, from
#                              the build, so images need not run it to make links), busybox.config.
#                              B hashes the busybox source version and this script.
#   linux-<F>/                 what a guest needs: Image, build -> ../linux-tree-<K>/src, busybox,
#                              busybox.links, kernel.config.  F = hash(K + B).  Reused as is.
#   linux-current -> linux-<F> stable path: linux-current/{Image,build,busybox}
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SELF="$REPO/scripts/build-linux.sh"
FRAGMENT="$REPO/guest/linux/kernel/virtio-sst.config"
CACHE=${QEMU_SST_CACHE:-$HOME/.cache/qemu-sst}
JOBS=${QEMU_SST_JOBS:-2}
KERNEL_PACKAGE=linux-source-6.1
KERNEL_TARBALL=/usr/src/linux-source-6.1.tar.xz
KMAKE_ARGS=(ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu-)
# dpkg-dev: dpkg-source, to unpack busybox with Debian's patches; opensbi: the -bios that boots it.
BUILD_PACKAGES=("$KERNEL_PACKAGE" gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu libc6-dev-riscv64-cross
                build-essential bc kmod cpio xz-utils libssl-dev libelf-dev flex bison dpkg-dev opensbi)

say() { echo "LINUX: $*" >&2; }
die() { echo "build-linux: error: $*" >&2; exit 1; }
TOOL=build-linux
# shellcheck source=lib/debian.sh
source "$REPO/scripts/lib/debian.sh"
hash16() { sha256sum | cut -c1-16; }

usage() {
    sed -n '2,/^set -euo/{/^set -euo/d; s/^# \{0,1\}//; p}' "$SELF"
}

# --- build dependencies -----------------------------------------------------------------------


# --- Debian source package for busybox ----------------------------------------------------------

have_deb_src() {
    grep -rqsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/
}

# No riscv64 busybox binary package exists for this release, so its source is needed, which needs
# a deb-src entry.  This adds deb-src twins of the enabled Debian archive entries (same URIs,
# suites, components and keys), in the same file scripts/build-qemu.sh writes, so whichever of the
# two scripts runs first serves both.
add_deb_src() {
    local out=/etc/apt/sources.list.d/qemu-sst-deb-src.sources stanzas="" oneline=""
    is_root || die "apt has no deb-src entry, so Debian's busybox source cannot be fetched.  As root, add
  one for the Debian archive already configured (a copy of its 'Types: deb' stanza with
  'Types: deb-src'), run 'apt-get update', then re-run this script"
    # deb822 files: each stanza (a paragraph) that is an enabled 'deb' entry for a Debian
    # archive, with its Types line replaced and its comments dropped.
    if compgen -G '/etc/apt/sources.list.d/*.sources' >/dev/null; then
        stanzas=$(awk 'BEGIN { RS = "" }
            {
                n = split($0, line, "\n"); types = ""; uris = ""; enabled = "yes"
                for (i = 1; i <= n; i++) {
                    if (line[i] ~ /^Types:/) types = line[i]
                    else if (line[i] ~ /^URIs:/) uris = line[i]
                    else if (line[i] ~ /^Enabled:/) enabled = tolower(line[i])
                }
                if (types !~ /[: ]deb( |$)/ || uris !~ /debian/ || enabled ~ /no/) next
                for (i = 1; i <= n; i++) {
                    if (line[i] ~ /^#/) continue
                    print (line[i] ~ /^Types:/ ? "Types: deb-src" : line[i])
                }
                print ""
            }' /etc/apt/sources.list.d/*.sources)
    fi
    # One-line entries in sources.list: "deb [options] URI suite components" -> "deb-src ...".
    if [[ -f /etc/apt/sources.list ]]; then
        oneline=$(sed -n 's/^[[:space:]]*deb\([[:space:]].*debian.*\)$/deb-src\1/p' /etc/apt/sources.list)
    fi
    [[ -n "$stanzas$oneline" ]] || die "no enabled Debian 'deb' entry found to mirror as deb-src"
    if [[ -n "$stanzas" ]]; then
        say "adding deb-src entries for the configured Debian archive in $out"
        printf '# Added by qemu-sst scripts/build-linux.sh for apt-get source.\n%s\n' "$stanzas" > "$out"
    fi
    if [[ -n "$oneline" ]]; then
        say "adding deb-src entries for the configured Debian archive in ${out%.sources}.list"
        printf '# Added by qemu-sst scripts/build-linux.sh for apt-get source.\n%s\n' "$oneline" > "${out%.sources}.list"
    fi
    apt-get update -q >&2 || die "apt-get update failed after adding deb-src entries"
}



# Runs a long, chatty step with its output appended to a log; on failure shows the end of it.
run_logged() {
    local log=$1 what=$2
    shift 2
    "$@" >>"$log" 2>&1 || { tail -n 40 "$log" >&2; die "$what failed; full log in $log"; }
}

# --- the kernel ---------------------------------------------------------------------------------

# Every option the fragment sets must be in the final .config: olddefconfig silently drops one
# whose dependencies are unmet, which would otherwise surface only as a guest that does not boot.
check_fragment_applied() {
    local config=$1 line name lost=()
    while IFS= read -r line; do
        if [[ "$line" =~ ^(CONFIG_[A-Za-z0-9_]+)= ]]; then
            grep -qxF "$line" "$config" || lost+=("$line")
        elif [[ "$line" =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set ]]; then
            name=${BASH_REMATCH[1]}
            grep -qE "^$name=" "$config" && lost+=("$line")
        fi
    done < "$FRAGMENT"
    [[ ${#lost[@]} -eq 0 ]] ||
        die "these options from $FRAGMENT are not in the final $config (unmet dependencies?): ${lost[*]}"
}

# -m: merge only, without the 'make alldefconfig' it would otherwise run; olddefconfig settles it.
merge_fragment() {
    (cd "$1" && env "${KMAKE_ARGS[@]}" scripts/kconfig/merge_config.sh -m .config "$FRAGMENT")
}

build_kernel() {
    local dir=$1 src=$1/src
    local start=$SECONDS
    if [[ ! -f "$dir/.unpacked" ]]; then
        rm -rf "$dir"
        mkdir -p "$dir"
        say "unpacking $KERNEL_TARBALL"
        tar -xJf "$KERNEL_TARBALL" -C "$dir" || die "could not unpack $KERNEL_TARBALL"
        mv "$dir/linux-source-6.1" "$src" || die "$KERNEL_TARBALL has no linux-source-6.1/ directory"
        touch "$dir/.unpacked"
    fi
    if [[ ! -f "$dir/.configured" ]]; then
        say "configuring: tinyconfig + ${FRAGMENT#"$REPO"/}"
        rm -f "$dir/config.log"
        run_logged "$dir/config.log" "make tinyconfig" make -C "$src" "${KMAKE_ARGS[@]}" tinyconfig
        run_logged "$dir/config.log" "merge_config.sh" merge_fragment "$src"
        run_logged "$dir/config.log" "make olddefconfig" make -C "$src" "${KMAKE_ARGS[@]}" olddefconfig
        check_fragment_applied "$src/.config"
        touch "$dir/.configured"
        say "kernel tree unpacked and configured in $((SECONDS - start)) s"
    fi
    if [[ ! -f "$dir/.built" ]]; then
        start=$SECONDS
        say "building the kernel: make -j$JOBS Image modules modules_prepare (log: $dir/build.log)"
        run_logged "$dir/build.log" "the kernel build" \
            make -C "$src" "${KMAKE_ARGS[@]}" -j"$JOBS" Image modules modules_prepare
        [[ -f "$src/arch/riscv/boot/Image" ]] || die "the kernel build made no arch/riscv/boot/Image"
        touch "$dir/.built"
        say "kernel built in $((SECONDS - start)) s"
    fi
}

# --- busybox ------------------------------------------------------------------------------------

# Settles options that depend on the ones changed, taking the default for every question asked.
busybox_oldconfig() {
    { yes "" || true; } | make -C "$1" oldconfig # yes ends by SIGPIPE: not a failure
}

build_busybox() {
    local dir=$1 version=$2 dsc src="$1.tmp/work/src" start=$SECONDS
    dsc=$(fetch_source busybox "$version")
    rm -rf "$dir.tmp"
    mkdir -p "$dir.tmp/work"
    say "unpacking $(basename "$dsc") with Debian's patches"
    run_logged "$dir.tmp/unpack.log" "dpkg-source -x $dsc" dpkg-source -x "$dsc" "$src"
    say "building static busybox: defconfig + CONFIG_STATIC=y, make -j$JOBS (log: $dir.tmp/build.log)"
    run_logged "$dir.tmp/build.log" "busybox defconfig" make -C "$src" defconfig
    # A static binary: the initramfs carries no C library.
    sed -i 's/^# CONFIG_STATIC is not set$/CONFIG_STATIC=y/' "$src/.config"
    grep -qx 'CONFIG_STATIC=y' "$src/.config" || die "could not set CONFIG_STATIC=y in $src/.config"
    run_logged "$dir.tmp/build.log" "busybox oldconfig" busybox_oldconfig "$src"
    run_logged "$dir.tmp/build.log" "the busybox build" \
        make -C "$src" CROSS_COMPILE=riscv64-linux-gnu- -j"$JOBS" busybox busybox.links
    # Check the result is what a riscv64 initramfs needs: RISC-V, and no program interpreter.
    riscv64-linux-gnu-readelf -h "$src/busybox" | grep -q 'Machine:.*RISC-V' ||
        die "$src/busybox is not a RISC-V binary"
    if riscv64-linux-gnu-readelf -l "$src/busybox" | grep -q INTERP; then
        die "$src/busybox is dynamically linked (CONFIG_STATIC did not take effect)"
    fi
    cp "$src/busybox" "$src/busybox.links" "$dir.tmp/"
    cp "$src/.config" "$dir.tmp/busybox.config"
    # The tree (~60 MB, and dpkg-source's copy of the orig tarball beside it) is not kept: nothing
    # builds against it, and it can be rebuilt from downloads/.
    rm -rf "$dir.tmp/work"
    rm -rf "$dir"
    mv "$dir.tmp" "$dir"
    say "busybox built in $((SECONDS - start)) s"
}

# --- cache housekeeping -------------------------------------------------------------------------

# Our build directories named <prefix>-<16 hex digits>, most recently used first.  Matched exactly:
# a glob like linux-[0-9a-f]* would also take linux-current and the *.tmp directories.
list_builds() {
    local prefix=$1 dir
    for dir in "$CACHE/$prefix"-*; do
        if [[ "$dir" =~ /$prefix-[0-9a-f]{16}$ && -d "$dir" && ! -L "$dir" ]]; then
            stat -c '%Y %n' "$dir"
        fi
    done | sort -rn | cut -d' ' -f2-
}

# Keeps the $2 most recently used builds of a kind (always including $3, the one in use).  Kernel
# trees are ~1.5 GB; two cover "try a fragment change, then go back".
prune() {
    local prefix=$1 keep=$2 current=$3 old
    for old in $(list_builds "$prefix" | tail -n +$((keep + 1))); do
        [[ "$old" == "$current" ]] || rm -rf "$old"
    done
}

prune_old_builds() {
    local out=$1 tree=$2 bb=$3 old
    touch "$tree" "$bb" "$out" # so "most recently used" holds for the ones in use now
    prune linux-tree 2 "$tree"
    prune busybox 3 "$bb"
    # An output whose kernel tree is gone can no longer build modules: drop it.
    for old in $(list_builds linux); do
        [[ -d "$old/build/" ]] || rm -rf "$old"
    done
    prune linux 4 "$out"
}

point_current_at() {
    ln -sfn "$(basename "$1")" "$CACHE/linux-current.tmp"
    mv -Tf "$CACHE/linux-current.tmp" "$CACHE/linux-current"
}

main() {
    case ${1:-} in
        "") ;;
        -h|--help) usage; exit 0 ;;
        *) die "unexpected argument '$1' (this script takes none; see --help)" ;;
    esac
    [[ -f "$FRAGMENT" ]] || die "missing kernel config fragment $FRAGMENT"
    require_packages "${BUILD_PACKAGES[@]}"
    [[ -f "$KERNEL_TARBALL" ]] || die "$KERNEL_TARBALL is missing although $KERNEL_PACKAGE is installed; reinstall it"
    have_deb_src || add_deb_src
    local kernel_version busybox_version
    kernel_version=$(dpkg-query -W -f='${Version}' "$KERNEL_PACKAGE")
    busybox_version=$(source_version busybox)
    [[ -n "$busybox_version" ]] ||
        die "apt knows no 'busybox' source package; run apt-get update (a deb-src entry is configured)"

    local script_sum kernel_key busybox_key full_key
    script_sum=$(sha256sum < "$SELF")
    kernel_key=$( { echo "$KERNEL_PACKAGE $kernel_version"; sha256sum < "$FRAGMENT"; echo "$script_sum"; } | hash16)
    busybox_key=$( { echo "busybox-source $busybox_version"; echo "$script_sum"; } | hash16)
    full_key=$(echo "$kernel_key $busybox_key" | hash16)
    local tree="$CACHE/linux-tree-$kernel_key" bb="$CACHE/busybox-$busybox_key" out="$CACHE/linux-$full_key"

    mkdir -p "$CACHE"
    # One Linux build at a time per cache.  A lock of its own, not build-qemu.sh's: the two
    # builds share no files, so a QEMU build need not wait for a kernel build or the reverse.
    exec 9>"$CACHE/.lock-linux"
    flock -n 9 || { say "waiting for another build-linux.sh run to finish"; flock 9; }

    local start=$SECONDS
    if [[ -f "$out/Image" && -x "$out/busybox" && -d "$out/build/" ]]; then
        say "cached at $out"
    else
        build_kernel "$tree"
        [[ -x "$bb/busybox" ]] || build_busybox "$bb" "$busybox_version"
        rm -rf "$out.tmp"
        mkdir -p "$out.tmp"
        cp "$tree/src/arch/riscv/boot/Image" "$out.tmp/Image"
        cp "$tree/src/.config" "$out.tmp/kernel.config"
        cp "$bb/busybox" "$bb/busybox.links" "$out.tmp/"
        # Relative, so the cache directory can be moved as a whole.
        ln -s "../$(basename "$tree")/src" "$out.tmp/build"
        rm -rf "$out"
        mv "$out.tmp" "$out"
        say "done in $((SECONDS - start)) s: $out (also $CACHE/linux-current)"
    fi
    point_current_at "$out"
    prune_old_builds "$out" "$tree" "$bb"
    echo "KERNEL=$out/Image"
    echo "KERNEL_TREE=$tree/src"
    echo "BUSYBOX=$out/busybox"
}

main "$@"
