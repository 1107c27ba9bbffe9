#!/usr/bin/env python3
"""What full-text search costs on a corpus: build time and peak memory with and without the
search index (`search: false` in a copy's site.yaml), the index's size on disk, and (with
--transfer) what a first and a second query download in a real browser. With --against, the
same figures for another gloss binary (say, one from before gloss had its own index, when
Pagefind made it), builds taking turns.

    cargo build --release
    python3 bench/gen_corpus.py --sources 10000 --out /tmp/c10k   # then site.yaml and
    #   content/_index.md as bench/run.sh's scaffold_neutral writes them
    bench/search_cost.py --corpus /tmp/c10k --gloss target/release/gloss [--against OLD] \\
        --runs 3 --transfer

Prints medians of --runs clean builds each, peak memory (GNU time, the largest run), the
index's files and bytes, and for --transfer the bytes and requests of the search files that
bench/search_transfer.mjs counts for a first query and a second one (Chromium, from
tests/browser's packages).
"""
import argparse
import functools
import http.server
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time

here = os.path.dirname(os.path.abspath(__file__))
TIME = "/usr/bin/time"


def build(gloss, corpus, out, base_url):
    """Wall seconds and peak memory (MiB, None without GNU time) of one clean build."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(os.path.join(os.path.dirname(out), "." + os.path.basename(out) + ".gloss-spare"),
                  ignore_errors=True)
    command = [gloss, "build", "--root", corpus, "--out", out, "--base-url", base_url]
    timed = os.path.exists(TIME)
    if timed:
        command = [TIME, "-f", "%M"] + command
    start = time.monotonic()
    run = subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True)
    wall = time.monotonic() - start
    peak = int(run.stderr.strip().splitlines()[-1]) / 1024 if timed else None
    return wall, peak


class Counting(http.server.SimpleHTTPRequestHandler):
    """Serves the sites and counts the bytes sent of search files (gloss's search.js and
    search/, Pagefind's pagefind/); GET /__bytes tells and resets the count (a browser's own
    accounting misses requests made from a worker)."""
    sent = [0, 0]

    def do_GET(self):
        if self.path == "/__bytes":
            body = f"{self.sent[0]} {self.sent[1]}".encode()
            Counting.sent = [0, 0]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def copyfile(self, source, outputfile):
        data = source.read()
        path = self.path.split("?")[0]
        if "/pagefind/" in path or "/search/" in path or path.endswith("/search.js"):
            Counting.sent[0] += len(data)
            Counting.sent[1] += 1
        outputfile.write(data)

    def log_message(self, *args):
        pass


def tree_size(path):
    files = total = 0
    for root, _, names in os.walk(path):
        for n in names:
            files += 1
            total += os.path.getsize(os.path.join(root, n))
    return files, total


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", required=True)
    p.add_argument("--gloss", required=True)
    p.add_argument("--against", help="another gloss to measure the same way (builds take turns)")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--transfer", action="store_true", help="measure two queries' downloads in Chromium")
    p.add_argument("--query", default="trust deficit")
    args = p.parse_args()
    work = tempfile.mkdtemp(prefix="gloss-search-bench-")
    port = 8765
    plain = os.path.join(work, "corpus-without-search")
    shutil.copytree(args.corpus, plain)
    with open(os.path.join(plain, "site.yaml"), "a") as f:
        f.write("\nsearch: false\n")
    runs = [("with search", args.gloss, args.corpus, "gloss"),
            ("without search", args.gloss, plain, "plain")]
    if args.against:
        runs.append(("other gloss", args.against, args.corpus, "other"))
    times = {label: [] for label, *_ in runs}
    peaks = {label: 0 for label, *_ in runs}
    for _ in range(args.runs):
        for label, gloss, corpus, name in runs:
            base_url = f"http://127.0.0.1:{port}/{name}/"
            wall, peak = build(gloss, corpus, os.path.join(work, "site", name), base_url)
            times[label].append(wall)
            peaks[label] = max(peaks[label], peak or 0)
    for label, values in times.items():
        memory = f", peak {peaks[label]:.0f} MiB" if peaks[label] else ""
        print(f"{label:>15}: median {statistics.median(values):.2f} s wall "
              f"({', '.join(f'{t:.2f}' for t in values)}){memory}")
    for name, folder in (("gloss", "search"), ("other", "pagefind"), ("other", "search")):
        path = os.path.join(work, "site", name, folder)
        if os.path.isdir(path):
            files, total = tree_size(path)
            print(f"{name + ' index':>15}: {files} files, {total / 1e6:.1f} MB under {folder}/")
    if args.transfer:
        handler = functools.partial(Counting, directory=os.path.join(work, "site"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            for name in ("gloss", "other") if args.against else ("gloss",):
                print(f"{name}:")
                subprocess.run(["node", os.path.join(here, "search_transfer.mjs"),
                                f"http://127.0.0.1:{port}/{name}/", args.query], check=True)
        finally:
            server.shutdown()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
