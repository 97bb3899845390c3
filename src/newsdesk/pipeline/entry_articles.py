"""The article of a feed's new entry: its page fetched, then extracted in the pool with what
matching derives from it; the feed's own copy (newsdesk.extract.article_of) when the page
cannot be had or read. One entry never fails a poll: the teaser is always there."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from newsdesk.errors import ExtractError, FetchError
from newsdesk.extract import check_page, teaser_article
from newsdesk.fetch import Fetcher
from newsdesk.model import Entry
from newsdesk.pipeline.extracting import Extracted, Extractor, extracted
from newsdesk.pipeline.site_memory import SiteMemories
from newsdesk.urls import site_of

log = logging.getLogger(__name__)


@dataclass
class EntryArticles:
    fetcher: Fetcher
    extractor: Extractor
    memory: SiteMemories | None = None  # learns each site's repeated blocks, page by page

    async def article(self, entry: Entry) -> Extracted:
        """The entry's article: the page's, else the feed's copy."""
        try:
            page = await self.fetcher.get(entry.url, kind="page")
            check_page(page.content, page.content_type, url=page.final_url)
        except (FetchError, ExtractError):  # not had, or not a web page (a PDF, an image)
            return await self.feed_copy(entry)
        site = site_of(page.final_url)
        known = self.memory.recurring(site) if self.memory is not None and site else None
        try:
            found = await self.extractor.extract_page(
                page.content, page.final_url, entry, page.charset, known
            )
        except ExtractError:  # its worker died, or the pool closed
            return await self.feed_copy(entry)
        except Exception:  # a fault of the extractor on one page must not lose the entry
            log.exception("extraction failed for %s; keeping the feed's copy", entry.url)
            return await self.feed_copy(entry)
        if self.memory is not None and found.blocks:
            self.memory.learn(site, found.blocks)
        return found

    async def feed_copy(self, entry: Entry) -> Extracted:
        """The feed's copy, its content extracted in the pool like a page (this process then
        never does what extraction does); the teaser when even that fails."""
        try:
            return await self.extractor.extract_page(None, entry.url, entry, None)
        except Exception:
            log.debug("the feed's content of %s did not extract", entry.url, exc_info=True)
            return extracted(teaser_article(entry))
