"""HTML and markdown reduced to the plain lines the article cleaner works on."""

import re
from html.parser import HTMLParser

#: Elements whose content is never article text.
_SKIPPED = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "footer",
    "aside",
    "form",
    "button",
    "iframe",
    "figure",
    "select",
}
_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "li",
    "blockquote",
    "tr",
    "dd",
    "dt",
    "pre",
    "table",
    "ul",
    "ol",
    "dl",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}
_VOID = {"br", "hr", "img", "meta", "link", "input", "wbr", "source", "col", "area", "base"}
_NOTE_ID = re.compile(r"^(?:fn|footnote|endnote|note)[-_:]?(\w+)$", re.IGNORECASE)
_META_NAMES = {
    "author": "author",
    "article:author": "author",
    "citation_author": "author",
    "dc.creator": "author",
    "article:published_time": "date",
    "citation_publication_date": "date",
    "dc.date": "date",
    "date": "date",
    "og:site_name": "publisher",
    "citation_publisher": "publisher",
    "dc.publisher": "publisher",
    "og:title": "title",
    "citation_title": "title",
}

URL_RE = re.compile(r"https?://[^\s<>\"]+")


class _TextExtractor(HTMLParser):
    """Collect an HTML page's text as blocks, with markdown-style headings, notes and rules."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.meta = {}
        self.skip_depth = 0
        self.skip_tag = None
        self.in_title = False
        self.title = ""
        self.anchor_href = None
        self.anchor_text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.skip_depth:
            if tag == self.skip_tag:
                self.skip_depth += 1
            return
        if tag in _SKIPPED:
            self.skip_tag, self.skip_depth = tag, 1
            return
        if tag == "title":
            self.in_title = True
        elif tag == "meta":
            key = (attrs.get("name") or attrs.get("property") or "").lower()
            if key in _META_NAMES and attrs.get("content"):
                self.meta.setdefault(_META_NAMES[key], attrs["content"].strip())
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "hr":
            self.parts.append("\n\n---\n\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
            if tag[0] == "h" and tag[1:].isdigit():
                self.parts.append("#" * int(tag[1:]) + " ")
            note = _NOTE_ID.match(attrs.get("id") or "")
            if note and tag in {"li", "p", "div"}:
                self.parts.append(f"<sup>{note.group(1)}</sup> ")
        elif tag == "sup":
            self.parts.append("<sup>")
        elif tag == "a":
            self.anchor_href = attrs.get("href") or ""
            self.anchor_text = []

    def handle_endtag(self, tag):
        if self.skip_depth:
            if tag == self.skip_tag:
                self.skip_depth -= 1
            return
        if tag == "title":
            self.in_title = False
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "sup":
            self.parts.append("</sup>")
        elif tag == "a" and self.anchor_href is not None:
            text = " ".join("".join(self.anchor_text).split())
            if URL_RE.fullmatch(text):
                text = f"<{text}>"
            elif self.anchor_href.startswith(("http://", "https://")) and text:
                # Kept so that a note citing a titled link keeps its address.
                text = f"{text} <{self.anchor_href}>" if self._in_note() else text
            self.parts.append(text)
            self.anchor_href = None

    def _in_note(self):
        tail = "".join(self.parts[-40:])
        block = tail.rsplit("\n\n", 1)[-1]
        return block.lstrip().startswith("<sup>")

    def handle_data(self, data):
        if self.skip_depth:
            return
        if self.in_title:
            self.title += data
        elif self.anchor_href is not None:
            self.anchor_text.append(data)
        else:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html):
    """Return (text, metadata) for an HTML page: blocks separated by blank lines."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [line.strip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    meta = dict(parser.meta)
    if parser.title.strip():
        meta.setdefault("page_title", " ".join(parser.title.split()))
    return text, meta


def looks_like_html(text, filename=""):
    """Return whether the text is an HTML page rather than plain text or markdown."""
    name = filename.lower()
    if name.endswith((".html", ".htm")):
        return True
    if name.endswith((".md", ".markdown")):
        return False
    head = text[:2000].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    return len(re.findall(r"</p>|<p[\s>]|<br\s*/?>|</div>", text, re.IGNORECASE)) >= 3


_MARKDOWN_SIGNS = [
    re.compile(r"^#{1,6}\s+\S", re.MULTILINE),
    re.compile(r"\*\*[^*\n]+\*\*"),
    re.compile(r"<sup>\s*\w+\s*</sup>"),
    re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$", re.MULTILINE),
    re.compile(r"\[[^\]\n]+\]\((?:https?://|/)[^)\s]+\)"),
    re.compile(r"<https?://[^>\s]+>"),
    re.compile(r"^\[\^\w+\]:", re.MULTILINE),
]


def looks_like_markdown(text, filename=""):
    """Return whether the text uses markdown (headings, bold, rules, links, footnotes)."""
    if filename.lower().endswith((".md", ".markdown")):
        return True
    return sum(1 for sign in _MARKDOWN_SIGNS if sign.search(text)) >= 2


HEADING_RE = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
RULE_RE = re.compile(r"^\s*(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
NOTE_RE = re.compile(
    r"^\s*(?:<sup>\s*(?P<sup>[\w*†‡]+)\s*</sup>|\[\^(?P<caret>\w+)\]:)\s*(?P<text>.*)$"
)
_FOOTNOTE_MARK = re.compile(r"<sup>\s*[\w*†‡,\s-]{1,12}\s*</sup>|\[\^\w+\]")
_INLINE = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]\n]+)\]\((?:[^)\s]+)(?:\s+\"[^\"]*\")?\)"), r"\1"),  # links
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][^<>]*>"), ""),  # any other tag
    (re.compile(r"\*\*(.+?)\*\*"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<!\w)__(.+?)__(?!\w)"), r"\1"),
    (re.compile(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])"), r"\1"),
]
_BULLET = re.compile(r"^(?:[-*+•]\s+|>\s?)")


def remove_footnote_marks(text):
    """Return text without footnote marks (<sup>1</sup>, [^1])."""
    return _FOOTNOTE_MARK.sub("", text)


def reduce_markdown_inline(line):
    """Return one markdown line as plain text: no emphasis, links, tags or bullets."""
    line = remove_footnote_marks(line)
    line = _BULLET.sub("", line.strip())
    for pattern, replacement in _INLINE:
        line = pattern.sub(replacement, line)
    return line.strip()


def first_url(text):
    """Return the first web address in text, without trailing punctuation."""
    match = URL_RE.search(text)
    if not match:
        return ""
    url = match.group(0).rstrip(".,;:'\"”’>")
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1]
    return url
