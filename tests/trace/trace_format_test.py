#!/usr/bin/env python3
"""The timeline a run writes with --trace (the bridge's trace_file), checked against the Trace Event
Format's rules by a parser of its own (Python's json module; nothing shared with the writer).

    trace_format_test.py self-test                     the checker rejects each kind of broken trace
    trace_format_test.py standin BUILD                 a virtio run on the QEMU stand-in
    trace_format_test.py qemu BUILD QEMU PLOT_TRACE    make demo's config on QEMU: format, kinds,
                                                       determinism, and scripts/plot-trace's picture

Exit status 0 when every check passes; each failure is printed.
"""
import copy
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The phases the format documents (Trace Event Format, "Event Descriptions").
PHASES = set("BEXiICbnestfPNODMVvRc") | {"(", ")"}
INSTANT_SCOPES = {"g", "p", "t"}


def _reject_constant(name):
    raise ValueError("%s is not JSON" % name)


def parse(text):
    """The document, or a ValueError: strict JSON (no NaN or Infinity, which Python would accept)."""
    return json.loads(text, parse_constant=_reject_constant)


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def format_problems(doc):
    """What in `doc` breaks the format's rules (an empty list: none)."""
    if not isinstance(doc, dict):
        return ["the top level is not an object"]
    events = doc.get("traceEvents")
    if not isinstance(events, list):
        return ["no traceEvents array"]
    problems = []
    if "displayTimeUnit" in doc and doc["displayTimeUnit"] not in ("ms", "ns"):
        problems.append("displayTimeUnit is %r, not ms or ns" % doc["displayTimeUnit"])
    named, used = set(), set()
    open_b = {}  # (pid, tid) -> stack of names
    open_async = {}  # (cat, id) -> count
    for i, ev in enumerate(events):
        where = "event %d" % i
        if not isinstance(ev, dict):
            problems.append(where + " is not an object")
            continue
        missing = [k for k in ("name", "ph", "ts", "pid", "tid") if k not in ev]
        if missing:
            problems.append("%s lacks %s" % (where, ", ".join(missing)))
            continue
        ph, track = ev["ph"], (ev["pid"], ev["tid"])
        if not isinstance(ev["name"], str):
            problems.append(where + ": name is not a string")
        if ph not in PHASES:
            problems.append("%s: ph %r is not a documented phase" % (where, ph))
        if not is_number(ev["ts"]):
            problems.append("%s: ts %r is not a number" % (where, ev["ts"]))
        if not all(isinstance(ev[k], int) and not isinstance(ev[k], bool) for k in ("pid", "tid")):
            problems.append(where + ": pid and tid must be integers")
            continue
        if "args" in ev and not isinstance(ev["args"], dict):
            problems.append(where + ": args is not an object")
        if ph == "M":
            if ev["name"] == "thread_name":
                if isinstance(ev.get("args"), dict) and isinstance(ev["args"].get("name"), str):
                    named.add(track)
                else:
                    problems.append(where + ": thread_name without args.name")
            continue
        used.add(track)
        if ph == "X" and not (is_number(ev.get("dur")) and ev["dur"] >= 0):
            problems.append("%s: X event with dur %r (a number >= 0 is required)" % (where, ev.get("dur")))
        elif ph == "B":
            open_b.setdefault(track, []).append(ev["name"])
        elif ph == "E":
            if not open_b.get(track):
                problems.append("%s: E on track %s with no B open" % (where, track))
            else:
                open_b[track].pop()
        elif ph in ("b", "e"):
            if "id" not in ev and "id2" not in ev:
                problems.append(where + ": async event without an id")
                continue
            key = (ev.get("cat"), json.dumps(ev.get("id", ev.get("id2")), sort_keys=True))
            if ph == "b":
                open_async[key] = open_async.get(key, 0) + 1
            elif open_async.get(key, 0) == 0:
                problems.append("%s: e with no b open for cat/id %s" % (where, key))
            else:
                open_async[key] -= 1
        elif ph in ("i", "I") and ev.get("s", "t") not in INSTANT_SCOPES:
            problems.append("%s: instant scope %r" % (where, ev.get("s")))
    for track, stack in open_b.items():
        if stack:
            problems.append("track %s: %d B event(s) never ended" % (track, len(stack)))
    for key, n in open_async.items():
        if n:
            problems.append("async %s: %d b event(s) never ended" % (key, n))
    for track in sorted(used - named):
        problems.append("track %s has no thread_name metadata" % (track,))
    return problems


