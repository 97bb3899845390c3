"""Save groups: the new articles of the feeds polled together, saved in shared transactions.

A group is saved when it holds `save_group` articles, `save_wait` seconds after its first one,
or as soon as no feed can add to it any more (every feed still polled has all its articles in).
Each feed waits for its groups' `saved` before recording its poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from newsdesk.pipeline.params import PipelineParams
from newsdesk.pipeline.reports import PollReport, one_line

log = logging.getLogger(__name__)
Item = TypeVar("Item")


class SaveGroup(Generic[Item]):
    """Items to save in one transaction, whichever feeds they come from, each with the report
    of its feed's poll. The feeds wait for `saved` before recording their poll."""

    def __init__(self) -> None:
        self.items: list[tuple[Item, PollReport]] = []
        self.saved = asyncio.Event()  # an Event: a feed cancelled while waiting spares the others
        self.timer: asyncio.TimerHandle | None = None


class SaveGroups(Generic[Item]):
    """Gathers the new articles of the feeds polled together into groups, and hands each full
    (or timed out, or finished) group to `save`."""

    def __init__(
        self, save: Callable[[list[tuple[Item, PollReport]], PollReport], None],
        params: PipelineParams,
    ) -> None:
        self.save = save
        self.params = params
        self.open: SaveGroup[Item] | None = None
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

    def add(self, item: Item, report: PollReport) -> SaveGroup[Item]:
        """Put an article in the open group; the group it went to."""
        group = self.open
        if group is None:
            group = self.open = SaveGroup()
            loop = asyncio.get_running_loop()
            group.timer = loop.call_later(self.params.save_wait, self.flush, group)
        group.items.append((item, report))
        if len(group.items) >= self.params.save_group:
            self.flush(group)
        return group

    def flush(self, group: SaveGroup[Item]) -> None:
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
