#!/usr/bin/env python3
"""Times gloss serve's incremental rebuilds, edit kind by edit kind.

    python3 serve_edit.py GLOSS ROOT [--edits 5] [--kinds body,title,...]

Starts `GLOSS serve --root ROOT --port 0`, waits for the first build, then makes each kind of
edit --edits times (each edit undone by the next one, or put back at the end) and reads the time
gloss reports from the debounced file event to the reload message (its `rebuilt in N ms` line).
Kinds: body (a sentence appended to a source note), title, tags (a tag added), bib (the year of
a source changed), cite (a citation of another source added), add (a new source note), remove
(a source note deleted and put back), template (a line added to the source page's template, if
the site has templates/ or themes/; else skipped). Prints each time and the medians. The corpus is left
exactly as it was. Python 3 standard library only.

With --search, each body edit's sentence carries a word of its own, and right after the reload
the script searches for it as the site's search box would (search/entry.json, then the term chunk
that would hold the word, decompressed and read): it prints how long that took and fails if the
word is not found.
"""

import argparse
import gzip
import json
import os
import queue
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

KINDS = ["body", "title", "tags", "bib", "cite", "add", "remove", "template"]


def with_comment(template, i):
    """The template with an HTML comment added where it renders: before its last endblock (a child
    template allows nothing outside its blocks), else at its end."""
    at = template.rfind("{% endblock")
    at = len(template) if at < 0 else at
    return template[:at] + f"<!-- bench {i} -->\n" + template[at:]


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


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def mark(i):
    """The word body edit `i` adds (no note has it)."""
    return f"benchmarkword{'abcdefghij'[i % 10]}{'abcdefghij'[i // 10 % 10]}"


def varint(data, at):
    n = shift = 0
    while True:
        b = data[at]
        at += 1
        n |= (b & 0x7F) << shift
        if b < 0x80:
            return n, at
        shift += 7


def search_finds(base, word):
    """Whether the index served at `base` holds `word`, read as search.js reads it."""
    entry = json.load(urllib.request.urlopen(base + "search/entry.json", timeout=60))
    chunks = [c for c in entry["chunks"] if c[0] <= word]
    name = (chunks[-1] if chunks else entry["chunks"][0])[1]
    data = gzip.decompress(urllib.request.urlopen(base + "search/" + name, timeout=60).read())
    count, at = varint(data, 0)
    previous = b""
    for _ in range(count):
        shared, at = varint(data, at)
        size, at = varint(data, at)
        current = previous[:shared] + data[at:at + size]
        at += size
        _, at = varint(data, at)
        if current == word.encode():
            return True
        previous = current
    return False


