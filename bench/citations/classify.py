"""The kinds of difference: rules on the words where gloss's text and pandoc's part.

The two texts are cut into words (letters, digits) and punctuation and aligned without regard
to case; every stretch that differs (a difflib opcode) gets the first kind whose rule matches,
looking at a few of pandoc's words around it, the entry's type and its fields; aligned words
that differ only in case are "capitalisation". A record's kinds are the set over its stretches.
Kinds that start with `APA departure` are the README's documented departures from pandoc.
"""

import difflib
import re
import unicodedata

from normalise import plain

TOKEN = re.compile(r"\d+|[^\W\d_]+|[^\w\s]", re.U)
YEAR = re.compile(r"^(1[5-9]|20)\d\d$")
LOCATOR_WORDS = {
    "p", "pp", "page", "pages", "chap", "chapter", "chapters", "ch", "c", "sec", "section",
    "sections", "fig", "figure", "figures", "vol", "vols", "volume", "volumes", "no", "nos",
    "number", "numbers", "issue", "issues", "n", "nn", "note", "notes", "para", "paragraph",
    "paragraphs", "l", "ll", "line", "lines", "fol", "fols", "folio", "folios", "bk", "bks",
    "book", "books", "col", "cols", "column", "columns", "art", "article", "articles", "op",
    "opp", "opus", "opera", "v", "vv", "verse", "verses", "pt", "pts", "part", "parts", "§",
    "s", "sv", "sub", "verbo", "app", "appendix", "tbl", "table", "sc", "scene", "ed", "¶",
}
PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "des", "le",
             "la", "dos", "das", "do", "ten", "ter", "zu", "vom", "al", "el", "ibn", "bin", "d"}
EDITION = {"ed", "eds", "edition", "edited", "editor", "editors", "trans", "translated",
           "translator", "vol", "vols", "volume", "volumes", "rev", "revised", "auflage", "éd",
           "édition", "edición", "with"}
THESIS = {"dissertation", "thesis", "doctoral", "master", "masters", "phd", "diss"}
MONTHS = {"jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun",
          "june", "jul", "july", "aug", "august", "sep", "sept", "september", "oct", "october",
          "nov", "november", "dec", "december"}
QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "„": '"',
                        "‹": "'", "›": "'", "′": "'"})
DASHES = {"-", "–", "—", "‐", "‑"}
# Types gloss has no kind for, or maps onto a kind that formats differently (README's table).
LOSSY = {"legal_case", "legislation", "bill", "treaty", "regulation", "hearing", "patent",
         "interview", "speech", "motion_picture", "broadcast", "song", "map", "graphic",
         "personal_communication", "letter", "post-weblog", "post", "entry-encyclopedia",
         "entry-dictionary", "manuscript", "jurisdiction", "legal", "audio", "video",
         "music", "artwork", "image", "movie", "periodical"}


LOSSY_PAIRS = {"misc > preprint", "misc > web", "online > preprint", "misc > other",
               "unpublished > other", "report > preprint", "article > preprint"}
ARCHIVE_FIELDS = {"archive", "archive_location", "library", "archiveprefix"}
SHORT_CONTAINER = {"journalabbreviation", "container-title-short", "shortjournal",
                   "journal-abbreviation"}


def fold(s):
    """Case-folded, with the dot of a lower-cased Turkish İ taken off."""
    return unicodedata.normalize("NFC", s).casefold().replace("i\u0307", "i")


def _markup_kind(g, p):
    name = {"i": "italics", "b": "bold", "sup": "superscript", "sc": "small capitals"}
    if "<sup>" in p and re.search(r"<sup>[^<]*[^\W\d_][^<]*</sup>", p) and not re.search(
            r"<sup>[^<]*[^\W\d_][^<]*</sup>", g):
        return "prefix/suffix outside the superscript number (gloss)"
    if re.search(r"[,.;:]</b>", g) and not re.search(r"[,.;:]</b>", p):
        return "markup: punctuation inside bold (gloss)"
    tags = [t for t in name if g.count(f"<{t}>") != p.count(f"<{t}>")]
    if not tags:
        tags = [t for t in name if f"<{t}>" in g + p]
    if "i" in tags and re.search(r"<i>[^<]*<i>", p):
        return "markup: nested italics in pandoc, roman in gloss"
    if not tags:
        return "markup: other"
    return "markup: " + " and ".join(name[t] for t in tags[:2])


