"""Remove what is never article text before any body extractor looks at the tree."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from lxml import etree

from newsdesk.extract.inline import RunningText
from newsdesk.extract.params import DEFAULT_PARAMS, ExtractParams
from newsdesk.extract.parse import text_of

# Elements whose content is never body text.
_DROP_TAGS = (
    "script", "style", "noscript", "template", "svg", "math", "button", "select", "textarea",
    "input", "iframe", "object", "embed", "video", "audio", "canvas", "figcaption",
    "nav", "dialog", "label", "head",
)
# class/id words that mark boilerplate containers; matched as whole words or word parts.
BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:ad|ads|advert\w*|adslot|ad-?slot|ad-?unit|ad-?container|dfp|gpt|banner|"
    r"sponsor\w*|promo\w*|outbrain|taboola|cookie\w*|consent|gdpr|newsletter\w*|subscribe\w*|"
    r"signup|paywall|share\w*|sharing|social\w*|related\w*|recommend\w*|more-?stories|"
    r"most-?(?:read|popular|viewed)|popular|trending|read-?more|read-?next|up-?next|"
    r"comments?|comment-?form|respond|disqus|breadcrumbs?|caption\w*|credit\w*|copyright|"
    r"byline\w*|author-?bio|tags?|tag-?list|widget\w*|sidebar\w*|rail|masthead|"
    r"footer\w*|header\w*|navbar|nav|menu\w*|print-?only|sr-only|visually-?hidden|"
    r"modal|popup|overlay|toolbar|pagination|pager|prev|next|prev-?next|next-?prev|"
    r"post-?nav\w*|tooltip|popover|hovercard|rollover\w*)(?:$|[\s_-])",
    re.IGNORECASE,
)
EMBED = re.compile(r"embed|tweet|instagram", re.IGNORECASE)
_MAYBE_HIDDEN = etree.XPath("//*[@hidden or @aria-hidden or @style]")
# Names no page gives to the element holding its story: removed whatever their size.
_STRONG = re.compile(
    r"related|more-?stories|most-?(?:read|popular)|recommend|comments?(?:$|[\s_-])|newsletter|"
    r"cookie|consent|sidebar|outbrain|taboola", re.IGNORECASE
)
_STORY_WORDS = re.compile(r"content|article|story|body|main|text", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def remove_node(node: etree._Element) -> None:
    """Take a node out of the tree, keeping its tail text in place."""
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail
    if tail and tail.strip():
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


def drop_never_body(root: etree._Element, params: ExtractParams = DEFAULT_PARAMS) -> None:
    """Scripts, forms, navigation, captions, hidden elements: gone."""
    for node in list(root.iter(*_DROP_TAGS)):
        remove_node(node)
    for node in list(root.iter("figure", "aside")):
        if node.tag == "figure" or not _is_wrapper(node, root, params.wrapper_share):
            remove_node(node)
    for node in list(root.iter("form")):  # search boxes, sign-ups; ASP.NET wraps whole pages
        if len(text_of(node)) < params.small_form:
            remove_node(node)
    for node in _MAYBE_HIDDEN(root):
        hidden = node.get("hidden") is not None or node.get("aria-hidden") == "true"
        if hidden or _HIDDEN_STYLE.search(node.get("style") or ""):
            remove_node(node)


def _is_wrapper(aside: etree._Element, root: etree._Element, share: float) -> bool:
    """An aside holding the headline and `share` of the page is no sidebar: unclosed markup
    stretched it around the story."""
    return (aside.find(".//h1") is not None
            and len(text_of(aside)) > share * len(text_of(root)))


@lru_cache(maxsize=4096)
def is_boilerplate_mark(mark: str) -> bool:
    """Class/id words of a boilerplate box; a quoted post (embed) is part of the story."""
    return bool(BOILERPLATE.search(mark)) and not EMBED.search(mark)


# Taxonomy and state classes ("tag-sunset", "category-news", "has-sidebar") describe the post,
# not the box: they say nothing about whether it is boilerplate.
_STATE_CLASS = re.compile(r"(?:^|\s)(?:tag|category|has|is|with|format|status|type)-\S*")


def marker(node: etree._Element) -> str:
    """The class, id and role of an element, for pattern checks."""
    classes = node.get("class")
    if classes and "-" in classes:
        classes = _STATE_CLASS.sub(" ", classes)
    return " ".join(filter(None, (classes, node.get("id"), node.get("role"))))


def drop_boilerplate_containers(
    root: etree._Element,
    keep: etree._Element | None = None,
    size: Callable[[etree._Element], int] | None = None,
    limit: int = 0,
) -> None:
    """Containers whose class or id says ad, share bar, related strip, cookie notice...

    A container that holds the story goes nowhere, whatever its name: one holding the page's
    <h1> or <article>, or (with ``size``) more than ``limit`` characters. Page wrappers named
    "has-ads" or "off-canvas-advertisement" hold the story too. A link or span inside a
    sentence is the sentence's ("President <a class="tag">Donald Trump</a> said"), and stays.
    """
    body = root.find("body")
    start = body if body is not None else root
    spared = set(keep.iterancestors()) | {keep} if keep is not None else set()
    for story in start.iter("h1", "article", "main"):
        spared.update(story.iterancestors())
        spared.add(story)
    running = RunningText()
    # innermost first: a box set inside a sentence goes before the words around it are judged
    for node in reversed(list(start.iter("div", "section", "ul", "ol", "p", "span", "header",
                                         "footer", "aside", "table", "a", "li", "figure",
                                         "blockquote"))):
        if node in spared:
            continue
        mark = marker(node)
        if not mark or not is_boilerplate_mark(mark) or _is_article_container(node, mark):
            continue
        if running.keeps(node):
            continue
        if _holds_story_text(node) and not _STRONG.search(mark):
            continue  # a part of the story in a box named "paywall", "ad-wrapper"...
        if size is None or size(node) <= limit or (_STRONG.search(mark)
                                                   and not _STORY_WORDS.search(mark)):
            remove_node(node)


STORY_PARAGRAPHS = 2  # a box holding this many paragraphs of prose holds story text
STORY_PARAGRAPH = 80  # characters of unlinked text in such a paragraph
STORY_SHARE = 0.7  # ... making this share of the box's text


def _holds_story_text(node: etree._Element) -> bool:
    """Whether a box is made of paragraphs of prose (unlinked text of some length), as a part
    of a story is and an ad slot, a promo, a share bar or a plea with its staff list is not."""
    found = chars = 0
    for para in node.iter("p"):
        text = len(text_of(para).strip())
        if text < STORY_PARAGRAPH:
            continue
        linked = sum(len(text_of(a)) for a in para.iter("a"))
        if linked < 0.3 * text:
            found += 1
            chars += text
    return found >= STORY_PARAGRAPHS and chars >= STORY_SHARE * len(text_of(node).strip())


def _is_article_container(node: etree._Element, mark: str) -> bool:
    """Some themes put 'post-header' or 'has-sidebar' on the element that holds the whole story."""
    low = mark.lower()
    if re.search(r"article|story|post-?(?:body|content)|entry-content|main", low):
        return len(node.xpath(".//p")) >= 3
    return False
