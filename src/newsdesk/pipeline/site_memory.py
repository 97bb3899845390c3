"""Polling's memory of the blocks each site repeats on its pages (menus, promo boxes, footers).

Extraction runs in worker processes, so the memory lives in the polling process: a page goes
out with the blocks its site is known to repeat (a small set, newsdesk.extract.PageBlocks drops
them), and its article comes back with the fingerprints of the page's blocks, counted here. A
site's counts are loaded from the store's site blocks on its first page, and what is learned
is written back in one transaction per `save`. At most `keep` blocks a site stay in memory,
the most frequent.

A page holds hundreds of blocks, most of them its own (the story, its comments), and writing
each costs about as much as extracting a paragraph. So every block of a site's first page in
this memory is written (polls that meet a site one page at a time still teach the store), and
of later pages only the blocks seen before: a block first met there counts from its second
page. What is learned is written once a poll ends, or sooner once `SAVE_ROWS` blocks wait,
so a block a site repeats on every page costs one row a poll, not one a page.
"""

from __future__ import annotations

import logging
from collections import Counter

from newsdesk.store import Store

log = logging.getLogger(__name__)
KEEP = 500  # blocks kept per site: its repeated blocks, then the latest others
SAVE_ROWS = 20_000  # blocks learned and not written yet that a save group writes out


class SiteMemories:
    def __init__(self, store: Store, recurring_pages: int, *, keep: int = KEEP) -> None:
        """`recurring_pages`: on how many pages of a site a block is seen before extraction
        drops it (newsdesk.extract.ExtractParams)."""
        self.store = store
        self.recurring_pages = recurring_pages
        self.keep = keep
        self._counts: dict[str, dict[str, int]] = {}  # site -> block -> pages seen on
        self._recurring: dict[str, dict[str, int]] = {}
        self._pending: dict[str, Counter[str]] = {}  # learned, not written yet
        self._pages: Counter[str] = Counter()  # pages learned from, per site

    def recurring(self, site: str) -> dict[str, int]:
        """The blocks `site` repeats, seen on `recurring_pages` pages or more: on how many."""
        found = self._recurring.get(site)
        if found is None:
            counts = self._site(site)
            least = self.recurring_pages
            found = {block: n for block, n in counts.items() if n >= least}
            self._recurring[site] = found
        return found

    def learn(self, site: str, blocks: list[str]) -> None:
        """One more page of `site` held these blocks."""
        if not site or not blocks:
            return
        counts = self._site(site)
        self._pages[site] += 1
        every = self._pages[site] == 1
        pending = self._pending.setdefault(site, Counter())
        crossed = False
        for block in dict.fromkeys(blocks):
            seen = counts.pop(block, 0) + 1
            counts[block] = seen  # re-inserted: the latest blocks come last
            crossed |= seen == self.recurring_pages
            if every or seen > 1:
                pending[block] += 1
        if crossed:
            self._recurring.pop(site, None)
        if len(counts) > 2 * self.keep:  # the most frequent, the latest first among equals
            kept = sorted(reversed(counts.items()), key=lambda item: -item[1])[: self.keep]
            self._counts[site] = dict(reversed(kept))

    def save(self, *, at_least: int = 0) -> None:
        """Write what was learned since the last save, if `at_least` blocks wait (lost, not
        retried, if that fails: the memory is a heuristic, and the pages to come teach it
        again)."""
        if not self._pending or sum(map(len, self._pending.values())) < at_least:
            return
        pending, self._pending = self._pending, {}
        try:
            self.store.add_site_block_counts(pending)
        except Exception:
            log.exception("saving the site memory of %d sites failed", len(pending))

    def _site(self, site: str) -> dict[str, int]:
        counts = self._counts.get(site)
        if counts is None:
            try:
                counts = self.store.frequent_site_blocks(site, self.keep)
            except Exception:  # reading failed: this site starts from nothing
                log.exception("reading the site memory of %s failed", site)
                counts = {}
            counts = dict(reversed(list(counts.items())))  # the most frequent last, as if latest
            self._counts[site] = counts
        return counts
