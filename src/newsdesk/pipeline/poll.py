"""Polling: fetch due feeds, then each new entry's page; extract, match and store it.

A feed's state (ETag, next poll) is recorded only after its entries are stored, so a poll killed
at any moment is simply repeated: stored articles are found again by their entry keys and
canonical URL, and nothing is stored twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from urllib.parse import urljoin

from newsdesk.config import Settings
from newsdesk.errors import FeedError, FetchError, NewsdeskError
from newsdesk.extract import ExtractParams
from newsdesk.feeds.schedule import next_poll, parse_cache_control
from newsdesk.feeds.sitemaps import looks_like_sitemap
from newsdesk.fetch import Fetcher
from newsdesk.model import Entry, Feed
from newsdesk.pipeline.entry_articles import EntryArticles
from newsdesk.pipeline.extracting import Extractor
from newsdesk.pipeline.feed_window import (
    EntryKeys,
    entry_keys,
    entry_sort_key,
    url_key_of,
    window,
)
from newsdesk.pipeline.icons import SiteIcons
from newsdesk.pipeline.matching import MatchStep, match_step_for
from newsdesk.pipeline.params import PipelineParams
from newsdesk.pipeline.reports import PollReport, one_line
from newsdesk.pipeline.save_groups import SaveGroup, SaveGroups
from newsdesk.pipeline.saving import Arrival, Saver
from newsdesk.pipeline.site_memory import SiteMemories
from newsdesk.pipeline.sitemap_source import SitemapReader, SourceRead
from newsdesk.store import Store
from newsdesk.store.articles import EntryLink, NewArticle
from newsdesk.store.entries import KnownEntries
from newsdesk.times import as_utc, utcnow

log = logging.getLogger(__name__)
FeedDone = Callable[[Feed, PollReport], None]


def poll(
    store: Store,
    settings: Settings,
    feed_ids: Iterable[int] | None = None,
    force: bool = False,
    on_feed_done: FeedDone | None = None,
) -> PollReport:
    """Poll due feeds (or the given ones, due or not) once. Safe to run again at any time."""
    return asyncio.run(poll_async(store, settings, feed_ids, force, on_feed_done))


def feeds_to_poll(store: Store, feed_ids: Iterable[int] | None, force: bool) -> list[Feed]:
    if feed_ids is not None:
        return [store.get_feed(feed_id) for feed_id in feed_ids]
    if force:
        return [feed for feed in store.list_feeds() if not feed.retired and not feed.paused]
    return store.due_feeds(utcnow())


async def poll_async(
    store: Store,
    settings: Settings,
    feed_ids: Iterable[int] | None = None,
    force: bool = False,
    on_feed_done: FeedDone | None = None,
    extractor: Extractor | None = None,
    matching: MatchStep | None = None,
    params: PipelineParams | None = None,
) -> PollReport:
    """Poll once; an `extractor` or `matching` step passed in is reused for the next round.
    `params`: the pipeline's tuning (by default from `settings`)."""
    feeds = feeds_to_poll(store, feed_ids, force)
    report = PollReport()
    if not feeds:
        return report
    params = params or PipelineParams.from_settings(settings)
    owns_extractor = extractor is None
    extractor = extractor or new_extractor(settings)
    cpu_before = extractor.cpu_seconds
    memory = SiteMemories(store, extractor.params.recurring_pages) if params.site_memory else None
    try:
        await asyncio.to_thread(extractor.warm)  # seconds the first time: not on the loop
        matching = matching or match_step_for(store, settings)
        async with Fetcher(settings) as fetcher:
            articles = EntryArticles(fetcher, extractor, memory)
            saver = Saver(store, matching, memory)
            icons = SiteIcons(store, fetcher)
            poller = FeedPoller(store, settings, fetcher, articles, saver, params, icons)
            slots = asyncio.Semaphore(max(1, settings.fetch_workers))

            async def one(feed: Feed) -> None:
                async with slots:
                    result = await poller.poll_feed(feed)
                report.merge(result)
                if on_feed_done:
                    on_feed_done(feed, result)

            await asyncio.gather(*(one(feed) for feed in feeds))
    finally:
        report.extract_cpu_seconds = extractor.cpu_seconds - cpu_before
        if memory is not None:
            memory.save()
        if owns_extractor:
            extractor.close()
    return report


