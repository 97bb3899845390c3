"""newsdesk's own body extractor: score text blocks, pick the container of the story, clean it.

Signals: text length and commas of paragraphs (credited to their ancestors), link density,
class/id/tag hints, and the aggregator's hints: the feed entry's title and teaser locate the
headline and the body's start, and a per-site memory removes blocks that recur across the site.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from newsdesk.extract.inline import RunningText, is_link_line
from newsdesk.extract.memory import BlockMemory, block_hash
from newsdesk.extract.params import DEFAULT_PARAMS, ExtractParams
from newsdesk.extract.parse import text_of
from newsdesk.extract.prune import (
    EMBED,
    drop_boilerplate_containers,
    drop_never_body,
    is_boilerplate_mark,
    marker,
    remove_node,
)
from newsdesk.extract.render import Block, block_of
from newsdesk.extract.title import fold

_PARAGRAPH_TAGS = {"p", "pre", "blockquote", "td", "dd"}
_TEXT_CONTAINERS = {"div", "section", "article", "span", "font", "center", "main", "td", "li"}
_BLOCK_CHILD = {"p", "div", "section", "article", "table", "ul", "ol", "dl", "blockquote", "pre",
                "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "main", "aside", "form",
                "figure", "nav", "li", "tr", "td"}
_POSITIVE = re.compile(
    r"article|body|content|entry|main|page|post|text|blog|story|news|detail|prose|richtext|"
    r"paragraph|artikel|inhalt|texto|noticia|materia|cuerpo|contenido", re.IGNORECASE
)
_NEGATIVE = re.compile(
    r"comment|combx|contact|foot|footer|footnote|masthead|media|meta|outbrain|promo|related|"
    r"scroll|shoutbox|sidebar|sponsor|shopping|tags|tool|widget|teaser|card|list|more|recommend|"
    r"popular|trending|newsletter|share|social|banner|ad-|nav|menu|breadcrumb|author|byline|"
    r"caption|credit|subscribe|signup|login|cookie|rail|aside", re.IGNORECASE
)
_TAG_WEIGHT = {"article": 15, "main": 10, "div": 5, "section": 3, "pre": 3, "td": 3,
               "blockquote": 3, "form": -3, "ol": -3, "ul": -3, "dl": -3, "li": -3,
               "address": -3, "th": -5, "header": -5, "footer": -15, "nav": -20, "aside": -15}
_COMMAS = re.compile(r"[,，、،;]")
# Names of the standfirst (deck, intro, summary) a page sets between its headline and the story;
# matched as a word part ("article__deck", "atc-IntroText"), not inside words ("leading").
_STANDFIRST = re.compile(
    r"(?<![a-zA-Z])(?i:standfirst|deck|dek|lead|intro|subtitle|sub-?headline|subhead|summary|"
    r"excerpt|abstract|teaser|epigraph)(?![a-z])"
)
# ... and names that make such a box something else: a caption, an author's note, a card.
_NOT_STANDFIRST = re.compile(r"author|caption|image|img|photo|media|credit|bio|card|promo|"
                             r"related|box|list", re.IGNORECASE)
# A box named for a picture ("imginline", "picture-element", "image-caption") holding little
# text: the picture's caption and credit, kept out of the body like <figcaption>.
_IMAGE_BOX = re.compile(r"(?:^|[\s_-])(?:img|image|picture|photo|foto|visual)\w*", re.IGNORECASE)


@dataclass(slots=True)
class Hints:
    """What the aggregator knows before reading the page."""

    teaser: str | None = None  # the feed entry's summary
    site: str = ""
    memory: BlockMemory | None = None
    description: str | None = None  # the page's own summary (meta description)


def _tag(node: etree._Element) -> str:
    tag = node.tag  # the HTML parser gives lower-case names
    return tag if isinstance(tag, str) else ""


_STRING_LENGTH = etree.XPath("string-length(normalize-space(.))")


class _Lengths:
    """Text and link-text lengths of elements, measured in C by XPath and cached."""

    def __init__(self) -> None:
        self._text: dict[etree._Element, int] = {}
        self._links: dict[etree._Element, int] = {}
        self._link_text: dict[etree._Element, int] = {}
        self._running = RunningText()

    def text(self, node: etree._Element) -> int:
        value = self._text.get(node)
        if value is None:
            value = self._text[node] = int(_STRING_LENGTH(node))
        return value

    def links(self, node: etree._Element) -> int:
        value = self._links.get(node)
        if value is None:
            value = self._links[node] = sum(self._link(a) for a in node.iter("a"))
        return value

    def _link(self, link: etree._Element) -> int:
        """A link's text as link text: none for a link inside a sentence longer than itself
        (names and phrases a wire story links), so a story's own links do not make it look
        like navigation."""
        value = self._link_text.get(link)
        if value is None:
            size = self.text(link)
            value = self._link_text[link] = 0 if self._running.in_sentence(link, size) else size
        return value

    def density(self, node: etree._Element) -> float:
        total = self.text(node)
        return min(1.0, self.links(node) / total) if total else 0.0

    def own(self, node: etree._Element) -> int:
        """Text written in the element itself or its inline children, not in its blocks."""
        total = len((node.text or "").strip())
        for child in node:
            total += len((child.tail or "").strip())
            if isinstance(child.tag, str) and child.tag not in _BLOCK_CHILD:
                total += self.text(child)
        return total


def _class_weight(node: etree._Element) -> int:
    mark = marker(node)
    return _mark_weight(mark) if mark else 0


@lru_cache(maxsize=4096)
def _mark_weight(mark: str) -> int:
    weight = 0
    if _POSITIVE.search(mark):
        weight += 25
    if _NEGATIVE.search(mark):
        weight -= 25
    return weight


def _has_direct_text(node: etree._Element) -> bool:
    if node.text and not node.text.isspace():
        return True
    return any(child.tail and not child.tail.isspace() for child in node)


def _paragraphs(
    root: etree._Element, lengths: _Lengths, least: int
) -> Iterable[tuple[etree._Element, int]]:
    """Paragraph-like elements of `least` characters or more, and their text length."""
    for node in root.iter(*_PARAGRAPH_TAGS, *_TEXT_CONTAINERS):
        tag = node.tag
        if tag in _PARAGRAPH_TAGS:
            size = lengths.text(node)
            if size >= least:
                yield node, size
        elif _has_direct_text(node):
            size = lengths.own(node)
            if size >= least:
                yield node, size


def _score_candidates(
    root: etree._Element, lengths: _Lengths, anchor: etree._Element | None, params: ExtractParams
) -> tuple[dict[etree._Element, float], dict[etree._Element, int]]:
    """Readability-style scores of containers, and the prose (unlinked paragraph text) in each."""
    scores: dict[etree._Element, float] = {}
    prose: dict[etree._Element, int] = {}
    for para, text_len in _paragraphs(root, lengths, params.min_paragraph):
        text = text_of(para) if text_len < 5000 else ""
        density = lengths.density(para)
        score = 1 + len(_COMMAS.findall(text)) + min(text_len // 100, 3)
        score *= 1 - density
        if density < params.prose_density:
            for ancestor in para.iterancestors():
                prose[ancestor] = prose.get(ancestor, 0) + text_len
            if _tag(para) in _TEXT_CONTAINERS:
                prose[para] = prose.get(para, 0) + text_len
        node, level = para.getparent(), 0
        if _tag(para) in _TEXT_CONTAINERS:
            node = para  # text written straight into a div counts for the div itself
        while node is not None and level < 4:
            scores[node] = scores.get(node, 0.0) + score / (
                1 if level == 0 else 2 if level == 1 else level * 3)
            node, level = node.getparent(), level + 1
    for node in scores:
        weight = _TAG_WEIGHT.get(_tag(node), 0) + _class_weight(node)
        if weight > 0:  # a promising name earns its bonus only with prose to back it
            weight *= min(1.0, prose.get(node, 0) / params.weight_prose)
        scores[node] = (scores[node] + weight) * (1 - lengths.density(node))
    if anchor is not None:  # the teaser's paragraph: its containers are the story's
        node, level = anchor.getparent(), 0
        while node is not None and level < 3:
            if node in scores:
                scores[node] += 60 / (level + 1)
            node, level = node.getparent(), level + 1
    return scores, prose


def _widen(top: etree._Element, body: etree._Element, prose: dict[etree._Element, int],
           lengths: _Lengths, params: ExtractParams) -> etree._Element:
    """Climb to a parent that holds clearly more of the story's prose (a lead paragraph or a
    second column of text beside the best container), as long as it is not a link farm."""
    for _ in range(params.max_widen):
        parent = top.getparent()
        if parent is None or parent is body:
            break
        own = prose.get(top, 0)
        rival = max((prose.get(c, 0) for c in parent if c is not top), default=0)
        if (prose.get(parent, 0) > own * params.widen_gain and rival < own * params.widen_rival
                and lengths.density(parent) < params.widen_density
                and _class_weight(parent) >= 0):
            top = parent
        else:
            break
    return top


def _probe(teaser: str | None) -> str | None:
    """The start of a teaser as the pages' text is searched for it (None: too short to tell)."""
    if not teaser:
        return None
    words = fold(teaser).split()[:8]
    return " ".join(words) if len(words) >= 5 else None


