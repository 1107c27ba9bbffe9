#!/usr/bin/env python3
"""Measurement helper for bench/run.sh (Python 3 standard library only).

    measure.py run    --label L --size N --run K --out DIR [--clean PATH]... [--trash T] \
                      [--keep] [--wait-quiet S] --log PREFIX --result FILE -- COMMAND...
    measure.py diags  STDERR_FILE        summarise gloss diagnostics (errors, warnings)
    measure.py report RESULT_FILE        print the figures table, gloss/hugo ratios, targets

`run` runs COMMAND once, as a full clean build: first it removes DIR and each --clean path
(with --keep it removes nothing: a rebuild over the previous output). With
--trash T they are moved into T instead (run.sh deletes T at the end). The reason: on ext4, a
freed inode is not reused for a minute or more, and every file creation scans past such inodes.
Deleting a 10,000-file output just before a run therefore makes that run's file creation several
times slower, and each repetition slower than the last. The run records:

  wall    wall-clock time around the process, from a high-resolution clock
          (time.perf_counter);
  cpu     user + system CPU time of the process and its children (the rusage from os.wait4);
  sys     the system part of cpu;
  rss     peak resident set size (RSS). If GNU time (/usr/bin/time -v) is installed, this is its
          "Maximum resident set size" of the measured command itself. Otherwise it is wait4's
          ru_maxrss. On Linux that figure includes the ~10-15 MB high-water mark the child
          inherits from this Python process at fork/exec, so small figures are overstated; the
          report marks them with "~";
  bg      the CPU load of other processes during the run, in cores: all busy CPU time in
          /proc/stat, minus the process's own, divided by the wall time. Above ~0.2, the run
          competed for the CPU and its times are inflated;
  calib   the time of a fixed CPU-bound Python loop, run just before and just after the
          measurement (the slower of the two). It shows how fast the machine's CPU was then. On a virtual machine, contention from
          other guests does not show in /proc/stat, only as a slower calibration loop;
  pages   the number of .html files under DIR after the run;
  bytes   the total size of every file under DIR after the run;
  written the files the build wrote, from gloss's summary line "(N files written, M as they
          were)" (-1 when the tool prints no such line: Hugo);
  stages  gloss's --timings lines (read, resolve, ..., search, finish), kept for the report.

Each run appends one tab-separated line to the result file:

  label size run wall_s cpu_s sys_s rss_kib pages bytes exit rss_source bg_cores calib_s written
  stages (stages: name=ms,name=ms,...)

`report` groups the lines by label and size. It prints the median of each figure and the fastest
wall time, compares gloss with Hugo, and checks the targets of issue 17. In a group, exit is 0 when
every run exited 0; otherwise it is the first non-zero status. The stdout and stderr of the last
run are kept in PREFIX.stdout and PREFIX.stderr.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, OrderedDict

GNU_TIME = "/usr/bin/time"


def have_gnu_time():
    if not os.access(GNU_TIME, os.X_OK):
        return False
    try:
        r = subprocess.run([GNU_TIME, "-v", "true"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return r.returncode == 0 and "Maximum resident set size" in r.stderr


def remove(path, trash=None):
    """Deletes path, or moves it into the folder `trash` (same file system) when given."""
    if trash and os.path.lexists(path):
        os.makedirs(trash, exist_ok=True)
        target = os.path.join(trash, "%d-%d-%s" % (os.getpid(), time.monotonic_ns(), os.path.basename(path)))
        try:
            os.rename(path, target)
            return
        except OSError:
            pass
    rmtree(path)


def rmtree(path):
    if os.path.islink(path) or os.path.isfile(path):
        os.unlink(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)


def tree_size(root):
    pages = nbytes = 0
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            nbytes += os.path.getsize(p)
            if n.endswith(".html"):
                pages += 1
    return pages, nbytes


def busy_seconds():
    """Busy CPU time of the whole machine so far (all cores), from /proc/stat; None if unknown."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = f.readline().split()
        v = [int(x) for x in fields[1:]]
        hz = os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None
    # user nice system idle iowait irq softirq steal [guest guest_nice: already in user/nice]
    return (v[0] + v[1] + v[2] + v[5] + v[6] + (v[7] if len(v) > 7 else 0)) / hz


