#!/bin/sh
# Adds a memory-mapped device model of kind NAME from the SDK's template (elements/sdk/template):
# a timed adder with an interrupt, to rename and reshape into your own device.  It writes four
# files and edits nothing else; the build, the config helper, the bare-metal probe and the test
# harness find the new kind through its descriptor.
#   scripts/new-device.sh NAME        NAME: lower case letters, digits and _, e.g. my_accel
# Then: make && build/bin/qemu-sst configs/NAME_device.py      (docs/adding-a-device.md)
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
name=${1:-}
if ! printf '%s' "$name" | grep -Eq '^[a-z][a-z0-9_]{0,23}$'; then
    echo "usage: $0 NAME   (NAME: a lower-case C identifier of at most 24 characters, e.g. my_accel)" >&2
    exit 2
fi
upper=$(printf '%s' "$name" | tr a-z A-Z)
camel=$(printf '%s' "$name" | awk -F_ '{ for (i = 1; i <= NF; i++) printf "%s%s", toupper(substr($i, 1, 1)), substr($i, 2) }')
header=include/qemu-sst/${name}_device.h
model=elements/devices/${name}.cc
program=guest/baremetal/programs/${name}_test.c
config=configs/${name}_device.py
for f in "$header" "$model" "$program" "$config"; do
    if [ -e "$repo/$f" ]; then
        echo "$f already exists: device kind '$name' is taken" >&2
        exit 1
    fi
done
if grep -q "^#define[[:space:]]*SST_[A-Z0-9_]*_KIND[[:space:]]*(\"$name\"" "$repo"/include/qemu-sst/*.h; then
    echo "a register header in include/qemu-sst already describes kind '$name'" >&2
    exit 1
fi
# The ID register's value: a 32-bit checksum of the name, unlike every other kind's.
taken=$(grep -ho '^#define[[:space:]]*SST_[A-Z0-9_]*_ID[[:space:]]*0x[0-9a-fA-F]*' "$repo"/include/qemu-sst/*.h | awk '{ print tolower($3) }')
salt=
while :; do
    id=$(printf '0x%08x' "$(printf '%s%s' "$name" "$salt" | cksum | cut -d' ' -f1)")
    if ! printf '%s\n' "$taken" | grep -qx "$id" && [ "$id" != 0x00000000 ]; then
        break
    fi
    salt="${salt}+"
done
for pair in "register_map.h.in:$header" "device.cc.in:$model" "device_test.c.in:$program" "device_config.py.in:$config"; do
    sed -e "s/@name@/$name/g" -e "s/@NAME@/$upper/g" -e "s/@Name@/$camel/g" -e "s/@ID@/$id/g" \
        "$repo/elements/sdk/template/${pair%%:*}" >"$repo/${pair#*:}"
done
echo "device kind '$name' (element acalsim.${camel}Device, ID $id), lines not counting blank ones:"
total=0
for f in "$header" "$model" "$program" "$config"; do
    lines=$(grep -c . "$repo/$f")
    total=$((total + lines))
    printf '  %-45s %4d lines\n' "$f" "$lines"
done
printf '  %-45s %4d lines in 4 files\n' "total" "$total"
echo "next: make, then build/bin/qemu-sst configs/${name}_device.py [--mode fast]"
