"""The note that cites every entry of a library in varied forms, written once as citation
lines with key placeholders and then spelt for gloss (its own keys) and for pandoc (the
export's keys, or gloss's keys when pandoc reads gloss's references.json).

Each line becomes its own paragraph, `C<n>: <line>`, so that both outputs can be read back
paragraph by paragraph.
"""

import re

# Locators of every label CSL knows, as a writer abbreviates them (and a few spelt out).
LOCATORS = [
    "p. 5", "pp. 12-15", "chap. 3", "sec. 2.1", "fig. 4", "vol. 2", "no. 7", "n. 14",
    "para. 3", "l. 12", "fol. 3", "bk. 2", "col. 4", "art. 5", "op. 9", "v. 16", "pt. 2",
    "§ 4", "p. xiv", "pp. 101-9", "page 8", "chapter 6", "figure 2", "ch. 2", "ll. 3-5",
    "vols. 1-2", "s.v. grammar", "app. 1", "tbl. 2", "sc. 3",
]


def lines_for(keys, same_year_groups):
    """Citation lines over `keys` (placeholders `{0}`, `{1}`, … index into keys)."""
    n = len(keys)
    out = []
    if not n:
        return out

    def k(i):
        return "{%d}" % (i % n)

    def forms(i):
        return [
            f"[see @{k(i)}, p. 5, emphasis added]",
            f"[-@{k(i)}]",
            f"@{k(i)} [p. 3]",
            f"@{k(i)}",
            f"[cf. @{k(i)}, chap. 2; @{k(i + 1)}]",
            f"[@{k(i)}, pp. 33-35, my translation]",
            f"[-@{k(i)}, fig. 2]",
            f"[e.g., @{k(i)}; see also @{k(i + 1)}, p. 4]",
        ]

    used = set()
    for i in range(n):
        # A: plain, or with a locator (labels in turn)
        if i % 4 == 0:
            out.append(f"[@{k(i)}]")
        else:
            j = (i * 3 // 4) % len(LOCATORS)
            used.add(j)
            out.append(f"[@{k(i)}, {LOCATORS[j]}]")
        # B: one of eight other forms, in turn
        out.append(forms(i)[i % 8])
        # C: a cluster of three works, every fifth entry
        if i % 5 == 0 and n >= 3:
            out.append(f"[@{k(i)}; @{k(i + 1)}; @{k(i + 2)}]")
    # D: works of one first author and one year (year letters), together and apart
    index = {key: i for i, key in enumerate(keys)}
    for group in same_year_groups:
        idx = [index[g] for g in group if g in index]
        if len(idx) < 2:
            continue
        out.append("[" + "; ".join(f"@{{{i}}}" for i in idx) + "]")
        out.append(f"@{{{idx[-1]}}} [p. 2]")
        out.append(f"[-@{{{idx[0]}}}, p. 9]")
    # F: a small library still gets every locator label and every form, on its works in turn
    for j in sorted(set(range(len(LOCATORS))) - used):
        out.append(f"[@{k(j)}, {LOCATORS[j]}]")
    for f in range(n, 8):
        out.append(forms(f)[f])
    # E: the first work again (a subsequent citation)
    out.append(f"[@{k(0)}]")
    return out


_SIMPLE = re.compile(r"^\w+(?:[:.#$%&\-+?<>~/]\w+)*$")


def pandoc_key(key):
    """A key as pandoc reads it: bare when its grammar allows (punctuation only single and
    inside), else in braces (`@{key}`)."""
    return key if _SIMPLE.match(key) else "{" + key + "}"


def spell(lines, keys):
    """The lines with their placeholders replaced by `keys` (already spelt for the reader)."""
    return [re.sub(r"\{(\d+)\}", lambda m: keys[int(m[1])], line) for line in lines]


def markdown(lines, title=None):
    head = f"---\ntitle: \"{title}\"\n---\n\n" if title else ""
    return head + "".join(f"C{n}: {line}\n\n" for n, line in enumerate(lines, 1))
