#!/usr/bin/env bash
# Builds qemu-system-riscv64 and qemu-system-riscv32 from Debian's QEMU 7.2 source package with
# qemu-sst's `sst-device` and `virtio-sst-device` compiled in.  The last line on stdout is the path of qemu-system-riscv64.
#
#   scripts/build-qemu.sh            build (or reuse) and print the binary's path
#
# Environment: QEMU_SST_CACHE (default ~/.cache/qemu-sst), QEMU_SST_JOBS (default 2).
#
# Cache layout, all under $QEMU_SST_CACHE:
#   downloads/                 Debian's .dsc, orig tarball and diff (apt-get source --download-only)
#   qemu-src-<S>/src, /build   unpacked tree and its build directory.  S hashes everything except
#                              our device sources: the source package version, the configure
#                              options and this script.  Kept so a change to our files only
#                              recompiles those files and relinks.
#   qemu-<F>/bin/              finished binaries.  F = hash(S + our device sources).  Reused as is.
#   qemu-current -> qemu-<F>   stable path: qemu-current/bin/qemu-system-riscv64 (and riscv32)
#
# Our sources live in the repository as ordinary files and are copied into the tree:
#   qemu/<path>                      -> src/<path>             (e.g. qemu/hw/misc/sst-device.c)
#   transport/mmio_endpoint.{c,h}    -> src/hw/misc/sst-transport/
#   include/qemu-sst/{*_protocol,shm_ring,virtio_sst}.h -> src/hw/misc/sst-transport/qemu-sst/
# (the relative #includes of the transport then resolve without any extra include path).
#
# The only edits to QEMU's own files are appends: hw/misc/trace-events gets qemu/hw/misc/trace-events-sst
# (on every build), and, once per unpacked tree (see wire_into_qemu),
# two lines in hw/misc/meson.build and two entries in hw/misc/Kconfig: SST_DEVICE (sst-device plus
# the channel and time code both devices share: sst-channel.c, sst-time.c, the transport), on
# whenever RISCV_VIRT is, and SST_VIRTIO (virtio-sst.c, the virtio-mmio `virtio-sst-device`), on
# whenever SST_DEVICE and VIRTIO_MMIO are (riscv virt selects VIRTIO_MMIO).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SELF="$REPO/scripts/build-qemu.sh"
CACHE=${QEMU_SST_CACHE:-$HOME/.cache/qemu-sst}
JOBS=${QEMU_SST_JOBS:-2}
# shellcheck disable=SC2054 # the commas belong to --target-list
CONFIGURE_OPTS=(--target-list=riscv64-softmmu,riscv32-softmmu --without-default-features --disable-docs
                --enable-system --enable-fdt=system --disable-install-blobs)
BUILD_PACKAGES=(build-essential pkg-config python3 python3-venv libglib2.0-dev libpixman-1-dev libfdt-dev
                meson ninja-build flex bison dpkg-dev)
TARGETS=(qemu-system-riscv64 qemu-system-riscv32)

say() { echo "QEMU: $*"; }
die() { echo "build-qemu: error: $*" >&2; exit 1; }
TOOL=build-qemu
# shellcheck source=lib/debian.sh
source "$REPO/scripts/lib/debian.sh"

# --- build dependencies -----------------------------------------------------------------------


# --- Debian source package ----------------------------------------------------------------------

have_deb_src() {
    grep -rqsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/
}