def _field(words, fields):
    """The field whose value holds every one of `words` (the shortest such value)."""
    words = [fold(w) for w in words if re.match(r"\w", w)]
    if not words:
        return None
    best = None
    for name, value in fields.items():
        vw = {fold(w) for w in TOKEN.findall(value)}
        if all(w in vw for w in words) and (best is None or len(value) < len(fields[best])):
            best = name
    return best


def _chunk(gs, ps, before, after, ctx):
    """The kind of one differing stretch: gloss's words `gs`, pandoc's `ps`, pandoc's words
    just before and after it."""
    both = gs + " " + ps
    wg, wp = {fold(w) for w in gs.split()}, {fold(w) for w in ps.split()}
    near = {fold(w) for w in before[-6:] + after[:3]}
    cite, apa = ctx["what"] == "cite", ctx["style"] == "apa"
    kind = ctx.get("type", "").split(" > ")[0]
    if {"retrieved", "accessed", "retrieval"} & (wg | wp | near):
        if "retrieved" in wg and "retrieved" not in wp:
            return "retrieved/accessed date: gloss adds"
        if apa and ps == "Retrieved" and not gs:
            return "APA departure: 'Retrieved' with no access date (§9.16)"
        if ("retrieved" in wp or "accessed" in wp) and not ({"retrieved", "accessed"} & wg):
            return "retrieved/accessed date: gloss omits"
        return "retrieved/accessed date: worded otherwise"
    if {"online", "available"} & (wg | wp):
        return "[Online]. Available: (IEEE)"
    fields = ctx.get("fields") or {}
    if apa and not cite and ps and not gs and _field(ps.split(), fields) in ARCHIVE_FIELDS:
        return "APA departure: database or catalogue not given (§9.30)"
    if (apa and not cite and ctx.get("zone") == "names" and re.fullmatch(r"[^\W\d_]", gs)
            and len(ps) > 1 and fold(ps[:1]) == fold(gs) and after[:1] == ["."]):
        return "APA departure: a given name ending in a period as an initial (§9.8)"
    if (re.fullmatch(r"[a-z]{0,2}", gs) and re.fullmatch(r"[a-z]{0,2}", ps) and before
            and (YEAR.match(before[-1]) or before[-1] in ("d", ".")) and gs + ps):
        return "year letter"
    if ("et" in wg and "al" in wg) != ("et" in wp and "al" in wp):
        if apa and cite and "et" in wp and {"&", "and"} & wg:
            return "APA departure: et al. never for one name (§8.18)"
        return "et al. / names listed"
    if {gs, ps} == {"&", "and"}:
        return ("APA departure: 'and' in running text (§8.17)" if apa and cite
                else "'&' or 'and' between names")
    if re.search(r"https?|www|\bdoi\b", both, re.I) or "/" in both:
        return "em dash in url" if "—" in gs else "url/doi"
    if "\\" in gs or "{" in gs or "}" in gs:
        return "LaTeX left raw in gloss"
    if "\\" in ps or "{" in ps or "}" in ps:
        return "LaTeX left raw in pandoc"
    if not cite and (kind in LOSSY or ctx.get("type") in LOSSY_PAIRS):
        return f"type mapping: {ctx.get('type')}"
    words = {w for w in wg | wp if not re.fullmatch(r"\d+|[ivxlc]+|[.,:;–-]", w)}
    if cite and words and words <= LOCATOR_WORDS:
        if not gs:
            return "locator dropped by gloss"
        if not ps:
            return "locator printed by gloss, not by pandoc"
        return "locator label"
    short = [v for k, v in (ctx.get("fields") or {}).items() if k.lower() in SHORT_CONTAINER]
    words_of = lambda t: fold(" ".join(w for w in TOKEN.findall(t) if re.match(r"\w", w)))
    if ps and any(words_of(ps) == words_of(v) for v in short):
        return "journal abbreviation (the style prints the short form)"
    if "—" in gs + ps and re.fullmatch(r"[—\s.,and]*", gs + ps):
        return "repeated author (———)"
    if gs.translate(QUOTES) == ps.translate(QUOTES):
        return "typographic quotes"
    if set(gs.split()) <= DASHES and set(ps.split()) <= DASHES:
        return "dashes"
    if re.fullmatch(r"[\d\s–-]+", both) and ({"–", "-"} & set(before[-2:] + after[:1])):
        return "page range"
    if (wg | wp) & PARTICLES:
        return "particle"
    if not cite and ctx["zone"] == "names" and ctx["style"] in ("apa", "chicago-author-date"):
        if re.search(r"(\b\w \. ){3,}", gs + " "):
            return "names: a given name spelt letter by letter"
        return "names"
    if (wg | wp) & THESIS or kind in ("phdthesis", "mastersthesis", "thesis"):
        return "thesis"
    if (wg | wp) & EDITION:
        return "edition/volume/editor group"
    if {"no", "nos"} & (wg | wp):
        return "report or series number"
    if "article" in wp and "article" not in wg:
        return "article number (APA 'Article N')"
    if "preprint" in wg | wp or "arxiv" in wg | wp:
        return "preprint/e-print"
    if (wg | wp) & MONTHS or all(YEAR.match(w) or w in ",–-" for w in (gs + " " + ps).split()):
        return "date"
    if "[" in both or "]" in both:
        return "locator outside the brackets (not read as a locator)" if cite else \
            "bracketed description"
    if not re.search(r"\w", both):
        return "punctuation"
    if not gs or not ps:
        words = (gs or ps).split()
        name = _field(words, ctx.get("fields") or {}) if any(
            re.match(r"[^\W\d_]", w) for w in words) else None
        side = "gloss omits" if not gs else "gloss adds"
        if cite and name in ("title", "title-short", "shorttitle"):
            return f"disambiguation: title ({side})"
        if cite and name in ("author", "editor"):
            return f"disambiguation: names ({side})"
        return f"{side} field {name}" if name else f"{side} text"
    return "other"


