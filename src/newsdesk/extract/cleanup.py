"""Blocks that are never the article, whatever extractor kept them."""

from __future__ import annotations

import re

from newsdesk.extract.render import Block
from newsdesk.extract.title import fold

# Whole-block labels: ad slots, sponsor notes, share prompts, credits.
_LABEL = re.compile(
    r"^\W*(?:advertisements?|advertising|advertisement\W+continue reading below|anzeigen?|werbung|"
    r"publicidad|publicidade|pubblicità|publicité|реклама|광고|広告|iklan|sponsored(?: content)?|"
    r"paid content|promoted|story continues below(?: advertisement)?|continue reading below|"
    r"article continues below(?: advertisement)?|skip advertisement|scroll to continue|"
    r"share(?: this)?(?: article| story)?|share on \w+|tweet|email|print|"
    r"read more|see also|related(?: articles| stories| content)?|more stories|"
    r"image source,?.*|image caption,?.*|media caption,?.*|photo(?:graph)?:.*|"
    r"picture:.*|credit:.*|bild:.*|foto:.*|©.*|\(c\) .*|getty images|reuters|afp|ap photo.*)\W*$",
    re.IGNORECASE,
)
_MAX_LABEL = 120


def is_label(text: str) -> bool:
    """A short block that is an ad slot, a credit or a prompt rather than prose."""
    return len(text) <= _MAX_LABEL and bool(_LABEL.match(text))


def clean_blocks(
    blocks: list[Block], title: str | None = None, authors: list[str] = (),
) -> list[Block]:
    """Drop labels, the headline and bylines repeated in the body, and repeated blocks."""
    folded_title = fold(title) if title else ""
    names = {fold(a) for a in authors}
    kept: list[Block] = []
    seen: set[str] = set()
    for block in blocks:
        text = block.text
        if is_label(text):
            continue
        key = fold(text)
        if not key:
            continue
        if folded_title and key == folded_title and not kept:
            continue  # the headline repeated at the top of the body
        if names and len(text) < 160 and _is_byline(key, names):
            continue
        if key in seen and len(key) > 0:
            continue
        seen.add(key)
        kept.append(block)
    return kept


def _is_byline(key: str, names: set[str]) -> bool:
    stripped = re.sub(r"^(?:by|von|par|por|di|door|av)\s+", "", key)
    return stripped in names or any(key.startswith("by " + n) for n in names if n)
