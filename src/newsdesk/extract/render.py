"""Elements -> body blocks -> the article's plain text and sanitised HTML."""

from __future__ import annotations

import html as htmllib
import itertools
import re
from dataclasses import dataclass
from urllib.parse import urljoin

import nh3
from lxml import etree

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LISTS = {"ul", "ol", "dl"}
BLOCK_TAGS = {"p", "pre", "blockquote", "table", "figure", "hr", "address"} | HEADINGS | LISTS
_INLINE_KEEP = {"a": "a", "em": "em", "i": "em", "strong": "strong", "b": "strong", "br": "br",
                "sub": "sub", "sup": "sup", "code": "code"}
_SKIP = {"script", "style", "noscript", "template", "svg", "button", "select", "textarea",
         "input", "iframe", "object", "embed", "video", "audio", "canvas", "img", "picture",
         "figcaption", "head", "title", "meta", "link"}
# Elements a browser lays out as blocks of their own, though they are not paragraphs.
BLOCKISH = {"div", "section", "article", "main", "header", "footer", "aside", "nav", "li", "dd",
            "dt", "center", "form", "details", "summary", "fieldset", "body", "hgroup", "tr",
            "td", "th", "tbody", "thead", "tfoot", "caption"}
_BLOCK_OR_BLOCKISH = tuple((BLOCK_TAGS | BLOCKISH) - {"body"})
MAX_DEPTH = 200
_GROUPS = itertools.count(1)
ALLOWED_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "table",
                "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "a", "em", "strong", "br",
                "pre", "code", "sub", "sup"}
_SOURCE_BREAKS = re.compile(r"[\r\n]+")
_TEXT_PARAGRAPH = re.compile(r"\n[ \t\u00a0]*\n\s*")
_HTML_PARAGRAPH = re.compile(r"<br>(?:[ \t\u00a0]|&nbsp;)*<br>(?:\s|<br>)*")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b\u2009\u202f\ufeff]+")
# Soft hyphens mark where a word may break; they are not text (searches and quotes miss words
# cut by them).
_SOFT_HYPHEN = "\u00ad"


@dataclass(slots=True)
class Block:
    """One paragraph-level piece of a body."""

    tag: str  # p, h2..h6, ul, ol, blockquote, table, pre
    text: str
    html: str
    group: int = 0  # blocks from the same parent element share a group


def squash(text: str) -> str:
    """Runs of spaces to one space, kept newlines trimmed."""
    text = text.replace(_SOFT_HYPHEN, "")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _tag(node: etree._Element) -> str:
    return node.tag.lower() if isinstance(node.tag, str) else ""


