# Debian packages and source packages, for the build scripts (sourced, not run).  The caller
# defines say() and die() and sets TOOL (its name, for messages) and CACHE.

is_root() { [[ $(id -u) -eq 0 ]]; }

# Installs the packages given that are not installed (as root), or says how to and exits.
require_packages() {
    local missing=() pkg status
    for pkg in "$@"; do
        status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
        [[ "$status" == ii* ]] || missing+=("$pkg")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if ! is_root; then
        echo "$TOOL: missing Debian packages: ${missing[*]}" >&2
        echo "  install them with: sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    say "installing build packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
        die "apt-get install ${missing[*]} failed"
}

# Newest version of source package $1 in apt's local index (no network).
source_version() {
    apt-cache showsrc --only-source "$1" 2>/dev/null | awk '/^Version:/ {print $2}' | sort -V | tail -n 1
}

# Downloads source package $1 at version $2 into $CACHE/downloads (once); prints its .dsc path.
fetch_source() {
    local package=$1 version=$2 dsc
    mkdir -p "$CACHE/downloads"
    dsc="$CACHE/downloads/${package}_${version#*:}.dsc"
    if [[ ! -f "$dsc" ]]; then
        say "downloading Debian's $package $version source" >&2
        (cd "$CACHE/downloads" && apt-get source --download-only "$package=$version") >&2 ||
            die "apt-get source --download-only $package=$version failed (network, or a stale apt index: try apt-get update)"
    fi
    [[ -f "$dsc" ]] || die "apt-get source did not produce $dsc"
    echo "$dsc"
}
