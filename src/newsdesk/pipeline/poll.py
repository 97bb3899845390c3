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
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from newsdesk.config import Settings
from newsdesk.errors import ExtractError, FeedError, FetchError, NewsdeskError
from newsdesk.extract import ExtractParams, extract_article
from newsdesk.feeds.parse import parse_feed
from newsdesk.feeds.schedule import next_poll, parse_cache_control
from newsdesk.fetch import Fetcher
from newsdesk.model import Article, Entry, Feed, Page, ParsedFeed
from newsdesk.pipeline.extracting import Extractor
from newsdesk.pipeline.matching import MatchStep, match_step_for
from newsdesk.pipeline.reports import PollReport
from newsdesk.store import Store
from newsdesk.store.articles import NewArticle
from newsdesk.store.entries import KnownEntries
from newsdesk.times import as_utc, utcnow
from newsdesk.urls import InvalidURLError, url_key

log = logging.getLogger(__name__)
FeedDone = Callable[[Feed, PollReport], None]
ENTRIES_AHEAD = 2  # a feed's pages fetched ahead of the ones its host is serving
SAVE_GROUP = 100  # articles saved in one transaction; a crash costs at most their fetching
# seconds a group waits for more after its first article: each group costs a commit (where the
# search index merges) and a matching transaction; the end of a poll does not wait this out
SAVE_WAIT = 10.0


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
) -> PollReport:
    """Poll once; an `extractor` or `matching` step passed in is reused for the next round."""
    feeds = feeds_to_poll(store, feed_ids, force)
    report = PollReport()
    if not feeds:
        return report
    owns_extractor = extractor is None
    extractor = extractor or new_extractor(settings)
    cpu_before = extractor.cpu_seconds
    try:
        matching = matching or match_step_for(store, settings)
        async with Fetcher(settings) as fetcher:
            poller = FeedPoller(store, settings, fetcher, extractor, matching)
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
        if owns_extractor:
            extractor.close()
    return report


def new_extractor(settings: Settings) -> Extractor:
    """The extraction pool the settings ask for: its processes and its parameters."""
    return Extractor(extract_processes(settings), params=ExtractParams.from_settings(settings))


def extract_processes(settings: Settings) -> int:
    if settings.extract_processes >= 0:
        return settings.extract_processes
    return os.cpu_count() or 1


async def poll_forever(store: Store, settings: Settings, stop: asyncio.Event) -> None:
    """Poll feeds as they fall due until `stop` is set."""
    extractor = new_extractor(settings)
    matching: MatchStep | None = None
    try:
        while not stop.is_set():
            try:
                matching = matching or match_step_for(store, settings)
                await poll_async(store, settings, extractor=extractor, matching=matching)
            except Exception:  # a fault in one round must not stop the service
                log.exception("poll round failed; next round as scheduled")
            wait = seconds_until_next_due(store)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=wait)
    finally:
        extractor.close()


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


class SaveGroup:
    """Articles to save in one transaction, whichever feeds they come from, each with the
    report of its feed's poll. The feeds wait for `saved` before recording their poll."""

    def __init__(self) -> None:
        self.items: list[tuple[NewArticle, PollReport]] = []
        self.saved = asyncio.Event()  # an Event: a feed cancelled while waiting spares the others
        self.timer: asyncio.TimerHandle | None = None


SaveItems = Callable[[list[tuple[NewArticle, PollReport]], PollReport], None]


class SaveGroups:
    """Gathers the new articles of the feeds polled together into groups, and saves a group
    when it holds SAVE_GROUP, SAVE_WAIT seconds after its first article, or as soon as no
    feed can add to it any more (every feed still polled has all its articles in)."""

    def __init__(self, save: SaveItems) -> None:
        self.save = save
        self.open: SaveGroup | None = None
        self.adding = 0  # feeds that may still add articles

    @contextlib.contextmanager
    def adding_feed(self) -> Iterator[None]:
        """Around a feed's fetching: while it runs, the open group waits for its articles."""
        self.adding += 1
        try:
            yield
        finally:
            self.adding -= 1
            if self.adding == 0 and self.open is not None:
                self.flush(self.open)

    def add(self, item: NewArticle, report: PollReport) -> SaveGroup:
        """Put an article in the open group; the group it went to."""
        group = self.open
        if group is None:
            group = self.open = SaveGroup()
            group.timer = asyncio.get_running_loop().call_later(SAVE_WAIT, self.flush, group)
        group.items.append((item, report))
        if len(group.items) >= SAVE_GROUP:
            self.flush(group)
        return group

    def flush(self, group: SaveGroup) -> None:
        """Save the group now (once); its feeds' waits end whatever happens."""
        if self.open is group:
            self.open = None
        if group.timer is not None:
            group.timer.cancel()
            group.timer = None
        items, group.items = group.items, []
        try:
            if items:  # the time it takes is counted in a report the poll returns: a member's
                self.save(items, items[0][1])
        except Exception as exc:  # not stored, for all we know: the feeds are polled again
            log.exception("saving %d new articles failed", len(items))
            for _, report in items:
                report.unsaved = f"{len(items)} new articles not saved: {one_line(str(exc))}"
        finally:
            group.saved.set()