class _Inline:
    """Collects the text and the inline HTML of a run of inline content."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.text: list[str] = []
        self.html: list[str] = []

    def add_text(self, text: str | None) -> None:
        if text:
            # line breaks in the source show as spaces
            text = _SOURCE_BREAKS.sub(" ", text).replace(_SOFT_HYPHEN, "")
            self.text.append(text)
            self.html.append(htmllib.escape(text, quote=False))

    def add(self, node: etree._Element) -> None:
        tag = _tag(node)
        if tag in _SKIP or not tag:
            self.add_text(node.tail)
            return
        keep = _INLINE_KEEP.get(tag)
        if keep == "br":
            self.text.append("\n")
            self.html.append("<br>")
        elif keep == "a":
            href = (node.get("href") or "").strip()
            if href and not href.lower().startswith(("javascript:", "data:", "#")):
                url = urljoin(self.base_url, href) if self.base_url else href
                self.html.append(f'<a href="{htmllib.escape(url)}">')
            else:
                keep = None
        elif keep:
            self.html.append(f"<{keep}>")
        self.add_text(node.text)
        for child in node:
            self.add(child)
        if keep and keep != "br":
            self.html.append(f"</{keep}>")
        self.add_text(node.tail)

    def flush(self) -> tuple[str, str]:
        text, markup = squash("".join(self.text)), "".join(self.html).strip()
        self.text, self.html = [], []
        return text, markup

    def flush_paragraphs(self) -> list[tuple[str, str]]:
        """Like flush, but two or more <br> in a row start a new paragraph."""
        raw_text, raw_html = "".join(self.text), "".join(self.html)
        self.text, self.html = [], []
        texts = _TEXT_PARAGRAPH.split(raw_text)
        markups = _HTML_PARAGRAPH.split(raw_html)
        if len(texts) != len(markups):
            return [(squash(raw_text), raw_html.strip())]
        return [(squash(t), m.strip()) for t, m in zip(texts, markups, strict=True)]


def _list_block(node: etree._Element, base_url: str) -> Block | None:
    tag = _tag(node)
    items_text, items_html = [], []
    for item in node:
        if _tag(item) not in ("li", "dt", "dd"):
            continue
        inline = _Inline(base_url)
        inline.add_text(item.text)
        for child in item:
            inline.add(child)
        text, markup = inline.flush()
        if text:
            items_text.append(text)
            items_html.append(f"<li>{markup}</li>")
    if not items_text:
        return None
    outer = "ol" if tag == "ol" else "ul"
    return Block(outer, "\n".join(items_text), f"<{outer}>{''.join(items_html)}</{outer}>")


def _table_block(node: etree._Element, base_url: str) -> Block | None:
    rows_text, rows_html = [], []
    for row in node.iter("tr"):
        cells_text, cells_html = [], []
        for cell in row:
            tag = _tag(cell)
            if tag not in ("td", "th"):
                continue
            inline = _Inline(base_url)
            inline.add_text(cell.text)
            for child in cell:
                inline.add(child)
            text, markup = inline.flush()
            cells_text.append(text.replace("\n", " "))
            cells_html.append(f"<{tag}>{markup}</{tag}>")
        if any(cells_text):
            rows_text.append("\t".join(cells_text))
            rows_html.append(f"<tr>{''.join(cells_html)}</tr>")
    if not rows_text:
        return None
    return Block("table", "\n".join(rows_text), f"<table>{''.join(rows_html)}</table>")


def blocks_from(root: etree._Element, base_url: str = "", depth: int = 0) -> list[Block]:
    """The blocks of an element's content, in document order."""
    blocks: list[Block] = []
    inline = _Inline(base_url)
    group = next(_GROUPS)

    def flush() -> None:
        for text, markup in inline.flush_paragraphs():
            if text:
                blocks.append(Block("p", text, f"<p>{markup}</p>", group))

    inline.add_text(root.text)
    for node in root:
        tag = _tag(node)
        if not tag or tag in _SKIP:
            inline.add_text(node.tail)
            continue
        if tag in BLOCK_TAGS:
            flush()
            for block in block_of(node, base_url, depth):
                block.group = block.group or group
                blocks.append(block)
        elif tag in BLOCKISH or _has_block_descendant(node):
            flush()  # a div is a line of its own, as a browser shows it
            if depth < MAX_DEPTH:
                blocks.extend(blocks_from(node, base_url, depth + 1))
        else:
            inline.add(node)
            continue
        inline.add_text(node.tail)
    flush()
    return blocks


def _has_block_descendant(node: etree._Element) -> bool:
    return next(node.iterdescendants(*_BLOCK_OR_BLOCKISH), None) is not None


def _has_blocks(node: etree._Element) -> bool:
    for child in node:
        tag = _tag(child)
        if tag in BLOCK_TAGS or tag in ("div", "section", "article"):
            return True
    return False


def block_of(node: etree._Element, base_url: str = "", depth: int = 0) -> list[Block]:
    """The blocks one element makes."""
    tag = _tag(node)
    if tag in LISTS:
        block = _list_block(node, base_url)
        return [block] if block else []
    if tag == "table":
        if node.find(".//table") is not None or node.find(".//p") is not None:
            return blocks_from(node, base_url, depth + 1)  # a layout table: read its content
        block = _table_block(node, base_url)
        return [block] if block else []
    if tag == "blockquote":
        inner = blocks_from(node, base_url, depth + 1)
        if not inner:
            return []
        text = "\n\n".join(b.text for b in inner)
        markup = "".join(b.html for b in inner)
        return [Block("blockquote", text, f"<blockquote>{markup}</blockquote>")]
    if tag in HEADINGS or tag in ("p", "pre", "address"):
        if tag == "p" and _has_blocks(node):
            return blocks_from(node, base_url, depth + 1)
        inline = _Inline(base_url)
        inline.add_text(node.text)
        for child in node:
            inline.add(child)
        text, markup = inline.flush()
        if not text:
            return []
        out = "h2" if tag == "h1" else ("p" if tag == "address" else tag)
        return [Block(out, text, f"<{out}>{markup}</{out}>")]
    if tag in ("figure", "hr"):
        return []
    if depth > MAX_DEPTH:
        return []
    return blocks_from(node, base_url, depth + 1)


def blocks_from_text(text: str) -> list[Block]:
    """Plain text (paragraphs split by blank lines or newlines) -> blocks."""
    parts = re.split(r"\n\s*\n|\r\n|\n", text) if "\n\n" not in text else re.split(r"\n\s*\n", text)
    blocks = []
    for part in parts:
        part = squash(part)
        if part:
            blocks.append(Block("p", part, f"<p>{htmllib.escape(part, quote=False)}</p>"))
    return blocks


def to_text(blocks: list[Block]) -> str:
    return "\n\n".join(b.text for b in blocks)


def to_html(blocks: list[Block]) -> str:
    """The body as HTML that is safe to serve."""
    return sanitise("".join(b.html for b in blocks))


def sanitise(markup: str) -> str:
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
