#!/usr/bin/env python3
"""Publishes real Obsidian vaults and Quartz sites as a newcomer would, and measures the result.

    run.py GLOSS VAULTS_TXT REPOS_DIR [--mode asis|inside|lenient|all] [--only NAME]
           [--json OUT] [--keep DIR] [--timeout S]

VAULTS_TXT: one vault a line, `owner/repo@commit notes-folder`; REPOS_DIR holds each work tree as
`owner+repo/`. Modes, each in a fresh temporary folder: `asis` (gloss init site, the example
notes under content/ removed, the notes folder copied into content/, gloss build), `inside`
(gloss build run inside a copy of the notes folder, or of a Quartz site's quartz.config.ts and content/, no site.yaml) and `lenient` (asis with
`strict: false` added to site.yaml, to see the pages behind the errors). Measured: exit code,
notes that should be published and those that got a page, titles unlike Obsidian's, raw
Obsidian syntax in page text, private text in any output file, diagnostics by kind. README.md
says how each is decided. Python 3.11 standard library only.
"""
import argparse, gzip, html.parser, json, re, shutil, subprocess, sys, tempfile, time
import unicodedata
from collections import Counter
from pathlib import Path

RAW = {  # Obsidian syntax that must not survive into a page's text (code and math excepted)
    "wikilink [[": re.compile(r"\[\[[^\]\n]*\]\]|\[\["),
    "comment %%": re.compile(r"%%"),
    "callout [!x]": re.compile(r"(?:^|\n)\s*(?:>\s*)?\[![\w-]+(?:\|[^\]\n]*)?\][+-]?"),
    "highlight ==x==": re.compile(r"==[^=\s](?:[^=\n]*?[^=\s])?=="),
    "block id ^x": re.compile(r"\s\^[A-Za-z0-9-]+[ \t]*(?:\n|$)"),
}
WORD = re.compile(r"\w{12,}")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?^[ \t]*\1[`~]*[ \t]*$", re.M | re.S)
INLINE_CODE = re.compile(r"(`+)[^`\n]+?\1")
DIAG = re.compile(r"^(?P<path>[^\s:][^:]*)(?::\d+:\d+)?: (?P<level>error|warning): (?P<msg>.*)$")
BLOCK_TAGS = set("p li h1 h2 h3 h4 h5 h6 div blockquote tr td th dt dd aside details summary "
                 "section article figcaption header footer nav table ul ol".split())
SKIP_TAGS = {"code", "pre", "math", "script", "style", "svg", "kbd", "samp", "template"}


def front_matter(text):
    """Top-level `key: value` scalars of a note's YAML front matter and the body after it."""
    if not text.startswith("---"):
        return {}, text
    m = re.match(r"---[ \t]*\r?\n(.*?)(?:^|\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", text, re.S)
    if not m:
        return {}, text
    fields = {}
    for line in m.group(1).splitlines():
        km = re.match(r"([A-Za-z_][\w-]*)\s*:\s*(.*)$", line)
        if km:
            value = km.group(2).strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            fields[km.group(1).lower()] = value
    return fields, text[m.end():]


def split_comments(body):
    """(text outside %% comments, code included; text inside them). Code is never a comment;
    an unclosed %% hides the rest of the note, as in Obsidian."""
    code = [m.group(0) for m in FENCE.finditer(body)]
    prose = FENCE.sub(" ", body)
    code += [m.group(0) for m in INLINE_CODE.finditer(prose)]
    parts = INLINE_CODE.sub(" ", prose).split("%%")
    return " ".join(parts[0::2] + code), " ".join(parts[1::2])


def obsidian_excluded(root):
    """Folders the vault's own settings keep out: the Templates and Templater plugins' folders
    and *Excluded files* (app.json's userIgnoreFilters), as path prefixes."""
    prefixes = []
    for name, keys in (("templates.json", ["folder"]), ("app.json", ["userIgnoreFilters"]),
                       ("plugins/templater-obsidian/data.json", ["templates_folder"])):
        try:
            settings = json.loads((root / ".obsidian" / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for key in keys:
            value = settings.get(key) or []
            for prefix in [value] if isinstance(value, str) else value:
                if isinstance(prefix, str) and prefix.strip("/ "):
                    prefixes.append(prefix.strip("/ ") + "/")
    return prefixes


def census(root):
    """Every .md file under root, with what Obsidian and Quartz would make of it."""
    notes, settings = [], obsidian_excluded(root)
    for path in sorted(root.rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        fm, body = front_matter(text)
        parts = rel.split("/")
        why = None
        if any(p.startswith(".") for p in parts[:-1]):
            why = "hidden folder"
        elif len(parts) > 1 and parts[0].lower() in ("private", "templates"):
            why = "private/ or templates/"
        elif any(rel.startswith(p) for p in settings):
            why = "template or excluded folder (.obsidian)"
        elif rel.endswith(".excalidraw.md"):
            why = "excalidraw drawing"
        elif fm.get("draft", "").lower() == "true":
            why = "draft"
        elif fm.get("publish", "").lower() == "false":
            why = "publish: false"
        stem = unicodedata.normalize("NFC", path.name[:-3])
        outside, inside = split_comments(body)
        notes.append({"rel": rel, "stem": stem, "title": fm.get("title") or stem,
                      "citekey": fm.get("citekey", ""), "excluded": why,
                      "text": text if why else text[: len(text) - len(body)] + outside,
                      "comments": inside})
    return notes


def private_words(notes):
    """Long words found only in %% comments, or only in unpublished notes, never in published
    text (an Excalidraw drawing's data is neither)."""
    public, unpublished, comments = set(), set(), set()
    for n in notes:
        if n["excluded"] == "excalidraw drawing":
            continue
        words = {w.lower() for w in WORD.findall(n["text"])}
        (unpublished if n["excluded"] else public).update(words)
        comments.update(w.lower() for w in WORD.findall(n["comments"]))
    return {"comment": comments - public, "unpublished": unpublished - public - comments}


def url_slug(name):
    """gloss's URL segment: kept when already plain, else lower-cased letters/digits with `-`."""
    if name and not name.startswith(".") and re.fullmatch(r"[a-z0-9._-]+", name):
        return name
    out = ""
    for c in name.replace("/", " ").strip().lower():
        if c.isalnum() or unicodedata.category(c) in ("So", "Mn", "Mc"):
            out += c
        elif out and not out.endswith("-"):
            out += "-"
    return out.strip("-") or "untitled"


def quartz_slug(segment):
    """Quartz's slug of a path segment (quartz/util/path.ts): case kept."""
    segment = re.sub(r"\s", "-", segment).replace("&", "-and-").replace("%", "-percent")
    return segment.replace("?", "").replace("#", "")


def candidates(note):
    """Where gloss might put a note's page: by path, as a source, as a theme, as the home."""
    stem_path = note["rel"][:-3].split("/")
    keys = {note["citekey"].lstrip("@"), note["stem"].lstrip("@"), note["stem"]} - {""}
    cands = {"/".join(url_slug(s) for s in stem_path), "/".join(quartz_slug(s) for s in stem_path)}
    # Notes whose names slug alike: gloss numbers all but the first (`maas`, `maas-2`).
    cands |= {"/".join(url_slug(s) for s in stem_path) + f"-{n}" for n in range(2, 5)}
    cands |= {f"sources/{url_slug(k)}" for k in keys} | {f"themes/{url_slug(note['stem'])}"}
    if stem_path[-1].lower() in ("index", "_index"):  # a folder's own page, as in Quartz
        cands.add("/".join(url_slug(s) for s in stem_path[:-1]))
    if len(stem_path) == 1 and stem_path[0].lower() in ("home", "readme"):
        cands.add("")
    return cands


class Page(html.parser.HTMLParser):
    """A built page's <title>, first <h1> and the visible text of its <main>, code and math
    left out."""

    VOID = {"br", "hr", "img", "meta", "link", "input", "wbr", "source", "area", "col"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = self.h1 = ""
        self.h1_done = False
        self.chunks, self.stack, self.skip, self.in_main = [], [], 0, 0

    def handle_starttag(self, tag, attrs):
        if self.in_main and (tag in BLOCK_TAGS or tag in self.VOID):
            self.chunks.append("\n")
        if tag in self.VOID:
            return
        skipped = tag in SKIP_TAGS or any(name == "hidden" for name, _ in attrs)
        self.stack.append((tag, skipped))
        self.in_main += tag == "main"
        self.skip += skipped

    def handle_endtag(self, tag):
        self.h1_done |= tag == "h1" and self.in_main > 0
        while any(t == tag for t, _ in self.stack):
            t, skipped = self.stack.pop()
            self.in_main -= t == "main"
            self.skip -= skipped
            if t == tag:
                break
        if tag in BLOCK_TAGS and self.in_main:
            self.chunks.append("\n")

    def handle_data(self, data):
        tags = [t for t, _ in self.stack]
        if "title" in tags and not self.title:
            self.title = data
        if "h1" in tags and self.in_main and not self.h1_done:
            self.h1 += data
        if self.in_main and not self.skip:
            self.chunks.append(data)


def read_pages(out):
    pages = {}
    for f in out.rglob("*.html"):
        p = Page()
        p.feed(f.read_text(encoding="utf-8", errors="replace"))
        rel = f.relative_to(out).as_posix()
        url = rel[: -len("index.html")].rstrip("/") if rel.endswith("index.html") else rel[:-5]
        pages[unicodedata.normalize("NFC", url)] = p
    return pages


def norm(s):
    return " ".join(unicodedata.normalize("NFC", s).split())


def output_texts(out):
    """Every output file's text; Pagefind's fragments are gzipped JSON."""
    for f in out.rglob("*"):
        if not f.is_file():
            continue
        data = f.read_bytes()
        if f.suffix in (".pf_fragment", ".pf_meta", ".pf_index") or data[:2] == b"\x1f\x8b":
            try:
                data = gzip.decompress(data)
            except OSError:
                continue
        yield f.relative_to(out).as_posix(), data.decode("utf-8", errors="replace").lower()


def strip_paths(msg, files):
    """Replaces every known file path in msg (names may hold spaces) by PATH."""
    starts = [0] + [m.end() for m in re.finditer(r"[\s`(\[]", msg)]
    for end in sorted({m.end() for m in re.finditer(r"\.\w{2,8}\b", msg)}, reverse=True):
        for start in starts:
            if start < end and msg[start:end] in files:
                msg = msg[:start] + "PATH" + msg[end:]
                break
    return msg


def diagnostics(log, files):
    """gloss's diagnostics (`path:line:col: level: message`, a message may span lines) counted
    by kind: the message with quoted text, file paths, suggestions and numbers taken out."""
    files = set(files)
    kinds, current = Counter(), None
    for line in log.splitlines() + ["x:1:1: error: end"]:
        m = DIAG.match(line)
        if m and current:
            kinds[current] += 1
        if m:
            current = f"{m['level']}: {m['msg']}"
        elif current and current.count("`") % 2:  # inside a quoted formula that spans lines
            current += "\n" + line
    kinds["error: end"] -= 1
    out = Counter()
    for msg, n in kinds.items():
        msg = re.sub(r"\S+\.md\b", "PATH", strip_paths(msg, files))
        msg = re.sub(r"!?\[\[.*?\]\](?=[\s:,;.?)]|$)", "[[…]]", msg)
        msg = re.sub(r"(?<=\s)/\S+/(?:index\.html)?", "URL", msg)
        msg = re.sub(r"\([^()]*→[^()]*\)", "(…)", msg)
        msg = re.sub(r"`[^`]*`", "`…`", msg, flags=re.S)
        msg = re.sub(r"\"[^\"]*\"|“[^”]*”", "\"…\"", msg)
        msg = re.sub(r"did you mean [^?]*\?", "did you mean …?", msg)
        msg = re.sub(r"\d+", "N", " ".join(msg.split()))
        out[msg[:160]] += n
    return +out


def theme_words(gloss):
    """Words gloss writes into every site on its own (theme, scripts), so never a leak."""
    with tempfile.TemporaryDirectory(prefix="gloss-control-") as tmp:
        subprocess.run([gloss, "init", "site"], cwd=tmp, capture_output=True)
        content = Path(tmp) / "site" / "content"
        shutil.rmtree(content, ignore_errors=True)
        content.mkdir(parents=True)
        (content / "note.md").write_text("A note.\n", encoding="utf-8")
        subprocess.run([gloss, "build"], cwd=Path(tmp) / "site", capture_output=True)
        out = Path(tmp) / "site" / "public"
        return {w for _, text in output_texts(out) for w in WORD.findall(text)} if out.is_dir() else set()


def prepare(mode, gloss, src, work):
    """The newcomer's steps before `gloss build`; returns the site folder and the notes' folder."""
    if mode == "inside":
        quartz = src.parent / "quartz.config.ts"
        if src.name == "content" and quartz.is_file():
            # A Quartz site is run at its root, where quartz.config.ts stands beside content/.
            (work / "vault").mkdir()
            shutil.copy(quartz, work / "vault" / "quartz.config.ts")
            shutil.copytree(src, work / "vault" / "content", symlinks=True)
            return work / "vault", work / "vault" / "content"
        shutil.copytree(src, work / "vault", symlinks=True)
        return work / "vault", work / "vault"
    subprocess.run([gloss, "init", "site"], cwd=work, capture_output=True, check=True)
    site = work / "site"
    shutil.rmtree(site / "content")  # only the example notes gloss init wrote live there
    shutil.copytree(src, site / "content", symlinks=True)
    if mode == "lenient":
        with open(site / "site.yaml", "a", encoding="utf-8") as f:
            f.write("\nstrict: false\n")
    return site, site / "content"


def check_pages(notes, pages):
    """Which notes got a page, which unpublished ones did, and whose title is not Obsidian's."""
    published, missing, titles, leaked = 0, [], [], []
    for n in notes:
        hit = sorted(c for c in candidates(n) if c in pages)
        if n["excluded"]:
            if n["excluded"] != "excalidraw drawing" and any(hit):
                leaked.append(n["rel"])
            continue
        if not hit:
            missing.append(n["rel"])
            continue
        published += 1
        want = norm(n["title"])
        # Of several candidate pages (a name another note's slug shares), the one with its title.
        at = next((h for h in hit if norm(pages[h].h1) == want), hit[0])
        p = pages[at]
        shown = norm(p.title.rsplit(" · ", 1)[0])
        if at and (norm(p.h1) != want or shown != want):  # the home page shows the site's
            titles.append({"note": n["rel"], "want": want, "h1": norm(p.h1), "title": shown})
    return published, missing, titles, leaked


def raw_syntax(pages):
    raw = {k: [] for k in RAW}
    for url, p in sorted(pages.items()):
        text = "".join(p.chunks)
        for kind, rx in RAW.items():
            for m in rx.finditer(text):
                excerpt = " ".join(text[max(0, m.start() - 30): m.end() + 30].split())
                raw[kind].append({"page": url or "/", "text": excerpt})
    return raw


def find_leaks(out, notes_root, secret):
    """Each private word found in an output file, with the files; attachments copied as they
    are (the vault's own files) are not searched."""
    leaks = {"comment": {}, "unpublished": {}}
    words = {w: kind for kind, ws in secret.items() for w in ws}
    if not words:
        return leaks
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    for rel, text in output_texts(out):
        if not (notes_root / rel).is_file():
            for w in set(pattern.findall(text)):
                leaks[words[w]].setdefault(w, []).append(rel)
    return leaks


def measure(mode, gloss, src, work, timeout, control):
    """One vault in one mode, in work/: set up, build, measure. Returns a result dict."""
    site, notes_root = prepare(mode, gloss, src, work)
    notes = census(notes_root)
    files = [f.relative_to(r).as_posix() for r in {site, notes_root} for f in notes_root.rglob("*")]
    secret = {kind: words - control for kind, words in private_words(notes).items()}
    out = site / "public"
    preexisting = out.exists()
    t0 = time.monotonic()
    try:
        proc = subprocess.run([gloss, "build"], cwd=site, capture_output=True, timeout=timeout)
        code, log = proc.returncode, (proc.stdout + proc.stderr).decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        code, log = "timeout", ((e.stdout or b"") + (e.stderr or b"")).decode("utf-8", "replace")
    seconds = round(time.monotonic() - t0, 2)
    pages = read_pages(out) if out.is_dir() and not preexisting else {}
    expected = sum(1 for n in notes if not n["excluded"])
    published, missing, titles, leaked_notes = check_pages(notes, pages)
    return {
        "mode": mode, "exit": code, "seconds": seconds, "notes": len(notes),
        "excluded": dict(Counter(n["excluded"] for n in notes if n["excluded"])),
        "expected": expected, "published": published,
        "percent": round(100 * published / expected, 1) if expected else 100.0,
        "missing": missing, "unpublished_with_page": leaked_notes, "pages": len(pages),
        "titles_wrong": titles, "raw": raw_syntax(pages),
        "leaks": find_leaks(out, notes_root, secret) if pages else {"comment": {}, "unpublished": {}},
        "diagnostics": dict(diagnostics(log, files).most_common()), "log": log,
    }


def read_list(path):
    vaults = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            spec, sub = (line.split(None, 1) + ["."])[:2]
            repo, _, commit = spec.partition("@")
            vaults.append({"repo": repo, "commit": commit, "sub": sub.strip()})
    return vaults


def print_report(results):
    cols = "exit notes expect pub % title✗ raw leak err warn sec".split()
    print(f"{'vault':34} {'mode':8} " + " ".join(f"{c:>6}" for c in cols))
    for r in results:
        d = r["diagnostics"]
        row = [r["exit"], r["notes"], r["expected"], r["published"], r["percent"],
               len(r["titles_wrong"]), sum(map(len, r["raw"].values())),
               sum(map(len, r["leaks"].values())),
               sum(v for k, v in d.items() if k.startswith("error")),
               sum(v for k, v in d.items() if k.startswith("warning")), r["seconds"]]
        print(f"{r['repo'][:34]:34} {r['mode']:8} " + " ".join(f"{x!s:>6}" for x in row))
    for mode in sorted({r["mode"] for r in results}):
        rs = [r for r in results if r["mode"] == mode]
        exp, pub = sum(r["expected"] for r in rs), sum(r["published"] for r in rs)
        print(f"\n[{mode}] {sum(r['exit'] == 0 for r in rs)}/{len(rs)} vaults build (exit 0); "
              f"{pub}/{exp} notes published ({100 * pub / max(exp, 1):.1f} %); "
              f"{sum(len(r['titles_wrong']) for r in rs)} titles wrong; "
              f"{sum(len(v) for r in rs for v in r['raw'].values())} raw syntax hits; "
              f"{sum(len(r['leaks']['comment']) for r in rs)} comment and "
              f"{sum(len(r['leaks']['unpublished']) for r in rs)} unpublished words in output")
        kinds = sum((Counter(r["diagnostics"]) for r in rs), Counter())
        for kind, count in kinds.most_common(25):
            print(f"  {count:6}  {kind}")
        print("  raw syntax: " + ", ".join(f"{k} {sum(len(r['raw'][k]) for r in rs)}" for k in RAW))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gloss"), ap.add_argument("vaults"), ap.add_argument("repos")
    ap.add_argument("--mode", default="all", choices=["asis", "inside", "lenient", "all"])
    ap.add_argument("--only", help="only vaults whose owner/repo contains this")
    ap.add_argument("--json", help="write every measurement (examples, logs) to this file")
    ap.add_argument("--keep", help="build in this folder and keep it (default: a temp folder)")
    ap.add_argument("--timeout", type=int, default=900)
    args = ap.parse_args()
    gloss = str(Path(args.gloss).resolve())
    modes = ["asis", "inside", "lenient"] if args.mode == "all" else [args.mode]
    results, control = [], theme_words(gloss)
    for v in read_list(args.vaults):
        src = Path(args.repos) / v["repo"].replace("/", "+") / v["sub"]
        if args.only and args.only not in v["repo"]:
            continue
        if not src.is_dir():
            print(f"{v['repo']}: no folder {src}; fetch it first (README.md)", file=sys.stderr)
            continue
        for mode in modes:
            tmp = None if args.keep else tempfile.mkdtemp(prefix="gloss-vault-")
            work = Path(tmp) if tmp else Path(args.keep) / f"{v['repo'].replace('/', '+')}.{mode}"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            try:
                results.append(measure(mode, gloss, src, work, args.timeout, control) | v)
            finally:
                if tmp:
                    shutil.rmtree(tmp, ignore_errors=True)
            r = results[-1]
            print(f"{v['repo']} [{mode}]: exit {r['exit']}, {r['published']}/{r['expected']}",
                  file=sys.stderr)
    print_report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
