#!/usr/bin/env bash
# Runs CI (`bash .ci/run`) several times in a row on a busy machine: a fresh clone of this
# repository's committed main, beside two CPU hogs (`yes > /dev/null`), to show the test suite
# holds when the cores are not free.
#
#   scripts/stress-ci.sh [-n RUNS] [--ref REF] [--command CMD] [--keep]
#
#   -n, --runs RUNS   how many runs (default 5)
#   --ref REF         what to clone instead of main (a branch or tag of this repository)
#   --command CMD     what each run executes in the clone instead of `bash .ci/run`, e.g.
#                     'make build && ctest --test-dir build -L qemu' to stress one tier
#   --keep            keep the clone (and its run-N.log files) even when every run passed
#
# Prints one line per run (number, PASS/FAIL, wall time) and a summary; exits non-zero if any run
# failed (the clone and its logs are then kept).  Nothing is downloaded: the clone is local and CI
# uses the QEMU and Linux builds cached in ~/.cache/qemu-sst (fill them once with `make test`);
# network proxies are pointed nowhere so that an attempt fails instead of fetching.
set -euo pipefail

runs=5
ref=main
keep=0
command='bash .ci/run'
usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case $1 in
    -n|--runs) runs=${2:?}; shift 2 ;;
    --ref) ref=${2:?}; shift 2 ;;
    --command) command=${2:?}; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "stress-ci: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "stress-ci: RUNS must be a positive number, not '$runs'" >&2; exit 2; }

repo=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)
cache=${QEMU_SST_CACHE:-$HOME/.cache/qemu-sst}
for need in "$cache/downloads" "$cache/linux-current"; do
  [[ -e "$need" ]] || { echo "stress-ci: no $need: run 'make test' once to fill the cache (this script downloads nothing)" >&2; exit 2; }
done
compgen -G "$cache/qemu-src-*" > /dev/null ||
  { echo "stress-ci: no QEMU source tree in $cache: run 'make test' once to fill the cache" >&2; exit 2; }

hogs=()
run_pid=
work=$(mktemp -d "${TMPDIR:-/tmp}/qemu-sst-stress-XXXXXX")

kill_tree() {
  local child
  for child in $(pgrep -P "$1" || true); do
    kill_tree "$child"
  done
  kill "$1" 2>/dev/null || true
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [[ -n "$run_pid" ]] && kill_tree "$run_pid"
  [[ ${#hogs[@]} -gt 0 ]] && { kill "${hogs[@]}" 2>/dev/null || true; wait "${hogs[@]}" 2>/dev/null || true; }
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

git clone --quiet --no-hardlinks --branch "$ref" "$repo" "$work/repo"
commit=$(git -C "$work/repo" rev-parse --short HEAD)
echo "stress-ci: $ref at $commit in $work/repo, $runs run(s) of '$command' beside 2 CPU hogs"

for _ in 1 2; do
  yes > /dev/null &
  hogs+=($!)
done

# An unreachable proxy for anything that would fetch (apt honours these too).
export http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 ftp_proxy=http://127.0.0.1:9
export no_proxy=localhost,127.0.0.1

passed=0 total_s=0 max_s=0
for ((i = 1; i <= runs; i++)); do
  log="$work/run-$i.log"
  start=$EPOCHREALTIME
  (cd "$work/repo" && exec bash -c "$command") > "$log" 2>&1 &
  run_pid=$!
  if wait "$run_pid"; then verdict=PASS; passed=$((passed + 1)); else verdict=FAIL; fi
  run_pid=
  secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  total_s=$(awk -v t="$total_s" -v s="$secs" 'BEGIN { print t + s }')
  max_s=$(awk -v m="$max_s" -v s="$secs" 'BEGIN { print (s > m ? s : m) }')
  printf 'run %d/%d: %s %.1f s%s\n' "$i" "$runs" "$verdict" "$secs" "$([[ $verdict == FAIL ]] && echo " (log: $log)")"
done

printf 'stress-ci: %d/%d runs passed beside 2 CPU hogs (%s %s), mean %.1f s, max %.1f s\n' \
  "$passed" "$runs" "$ref" "$commit" "$(awk -v t="$total_s" -v n="$runs" 'BEGIN { print t / n }')" "$max_s"
if [[ $passed -eq $runs ]]; then
  [[ $keep -eq 1 ]] && echo "stress-ci: kept $work" || rm -rf "$work"
  exit 0
fi
echo "stress-ci: logs kept in $work" >&2
exit 1