# Adds deb-src twins of the enabled Debian `deb` entries (deb822 .sources stanzas and one-line
# sources.list entries), same URIs/suites/components/keys, so `apt-get source` works.
add_deb_src() {
    local out=/etc/apt/sources.list.d/qemu-sst-deb-src.sources
    if ! is_root; then
        die "apt has no deb-src entry, so Debian's QEMU source cannot be fetched.  As root, add one for
  the Debian archive already configured (a copy of its 'Types: deb' stanza with 'Types: deb-src'),
  run 'apt-get update', then re-run this script"
    fi
    say "adding deb-src entries for the configured Debian archive in $out"
    python3 - "$out" <<'EOF'
import glob, re, sys
stanzas = []
for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
    for block in re.split(r"\n\s*\n", open(path).read()):
        fields = {}
        for line in block.splitlines():
            m = re.match(r"^([A-Za-z-]+):\s*(.*)$", line)
            if m:
                fields[m.group(1)] = m.group(2).strip()
        if ("deb" in fields.get("Types", "").split() and "debian" in fields.get("URIs", "")
                and fields.get("Enabled", "yes").lower() != "no"):
            fields["Types"] = "deb-src"
            stanzas.append("\n".join("%s: %s" % kv for kv in fields.items()))
try:
    for line in open("/etc/apt/sources.list"):
        words = line.split()
        if len(words) >= 3 and words[0] == "deb" and "debian" in line:
            uri_at = 2 if words[1].startswith("[") else 1  # skip a one-word [options] block
            stanzas.append("Types: deb-src\nURIs: %s\nSuites: %s\nComponents: %s" %
                           (words[uri_at], words[uri_at + 1], " ".join(words[uri_at + 2:])))
except FileNotFoundError:
    pass
if not stanzas:
    sys.exit("no enabled Debian 'deb' entry found to mirror as deb-src")
open(sys.argv[1], "w").write("# Added by qemu-sst scripts/build-qemu.sh for 'apt-get source qemu'.\n"
                             + "\n\n".join(stanzas) + "\n")
EOF
    apt-get update -q || die "apt-get update failed after adding $out"
}



# --- hashing ------------------------------------------------------------------------------------

# Our files and where they go in the tree, as "repo-relative-source tree-relative-destination".
our_files() {
    (cd "$REPO" && find qemu -type f | LC_ALL=C sort | while read -r f; do echo "$f ${f#qemu/}"; done)
    echo "transport/mmio_endpoint.c hw/misc/sst-transport/mmio_endpoint.c"
    echo "transport/mmio_endpoint.h hw/misc/sst-transport/mmio_endpoint.h"
    # The protocol headers (every *_protocol.h, so that a new payload family's header needs no change
    # here), not the device register maps: adding a device must not rebuild QEMU.
    (cd "$REPO" && find include/qemu-sst \( -name '*_protocol.h' -o -name shm_ring.h -o -name virtio_sst.h \) |
        LC_ALL=C sort | while read -r f; do echo "$f hw/misc/sst-transport/qemu-sst/${f#include/qemu-sst/}"; done)
}

hash16() { sha256sum | cut -c1-16; }

# --- the tree -----------------------------------------------------------------------------------

# The documented edits to QEMU's own files.  Appends only, so they apply to any 7.2 patch level.
# A new .c file of ours must be listed here; changing this script starts a fresh tree (see above).
# hw/misc/trace-events is kept as trace-events.qemu, to which install_our_files appends ours.
wire_into_qemu() {
    local src=$1
    cp "$src/hw/misc/trace-events" "$src/hw/misc/trace-events.qemu"
    cat >> "$src/hw/misc/meson.build" <<'EOF'
specific_ss.add(when: 'CONFIG_SST_DEVICE', if_true: files('sst-device.c', 'sst-channel.c', 'sst-time.c', 'sst-transport/mmio_endpoint.c'))  # qemu-sst
specific_ss.add(when: 'CONFIG_SST_VIRTIO', if_true: files('virtio-sst.c'))  # qemu-sst
EOF
    cat >> "$src/hw/misc/Kconfig" <<'EOF'

# qemu-sst: MMIO window served by an SST simulation (hw/misc/sst-device.c); built with riscv virt.
config SST_DEVICE
    bool
    default y
    depends on RISCV_VIRT

# qemu-sst: virtio-sst-device (hw/misc/virtio-sst.c), a virtio-mmio device on the same channel code.
config SST_VIRTIO
    bool
    default y
    depends on SST_DEVICE && VIRTIO_MMIO
EOF
}

# Copies our files into the tree, touching only those that differ so ninja recompiles just them.
install_our_files() {
    local src=$1 from to changed=0
    while read -r from to; do
        [[ -f "$REPO/$from" ]] || die "missing source file $REPO/$from"
        if ! cmp -s "$REPO/$from" "$src/$to"; then
            mkdir -p "$(dirname "$src/$to")"
            cp "$REPO/$from" "$src/$to"
            changed=$((changed + 1))
        fi
    done < <(our_files)
    # Our trace events follow QEMU's own in hw/misc/trace-events (the trace tool reads one file per
    # directory), rebuilt from the untouched copy so that they always match qemu/hw/misc/trace-events-sst.
    local events="$src/hw/misc/trace-events"
    if ! cat "$events.qemu" "$REPO/qemu/hw/misc/trace-events-sst" | cmp -s - "$events"; then
        cat "$events.qemu" "$REPO/qemu/hw/misc/trace-events-sst" >"$events"
        changed=$((changed + 1))
    fi
    say "$changed of our source file(s) copied into the tree"
}

