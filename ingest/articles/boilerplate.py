"""Site furniture that scraped articles carry: comment forms, share bars, teasers, author boxes."""

import re

from core.text import normalise


def _patterns(*expressions):
    return [re.compile(rf"^(?:{expression})$", re.IGNORECASE) for expression in expressions]


#: Paragraphs that start the page's furniture after the article: everything from the first of
#: them to the end is dropped (only in the second half of the page, so a share bar above the
#: article does not cut the article itself).
END_MARKERS = _patterns(
    r"spread the love",
    r"share this(?: article| post| story)?:?",
    r"leave a (?:reply|comment)",
    r"(?:next|previous) (?:post|article|story)",
    r"you (?:may|might) (?:also )?like:?",
    r"more (?:articles|stories|news|posts)",
    r"(?:latest|recent) (?:articles?|news|posts|stories)",
    r"related(?: posts| articles| stories| news)?:?",
    r"comments are closed\.?",
    r"quick links",
    r"subscribe to (?:our )?newsletter",
    r"chief editor",
    r"\+ ?posts",
    r"about the author",
    r"recommended(?: for you)?",
    r"tags?:.*",
)

#: What introduces a link to another page set between paragraphs ("Read more: …").
_TEASER = (
    r"(?:read(?: more| also| next)?|also read|see also|related(?: \w+)?|more on this(?: \w+)?"
    r"|watch)"
)
#: What introduces it when no colon or arrow follows ("ALSO READ Munir meets Blinken").
_BARE_TEASER = r"(?:read more|also read|read also|read next|see also)"

#: Paragraphs dropped wherever they are.
LINES = _patterns(
    # Links to other pages: "Read more: …", "Also read …", "Related: …", "READ MORE »". A
    # title without a colon must not end like a sentence: "Read more closely, it says …" stays.
    rf"{_TEASER}\s*(?:[:|>›→]|\.\.\.|\s[-\"]\s).{{0,200}}",
    rf"{_BARE_TEASER}(?: [^.!?]{{1,200}})?(?:\.\.\.|\"|>|›|→)?",
    r"read more (?:at|on|from|here)\b.{0,80}",
    r"(?:click|tap) (?:here )?to (?:read|share|email|print|continue|comment)\b.{0,100}",
    r"continue reading\b.{0,80}",
    r"(?:story|article|text) continues (?:below|after)\b.{0,40}",
    r"scroll (?:down )?to continue\b.{0,40}",
    # Share bars: "Share this article", "Share: Facebook Twitter", "Link copied".
    r"share this(?: article| story| post| page| link)?\b[^.!?]{0,100}",
    r"share(?: article| story| post)?\s*:.{0,100}",
    r"(?:copy (?:the )?link|link copied|copied to clipboard)!?\.?",
    # Newsletters and apps: "Sign up for our daily newsletter", "Join our WhatsApp channel".
    r"(?:sign up|subscribe|register|join)(?: (?:now|today|here|for free))?[.!]?",
    r"(?:sign up|subscribe|register|join|get|follow)\b.{0,60}\b(?:our|the latest)\b.{0,60}"
    r"\b(?:newsletters?|inbox|whatsapp|telegram|youtube|mailing list|podcast|app)\b.{0,100}",
    r"(?:daily |weekly |free )?newsletters?",
    r"download (?:the|our) .{0,40}\bapp\b.{0,80}",
    # Advertising: "ADVERTISEMENT", "Advert", "Paid content".
    r"ads?|adverts?|advertise with us|(?:paid|promoted|partner) content",
    r"-? ?advertisements?\.? ?-?(?: ?spot_img)?",
    r"spot_img",
    r"sponsored(?: content)?",
    r"must read",
    r"(?:image |photo |picture )?credits?: .{1,200}",
    r"(?:photo|image|picture|file photo): .{1,200}",
    r"enjoying this article\?.{0,200}",
    r".{0,80}\b(?:click here|sign up|subscribe)\b.{0,80}"
    r"\b(?:subscri\w*|newsletter|full access|\$\s?\d+ a month)\b.{0,80}",
    r"please enter your (?:comment|name|email)(?: address)?(?: here)?!?\.?",
    r"you have entered an incorrect email address!?",
    r"your email address will not be published\.?.{0,100}",
    r"required fields are marked ?\*?\.?",
    r"save my name,? email,? and website .{0,100}",
    r"post comment|cancel reply|\d+ comments?|no comments(?: yet)?\.?",
    r"\(?views expressed .{0,200}(?:author|represent|necessarily).{0,120}\)?\.?",
    r"(?:the )?(?:editor|author) can be reached at \S+@\S+",
    r"\S+@\S+\.\w+",
    r"follow us(?: on)?\b.{0,80}",
    r"share (?:on|via) (?:facebook|twitter|x|whatsapp|linkedin|email|telegram).{0,80}",
    r"(?:(?:share|tweet|facebook|twitter|x|whatsapp|linkedin|pinterest|telegram|reddit|"
    r"messenger|email|print|copy link)[\s|,·•]*){1,8}",
)

#: An author box before an END marker: its short name line goes with it ("Editor Timesglo").
_AUTHOR_BOX_CHARS = 60


def _any_of(patterns):
    """Return one pattern matching what any of `patterns` matches (one pass, not one each)."""
    return re.compile("|".join(pattern.pattern for pattern in patterns), re.IGNORECASE)


_END_MARKER = _any_of(END_MARKERS)
_FURNITURE = _any_of([*END_MARKERS, *LINES])


def is_boilerplate(text):
    """Return whether a paragraph is site furniture rather than article text."""
    return _FURNITURE.match(normalise(text)) is not None


def footer_start(paragraphs):
    """Return the index of the first paragraph of the page footer, or len(paragraphs)."""
    sizes = [len(text) for text in paragraphs]
    total, seen = sum(sizes), 0
    for index, text in enumerate(paragraphs):
        plain = normalise(text)
        if seen >= total / 2 and _END_MARKER.match(plain):
            closes_author_box = plain.lower().lstrip("+ ").startswith("posts")
            if closes_author_box and index and len(paragraphs[index - 1]) <= _AUTHOR_BOX_CHARS:
                return index - 1  # "+ posts" ends a box whose first line is the author's name
            return index
        seen += sizes[index]
    return len(paragraphs)
