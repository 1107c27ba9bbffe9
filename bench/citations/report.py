"""What the harness prints: match rates per style, per library and per kind of difference,
the import's warnings by kind, and examples of a kind side by side."""

import collections
import re

from compare import tally

DEPARTURE = "APA departure"


def _pct(same, total):
    return f"{same}/{total} ({100 * same / total:.1f}%)" if total else "-"


def _acceptable(rec):
    """Identical, or differing only by documented departures from pandoc (APA)."""
    return rec["status"] == "same" or (
        bool(rec["kinds"]) and all(k.startswith(DEPARTURE) for k in rec["kinds"]))


def one_line(entry):
    parts = []
    for label in ("a", "b"):
        e = entry.get(label)
        if not e:
            parts.append(f"{label}: failed {entry['errors'].get('gloss') or entry['errors'].get(label)}")
            continue
        parts.append(f"{label}: refs {_pct(*tally(e['refs']))} cites {_pct(*tally(e['cites']))}")
    return " | ".join(parts)


def _sum(results, style, label, what):
    same = acc = total = misplaced = 0
    for lib in results["libraries"]:
        e = lib["styles"].get(style, {}).get(label)
        if not e or what not in e:
            continue
        recs = [r for r in e[what] if r["status"] not in ("skipped", "extra")]
        same += sum(r["status"] == "same" for r in recs)
        acc += sum(_acceptable(r) for r in recs)
        total += len(recs)
        misplaced += sum(not r.get("order", True) for r in recs)
    return same, acc, total, misplaced


def warning_kinds(message):
    """The kinds a `gloss import` warning names: one per field it did not import, else the
    message with its particulars taken out."""
    msg = re.sub(r"^item \d+ \([^)]*\): ", "", message)
    msg = re.sub(r"^[^:\s]+: ", "", msg, count=1) if not msg.startswith("item") else msg
    m = re.match(r"not imported: (.*)", msg)
    if m and not m[1].startswith("it "):
        fields = re.findall(r"(?:^|; )([\w -]+?)(?: \(|;|$)", m[1])
        return [f"not imported: {f.strip()}" for f in fields if f.strip()]
    msg = re.sub(r"`[^`]*`", "`…`", msg)
    msg = re.sub(r"\([^)]*\)", "(…)", msg)
    msg = re.sub(r"\[@[^\]]*\]", "[@…]", msg)
    msg = re.sub(r"content/sources/\S+", "content/sources/…", msg)
    msg = re.sub(r"\d+", "N", msg)
    return [msg[:90]]


