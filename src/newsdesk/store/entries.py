"""Feed entries already known: what a poll asks once per feed, not once per entry.

    known = store.known_entries(feed_id, ["guid:...", "url:..."], ["example.com/a", ...])
    known.seen["guid:..."]        # the article this feed's entry key already points at
    known.stored["example.com/a"]  # the article stored under that URL key (canonical or own)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select

from newsdesk.store.base import StoreBase
from newsdesk.store.tables import articles, entry_keys

CHUNK = 500  # bound parameters per statement, well under every database's limit

_KEYS = bindparam("keys", expanding=True)
SEEN = select(entry_keys.c.key, entry_keys.c.article_id).where(
    entry_keys.c.feed_id == bindparam("feed_id"), entry_keys.c.key.in_(_KEYS)
)
BY_URL_KEY = select(articles.c.id, articles.c.url_key).where(articles.c.url_key.in_(_KEYS))
BY_SOURCE_KEY = select(articles.c.id, articles.c.source_key).where(
    articles.c.source_key.in_(_KEYS)
)


@dataclass(frozen=True)
class KnownEntries:
    seen: dict[str, int] = field(default_factory=dict)  # entry key -> article id
    stored: dict[str, int] = field(default_factory=dict)  # URL key -> article id


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    unique = sorted(set(values))
    for start in range(0, len(unique), CHUNK):
        yield unique[start : start + CHUNK]


class EntriesMixin(StoreBase):
    def known_entries(
        self, feed_id: int, keys: Iterable[str], url_keys: Iterable[str] = ()
    ) -> KnownEntries:
        """In one read: which of `keys` the feed gave before (entry key -> article id), and
        which `url_keys` an article is stored under (URL key -> article id; an article whose
        canonical key matches wins over one that merely shares its URL, as in save_article)."""
        known = KnownEntries()
        with self._read() as conn:
            for chunk in _chunks(keys):
                for key, article_id in conn.execute(SEEN, {"feed_id": feed_id, "keys": chunk}):
                    known.seen[key] = article_id
            for chunk in _chunks(url_keys):
                for article_id, key in conn.execute(BY_SOURCE_KEY, {"keys": chunk}):
                    known.stored.setdefault(key, article_id)
                for article_id, key in conn.execute(BY_URL_KEY, {"keys": chunk}):
                    known.stored[key] = article_id  # the canonical match wins
        return known
