"""Per-site memory of boilerplate blocks for extraction: on how many pages a block was seen.

Polling keeps the counts in memory (newsdesk.pipeline.site_memory) and writes what it learned
here in batches; a poller starts a site's memory from its most frequent blocks."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import literal_column, select

from newsdesk.store.base import StoreBase
from newsdesk.store.sql import upsert
from newsdesk.store.tables import site_blocks
from newsdesk.times import utcnow

CHUNK = 500


class SiteBlocksMixin(StoreBase):
    def add_site_block_counts(self, counts: Mapping[str, Mapping[str, int]]) -> None:
        """Add pages seen to blocks' counts, {site: {block hash: pages}}, in one transaction:
        what a poller learned of many pages, written at once."""
        now = utcnow()
        rows = [
            {"site": site, "block_hash": block, "seen_count": pages, "last_seen": now}
            for site, blocks in counts.items()
            for block, pages in blocks.items()
        ]
        added = site_blocks.c.seen_count + literal_column("excluded.seen_count")
        update = {"seen_count": added, "last_seen": "last_seen"}
        with self._write() as conn:
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                upsert(conn, site_blocks, chunk, ["site", "block_hash"], update)

    def frequent_site_blocks(self, site: str, limit: int) -> dict[str, int]:
        """The `limit` blocks of `site` seen on most pages (the latest first among equals),
        with their counts: what a poller starts a site's memory from."""
        table = site_blocks.c
        query = (
            select(table.block_hash, table.seen_count)
            .where(table.site == site)
            .order_by(table.seen_count.desc(), table.last_seen.desc())
            .limit(limit)
        )
        with self._read() as conn:
            return {block: count for block, count in conn.execute(query)}
