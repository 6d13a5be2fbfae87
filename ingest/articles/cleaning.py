"""Turn an article as received (scraped text, markdown, HTML) into a clean body and its metadata.

Pure functions, no database. The body is a list of paragraphs separated by one blank line, with
no other line breaks. Words are never rewritten: curators quote the body verbatim.
"""

import datetime
import re
import statistics
from dataclasses import dataclass, field
from pathlib import PurePath

from core.text import normalise
from ingest.articles import markup
from ingest.articles.boilerplate import footer_start, is_boilerplate
from ingest.articles.metadata import read_front_matter


@dataclass
class ParsedCitation:
    label: str
    text: str
    url: str


@dataclass
class ParsedArticle:
    title: str
    authors: list[str]
    publisher: str
    published_date: datetime.date | None
    body: str
    citations: list[ParsedCitation] = field(default_factory=list)


@dataclass
class Paragraph:
    """A paragraph being assembled: its text and what the joining rules need to know."""

    text: str
    heading: bool = False
    block: int = 0
    gap_before: bool = False  # a footnote, rule or boilerplate was lifted out just before it
    ends_full_line: bool = False  # in hard-wrapped text: its last line reached the wrap width


_SENTENCE_END = ".!?:…"
_CLOSERS = "\"'”’)]»"
_HONORIFIC_END = re.compile(
    r"\b(?:Gen|Lt|Col|Maj|Brig|Capt|Sgt|Adm|Dr|Mr|Mrs|Ms|Prof|Sen|Rep|Gov|Pres|St|No|Mt|Jr|Sr)\.$"
)
_STRAY_PUNCTUATION = re.compile(r"^[.,;]\s+(?=[A-Z“\"‘'(])")
_NOTES_HEADING = re.compile(r"^(?:notes|endnotes|footnotes|references|sources)\s*:?$", re.I)
_NOTE_LINE = re.compile(r"^(?:\[(\d{1,3})\]|(\d{1,3})[.)])\s+(.+)$")
_PLAIN_MARK = re.compile(r"\s*\[(\d{1,3})\]")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u00ad\u2060"), None)
#: A paragraph at least this long is prose, not a heading, when deciding joins across gaps.
_PROSE_CHARS = 120


def ends_sentence(text):
    """Return whether text ends like a sentence (closing quotes and brackets ignored)."""
    stripped = text.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _starts_lower(text):
    return bool(text) and text[0].islower()


def _ends_with_word_hyphen(text):
    return bool(re.search(r"[^\W\d_]-$", text))


#: A line at least this long that stops without a full stop breaks off mid-sentence.
MID_SENTENCE_LINE = 70


