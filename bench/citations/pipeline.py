"""One library through both tools: its sample written out, a fresh site that imports it, the
note that cites every entry, then per style a gloss build and two pandoc runs, read back."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import document
import html_read
import libraries as L

_IMPORTED = re.compile(
    r"^(?:new|updated|unchanged)\s+content/sources/(.+)\.md\s+\((.+?)(?::(\d+)| item (\d+))\)\s*$")
_DIAG = re.compile(r"^(.*?):(\d+)(?::\d+)?: (warning|error): (.*)$")


def run(cmd, cwd=None):
    p = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def diagnostics(text):
    """[(file, line, level, message)] of gloss's `path:line[:col]: level: message` lines."""
    out = []
    for line in text.splitlines():
        m = _DIAG.match(line)
        if m:
            out.append((m[1], int(m[2]), m[3], m[4]))
    return out


def fresh_site(gloss, root, csl_dir, styles):
    if root.exists():
        shutil.rmtree(root)
    code, _, err = run([gloss, "init", root])
    if code != 0:
        raise SystemExit(f"gloss init {root}: {err}")
    for d in ("sources", "themes"):
        for f in (root / "content" / d).glob("*.md"):
            f.unlink()
    (root / "content" / "_index.md").write_text("---\ntitle: \"Home\"\n---\n\nHome.\n")
    (root / "styles").mkdir()
    for s in styles:
        shutil.copy(Path(csl_dir) / f"{s}.csl", root / "styles" / f"{s}.csl")


def set_style(root, style):
    yaml = root / "site.yaml"
    lines = [l for l in yaml.read_text().splitlines() if not l.startswith("citation_style:")]
    value = "apa" if style == "apa" else f"styles/{style}.csl"
    lines.append(f"citation_style: {value}")
    yaml.write_text("\n".join(lines) + "\n")


def pandoc_meta(pandoc, path, ext):
    """The library as CSL-JSON items, read by pandoc (for grouping works by author and year)."""
    if ext == "json":
        return json.loads(Path(path).read_text(encoding="utf-8"))
    code, out, _ = run([pandoc, "-f", "biblatex", "-t", "csljson", path])
    return json.loads(out) if code == 0 and out.strip() else []


