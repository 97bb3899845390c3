"""`newsdesk worker`: one of any number of pollers sharing one database.

Each worker claims due feeds with a lease (store/leases.py), polls them as `newsdesk poll`
does (FeedPoller), and renews its leases while the polls run; a feed's lease ends when its poll
is recorded. A worker killed mid-poll leaves its leases to run out: the feeds, still due, are
then claimed by another worker and polled again from scratch, which stores nothing twice
(articles are found again by their entry keys and canonical URL).

Requests to one host keep their spacing across all workers (host turns in the database).
Workers store articles unmatched; the one holding the matcher role (store/roles.py) matches
everything stored, by whichever worker, in arrival order, so stories come out as one poller
would make them. When the matcher dies, another worker takes the role and rebuilds its
indexes from the store.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from newsdesk.config import Settings
from newsdesk.fetch import Fetcher
from newsdesk.model import Feed
from newsdesk.pipeline.entry_articles import EntryArticles
from newsdesk.pipeline.icons import SiteIcons
from newsdesk.pipeline.matching import MatchStep
from newsdesk.pipeline.params import PipelineParams
from newsdesk.pipeline.poll import FeedPoller, new_extractor
from newsdesk.pipeline.reports import PollReport
from newsdesk.pipeline.saving import Saver
from newsdesk.pipeline.site_memory import SiteMemories
from newsdesk.store import Store
from newsdesk.times import utcnow

log = logging.getLogger(__name__)
IDLE_WAIT = 5.0  # seconds an idle worker waits before it looks for due feeds again
MATCH_WAIT = 0.5  # seconds between the matcher's looks for articles others stored


def worker_name() -> str:
    """Unique among the workers on one database: host, process and a random tag."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class StoreHostTurns:
    """fetch.HostTurns kept in the store: the spacing per host holds across all workers."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def reserve(self, host: str, interval: float) -> float:
        return await asyncio.to_thread(self.store.reserve_host_turn, host, interval)


@dataclass
class WorkerReport(PollReport):
    matched: int = 0  # articles this worker matched while it held the matcher role
    polls: list[int] = field(default_factory=list)  # ids of the feeds it polled, in order


FeedDone = Callable[[Feed, PollReport], None]


class Worker:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        name: str | None = None,
        until_idle: bool = False,
        on_feed_done: FeedDone | None = None,
    ) -> None:
        """`until_idle`: stop once no feed is due (nor held by another worker's lease) and
        nothing stored waits for matching, instead of waiting for feeds to fall due."""
        self.store = store
        self.settings = settings
        self.name = name or worker_name()
        self.until_idle = until_idle
        self.on_feed_done = on_feed_done
        self.params = PipelineParams.from_settings(settings)
        self.lease = timedelta(seconds=settings.worker_lease_seconds)
        self.slots = max(1, settings.fetch_workers)
        self.role = store.matcher_role()
        self.matching: MatchStep | None = None
        self._matching_lock = threading.Lock()
        self.report = WorkerReport()
        self.running: dict[int, asyncio.Task[None]] = {}

    async def run(self, stop: asyncio.Event) -> WorkerReport:
        extractor = new_extractor(self.settings)
        memory = None
        if self.params.site_memory:
            memory = SiteMemories(self.store, extractor.params.recurring_pages)
        try:
            await asyncio.to_thread(extractor.warm)
            turns = StoreHostTurns(self.store)
            async with Fetcher(self.settings, turns=turns) as fetcher:
                articles = EntryArticles(fetcher, extractor, memory)
                saver = Saver(self.store, None, memory)  # matched by the matcher role
                icons = SiteIcons(self.store, fetcher)
                poller = FeedPoller(
                    self.store, self.settings, fetcher, articles, saver, self.params, icons
                )
                side = [
                    asyncio.create_task(self._renew_leases(stop)),
                    asyncio.create_task(self._match_loop(stop)),
                ]
                try:
                    await self._claim_loop(poller, stop)
                finally:
                    for task in side:
                        task.cancel()
                    for task in self.running.values():
                        task.cancel()
                    await asyncio.gather(*side, *self.running.values(), return_exceptions=True)
        finally:
            self.report.extract_cpu_seconds = extractor.cpu_seconds
            if memory is not None:
                memory.save()
            extractor.close()
            await asyncio.to_thread(self._leave)
        return self.report

    async def _claim_loop(self, poller: FeedPoller, stop: asyncio.Event) -> None:
        while not stop.is_set():
            free = self.slots - len(self.running)
            claimed = await asyncio.to_thread(
                self.store.claim_feeds,
                self.name,
                now=utcnow(),
                lease_seconds=self.lease.total_seconds(),
                limit=free,
            )
            for feed in claimed:
                self.running[feed.id] = asyncio.create_task(self._poll(poller, feed))
            if self.until_idle and not self.running and await asyncio.to_thread(self._idle):
                return
            waits: set[asyncio.Future[object]] = {*self.running.values()}  # type: ignore[misc]
            stopping = asyncio.ensure_future(stop.wait())
            waits.add(stopping)  # type: ignore[arg-type]
            timeout = self._next_look() if free > len(claimed) or not claimed else None
            await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()

    def _next_look(self) -> float:
        """Seconds until it looks for due feeds again while it has free slots: soon when
        working towards idle (a lease of a dead worker may run out any moment)."""
        return 0.2 if self.until_idle else IDLE_WAIT

    async def _poll(self, poller: FeedPoller, feed: Feed) -> None:
        try:
            result = await poller.poll_feed(feed)
        except Exception:  # its lease runs out and another worker polls it again
            log.exception("polling %s failed", feed.display_name)
            return
        finally:
            self.running.pop(feed.id, None)
        self.report.merge(result)
        self.report.polls.append(feed.id)
        if self.on_feed_done:
            self.on_feed_done(feed, result)

    async def _renew_leases(self, stop: asyncio.Event) -> None:
        """Every third of the lease, the leases of the feeds still being polled are renewed,
        so a long poll is not taken over while its worker lives."""
        every = self.lease.total_seconds() / 3
        while not stop.is_set():
            await asyncio.sleep(every)
            if self.running:
                until = utcnow() + self.lease
                try:
                    await asyncio.to_thread(
                        self.store.renew_leases, self.name, list(self.running), until
                    )
                except Exception:  # the next renewal may work; a lease lost is polled again
                    log.exception("renewing leases failed")

    async def _match_loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await asyncio.to_thread(self.match_waiting)
            except Exception:  # they stay unmatched; the next look matches them
                log.exception("matching failed")
            await asyncio.sleep(MATCH_WAIT)

    def match_waiting(self) -> int:
        """Match what waits for matching if this worker holds (or can take) the matcher role;
        how many it matched."""
        with self._matching_lock:  # the match loop and the idle check both call this
            if not self.role.take():
                self.matching = None  # a role lost leaves indexes that may be out of date
                return 0
            if self.matching is None:
                self.matching = MatchStep(self.store, self.settings)
                self.matching.rebuild()
            done = self.matching.match_pending()
            self.report.matched += done
            return done

    def _idle(self) -> bool:
        """Nothing due anywhere (leased or not), and nothing stored waits for matching (that
        this worker could take on)."""
        if self.store.due_feeds(utcnow()):
            return False
        self.match_waiting()
        # when another live worker holds the matcher role, it matches what waits: this one
        # waits with it until then, so that it takes the role if the matcher leaves first
        return self.store.count_unmatched() == 0

    def _leave(self) -> None:
        try:
            self.store.release_leases(self.name)
        finally:
            self.role.release()