def _prepare(raw_text):
    """Return the text with uniform line ends and spaces, and no invisible characters."""
    text = raw_text.replace("\r\n", "\n").replace("\r", "\n").translate(_ZERO_WIDTH)
    text = re.sub(r"[\u00a0\u2007\u202f\t\f\v]", " ", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _wrap_width(lines):
    """Return the typical width of a hard-wrapped text, or None when lines are not wrapped."""
    lengths = [len(line) for line in lines if line.strip()]
    wrapped = [length for length in lengths if 50 <= length <= 110]
    if len(lengths) < 10 or len(wrapped) < 0.6 * len(lengths):
        return None
    return statistics.median(wrapped)


def _split_markdown(lines, citations):
    """Reduce markdown lines to plain ones; lift footnote blocks and rules out as gaps."""
    out, index = [], 0
    while index < len(lines):
        line = lines[index]
        note = markup.NOTE_RE.match(line)
        if markup.RULE_RE.match(line):
            out.append(None)
        elif note:
            text = [note.group("text")]
            while index + 1 < len(lines) and lines[index + 1].strip():
                if markup.NOTE_RE.match(lines[index + 1]) or markup.RULE_RE.match(lines[index + 1]):
                    break
                index += 1
                text.append(lines[index])
            label = note.group("sup") or note.group("caret")
            citations.append(_citation(label, " ".join(text)))
            out.append(None)
        else:
            heading = markup.HEADING_RE.match(line)
            if heading:
                out.append(("#", markup.reduce_markdown_inline(heading.group(1))))
            else:
                out.append(markup.reduce_markdown_inline(line) if line.strip() else "")
        index += 1
    return out


def _citation(label, text):
    plain = " ".join(markup.reduce_markdown_inline(text).split())
    return ParsedCitation(label=label.strip()[:20], text=plain, url=markup.first_url(text))


def _paragraphs(items, width):
    """Group lines into paragraphs: blank lines separate blocks, wrapped lines are re-joined."""
    paragraphs, block, gap, current, previous = [], 0, False, None, ""

    def close():
        nonlocal current
        if current is not None and current.text.strip():
            paragraphs.append(current)
        current = None

    for item in items:
        if item is None or item == "":
            close()
            block += 1
            gap = gap or item is None
            previous = ""
            continue
        heading = isinstance(item, tuple)
        line = item[1] if heading else item
        if not line.strip():
            continue
        if not heading and _set_apart(previous if current is not None else "", line, width):
            # A share bar or "Read more: …" line between two wrapped paragraphs: on its own,
            # so that it is dropped whole rather than glued to the paragraph after it.
            close()
            paragraphs.append(Paragraph(text=line.strip(), block=block, gap_before=gap))
            gap, previous = False, ""
            continue
        if current is not None and not heading and not current.heading:
            join = _join_lines(previous, line, width)
            if join is not None:
                current.text = current.text + join + line.strip()
                current.ends_full_line = width is not None and len(line) >= width - 10
                previous = line
                continue
        close()
        current = Paragraph(text=line.strip(), heading=heading, block=block, gap_before=gap)
        current.ends_full_line = width is not None and len(line) >= width - 10
        gap, previous = False, line
    close()
    return paragraphs


def _set_apart(previous, line, width):
    """Return whether a line of hard-wrapped text is site furniture standing between paragraphs.

    Only a line after a sentence's end and shorter than the wrap width: a line the wrapper
    filled is part of a paragraph, whatever its first words ("Read more closely, the …").
    """
    if width is None or len(line) >= width - 10:
        return False
    return (not previous or ends_sentence(previous)) and is_boilerplate(line)


def _join_lines(line, following, width):
    """Return the separator joining two lines of one block ("", " "), or None to split them."""
    if _ends_with_word_hyphen(line) and following[:1].isalpha():
        return ""  # "Tehreek-e-" + "Taliban": the hyphen is part of the word
    if width is None:
        # One paragraph per line, unless the line plainly stops mid-sentence: the next one
        # goes on in lower case, or a long line breaks off without a stop ("… at the" +
        # "State Department, …"), which a title or a byline does not.
        if ends_sentence(line):
            return None
        return " " if _starts_lower(following) or len(line) >= MID_SENTENCE_LINE else None
    if not ends_sentence(line):
        return " "
    if len(line) > width + 15:
        return None  # a paragraph the source never wrapped, ended by a full stop
    next_word = following.split()[0]
    # A line ended by a full stop is a paragraph's last line when the next word would have fit.
    return None if len(line) + 1 + len(next_word) <= width else " "


def _separator(previous, paragraph, wrapped):
    """Return how two paragraphs join ("", " ") when one sentence spans them, else None."""
    text = paragraph.text
    if previous.heading or paragraph.heading:
        return None
    if _HONORIFIC_END.search(previous.text) and text[:1].isupper():
        return " "  # "… economic security, Gen." + "Bajwa aimed …"
    if _ends_with_word_hyphen(previous.text) and text[:1].isalpha():
        return ""
    if previous.text.endswith((",", ";")):
        return " "
    if ends_sentence(previous.text):
        return None
    if _starts_lower(text):
        return " "
    long_enough = len(previous.text) >= _PROSE_CHARS
    if long_enough and (paragraph.gap_before or (wrapped and previous.ends_full_line)):
        return " "  # a note, rule, page break or boilerplate interrupted the sentence
    return None


def _join_paragraphs(paragraphs, wrapped):
    """Re-join paragraphs that one sentence spans across a page break, note or lifted block."""
    out = []
    for paragraph in paragraphs:
        stray = _STRAY_PUNCTUATION.match(paragraph.text)
        if stray:
            # A lone "." or "," left where the source lost text: drop the mark, keep the break.
            paragraph.text = paragraph.text[stray.end() :]
        elif out:
            separator = _separator(out[-1], paragraph, wrapped)
            if separator is not None:
                out[-1].text += separator + paragraph.text
                out[-1].ends_full_line = paragraph.ends_full_line
                continue
        out.append(paragraph)
    return out


def _notes_section(paragraphs, citations):
    """Lift a trailing "Notes"/"References" section of numbered notes into citations."""
    for index, paragraph in enumerate(paragraphs):
        if not _NOTES_HEADING.match(paragraph.text):
            continue
        notes = [_NOTE_LINE.match(p.text) for p in paragraphs[index + 1 :]]
        count = 0
        for match in notes:
            if not match:
                break
            citations.append(_citation(match.group(1) or match.group(2), match.group(3)))
            count += 1
        if count:
            return paragraphs[:index] + paragraphs[index + 1 + count :]
    return paragraphs


def _remove_plain_marks(paragraphs, citations):
    """Remove "[1]"-style marks from the text when the notes they point to were found."""
    labels = {citation.label for citation in citations}
    for paragraph in paragraphs:
        paragraph.text = _PLAIN_MARK.sub(
            lambda match: "" if match.group(1) in labels else match.group(0), paragraph.text
        )


def _drop_repeats(paragraphs, title):
    """Drop paragraphs that repeat an earlier one (or the title, as an image caption does)."""
    seen, out = {normalise(title).casefold()} if title else set(), []
    for paragraph in paragraphs:
        key = normalise(paragraph.text).casefold()
        if len(key) >= 20 and key in seen:
            continue
        seen.add(key)
        out.append(paragraph)
    return out


def _title_from_filename(filename):
    stem = PurePath(filename).stem if filename else ""
    words = re.sub(r"[_\-]+", " ", stem).split()
    if sum(1 for word in words if word.isalpha()) >= 2:
        return " ".join(words).capitalize()
    return ""


def _title_from_body(body):
    words = body.split()[:12]
    title = " ".join(words)
    return f"{title}…" if len(body.split()) > 12 else title


def _mark_gaps(paragraphs):
    """Drop boilerplate paragraphs, marking the paragraph after each as following a gap."""
    out, gap = [], False
    for paragraph in paragraphs:
        if is_boilerplate(paragraph.text):
            gap = True
            continue
        paragraph.gap_before = paragraph.gap_before or gap
        gap = False
        out.append(paragraph)
    return out


def parse_article(raw_text: str, *, filename: str = "") -> ParsedArticle:
    """Return the article's cleaned body, its metadata and its citations."""
    text = _prepare(raw_text or "")
    meta = {}
    if markup.looks_like_html(text, filename):
        text, meta = markup.html_to_text(text)
        markdown = True
    else:
        markdown = markup.looks_like_markdown(text, filename)
    lines = text.split("\n")
    citations = []
    if markdown:
        items = _split_markdown(lines, citations)
    else:
        items = [markup.remove_footnote_marks(line) for line in lines]
    width = _wrap_width(lines)
    paragraphs = _paragraphs(items, width)

    paragraphs = paragraphs[: footer_start([p.text for p in paragraphs])]
    paragraphs = _mark_gaps(paragraphs)
    front = read_front_matter([p.text for p in paragraphs], [p.block for p in paragraphs], meta)
    paragraphs = [p for index, p in enumerate(paragraphs) if index not in front.dropped]
    paragraphs = _notes_section(paragraphs, citations)
    _remove_plain_marks(paragraphs, citations)
    paragraphs = _join_paragraphs(paragraphs, wrapped=width is not None)
    title = front.title or _title_from_filename(filename)
    paragraphs = _drop_repeats(paragraphs, title)

    body = "\n\n".join(" ".join(p.text.split()) for p in paragraphs if p.text.strip())
    return ParsedArticle(
        title=title or _title_from_body(body),
        authors=front.authors,
        publisher=front.publisher,
        published_date=front.published_date,
        body=body,
        citations=citations,
    )
