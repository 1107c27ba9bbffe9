#!/usr/bin/env python3
"""Times gloss serve's one-note incremental rebuild.

    python3 serve_edit.py GLOSS ROOT [--edits 5]

Starts `GLOSS serve --root ROOT --port 0`, waits for the first build, then appends a sentence to
one source note (restoring it afterwards) --edits times, and reads the time gloss reports from the
debounced file event to the reload event (its `rebuilt in N ms` line). Prints each time and the
median. The corpus is left exactly as it was. Python 3 standard library only.
"""

import argparse
import os
import queue
import re
import statistics
import subprocess
import sys
import threading
import time


def lines_of(stream, out):
    for line in iter(stream.readline, ""):
        out.put(line.rstrip("\n"))


def wait_for(lines, pattern, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            line = lines.get(timeout=max(0.05, deadline - time.time()))
        except queue.Empty:
            break
        match = re.search(pattern, line)
        if match:
            return match, line
    return None, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gloss")
    parser.add_argument("root")
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()

    sources = os.path.join(args.root, "content", "sources")
    note = os.path.join(sources, sorted(os.listdir(sources))[len(os.listdir(sources)) // 2])
    with open(note, encoding="utf-8") as f:
        original = f.read()

    proc = subprocess.Popen(
        [args.gloss, "serve", "--root", args.root, "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines = queue.Queue()
    threading.Thread(target=lines_of, args=(proc.stdout, lines), daemon=True).start()
    times = []
    try:
        started, line = wait_for(lines, r"serving at", args.timeout)
        if not started:
            sys.exit("gloss serve did not start (no 'serving at' line)")
        time.sleep(1.0)  # let the watcher settle after the first build
        for i in range(args.edits):
            with open(note, "a", encoding="utf-8") as f:
                f.write(f"\nAn added sentence, number {i}, for the benchmark.\n")
            match, line = wait_for(lines, r"rebuilt in (\d+) ms", 120)
            if not match:
                sys.exit("no 'rebuilt in' line after an edit")
            times.append(int(match.group(1)))
            print(f"    edit {i + 1}: {line.strip()}")
            time.sleep(0.5)
    finally:
        with open(note, "w", encoding="utf-8") as f:
            f.write(original)
        time.sleep(1.0)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(f"  one-note edit, file event to reload: median {statistics.median(times)} ms "
          f"(min {min(times)}, max {max(times)}, {len(times)} edits of {os.path.relpath(note, args.root)})")


if __name__ == "__main__":
    main()