def calibrate():
    """Seconds for a fixed CPU-bound loop (the best of 3 tries of ~50 ms each)."""
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        x = 0
        for i in range(400_000):
            x = (x * 31 + i) & 0xFFFFFFFF
        best = min(best, time.perf_counter() - t0)
    return best


def wait_for_quiet(max_wait, threshold=0.25, window=3.0):
    """Waits (up to max_wait seconds) until the machine's CPU load stays under `threshold` cores
    for `window` seconds. Returns the load seen last."""
    deadline = time.monotonic() + max_wait
    while True:
        b0 = busy_seconds()
        time.sleep(window)
        b1 = busy_seconds()
        load = (b1 - b0) / window if b0 is not None and b1 is not None else 0.0
        if load < threshold or time.monotonic() >= deadline:
            return load
        print("    waiting for a quiet machine (load %.2f cores) ..." % load, flush=True)


def one_run(cmd, log, use_time):
    tfile = log + ".time"
    full = ([GNU_TIME, "-v", "-o", tfile] if use_time else []) + cmd
    with open(log + ".stdout", "wb") as out, open(log + ".stderr", "wb") as err:
        b0 = busy_seconds()
        t0 = time.perf_counter()
        p = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        b1 = busy_seconds()
        p.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    code = p.returncode
    cpu = ru.ru_utime + ru.ru_stime
    rss = ru.ru_maxrss
    bg = max(0.0, (b1 - b0 - cpu) / wall) if b0 is not None and b1 is not None and wall > 0 else float("nan")
    if use_time:
        text = open(tfile, encoding="utf-8", errors="replace").read()
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        if m:
            rss = int(m.group(1))
        m = re.search(r"Exit status: (-?\d+)", text)
        if m:
            code = int(m.group(1))
        if "Command terminated by signal" in text:
            code = code or 128
        os.unlink(tfile)
    return dict(wall=wall, cpu=cpu, sys=ru.ru_stime, rss=rss, exit=code, bg=bg)


WRITTEN = re.compile(r"\((\d+) files written, \d+ as they were\)")
STAGE = re.compile(r"^\s+(read|resolve|plan|render|extras|write|search|finish)\s+([\d.]+) ms\s*$", re.M)


def cmd_run(argv):
    ap = argparse.ArgumentParser(prog="measure.py run")
    ap.add_argument("--label", required=True)
    ap.add_argument("--size", required=True)
    ap.add_argument("--run", default="1", help="the run's number, for the report")
    ap.add_argument("--out", required=True, help="the output folder (removed before the run)")
    ap.add_argument("--clean", action="append", default=[], help="more paths to remove before the run")
    ap.add_argument("--trash", help="move old outputs here instead of deleting them")
    ap.add_argument("--keep", action="store_true", help="remove nothing: a rebuild over the output")
    ap.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                    help="before the run, wait up to SECONDS for the machine to be idle")
    ap.add_argument("--log", required=True, help="prefix of the kept stdout/stderr files")
    ap.add_argument("--result", required=True)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args(argv)
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        ap.error("no command")
    use_time = have_gnu_time()
    for p in [] if a.keep else [a.out] + a.clean:
        remove(p, a.trash)
    if a.wait_quiet > 0:
        wait_for_quiet(a.wait_quiet)
    before = calibrate()
    r = one_run(cmd, a.log, use_time)
    calib = max(before, calibrate())
    pages, nbytes = tree_size(a.out)
    said = open(a.log + ".stdout", encoding="utf-8", errors="replace").read() + \
        open(a.log + ".stderr", encoding="utf-8", errors="replace").read()
    m = WRITTEN.search(said)
    written = int(m.group(1)) if m else -1
    stages = ",".join("%s=%s" % st for st in STAGE.findall(said))
    print("    run %-3s %-7s %6s  wall %8.3f s  cpu %8.3f s (sys %6.3f)  peak rss %8.1f MiB  exit %d"
          "  (other load %.2f cores, calib %.0f ms)"
          % (a.run, a.label, a.size, r["wall"], r["cpu"], r["sys"], r["rss"] / 1024, r["exit"], r["bg"],
             calib * 1000), flush=True)
    row = [a.label, a.size, a.run, "%.4f" % r["wall"], "%.4f" % r["cpu"], "%.4f" % r["sys"],
           "%d" % r["rss"], str(pages), str(nbytes), str(r["exit"]),
           "gnu-time" if use_time else "wait4", "%.2f" % r["bg"], "%.4f" % calib, str(written),
           stages or "-"]
    with open(a.result, "a", encoding="utf-8") as f:
        f.write("\t".join(row) + "\n")
    return 0


