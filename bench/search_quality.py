#!/usr/bin/env python3
"""Search quality against another search client on the same pages: builds a corpus with two
gloss binaries (say, one that indexes with Pagefind and this one), runs the same queries through
both sites' own clients in headless Chromium (bench/search_quality.mjs) and prints how much
their first ten results overlap and whether a query that is a phrase finds a page holding it
first.

    bench/search_quality.py --corpus /tmp/c10k --gloss target/release/gloss \\
        --against /path/to/gloss-with-pagefind [--queries 50] [--seed 7]

The queries are drawn, with the seed, from the corpus's own notes (their prose, less front
matter, code, citations and link targets): single words, two words of one paragraph, and runs
of 3 to 5 consecutive words of one sentence (the phrases). For a phrase query, "first" means
the first result's indexed text (the note less its parts marked data-pagefind-ignore) holds
the words in that order.
"""
import argparse
import functools
import html.parser
import http.server
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
import threading

here = os.path.dirname(os.path.abspath(__file__))
STOP = set("""a an and are as at be by for from has have in into is it its of on or that the
their this to was were which with not but than then these those there also""".split())
WORD = re.compile(r"[a-z0-9]+(?:['’][a-z0-9]+)*")


def words_of(text):
    """Words as both engines split them: at anything but letters, digits and an inner apostrophe."""
    return [w.replace("’", "'") for w in WORD.findall(text.lower())]