def _find_anchor(root: etree._Element, teaser: str | None) -> etree._Element | None:
    """The paragraph where the feed's teaser text starts, if the page holds it."""
    probe = _probe(teaser)
    if probe is None:
        return None
    for node in root.iter("p", "div", "section", "span", "td", "li"):
        if probe in fold(text_of(node)[:2000]) and not any(
            probe in fold(text_of(c)[:2000]) for c in node if isinstance(c.tag, str)
        ):
            return node
    return None


def _drop_recurring(root: etree._Element, hints: Hints, recurring_pages: int) -> bool:
    """Remove blocks the site shows on many pages, then remember this page's blocks.
    True when some were removed."""
    memory = hints.memory
    if memory is None or not hints.site:
        return False
    keyed: dict[str, list[etree._Element]] = {}
    texts: dict[str, str] = {}  # a text of each block, read once
    running = RunningText()
    for node in root.iter("p", "li", "h2", "h3", "h4", "h5", "h6", "div", "span", "td"):
        if _tag(node) in ("div", "span", "td") and any(_tag(c) in _BLOCK_CHILD for c in node):
            continue  # containers are judged by their blocks
        if running.keeps(node):
            continue  # a name the site links on every page is still a word of this sentence
        text = text_of(node)
        if text.strip():
            key = block_hash(text)
            keyed.setdefault(key, []).append(node)
            texts.setdefault(key, text)
    seen = memory.counts(hints.site, keyed)
    memory.remember(hints.site, keyed)
    doomed = [key for key in keyed if seen.get(key, 0) >= recurring_pages]
    if not doomed:
        return False
    # a story's lead is the teaser the site's other pages show of it: never take it for theirs
    leads = [p for p in (_probe(hints.teaser), _probe(hints.description)) if p is not None]
    dropped = False
    for key in doomed:
        if leads and any(lead in fold(texts[key][:2000]) for lead in leads):
            continue
        for node in keyed[key]:
            if node.getparent() is not None:
                node.getparent().remove(node)
                dropped = True
    return dropped