DIAG = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning): (?P<msg>.*)$")
ANY_LEVEL = re.compile(r"^(?P<path>[^\s:][^:]*): (?P<level>error|warning): (?P<msg>.*)$")


def normalise(msg):
    """Fold the variable parts of a message so that like diagnostics group together."""
    msg = re.sub(r"`[^`]*`", "`…`", msg)
    msg = re.sub(r"\([^()]*\d{4}[a-z]?\)", "(…)", msg)
    return msg


def cmd_diags(argv):
    path = argv[0]
    limit = int(argv[1]) if len(argv) > 1 else 12
    try:
        lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
    except FileNotFoundError:
        print("    (no stderr kept)")
        return 0
    groups = {"error": Counter(), "warning": Counter()}
    example = {}
    other = []
    for line in lines:
        m = DIAG.match(line) or ANY_LEVEL.match(line)
        if m:
            key = normalise(m.group("msg"))
            groups[m.group("level")][key] += 1
            example.setdefault((m.group("level"), key), line)
        elif line.strip():
            other.append(line)
    ne, nw = sum(groups["error"].values()), sum(groups["warning"].values())
    print("    diagnostics: %d errors, %d warnings" % (ne, nw))
    for level in ("error", "warning"):
        for key, n in groups[level].most_common(limit):
            print("      %6d x %s: %s" % (n, level, key))
            print("               e.g. %s" % example[(level, key)])
        rest = len(groups[level]) - limit
        if rest > 0:
            print("      ... and %d more kinds of %s" % (rest, level))
    for line in other[:5]:
        print("      | %s" % line)
    return 0


def fmt_bytes(n):
    return "%.1f MB" % (n / 1e6)


def load_groups(path):
    groups = OrderedDict()
    for line in open(path, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) < 13:
            continue
        r = dict(label=f[0], size=f[1], run=f[2], wall=float(f[3]), cpu=float(f[4]), sys=float(f[5]),
                 rss=int(f[6]), pages=int(f[7]), bytes=int(f[8]), exit=int(f[9]), src=f[10],
                 bg=float(f[11]), calib=float(f[12]),
                 written=int(f[13]) if len(f) > 13 else -1,
                 stages=[kv.split("=") for kv in f[14].split(",")] if len(f) > 14 and f[14] != "-" else [])
        groups.setdefault((r["label"], r["size"]), []).append(r)
    rows = []
    for (label, size), runs in groups.items():
        med = lambda k: statistics.median(x[k] for x in runs)
        bad = [x["exit"] for x in runs if x["exit"] != 0]
        rows.append(dict(label=label, size=size, runs=len(runs), wall=med("wall"),
                         wmin=min(x["wall"] for x in runs), cpu=med("cpu"), sys=med("sys"),
                         rss=med("rss"), pages=runs[-1]["pages"], bytes=runs[-1]["bytes"],
                         exit=bad[0] if bad else 0, src=runs[-1]["src"], bg=med("bg"),
                         calib=med("calib"), written=med("written"),
                         stages=OrderedDict((k, statistics.median(float(dict(x["stages"]).get(k, 0))
                                                                  for x in runs))
                                            for k, _ in runs[-1]["stages"])))
    return rows


