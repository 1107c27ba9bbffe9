#!/usr/bin/env python3
"""How long `gloss build` takes on notes huge in one way (issue 17), Python 3 standard library only.

The goal: the cost of a build is linear in the size of a note, whatever the note holds. Each of
these builds in under 5 s (the "full" sizes):

  citations   one paragraph of 200,000 citations [@s0] [@s1] ... across the site's 1,000 sources
  cluster     one citation cluster of 20,000 works [@s0; @s1; ...] (the 1,000 sources, each 20 times)
  wikilinks   one paragraph of 100,000 wikilinks [[n0]] [[n1|text]] ... to 1,000 notes
  big-note    a 50 MB note of prose paragraphs (a citation and a wikilink in each, a heading
              every 50 paragraphs)
  headings    10,000 headings of one text (`## Same heading`: ids same-heading, same-heading-1, ...)
  table       a table of 10,000 rows (a citation and a wikilink in each row)

Every site holds 1,000 source notes besides the huge note (content/huge.md), so the citations
resolve and the sources' pages list the note as a backlink. Their authors and years come in
pairs (source k and k+500 share both), so every in-text citation needs a disambiguating letter
(Author3, 2003a). The wikilinks case adds 1,000 plain notes (content/notes/n<k>.md). Sites are
made as tests/testsuite/huge_inputs.rs makes them, at the sizes that test cannot afford.

Run it (from the repository's root):

    bench/huge_inputs.py                          # full sizes, builds target/release/gloss first
    bench/huge_inputs.py --sizes small            # 1/10 of each size, a quick try
    nice -n 10 bench/huge_inputs.py --growth      # also 1/4 of each size: the growth ratio
    bench/huge_inputs.py --no-build --gloss path/to/gloss --runs 3 --dir /tmp/h --case table

Options: --gloss PATH (default target/release/gloss, built with `cargo build --release` unless
--no-build), --dir DIR (work folder, default $TMPDIR/gloss-huge; sites and outputs go there and
are removed at the end, the builds' stdout, stderr and GNU time figures stay in DIR/logs), --runs N (median of N clean builds, default 1), --sizes
full|small, --growth, --case NAME (repeatable: only these cases).

Figures, per case and size (the median over --runs builds, each a fresh process into a fresh
output folder):

  wall     wall-clock seconds around the process
  cpu      user + system CPU seconds (resource.getrusage(RUSAGE_CHILDREN) before and after)
  sys      the system part of cpu. On a shared virtual machine it varies most from run to run
           (page faults on memory the host has taken back, creating thousands of files)
  rss      peak resident set size, MiB: GNU time's figure when /usr/bin/time -v works, else
           the child's ru_maxrss from wait4 (which includes the ~10 MB this Python process had
           at fork; marked "~")
  out      bytes under the output folder; page: bytes of the huge note's page
  load     the 1-minute load average before the runs (the highest before any of them)
  bg       other processes' CPU load during the run, in cores (/proc/stat busy time minus the
           build's own CPU time, over the wall time; the most of any run). Above ~0.3 the build
           competed for the CPU and its times are inflated
  exit     gloss's exit status (its stderr is printed when it is not 0)
  check    one cheap fact of the output, read back from the huge note's page (the count of
           citation links, wikilinks, heading ids, table rows or paragraphs): a timing of a
           broken build is never reported as a pass
  goal     PASS when the build exited 0, the check held and wall < 5 s, at the goal's sizes
           (--sizes full, not the 1/4 runs); "-" at other sizes

With --growth each case is also built at 1/4 of its size, and the table after the figures gives
time(N) / time(N/4): about 4 for a linear cost, 16 for a quadratic one. The site around the note
(1,000 sources) costs the same at both sizes and pulls the raw ratio towards 1; so the same
site with a one-line note is built too ("base", the fastest of 3 builds), and the ratio of the
times above it is printed as well, when the N/4 build is 0.2 s or more above it (with --runs 1
on a busy machine, still a rough figure). So is the ratio of the read and render stages alone. The stages of each build (`gloss build --timings`: read, resolve, plan, render, ...)
are printed last, to show what the time goes on.
"""
import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no bench/__pycache__ from importing measure.py
import measure  # noqa: E402  (bench/measure.py: GNU time, busy CPU time, tree sizes)

GOAL_S = 5.0
SOURCES = 1000
NOTES = 1000
BASE_URL_PATH = "/review/"
# The base builds (--growth): the fastest of this many is the site's fixed cost.
BASE_RUNS = 3
# Growth ratios above the base are printed only when N/4 takes this many seconds above it.
MIN_ABOVE_BASE = 0.2