def _clean_container(node: etree._Element, lengths: _Lengths, params: ExtractParams) -> None:
    """Inside the chosen container: drop link lists, link-only lines and negative boxes; a
    span inside a sentence is the sentence's."""
    running = RunningText()
    for child in list(node.iter("ul", "ol", "div", "section", "table", "p", "span", "dl")):
        if child is node or child.getparent() is None:
            continue
        tag = _tag(child)
        text = lengths.text(child)
        density = lengths.density(child)
        if text == 0:
            if tag in ("div", "section", "span", "p"):
                continue
            child.getparent().remove(child)
            continue
        weight = _class_weight(child)
        if EMBED.search(marker(child)):
            continue
        if tag == "span" and running.keeps(child):
            continue
        if _is_link_box(tag, text, density, weight) and (tag != "p" or is_link_line(child)) or (
                _is_teaser_list(child, lengths, params)):
            child.getparent().remove(child)
        elif text < params.image_box_text and _IMAGE_BOX.search(marker(child)):
            remove_node(child)  # the text after the picture is the story's


def _is_teaser_list(node: etree._Element, lengths: _Lengths, params: ExtractParams) -> bool:
    """Linked headings making much of a box: a strip of other stories, not subheadings."""
    if _tag(node) not in ("div", "section", "ul", "ol"):
        return False
    linked = chars = 0
    for heading in node.iter("h2", "h3", "h4", "h5", "h6"):
        if heading.find(".//a") is not None or heading.getparent().tag == "a":
            linked += 1
            chars += lengths.text(heading)
    return linked >= params.teaser_headings and chars >= params.teaser_share * lengths.text(node)