def _zone(p_tokens, j):
    """Where pandoc's word `j` stands: among the names (before the first year) or after."""
    for i, t in enumerate(p_tokens):
        if YEAR.match(t) or (t == "n" and p_tokens[i + 1:i + 2] == ["."]):
            return "names" if j < i else "body"
    return "body"


def _cluster_order(g, p):
    """Whether two citations cite the same works (names, year and locator) in another order,
    one author's years given together (`Matos, 2017a, 2017b`) or apart."""
    prefix = re.compile(r"^(cf\.|see also|see|e\.g\.,?)\s*")
    year = re.compile(r"^((?:1[5-9]|20)\d\d[a-z]?|n\.d\.(?:-[a-z])?|in press(?:-[a-z])?)\b")

    def parts(s):
        out = []
        for x in re.split(r"[;|]", s):
            x = prefix.sub("", x.strip(" ()[]"))
            pieces = [y.strip() for y in x.split(",")]
            names = []
            while pieces and not year.match(pieces[0]):
                names.append(pieces.pop(0))
            rest = []
            for piece in pieces:
                if year.match(piece):
                    rest.append([piece])
                elif rest:
                    rest[-1].append(piece)
            out.extend((", ".join(names), ", ".join(r)) for r in rest or [[]])
        return sorted(out)
    return parts(g) == parts(p) and g != p


def classify(g, p, ctx):
    """The kinds of difference between gloss's `g` and pandoc's `p` (normalised markup)."""
    gp, pp = plain(g), plain(p)
    if gp == pp:
        return [_markup_kind(g, p)]
    bare = lambda s: re.sub(r"[\[\]()\s,]", "", s)
    marks = lambda s: re.sub(r"[^\[\]()]", "", s)
    if ctx["what"] == "cite" and bare(gp) == bare(pp) and marks(gp) != marks(pp):
        return ["locator outside the brackets (not read as a locator)"]
    unquote = lambda s: re.sub(r"[“”‘’\"',.]", "", fold(s))
    if unquote(gp) == unquote(pp) and g.count("<i>") != p.count("<i>"):
        return ["title: in quotes or in italics"]
    if ctx["what"] == "cite" and _cluster_order(gp, pp):
        if ctx["style"] == "apa":
            return ["APA departure: order inside parentheses (§8.12)"]
        return ["cluster order"]
    gt, pt = TOKEN.findall(gp), TOKEN.findall(pp)
    sm = difflib.SequenceMatcher(None, [fold(t) for t in gt], [fold(t) for t in pt],
                                 autojunk=False)
    kinds = []

    def add(k):
        if k not in kinds:
            kinds.append(k)

    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            for a, b in zip(gt[i1:i2], pt[j1:j2]):
                if a != b and ctx["what"] == "cite" and fold(a) in LOCATOR_WORDS:
                    add("locator label")
                elif a != b:
                    add("capitalisation: pandoc has lower case" if a[:1].isupper()
                        and not b[:1].isupper() else "capitalisation: pandoc has capitals")
            continue
        gs, ps = " ".join(gt[i1:i2]), " ".join(pt[j1:j2])
        before, after = pt[max(0, j1 - 8):j1], pt[j2:j2 + 4]
        add(_chunk(gs, ps, before, after, dict(ctx, zone=_zone(pt, j1))))
    return kinds
