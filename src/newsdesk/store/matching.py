"""What the matching step reads to rebuild its indexes, and how it records its decisions.

A decision (signature, original, story, story headline, merged stories) is written together
with `matched_at`, and a group of decisions in one transaction (`match_recorder`), so an article
is either fully matched or not at all; unmatched articles are found again by `match_rows`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, bindparam, delete, func, select, update

from newsdesk.store.articles import NewArticle, article_keys
from newsdesk.store.base import StoreBase
from newsdesk.store.paging import sort_time
from newsdesk.store.stories import StoriesMixin, _outlet
from newsdesk.store.tables import articles, stories, story_outlets
from newsdesk.times import to_utc, utcnow

BATCH = 2000  # rows per read when streaming a whole store


@dataclass(frozen=True, slots=True)
class MatchRow:
    """What matching needs of a stored article."""

    id: int
    title: str | None
    text: str
    url: str
    canonical_url: str | None
    at: datetime  # sort_at: published time, else fetch time
    outlet: str
    duplicate_of: int | None
    story_id: int | None
    signature: bytes | None
    matched: bool


_COLUMNS = (
    articles.c.id,
    articles.c.title,
    articles.c.text,
    articles.c.url,
    articles.c.canonical_url,
    articles.c.sort_at,
    articles.c.site_name,
    articles.c.url_key,
    articles.c.duplicate_of,
    articles.c.story_id,
    articles.c.signature,
    articles.c.matched_at,
)


def _row(r: object) -> MatchRow:
    m = r._mapping  # type: ignore[attr-defined]
    return MatchRow(
        id=m["id"],
        title=m["title"],
        text=m["text"] or "",
        url=m["url"],
        canonical_url=m["canonical_url"],
        at=m["sort_at"],
        outlet=_outlet(m["site_name"], m["url_key"]),
        duplicate_of=m["duplicate_of"],
        story_id=m["story_id"],
        signature=m["signature"],
        matched=m["matched_at"] is not None,
    )


def unmatched_row(article_id: int, item: NewArticle) -> MatchRow:
    """The row save_articles just created for `item` (as `article_id`), made from the item
    itself: matching a new article reads nothing back."""
    article = item.article
    key, _ = article_keys(article)
    fetched = to_utc(item.fetched_at) if item.fetched_at is not None else utcnow()
    return MatchRow(
        id=article_id,
        title=article.title,
        text=article.text or "",
        url=article.url,
        canonical_url=article.canonical_url,
        at=sort_time(article.published, fetched),
        outlet=_outlet(article.site_name, key),
        duplicate_of=None,
        story_id=None,
        signature=item.signature,
        matched=False,
    )


class MatchingMixin(StoreBase):
    def match_row(self, article_id: int) -> MatchRow | None:
        found = self.match_rows_of([article_id])
        return found[0] if found else None

    def match_rows_of(self, article_ids: Sequence[int]) -> list[MatchRow]:
        """The given articles (those that exist), in id order, in one read."""
        query = select(*_COLUMNS).where(articles.c.id.in_(article_ids)).order_by(articles.c.id)
        with self._read() as conn:
            return [_row(row) for row in conn.execute(query)]

    def matched_signatures(self) -> Iterator[tuple[int, bytes, int | None]]:
        """(id, signature, duplicate_of) of every matched article, in id order."""
        query = select(articles.c.id, articles.c.signature, articles.c.duplicate_of).where(
            articles.c.matched_at.is_not(None), articles.c.signature.is_not(None)
        )
        for row in self._by_id(query):
            yield row.id, row.signature, row.duplicate_of

    def newest_matched_time(self) -> datetime | None:
        with self._read() as conn:
            return conn.execute(
                select(func.max(articles.c.sort_at)).where(articles.c.matched_at.is_not(None))
            ).scalar()

    def match_rows(
        self,
        *,
        since: datetime | None = None,
        matched: bool | None = None,
        after_id: int = 0,
        through_id: int | None = None,
    ) -> Iterator[MatchRow]:
        """Articles in arrival (id) order, as matching first saw them; `since` is on their
        publication time; `matched` True/False picks one kind only; ids above `after_id` and
        up to `through_id`."""
        query = select(*_COLUMNS)
        if through_id is not None:
            query = query.where(articles.c.id <= through_id)
        if since is not None:
            query = query.where(articles.c.sort_at >= since)
        if matched is not None:
            column = articles.c.matched_at
            query = query.where(column.is_not(None) if matched else column.is_(None))
        for row in self._by_id(query, after_id):
            yield _row(row)

    def _by_id(self, query: Select[Any], after_id: int = 0) -> Iterator[Row[Any]]:
        """The query's rows in id order, read BATCH at a time (no read held between batches)."""
        last = after_id
        while True:
            with self._read() as conn:
                rows = conn.execute(
                    query.where(articles.c.id > last).order_by(articles.c.id).limit(BATCH)
                ).all()
            yield from rows
            if len(rows) < BATCH:  # the last batch: no need to ask again
                return
            last = rows[-1].id

    def count_unmatched(self, *, since: datetime | None = None) -> int:
        query = select(func.count()).where(articles.c.matched_at.is_(None))
        if since is not None:
            query = query.where(articles.c.sort_at >= since)
        with self._read() as conn:
            return int(conn.execute(query).scalar() or 0)

    @contextmanager
    def match_recorder(self) -> Iterator[MatchRecorder]:
        """One write transaction for a group of decisions: all of them are stored or none."""
        with self._write() as conn:
            recorder = MatchRecorder(conn)
            yield recorder
            recorder.flush()

    def clear_matches(self, *, since: datetime | None = None) -> int:
        """Forget the matches of articles from `since` on (all when None), so they are matched
        again; stories left without articles are removed. Returns how many were cleared."""
        chosen = select(articles.c.id)
        if since is not None:
            chosen = chosen.where(articles.c.sort_at >= since)
        with self._write() as conn:
            ids = select(chosen.subquery().c.id)
            # copies whose original is being cleared are cleared too, so none points at nothing
            touched = articles.c.id.in_(ids) | articles.c.duplicate_of.in_(ids)
            story_ids = set(
                conn.execute(
                    select(articles.c.story_id).where(touched, articles.c.story_id.is_not(None))
                ).scalars()
            )
            cleared = conn.execute(
                update(articles)
                .where(touched)
                .values(duplicate_of=None, story_id=None, copies=0, matched_at=None)
            ).rowcount
            if since is not None:
                self._recount_copies(conn)
            for story_id in story_ids:
                StoriesMixin._recount_or_remove(conn, story_id)
            if since is None:  # stories created but never given an article
                used = select(articles.c.story_id).where(articles.c.story_id.is_not(None))
                conn.execute(delete(story_outlets).where(story_outlets.c.story_id.not_in(used)))
                conn.execute(delete(stories).where(stories.c.id.not_in(used)))
        return int(cleared or 0)

    @staticmethod
    def _recount_copies(conn: Connection) -> None:
        copy = articles.alias("copy")
        count = (
            select(func.count())
            .select_from(copy)
            .where(copy.c.duplicate_of == articles.c.id)
            .scalar_subquery()
        )
        conn.execute(
            update(articles).where(articles.c.copies > 0).values(copies=count)
        )