def print_report(results):
    libs = results["libraries"]
    styles = results["styles"]
    print(f"\n{results['gloss']} against {results['pandoc']} --citeproc "
          f"(at most {results['max_entries']} entries a library)\n")
    print("Libraries")
    for lib in libs:
        print(f"  {lib['library'][:60]:60} {lib['format']:4} {lib['entries']:5} entries, "
              f"{lib['sampled']} sampled, {lib['imported']} imported, {lib['cited']} cited, "
              f"{lib['citation_lines']} citations")
    total = sum(l["cited"] for l in libs)
    print(f"  {len(libs)} libraries, {total} entries cited\n")

    print("Per style: identical to pandoc (a: from the original export, b: from gloss's "
          "references.json); APA also with the documented departures counted as right")
    print(f"  {'style':30} {'refs (a)':22} {'refs (b)':22} {'citations (a)':22} {'citations (b)':22}"
          " misplaced (a)  letters≠own entry")
    for s in styles:
        cells, misplaced = [], 0
        for what in ("refs", "cites"):
            for label in ("a", "b"):
                same, acc, tot, mis = _sum(results, s, label, what)
                cell = _pct(same, tot)
                if s == "apa" and acc != same:
                    cell += f" [{100 * acc / tot:.1f}%]"
                cells.append(cell)
                if what == "refs" and label == "a":
                    misplaced = mis
        letters = sum(len(l["styles"].get(s, {}).get("year_letters") or [])
                      for l in results["libraries"])
        print(f"  {s:30} " + " ".join(f"{c:22}" for c in cells) + f" {misplaced:13} {letters}")

    print("\nPer library and style: references (a) / citations (a), % identical")
    print("  " + " " * 44 + "".join(f"{s[:14]:>16}" for s in styles))
    for lib in libs:
        row = []
        for s in styles:
            e = lib["styles"].get(s, {}).get("a")
            if not e:
                row.append("failed")
                continue
            rs, rt = tally(e["refs"])
            cs, ct = tally(e["cites"])
            row.append(f"{100 * rs / max(rt, 1):.0f}/{100 * cs / max(ct, 1):.0f}")
        print(f"  {lib['library'].split('@')[0][:44]:44}" + "".join(f"{c:>16}" for c in row))

    for label, title in (("a", "gloss against pandoc on the original export (a)"),
                         ("b", "gloss against pandoc on gloss's references.json (b)"),
                         ("ab", "pandoc on gloss's references.json against pandoc on the "
                                "original (what import and export lose)")):
        counts = collections.Counter()
        by_style = collections.defaultdict(collections.Counter)
        for lib in libs:
            for s, entry in lib["styles"].items():
                e = entry.get(label)
                if not e:
                    continue
                for what in ("refs", "cites"):
                    for rec in e.get(what, []):
                        for k in rec["kinds"]:
                            counts[(what, k)] += 1
                            by_style[(what, k)][s] += 1
        if not counts:
            continue
        print(f"\nKinds of difference: {title}")
        print(f"  {'kind':58} {'what':5} {'count':>6}  by style")
        for (what, k), n in sorted(counts.items(), key=lambda x: (-x[1], x[0])):
            per = ", ".join(f"{s.split('-')[0][:7]} {c}" for s, c in by_style[(what, k)].most_common())
            print(f"  {k[:58]:58} {what:5} {n:6}  {per}")

    print("\nImport audit (each whole export imported, every note held to its entry), by kind")
    kinds = collections.Counter()
    where = collections.defaultdict(collections.Counter)
    for lib in libs:
        for kind, _, _ in (lib.get("audit") or {}).get("findings", []):
            k = re.sub(r"\(because of .*\)", "(because of …)", kind)
            k = re.sub(r"LaTeX left raw \(.*\)", "LaTeX left raw", k)
            kinds[k] += 1
            where[k][lib["library"].split("@")[0].split("/")[0]] += 1
    for k, n in kinds.most_common():
        per = ", ".join(f"{name[:14]} {c}" for name, c in where[k].most_common(4))
        print(f"  {n:6}  {k:48} {per}")

    print("\nImport warnings (`gloss import --dry-run` of each whole export), by kind")
    kinds = collections.Counter()
    for lib in libs:
        for _, _, level, msg in lib["full_import"]["diagnostics"]:
            for k in warning_kinds(msg):
                kinds[(level, k)] += 1
    for (level, k), n in kinds.most_common():
        print(f"  {n:6}  {level:7} {k}")
    for lib in libs:
        e = lib["full_import"]
        n_w = sum(d[2] == "warning" for d in e["diagnostics"])
        n_e = sum(d[2] == "error" for d in e["diagnostics"])
        print(f"  {lib['library'].split('@')[0][:44]:44} exit {e['exit']}: {n_e} errors, "
              f"{n_w} warnings for {lib['entries']} entries")


def show(results, wanted, n):
    """Examples of each kind whose name contains one of `wanted`, spread over libraries."""
    for want in wanted:
        seen = collections.defaultdict(list)
        for lib in results["libraries"]:
            name = lib["library"].split("@")[0]
            for s, entry in lib["styles"].items():
                for label in ("a", "b", "ab"):
                    e = entry.get(label)
                    if not e:
                        continue
                    for what in ("refs", "cites"):
                        for rec in e.get(what, []):
                            for k in rec["kinds"]:
                                if want.lower() in k.lower():
                                    seen[k].append((name, s, label, rec))
        for k, items in sorted(seen.items(), key=lambda x: -len(x[1])):
            print(f"\n== {k} ({len(items)})")
            by_lib = collections.defaultdict(list)
            for item in items:
                by_lib[item[0]].append(item)
            picked, i = [], 0
            while len(picked) < n and any(by_lib.values()):
                for name in list(by_lib):
                    if by_lib[name] and len(picked) < n:
                        picked.append(by_lib[name].pop(0))
            for name, s, label, rec in picked:
                where = rec.get("line") or rec.get("key")
                print(f"  [{name} · {s} · {label} · {rec['what']}] {where}  {rec['kinds']}")
                print(f"    gloss : {rec['gloss']}")
                print(f"    pandoc: {rec['pandoc']}")
