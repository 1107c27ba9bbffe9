#!/usr/bin/env python3
"""The citation harness: gloss against pandoc's citeproc on real Zotero / Better BibTeX exports.

    python3 bench/citations/run.py --gloss BIN --libs bench/citations/libraries.txt \\
        --repos DIR --csl-dir DIR [--styles apa chicago-author-date ieee ...] \\
        [--max-entries 150] [--only NAME] [--work DIR] [--json OUT] [--show KIND]
    python3 bench/citations/run.py --report OUT.json [--show KIND] [--examples N]

For each library (a line of --libs, read at its commit from a clone under --repos) and each
style: a fresh site (`gloss init`, example notes removed) imports a sample of the export with
`gloss import`; one theme note cites every imported entry in varied forms (document.py);
`citation_style:` names the style (APA: gloss's own formatter; the others: the `.csl` file);
`gloss build` makes the page, and its reference list and citations are read back. pandoc
(`--citeproc --csl STYLE.csl`) formats the same Markdown (a) from the original export (import
and formatting compared) and (b) from the references.json gloss exported (formatting alone).
Every reference and citation is compared and each difference sorted into kinds (classify.py).
Uses Python 3.11's standard library and a pandoc binary (--pandoc, else PATH, else the one of
the PyPI package pypandoc-binary).
"""

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import audit  # noqa: E402
import compare  # noqa: E402
import libraries  # noqa: E402
import pipeline  # noqa: E402
import report  # noqa: E402

STYLES = ["apa", "chicago-author-date", "ieee", "modern-language-association", "nature"]


def find_pandoc(given):
    if given:
        return given
    found = shutil.which("pandoc")
    if found:
        return found
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except Exception:
        raise SystemExit("no pandoc: pass --pandoc, or pip install pypandoc-binary")


def run_library(lib, args):
    r = pipeline.LibraryRun(lib, args, args.work)
    t0 = time.time()
    r.prepare()
    types, fields = {}, {}
    for e in r.chosen:
        t = f"{e.kind} > {r.gloss_types.get(e.key, '')}"
        f = libraries.entry_fields(e)
        for k in (e.key, r.keymap.get(e.key, e.key)):
            types[k], fields[k] = t, f
    out = {
        "library": f"{lib.repo}@{lib.commit}", "path": lib.path, "note": lib.note,
        "format": lib.ext, "entries": r.total, "duplicate_keys": r.duplicates,
        "sampled": len(r.chosen), "imported": len(r.keymap), "not_imported": r.not_imported,
        "rejected_at_build": r.rejected, "cited": len(r.keys), "citation_lines": len(r.lines),
        "inventory": r.inventory, "notes": r.notes,
        "import": {"exit": r.import_exit, "diagnostics": r.import_diagnostics},
        "full_import": r.full_import, "check_errors": r.check_errors,
        "keymap": r.keymap, "types": types, "fields": fields, "styles": {},
    }
    to_gloss = dict(r.keymap)
    for style in args.styles:
        res = r.style(style)
        entry = {"errors": res["errors"]}
        ctx = {"style": style, "types": types, "fields": fields}
        g = res["gloss"]
        for label, mapping in (("a", to_gloss), ("b", {})):
            pd = res[label]
            if g is None or pd is None:
                entry[label] = None
                continue
            refs = compare.references(g[0], pd[0], mapping, ctx)
            cites = compare.citations(g[1], pd[1], r.md_gloss, ctx)
            entry[label] = {"refs": refs, "cites": cites}
            if style == "apa":
                compare.mark_letter_departures(entry[label])
        # (a) against (b), both pandoc: what the trip through gloss's import and export lost
        if res["a"] is not None and res["b"] is not None:
            refs = compare.references(res["b"][0], res["a"][0], to_gloss, ctx)
            entry["ab"] = {"refs": refs}
        if g is not None:
            entry["year_letters"] = compare.year_letters(g[0], g[1], r.md_gloss)
        out["styles"][style] = entry
        print(f"  {style}: " + report.one_line(entry), flush=True)
    out["audit"] = audit.run(r, pipeline.run, pipeline.fresh_site, args)
    out["seconds"] = round(time.time() - t0, 1)
    return out


def reclassify(results):
    """Sorts the stored differences again with the current rules (classify.py)."""
    for lib in results["libraries"]:
        for style, entry in lib["styles"].items():
            for label in ("a", "b", "ab"):
                for what, recs in (entry.get(label) or {}).items():
                    for rec in recs:
                        if rec["status"] in ("text", "markup"):
                            key = rec.get("key")
                            ctx = {"style": style, "what": rec["what"],
                                   "type": lib.get("types", {}).get(key, rec.get("type", "")),
                                   "fields": (lib.get("fields", {}).get(key, {})
                                              if rec["what"] == "ref" else compare.cite_fields(
                                                  rec.get("line", ""), lib.get("fields", {}))),
                                   "line": rec.get("line", "")}
                            rec["kinds"] = compare.classify(rec["gloss"], rec["pandoc"], ctx)
            for label in ("a", "b"):
                if style == "apa" and entry.get(label):
                    compare.mark_letter_departures(entry[label])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gloss", help="the gloss binary")
    ap.add_argument("--libs", default=str(Path(__file__).with_name("libraries.txt")))
    ap.add_argument("--repos", help="the folder holding the clones of the libraries")
    ap.add_argument("--csl-dir", help="the folder holding STYLE.csl for each style")
    ap.add_argument("--styles", nargs="+", default=STYLES)
    ap.add_argument("--pandoc")
    ap.add_argument("--max-entries", type=int, default=150,
                    help="entries sampled from each export (evenly spread, plus works of one "
                         "author and year, plus crossref parents)")
    ap.add_argument("--only", nargs="+", help="only the libraries whose name contains these")
    ap.add_argument("--files", nargs="+", help="exports given as files instead of --libs "
                    "(fixtures; no --repos needed)")
    ap.add_argument("--work", default="/tmp/gloss-citations", help="scratch folder")
    ap.add_argument("--json", help="write every record here")
    ap.add_argument("--report", help="print the report of an earlier --json, run nothing")
    ap.add_argument("--show", nargs="+", help="print examples of these kinds (substring match)")
    ap.add_argument("--examples", type=int, default=5)
    args = ap.parse_args()

    if args.report:
        results = json.loads(Path(args.report).read_text(encoding="utf-8"))
        reclassify(results)
    else:
        for need in ("gloss", "repos", "csl_dir"):
            if not getattr(args, need) and not (need == "repos" and args.files):
                ap.error(f"--{need.replace('_', '-')} is needed (or --report)")
        args.pandoc = find_pandoc(args.pandoc)
        args.gloss = str(Path(args.gloss).resolve())
        Path(args.work).mkdir(parents=True, exist_ok=True)
        libs = libraries.local(args.files) if args.files else libraries.read_list(args.libs)
        if args.only:
            libs = [l for l in libs if any(o in l.repo for o in args.only)]
        results = {"pandoc": pipeline.run([args.pandoc, "--version"])[1].splitlines()[0],
                   "gloss": pipeline.run([args.gloss, "--version"])[1].strip(),
                   "styles": args.styles, "max_entries": args.max_entries, "libraries": []}
        for lib in libs:
            print(f"{lib.repo} ({lib.path})", flush=True)
            results["libraries"].append(run_library(lib, args))
        if args.json:
            Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1),
                                       encoding="utf-8")
    report.print_report(results)
    if args.show:
        report.show(results, args.show, args.examples)


if __name__ == "__main__":
    main()