# the statements of the usual decision, built once: building them costs more than running them
_KNOWN = select(*_COLUMNS).where(articles.c.id == bindparam("article"))
_LABEL = (
    update(articles)
    .where(articles.c.id == bindparam("article"))
    .values(
        signature=bindparam("new_signature"),
        duplicate_of=bindparam("new_original"),
        story_id=bindparam("new_story"),
        matched_at=bindparam("now"),
    )
)
_ONE_MORE_COPY = (
    update(articles)
    .where(articles.c.id == bindparam("article"))
    .values(copies=articles.c.copies + 1)
)


class MatchRecorder:
    """Records matching decisions inside one open write transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._labels: list[dict[str, Any]] = []  # article updates not sent yet
        self._empty: set[int] = set()  # stories created here that no article has joined yet

    def flush(self) -> None:
        """Send the articles' new labels, all in one statement."""
        if self._labels:
            self.conn.execute(_LABEL, self._labels)
            self._labels = []

    def story_of(self, article_id: int) -> int | None:
        """An article's story as this transaction has it (decisions not sent yet included)."""
        self.flush()
        found = self.conn.execute(
            select(articles.c.story_id).where(articles.c.id == article_id)
        ).first()
        return found[0] if found is not None else None

    def create_story(self, title: str, *, first_seen: datetime) -> int:
        story_id = StoriesMixin._insert_story(self.conn, title, first_seen=first_seen)
        self._empty.add(story_id)
        return story_id

    def record(
        self,
        article_id: int,
        *,
        signature: bytes,
        original_id: int | None,
        story_id: int,
        story_title: str,
        merges: Sequence[tuple[int, int]] = (),
        moves: Sequence[tuple[int, int]] = (),
        known: MatchRow | None = None,
        retitle: Callable[[int], str | None] | None = None,
    ) -> None:
        """Store one article's match: its signature, the original it copies (None: it is
        one), its story and that story's headline; `merges` are (merged, into) pairs whose
        articles move to `into` (the merged story row is removed); `moves` are (article,
        into) pairs of earlier articles that changed story. `known`: the article's row as
        read in this transaction, or just before under the matching lock. `retitle`: the
        headline a story has now, for the other stories that `moves` changed."""
        conn = self.conn
        if known is None:  # what the join needs is read with the article's previous labels
            self.flush()
            known = _row(conn.execute(_KNOWN, {"article": article_id}).one())
        before, copied = known.story_id, known.duplicate_of
        decision = dict(
            article=article_id,
            new_signature=signature,
            new_original=original_id,
            new_story=story_id,
            now=utcnow(),
        )
        self._labels.append(decision)  # sent before anything reads labels, or at the end
        for changed in {copied, original_id} - {None}:
            if copied is None:  # the usual case: a new copy, one more
                conn.execute(_ONE_MORE_COPY, {"article": changed})
                continue
            self.flush()
            copies = (
                select(func.count()).where(articles.c.duplicate_of == changed).scalar_subquery()
            )
            conn.execute(update(articles).where(articles.c.id == changed).values(copies=copies))
        # every count follows the one join: no aggregate over a story of any size
        if before is None:  # the headline is set by the join's own update
            first = story_id in self._empty
            self._empty.discard(story_id)
            StoriesMixin._join_story(
                conn, story_id, at=known.at, outlet=known.outlet, title=story_title, first=first
            )
        else:
            conn.execute(update(stories).where(stories.c.id == story_id).values(title=story_title))
        if merges or moves or before is not None:
            self.flush()
        for merged, into in merges:
            StoriesMixin._fold_story(conn, merged, into)
            self._empty.discard(into)
        moved_between: set[int | None] = set()  # the stories the moves took from and gave to
        for moved, into in moves:
            moved_between |= {StoriesMixin._move_article(conn, moved, into), into}
            self._empty.discard(into)
        # a story cut from another has no headline yet
        for other in moved_between - {None, story_id}:
            title = retitle(other) if retitle is not None else None
            if title:
                conn.execute(update(stories).where(stories.c.id == other).values(title=title))
        if before is not None:  # matched before under another story: count both again
            for changed in {before, story_id}:
                if conn.execute(select(stories.c.id).where(stories.c.id == changed)).first():
                    StoriesMixin._recount_story(conn, changed)