def track_names(doc):
    return {(e["pid"], e["tid"]): e["args"]["name"] for e in doc["traceEvents"]
            if e.get("ph") == "M" and e.get("name") == "thread_name"}


def kind_problems(doc, kinds):
    """Which of the required kinds of event `doc` lacks.  kinds: a subset of KINDS."""
    events = [e for e in doc["traceEvents"] if e.get("ph") != "M"]
    names = track_names(doc)
    sync_tracks = {t for t, n in names.items() if n == "time sync"}

    def has(pred):
        return any(pred(e) for e in events)

    checks = {
        "mmio": lambda e: e["ph"] == "X" and e.get("cat") == "mmio" and e["name"] in ("read", "write")
        and {"address", "size", "value"} <= set(e.get("args", {})),
        "interrupt": lambda e: e["ph"] in ("i", "I") and e.get("cat") == "irq" and e["name"].startswith("irq"),
        "busy": lambda e: e["ph"] == "b" and e.get("cat") == "busy",
        "sync": lambda e: (e["pid"], e["tid"]) in sync_tracks and e["ph"] == "X" and e["name"] == "horizon",
        "sync_frame": lambda e: (e["pid"], e["tid"]) in sync_tracks and e["ph"] == "i" and e["name"] == "SYNC",
        "virtio": lambda e: e["ph"] == "b" and e.get("cat") == "virtio"
        and {"type", "request_id"} <= set(e.get("args", {})),
        "dma": lambda e: e["ph"] == "b" and e.get("cat") == "dma" and "bytes" in e.get("args", {}),
    }
    problems = ["no %s event" % k for k in kinds if not has(checks[k])]
    device_tracks = {t for t in names if t not in sync_tracks}
    if not sync_tracks:
        problems.append("no track named 'time sync'")
    if not device_tracks:
        problems.append("no device track")
    return problems


# --- self-test: every rule catches what it is for ------------------------------------------------

GOOD = {
    "displayTimeUnit": "ns",
    "traceEvents": [
        {"name": "thread_name", "ph": "M", "ts": 0, "pid": 1, "tid": 1, "args": {"name": "time sync"}},
        {"name": "thread_name", "ph": "M", "ts": 0, "pid": 1, "tid": 2, "args": {"name": "dev"}},
        {"name": "horizon", "cat": "sync", "ph": "X", "ts": 0, "dur": 1, "pid": 1, "tid": 1},
        {"name": "SYNC", "cat": "sync", "ph": "i", "s": "t", "ts": 1, "pid": 1, "tid": 1},
        {"name": "read", "cat": "mmio", "ph": "X", "ts": 0.5, "dur": 0.012, "pid": 1, "tid": 2,
         "args": {"address": "0x10", "size": 4, "value": "0x1"}},
        {"name": "irq raise", "cat": "irq", "ph": "i", "s": "t", "ts": 0.7, "pid": 1, "tid": 2},
        {"name": "busy", "cat": "busy", "ph": "b", "id": 1, "ts": 0.6, "pid": 1, "tid": 2},
        {"name": "busy", "cat": "busy", "ph": "e", "id": 1, "ts": 0.7, "pid": 1, "tid": 2},
        {"name": "step", "ph": "B", "ts": 0.2, "pid": 1, "tid": 2},
        {"name": "step", "ph": "E", "ts": 0.1, "pid": 1, "tid": 2},  # earlier ts: allowed by the format
    ],
}
REQUIRED_IN_GOOD = ["mmio", "interrupt", "busy", "sync", "sync_frame"]


def mutated(change):
    doc = copy.deepcopy(GOOD)
    change(doc)
    return doc


def event(doc, name, ph=None):
    return next(e for e in doc["traceEvents"] if e["name"] == name and (ph is None or e["ph"] == ph))