def _is_link_box(tag: str, text: int, density: float, weight: int) -> bool:
    if tag in ("ul", "ol", "dl"):
        return density > 0.5
    if tag == "p":
        return density > 0.7 and text < 300
    if tag in ("div", "section", "table"):
        return (density > 0.5 and text < 2000) or (weight < 0 and density > 0.25 and text < 1000)
    return False


def _siblings(top: etree._Element, scores: dict[etree._Element, float],
              prose: dict[etree._Element, int], lengths: _Lengths,
              params: ExtractParams) -> list[etree._Element]:
    """The top candidate and those of its siblings that hold more of the story."""
    parent = top.getparent()
    if parent is None:
        return [top]
    threshold = max(10.0, scores[top] * 0.2)
    enough_prose = max(params.sibling_prose, prose.get(top, 0) * params.sibling_share)
    kept = []
    top_mark = top.get("class")
    for sibling in parent:
        if not isinstance(sibling.tag, str):
            continue
        if sibling is top:
            kept.append(sibling)
            continue
        bonus = scores[top] * 0.2 if top_mark and sibling.get("class") == top_mark else 0
        if (scores.get(sibling, -1e9) + bonus >= threshold
                or _is_prose_module(sibling, prose, lengths, enough_prose, params)):
            kept.append(sibling)
        elif _tag(sibling) == "p":
            text = lengths.text(sibling)
            density = lengths.density(sibling)
            if (text > 80 and density < 0.25) or (0 < text <= 80 and density == 0 and
                                                 re.search(r"\.( |$)", text_of(sibling))):
                kept.append(sibling)
    kept = _continuations(parent, kept, prose, lengths, enough_prose, params)
    lead = _lead_before(kept[0], prose, lengths, params)
    return [lead, *kept] if lead is not None else kept


CONTINUATION_PROSE = 0.6  # the share of a following box's text in prose paragraphs


