"""The sst-core tier: the same configurations under a real sst-core and under the embedded engine.

    sst_core_test.py SST_BINARY|- BUILD_DIR ELEMENT_DIR CONFIG [CONFIG_ARGS...]
    sst_core_test.py SST_BINARY|- BUILD_DIR ELEMENT_DIR failed-guest
    sst_core_test.py --mpi RANKS SST_BINARY|- BUILD_DIR ELEMENT_DIR CONFIG [CONFIG_ARGS...]

Runs CONFIG (deterministic time) once with BUILD_DIR/bin/qemu-sst and once with
`SST_BINARY --add-lib-path=ELEMENT_DIR` (the element libraries built against that sst-core), each
writing its statistics to a CSV file, and requires: both runs succeed (the guest's verdict), the
guest's console lines are the same, and every statistic is identical (component, name, sub-id,
type, time, and every value), compared as a set so that the order of the rows does not matter.
--mpi RANKS: sst runs under `mpirun -np RANKS` with the round-robin partitioner, so the bridge and
some devices are on different ranks (checked: the bridge, "qemu", and at least one device), and the
per-rank statistics files are taken together.
failed-guest: a guest that fails with status 3 (the QEMU stand-in) must end sst with status 3.
SST_BINARY "-" means no sst-core was found: the test says so in one line and is skipped (exit 77).
"""
import csv
import os
import subprocess
import sys
import tempfile

SKIP = 77


def run(argv, env, work):
    done = subprocess.run(argv, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=3000)
    return done.returncode, done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace")


def statistics(path):
    """The CSV's rows as a set of tuples, the rank column left out; also each component's ranks.
    Under MPI each rank writes PATH's name with _<rank> before the extension: those are read together."""
    base, ext = os.path.splitext(path)
    paths = [path] if os.path.exists(path) else sorted(
        os.path.join(os.path.dirname(path), f) for f in os.listdir(os.path.dirname(path))
        if f.startswith(os.path.basename(base) + "_") and f.endswith(ext))
    if not paths:
        raise ValueError("no statistics file %s" % path)
    header, stats, ranks = None, set(), {}
    for p in paths:
        with open(p, newline="") as f:
            rows = list(csv.reader(f))
        if not rows:
            raise ValueError("%s is empty" % p)
        header = [h.strip() for h in rows[0]]
        rank = header.index("Rank")
        for row in rows[1:]:
            if row:
                stats.add(tuple(x.strip() for i, x in enumerate(row) if i != rank))
                ranks.setdefault(row[0].strip(), set()).add(row[rank].strip())
    return header, stats, ranks


def console(stdout):
    """The guest's console lines: stdout without the simulator's end-of-run line."""
    return [line for line in stdout.splitlines() if not line.startswith("Simulation is complete")]


def failed_guest(sst, build, elements):
    """A guest (the QEMU stand-in) that exits with status 3: sst must end with that status too."""
    with tempfile.TemporaryDirectory(prefix="sst-core-tier-") as work:
        script = os.path.join(work, "fail.script")
        with open(script, "w") as f:
            f.write("exit 3\n")
        env = dict(os.environ, QEMU_SST_BUILD=build, TMPDIR=work)
        config = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "configs",
                              "linux_basic.py")
        status, out, err = run([sst, "--add-lib-path=" + elements,
                                "--model-options=--standin --script %s --verbose 0" % script, config], env, work)
    if status != 3 or "guest failed: QEMU exited with status 3" not in err:
        print("FAIL: a guest exiting with 3 ended sst with %d:\n%s\n%s" % (status, out[-2000:], err[-2000:]))
        return 1
    print("a guest exiting with 3 ends sst with 3, saying so")
    return 0


def main():
    args = sys.argv[1:]
    ranks = 0
    if args[:1] == ["--mpi"]:
        ranks, args = int(args[1]), args[2:]
    if len(args) < 4:
        sys.exit(__doc__)
    sst, build, elements, config = args[:4]
    if sst != "-" and config == "failed-guest":
        return failed_guest(sst, build, elements)
    config_args = args[4:]
    if sst == "-":
        print("sst-core tier skipped: no %ssst-core found (scripts/build-sst-core.sh SRC_DIR%s builds one; "
              "or configure with -DSST_CORE%s_PREFIX=DIR)" % ("MPI " if ranks else "", " --mpi" if ranks else "",
                                                             "_MPI" if ranks else ""))
        return SKIP
    mpirun = ["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", str(ranks)] if ranks else []
    partition = ["--partitioner=sst.roundrobin"] if ranks else []
    env = dict(os.environ, QEMU_SST_BUILD=build)
    failures = []
    with tempfile.TemporaryDirectory(prefix="sst-core-tier-") as work:
        env["TMPDIR"] = work
        results = {}
        for name, argv in (("qemu-sst", [os.path.join(build, "bin", "qemu-sst")]),
                           ("sst", mpirun + [sst, "--add-lib-path=" + elements] + partition)):
            csv_path = os.path.join(work, name + ".csv")
            argv = argv + ["--model-options=" + " ".join(["--stats-csv", csv_path] + config_args), config]
            status, out, err = run(argv, env, work)
            if status != 0:
                failures.append("%s exited with %d:\n%s\n%s" % (name, status, out[-3000:], err[-3000:]))
                continue
            try:
                results[name] = (console(out), statistics(csv_path))
            except (OSError, ValueError) as e:
                failures.append("%s: %s" % (name, e))
        if len(results) == 2:
            (ours_console, (ours_header, ours, _)), (their_console, (their_header, theirs, their_ranks)) = \
                results["qemu-sst"], results["sst"]
            # The bridge is "qemu" in every config; some device must be on another rank.
            if ranks and "qemu" not in their_ranks:
                failures.append("the bridge wrote no statistics, so its rank is unknown: %s" % their_ranks)
            elif ranks and not any(rs != their_ranks["qemu"] for c, rs in their_ranks.items() if c != "qemu"):
                failures.append("no device ran on another rank than the bridge: %s" % their_ranks)
            if ours_header != their_header:
                failures.append("CSV headers differ:\n  qemu-sst: %s\n  sst:      %s" % (ours_header, their_header))
            if ours_console != their_console:
                failures.append("the guest's console differs:\n--- qemu-sst:\n%s\n--- sst:\n%s" %
                                ("\n".join(ours_console[-40:]), "\n".join(their_console[-40:])))
            if not ours:
                failures.append("no statistics at all")
            for row in sorted(ours - theirs):
                failures.append("only under qemu-sst: %s" % (row,))
            for row in sorted(theirs - ours):
                failures.append("only under sst:      %s" % (row,))
            if not failures:
                print("%s: %d statistics identical under sst-core%s and qemu-sst, the same %d console lines" %
                      (os.path.basename(config), len(ours), " on %d MPI ranks %s" % (ranks, their_ranks) if ranks else "",
                       len(ours_console)))
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
