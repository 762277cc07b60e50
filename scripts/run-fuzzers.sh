#!/usr/bin/env bash
# Runs every libFuzzer target of a QEMU_SST_FUZZ build for a fixed time and prints one verdict per
# target.  Exits non-zero if any target found a problem (crash, leak, timeout, failed check).
# Usage: scripts/run-fuzzers.sh BUILD_DIR SECONDS
#   Corpora live in BUILD_DIR/fuzz-corpus/<target> (seeded by fuzz_seed_writer, grown by each run);
#   reproducers of failures land in BUILD_DIR/fuzz-artifacts/<target>/, logs in BUILD_DIR/fuzz-logs/.
set -uo pipefail

if [[ $# -ne 2 || ! "$2" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build=$(cd "$1" && pwd) || exit 2
seconds=$2
targets=(fuzz_mmio_decode fuzz_shm_ring fuzz_endpoint_socket fuzz_virtio_request)

# Executables land in BUILD_DIR/bin in the full project; look elsewhere in the tree otherwise.
find_binary() {
  local name=$1
  if [[ -x "$build/bin/$name" ]]; then
    echo "$build/bin/$name"
  else
    find "$build" -type f -name "$name" -perm -u+x 2>/dev/null | head -n 1
  fi
}

seed_writer=$(find_binary fuzz_seed_writer)
if [[ -z "$seed_writer" ]]; then
  echo "run-fuzzers: fuzz_seed_writer not found under $build (build the fuzz_targets target)" >&2
  exit 2
fi
"$seed_writer" "$build/fuzz-corpus" >/dev/null || { echo "run-fuzzers: seeding failed" >&2; exit 2; }
mkdir -p "$build/fuzz-logs"

# Per-target options: virtio requests are a 4096-byte page, and lengths just past it matter too.
extra_options() {
  case $1 in
    fuzz_virtio_request) echo "-max_len=4200" ;;
    *) echo "" ;;
  esac
}

# The value of one "stat::NAME: VALUE" line of -print_final_stats output.
final_stat() { sed -n "s/^stat::$2: *//p" "$1" | tail -n 1; }

failed=0
for target in "${targets[@]}"; do
  binary=$(find_binary "$target")
  if [[ -z "$binary" ]]; then
    echo "$target: FAIL (binary not built)"
    failed=1
    continue
  fi
  corpus="$build/fuzz-corpus/$target"
  artifacts="$build/fuzz-artifacts/$target/"
  log="$build/fuzz-logs/$target.log"
  mkdir -p "$corpus" "$artifacts"
  # shellcheck disable=SC2046 # extra_options is a word list on purpose
  "$binary" "$corpus" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts" $(extra_options "$target") >"$log" 2>&1
  status=$?

  runs=$(final_stat "$log" number_of_executed_units)
  speed=$(final_stat "$log" average_exec_per_sec)
  rss=$(final_stat "$log" peak_rss_mb)
  # Coverage of the last status line: "cov: N ft: M corp: K/..."
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  corp=$(grep -o 'corp: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  summary="${runs:-?} runs, ${speed:-?} exec/s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}, peak rss ${rss:-?} MB"
  if [[ $status -eq 0 ]]; then
    echo "$target: PASS ($summary)"
  else
    reason=$(grep -m1 -E '^==[0-9]+==ERROR|SUMMARY:|runtime error|^fuzz_[a-z_]+: ' "$log" | head -c 200)
    echo "$target: FAIL exit $status (${reason:-see log}) ($summary) log: $log artifacts: $artifacts"
    failed=1
  fi
done
exit $failed
