"""sst-core's own element tests against the engine: a floor under scripts/sst-core-coretests.

    coretests_floor.py SST_CORE_SRC|- BUILD_DIR MIN_COMPILES MIN_MATCHING

Runs scripts/sst-core-coretests on the sst-core source tree with BUILD_DIR/bin/qemu-sst and requires
that at least MIN_COMPILES of sst-core's coreTest_*.cc files compile against our headers and at least
MIN_MATCHING of the testsuite configurations match their references.  The floors are what the engine
reached when they were set: raise them as it covers more, never lower them to pass.
SST_CORE_SRC "-" means none was configured (-DSST_CORE_SRC=DIR): the environment variable
SST_CORE_SRC is used instead, else the source copy scripts/build-sst-core.sh keeps in
~/.cache/qemu-sst/sst-core-current/src; without any the test says so in one line and is skipped (77).
"""
import json
import os
import subprocess
import sys
import tempfile

SKIP = 77
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    src, build, min_compiles, min_matching = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    if src == "-":
        # The copy scripts/build-sst-core.sh keeps of the tree it built, when there is no other.
        cached = os.path.expanduser("~/.cache/qemu-sst/sst-core-current/src")
        src = os.environ.get("SST_CORE_SRC", "") or (cached if os.path.isdir(cached) else "")
    if not src or not os.path.isdir(os.path.join(src, "src", "sst", "core", "testElements")):
        print("sst-core coretests skipped: no sst-core source tree (configure with -DSST_CORE_SRC=DIR or set "
              "SST_CORE_SRC to an sst-core 16 checkout)")
        return SKIP
    with tempfile.TemporaryDirectory(prefix="sst-core-coretests-") as work:
        summary = os.path.join(work, "summary.json")
        done = subprocess.run([sys.executable, os.path.join(REPO, "scripts", "sst-core-coretests"), src,
                               "--qemu-sst", os.path.join(build, "bin", "qemu-sst"),
                               "--build-dir", os.path.join(work, "build"), "--json", summary])
        if done.returncode != 0:
            print("FAIL: scripts/sst-core-coretests exited with %d" % done.returncode)
            return 1
        with open(summary) as fp:
            total = json.load(fp)["summary"]
    failures = []
    if total["files"] != 20:
        failures.append("expected sst-core 16's 20 coreTest_*.cc files, found %d" % total["files"])
    if total["compiles"] < min_compiles:
        failures.append("%d coreTest files compile, fewer than the floor %d" % (total["compiles"], min_compiles))
    if total["configs_matching"] < min_matching:
        failures.append("%d configs match, fewer than the floor %d" % (total["configs_matching"], min_matching))
    for f in failures:
        print("FAIL: " + f)
    if not failures:
        print("%d/%d coreTest files compile (floor %d), %d/%d configs match (floor %d)" % (
            total["compiles"], total["files"], min_compiles, total["configs_matching"], total["configs"], min_matching))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