BAD_FORMAT = {
    "no traceEvents": lambda d: d.update(events=d.pop("traceEvents")),
    "traceEvents is not an array": lambda d: d.update(traceEvents={}),
    "event without ts": lambda d: event(d, "read").pop("ts"),
    "event without pid": lambda d: event(d, "read").pop("pid"),
    "event without name": lambda d: event(d, "irq raise").pop("name"),
    "ts is a string": lambda d: event(d, "read").update(ts="1.5"),
    "undocumented ph": lambda d: event(d, "read").update(ph="Z"),
    "X without dur": lambda d: event(d, "read").pop("dur"),
    "X with negative dur": lambda d: event(d, "read").update(dur=-0.001),
    "B never ended": lambda d: d["traceEvents"].remove(event(d, "step", "E")),
    "E without B": lambda d: d["traceEvents"].remove(event(d, "step", "B")),
    "b never ended": lambda d: d["traceEvents"].remove(event(d, "busy", "e")),
    "e with another id": lambda d: event(d, "busy", "e").update(id=2),
    "track without thread_name": lambda d: event(d, "read").update(tid=7),
    "bad instant scope": lambda d: event(d, "irq raise").update(s="x"),
    "bad displayTimeUnit": lambda d: d.update(displayTimeUnit="s"),
}


def self_test():
    failures = []
    if format_problems(GOOD) or kind_problems(GOOD, REQUIRED_IN_GOOD):
        failures.append("the good sample is refused: %s" % (format_problems(GOOD) + kind_problems(GOOD,
                                                                                                REQUIRED_IN_GOOD)))
    if not format_problems(copy.deepcopy(GOOD["traceEvents"])):
        failures.append("not caught: a top-level array")
    for what, change in BAD_FORMAT.items():
        if not format_problems(mutated(change)):
            failures.append("not caught: " + what)
    for kind, name in (("mmio", "read"), ("interrupt", "irq raise"), ("sync", "horizon"), ("sync_frame", "SYNC")):
        if not kind_problems(mutated(lambda d: d["traceEvents"].remove(event(d, name))), [kind]):
            failures.append("a trace without its %s event passes the kinds check" % kind)
    if not kind_problems(mutated(lambda d: [e for e in d["traceEvents"] if e["name"] == "busy" and
                                            d["traceEvents"].remove(e)]), ["busy"]):
        failures.append("a trace without busy events passes the kinds check")
    if not kind_problems(GOOD, ["virtio"]) or not kind_problems(GOOD, ["dma"]):
        failures.append("the virtio / dma kind checks pass a trace without such events")
    for text in ('{"traceEvents": [', '{"traceEvents": [{"name": "x", "ph": "i", "ts": NaN, "pid": 1, "tid": 1}]}'):
        try:
            parse(text)
            failures.append("not refused as JSON: " + text)
        except ValueError:
            pass
    return failures


# --- whole runs -------------------------------------------------------------------------------------

def run(build, argv, work):
    """qemu-sst argv...; returns (exit status, stdout, stderr)."""
    env = dict(os.environ, QEMU_SST_BUILD=build, TMPDIR=work)
    done = subprocess.run([os.path.join(build, "bin", "qemu-sst")] + argv, cwd=work, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=600)
    return done.returncode, done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace")


def traced_run(build, argv, work, trace, kinds, failures):
    """Runs a config with --trace; checks the run, the format and the kinds; returns the file's bytes."""
    status, out, err = run(build, argv + ["--trace", trace], work)
    if status != 0:
        failures.append("%s exited with %d:\n%s%s" % (" ".join(argv), status, out[-1500:], err[-1500:]))
        return b""
    if os.path.exists(trace + ".tmp"):
        failures.append("%s.tmp left behind" % trace)
    try:
        data = open(trace, "rb").read()
        doc = parse(data.decode())
    except (OSError, ValueError) as e:
        failures.append("%s: %s" % (trace, e))
        return b""
    for p in format_problems(doc) + kind_problems(doc, kinds):
        failures.append("%s: %s" % (os.path.basename(trace), p))
    return data


