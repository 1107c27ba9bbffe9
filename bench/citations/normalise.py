"""What is compared: an entry's or a citation's HTML reduced to its text and the markup that
carries meaning, the same way for gloss's page and for pandoc's fragment."""

import html
import re

_KEEP = {"i": "i", "em": "i", "b": "b", "strong": "b", "sup": "sup", "sub": "sub"}
_TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)([^>]*)>")
_SPACE = re.compile(r"[\s\u00a0\u202f\u2009\u2007\u2002\u2003\u200a]+")
_ZERO = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")


def markup(inner):
    """Text with <i>, <b>, <sup>, <sub> (pandoc's <em>/<strong> as <i>/<b>, small capitals as
    <sc>), every other tag dropped, entities decoded, whitespace collapsed."""
    out = []
    pos = 0
    stack = []
    for m in _TAG.finditer(inner):
        out.append(inner[pos:m.start()])
        pos = m.end()
        closing, tag, attrs = m[1], m[2].lower(), m[3]
        name = _KEEP.get(tag)
        if tag == "span":
            if closing:
                name = stack.pop() if stack else None
            else:
                name = "sc" if "small-caps" in attrs else None
                stack.append(name)
        if name:
            out.append(f"<{closing}{name}>")
    out.append(inner[pos:])
    s = html.unescape("".join(out))
    s = _ZERO.sub("", s)
    s = _SPACE.sub(" ", s)
    # whitespace at the edge of an element belongs outside it; empty and split elements go
    for t in ("i", "b", "sup", "sub", "sc"):
        s = re.sub(rf"<{t}>(\s+)", rf"\1<{t}>", s)
        s = re.sub(rf"(\s+)</{t}>", rf"</{t}>\1", s)
        s = s.replace(f"<{t}></{t}>", "").replace(f"</{t}><{t}>", "")
    return _SPACE.sub(" ", s).strip()


def plain(marked):
    return _SPACE.sub(" ", re.sub(r"</?(i|b|sup|sub|sc)>", "", marked)).strip()


_LABEL = re.compile(r"^(\[\d+\]|\d+\.)\s+")


def strip_label(marked):
    """An entry without the number a numeric style puts before it."""
    return _LABEL.sub("", marked, count=1)
