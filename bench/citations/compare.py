"""gloss's output held to pandoc's: each reference and each citation compared after
normalise.py, and every difference sorted into kinds by rules on the words that differ
(classify.py)."""

import difflib
import re

from classify import classify
from normalise import markup, plain, strip_label


def _lcs_keys(a, b):
    """The keys of `b` that are not in a longest common subsequence of `a` and `b`."""
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    kept = set()
    for block in sm.get_matching_blocks():
        kept.update(b[block.b:block.b + block.size])
    return [k for k in b if k not in kept]


def references(gloss, pandoc, to_gloss, ctx):
    """Records for each entry of pandoc's list (and each gloss shows that pandoc does not).
    `to_gloss` maps pandoc's key to gloss's; `ctx` carries the style and the entries' types."""
    numeric = any(label for _, label, _ in pandoc)
    ours = {k: h for k, _, h in gloss}
    recs = []
    for key, _, inner in pandoc:
        gk = to_gloss.get(key, key)
        p = markup(inner)
        rec = {"what": "ref", "key": key, "gloss_key": gk, "pandoc": p,
               "type": ctx["types"].get(key, "")}
        if gk not in ours:
            rec.update(status="missing", gloss=None, kinds=["entry missing in gloss"])
        else:
            g = markup(ours[gk])
            if numeric:
                g = strip_label(g)
            rec["gloss"] = g
            if g == p:
                rec.update(status="same", kinds=[])
            else:
                rec["status"] = "markup" if plain(g) == plain(p) else "text"
                rec["kinds"] = classify(g, p, dict(ctx, what="ref", type=rec["type"],
                                                   fields=ctx["fields"].get(key, {})))
        recs.append(rec)
    theirs = {to_gloss.get(k, k) for k, _, _ in pandoc}
    for gk, _, inner in gloss:
        if gk not in theirs:
            recs.append({"what": "ref", "key": gk, "gloss_key": gk, "gloss": markup(inner),
                         "pandoc": None, "status": "extra", "kinds": ["entry only in gloss"],
                         "type": ""})
    order_a = [to_gloss.get(k, k) for k, _, _ in pandoc]
    order_b = [gk for gk, _, _ in gloss if gk in set(order_a)]
    misplaced = set(_lcs_keys(order_a, order_b))
    for rec in recs:
        rec["order"] = rec["gloss_key"] not in misplaced
    return recs


def cite_fields(line, fields):
    """The fields of the works a citation line cites, the first work's first."""
    out = {}
    for key in re.findall(r"@\{?([^\s,;\]}]+)", line):
        for name, value in fields.get(key, {}).items():
            out.setdefault(name, value)
    return out


def citations(gloss, pandoc, lines, ctx):
    """Records for each citation paragraph (`lines` are the Markdown citations, numbered from
    1 as the paragraphs are)."""
    recs = []
    for n, line in enumerate(lines, 1):
        p = " | ".join(markup(x) for x in pandoc.get(n, []))
        g = " | ".join(markup(x) for x in gloss.get(n, []))
        rec = {"what": "cite", "n": n, "line": line, "gloss": g, "pandoc": p}
        if n not in pandoc:
            rec.update(status="skipped", kinds=["pandoc printed no paragraph"])
        elif g == p:
            rec.update(status="same", kinds=[])
        elif not p:
            rec.update(status="text", kinds=["pandoc prints nothing (suppressed author)"])
        elif not g:
            rec.update(status="missing", kinds=["citation missing in gloss"])
        elif g == p:
            rec.update(status="same", kinds=[])
        else:
            rec["status"] = "markup" if plain(g) == plain(p) else "text"
            fields = cite_fields(line, ctx["fields"])
            rec["kinds"] = classify(g, p, dict(ctx, what="cite", line=line, fields=fields))
        recs.append(rec)
    return recs


def tally(recs):
    """(same, total) over the records that pandoc has an output for."""
    counted = [r for r in recs if r["status"] not in ("skipped", "extra")]
    return sum(r["status"] == "same" for r in counted), len(counted)


_YEAR_LETTER = re.compile(r"\b((?:1[5-9]|20)\d\d|n\.d\.)([a-z]?)\b")


def year_letters(refs, cites, lines):
    """gloss against itself: citations of one work whose year letter is not the one its
    entry in the same page's reference list carries. Returns [(line, cited, listed)]."""
    listed = {}
    for key, _, inner in refs:
        m = _YEAR_LETTER.search(plain(markup(inner)))
        if m:
            listed[key] = m[0]
    wrong = []
    for n, line in enumerate(lines, 1):
        keys = re.findall(r"@\{?([^\s,;\]}]+)", line)
        if len(keys) != 1 or keys[0] not in listed or not cites.get(n):
            continue
        text = plain(markup(cites[n][0]))
        m = _YEAR_LETTER.search(text)
        if m and m[0] != listed[keys[0]] and m[1] == _YEAR_LETTER.search(listed[keys[0]])[1]:
            wrong.append((line, m[0], listed[keys[0]]))
    return wrong


LETTER_DEPARTURE = "APA departure: letters by title without A, An, The (§9.47)"
_LETTERED = re.compile(r"^(.*?)\((\d{4}|n\.d\.-?)([a-z])[,)]\S*\s+(.*)$")
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.I)


def _sort_title(t):
    return re.sub(r"[^\w]", "", t).casefold()


def letter_departures(refs):
    """gloss's keys whose year letter differs from pandoc's because gloss orders one author's
    works of a year by their titles without an initial A, An or The (the Manual, §9.47) and
    pandoc with it: the groups (same names, same year) whose two orders differ."""
    groups = {}
    for rec in refs:
        if not rec.get("gloss") or not rec.get("pandoc"):
            continue
        m = _LETTERED.match(plain(rec["gloss"]))
        if m:
            groups.setdefault((m[1], m[2]), []).append((rec, m[4]))
    keys = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        manual = sorted(members, key=lambda x: _sort_title(_ARTICLE.sub("", x[1])))
        counted = sorted(members, key=lambda x: _sort_title(x[1]))
        if [r["gloss_key"] for r, _ in manual] != [r["gloss_key"] for r, _ in counted]:
            keys.update(r["gloss_key"] for r, _ in members)
    return keys


def mark_letter_departures(entry):
    """Renames the year-letter differences of an APA comparison that letter_departures
    explains (refs and the citations that cite such a work)."""
    keys = letter_departures(entry.get("refs", []))
    if not keys:
        return
    def rename(rec):
        rec["kinds"] = [LETTER_DEPARTURE if k == "year letter" else k for k in rec["kinds"]]
    for rec in entry.get("refs", []):
        if rec.get("gloss_key") in keys and "year letter" in rec.get("kinds", []):
            rename(rec)
    for rec in entry.get("cites", []):
        cited = set(re.findall(r"@\{?([^\s,;\]}]+)", rec.get("line", "")))
        if cited & keys and "year letter" in rec.get("kinds", []):
            rename(rec)
