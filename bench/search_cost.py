#!/usr/bin/env python3
"""What full-text search costs on a corpus: build time with and without the search index, the
index's size on disk, and (with --transfer) what one query downloads in a real browser.

    cargo build --release                                     # target/release/gloss (search on)
    cargo build --release --no-default-features --target-dir target/no-search
    python3 bench/gen_corpus.py --sources 10000 --out /tmp/c10k   # then site.yaml and
    #   content/_index.md as bench/run.sh's scaffold_neutral writes them
    bench/search_cost.py --corpus /tmp/c10k --gloss target/release/gloss \\
        --without target/no-search/release/gloss --runs 3 --transfer

Prints medians of --runs clean builds each (the two binaries take turns), the index's files and
bytes, and for --transfer the bytes and requests under /pagefind/ that bench/search_transfer.mjs
counts for a first query and a second one (Chromium, from tests/browser's packages).
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


def build(gloss, corpus, out, base_url):
    shutil.rmtree(out, ignore_errors=True)
    start = time.monotonic()
    subprocess.run([gloss, "build", "--root", corpus, "--out", out, "--base-url", base_url],
                   check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - start


class Counting(http.server.SimpleHTTPRequestHandler):
    """Serves the site and counts the bytes sent under /pagefind/; GET /__bytes tells and resets
    the count (a browser's own accounting misses Pagefind's requests from its web worker)."""
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
        if "/pagefind/" in self.path:
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
    p.add_argument("--gloss", required=True, help="a gloss built with the search feature")
    p.add_argument("--without", help="a gloss built with --no-default-features")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--transfer", action="store_true", help="measure one query's download in Chromium")
    p.add_argument("--query", default="trust deficit")
    args = p.parse_args()
    work = tempfile.mkdtemp(prefix="gloss-search-bench-")
    out = os.path.join(work, "site", "review")
    port = 8765
    base_url = f"http://127.0.0.1:{port}/review/"
    times = {"with search": [], "without search": []}
    for _ in range(args.runs):
        times["with search"].append(build(args.gloss, args.corpus, out, base_url))
        if args.without:
            times["without search"].append(build(args.without, args.corpus, out + "-plain", base_url))
    for label, runs in times.items():
        if runs:
            print(f"{label:>15}: median {statistics.median(runs):.2f} s wall ({', '.join(f'{t:.2f}' for t in runs)})")
    files, total = tree_size(os.path.join(out, "pagefind"))
    pages = sum(1 for r, _, n in os.walk(out) for x in n if x == "index.html")
    print(f"{'index':>15}: {files} files, {total / 1e6:.1f} MB under pagefind/ for {pages} pages")
    if args.transfer:
        handler = functools.partial(Counting, directory=os.path.join(work, "site"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            subprocess.run(["node", os.path.join(here, "search_transfer.mjs"), base_url, args.query],
                           check=True)
        finally:
            server.shutdown()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