def _continuations(parent: etree._Element, kept: list[etree._Element],
                   prose: dict[etree._Element, int], lengths: _Lengths, enough: float,
                   params: ExtractParams) -> list[etree._Element]:
    """Consecutive blocks of the same story are one body, whatever their names say ("media-
    body", "story-list-item"): a sibling holding story prose (as much as a sibling module, or
    one paragraph's worth when it is a box of paragraphs like the story's) that follows or
    precedes a kept part, with only small boxes between them (ads, promos,
    "read more" lines, newsletter boxes), joins.
    The boxes between are judged block by block: they stay out."""
    chosen = set(kept)
    siblings = [s for s in parent if isinstance(s.tag, str)]
    for order in (siblings, siblings[::-1]):  # the story goes on after its parts, and before
        next_to_story = False
        for sibling in order:
            if sibling in chosen:
                next_to_story = True
            elif next_to_story and _continues(sibling, prose, lengths, _least(
                    sibling, kept[0], enough, params), params):
                chosen.add(sibling)
            elif next_to_story and prose.get(sibling, 0) >= params.lead_prose and not (
                    is_boilerplate_mark(marker(sibling))):
                next_to_story = False  # a block of other prose ends the story
    return [s for s in siblings if s in chosen]


def _least(node: etree._Element, part: etree._Element, enough: float,
           params: ExtractParams) -> float:
    """The prose a following box needs to continue the story: a lead's worth when it is a box
    of paragraphs only, of the same kind as the story's part; else a sibling module's."""
    if node.tag == part.tag and len(node) and all(c.tag == "p" for c in node):
        return params.lead_prose
    return enough


def _continues(node: etree._Element, prose: dict[etree._Element, int], lengths: _Lengths,
               enough: float, params: ExtractParams) -> bool:
    """Story prose, named as anything but boilerplate: mostly paragraphs of unlinked text (not
    a box of names and headings around a plea), not a strip of teasers."""
    held = prose.get(node, 0)
    return (held >= enough and held >= CONTINUATION_PROSE * lengths.text(node)
            and lengths.density(node) < params.prose_density
            and _tag(node) not in ("header", "footer", "aside", "nav")
            and not is_boilerplate_mark(marker(node))
            and not _is_teaser_list(node, lengths, params))


def _standfirst(body: etree._Element, parts: list[etree._Element],
                lengths: _Lengths, params: ExtractParams) -> etree._Element | None:
    """The standfirst between the page's headline and the story's first part: the story's
    opening, which the layout puts in the header beside the headline. A box named as such, or
    a paragraph in the headline's own box (one that does not hold the story)."""
    holding = {a for part in parts for a in part.iterancestors()} | set(parts)
    first, header = parts[0], set()
    for node in body.iter():
        if node is first:
            break
        if node.tag == "h1":
            header = set(itertools.islice(
                (a for a in node.iterancestors() if a not in holding), params.header_levels,
            )) or {node}
        elif (header and node not in holding and isinstance(node.tag, str)
              and _is_standfirst(node, lengths, header, params)):
            return node
    return None


def _is_standfirst(node: etree._Element, lengths: _Lengths, header: set[etree._Element],
                   params: ExtractParams) -> bool:
    low, high = params.standfirst_chars
    if not low <= lengths.text(node) <= high or lengths.density(node) >= params.prose_density:
        return False
    mark = marker(node)
    if mark and _NOT_STANDFIRST.search(mark):
        return False
    if mark and _STANDFIRST.search(mark):
        return True
    return node.tag in ("p", "h2") and any(a in header for a in node.iterancestors())


def _lead_before(first: etree._Element, prose: dict[etree._Element, int],
                 lengths: _Lengths, params: ExtractParams) -> etree._Element | None:
    """A block of prose right before the story's first part (empty boxes and headings between
    them aside): the lead or standfirst, set apart from the body by the page's layout."""
    node = first.getprevious()
    gap, least = params.lead_gap, params.lead_prose
    while node is not None and (not isinstance(node.tag, str) or lengths.text(node) < gap
                                or _tag(node) in ("h1", "h2", "h3", "h4", "h5", "h6")):
        node = node.getprevious()
    if node is None or prose.get(node, 0) < least and not (
            _tag(node) == "p" and lengths.text(node) >= least):
        return None
    if lengths.density(node) < params.prose_density and _is_prose_module(
            node, prose, lengths, 0, params):
        return node
    return None


