#!/bin/sh
# Formats our C and C++ with the one .clang-format at the top of the tree (Debian's clang-format),
# or with --check only says which files differ from it (exit 1).  The kernel driver keeps kernel
# style: guest/linux/driver/.clang-format turns formatting off there.
#   scripts/format.sh [--check]
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
if ! command -v clang-format >/dev/null 2>&1; then
    echo "clang-format not found: apt-get install -y clang-format (scripts/install-deps.sh installs it)" >&2
    exit 2
fi
files=$(git ls-files '*.c' '*.cc' '*.h' | grep -v '^guest/linux/driver/')
if [ "${1:-}" = --check ]; then
    bad=
    for f in $files; do
        clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad="$bad $f"
    done
    if [ -n "$bad" ]; then
        echo "not formatted (run scripts/format.sh):$bad" >&2
        exit 1
    fi
    echo "all $(echo "$files" | wc -l) C and C++ files are formatted"
else
    echo "$files" | xargs clang-format -i
fi