def edits(kind, root, note, other, n):
    """The edits of one kind: (description, do) pairs; `restore` files are put back after."""
    text = read(note)
    key = os.path.basename(other)[:-3]
    if kind == "body":
        return [lambda i=i: write(note, text + f"\nAn added sentence, number {i}, {mark(i)}.\n") for i in range(n)]
    if kind == "title":
        return [lambda i=i: write(note, re.sub(r'^title: "', f'title: "Retitled {i}: ', text, count=1, flags=re.M)) for i in range(n)]
    if kind == "tags":
        return [lambda i=i: write(note, re.sub(r"^tags:\n", f"tags:\n  - bench-tag-{i}\n", text, count=1, flags=re.M)) for i in range(n)]
    if kind == "bib":
        return [lambda i=i: write(note, re.sub(r"^year: \d+", f"year: {1900 + i}", text, count=1, flags=re.M)) for i in range(n)]
    if kind == "cite":
        return [lambda i=i: write(note, text + f"\nCompare [@{key}, p. {i + 1}].\n") for i in range(n)]
    if kind == "add":
        new = os.path.join(os.path.dirname(note), "benchadded{}.md")
        body = re.sub(r"^key: .*\n", "", text, count=1, flags=re.M)

        def add(i):
            if i and os.path.exists(new.format(i - 1)):
                os.remove(new.format(i - 1))
            write(new.format(i), body)
        return [lambda i=i: add(i) for i in range(n)]
    if kind == "remove":
        victim_text = read(other)

        def toggle(i):
            if i % 2 == 0:
                os.remove(other)
            else:
                write(other, victim_text)
        return [lambda i=i: toggle(i) for i in range(n)]
    raise ValueError(kind)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gloss")
    parser.add_argument("root")
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--verbose", action="store_true", help="print each rebuild's line (its stages)")
    parser.add_argument("--search", action="store_true",
                        help="after each body edit, time a search for the word it added")
    args = parser.parse_args()

    sources = os.path.join(args.root, "content", "sources")
    names = sorted(n for n in os.listdir(sources) if n.endswith(".md"))
    note = os.path.join(sources, names[len(names) // 2])
    other = os.path.join(sources, names[len(names) // 3])
    # A source no note names (by citation, wikilink or file link), so that removing it breaks
    # nothing.
    named = set()
    for folder, _, files in os.walk(os.path.join(args.root, "content")):
        for name in files:
            if name.endswith(".md"):
                named.update(re.findall(r"[@\[/(]([\w:.-]+?)(?:\.md)?[\]),;\s|#]", read(os.path.join(folder, name))))
    for name in names[len(names) // 3:]:
        if name[:-3] not in named and name != os.path.basename(note):
            other = os.path.join(sources, name)
            break
    template = None
    for rel in ["templates/source.html", "themes/default/templates/source.html"]:
        if os.path.exists(os.path.join(args.root, rel)):
            template = os.path.join(args.root, rel)
            break
    saved = {p: read(p) for p in [note, other] + ([template] if template else [])}

    proc = subprocess.Popen(
        [args.gloss, "serve", "--root", args.root, "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines = queue.Queue()
    threading.Thread(target=lines_of, args=(proc.stdout, lines), daemon=True).start()
    results = {}
    try:
        started, line = wait_for(lines, r"serving at", args.timeout)
        if not started:
            sys.exit("gloss serve did not start (no 'serving at' line)")
        base = re.search(r"https?://\S+/", line).group(0)
        searches = []
        if args.search:
            # The first search of a session reads every page; later ones only the changed ones.
            start = time.monotonic()
            search_finds(base, "the")
            print(f"  first search of the session: {(time.monotonic() - start) * 1000:.0f} ms", flush=True)
        time.sleep(1.0)  # let the watcher settle after the first build
        for kind in args.kinds.split(","):
            if kind == "template":
                if not template:
                    print("  template: skipped (the site has no template folder of its own)")
                    continue
                steps = [lambda i=i: write(template, with_comment(saved[template], i)) for i in range(args.edits)]
            else:
                steps = edits(kind, args.root, note, other, args.edits)
            times = []
            for i, step in enumerate(steps):
                step()
                match, line = wait_for(lines, r"rebuilt in (\d+) ms", 120)
                if not match:
                    sys.exit(f"no 'rebuilt in' line after a {kind} edit")
                times.append(int(match.group(1)))
                if args.search and kind == "body":
                    start = time.monotonic()
                    if not search_finds(base, mark(i)):
                        sys.exit(f"a search right after body edit {i} did not find {mark(i)}")
                    searches.append((time.monotonic() - start) * 1000)
                if args.verbose:
                    print(f"    {kind} {i + 1}: {line.strip()}", flush=True)
                time.sleep(0.6)
            results[kind] = times
            print(f"  {kind:8} median {statistics.median(times):6.0f} ms  (min {min(times)}, max {max(times)}, {len(times)} edits)", flush=True)
            if searches and kind == "body":
                print(f"  search right after a body edit, finding its word: median "
                      f"{statistics.median(searches):.0f} ms (max {max(searches):.0f})", flush=True)
            for p, t in saved.items():
                if not os.path.exists(p) or read(p) != t:
                    write(p, t)
                    wait_for(lines, r"rebuilt in (\d+) ms", 120)
                    time.sleep(0.6)
            for extra in os.listdir(sources):
                if extra.startswith("benchadded"):
                    os.remove(os.path.join(sources, extra))
                    wait_for(lines, r"rebuilt in (\d+) ms", 120)
                    time.sleep(0.6)
    finally:
        for p, t in saved.items():
            write(p, t)
        for extra in os.listdir(sources):
            if extra.startswith("benchadded"):
                os.remove(os.path.join(sources, extra))
        time.sleep(1.0)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    if "body" in results:
        times = results["body"]
        print(f"  one-note edit, file event to reload: median {statistics.median(times)} ms "
              f"(min {min(times)}, max {max(times)}, {len(times)} edits of {os.path.relpath(note, args.root)})")


if __name__ == "__main__":
    main()