def _is_prose_module(node: etree._Element, prose: dict[etree._Element, int], lengths: _Lengths,
                     enough: float, params: ExtractParams) -> bool:
    """A block of unlinked text, not named as boilerplate and not a strip of teasers."""
    return (prose.get(node, 0) >= enough and lengths.density(node) < params.prose_density
            and _class_weight(node) >= 0 and _tag(node) not in ("header", "footer")
            and not _is_teaser_list(node, lengths, params))


@dataclass(slots=True)
class Body:
    """The story's blocks, and the share of the page's prose they come from: a low share says
    the story may be spread wider than the containers chosen."""

    blocks: list[Block]
    coverage: float = 1.0
    hinted: bool = False  # the feed teaser or the site memory shaped the choice
    page_prose: int = 0  # characters of unlinked paragraph text in the page
    page_sentences: int = 0  # characters of the page's runs of text that hold a sentence


def extract_body(
    root: etree._Element, url: str, hints: Hints | None = None,
    params: ExtractParams = DEFAULT_PARAMS,
) -> list[Block]:
    """The story's blocks, or [] when no container stands out. Mutates ``root``."""
    return find_body(root, url, hints, params).blocks


def find_body(
    root: etree._Element, url: str, hints: Hints | None = None,
    params: ExtractParams = DEFAULT_PARAMS,
) -> Body:
    """The story's blocks and their coverage of the page's prose. Mutates ``root``."""
    hints = hints or Hints()
    body = root.find("body")
    if body is None:
        return Body([])
    drop_never_body(body, params)
    recurring = _drop_recurring(body, hints, params.recurring_pages)
    anchor = _find_anchor(body, hints.teaser)
    lengths = _Lengths()
    limit = int(lengths.text(body) * params.max_boilerplate_share)
    drop_boilerplate_containers(root, keep=anchor, size=lengths.text, limit=limit)
    lengths = _Lengths()  # the tree changed
    scores, prose = _score_candidates(body, lengths, anchor, params)
    if not scores:
        return Body([])
    if anchor is not None:  # the teaser's paragraph is in the story: so is the container
        chain = [a for a in anchor.iterancestors() if a in scores]
        top = max(chain, key=scores.get) if chain else max(scores, key=scores.get)
    else:
        top = max(scores, key=scores.get)
    top = _widen(top, body, prose, lengths, params)
    # A lone child does not split the story: climb while it is the only child holding text.
    while top.getparent() is not None and top.getparent() is not body:
        parent = top.getparent()
        if all(child is top or not lengths.text(child) for child in parent):
            top = parent
        else:
            break
    scores.setdefault(top, 0)
    parts = _siblings(top, scores, prose, lengths, params)
    standfirst = _standfirst(body, parts, lengths, params)
    if standfirst is not None:
        parts.insert(0, standfirst)
    page_prose = prose.get(body, 0)
    kept_prose = sum(prose.get(part, 0) or lengths.text(part) for part in parts)
    coverage = min(1.0, kept_prose / page_prose) if page_prose else 1.0
    blocks: list[Block] = []
    for part in parts:
        _clean_container(part, lengths, params)
        blocks.extend(block_of(part, url))
    # the headline repeated on top goes in cleanup.clean_blocks
    return Body(blocks, coverage, recurring or anchor is not None, page_prose,
                _sentence_chars(body))


# A run of text holding a sentence: 40 characters or more, a full stop inside or at its end.
_SENTENCE_RUN = re.compile(r"\w.{38,}?[.!?。！？](?:\s|$)", re.DOTALL)


def _sentence_chars(body: etree._Element) -> int:
    """Characters of the (pruned) page's text runs that hold a sentence, wherever they sit
    (paragraphs, list items, boxes, table cells): how much story text the page may hold."""
    return sum(len(t) for t in (s.strip() for s in body.itertext()) if _SENTENCE_RUN.search(t))