class LibraryRun:
    """The prepared library: its sample imported into a site, and the citing note."""

    def __init__(self, lib, args, work):
        self.lib, self.args = lib, args
        self.dir = Path(work) / lib.slug
        self.dir.mkdir(parents=True, exist_ok=True)
        self.site = self.dir / "site"
        self.notes = []  # what happened on the way, for the report

    def prepare(self):
        a = self.args
        text = L.read_export(a.repos, self.lib)
        self.original = self.dir / f"original.{self.lib.ext}"
        self.original.write_text(text, encoding="utf-8")
        pre, entries = L.split(self.lib, text)
        self.inventory = L.inventory(entries)
        self.total = len(entries)
        kept, self.duplicates = L.dedupe(entries)
        self.kept = kept
        self.dedup = self.dir / f"dedup.{self.lib.ext}"
        self.dedup_lines = L.write_subset(self.lib, pre, kept, self.dedup)
        self.meta = pandoc_meta(a.pandoc, self.dedup, self.lib.ext)
        self.pre = pre
        self.chosen = L.sample(kept, a.max_entries, self.meta)
        fresh_site(a.gloss, self.site, a.csl_dir, a.styles)
        # the whole export, as a user would import it: what it says (nothing is written)
        code, out, err = run([a.gloss, "import", "--dry-run", "--root", self.site, self.original])
        self.full_import = {"exit": code, "diagnostics": diagnostics(out + err)}
        self._import()
        self._write_note()

    def _import(self):
        a = self.args
        for attempt in range(4):
            self.subset = self.dir / f"library.{self.lib.ext}"
            linemap = L.write_subset(self.lib, self.pre, self.chosen, self.subset)
            code, out, err = run([a.gloss, "import", "--root", self.site, self.subset])
            diags = diagnostics(out + err)
            errors = [d for d in diags if d[2] == "error"]
            if code == 0 or attempt == 3:
                break
            # an entry gloss refuses is left out (and counted), the rest imported again
            bad = {linemap.get(d[1]) for d in errors} - {None}
            if not bad:
                break
            self.notes.append(f"import refused {sorted(bad)}: {[d[3] for d in errors][:3]}")
            self.chosen = [e for e in self.chosen if e.key not in bad]
            fresh_site(a.gloss, self.site, a.csl_dir, a.styles)
        self.import_exit = code
        self.import_diagnostics = diags
        self.files = self.parse_imported(out, linemap)  # export key -> note's file name
        self.keymap = {}  # export key -> gloss's citation key (the file name, or its `key:`)
        self.not_imported = [e.key for e in self.chosen if e.key not in self.files]
        self.gloss_types = {}
        for key, file in self.files.items():
            text = (self.site / "content" / "sources" / f"{file}.md").read_text(encoding="utf-8")
            m = re.search(r"^type:\s*\"?([\w-]+)", text, re.M)
            self.gloss_types[key] = m[1] if m else ""
            own = re.search(r'^key:\s*(".*")\s*$', text, re.M)
            self.keymap[key] = json.loads(own[1]) if own else file

    @staticmethod
    def parse_imported(out, linemap):
        """{export key: gloss key} from `gloss import`'s lines (`new  content/sources/K.md
        (file:LINE)` or `(file item N)`)."""
        keymap = {}
        for line in out.splitlines():
            m = _IMPORTED.match(line)
            if not m:
                continue
            # BibTeX names the entry's line; CSL-JSON the item, written one a line from line 2
            n = int(m[3]) if m[3] else int(m[4]) + 2
            if n in linemap:
                keymap[linemap[n]] = m[1]
        return keymap

    def _write_note(self):
        """The citing note, checked with `gloss check`; a source note gloss refuses at build
        time is left out of it (and counted)."""
        a = self.args
        self.rejected = []
        for _ in range(4):
            keys = [e.key for e in self.chosen if e.key in self.keymap
                    and e.key not in self.rejected]
            ay = L.author_year(self.meta)
            groups = {}
            for k in keys:
                if k in ay:
                    groups.setdefault(ay[k], []).append(k)
            self.keys = keys
            self.lines = document.lines_for(keys, [g for g in groups.values() if len(g) > 1])
            gk = [self.keymap[k] for k in keys]
            # gloss reads pandoc's key grammar, braces included
            self.md_gloss = document.spell(self.lines, [document.pandoc_key(k) for k in gk])
            self.md_a = document.spell(self.lines, [document.pandoc_key(k) for k in keys])
            self.md_b = document.spell(self.lines, [document.pandoc_key(k) for k in gk])
            note = self.site / "content" / "themes" / "citations.md"
            note.write_text(document.markdown(self.md_gloss, "Citations"), encoding="utf-8")
            code, out, err = run([a.gloss, "check", "--root", self.site])
            back = {v: k for k, v in self.files.items()}
            bad = set()
            for path, _, level, msg in diagnostics(out + err):
                m = re.match(r"content/sources/(.+)\.md$", path)
                if level == "error" and m and m[1] in back:
                    bad.add(back[m[1]])
            self.check_errors = [d for d in diagnostics(out + err) if d[2] == "error"]
            if not bad:
                break
            self.rejected += sorted(bad)
            self.notes.append(f"source notes refused by gloss check: {sorted(bad)}")

    def style(self, style):
        """gloss's and pandoc's output for one style: {'gloss': (refs, cites) or None, 'a': …,
        'b': …, 'errors': {...}}."""
        a = self.args
        set_style(self.site, style)
        out_dir = self.dir / f"out-{style}"
        if out_dir.exists():
            shutil.rmtree(out_dir)
        result = {"errors": {}}
        code, out, err = run([a.gloss, "build", "--quiet", "--root", self.site, "--out", out_dir])
        page = out_dir / "themes" / "citations" / "index.html"
        if code == 0 and page.exists():
            result["gloss"] = html_read.gloss_page(page.read_text(encoding="utf-8"))
        else:
            result["gloss"] = None
            lines = (out + err).strip().splitlines()
            panic = [l for l in lines if "panicked at" in l or l.startswith(("index out", "called"))]
            result["errors"]["gloss"] = (panic[:3] or lines[-5:]) + [f"exit {code}"]
        csl = Path(a.csl_dir) / f"{style}.csl"
        for label, md, bib in (("a", self.md_a, self.subset),
                               ("b", self.md_b, out_dir / "references.json")):
            src = self.dir / f"doc-{label}.md"
            src.write_text(document.markdown(md), encoding="utf-8")
            if not Path(bib).exists():
                result[label] = None
                result["errors"][label] = ["no bibliography (gloss build failed)"]
                continue
            code, html, err = run([a.pandoc, "--citeproc", "--csl", csl, "--bibliography", bib,
                                   "-t", "html", "--wrap=none", src])
            if code != 0:
                result[label] = None
                result["errors"][label] = err.strip().splitlines()[-5:]
                continue
            (self.dir / f"pandoc-{label}-{style}.html").write_text(html, encoding="utf-8")
            result[label] = html_read.pandoc_output(html)
            warn = [l for l in err.splitlines() if l.strip()]
            if warn:
                result["errors"][f"{label}-warnings"] = warn[:20]
        return result