def new_extractor(settings: Settings) -> Extractor:
    """The extraction pool the settings ask for: its processes and its parameters."""
    return Extractor(
        extract_processes(settings),
        params=ExtractParams.from_settings(settings),
        memory_mb=settings.worker_memory_mb,
    )


def extract_processes(settings: Settings) -> int:
    if settings.extract_processes >= 0:
        return settings.extract_processes
    return os.cpu_count() or 1


async def poll_forever(store: Store, settings: Settings, stop: asyncio.Event) -> None:
    """Poll feeds as they fall due until `stop` is set. Each round that polled something logs
    one line (newsdesk.pipeline.poll, INFO), and each failing feed one (WARNING)."""
    extractor = new_extractor(settings)
    matching: MatchStep | None = None
    try:
        while not stop.is_set():
            try:
                matching = matching or match_step_for(store, settings)
                report = await poll_async(
                    store, settings, extractor=extractor, matching=matching,
                    on_feed_done=log_failures,
                )  # fmt: skip
                if report.feeds:
                    log.info("%s", report.summary())
            except Exception:  # a fault in one round must not stop the service
                log.exception("poll round failed; next round as scheduled")
            wait = seconds_until_next_due(store)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=wait)
    finally:
        extractor.close()


def log_failures(feed: Feed, result: PollReport) -> None:
    for line in result.errors:
        log.warning("failed: %s", line)


def seconds_until_next_due(store: Store, floor: float = 5.0, ceiling: float = 300.0) -> float:
    upcoming = [
        feed.next_fetch_at
        for feed in store.list_feeds()
        if feed.next_fetch_at and not feed.retired and not feed.paused
    ]
    if not upcoming:
        return ceiling
    soonest = min(as_utc(moment) for moment in upcoming)
    return min(ceiling, max(floor, (soonest - utcnow()).total_seconds()))


