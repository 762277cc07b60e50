#!/bin/sh
# The seed's concurrent-access recipe, written out: ten sst-test runs started at once
# (for i in 1..10: /apps/sst-test &).  Each run locks /dev/sst0 for its checks, which change
# device-wide state, so they take turns (those that wait say so) and every one must pass.
# Arguments go to each sst-test (default: a short stress run).  Exit status 0 = all passed.
runs=10
args=${*:--q -n 300 -p 2 -r 50}
pids=""
i=1
while [ $i -le $runs ]; do
    # shellcheck disable=SC2086 # several arguments on purpose
    /apps/sst-test $args > /tmp/sst-test.$i.log 2>&1 &
    pids="$pids $!"
    i=$((i + 1))
done
failed=0
waited=0
i=1
for pid in $pids; do
    if wait "$pid"; then
        echo "ok  : concurrent run $i passed"
    else
        echo "FAIL: concurrent run $i"
        cat /tmp/sst-test.$i.log
        failed=$((failed + 1))
    fi
    grep -q "waiting for it" /tmp/sst-test.$i.log && waited=$((waited + 1))
    i=$((i + 1))
done
echo "concurrent sst-test: $runs runs, $failed failed, $waited waited for the device lock"
[ "$failed" -eq 0 ]
