"""Per-site memory of boilerplate blocks for extraction: on how many pages a block was seen."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import literal_column, select

from newsdesk.store.base import StoreBase
from newsdesk.store.sql import upsert
from newsdesk.store.tables import site_blocks
from newsdesk.times import utcnow

CHUNK = 500


class SiteBlocksMixin(StoreBase):
    def site_block_counts(self, site: str, hashes: Iterable[str]) -> dict[str, int]:
        """For each hash, on how many earlier pages of `site` it was seen (0 when never)."""
        wanted = list(dict.fromkeys(hashes))
        counts = dict.fromkeys(wanted, 0)
        table = site_blocks.c
        with self._read() as conn:
            for start in range(0, len(wanted), CHUNK):
                query = select(table.block_hash, table.seen_count).where(
                    table.site == site, table.block_hash.in_(wanted[start : start + CHUNK])
                )
                counts.update({block: count for block, count in conn.execute(query)})
        return counts

    def remember_site_blocks(self, site: str, hashes: Iterable[str]) -> None:
        """Record that one more page of `site` held these blocks (each counted once per call)."""
        self.add_site_block_counts({site: dict.fromkeys(hashes, 1)})

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

    def block_memory(self) -> StoreBlockMemory:
        """This store as extraction's BlockMemory (newsdesk.extract.memory)."""
        return StoreBlockMemory(self)


class StoreBlockMemory:
    def __init__(self, store: SiteBlocksMixin) -> None:
        self.store = store

    def counts(self, site: str, hashes: Iterable[str]) -> dict[str, int]:
        return self.store.site_block_counts(site, hashes)

    def remember(self, site: str, hashes: Iterable[str]) -> None:
        self.store.remember_site_blocks(site, hashes)
