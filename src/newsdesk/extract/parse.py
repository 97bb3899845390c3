"""Text -> an lxml tree, whatever the text holds."""

from __future__ import annotations

import re

from lxml import etree

MAX_CHARS = 3_000_000  # articles sit well inside this; the rest of a huge page is dropped
# Inline scripts (other than JSON-LD) and styles: what makes most oversized pages oversized.
_BULKY = re.compile(
    r"<script(?![^>]*ld\+json)[^>]*>.*?</script\s*>|<style[^>]*>.*?</style\s*>",
    re.IGNORECASE | re.DOTALL,
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# libxml2 caps element depth (256 levels) on its own, so deeply nested input cannot recurse deeply.
# Plain etree elements: lxml.html's element classes cost a Python call per element touched.
_PARSER = etree.HTMLParser(
    remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False
)
_TEXT = etree.XPath("string()", smart_strings=False)


def text_of(node: etree._Element) -> str:
    """All the text inside an element."""
    return _TEXT(node)


def capped(text: str) -> str:
    """The part of a page any parser reads: bulky scripts out of oversized pages, then the cap."""
    if len(text) > MAX_CHARS:
        text = _BULKY.sub("", text)
    return text[:MAX_CHARS]


def parse_html(text: str) -> etree._Element | None:
    """The document's root element, or None when there is nothing to parse."""
    text = _XML_DECL.sub("", capped(text), count=1)
    text = _CONTROL.sub(" ", text)
    if not text.strip():
        return None
    try:
        root = etree.fromstring(text, parser=_PARSER)
    except (etree.ParserError, etree.LxmlError, ValueError):
        return None
    return root if root is not None and len(root) else None