# ---------------------------------------------------------------------------------------------
# The sites
# ---------------------------------------------------------------------------------------------

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def author(k):
    # Sources k and k + 500 share author and year (500 is a multiple of 25): both need a letter.
    return "Author%d" % (k % (SOURCES // 2))


def year(k):
    return 2000 + k % 25


def write_site(root, body, notes):
    """A site at `root`: site.yaml, a home page, the 1,000 sources, the 1,000 notes if `notes`,
    and content/huge.md holding `body`."""
    if os.path.exists(root):
        shutil.rmtree(root)
    write(os.path.join(root, "site.yaml"),
          "title: Huge inputs\ndescription: Notes huge in one way\n"
          "base_url: https://x.github.io%s\n" % BASE_URL_PATH)
    write(os.path.join(root, "content/_index.md"), "---\ntitle: Home\n---\nThe home page.\n")
    for k in range(SOURCES):
        write(os.path.join(root, "content/sources/s%d.md" % k),
              '---\ntype: article\ntitle: "Source number %d"\nauthors:\n  - "%s, A."\n'
              'year: %d\ncontainer: "Journal of Tests"\nvolume: "3"\nissue: "1"\npages: "1-10"\n'
              "---\nAnnotation of source %d.\n" % (k, author(k), year(k), k))
    if notes:
        for k in range(NOTES):
            write(os.path.join(root, "content/notes/n%d.md" % k),
                  "---\ntitle: Note %d\n---\nThe text of note %d.\n" % (k, k))
    write(os.path.join(root, "content/huge.md"), "---\ntitle: The huge note\n---\n" + body)


# ---------------------------------------------------------------------------------------------
# The cases: each makes the huge note's body at size n and checks the built page
# ---------------------------------------------------------------------------------------------

def count(pattern, text):
    return sum(1 for _ in re.finditer(pattern, text))


SOURCE_LINK = r'href="%ssources/s\d+/"' % BASE_URL_PATH


def citation_links(page):
    """The links to sources inside citations: the text of every <span class="citation">."""
    spans = re.findall(r'<span class="citation"[^>]*>(.*?)</span>', page, re.S)
    return len(spans), sum(count(SOURCE_LINK, s) for s in spans)


def backlinked(out, k):
    """Whether source k's page lists the huge note."""
    path = os.path.join(out, "sources/s%d/index.html" % k)
    try:
        with open(path, encoding="utf-8") as f:
            return 'href="%shuge/"' % BASE_URL_PATH in f.read()
    except OSError:
        return False


def citations_body(n):
    return " ".join("[@s%d]" % (i % SOURCES) for i in range(n)) + "\n", n


def citations_check(page, out, n):
    spans, links = citation_links(page)
    ok = spans == n and links == n and backlinked(out, 0) and backlinked(out, SOURCES - 1)
    return ok, "%d citations, %d links to sources (want %d)" % (spans, links, n)


def cluster_body(n):
    return "[" + "; ".join("@s%d" % (i % SOURCES) for i in range(n)) + "]\n", n


def cluster_check(page, out, n):
    spans, links = citation_links(page)
    ok = spans == 1 and links == n and backlinked(out, 3)
    return ok, "%d citation, %d links to sources (want 1, %d)" % (spans, links, n)


def wikilinks_body(n):
    links = ("[[n%d]]" % (i % NOTES) if i % 2 == 0 else "[[n%d|text %d]]" % (i % NOTES, i)
             for i in range(n))
    return " ".join(links) + "\n", n


def wikilinks_check(page, out, n):
    links = count(r'href="%snotes/n\d+/"' % BASE_URL_PATH, page)
    unresolved = count(r'class="unresolved"', page)
    note = os.path.join(out, "notes/n0/index.html")
    back = os.path.isfile(note) and 'href="%shuge/"' % BASE_URL_PATH in open(note, encoding="utf-8").read()
    ok = links == n and unresolved == 0 and back
    return ok, "%d links to notes (want %d), %d unresolved" % (links, n, unresolved)


WORDS = ("trust aid sovereignty drones humanitarian access negotiation the of and in to a is "
         "that for on with as by this which local state actors field evidence review argues "
         "shows practice policy risk community response security data remote management "
         "accountability legitimacy conflict agencies donors between their over under").split()


def big_note_body(nbytes):
    """Paragraphs of ~600 bytes: five sentences of words, a citation with a locator and a
    wikilink to a source; a heading every 50 paragraphs. Stops at `nbytes` bytes."""
    import random
    rng = random.Random(17)
    sentences = []
    for _ in range(997):
        words = [rng.choice(WORDS) for _ in range(rng.randint(12, 22))]
        sentences.append(" ".join(words).capitalize() + ".")
    parts, size, p = [], 0, 0
    while size < nbytes:
        if p % 50 == 0:
            head = "## Section %d\n\n" % (p // 50)
            parts.append(head)
            size += len(head)
        k = p % SOURCES
        text = "Paragraph %d. %s %s [@s%d, p. %d]. %s, as [[s%d]] has it. %s %s\n\n" % (
            p, sentences[p % 997], sentences[(p * 7 + 1) % 997][:-1], k, p % 300 + 1,
            sentences[(p * 13 + 2) % 997][:-1], (k + 1) % SOURCES, sentences[(p * 31 + 3) % 997],
            sentences[(p * 61 + 4) % 997])
        parts.append(text)
        size += len(text.encode("utf-8"))
        p += 1
    return "".join(parts), p


def big_note_check(page, out, paragraphs):
    shown = count(r"<p>Paragraph \d+\.", page)
    last = "<p>Paragraph %d." % (paragraphs - 1) in page
    _, links = citation_links(page)
    ok = shown == paragraphs and last and links == paragraphs
    return ok, "%d paragraphs, %d citation links (want %d)" % (shown, links, paragraphs)


def headings_body(n):
    return "".join("## Same heading\n\nText of section %d.\n\n" % i for i in range(n)), n


def headings_check(page, out, n):
    ids = re.findall(r'<h2 id="(same-heading[^"]*)"', page)
    want = {"same-heading"} | {"same-heading-%d" % i for i in range(1, n)}
    ok = len(ids) == n and set(ids) == want
    return ok, "%d h2 ids, %d distinct (want %d: same-heading, same-heading-1, ...)" % (
        len(ids), len(set(ids)), n)


def table_body(n):
    rows = "".join("| row %d | [@s%d] | [[s%d]] |\n" % (i, i % SOURCES, (i + 1) % SOURCES)
                   for i in range(n))
    return "| name | cited | linked |\n|---|---|---|\n" + rows, n


def table_check(page, out, n):
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S)
    rows = count(r"<tr[\s>]", body.group(1)) if body else 0
    cells = count(r"<td[\s>]", body.group(1)) if body else 0
    ok = rows == n and cells == 3 * n and backlinked(out, 5)
    return ok, "%d rows, %d cells (want %d, %d)" % (rows, cells, n, 3 * n)


def base_body(n):
    return "A note of one line [@s0] [[s1]].\n", 0


# name: (full size, unit, body(n) -> (markdown, expected), check, wikilink notes in the site)
CASES = {
    "citations": (200_000, "citations", citations_body, citations_check, False),
    "cluster": (20_000, "works", cluster_body, cluster_check, False),
    "wikilinks": (100_000, "links", wikilinks_body, wikilinks_check, True),
    "big-note": (50_000_000, "bytes", big_note_body, big_note_check, False),
    "headings": (10_000, "headings", headings_body, headings_check, False),
    "table": (10_000, "rows", table_body, table_check, False),
}


# ---------------------------------------------------------------------------------------------
# Running a build
# ---------------------------------------------------------------------------------------------

def children_cpu():
    """User + system and system CPU seconds of every child reaped so far."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime, r.ru_stime


def one_build(gloss, root, out, log, use_time):
    """One `gloss build --timings` in a fresh process: a dict of its figures."""
    tfile = log + ".time"
    cmd = [gloss, "build", "--root", root, "--out", out, "--timings"]
    if use_time:
        cmd = [measure.GNU_TIME, "-v", "-o", tfile] + cmd
    load = os.getloadavg()[0]
    (cpu0, sys0), busy0 = children_cpu(), measure.busy_seconds()
    with open(log + ".stdout", "wb") as so, open(log + ".stderr", "wb") as se:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=so, stderr=se)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    (cpu1, sys1), busy1 = children_cpu(), measure.busy_seconds()
    cpu, sys_s = cpu1 - cpu0, sys1 - sys0
    bg = max(0.0, (busy1 - busy0 - cpu) / wall) if busy0 is not None and busy1 is not None else 0.0
    rss_kib, rss_exact = ru.ru_maxrss, False
    if use_time and os.path.exists(tfile):
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(tfile).read())
        if m:
            rss_kib, rss_exact = int(m.group(1)), True
    stdout = open(log + ".stdout", encoding="utf-8", errors="replace").read()
    stages = {m.group(1): float(m.group(2)) / 1e3
              for m in re.finditer(r"^  (\S+)\s+([\d.]+) ms$", stdout, re.M)}
    return {"wall": wall, "cpu": cpu, "sys": sys_s, "rss_kib": rss_kib, "rss_exact": rss_exact,
            "exit": proc.returncode, "load": load, "bg": bg, "stages": stages,
            "stderr": open(log + ".stderr", encoding="utf-8", errors="replace").read()}


def measure_case(args, name, n, check, trash, use_time, runs=None, pick=statistics.median):
    """Makes the site of case `name` at size n, builds it `runs` (--runs) times, checks the last
    output. Returns the row of figures, each the `pick` (median) of the runs'."""
    full, unit, body_of, check_fn, notes = CASES[name] if name in CASES else BASES[name]
    label = "%s-%d" % (name, n)
    root = os.path.join(args.dir, "sites", label)
    t0 = time.perf_counter()
    body, expected = body_of(n)
    write_site(root, body, notes)
    del body
    # Write the site out to disk now, not during the first build (a 50 MB note's dirty pages).
    os.sync()
    made = time.perf_counter() - t0
    runs = []
    for r in range(runs or args.runs):
        out = os.path.join(args.dir, "out", "%s-run%d" % (label, r))
        measure.remove(out, trash)
        log = os.path.join(args.dir, "logs", "%s-run%d" % (label, r))
        os.makedirs(os.path.dirname(log), exist_ok=True)
        fig = one_build(args.gloss, root, out, log, use_time)
        print("    %-10s %10s  run %d: %.2f s wall, %.2f s cpu, load %.2f before, bg %.2f"
              % (name, human(n), r + 1, fig["wall"], fig["cpu"], fig["load"], fig["bg"]),
              file=sys.stderr, flush=True)
        if fig["exit"] != 0:
            print("gloss build exited %d on %s; its stderr:\n%s"
                  % (fig["exit"], root, fig["stderr"][-5000:]), file=sys.stderr, flush=True)
        runs.append((out, fig))
    last_out = runs[-1][0]
    page_path = os.path.join(last_out, "huge/index.html")
    page_bytes = os.path.getsize(page_path) if os.path.isfile(page_path) else 0
    _, out_bytes = measure.tree_size(last_out)
    if check and all(f["exit"] == 0 for _, f in runs) and page_bytes:
        with open(page_path, encoding="utf-8") as f:
            page = f.read()
        ok, fact = check_fn(page, last_out, expected)
        del page
    elif check:
        failed = any(f["exit"] != 0 for _, f in runs)
        ok, fact = False, "the build failed" if failed else "no page huge/index.html"
    else:
        ok, fact = page_bytes > 0, "page written" if page_bytes else "no page"
    for out, _ in runs:
        measure.remove(out, trash)
    shutil.rmtree(root)
    figs = [f for _, f in runs]
    med = lambda key: pick(f[key] for f in figs)  # noqa: E731
    stages = {}
    for f in figs:
        for stage in f["stages"]:
            stages[stage] = pick(g["stages"].get(stage, 0.0) for g in figs)
    exits = [f["exit"] for f in figs if f["exit"] != 0]
    return {"case": name, "n": n, "unit": unit, "wall": med("wall"), "cpu": med("cpu"),
            "sys": med("sys"),
            "rss_kib": med("rss_kib"), "rss_exact": all(f["rss_exact"] for f in figs),
            "out": out_bytes, "page": page_bytes, "exit": exits[0] if exits else 0,
            "load": max(f["load"] for f in figs), "bg": max(f["bg"] for f in figs),
            "ok": ok, "fact": fact, "stages": stages, "made": made,
            "warnings": figs[-1]["stderr"].count("warning:")}


BASES = {
    "base": (0, "-", base_body, None, False),
    "base+notes": (0, "-", base_body, None, True),
}


# ---------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------

def human(n):
    for div, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= div and n % (div // 10) == 0:
            v = n / div
            return ("%d%s" % (v, suffix)) if v == int(v) else ("%.1f%s" % (v, suffix))
    return str(n)


def mb(n):
    return "%.1f" % (n / 1e6)


def gloss_version(gloss):
    try:
        r = subprocess.run([gloss, "--version"], capture_output=True, text=True, timeout=30)
        return r.stdout.strip() or r.stderr.strip()
    except OSError as e:
        return "unknown (%s)" % e


def header(args, use_time):
    uname = os.uname()
    try:
        cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                    if l.startswith("model name")), "?")
    except OSError:
        cpu = "?"
    try:
        head = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        head = head + (" (with uncommitted changes)" if dirty else "")
    except OSError:
        head = "?"
    print("# gloss build on huge notes (bench/huge_inputs.py)")
    print("gloss:    %s  [%s]" % (gloss_version(args.gloss), args.gloss))
    print("repo:     %s at %s" % (REPO, head or "?"))
    print("machine:  %s %s, %s, nproc %d, load average %s at start"
          % (uname.sysname, uname.release, cpu, os.cpu_count() or 0,
             " ".join("%.2f" % x for x in os.getloadavg())))
    print("settings: --sizes %s, --runs %d (median), growth %s, rss from %s, nice %d, goal < %.0f s"
          % (args.sizes, args.runs, "on" if args.growth else "off",
             "GNU time -v" if use_time else "wait4 ru_maxrss", os.nice(0), GOAL_S))
    print()


def print_table(rows, goal_sizes):
    cols = ["case", "size", "unit", "wall s", "cpu s", "sys s", "rss MiB", "out MB", "page MB", "load",
            "bg", "exit", "check", "goal"]
    lines = []
    for r in rows:
        goal = "-"
        if (r["case"], r["n"]) in goal_sizes:
            goal = "PASS" if r["exit"] == 0 and r["ok"] and r["wall"] < GOAL_S else "FAIL"
        lines.append([r["case"], human(r["n"]), r["unit"], "%.2f" % r["wall"], "%.2f" % r["cpu"],
                      "%.2f" % r["sys"],
                      ("" if r["rss_exact"] else "~") + "%.0f" % (r["rss_kib"] / 1024),
                      mb(r["out"]), mb(r["page"]), "%.2f" % r["load"], "%.2f" % r["bg"],
                      str(r["exit"]), "ok" if r["ok"] else "BROKEN", goal])
    widths = [max(len(c), *(len(l[i]) for l in lines)) for i, c in enumerate(cols)]
    left = {0, 2}
    fmt = lambda row: "  ".join(  # noqa: E731
        v.ljust(w) if i in left else v.rjust(w) for i, (v, w) in enumerate(zip(row, widths)))
    print(fmt(cols))
    print("  ".join("-" * w for w in widths))
    for l in lines:
        print(fmt(l))
    print()
    print("checks (read back from public/huge/index.html):")
    for r in rows:
        print("  %-10s %8s  %s  %s" % (r["case"], human(r["n"]), "ok    " if r["ok"] else "BROKEN",
                                       r["fact"]))
    print()


def print_growth(rows, bases, quarter_of):
    print("growth: time(N) / time(N/4); linear ~ 4, quadratic ~ 16. 'above base' takes off the")
    print("time of the same site with a one-line note, the fastest of %d builds (%s);" % (
        BASE_RUNS, ", ".join("%s %.2f s wall %.2f s cpu" % (k, b["wall"], b["cpu"])
                             for k, b in bases.items())))
    print("'-' where N/4 is under %.1f s above it (noise). 'read+render' is the ratio of those"
          % MIN_ABOVE_BASE)
    print("two stages' times (--timings), the ones that work through the note's text.")
    by = {(r["case"], r["n"]): r for r in rows}
    cols = ["case", "N", "N/4", "wall N", "wall N/4", "wall ratio", "above base", "cpu ratio",
            "cpu above base", "read+render"]
    lines = []
    for (case, n), q in quarter_of.items():
        big, small = by[(case, n)], by[(case, q)]
        base = bases["base+notes" if CASES[case][4] else "base"]

        def ratio(key, minus=None):
            if minus is None:
                return "%.1f" % (big[key] / small[key]) if small[key] > 0 else "-"
            a, b = big[key] - minus, small[key] - minus
            return "%.1f" % (a / b) if b >= MIN_ABOVE_BASE and a >= 0 else "-"

        def stages(r):
            return r["stages"].get("read", 0.0) + r["stages"].get("render", 0.0)
        note_ratio = "%.1f" % (stages(big) / stages(small)) if stages(small) > 0 else "-"
        lines.append([case, human(n), human(q), "%.2f" % big["wall"], "%.2f" % small["wall"],
                      ratio("wall"), ratio("wall", base["wall"]), ratio("cpu"),
                      ratio("cpu", base["cpu"]), note_ratio])
    widths = [max(len(c), *(len(l[i]) for l in lines)) for i, c in enumerate(cols)]
    print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cols, widths))))
    print("  ".join("-" * w for w in widths))
    for l in lines:
        print("  ".join(v.rjust(w) if i else v.ljust(w) for i, (v, w) in enumerate(zip(l, widths))))
    print()


