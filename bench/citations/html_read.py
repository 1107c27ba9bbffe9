"""Reading the two outputs back: gloss's built page and pandoc's HTML fragment, each as
(references, citations). References: [(key, label, inner HTML)] in list order; citations:
{paragraph number: [inner HTML of each citation]}.
"""

import html
import re
from html.parser import HTMLParser

VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "source", "col", "area", "base"}


class Node:
    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.children, self.parent = tag, dict(attrs), [], parent

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, pred):
        return [n for n in self.iter() if pred(n)]

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def inner(self):
        return "".join(c if isinstance(c, str) else c.outer() for c in self.children)

    def outer(self):
        attrs = "".join(f' {k}="{html.escape(v or "", quote=True)}"' for k, v in self.attrs.items())
        if self.tag in VOID:
            return f"<{self.tag}{attrs}>"
        return f"<{self.tag}{attrs}>{self.inner()}</{self.tag}>"


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        # text is kept decoded; `inner()` re-escapes nothing, which is what comparing wants
        self.cur.children.append(data.replace("<", "&lt;").replace(">", "&gt;"))


def parse(text):
    b = _Builder()
    b.feed(text)
    b.close()
    return b.root


_PARA = re.compile(r"^\s*C(\d+):")


def _citations(paragraphs):
    out = {}
    for p in paragraphs:
        m = _PARA.match(p.text())
        if not m:
            continue
        found = []

        def walk(node):
            for c in node.children:
                if isinstance(c, Node):
                    if "citation" in c.classes():
                        found.append(c.inner())
                    else:
                        walk(c)

        walk(p)
        out[int(m[1])] = found
    return out


_LABEL = re.compile(r"^\s*(\[\d+\]|\d+\.)\s+")


def gloss_page(text):
    """gloss's page: the paragraphs of div.prose and the page's reference list."""
    root = parse(text)
    prose = next((n for n in root.iter() if "prose" in n.classes()), root)
    cites = _citations([n for n in prose.iter() if n.tag == "p"])
    refs = []
    for li in root.iter():
        if li.tag == "li" and (li.attrs.get("id") or "").startswith("cite-"):
            inner = li.inner()
            label = ""
            m = _LABEL.match(html.unescape(re.sub(r"<[^>]+>", "", inner)))
            if m:
                label = m[1]
            refs.append((li.attrs["id"][5:], label, inner))
    return refs, cites


def pandoc_output(text):
    """pandoc's fragment: its paragraphs and div#refs."""
    root = parse(text)
    cites = _citations([n for n in root.iter() if n.tag == "p"])
    refs = []
    for div in root.iter():
        if div.tag == "div" and "csl-entry" in div.classes():
            key = (div.attrs.get("id") or "")[4:]
            label = ""
            parts = []
            for c in div.children:
                if isinstance(c, Node) and "csl-left-margin" in c.classes():
                    label = c.text().strip()
                elif isinstance(c, Node) and "csl-right-inline" in c.classes():
                    parts.append(c.inner())
                else:
                    parts.append(c if isinstance(c, str) else c.outer())
            refs.append((key, label, "".join(parts)))
    return refs, cites
