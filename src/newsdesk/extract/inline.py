"""Inline elements inside running text: the words of a sentence, whatever their markup says.

A paragraph's own links and spans never lose their text: a link to a tag page on a name
("President <a href="/tag/donald-trump" class="tag">Donald Trump</a> said...") is part of the
sentence, and so is a span named "author" around a quoted person. Only whole blocks are
boilerplate.
"""

from __future__ import annotations

import re

from lxml import etree

from newsdesk.extract.parse import text_of

INLINE = frozenset({"a", "span", "em", "strong", "b", "i", "u", "s", "small", "big", "abbr",
                    "cite", "mark", "time", "font", "q", "sup", "sub", "code", "dfn", "var",
                    "ins", "del", "bdi", "bdo", "kbd", "samp", "data"})
PARAGRAPHS = frozenset({"p", "blockquote", "dd", "dt", "td", "th", "pre", "h1", "h2", "h3",
                        "h4", "h5", "h6"})
WORDS_KEPT = 200  # an inline element longer than this is a box set in the text, not words
RUNNING_TEXT = 15  # characters of the block's own words around an element make a sentence
_WORD = re.compile(r"\w")
# A sentence ends after the last link: "... met <a>Elon Musk</a>." (a link line does not).
_SENTENCE_END = re.compile(r"[.!?…。！？]['\"’”»)]*\s*$")


def _flow(node: etree._Element) -> int:
    """Characters written between the elements of ``node``'s own line of text: the tails of its
    children and of their inline content, not what nested blocks (paragraphs, boxes) hold."""
    total = 0
    for child in node:
        tail = child.tail
        if tail and _WORD.search(tail):
            total += len(tail.strip())
        if child.tag in INLINE:
            total += _flow(child)
    return total


class RunningText:
    """Which inline elements sit inside sentences; the blocks' running text is cached."""

    def __init__(self) -> None:
        self._block: dict[etree._Element, int] = {}

    def words(self, block: etree._Element) -> int:
        """Characters of the block's own running text: its text and every tail inside it."""
        value = self._block.get(block)
        if value is None:
            lead = block.text if block.text and _WORD.search(block.text) else ""
            value = self._block[block] = len(lead.strip()) + _flow(block)
        return value

    def inside(self, node: etree._Element) -> bool:
        """An inline element with words of its own block around it: part of a sentence."""
        if node.tag not in INLINE:
            return False
        block = self._block_of(node)
        if block is None:
            return False
        # in a paragraph any word around it makes a sentence; in a box, a link with a
        # sentence's worth of words around it (a span there is as often a caption or credit)
        if block.tag in PARAGRAPHS:
            least = 1
        elif node.tag == "a":
            least = RUNNING_TEXT
        else:
            return False
        return self.words(block) - _flow(node) >= least

    def in_sentence(self, node: etree._Element, size: int) -> bool:
        """An element of ``size`` characters set in a sentence longer than itself: the words
        around it in its paragraph outnumber its own ("... met <a>Elon Musk</a> on Monday"),
        unlike a label before a link ("Read more: <a>...</a>")."""
        block = self._block_of(node)
        if block is None or block.tag not in PARAGRAPHS and block.tag not in ("div", "li"):
            return False
        return self.words(block) - _flow(node) >= max(RUNNING_TEXT, size)

    def _block_of(self, node: etree._Element) -> etree._Element | None:
        block = node.getparent()
        while block is not None and block.tag in INLINE:
            block = block.getparent()
        return block

    def keeps(self, node: etree._Element) -> bool:
        """A few words of a sentence (a name, a linked phrase), which stay whatever the
        element's name says; a box of links inside a sentence (a hover card on a name, with
        its picture and the person's latest stories) does not."""
        return (len(text_of(node)) <= WORDS_KEPT and node.find(".//img") is None
                and sum(1 for _ in node.iter("a")) <= 1 and self.inside(node))


def is_link_line(paragraph: etree._Element) -> bool:
    """A paragraph made of links and a label ("Read more: <a>...</a>", a row of tags), not a
    sentence with links in it: two words at most outside its links, and no sentence ending
    after its last link or, with several links, at its end."""
    words = [paragraph.text or ""]
    for node in paragraph.iterdescendants():
        if not any(a.tag == "a" for a in node.iterancestors() if _within(a, paragraph)):
            words.append(node.tail or "")
    # words in capitals are labels ("DON'T MISS", "[WATCH]"); caseless scripts count
    if sum(1 for w in " ".join(words).split() if w.upper() == w.lower() or w != w.upper()) > 2:
        return False
    links = list(paragraph.iter("a"))
    if not links:
        return False
    if links[-1].tail and _SENTENCE_END.search(links[-1].tail):
        return False  # "... with <a>Elon Musk</a>."
    # several links in a sentence that ends inside the last: "<a>Volunteers</a> set up <a>...
    # alone.</a>"; one link ending a sentence after a label is a teaser ("Read more: <a>...</a>")
    return len(links) < 2 or not _SENTENCE_END.search(text_of(paragraph))


def _within(ancestor: etree._Element, paragraph: etree._Element) -> bool:
    """``ancestor`` lies inside ``paragraph`` (the paragraph itself excluded)."""
    return ancestor is not paragraph and any(a is paragraph for a in ancestor.iterancestors())
