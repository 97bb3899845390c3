"""A sitemap source read for one poll: its sitemap, and when that is an index, the sitemaps in
it worth reading, turned into the entries a feed would give.

What a big index costs is bounded: of its child sitemaps only news sitemaps are read when it has
any (known from an earlier poll, else guessed from the name), else the newest by `<lastmod>`, at
most `sitemap_children` of them a poll. A regular child the index dates as unchanged since it
was read is not fetched again; the others are asked for conditionally, with the validators kept
in the source's state. The state is recorded by the poll only once the entries are stored, like a
feed's ETag, so a poll cut short reads everything again.

A child sitemap that fails (refused, unreachable, not a sitemap) or reads only in part costs
only itself: the others are read, and its one line is recorded on the source. The sitemap at the
source's own address failing fails the poll, as a feed does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from newsdesk.errors import FeedError, FetchError
from newsdesk.extract.kind import address_kind
from newsdesk.feeds.sitemaps import ChildSitemap
from newsdesk.fetch import Fetcher
from newsdesk.model import Entry, Feed, Page, ParsedFeed
from newsdesk.pipeline.extracting import Extractor
from newsdesk.pipeline.params import PipelineParams
from newsdesk.pipeline.reports import one_line
from newsdesk.times import as_utc
from newsdesk.urls import display_url

SITEMAP_ACCEPT = "application/xml, text/xml;q=0.9, application/gzip;q=0.8, */*;q=0.5"
MAX_DEPTH = 3  # sitemap indexes nested deeper are not followed
State = dict[str, Any]


@dataclass
class SourceRead:
    """What one poll read of a source: the answer at its address (its validators and
    Cache-Control) and the entries; for a sitemap source, what to remember for the next poll
    and the problems of its parts, one line each."""

    page: Page
    parsed: ParsedFeed | None  # None: not modified, nothing read
    state: State | None = None
    problems: list[str] = field(default_factory=list)
    parse_cpu_seconds: float = 0.0
    more: int = 0  # new entries left out before they were made (a feed over the entry cap)
    entry_times: list[datetime] | None = None  # its entries' dates, for the schedule

    def __post_init__(self) -> None:
        if self.entry_times is None and self.parsed is not None:
            self.entry_times = [e.published for e in self.parsed.entries if e.published]

    def state_to_keep(self, remaining: bool) -> State | None:
        """The state to record. With entries left for the next poll, no validators nor dates
        are kept: the next poll must read every sitemap again, not be told nothing changed."""
        if self.state is None or not remaining:
            return self.state
        docs = {
            url: {key: value for key, value in doc.items() if key in ("news", "picked")}
            for url, doc in self.state["docs"].items()
        }
        return {"docs": docs}


@dataclass
class SitemapReader:
    fetcher: Fetcher
    extractor: Extractor
    params: PipelineParams
    max_bytes: int  # the body cap, for what a gzip sitemap inflates to

    async def read(self, feed: Feed, page: Page | None = None) -> SourceRead:
        """The source's new read (no entries when its sitemap answered 304 and it is no index);
        `page`: its sitemap, fetched already. Raises FetchError or FeedError when the sitemap
        at its address fails."""
        known: State = (feed.source_state or {}).get("docs", {})
        if page is None:
            page = await self.fetcher.get(
                feed.url,
                etag=feed.etag,
                last_modified=feed.last_modified,
                kind="feed",
                accept=SITEMAP_ACCEPT,
            )
        if page.not_modified and not _is_index(known.get(feed.url)):
            return SourceRead(page, None)
        run = _Run(known)
        await self._document(run, feed.url, None, 0, page)
        parsed = ParsedFeed(format="sitemap-news" if run.news else "sitemap", entries=run.entries)
        return SourceRead(page, parsed, {"docs": run.docs}, run.problems, run.cpu)

    async def _document(
        self, run: _Run, url: str, lastmod: datetime | None, depth: int, page: Page | None = None
    ) -> None:
        """Read one sitemap into `run`: its entries, or the children it picks. Only the root
        (depth 0) raises; a child's failure is one of the run's problems."""
        shown = display_url(url)
        if url in run.visited:
            run.problems.append(f"sitemap index loop: {shown} is named again")
            return
        run.visited.add(url)
        old: State = run.known.get(url) or {}
        stamp = lastmod.isoformat() if lastmod else None
        if depth and stamp and old.get("lastmod") == stamp and "etag" in old and not old["news"]:
            # the index dates it as unchanged since it was read; a news sitemap, small and
            # changing by the hour, is asked for all the same (conditionally)
            run.keep(url, old)
            return
        try:
            if page is None:
                page = await self.fetcher.get(
                    url,
                    etag=old.get("etag"),
                    last_modified=old.get("last_modified"),
                    kind="feed",
                    accept=SITEMAP_ACCEPT,
                )
            if page.not_modified:
                run.keep(url, old)
                await self._children(run, old.get("picked", []), depth)
                return
            sitemap, cpu = await self.extractor.parse_sitemap(
                page.content,
                page.final_url,
                max_urls=self.params.sitemap_max_urls,
                max_bytes=self.max_bytes,
                deadline=self.params.parse_deadline,
            )
        except (FetchError, FeedError) as exc:
            if depth == 0:
                raise
            run.problems.append(f"child sitemap skipped: {one_line(str(exc))}")
            return
        run.cpu += cpu
        if sitemap.problem:
            run.problems.append(f"{sitemap.problem} ({shown})")
        doc: State = {
            "etag": page.headers.get("etag"),
            "last_modified": page.headers.get("last-modified"),
            "lastmod": stamp,
            "news": sitemap.news,
        }
        run.docs[url] = doc
        if not sitemap.index:
            # a site's sitemap lists its home page, sections and tags beside its stories: an
            # address that says it is one of those is no entry (a news sitemap's entries are
            # stories by its definition)
            run.entries.extend(e for e in sitemap.entries if e.title or not address_kind(e.url))
            run.news = run.news or sitemap.news
            return
        if depth + 1 >= MAX_DEPTH:
            run.problems.append(f"sitemap indexes nested over {MAX_DEPTH} deep: {shown} not read")
            return
        picked = pick_children(sitemap.children, run.known, self.params.sitemap_children)
        doc["picked"] = [[child.url, _iso(child.lastmod)] for child in picked]
        await self._children(run, doc["picked"], depth)

    async def _children(self, run: _Run, picked: list[list[Any]], depth: int) -> None:
        for url, stamp in picked:
            lastmod = datetime.fromisoformat(stamp) if stamp else None
            await self._document(run, url, lastmod, depth + 1)


@dataclass
class _Run:
    """One poll's reading of a source."""

    known: State  # what the last poll recorded, by sitemap URL
    docs: State = field(default_factory=dict)  # what this one will record
    entries: list[Entry] = field(default_factory=list)
    visited: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    news: bool = False
    cpu: float = 0.0

    def keep(self, url: str, old: State) -> None:
        self.docs[url] = old
        self.news = self.news or bool(old.get("news"))


def pick_children(children: list[ChildSitemap], known: State, most: int) -> list[ChildSitemap]:
    """The child sitemaps to read: the news sitemaps when there are any, else all; newest first
    by <lastmod> (undated last, in the index's order); at most `most`."""

    def is_news(child: ChildSitemap) -> bool:
        seen = known.get(child.url)
        if seen is not None and "news" in seen:
            return bool(seen["news"])
        return "news" in child.url.lower()

    pool = [child for child in children if is_news(child)] or children
    dated = sorted(
        (child for child in pool if child.lastmod), key=lambda c: as_utc(c.lastmod), reverse=True
    )
    return (dated + [child for child in pool if not child.lastmod])[: max(1, most)]


def _is_index(doc: State | None) -> bool:
    return bool(doc and doc.get("picked"))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


__all__ = ["SITEMAP_ACCEPT", "SitemapReader", "SourceRead", "pick_children"]
