"""The text okrsite's search index holds: words cut as the browser's worker cuts a query
(assets/okrsite/search-worker.js does the same steps), and the short texts of a page,
read from the body HTML the plugin renders with linear regular expressions (no HTML
parser: the body is okrsite's own templates' output or Markdown's).

This module imports nothing from MkDocs.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass

from okrsite.site.sitefiles import search_body

# Words shorter than this carry nothing a reader types to find a page.
MIN_WORD = 2
# Short English words found in nearly every summary ("of", "the", "to"): in the index they
# would be the longest lists of all, fetched and intersected for nothing, since a query
# with them means the same without them. The worker drops them from queries too (it
# reads this list from the index's meta.json). Words of four letters and more all stay.
STOP_WORDS = (
    "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "in", "is", "it",
    "its", "of", "on", "or", "the", "to", "was", "with",
)  # fmt: skip
_STOP = frozenset(STOP_WORDS)
# Letters NFKD does not split into a base letter and a mark (the worker maps them too).
FOLDED_LETTERS = {
    "ø": "o",
    "æ": "ae",
    "œ": "oe",
    "ß": "ss",
    "đ": "d",
    "ł": "l",
    "þ": "th",
    "ı": "i",  # noqa: RUF001 (the dotless i, on purpose)
    # The final sigma: "ΟΔΟΣ" is "οδος" in lower case, and may be typed "οδοσ".
    "ς": "σ",  # noqa: RUF001
}
_LETTERS = str.maketrans(FOLDED_LETTERS)
# The one-line summary shown under a result's title.
SUMMARY_CHARS = 200

# Letters and digits of any script ([\p{L}\p{N}]+ in the worker).
_WORD = re.compile(r"[^\W_]+")
# Inline elements join the text around them; any other tag separates words.
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|code|del|em|i|ins|kbd|mark|s|small|span|strong|sub|sup|time|u)\b[^>]*>"
)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
# Whatever okrsite or a page author marks data-search-exclude: the element, up to its
# first closing tag of the same name (okrsite's biggest ones, which nest, go first
# through sitefiles.search_body).
_EXCLUDED = re.compile(r"<(\w+)\b[^>]*\sdata-search-exclude\b[^>]*>.*?</\1\s*>", re.S)
# Markdown's permalink after each heading (a pilcrow).
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_H1 = re.compile(r"<h1\b[^>]*>.*?</h1>", re.S)
_P = re.compile(r"<p[\s>]")
# okrsite's pages: the description of a KPI or objective, and the chain up to the KPIs.
_DESCRIPTION = re.compile(r'<div class="okr-description">(.*?)</div>', re.S)
_CHAIN = '<h2 id="chain"'
_NEXT_HEADING = re.compile(r"<h[12]\b")
# A chain's first step is the page's own item: its title is the result's title.
_FIRST_STEP = re.compile(r"<li\b.*?</li>", re.S)
# The summary's parts all come before the first h2 other than the chain's: the rest of a
# page (tables, check-ins, charts) is never read for it.
_AFTER_TOP = re.compile(r'<h2\b(?! id="chain")')
_SECTION = re.compile(r'<h([23])\b[^>]*\sid="([^"]+)"[^>]*>(.*?)</h\1\s*>', re.S)


def fold(text: str) -> str:
    """Lower case, accents dropped (NFKD, marks removed; ø as o, æ as ae...): "Réduire"
    and "reduire" match, and "Ødegaard" and "odegaard"; lower case again after NFKD,
    which makes capitals of some letters (black-letter and mathematical ones, the
    modifier capitals)."""
    text = text.lower()
    if text.isascii():
        return text
    # Piece by piece between spaces (which folding keeps): the same pieces (names, words,
    # separators) come back on page after page, and each is folded once.
    return " ".join(_fold_piece(piece) for piece in text.split())


@functools.lru_cache(maxsize=65536)
def _fold_piece(piece: str) -> str:
    if piece.isascii():
        return piece
    decomposed = unicodedata.normalize("NFKD", piece)
    bare = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return bare.lower().translate(_LETTERS)


def words(text: str) -> list[str]:
    """The distinct index words of ``text``, in order of first appearance: folded, split
    on anything but letters and digits, without one-character and stop words."""
    found: dict[str, None] = {}
    for word in _WORD.findall(fold(text)):
        if len(word) >= MIN_WORD and word not in _STOP:
            found[word] = None
    return list(found)


def plain(fragment: str) -> str:
    """An HTML fragment as one line of text: tags removed, entities decoded."""
    text = _TAG.sub(" ", _INLINE_TAG.sub("", fragment))
    return _SPACE.sub(" ", html.unescape(text)).strip()


def clip(text: str, limit: int = SUMMARY_CHARS) -> str:
    """``text`` cut at a word boundary to about ``limit`` characters, "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:·-—") + "…"


def searchable(body: str) -> str:
    """The body without what is marked data-search-exclude, nor heading permalinks."""
    if "data-search-exclude" in body:
        body = _EXCLUDED.sub("", search_body(body))
    return _HEADERLINK.sub("", body) if "headerlink" in body else body


def _element(body: str, start: int, close: str) -> str:
    """What follows the tag opening at ``start``, up to ``close`` (or the end)."""
    begin = body.find(">", start) + 1
    end = body.find(close, begin)
    return body[begin : end if end >= 0 else len(body)]


def summary(body: str) -> str:
    """A page's one-line summary: its first paragraph after the title, the description
    (KPIs, objectives) and the chain up to the company KPIs (goals, objectives)."""
    if after := _AFTER_TOP.search(body):
        body = body[: after.start()]
    body = searchable(body)
    parts = []
    after_title = _H1.sub("", body, count=1)
    if first := _P.search(after_title):
        parts.append(plain(_element(after_title, first.start(), "</p>")))
    if description := _DESCRIPTION.search(body):
        parts.append(plain(description.group(1)))
    if (chain := body.find(_CHAIN)) >= 0:
        heading_end = body.find("</h2>", chain)
        rest = body[heading_end + len("</h2>") :] if heading_end >= 0 else ""
        if after := _NEXT_HEADING.search(rest):
            rest = rest[: after.start()]
        parts.append(plain(_FIRST_STEP.sub("", rest, count=1)))
    return clip(" — ".join(p for p in parts if p))


@dataclass(frozen=True)
class Section:
    """One h2/h3 of a hand-written page with an id: its heading and its first words."""

    anchor: str
    heading: str
    text: str


def sections(body: str) -> list[Section]:
    """The h2 and h3 headings with an id in ``body``, each with the text up to the next."""
    body = searchable(body)
    found = []
    heads = list(_SECTION.finditer(body))
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(body)
        heading = plain(head.group(3))
        if heading:
            text = clip(plain(body[head.end() : end]))
            found.append(Section(html.unescape(head.group(2)), heading, text))
    return found
