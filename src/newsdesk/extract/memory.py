"""Per-site memory of text blocks: what recurs on many pages of a site is not the article."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Protocol


class BlockMemory(Protocol):
    """What extraction needs from a memory; the store provides a persistent one."""

    def counts(self, site: str, hashes: Iterable[str]) -> dict[str, int]:
        """For each hash, on how many earlier pages of ``site`` it was seen (0 when never)."""
        ...

    def remember(self, site: str, hashes: Iterable[str]) -> None:
        """Record that one more page of ``site`` held these blocks."""
        ...


class SiteMemory:
    """An in-memory BlockMemory: counts distinct pages per block hash, per site."""

    def __init__(self) -> None:
        self._counts: dict[str, dict[str, int]] = defaultdict(dict)

    def counts(self, site: str, hashes: Iterable[str]) -> dict[str, int]:
        seen = self._counts.get(site, {})
        return {h: seen.get(h, 0) for h in hashes}

    def remember(self, site: str, hashes: Iterable[str]) -> None:
        seen = self._counts[site]
        for h in set(hashes):
            seen[h] = seen.get(h, 0) + 1


class PageBlocks:
    """A BlockMemory for one page, where the site's memory is kept elsewhere (in the process
    that hands out pages): it knows the blocks the site repeats, with the pages each was seen
    on, and keeps the page's blocks in `seen` for that memory to count."""

    def __init__(self, recurring: Mapping[str, int] | None = None) -> None:
        self.recurring = dict(recurring or {})
        self.seen: list[str] = []

    def counts(self, site: str, hashes: Iterable[str]) -> dict[str, int]:
        return {h: self.recurring.get(h, 0) for h in hashes}

    def remember(self, site: str, hashes: Iterable[str]) -> None:
        self.seen = list(dict.fromkeys(hashes))


def block_hash(text: str) -> str:
    """A short fingerprint of a block's text, blind to case and spacing."""
    key = " ".join(text.lower().split())
    return hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=8).hexdigest()