@dataclass
class FeedPoller:
    """Polls feeds: reads each, hands its new entries' articles to the save groups, and records
    the poll (its schedule, its failure) once they are stored."""

    store: Store
    settings: Settings
    fetcher: Fetcher
    articles: EntryArticles
    saver: Saver
    params: PipelineParams = field(default_factory=PipelineParams)
    icons: SiteIcons | None = None  # the sites' icons, looked for after a feed's poll
    # shared by the feeds polled together: a poll of many feeds saves in groups of many
    groups: SaveGroups[Arrival] = field(init=False)

    sitemaps: SitemapReader = field(init=False)

    def __post_init__(self) -> None:
        self.groups = SaveGroups(self.saver.save, self.params)
        self.sitemaps = SitemapReader(
            self.fetcher, self.articles.extractor, self.params, self.settings.max_response_bytes
        )

    async def poll_feed(self, feed: Feed) -> PollReport:
        report = PollReport(feeds=1)
        now = utcnow()
        with self.groups.adding_feed():
            read = await self.read_source(feed, now, report)
            if read is None or read.parsed is None:
                if read is not None:  # not modified
                    await self.look_for_icon(feed, feed.site_url)
                return report
            parsed = read.parsed
            groups = await self.add_new_articles(feed, parsed.entries, report, read.more)
            # taken next time, which comes at once: the feed is due, and fetched whole
            remaining = report.left > 0
        # recorded as read only once every one of its articles is stored
        for group in groups:
            await group.saved.wait()
        if report.unsaved:  # not recorded as read, so the next poll brings them again
            self.record_failure(feed, now, NewsdeskError(report.unsaved), report)
            return report
        report.errors.extend(f"{feed.display_name}: {line}" for line in read.problems)
        self.record_success(
            feed,
            now,
            etag=read.page.headers.get("etag"),
            last_modified=read.page.headers.get("last-modified"),
            cache_control=read.page.headers.get("cache-control"),
            ttl_seconds=parsed.ttl_seconds,
            title=parsed.title,
            site_url=parsed.site_url,
            entry_times=read.entry_times,
            remaining=remaining,
            source_state=read.state_to_keep(remaining),
            warning="; ".join(read.problems) or None,
        )
        await self.look_for_icon(feed, parsed.site_url or feed.site_url)
        return report

    async def look_for_icon(self, feed: Feed, site_url: str | None) -> None:
        if self.icons is not None:
            await self.icons.look(feed, site_url)

    async def read_source(self, feed: Feed, now: datetime, report: PollReport) -> SourceRead | None:
        """What the source gives this poll: its entries, or none when it is not modified
        (then recorded as polled); None after a failure, which is recorded."""
        try:
            if feed.kind == "sitemap":
                read = await self.sitemaps.read(feed)
            else:
                read = await self.read_feed(feed)
        except (FetchError, FeedError) as exc:
            self.record_failure(feed, now, exc, report)
            return None
        report.parse_cpu_seconds += read.parse_cpu_seconds
        if read.parsed is None:
            report.not_modified = 1
            self.record_success(feed, now, cache_control=read.page.headers.get("cache-control"))
        return read

    async def read_feed(self, feed: Feed) -> SourceRead:
        """The feed's answer and the entries to consider this poll (all of them, or for a feed
        of more than `entries_per_poll`, the oldest new ones), how many new ones are left for
        later, and its entries' dates; no entries when it is not modified. Raises FetchError
        or FeedError."""
        page = await self.fetcher.get(
            feed.url, etag=feed.etag, last_modified=feed.last_modified, kind="feed"
        )
        if page.not_modified:
            return SourceRead(page, None)
        if looks_like_sitemap(page.content):  # followed as a feed (from an OPML list, say)
            site = feed.site_url or urljoin(page.final_url, "/")
            sitemap = self.store.update_feed(feed.id, kind="sitemap", site_url=site)
            log.info("%s is a sitemap: read as one from now on", feed.url)
            return await self.sitemaps.read(sitemap, page)
        # in a worker: no document holds the event loop, nor its worker for long
        parse = partial(
            self.articles.extractor.parse_feed,
            page.content,
            page.final_url,
            page.content_type,
            page.charset,
            deadline=self.params.parse_deadline,
            limit=self.params.entries_per_poll,
        )
        reading, cpu = await parse()
        parsed, more = reading.feed, 0
        if reading.keys is None:
            entry_times = [entry.published for entry in parsed.entries if entry.published]
        else:  # more entries than a poll takes: only the window's are made
            entry_times = [entry.published for entry in reading.keys if entry.published]
            # a long feed's keys are many reads: in a thread, so the web does not wait on them
            chosen, more = await asyncio.to_thread(self.choose, feed, reading.keys)
            reading, more_cpu = await parse(positions=[entry.position for entry in chosen])
            cpu += more_cpu
            parsed = reading.feed
        return SourceRead(page, parsed, more=more, entry_times=entry_times, parse_cpu_seconds=cpu)

    def choose(self, feed: Feed, keys: list[EntryKeys]) -> tuple[list[EntryKeys], int]:
        """The entries of a long feed to take this poll (see feed_window.window)."""
        seen = self.store.known_entries(feed.id, [key for entry in keys for key in entry.keys])
        return window(keys, seen.seen, self.params.entries_per_poll)

    async def add_new_articles(
        self, feed: Feed, entries: list[Entry], report: PollReport, more: int = 0
    ) -> list[SaveGroup]:
        """Fetch the article of each entry not seen before into the save groups, oldest first,
        at most `entries_per_poll` and for at most `feed_round_seconds`; the groups they went
        to. The entries left are counted in `report.left`, with `more` left out before."""
        # Oldest first, so a poll cut short leaves the newest for the next run, in order.
        entries = sorted(entries, key=entry_sort_key)
        keyed = [(entry, entry_keys(entry)) for entry in entries]
        known = self.store.known_entries(
            feed.id,
            [key for _, keys in keyed for key in keys],
            [key[4:] for _, keys in keyed for key in keys if key.startswith("url:")],
        )
        new = [
            (entry, keys)
            for entry, keys in keyed
            if url_key_of(keys) is not None and not known.seen.keys() & keys
        ]
        report.left = more + max(0, len(new) - self.params.entries_per_poll)
        new = new[: self.params.entries_per_poll]
        loop = asyncio.get_running_loop()
        until = loop.time() + self.params.feed_round_seconds
        # A few entries at a time, oldest first: a feed's pages mostly share one host, which
        # takes them one by one anyway, and pages fetched far ahead of extraction only fill
        # memory.
        lanes = asyncio.Semaphore(self.settings.per_host_concurrency + self.params.entries_ahead)
        groups: list[SaveGroup[Arrival]] = []

        async def one(entry: Entry, keys: list[str]) -> None:
            async with lanes:
                if loop.time() > until:  # out of time: its host is slow; next round
                    report.left += 1
                    return
                arrival = await self.arrival(feed, entry, keys, known)
            group = self.groups.add(arrival, report)
            if not groups or groups[-1] is not group:
                groups.append(group)

        await asyncio.gather(*(one(entry, keys) for entry, keys in new))
        return groups

    async def arrival(
        self, feed: Feed, entry: Entry, keys: list[str], known: KnownEntries
    ) -> Arrival:
        """What an entry the feed has not given before brings to the store."""
        stored = known.stored.get(url_key_of(keys))  # type: ignore[arg-type]
        if stored is not None:  # another feed brought this page already: no second fetch
            return Arrival(EntryLink(stored, feed.id, keys))
        found = await self.articles.article(entry)
        sig = found.traits.signature.to_bytes()
        new = NewArticle(found.article, feed.id, entry.guid, keys, utcnow(), sig)
        return Arrival(new, found.traits)

    def schedule(self, now: datetime, **signals: object) -> tuple[datetime, int]:
        """The feed's next poll from what it just told us, within the configured bounds."""
        return next_poll(
            now=now,
            min_interval=self.settings.poll_min_interval,
            max_interval=self.settings.poll_max_interval,
            default_interval=self.settings.poll_default_interval,
            error_max_interval=self.settings.poll_error_max_interval,
            **signals,
        )

    def record_success(
        self,
        feed: Feed,
        now: datetime,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        cache_control: str | None = None,
        ttl_seconds: int | None = None,
        title: str | None = None,
        site_url: str | None = None,
        entry_times: list[datetime] | None = None,
        remaining: bool = False,
        source_state: dict[str, object] | None = None,
        warning: str | None = None,
    ) -> None:
        """`remaining`: new entries are left for the next poll, so it is due at once, and not
        conditional (a 304 would hide them). `warning`: what went wrong with a part of the
        source (a child sitemap), recorded as its last error though the poll succeeded."""
        next_at, interval = self.schedule(
            now,
            entry_times=entry_times or self.store.recent_entry_times(feed.id),
            cache_max_age=parse_cache_control(cache_control),
            ttl_seconds=ttl_seconds,
        )
        if remaining:
            next_at, etag, last_modified = now, "", ""
        else:
            etag, last_modified = etag or feed.etag, last_modified or feed.last_modified
        self.store.record_fetch(
            feed.id,
            fetched_at=now,
            next_fetch_at=next_at,
            interval_seconds=interval,
            etag=etag,
            last_modified=last_modified,
            title=title,
            site_url=site_url,
            error=warning,
            error_count=0,
            source_state=source_state,
        )

    def record_failure(
        self, feed: Feed, now: datetime, exc: NewsdeskError, report: PollReport
    ) -> None:
        retry_after = getattr(exc, "retry_after", None)
        retired = bool(getattr(exc, "permanent", False))
        error_count = feed.error_count + 1
        next_at, interval = self.schedule(
            now, entry_times=[], retry_after=retry_after, error_count=error_count
        )
        message = one_line(str(exc))
        self.store.record_fetch(
            feed.id,
            fetched_at=now,
            next_fetch_at=next_at,
            interval_seconds=interval,
            error=message,
            error_count=error_count,
            retired=retired,
        )
        report.errors.append(f"{feed.display_name}: {message}")