prepare_tree() {
    local dir=$1 version=$2 dsc
    if [[ -f "$dir/.configured" ]]; then
        return 0
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    dsc=$(fetch_source qemu "$version")
    say "unpacking $(basename "$dsc") with Debian's patches"
    # Checksums are verified; without debian-keyring the .dsc signature is only reported as
    # unverifiable (apt already checked the files against the signed archive index).
    dpkg-source -x "$dsc" "$dir/src" >/dev/null || die "dpkg-source -x $dsc failed"
    wire_into_qemu "$dir/src"
    install_our_files "$dir/src"
    say "configuring: ${CONFIGURE_OPTS[*]}"
    mkdir -p "$dir/build"
    (cd "$dir/build" && ../src/configure "${CONFIGURE_OPTS[@]}") >"$dir/configure.log" 2>&1 ||
        { tail -n 30 "$dir/configure.log" >&2; die "configure failed; full log in $dir/configure.log"; }
    touch "$dir/.configured"
}

# Keeps the current binaries and the two most recent others (~100 MB each), and only the current
# source tree (~1 GB with its build directory): another one is never updated again.
prune_old_builds() {
    local keep=$1 keep_tree=$2 old
    # shellcheck disable=SC2012 # names are our own hex hashes
    for old in $(ls -1dt "$CACHE"/qemu-[0-9a-f]* 2>/dev/null | tail -n +4); do
        [[ "$old" == "$keep" ]] || rm -rf "$old"
    done
    for old in "$CACHE"/qemu-src-*; do
        [[ -d "$old" && "$old" != "$keep_tree" ]] && rm -rf "$old"
    done
    return 0
}

point_current_at() {
    ln -sfn "$(basename "$1")" "$CACHE/qemu-current.tmp"
    mv -Tf "$CACHE/qemu-current.tmp" "$CACHE/qemu-current"
}

main() {
    require_packages "${BUILD_PACKAGES[@]}"
    have_deb_src || add_deb_src
    local version
    version=$(source_version qemu)
    [[ -n "$version" ]] || die "apt knows no 'qemu' source package; run apt-get update (a deb-src entry is configured)"

    local src_key full_key
    src_key=$( { echo "qemu-source $version"; echo "configure ${CONFIGURE_OPTS[*]}"; sha256sum < "$SELF"; } | hash16)
    full_key=$( { echo "$src_key"; our_files | while read -r from _; do
                      echo "$from $(sha256sum < "$REPO/$from")"; done; } | hash16)
    local out="$CACHE/qemu-$full_key" tree="$CACHE/qemu-src-$src_key"

    mkdir -p "$CACHE"
    exec 9>"$CACHE/.lock"
    flock 9 # one build at a time per cache

    if [[ -x "$out/bin/qemu-system-riscv64" && -x "$out/bin/qemu-system-riscv32" ]]; then
        point_current_at "$out"
        say "cached at $out"
        echo "$out/bin/qemu-system-riscv64"
        return 0
    fi

    local start=$SECONDS
    prepare_tree "$tree" "$version"
    install_our_files "$tree/src"
    say "building ${TARGETS[*]} (qemu $version, ninja -j$JOBS)"
    ninja -C "$tree/build" -j"$JOBS" "${TARGETS[@]}" || die "the QEMU build failed (see the compiler output above)"

    rm -rf "$out.tmp"
    mkdir -p "$out.tmp/bin"
    for t in "${TARGETS[@]}"; do
        cp "$tree/build/$t" "$out.tmp/bin/$t"
    done
    "$out.tmp/bin/qemu-system-riscv64" -device help 2>/dev/null | grep -q '"sst-device"' ||
        die "the built QEMU does not list sst-device under -device help"
    "$out.tmp/bin/qemu-system-riscv64" -device help 2>/dev/null | grep -q '"virtio-sst-device"' ||
        die "the built QEMU does not list virtio-sst-device under -device help"
    rm -rf "$out"
    mv "$out.tmp" "$out"
    point_current_at "$out"
    prune_old_builds "$out" "$tree"
    say "built in $((SECONDS - start)) s: $out (also $CACHE/qemu-current)"
    echo "$out/bin/qemu-system-riscv64"
}

main "$@"
