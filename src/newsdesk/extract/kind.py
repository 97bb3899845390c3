"""Is a page a news article? Archives hold every page a crawler met: home pages, section fronts,
tag pages and video pages beside the stories. Pure.

    address_kind("https://example.com/world/")       # "section front": no need to extract it
    page_kind(url, article)                           # "not an article" when its body is too thin
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from newsdesk.extract.params import DEFAULT_PARAMS, ExtractParams
from newsdesk.model import Article

# path segments that name a list of stories, not one story
_LISTS = {
    "tag": "tag page",
    "tags": "tag page",
    "topic": "tag page",
    "topics": "tag page",
    "author": "tag page",
    "authors": "tag page",
    "category": "section front",
    "categories": "section front",
    "section": "section front",
    "sections": "section front",
    "search": "section front",
    "page": "section front",
    "archive": "section front",
    "video": "video page",
    "videos": "video page",
    "watch": "video page",
    "live-tv": "video page",
}
_NOT_PAGES = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|ico|css|js|json|xml|rss|pdf|mp4|txt)$", re.I)
_INDEX = re.compile(r"index\.(?:html?|php|aspx?|jsp)")
_STORY_QUERY = re.compile(r"(?:^|&)(?:p|id|story|article|articleid|storyid|newsid)=\d+", re.I)
_SLUG = re.compile(r"[-_]|\d")  # a story's address: a slug with words joined, or a number


def address_kind(url: str) -> str | None:
    """What a page's address says it is when that is not an article (None: it may be one)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "not a web address"
    segments = [s for s in parts.path.lower().split("/") if s]
    if segments and _INDEX.fullmatch(segments[-1]):
        segments.pop()  # /2019/11/18/politics/a-story/index.html: the folder names the page
    if _STORY_QUERY.search(parts.query):
        return None  # /?p=3289, /article.php?id=51: the query names the story
    if not segments:
        return "home page"
    if _NOT_PAGES.search(segments[-1]):
        return "not a page"
    for segment in segments:
        if segment in _LISTS:
            return _LISTS[segment]
    if len(segments) <= 2 and not any(_SLUG.search(s) for s in segments):
        return "section front"  # /world, /news/politics: no story's own name in them
    return None


def page_kind(url: str, article: Article, params: ExtractParams = DEFAULT_PARAMS) -> str | None:
    """What the extracted page is when it is not an article (None: it is one): its address,
    else extraction's own judgement (no body found, or one too short to be a story)."""
    by_address = address_kind(url)
    if by_address is not None:
        return by_address
    if not article.method or len(article.text) < params.min_body_chars:
        return "not an article"
    return None