def standin_test(build, work):
    failures = []
    script = os.path.join(work, "virtio.script")
    with open(script, "w") as f:
        f.write("vreq sst0 GET_INFO expect-caps 7\n"
                "vreq sst0 COMPUTE units=4 model=pipelined flags=1 expect-cycles 12\n"
                "expect-event sst0 COMPLETION expect-data 12\nexit 0\n")
    argv = [os.path.join(REPO, "configs", "linux_basic.py"), "--standin", "--script", script, "--verbose", "0"]
    traced_run(build, argv, work, os.path.join(work, "virtio.json"), ["virtio", "busy", "sync"], failures)
    return failures


def qemu_test(build, qemu, plot_trace, work):
    failures = []
    config = os.path.join(REPO, "configs", "test_2device_integration.py")
    demo = [config, "--qemu", qemu, "--verbose", "0"]
    guest = os.path.join(build, "guest", "rv64")
    first = traced_run(build, demo, work, os.path.join(work, "demo1.json"), ["mmio", "busy", "sync", "sync_frame"],
                       failures)
    second = traced_run(build, demo, work, os.path.join(work, "demo2.json"), [], failures)
    if first and first != second:
        failures.append("two deterministic runs of the demo wrote different traces (demo1.json, demo2.json)")
    # The demo's program polls; its irq_test takes interrupts, on the same config.
    traced_run(build, demo + ["--program", os.path.join(guest, "irq_test.elf")], work, os.path.join(work, "irq.json"),
               ["mmio", "interrupt", "busy", "sync"], failures)
    traced_run(build, [os.path.join(REPO, "configs", "dma_accel.py"), "--qemu", qemu, "--verbose", "0", "--program",
                       os.path.join(guest, "dma_test.elf")], work, os.path.join(work, "dma.json"),
               ["mmio", "interrupt", "busy", "dma", "sync"], failures)
    # Off means off: no file.
    status, _, _ = run(build, demo, work)
    if status != 0 or any(n.endswith((".json.tmp",)) for n in os.listdir(work)):
        failures.append("the untraced demo failed or left a trace file behind")

    svg = os.path.join(work, "demo.svg")
    done = subprocess.run([plot_trace, os.path.join(work, "demo1.json"), "-o", svg], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=300)
    if done.returncode != 0:
        failures.append("plot-trace failed: " + done.stdout.decode())
    elif not os.path.exists(svg) or os.path.getsize(svg) == 0 or b"<svg" not in open(svg, "rb").read():
        failures.append("plot-trace wrote no SVG picture at " + svg)
    bad = os.path.join(work, "bad.json")
    with open(bad, "w") as f:
        f.write('{"traceEvents": [{"name": "x"')
    for path, says in ((bad, "not a JSON file"), (os.path.join(work, "missing.json"), "no such file")):
        done = subprocess.run([plot_trace, path, "-o", os.path.join(work, "bad.svg")], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=120)
        text = done.stdout.decode()
        if done.returncode == 0 or says not in text or "Traceback" in text:
            failures.append("plot-trace on %s: status %d, said %r (wanted a clear error)" % (path, done.returncode,
                                                                                             text))
    return failures


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "self-test":
        failures = self_test()
    elif mode in ("standin", "qemu"):
        work = tempfile.mkdtemp(prefix="qemu-sst-trace-")
        try:
            if mode == "standin":
                failures = standin_test(os.path.abspath(sys.argv[2]), work)
            else:
                failures = qemu_test(os.path.abspath(sys.argv[2]), sys.argv[3], sys.argv[4], work)
        finally:
            if failures_kept(work):
                print("kept " + work)
            else:
                shutil.rmtree(work, ignore_errors=True)
    else:
        sys.exit(__doc__)
    for f in failures:
        print("FAIL: " + f)
    print("%s: %s" % (mode, "FAILED" if failures else "passed"))
    sys.exit(1 if failures else 0)


def failures_kept(work):
    return os.environ.get("QEMU_SST_KEEP_TEST_DIRS") == "1"


if __name__ == "__main__":
    main()
