"""Articles: stored once by canonical URL, found again by any key a feed gave for them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import (
    Connection,
    Row,
    Select,
    bindparam,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError

from newsdesk.errors import NewsdeskError, NotFoundError
from newsdesk.model import Article, StoredArticle
from newsdesk.store.base import StoreBase
from newsdesk.store.fts import index_articles
from newsdesk.store.locks import SAVING, lock_transaction
from newsdesk.store.paging import sort_time
from newsdesk.store.sql import insert_ignore
from newsdesk.store.tables import articles, entry_keys, feeds
from newsdesk.times import to_utc, utcnow
from newsdesk.urls import InvalidURLError, url_key

FEED_TITLE = func.coalesce(feeds.c.user_title, feeds.c.title).label("feed_title")

# Built once: save_article runs for every new entry, and building statements costs more than
# running them.
_KEYS = bindparam("keys", expanding=True)
FIND_BY_KEYS = (
    select(articles.c.id)
    .where(or_(articles.c.url_key.in_(_KEYS), articles.c.source_key.in_(_KEYS)))
    # prefer the article whose canonical key matches over one that merely shares a URL
    .order_by(articles.c.url_key.in_(_KEYS).desc())
    .limit(1)
)
FEED_EXISTS = select(feeds.c.id).where(feeds.c.id == bindparam("feed_id"))
INSERT_ARTICLES = insert(articles).returning(articles.c.id, sort_by_parameter_order=True)
FIND_ALL_BY_KEYS = select(articles.c.id, articles.c.url_key, articles.c.source_key).where(
    or_(articles.c.url_key.in_(_KEYS), articles.c.source_key.in_(_KEYS))
)


def _key_or_none(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return url_key(url)
    except InvalidURLError:
        return None


def article_keys(article: Article) -> tuple[str, str]:
    """(url_key, source_key): the key of the canonical URL (else of the URL) and of the URL.

    A canonical URL that points at a site's home page while the article's own URL does not is
    a publisher's mistake, common enough that trusting it would fold a whole site into one
    article; such a canonical is ignored.
    """
    source = _key_or_none(article.url)
    if source is None:
        raise NewsdeskError(f"article URL is not an http(s) URL: {article.url!r}", url=article.url)
    canonical = _key_or_none(article.canonical_url)
    if canonical is not None and _is_home(article.canonical_url) and not _is_home(article.url):
        canonical = None
    return canonical or source, source


def _is_home(url: str | None) -> bool:
    return urlsplit(url or "").path.strip("/") == ""


@dataclass(frozen=True, slots=True)
class NewArticle:
    """One article to save_articles, with what its feed said about it."""

    article: Article
    feed_id: int | None = None
    guid: str | None = None
    entry_keys: Sequence[str] = ()
    fetched_at: datetime | None = None
    # its duplicate signature (newsdesk.match.dedup.Signature.to_bytes), stored with it
    signature: bytes | None = None
    warc_record_id: str | None = None  # the WARC record an archived page came from


@dataclass(frozen=True, slots=True)
class EntryLink:
    """A feed's new entry for an article stored already (another feed brought the page): to
    save_articles, its entry keys point at that article, which is left as it is."""

    article_id: int
    feed_id: int
    entry_keys: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class _Prepared:
    article: Article
    key: str
    source: str
    feed_id: int | None
    guid: str | None
    keys: list[str]
    fetched: datetime
    signature: bytes | None
    warc_record_id: str | None


def _prepare(item: NewArticle) -> _Prepared:
    key, source = article_keys(item.article)  # NewsdeskError before anything is written
    fetched = to_utc(item.fetched_at) if item.fetched_at is not None else utcnow()
    keys = sorted({k for k in item.entry_keys if k})
    return _Prepared(
        item.article,
        key,
        source,
        item.feed_id,
        item.guid,
        keys,
        fetched,
        item.signature,
        item.warc_record_id,
    )


class _KnownKeys:
    """The articles stored under any of a group's keys, and the group's own new ones.

    An article is found by its canonical key first (as url_key), then by its URL (as
    source_key): the rule FIND_BY_KEYS applies to one article, for a whole group at once.
    """

    def __init__(self, conn: Connection, keys: set[str]) -> None:
        self._by_key: dict[str, int] = {}
        self._by_source: dict[str, int] = {}
        if keys:
            for article_id, key, source in conn.execute(FIND_ALL_BY_KEYS, {"keys": list(keys)}):
                self.remember(key, source, article_id)

    def remember(self, key: str, source: str, article_id: int) -> None:
        self._by_key.setdefault(key, article_id)
        self._by_source.setdefault(source, article_id)

    def find(self, key: str, source: str) -> int | None:
        for table in (self._by_key, self._by_source):
            for k in (key, source):
                if k in table:
                    return table[k]
        return None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def row_to_stored(row: Row[Any]) -> StoredArticle:
    return stored_from_values(row._mapping)  # by key: several times faster than by attribute


def stored_from_values(m: Mapping[str, Any]) -> StoredArticle:
    """A StoredArticle from an article row's values by column name (and `feed_title`) as the
    table's types read them: `authors` a list, `fetched_at` an aware datetime; `published`
    and `updated` ISO text. A missing `html` (None) reads as ""."""
    article = Article(
        url=m["url"],
        canonical_url=m["canonical_url"],
        title=m["title"],
        authors=list(m["authors"] or []),
        published=_from_iso(m["published"]),
        updated=_from_iso(m["updated"]),
        language=m["language"],
        site_name=m["site_name"],
        image=m["image"],
        image_caption=m["image_caption"],
        description=m["description"],
        text=m["text"] or "",
        html=m["html"] or "",
        method=m["method"] or "",
    )
    return StoredArticle(
        id=m["id"],
        feed_id=m["feed_id"],
        feed_title=m["feed_title"],
        article=article,
        guid=m["guid"],
        fetched_at=m["fetched_at"],
        duplicate_of=m["duplicate_of"],
        story_id=m["story_id"],
        copies=m["copies"],
        warc_record_id=m.get("warc_record_id"),
    )


def stored_select() -> Select[Any]:
    """Articles with the title of their feed, ready for row_to_stored."""
    return select(articles, FEED_TITLE).select_from(
        articles.outerjoin(feeds, feeds.c.id == articles.c.feed_id)
    )


class ArticlesMixin(StoreBase):
    def find_article_by_url(self, url: str) -> int | None:
        """The id of the article stored under this URL or canonical URL (any trivial variant)."""
        key = _key_or_none(url)
        if key is None:
            return None
        with self._read() as conn:
            return self._find_by_keys(conn, {key})

    @staticmethod
    def _find_by_keys(conn: Connection, keys: Iterable[str]) -> int | None:
        return conn.execute(FIND_BY_KEYS, {"keys": list(keys)}).scalar()

    def save_article(
        self,
        article: Article,
        *,
        feed_id: int | None = None,
        guid: str | None = None,
        entry_keys: Iterable[str] = (),
        fetched_at: datetime | None = None,
    ) -> tuple[int, bool]:
        """(article id, created). One transaction: the article row (unless one with the same
        canonical or URL key exists: then that one's id and created=False), the feed's entry
        keys pointing at it, and its full-text row. Safe to repeat; a crash leaves nothing."""
        new = NewArticle(article, feed_id, guid, tuple(entry_keys), fetched_at)
        return self.save_articles([new])[0]

    def save_articles(
        self, items: Sequence[NewArticle | EntryLink]
    ) -> list[tuple[int, bool]]:
        """save_article for each item, all in one transaction (a feed's new entries, say):
        every one is stored, or after a crash none is. (id, created) for each, in order; an
        item whose page an earlier item of the same call stored gets that article's id. An
        EntryLink only links its entry keys: (its article id, False)."""
        prepared = [item if isinstance(item, EntryLink) else _prepare(item) for item in items]
        if not prepared:
            return []
        try:
            return self._save(prepared)
        except IntegrityError:
            # PostgreSQL: a concurrent writer stored the same URL first; link to theirs
            return self._save(prepared)

    def _save(self, prepared: list[_Prepared | EntryLink]) -> list[tuple[int, bool]]:
        # A handful of statements for the whole group, not a few per article: a feed's new
        # entries arrive together, and each statement costs more to run than to store a row.
        with self._write() as conn:
            # one saver at a time: ids then come in commit order, the order the matcher
            # (store/roles.py) takes articles in, so no article is decided before an older one
            lock_transaction(conn, SAVING)
            feed_ids = {item.feed_id for item in prepared if item.feed_id is not None}
            for feed_id in sorted(feed_ids):
                if conn.execute(FEED_EXISTS, {"feed_id": feed_id}).first() is None:
                    raise NotFoundError(f"no feed with id {feed_id}")
            known = _KnownKeys(
                conn,
                {
                    k
                    for item in prepared
                    if isinstance(item, _Prepared)
                    for k in (item.key, item.source)
                },
            )
            targets: list[tuple[int, bool]] = []  # (article id, or -1 - its new row; created)
            new: list[_Prepared] = []
            for item in prepared:
                if isinstance(item, EntryLink):
                    targets.append((item.article_id, False))
                    continue
                found = known.find(item.key, item.source)
                if found is None:  # a page met again later in the group is found here then
                    found = -1 - len(new)
                    new.append(item)
                    known.remember(item.key, item.source, found)
                    targets.append((found, True))
                else:
                    targets.append((found, False))
            new_ids = self._insert_articles(conn, new)
            saved = [(new_ids[-1 - t] if t < 0 else t, created) for t, created in targets]
            links = [
                {"feed_id": item.feed_id, "key": k, "article_id": article_id}
                for item, (article_id, _) in zip(prepared, saved, strict=True)
                if item.feed_id is not None
                for k in (item.keys if isinstance(item, _Prepared) else item.entry_keys)
            ]
            insert_ignore(conn, entry_keys, links, ["feed_id", "key"])
        return saved

    @staticmethod
    def _insert_articles(conn: Connection, new: list[_Prepared]) -> list[int]:
        if not new:
            return []
        rows = [
            dict(
                feed_id=item.feed_id,
                guid=item.guid,
                url=item.article.url,
                url_key=item.key,
                source_key=item.source,
                fetched_at=item.fetched,
                signature=item.signature,
                warc_record_id=item.warc_record_id,
                **_content_values(item.article, item.fetched),
            )
            for item in new
        ]
        result = conn.execute(INSERT_ARTICLES, rows)
        ids = [row[0] for row in result]
        index_articles(
            conn,
            [
                (
                    article_id,
                    item.article.title,
                    item.article.text or item.article.description or "",
                    item.article.language,
                )
                for article_id, item in zip(ids, new, strict=True)
            ],
        )
        return ids

    def get_article(self, article_id: int) -> StoredArticle:
        with self._read() as conn:
            row = conn.execute(stored_select().where(articles.c.id == article_id)).first()
        if row is None:
            raise NotFoundError(f"no article with id {article_id}")
        return row_to_stored(row)

    def get_articles(self, article_ids: Sequence[int]) -> list[StoredArticle]:
        """The articles with these ids, in the order given (unknown ids are left out)."""
        found: dict[int, StoredArticle] = {}
        ids = list(dict.fromkeys(article_ids))
        with self._read() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                for row in conn.execute(stored_select().where(articles.c.id.in_(chunk))):
                    found[row.id] = row_to_stored(row)
        return [found[i] for i in ids if i in found]

    def newest_article_times(self) -> dict[int, datetime]:
        """{feed id: reading-order time of its newest article} (feeds without any left out)."""
        # one index seek per feed, not a pass over every article
        newest = (
            select(func.max(articles.c.sort_at))
            .where(articles.c.feed_id == feeds.c.id)
            .scalar_subquery()
        )
        query = select(feeds.c.id, newest)
        with self._read() as conn:
            rows = conn.execute(query)
            return {feed_id: to_utc(stamp) for feed_id, stamp in rows if stamp is not None}

    def count_articles(self, *, originals_only: bool = False) -> int:
        """Stored articles; with originals_only, copies of another article are not counted."""
        query = select(func.count()).select_from(articles)
        if originals_only:
            query = query.where(func.coalesce(articles.c.duplicate_of, 0) == 0)
        with self._read() as conn:
            return conn.execute(query).scalar_one()


def _content_values(article: Article, fetched: datetime) -> dict[str, Any]:
    """The columns an article's content fills in a new row."""
    return dict(
        canonical_url=article.canonical_url,
        title=article.title,
        authors=list(article.authors),
        published=_iso(article.published),
        published_at=to_utc(article.published) if article.published else None,
        updated=_iso(article.updated),
        language=article.language,
        site_name=article.site_name,
        image=article.image,
        image_caption=article.image_caption,
        description=article.description,
        text=article.text or "",
        html=article.html or "",
        method=article.method or "",
        sort_at=sort_time(article.published, fetched),
    )
