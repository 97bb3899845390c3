"""Plain text out of the little HTML that feeds put in titles and teasers."""

from __future__ import annotations

import html
import re

from lxml import etree
from lxml import html as lxml_html

_SPACE = re.compile(r"\s+")
_TAGISH = re.compile(r"<[a-zA-Z/!]")
# elements whose boundaries separate words even when the markup has no space
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "tr",
        "td",
        "th",
        "table",
        "figure",
        "figcaption",
        "section",
        "article",
        "header",
        "footer",
        "pre",
        "hr",
        "dd",
        "dt",
    ]
)
_DROP = ("script", "style", "noscript", "template")


def collapse(text: str) -> str:
    """Collapse every run of whitespace (newlines and no-break spaces too) into one space."""
    if "\u3000" not in text:
        return " ".join(text.split())
    # a lone ideographic space separates CJK phrases and stays as written
    return _SPACE.sub(_one_space, text).strip()


def _one_space(match: re.Match[str]) -> str:
    return "\u3000" if match.group() == "\u3000" else " "


def html_to_text(value: str | None) -> str | None:
    """Markup -> one line of plain text: tags dropped, entities decoded, whitespace collapsed."""
    if value is None:
        return None
    if not _TAGISH.search(value):
        text = collapse(html.unescape(value))
        return text or None
    try:
        root = lxml_html.fragment_fromstring(value, create_parent="div")
    except (etree.ParserError, ValueError):
        text = collapse(html.unescape(re.sub(r"<[^>]*>", " ", value)))
        return text or None
    for bad in list(root.iter(*_DROP)):
        bad.drop_tree()
    parts: list[str] = []
    _walk(root, parts)
    text = collapse(html.unescape("".join(parts)))
    return text or None


def _walk(element: etree._Element, parts: list[str]) -> None:
    block = isinstance(element.tag, str) and element.tag.lower() in _BLOCKS
    if block:
        parts.append(" ")
    if isinstance(element.tag, str) and element.text:
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append(" ")


def html_teaser(value: str | None, limit: int = 400) -> str | None:
    """A plain-text teaser of an HTML body, reading only as much markup as it needs."""
    if value is None:
        return None
    # ten times the limit is plenty of markup for `limit` characters of text; lxml mends the cut
    return teaser(html_to_text(value[: limit * 10]), limit)


def teaser(text: str | None, limit: int = 400) -> str | None:
    """Cut plain text at a word boundary near `limit` characters, marking the cut with "…"."""
    if text is None or len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:-")
    return cut + "…"


# a sentence ends at . ! ? followed by a space, or at a CJK full stop, question or exclamation mark
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")


def first_sentences(text: str | None, limit: int = 280) -> str | None:
    """The whole sentences of plain text that fit in `limit` characters; when even the first
    does not, that sentence cut at a word with "…" (as `teaser` cuts)."""
    text = collapse(text or "")
    if not text:
        return None
    taken = ""
    for sentence in _SENTENCE_END.split(text):
        cjk = taken.endswith(("。", "！", "？"))  # CJK sentences follow on without a space
        joined = taken + sentence if cjk or not taken else f"{taken} {sentence}"
        if len(joined) > limit:
            break
        taken = joined
    return taken or teaser(text, limit)


def text_to_html(text: str) -> str:
    """Plain text with blank-line paragraphs -> escaped <p> elements."""
    return "".join(
        f"<p>{html.escape(p.strip(), quote=False)}</p>" for p in text.split("\n\n") if p.strip()
    )
