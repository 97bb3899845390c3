"""Saving a group of new articles, then handing the new ones to matching.

A group is stored in one transaction, each article with its duplicate signature; the articles
it created go to the match step as they were saved, with their traits, so nothing is read
back. When the store refuses a group, each feed's part is saved on its own: one feed's fault
must not cost the others theirs.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from newsdesk.match.traits import MatchTraits
from newsdesk.pipeline.matching import Matched, MatchStep
from newsdesk.pipeline.reports import PollReport, one_line
from newsdesk.pipeline.site_memory import SAVE_ROWS, SiteMemories
from newsdesk.store import Store
from newsdesk.store.articles import EntryLink, NewArticle
from newsdesk.store.matching import MatchRow, unmatched_row


@dataclass(frozen=True, slots=True)
class Arrival:
    """A feed's new entry on its way to the store: a new article with its traits, or a link
    to an article another feed brought."""

    item: NewArticle | EntryLink
    traits: MatchTraits | None = None


Group = list[tuple[Arrival, PollReport]]
log = logging.getLogger(__name__)


@dataclass
class Saver:
    store: Store
    matching: MatchStep | None = None
    memory: SiteMemories | None = None  # what it learned, written when much of it waits

    def save(self, group: Group, report: PollReport) -> list[Matched]:
        """Store a group of articles (in one transaction), then match the new ones; each is
        counted in its feed's report, the time it took in `report`. What matching decided."""
        if not group:
            return []
        started = time.thread_time()
        try:
            saved = self.store.save_articles([arrival.item for arrival, _ in group])
        except Exception as exc:
            report.save_cpu_seconds += time.thread_time() - started
            self.save_apart(group, report, exc)
            return []
        if self.memory is not None:  # the rest when the poll ends
            self.memory.save(at_least=SAVE_ROWS)
        report.save_cpu_seconds += time.thread_time() - started
        report.save_groups += 1
        created: list[tuple[MatchRow, MatchTraits]] = []
        for (article_id, new), (arrival, its_report) in zip(saved, group, strict=True):
            if new:
                its_report.new_articles += 1
                item = arrival.item
                if isinstance(item, NewArticle) and arrival.traits is not None:
                    created.append((unmatched_row(article_id, item), arrival.traits))
        if self.matching is None or not created:
            return []
        started = time.thread_time()
        matched = self.matching.match_saved(created)
        report.match_cpu_seconds += time.thread_time() - started
        return matched

    def save_apart(self, group: Group, report: PollReport, exc: Exception) -> None:
        """After the store refused a group: each feed's part is saved on its own; a feed whose
        part fails too is told why."""
        feeds = {id(its_report): its_report for _, its_report in group}
        if len(feeds) > 1:
            for its_report in feeds.values():
                self.save([pair for pair in group if pair[1] is its_report], report)
            return
        log.exception("saving %d new articles failed", len(group), exc_info=exc)
        (its_report,) = feeds.values()  # the feed's poll records the failure; the others go on
        its_report.unsaved = f"{len(group)} new articles not saved: {one_line(str(exc))}"