def prose(text):
    """A note's prose as paragraphs of sentences of words."""
    if text.startswith("---"):
        end = text.find("\n---", 3)
        text = text[end + 4:] if end > 0 else text
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"%%.*?%%", " ", text, flags=re.S)
    text = re.sub(r"\[@[^\]]*\]|@\w+", " . ", text)
    text = re.sub(r"\[\[([^\]|]*\|)?([^\]]*)\]\]", r"\2", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        if block.lstrip().startswith(("#", "|", "<")):
            continue
        sentences = []
        for sentence in re.split(r"[.!?;:()\[\]]", block):
            words = words_of(sentence.replace("*", ""))
            if words:
                sentences.append(words)
        if sentences:
            paragraphs.append(sentences)
    return paragraphs


def draw_queries(corpus, n, seed):
    notes = []
    for root, _, names in os.walk(os.path.join(corpus, "content")):
        for name in names:
            if name.endswith(".md"):
                notes.append(os.path.join(root, name))
    notes.sort()
    rng = random.Random(seed)
    queries, seen = [], set()
    want = [("word", n // 2), ("two words", n - n // 2 - n // 5), ("phrase", n // 5)]
    for kind, count in want:
        made = 0
        while made < count:
            paragraphs = prose(open(rng.choice(notes), encoding="utf-8").read())
            if not paragraphs:
                continue
            paragraph = rng.choice(paragraphs)
            sentence = rng.choice(paragraph)
            if kind == "word":
                words = [w for w in sentence if len(w) >= 4 and w.isalpha() and w not in STOP]
                if not words:
                    continue
                query = rng.choice(words)
            elif kind == "two words":
                words = sorted({w for s in paragraph for w in s
                                if len(w) >= 4 and w.isalpha() and w not in STOP})
                if len(words) < 2:
                    continue
                query = " ".join(rng.sample(words, 2))
            else:
                length = rng.randint(3, 5)
                if len(sentence) < length:
                    continue
                start = rng.randrange(len(sentence) - length + 1)
                query = " ".join(sentence[start:start + length])
            if query in seen:
                continue
            seen.add(query)
            queries.append({"query": query, "kind": kind})
            made += 1
    return queries


class Indexed(html.parser.HTMLParser):
    """The text of a page's element marked data-pagefind-body, less its ignored parts."""
    VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "source", "area", "col", "embed"}

    def __init__(self):
        super().__init__()
        self.depth = 0  # inside the body: open elements
        self.ignored = 0  # depth at which an ignored element opened (0: none)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if not self.depth:
            if "data-pagefind-body" in names:
                self.depth = 1
            return
        if tag in self.VOID:
            return
        self.depth += 1
        if not self.ignored and ("data-pagefind-ignore" in names or tag in ("script", "style", "nav")):
            self.ignored = self.depth
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if not self.depth or tag in self.VOID:
            return
        if self.ignored == self.depth:
            self.ignored = 0
        self.depth -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if self.depth and not self.ignored:
            self.parts.append(data)


def holds_phrase(site, url, phrase):
    path = os.path.join(site, url.lstrip("/"), "index.html")
    if not os.path.isfile(path):
        return False
    parser = Indexed()
    parser.feed(open(path, encoding="utf-8").read())
    return f" {phrase} " in " " + " ".join(words_of("".join(parser.parts))) + " "


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", required=True)
    p.add_argument("--gloss", required=True, help="this gloss")
    p.add_argument("--against", required=True, help="the gloss to compare with (e.g. Pagefind's)")
    p.add_argument("--queries", type=int, default=50)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--port", type=int, default=8771)
    p.add_argument("--show", action="store_true", help="print each query's results")
    p.add_argument("--keep", help="build into this folder and keep it; a site already there is "
                   "reused (its search.js replaced by the theme's)")
    args = p.parse_args()
    work = args.keep or tempfile.mkdtemp(prefix="gloss-search-quality-")
    sites = {}
    try:
        for name, gloss in (("ours", args.gloss), ("theirs", args.against)):
            out = os.path.join(work, name)
            base = f"http://127.0.0.1:{args.port}/{name}/"
            if not os.path.isfile(os.path.join(out, "index.html")):
                subprocess.run([gloss, "build", "--root", args.corpus, "--out", out, "--base-url", base],
                               check=True, stdout=subprocess.DEVNULL)
            elif name == "ours":
                shutil.copy(os.path.join(here, "../themes/default/static/search.js"), out)
            sites[name] = (out, base)
        queries = draw_queries(args.corpus, args.queries, args.seed)
        qfile = os.path.join(work, "queries.json")
        json.dump(queries, open(qfile, "w"))
        handler = functools.partial(Quiet, directory=work)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            run = subprocess.run(["node", os.path.join(here, "search_quality.mjs"), qfile,
                                  sites["ours"][1], sites["theirs"][1]],
                                 check=True, capture_output=True, text=True)
        finally:
            server.shutdown()
        rows = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
        ours = [r for r in rows if r["base"] == sites["ours"][1]]
        theirs = [r for r in rows if r["base"] == sites["theirs"][1]]
        report(queries, ours, theirs, sites, args.show)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def report(queries, ours, theirs, sites, show):
    by_kind = {}
    phrase_first = {"ours": 0, "theirs": 0}
    phrases = 0
    for q, a, b in zip(queries, ours, theirs):
        x, y = a["urls"], b["urls"]
        overlap = 1.0 if not x and not y else len(set(x) & set(y)) / max(len(x), len(y))
        by_kind.setdefault(q["kind"], []).append(overlap)
        line = f"{q['kind']:>9} {overlap:4.0%} {q['query']!r}: {a['total']} vs {b['total']} results"
        if q["kind"] == "phrase":
            phrases += 1
            for name, r in (("ours", a), ("theirs", b)):
                if r["urls"] and holds_phrase(sites[name][0], r["urls"][0], q["query"]):
                    phrase_first[name] += 1
                elif name == "ours":
                    line += f"  (first result {r['urls'][:1]} does not hold it)"
        if show:
            print(line)
    every = [o for v in by_kind.values() for o in v]
    print(f"top-10 overlap with {theirs[0]['client']}: {sum(every) / len(every):.1%} on average "
          f"over {len(every)} queries")
    for kind, values in by_kind.items():
        print(f"  {kind}: {sum(values) / len(values):.1%} ({len(values)} queries, "
              f"lowest {min(values):.0%})")
    print(f"phrase queries whose first result holds the phrase: ours {phrase_first['ours']}/{phrases}, "
          f"{theirs[0]['client']} {phrase_first['theirs']}/{phrases}")


if __name__ == "__main__":
    main()