def cmd_report(argv):
    rows = load_groups(argv[0])
    if not rows:
        print("no results")
        return 0
    fastest = min(r["calib"] for r in rows)
    hdr = ("run", "sources", "runs", "wall s", "(min)", "cpu s", "peak RSS", "pages", "bytes", "written",
           "pages/s", "exit", "other load", "cpu speed")
    print("%-9s %8s %4s %9s %9s %9s %11s %7s %10s %8s %9s %4s %10s %9s" % hdr)
    for r in rows:
        pps = r["pages"] / r["wall"] if r["wall"] > 0 else 0
        rss = ("~" if r["src"] == "wait4" else "") + "%.1f MiB" % (r["rss"] / 1024)
        written = "-" if r["written"] < 0 else "%d" % r["written"]
        print("%-9s %8s %4d %9.3f %9s %9.3f %11s %7d %10s %8s %9.0f %4d %10.2f %8.0f%%"
              % (r["label"], r["size"], r["runs"], r["wall"], "(%.3f)" % r["wmin"], r["cpu"], rss,
                 r["pages"], fmt_bytes(r["bytes"]), written, pps, r["exit"], r["bg"],
                 100 * fastest / r["calib"]))
    print("(medians of the runs, and the fastest wall time; wall and cpu in seconds; pages = .html "
          "files in the output;\n bytes = every file in it; written = files the build wrote; "
          "gloss = a clean build of the\n synthetic corpus, real = of the realistic one, nochange = "
          "a rebuild over the output with\n nothing changed, edit = a rebuild after one source note "
          "was edited; other load = CPU used by other processes "
          "during the runs, in cores;\n cpu speed = the speed of a fixed Python loop around the runs, "
          "relative to its best in this report)")
    noisy = [r for r in rows if r["bg"] > 0.2 or r["calib"] > 1.15 * fastest]
    if noisy:
        print("WARNING: the machine was busy or slow during %s: those times are inflated; "
              "rerun on a quiet machine." % ", ".join("%s %s" % (r["label"], r["size"]) for r in noisy))

    staged = [r for r in rows if r["stages"]]
    if staged:
        names = list(OrderedDict((k, 0) for r in staged for k in r["stages"]))
        print()
        print("gloss --timings, medians in ms")
        print("%-9s %8s " % ("run", "sources") + " ".join("%8s" % k for k in names))
        for r in staged:
            print("%-9s %8s " % (r["label"], r["size"])
                  + " ".join("%8.0f" % r["stages"].get(k, 0) for k in names))

    by = {(r["label"], r["size"]): r for r in rows}
    sizes = [r["size"] for r in rows if r["label"] == "gloss"]
    ratios = [(s, by[("gloss", s)], by[("hugo", s)]) for s in sizes if ("hugo", s) in by]
    checks = []
    if ratios:
        print()
        print("gloss / hugo   %8s %10s %10s %10s" % ("sources", "wall", "cpu", "peak RSS"))
        for s, g, h in ratios:
            wr = g["wall"] / h["wall"] if h["wall"] else float("nan")
            cr = g["cpu"] / h["cpu"] if h["cpu"] else float("nan")
            mr = g["rss"] / h["rss"] if h["rss"] else float("nan")
            print("               %8s %9.2fx %9.2fx %9.2fx" % (s, wr, cr, mr))
            if s == "10000":
                checks.append(("10k wall <= 0.2x hugo's", wr <= 0.2, "%.2fx" % wr))
                checks.append(("10k peak RSS <= 0.2x hugo's", mr <= 0.2, "%.2fx" % mr))
    if ("gloss", "10000") in by and ("gloss", "50000") in by:
        gr = by[("gloss", "50000")]["wall"] / by[("gloss", "10000")]["wall"]
        checks.append(("50k wall <= 5.5x the 10k wall", gr <= 5.5, "%.2fx" % gr))
    for s in sizes:
        g = by[("gloss", s)]
        if ("real", s) in by:
            rr = by[("real", s)]["wall"] / g["wall"]
            checks.append(("%s realistic <= 1.3x synthetic" % s, rr <= 1.3, "%.2fx" % rr))
        if ("edit", s) in by:
            er = by[("edit", s)]["wall"] / g["wall"]
            checks.append(("%s one-note rebuild <= 0.5x clean" % s, er <= 0.5, "%.2fx" % er))
        if ("nochange", s) in by:
            n = by[("nochange", s)]
            checks.append(("%s no-change rebuild writes no page" % s, n["written"] == 0,
                           "%d files written" % n["written"]))
    if ("review", "bundled") in by:
        w = by[("review", "bundled")]["wall"]
        checks.append(("bundled review < 100 ms", w < 0.1, "%.0f ms" % (w * 1000)))
    for r in rows:
        if r["label"] != "hugo":
            checks.append(("%s %s builds (exit 0)" % (r["label"], r["size"]), r["exit"] == 0,
                           "exit %d" % r["exit"]))
    if checks:
        print()
        print("issue 17 targets:")
        for name, ok, value in checks:
            print("  [%s] %-40s %s" % ("PASS" if ok else "FAIL", name, value))
    return 0


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "diags", "report"):
        print(__doc__, file=sys.stderr)
        return 2
    return {"run": cmd_run, "diags": cmd_diags, "report": cmd_report}[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
