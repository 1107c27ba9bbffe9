"""The libraries of the harness: the list file, reading an export at its commit, splitting it
into entries, and the sample of entries that is imported and cited.

A library is read with `git show COMMIT:PATH` from a clone found under the folder given with
--repos (as `owner+name/repo`, `owner+name` or `owner/name`), so that the commit recorded in the
list is the one measured. Nothing here writes into those clones.
"""

import collections
import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Library:
    repo: str  # owner/name
    commit: str
    path: str  # inside the repository
    note: str = ""

    @property
    def ext(self):
        return "json" if self.path.lower().endswith(".json") else "bib"

    @property
    def slug(self):
        return self.repo.replace("/", "+")


@dataclass
class Entry:
    key: str
    text: str  # BibTeX: the entry as written; CSL-JSON: the item as JSON
    kind: str  # the entry type (@article) or CSL type
    fields: list = field(default_factory=list)
    parents: list = field(default_factory=list)  # crossref / xdata keys


def read_list(path):
    libs = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        note = ""
        if "  #" in line:
            line, note = (s.strip() for s in line.split("  #", 1))
        m = re.fullmatch(r"([\w.-]+/[\w.-]+)@([0-9a-f]{7,40})\s+(.+)", line)
        if not m:
            raise SystemExit(f"{path}:{n}: expected `owner/name@commit path`, got {line!r}")
        libs.append(Library(m[1], m[2], m[3].strip(), note))
    return libs


def local(paths):
    """Exports given as files (a fixture, a library of one's own): no repository, no commit."""
    return [Library(f"file/{Path(p).stem}", "-", str(Path(p).resolve())) for p in paths]


def git_dir(repos, lib):
    owner, name = lib.repo.split("/")
    for cand in (Path(repos) / f"{owner}+{name}" / "repo", Path(repos) / f"{owner}+{name}",
                 Path(repos) / owner / name):
        if cand.is_dir():
            return cand
    raise SystemExit(f"{lib.repo}: no clone under {repos} (see bench/citations/README.md)")


def read_export(repos, lib):
    """The export's bytes at the recorded commit, as text."""
    if lib.commit == "-":
        return Path(lib.path).read_text(encoding="utf-8-sig")
    d = git_dir(repos, lib)
    out = subprocess.run(["git", "-C", str(d), "show", f"{lib.commit}:{lib.path}"],
                         capture_output=True)
    if out.returncode != 0:
        raise SystemExit(f"{lib.repo}@{lib.commit[:12]}:{lib.path}: "
                         f"{out.stderr.decode(errors='replace').strip()}")
    return out.stdout.decode("utf-8-sig", errors="replace")


# --- BibTeX ----------------------------------------------------------------------------------