@dataclass
class FeedPoller:
    store: Store
    settings: Settings
    fetcher: Fetcher
    extractor: Extractor
    matching: MatchStep | None = None
    # shared by the feeds polled together: a poll of many feeds saves in groups of many
    groups: SaveGroups = field(init=False)

    def __post_init__(self) -> None:
        self.groups = SaveGroups(self.save)

    async def poll_feed(self, feed: Feed) -> PollReport:
        report = PollReport(feeds=1)
        now = utcnow()
        with self.groups.adding_feed():
            read = await self.read_feed(feed, now, report)
            if read is None:
                return report
            page, parsed = read
            groups = await self.add_new_articles(feed, parsed, report)
        # recorded as read only once every one of its articles is stored
        for group in groups:
            await group.saved.wait()
        if report.unsaved:  # not recorded as read, so the next poll brings them again
            self.record_failure(feed, now, NewsdeskError(report.unsaved), report)
            return report
        self.record_success(
            feed,
            now,
            etag=page.headers.get("etag"),
            last_modified=page.headers.get("last-modified"),
            cache_control=page.headers.get("cache-control"),
            ttl_seconds=parsed.ttl_seconds,
            title=parsed.title,
            site_url=parsed.site_url,
            entry_times=[e.published for e in parsed.entries if e.published],
        )
        return report

    async def read_feed(
        self, feed: Feed, now: datetime, report: PollReport
    ) -> tuple[Page, ParsedFeed] | None:
        """The feed's page and entries; None when there are none to read (not modified, or a
        failure), with the feed's poll recorded."""
        try:
            page = await self.fetcher.get(
                feed.url, etag=feed.etag, last_modified=feed.last_modified, kind="feed"
            )
        except FetchError as exc:
            self.record_failure(feed, now, exc, report)
            return None
        if page.not_modified:
            report.not_modified = 1
            self.record_success(feed, now, cache_control=page.headers.get("cache-control"))
            return None
        started = time.thread_time()
        try:
            parsed = parse_feed(page.content, page.final_url, page.content_type, page.charset)
        except FeedError as exc:
            self.record_failure(feed, now, exc, report)
            return None
        finally:
            report.parse_cpu_seconds += time.thread_time() - started
        return page, parsed

    async def add_new_articles(
        self, feed: Feed, parsed: ParsedFeed, report: PollReport
    ) -> list[SaveGroup]:
        """Fetch the article of each entry not seen before into the save groups; the groups
        they went to."""
        # Oldest first, so a poll cut short leaves the newest for the next run, in order.
        entries = sorted(parsed.entries, key=entry_sort_key)
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
        # A few entries at a time, oldest first: a feed's pages mostly share one host, which
        # takes them one by one anyway, and pages fetched far ahead of extraction only fill
        # memory.
        lanes = asyncio.Semaphore(self.settings.per_host_concurrency + ENTRIES_AHEAD)
        groups: list[SaveGroup] = []

        async def one(entry: Entry, keys: list[str]) -> None:
            async with lanes:
                article = await self.article_for(entry, keys, known)
            new_article = NewArticle(article, feed.id, entry.guid, keys, utcnow())
            group = self.groups.add(new_article, report)
            if not groups or groups[-1] is not group:
                groups.append(group)

        await asyncio.gather(*(one(entry, keys) for entry, keys in new))
        return groups

    async def article_for(self, entry: Entry, keys: list[str], known: KnownEntries) -> Article:
        """The article of an entry the feed has not given before."""
        stored = known.stored.get(url_key_of(keys))
        if stored is not None:  # another feed brought this page already: no second fetch
            return self.store.get_article(stored).article
        return await self.fetch_article(entry)

    def save(self, group: list[tuple[NewArticle, PollReport]], report: PollReport) -> None:
        """Store a group of articles (in one transaction), then match the new ones; each is
        counted in its feed's report, the time it took in `report`."""
        if not group:
            return
        started = time.thread_time()
        try:
            saved = self.store.save_articles([item for item, _ in group])
        except Exception as exc:
            report.save_cpu_seconds += time.thread_time() - started
            self.save_apart(group, report, exc)
            return
        report.save_cpu_seconds += time.thread_time() - started
        report.save_groups += 1
        created = []
        for (article_id, new), (_, its_report) in zip(saved, group, strict=True):
            if new:
                created.append(article_id)
                its_report.new_articles += 1
        if self.matching is not None and created:
            started = time.thread_time()
            self.matching.match_many(created)
            report.match_cpu_seconds += time.thread_time() - started

    def save_apart(
        self, group: list[tuple[NewArticle, PollReport]], report: PollReport, exc: Exception
    ) -> None:
        """After the store refused a group: one feed's fault must not cost the others theirs,
        so each feed's part is saved on its own; a feed whose part fails too is told why."""
        feeds = {id(its_report): its_report for _, its_report in group}
        if len(feeds) > 1:
            for its_report in feeds.values():
                self.save([pair for pair in group if pair[1] is its_report], report)
            return
        log.exception("saving %d new articles failed", len(group), exc_info=exc)
        (its_report,) = feeds.values()  # the feed's poll records the failure; the others go on
        its_report.unsaved = f"{len(group)} new articles not saved: {one_line(str(exc))}"

    async def fetch_article(self, entry: Entry) -> Article:
        """The page's article; the feed's own copy when the page cannot be had or read."""
        try:
            page = await self.fetcher.get(entry.url, kind="page")
            return await self.extractor.extract(page.content, page.final_url, entry, page.charset)
        except (FetchError, ExtractError):
            return await self.feed_copy(entry)
        except Exception:  # an extractor fault on one page must not lose the entry
            log.exception("extraction failed for %s; keeping the feed's copy", entry.url)
            return await self.feed_copy(entry)

    async def feed_copy(self, entry: Entry) -> Article:
        """article_from_entry, with the entry's content extracted in the pool like a page (this
        process then never loads what extraction needs)."""
        if entry.content_html:
            try:
                content = entry.content_html.encode()
                article = await self.extractor.extract(content, entry.url, entry, "utf-8")
                article.method = "feed"
                return article
            except Exception:  # ExtractError, or a fault: the teaser is still the entry's
                log.debug("the feed's content of %s did not extract", entry.url, exc_info=True)
        return teaser_article(entry)

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
    ) -> None:
        next_at, interval = self.schedule(
            now,
            entry_times=entry_times or self.store.recent_entry_times(feed.id),
            cache_max_age=parse_cache_control(cache_control),
            ttl_seconds=ttl_seconds,
        )
        self.store.record_fetch(
            feed.id,
            fetched_at=now,
            next_fetch_at=next_at,
            interval_seconds=interval,
            etag=etag or feed.etag,
            last_modified=last_modified or feed.last_modified,
            title=title,
            site_url=site_url,
            error=None,
            error_count=0,
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


def entry_keys(entry: Entry) -> list[str]:
    """What identifies an entry within its feed: its GUID and its URL's key."""
    keys: list[str] = []
    if entry.guid:
        keys.append(f"guid:{entry.guid}")
    with contextlib.suppress(InvalidURLError):
        keys.append(f"url:{url_key(entry.url)}")
    return keys


def url_key_of(keys: list[str]) -> str | None:
    """The URL key among an entry's keys (see entry_keys)."""
    return next((key[4:] for key in keys if key.startswith("url:")), None)


def entry_sort_key(entry: Entry) -> datetime:
    moment = entry.published or entry.updated
    return as_utc(moment) if moment else datetime.min.replace(tzinfo=UTC)


def article_from_entry(entry: Entry) -> Article:
    """The feed's own copy of an entry: its content when it has some, else its teaser."""
    if entry.content_html:
        try:
            article = extract_article(entry.content_html, entry.url, entry=entry)
            article.method = "feed"
            return article
        except ExtractError:
            pass
    return teaser_article(entry)


def teaser_article(entry: Entry) -> Article:
    """An entry as its feed gave it: headline, byline, dates and teaser."""
    text = entry.summary or ""
    return Article(
        url=entry.url,
        title=entry.title,
        authors=list(entry.authors),
        published=entry.published,
        updated=entry.updated,
        language=entry.language,
        image=entry.image,
        description=entry.summary,
        text=text,
        method="feed",
    )


def one_line(text: str) -> str:
    return " ".join(text.split())