def print_stages(rows):
    names = []
    for r in rows:
        for s in r["stages"]:
            if s not in names:
                names.append(s)
    if not names:
        return
    print("stages (gloss build --timings, seconds, median):")
    cols = ["case", "size"] + names
    lines = [[r["case"], human(r["n"])] + ["%.2f" % r["stages"].get(s, 0.0) for s in names]
             for r in rows]
    widths = [max(len(c), *(len(l[i]) for l in lines)) for i, c in enumerate(cols)]
    print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cols, widths))))
    for l in lines:
        print("  ".join(v.rjust(w) if i else v.ljust(w) for i, (v, w) in enumerate(zip(l, widths))))
    print()


# ---------------------------------------------------------------------------------------------

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--gloss", default=os.path.join(REPO, "target/release/gloss"),
                   help="the binary to time [default: target/release/gloss, built first]")
    p.add_argument("--no-build", action="store_true", help="do not run cargo build --release")
    p.add_argument("--dir", default=os.path.join(tempfile.gettempdir(), "gloss-huge"),
                   help="work folder [default: $TMPDIR/gloss-huge]")
    p.add_argument("--runs", type=int, default=1, help="builds per case and size (median)")
    p.add_argument("--sizes", choices=["full", "small"], default="full",
                   help="the goal's sizes, or 1/10 of them")
    p.add_argument("--growth", action="store_true", help="also build each case at 1/4 its size")
    p.add_argument("--case", action="append", choices=list(CASES), help="only these cases")
    args = p.parse_args()
    if args.runs < 1:
        p.error("--runs must be at least 1")
    args.gloss = os.path.abspath(args.gloss)
    args.dir = os.path.abspath(args.dir)

    if not args.no_build and args.gloss == os.path.join(REPO, "target/release/gloss"):
        print("cargo build --release ...", file=sys.stderr, flush=True)
        r = subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO)
        if r.returncode != 0:
            sys.exit("cargo build --release failed (exit %d)" % r.returncode)
    if not os.access(args.gloss, os.X_OK):
        sys.exit("no gloss binary at %s (build it, or pass --gloss PATH)" % args.gloss)

    os.makedirs(args.dir, exist_ok=True)
    trash = os.path.join(args.dir, "trash")
    use_time = measure.have_gnu_time()
    header(args, use_time)

    div = 1 if args.sizes == "full" else 10
    cases = args.case or list(CASES)
    rows, bases, quarter_of, goal_sizes = [], {}, {}, set()
    try:
        if args.growth:
            for base in (["base"] if any(not CASES[c][4] for c in cases) else []) + \
                        (["base+notes"] if any(CASES[c][4] for c in cases) else []):
                bases[base] = measure_case(args, base, 0, False, trash, use_time,
                                           runs=max(BASE_RUNS, args.runs), pick=min)
        for case in cases:
            n = CASES[case][0] // div
            if div == 1:
                goal_sizes.add((case, n))
            rows.append(measure_case(args, case, n, True, trash, use_time))
            if args.growth:
                quarter_of[(case, n)] = n // 4
                rows.append(measure_case(args, case, n // 4, True, trash, use_time))
    finally:
        measure.rmtree(trash)
        for sub in ("out", "sites"):
            measure.rmtree(os.path.join(args.dir, sub))

    print_table(rows, goal_sizes)
    if args.growth:
        print_growth(rows, bases, quarter_of)
    print_stages(list(bases.values()) + rows)
    for r in rows:
        if r["exit"] != 0:
            print("%s %s: gloss exited %d; its logs are in %s/logs"
                  % (r["case"], human(r["n"]), r["exit"], args.dir))
    broken = [r for r in rows if r["exit"] != 0 or not r["ok"]]
    failed = [r for r in rows if (r["case"], r["n"]) in goal_sizes and r["wall"] >= GOAL_S]
    sys.exit(1 if broken or failed else 0)


if __name__ == "__main__":
    main()