_AT = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*([{(])", re.M)
_FIELD = re.compile(r"^\s*([A-Za-z][\w:.+-]*)\s*=", re.M)
_PARENT = re.compile(r"\b(?:crossref|xdata)\s*=\s*[{\"]([^}\"]+)[}\"]", re.I)


def _close(text, start, opener):
    """Index just past the delimiter that closes the one at `start`: braces counted as BibTeX
    counts them (escaped ones not), a `(` entry closed by the first `)` outside braces."""
    depth = 0
    for i in range(start, len(text)):
        if i > start and text[i - 1] == "\\" and (i < 2 or text[i - 2] != "\\"):
            continue
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0 and opener == "{":
                return i + 1
        elif c == ")" and depth == 0 and opener == "(" and i > start:
            return i + 1
    return len(text)


def split_bibtex(text):
    """(preamble: @string/@preamble/@comment blocks, entries) in file order."""
    preamble, entries = [], []
    pos = 0
    for m in _AT.finditer(text):
        if m.start() < pos:
            continue
        end = _close(text, m.end() - 1, m[2])
        block = text[m.start():end].strip()
        pos = end
        kind = m[1].lower()
        if kind in ("string", "preamble", "comment"):
            preamble.append(block)
            continue
        body = text[m.end():end - 1]
        key = body.split(",", 1)[0].strip()
        fields = [f.lower() for f in _FIELD.findall(body[len(key) + 1:])]
        parents = [p.strip() for p in _PARENT.findall(body)]
        entries.append(Entry(key, block, kind, fields, parents))
    return preamble, entries


# --- CSL-JSON --------------------------------------------------------------------------------

def split_json(text):
    items = json.loads(text)
    if isinstance(items, dict):
        items = items.get("items", [])
    out = []
    for item in items:
        key = str(item.get("citation-key") or item.get("id") or "")
        out.append(Entry(key, item, str(item.get("type", "")), sorted(item.keys())))
    return [], out


_SKIP = {"abstract", "file", "keywords", "keyword", "annotation", "annote", "note", "id"}


def _bib_fields(text):
    """{field: value} of a BibTeX entry: braces and quotes around a value taken off."""
    body = text[text.index(text.lstrip()[0]):]
    start = body.find(",")
    out, i = {}, start + 1
    while i < len(body):
        m = re.compile(r"\s*([A-Za-z][\w:.+-]*)\s*=\s*").match(body, i)
        if not m:
            break
        name, j = m[1].lower(), m.end()
        if j < len(body) and body[j] in "{\"":
            closer = "}" if body[j] == "{" else '"'
            depth, k = 0, j
            while k < len(body):
                c = body[k]
                if c == "\\":
                    k += 2
                    continue
                if closer == "}":
                    depth += (c == "{") - (c == "}")
                    if depth == 0:
                        break
                elif c == '"' and k > j:
                    break
                k += 1
            value, i = body[j + 1:k], k + 1
        else:
            n = re.compile(r"[^,}]*").match(body, j)
            value, i = n[0].strip(), n.end()
        out[name] = value
        c = re.compile(r"\s*,?").match(body, i)
        i = c.end()
    return out


def _flat(v):
    if isinstance(v, list):
        return "; ".join(_flat(x) for x in v)
    if isinstance(v, dict):
        if "date-parts" in v:
            return " ".join(str(x) for p in v["date-parts"] for x in p)
        return " ".join(str(x) for x in v.values())
    return str(v)


def entry_fields(e):
    """The entry's fields as short strings (long free-text fields left out)."""
    raw = e.text if isinstance(e.text, dict) else _bib_fields(e.text)
    return {k: _flat(v)[:300] for k, v in raw.items() if k.lower() not in _SKIP}


def split(lib, text):
    return split_json(text) if lib.ext == "json" else split_bibtex(text)


# --- the sample -------------------------------------------------------------------------------

def dedupe(entries):
    """Entries with a key seen before are dropped (the first is kept); returns (kept, dropped
    keys). A real library can hold two different works under one key."""
    seen, kept, dropped = set(), [], []
    for e in entries:
        if not e.key or e.key in seen:
            dropped.append(e.key)
            continue
        seen.add(e.key)
        kept.append(e)
    return kept, dropped


def author_year(meta):
    """{key: (first author's family name, year)} from CSL-JSON items."""
    out = {}
    for item in meta:
        names = item.get("author") or item.get("editor") or []
        fam = ""
        if names:
            n = names[0]
            fam = (n.get("family") or n.get("literal") or "").strip().lower()
        parts = (item.get("issued") or {}).get("date-parts") or [[None]]
        year = str(parts[0][0]) if parts and parts[0] else ""
        if fam and year and year != "None":
            out[str(item.get("citation-key") or item.get("id"))] = (fam, year)
    return out


def sample(entries, cap, meta):
    """At most `cap` entries spread evenly over the file, then the works that share a first
    author and a year with one of them (so that year letters are exercised) and the parents
    their crossref/xdata name. Returns the chosen entries in file order."""
    if len(entries) <= cap:
        return list(entries)
    picked = {int(i * len(entries) / cap) for i in range(cap)}
    ay = author_year(meta)
    groups = collections.defaultdict(list)
    for i, e in enumerate(entries):
        if e.key in ay:
            groups[ay[e.key]].append(i)
    for i in sorted(picked):
        g = groups.get(ay.get(entries[i].key), [])
        picked.update(g[:3])
    index = {e.key: i for i, e in enumerate(entries)}
    for i in sorted(picked):
        for p in entries[i].parents:
            if p in index:
                picked.add(index[p])
    return [entries[i] for i in sorted(picked)]


def write_subset(lib, preamble, entries, path):
    """Writes the chosen entries as a file of the library's own format; returns {line: key},
    the line each entry starts on (how `gloss import` names where a note came from)."""
    lines = {}
    if lib.ext == "json":
        parts = []
        for i, e in enumerate(entries):
            lines[i + 2] = e.key
            parts.append(json.dumps(e.text, ensure_ascii=False))
        Path(path).write_text("[\n" + ",\n".join(parts) + "\n]\n", encoding="utf-8")
        return lines
    out, line = [], 1
    for block in preamble + [e.text for e in entries]:
        out.append(block)
        line += block.count("\n") + 2
    line = 1
    for block in preamble:
        line += block.count("\n") + 2
    for e in entries:
        lines[line] = e.key
        line += e.text.count("\n") + 2
    Path(path).write_text("\n\n".join(out) + "\n", encoding="utf-8")
    return lines


def inventory(entries):
    """What a library holds: its entry types and its fields, by count."""
    kinds = collections.Counter(e.kind for e in entries)
    fields = collections.Counter(f for e in entries for f in set(e.fields))
    return {"types": kinds.most_common(), "fields": fields.most_common()}
