"""What `gloss import` changes on the way in: the whole (deduplicated) export imported into a
scratch site, each note's front matter held to the entry it came from. Returns findings as
(kind, export key, detail); the checks are the losses a pandoc run on the export would not
show (a URL with `---`, LaTeX left as written, `~`, two DOIs in one field, a particle at the
end of a given name, a blog post, a key renamed)."""

import json
import re

import libraries as L

LATEX = re.compile(r"\\[A-Za-z]+|\\[^A-Za-z\s*_\[\]#`]|[{}]")
COMMAND = re.compile(r"\\[A-Za-z]+|\\[^A-Za-z\s*_\[\]#`,]")
PARTICLE_END = re.compile(r",\s*[^,]*\s(de|da|di|du|van|von|der|den|del|della|des|le|la|dos|do|ten|ter|zu)\"?$")


def front_matter(text):
    """The scalar fields and the `authors`/`editors` lists of a note gloss wrote."""
    m = re.match(r"---\n(.*?)\n---", text, re.S)
    out, current = {}, None
    for line in (m[1] if m else "").splitlines():
        item = re.match(r"\s+- (.*)$", line)
        if item and current:
            out.setdefault(current, []).append(_scalar(item[1]))
            continue
        kv = re.match(r"([\w-]+):\s*(.*)$", line)
        if kv:
            current = kv[1]
            if kv[2]:
                out[kv[1]] = _scalar(kv[2])
    return out


def _scalar(v):
    v = v.strip()
    if v.startswith('"'):
        try:
            return json.loads(v)
        except ValueError:
            return v.strip('"')
    return v.strip("'")


def _values(fm):
    for k, v in fm.items():
        for x in v if isinstance(v, list) else [v]:
            if isinstance(x, str):
                yield k, x


def check(entry, fm, ext):
    """Findings for one entry and the note gloss made of it."""
    raw = entry.text if ext == "json" else L._bib_fields(entry.text)
    raw = {k.lower(): v for k, v in raw.items()}
    found = []
    url = str(raw.get("url") or "")
    if ext == "bib" and "--" in url and re.search("[–—]", fm.get("url", "")):
        found.append(("url: `--`/`---` made a dash", fm.get("url")))
    for k, v in _values(fm):
        if k in ("url", "doi", "file"):
            continue
        # a name's braces and `{family: …}` maps are gloss's own notation: only commands count
        m = (COMMAND if k in ("authors", "editors", "translators") else LATEX).search(v)
        if m:
            found.append((f"LaTeX left raw ({m[0]})", f"{k}: {v[:90]}"))
            break
    if ext == "bib" and any("~" in str(v) for k, v in raw.items() if k not in ("url", "file")):
        if any("~" in v for _, v in _values(fm)):
            found.append(("`~` kept (not a no-break space)", ""))
    for k, pattern in (("doi", r"(?:^|[\s,;])(?:https?://(?:dx\.)?doi\.org/)?10\.\d{4,}/"),
                       ("url", r"(?:^|[\s,;])https?://")):
        v = str(raw.get(k) or raw.get(k.upper()) or "").strip()
        if len(re.findall(pattern, v)) > 1:
            found.append((f"two {k.upper()}s in one field", v[:120]))
    for k in ("authors", "editors"):
        for name in fm.get(k, []) if isinstance(fm.get(k), list) else []:
            if isinstance(name, str) and PARTICLE_END.search(name):
                found.append(("particle at the end of the given name", name))
    kind = entry.kind.lower()
    if kind in ("post-weblog", "post") and fm.get("type") == "web":
        found.append(("blog post imported as a web page", ""))
    return found


def run(r, run_cmd, fresh_site, args):
    """Imports the deduplicated export into a scratch site and checks every note."""
    site = r.dir / "site-audit"
    fresh_site(args.gloss, site, args.csl_dir, [])
    code, out, err = run_cmd([args.gloss, "import", "--root", site, r.dedup])
    keymap = r.parse_imported(out, r.dedup_lines)
    findings = []
    for e in r.kept:
        gk = keymap.get(e.key)
        if not gk:
            continue
        note = site / "content" / "sources" / f"{gk}.md"
        if not note.exists():
            continue
        fm = front_matter(note.read_text(encoding="utf-8"))
        for kind, detail in check(e, fm, r.lib.ext):
            findings.append((kind, e.key, detail))
        # the citation key: the note's `key:` when its file name could not be the key
        gk = fm.get("key") or gk
        if gk != e.key:
            why = "".join(sorted({c for c in e.key if not (c.isascii() and (c.isalnum() or c in "-_"))}))
            findings.append((f"key renamed (because of {why!r})", e.key, gk))
    return {"exit": code, "entries": len(r.kept), "imported": len(keymap), "findings": findings}
