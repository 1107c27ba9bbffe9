#!/usr/bin/env python3
"""Measurement helper for bench/run.sh (Python 3 standard library only).

    measure.py run    --label L --size N --runs R --out DIR [--clean PATH]... \
                      --log PREFIX --result FILE -- COMMAND...
    measure.py diags  STDERR_FILE        summarise gloss diagnostics (errors, warnings)
    measure.py report RESULT_FILE        print the figures table, gloss/hugo ratios, targets

`run` runs COMMAND R times. Before every run it removes DIR and each --clean path, so every run
is a full clean build. With --trash T they are moved into T instead of deleted (run.sh deletes T
at the end): ext4 will not reuse an inode for a minute or more after it is freed and scans past
every such inode when creating a file, so deleting a 10,000-file output just before the next run
makes that run's file creation several times slower, and each repetition slower than the last. Per run it records:

  wall   high-resolution wall clock around the process (time.perf_counter);
  cpu    user + system CPU time of the process and its children (os.wait4's rusage);
  rss    peak resident set size. With GNU time (/usr/bin/time -v) present, its "Maximum resident
         set size" of the measured command itself; otherwise wait4's ru_maxrss, which on Linux
         includes the ~10-15 MB high-water mark of this Python process inherited at fork/exec,
         so small figures are overstated (the table marks them with "~").

  bg     the other CPU load on the machine during the run, in cores: all busy CPU time in
         /proc/stat minus the process's own, divided by the wall time. On a shared machine,
         anything above ~0.2 means the run competed for the CPU and its times are inflated.

After the last run it counts the HTML pages and the bytes of every file under DIR, and appends
one tab-separated line (the medians) to the result file:

  label size runs wall_s cpu_s rss_kib pages bytes exit rss_source bg_cores min_wall_s

exit is 0 when every run exited 0, else the first non-zero status. The stdout and stderr of the
last run are kept in PREFIX.stdout and PREFIX.stderr.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter

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
    pages = files = nbytes = 0
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            files += 1
            nbytes += os.path.getsize(p)
            if n.endswith(".html"):
                pages += 1
    return pages, files, nbytes


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
    sys_cpu = ru.ru_stime
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
    return wall, cpu, sys_cpu, rss, code, bg


def cmd_run(argv):
    ap = argparse.ArgumentParser(prog="measure.py run")
    ap.add_argument("--label", required=True)
    ap.add_argument("--size", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", required=True, help="the output folder (deleted before each run)")
    ap.add_argument("--clean", action="append", default=[], help="more paths to delete before each run")
    ap.add_argument("--log", required=True, help="prefix of the kept stdout/stderr files")
    ap.add_argument("--result", required=True)
    ap.add_argument("--trash", help="move old outputs here instead of deleting them")
    ap.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                    help="before each run, wait up to SECONDS for the machine to be idle")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args(argv)
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        ap.error("no command")
    use_time = have_gnu_time()
    walls, cpus, rsss, codes, bgs = [], [], [], [], []
    for i in range(a.runs):
        for p in [a.out] + a.clean:
            remove(p, a.trash)
        if a.wait_quiet > 0:
            wait_for_quiet(a.wait_quiet)
        wall, cpu, sys_cpu, rss, code, bg = one_run(cmd, a.log, use_time)
        walls.append(wall)
        cpus.append(cpu)
        rsss.append(rss)
        codes.append(code)
        bgs.append(bg)
        print("    run %d/%d  %-7s %6s  wall %8.3f s  cpu %8.3f s (sys %6.3f)  peak rss %8.1f MiB  exit %d"
              "  (other load %.2f cores)"
              % (i + 1, a.runs, a.label, a.size, wall, cpu, sys_cpu, rss / 1024, code, bg), flush=True)
    pages, files, nbytes = tree_size(a.out)
    bad = [c for c in codes if c != 0]
    row = [a.label, a.size, str(a.runs), "%.4f" % statistics.median(walls),
           "%.4f" % statistics.median(cpus), "%d" % statistics.median(rsss),
           str(pages), str(nbytes), str(bad[0] if bad else 0),
           "gnu-time" if use_time else "wait4", "%.2f" % statistics.median(bgs), "%.4f" % min(walls)]
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


def cmd_report(argv):
    rows = []
    for line in open(argv[0], encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) < 10:
            continue
        rows.append(dict(label=f[0], size=f[1], runs=int(f[2]), wall=float(f[3]), cpu=float(f[4]),
                         rss=int(f[5]), pages=int(f[6]), bytes=int(f[7]), exit=int(f[8]), src=f[9],
                         bg=float(f[10]) if len(f) > 10 else float("nan"),
                         wmin=float(f[11]) if len(f) > 11 else float("nan")))
    if not rows:
        print("no results")
        return 0
    hdr = ("tool", "sources", "runs", "wall s", "(min)", "cpu s", "peak RSS", "pages", "bytes", "pages/s",
           "exit", "other load")
    print("%-7s %8s %4s %9s %9s %9s %11s %7s %10s %9s %4s %10s" % hdr)
    for r in rows:
        pps = r["pages"] / r["wall"] if r["wall"] > 0 else 0
        rss = ("~" if r["src"] == "wait4" else "") + "%.1f MiB" % (r["rss"] / 1024)
        print("%-7s %8s %4d %9.3f %9s %9.3f %11s %7d %10s %9.0f %4d %10.2f"
              % (r["label"], r["size"], r["runs"], r["wall"], "(%.3f)" % r["wmin"], r["cpu"], rss, r["pages"],
                 fmt_bytes(r["bytes"]), pps, r["exit"], r["bg"]))
    print("(medians of the runs, and the fastest wall time; wall and cpu in seconds; pages = .html "
          "files written;\n bytes = every file written; other load = CPU used by other processes "
          "during the runs, in cores)")
    noisy = [r for r in rows if r["bg"] > 0.2]
    if noisy:
        print("WARNING: other processes used the CPU during %s: those times are inflated; "
              "rerun on a quiet machine." % ", ".join("%s %s" % (r["label"], r["size"]) for r in noisy))

    by = {(r["label"], r["size"]): r for r in rows}
    sizes = [r["size"] for r in rows if r["label"] == "gloss"]
    ratios = [(s, by[("gloss", s)], by[("hugo", s)]) for s in sizes if ("hugo", s) in by]
    checks = []
    if ratios:
        print()
        print("gloss / hugo   %8s %10s %10s" % ("sources", "wall", "peak RSS"))
        for s, g, h in ratios:
            wr = g["wall"] / h["wall"] if h["wall"] else float("nan")
            mr = g["rss"] / h["rss"] if h["rss"] else float("nan")
            print("               %8s %9.2fx %9.2fx" % (s, wr, mr))
            if s == "10000":
                checks.append(("10k wall <= 1/4 of hugo's", wr <= 0.25, "%.2fx" % wr))
                checks.append(("10k peak RSS <= 1/3 of hugo's", mr <= 1 / 3, "%.2fx" % mr))
    if ("gloss", "10000") in by and ("gloss", "50000") in by:
        gr = by[("gloss", "50000")]["wall"] / by[("gloss", "10000")]["wall"]
        checks.append(("50k wall <= 5.5x the 10k wall", gr <= 5.5, "%.2fx" % gr))
    if ("review", "bundled") in by:
        w = by[("review", "bundled")]["wall"]
        checks.append(("bundled review < 100 ms", w < 0.1, "%.0f ms" % (w * 1000)))
    for r in rows:
        if r["label"] in ("gloss", "review"):
            checks.append(("%s %s builds (exit 0)" % (r["label"], r["size"]), r["exit"] == 0,
                           "exit %d" % r["exit"]))
    if checks:
        print()
        print("issue 7 targets:")
        for name, ok, value in checks:
            print("  [%s] %-34s %s" % ("PASS" if ok else "FAIL", name, value))
    return 0


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "diags", "report"):
        print(__doc__, file=sys.stderr)
        return 2
    return {"run": cmd_run, "diags": cmd_diags, "report": cmd_report}[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
