"""Site furniture leaves an article's body (share bars, "Read more: …", newsletters, adverts),
and no sentence of the article goes with it."""

import re
import textwrap

import pytest

from core.text import contains_normalised
from ingest.articles.cleaning import parse_article
from tests.ingest.test_cleaning import BOILERPLATE, seed

BEFORE = (
    "Prime Minister Imran Khan arrived in Kabul on Thursday for a day-long visit, his first "
    "since taking office, and was received by President Ashraf Ghani at the palace."
)
AFTER = [
    "The two leaders discussed the Afghan peace process, trade and the return of refugees, "
    "the foreign office said in a statement issued after the talks.",
    "Both sides agreed to identify officials by the middle of December to carry the agreed "
    "proposals forward, beginning with joint intelligence cooperation.",
]

#: Lines of furniture as scraped pages carry them, each dropped wherever it stands.
FURNITURE = [
    # share bars and social buttons
    "Share this article",
    "SHARE THIS STORY",
    "Share this:",
    "Share this article on Facebook",
    "Share This Article Facebook Twitter WhatsApp",
    "Share: Facebook | X | LinkedIn",
    "Share",
    "Facebook Twitter WhatsApp Email Print",
    "Tweet",
    "Copy link",
    "Link copied!",
    "Click to share on WhatsApp (Opens in new window)",
    "Share on Facebook",
    "Follow us on Twitter and Instagram",
    # links to other pages
    "Read more: Pakistan, US agree to expand trade ties",
    "READ MORE",
    "Read more »",
    "Read more…",
    "Read more at Dawn.com",
    "Read more here",
    "Also read: Munir meets Blinken in Washington",
    "ALSO READ Munir meets Blinken in Washington",
    "Also Read | Taliban welcome the Kabul talks",
    "Read also: Ghani thanks Pakistan for its support",
    "Read: Imran Khan lands in Kabul",
    "Read next: What the Doha agreement says",
    "See also: Pakistan–United States relations",
    "Related: Munir’s first year in office",
    "Related Articles",
    "Related coverage: Blinken meets Bhutto Zardari",
    "More on this story: Pentagon to cut troops to 2,500",
    "Watch: Imran Khan and Ashraf Ghani address the press",
    "You may also like",
    "Recommended for you",
    "Must read",
    # newsletters, subscriptions and apps
    "Subscribe to our newsletter",
    "Sign up for our daily newsletter and get the top stories in your inbox",
    "Subscribe now",
    "Join our WhatsApp channel for the latest news",
    "Newsletter",
    "Download the Dawn app for breaking news",
    "Enjoying this article? Click here to subscribe for full access. Just $5 a month.",
    # adverts
    "Advertisement",
    "- Advertisement -spot_img",
    "ADVERTISEMENT",
    "Story continues below advertisement",
    "Continue reading the main story",
    "Scroll to continue with content",
    "Sponsored content",
    # comment forms
    "Leave a Reply",
    "Comments are closed.",
    "Spread the love",
]

#: Sentences of articles that merely contain (or start with) the furniture's words.
REAL_SENTENCES = [
    "Pakistan and the United States share an interest in a stable Afghanistan, the statement said.",
    "Share prices in Karachi rose after the visit was announced.",
    "Readers who read more than the headlines will find the communiqué cautious.",
    "Read more closely, the communiqué commits neither side to new aid.",
    "Also read as a warning to India, the remark drew a sharp reply from New Delhi.",
    "Related talks on transit trade are expected in Doha next month.",
    "The minister urged both sides to share intelligence on the TTP: the talks, he said, were "
    "frank.",
    "Subscribers to the ministry’s bulletin were told of the visit a day early.",
    "Join our efforts for peace, Khan told the Afghan leaders, and trade will follow.",
    "Advertisements for the summit appeared across Kabul.",
    "Follow-up talks were held in Rawalpindi a week later.",
    "Watch the border, Ghani said: that is where the peace will be won.",
]


def body_of(*paragraphs):
    return parse_article("\n\n".join(paragraphs)).body


def wrapped(*paragraphs):
    """Return the paragraphs hard-wrapped at 80 characters, with no blank line between them."""
    return "\n".join(
        line for paragraph in paragraphs for line in textwrap.wrap(paragraph, 80) or [paragraph]
    )


@pytest.mark.parametrize("line", FURNITURE)
def test_a_line_of_furniture_leaves_the_body_and_the_paragraphs_around_it_stay(line):
    body = body_of(BEFORE, line, *AFTER)

    assert body == "\n\n".join([BEFORE, *AFTER])


@pytest.mark.parametrize("line", [line for line in FURNITURE if len(line) < 60])
def test_a_line_of_furniture_between_hard_wrapped_paragraphs_leaves_and_takes_no_word(line):
    article = [f"{BEFORE} {BEFORE}", *AFTER, BEFORE]

    body = parse_article(wrapped(article[0], line, *article[1:])).body

    # Where a wrapped paragraph ends is the cleaner's guess; the words are not.
    assert body.split() == " ".join(article).split()


@pytest.mark.parametrize("sentence", REAL_SENTENCES)
def test_a_real_sentence_with_the_furnitures_words_stays(sentence):
    assert body_of(BEFORE, sentence, *AFTER) == "\n\n".join([BEFORE, sentence, *AFTER])


def test_real_sentences_with_the_furnitures_words_stay_in_hard_wrapped_text():
    article = [BEFORE, " ".join(REAL_SENTENCES), *AFTER, " ".join(REAL_SENTENCES[::-1])]

    body = parse_article(wrapped(*article)).body

    assert body.split() == " ".join(article).split()


# A sentence: from a capital (or an opening quote) to a full stop, question or exclamation
# mark ("Gen." ends one early: a part of a sentence is checked as well as a whole), with at
# least six words. Shorter lines (headings, bylines, dates, "Quick Links") are left to the
# seeds' furniture lists in test_cleaning.
_SENTENCE = re.compile(r"[A-Z“\"‘'(][^.!?]*[.!?][”\"’')]*")
_MARKUP = re.compile(r"(?<=.)<sup>\d+</sup>|\*\*|(?<!\w)\*|\*(?!\w)|^#+\s*")


def real_sentences(number):
    """Return each sentence of the raw seed that is neither furniture nor a footnote.

    A line naming one of the seed's hand-checked furniture lines is furniture; a line opening
    with a footnote mark is a note (it becomes a citation); the rest is the article's text,
    whose wrapped lines are joined and whose markdown marks are removed before splitting.
    """
    furniture = BOILERPLATE[number]
    sentences = []
    for block in re.split(r"\n\s*\n", seed(number)):
        text = ""
        for line in block.splitlines():
            line = _MARKUP.sub("", line).strip()
            if line.startswith("<sup>") or any(item in line for item in furniture):
                continue
            # A wrapped line ending in a word's hyphen ("Tehreek-e-") goes on without a space.
            text += line if re.search(r"[^\W\d_]-$", text) else f" {line}"
        sentences += [
            match.group(0) for match in _SENTENCE.finditer(text) if len(match.group(0).split()) >= 6
        ]
    return sentences


@pytest.mark.parametrize("number", sorted(BOILERPLATE))
def test_every_sentence_of_each_seed_survives_the_cleaning(number):
    body = parse_article(seed(number), filename=f"{number}.txt").body
    sentences = real_sentences(number)

    lost = [sentence for sentence in sentences if not contains_normalised(body, sentence)]

    assert len(sentences) >= 20
    assert lost == []
