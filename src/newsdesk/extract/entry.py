"""The article of a feed entry: its page when the page reads, else the feed's own copy.

    article = article_of(page_bytes, page_url, entry=entry, charset="utf-8")
    article = article_of(None, entry.url, entry=entry)  # the page could not be had

The feed's copy is the entry's content when it carries some, else its teaser; `method` is
"feed" for both.
"""

from __future__ import annotations

from newsdesk.errors import ExtractError
from newsdesk.extract.article import extract_article
from newsdesk.extract.memory import BlockMemory
from newsdesk.extract.params import DEFAULT_PARAMS, ExtractParams
from newsdesk.model import Article, Entry


def article_of(
    page: bytes | str | None,
    url: str,
    *,
    entry: Entry | None = None,
    charset: str | None = None,
    site_memory: BlockMemory | None = None,
    params: ExtractParams = DEFAULT_PARAMS,
) -> Article:
    """The page's article; without a page, or when nothing can be made of it, the entry's.
    Raises ExtractError only when there is no entry to fall back on."""
    if page is not None:
        try:
            return extract_article(
                page, url, entry=entry, site_memory=site_memory, charset=charset, params=params
            )
        except ExtractError:
            if entry is None:
                raise
    if entry is None:
        raise ExtractError("no page and no feed entry to read", url=url)
    return feed_copy(entry, params)


def feed_copy(entry: Entry, params: ExtractParams = DEFAULT_PARAMS) -> Article:
    """The feed's own copy of an entry: its content when it has some, else its teaser."""
    if entry.content_html:
        try:
            article = extract_article(entry.content_html, entry.url, entry=entry, params=params)
        except ExtractError:
            pass
        else:
            article.method = "feed"
            return article
    return teaser_article(entry)


def teaser_article(entry: Entry) -> Article:
    """An entry as its feed gave it: headline, byline, dates and teaser."""
    return Article(
        url=entry.url,
        title=entry.title,
        authors=list(entry.authors),
        published=entry.published,
        updated=entry.updated,
        language=entry.language,
        image=entry.image,
        description=entry.summary,
        text=entry.summary or "",
        method="feed",
    )
