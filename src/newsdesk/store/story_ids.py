"""Story ids that hold: an id that stops naming a story (merged into another, emptied by moves,
given up by a regroup) redirects to the story its coverage is in now, and a regroup gives each
new story the id its earliest coverage had before.

    store.story_redirect(25)   # 50: story 25 was merged into 50 (None: 25 is no old id)
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select, update

from newsdesk.store.base import StoreBase
from newsdesk.store.tables import articles, stories, story_outlets, story_redirects

CHUNK = 500  # ids per IN (...) list


def redirect_story(conn: Connection, gone: int, into: int) -> None:
    """Story `gone` is no more; its id (and the ids that led to it) now lead to `into`."""
    if gone == into:
        return
    conn.execute(
        update(story_redirects).where(story_redirects.c.into_id == gone).values(into_id=into)
    )
    conn.execute(delete(story_redirects).where(story_redirects.c.id == gone))
    conn.execute(insert(story_redirects).values(id=gone, into_id=into))


class StoryIdsMixin(StoreBase):
    def story_redirect(self, story_id: int) -> int | None:
        """The story an old id leads to now (None when it is no old id)."""
        with self._read() as conn:
            return conn.execute(
                select(story_redirects.c.into_id).where(story_redirects.c.id == story_id)
            ).scalar()

    def first_articles_of_stories(self, *, since: datetime | None = None) -> dict[int, int]:
        """{article id: story id}: the earliest article (by time, then id) of each story that
        has articles from `since` on (every story when None), as `keep_story_ids` needs them."""
        order = func.row_number().over(
            partition_by=articles.c.story_id, order_by=(articles.c.sort_at, articles.c.id)
        )
        ranked = select(articles.c.id, articles.c.story_id, order.label("rank")).where(
            articles.c.story_id.is_not(None)
        )
        if since is not None:
            touched = select(articles.c.story_id).where(articles.c.sort_at >= since)
            ranked = ranked.where(articles.c.story_id.in_(touched))
        inner = ranked.subquery()
        query = select(inner.c.id, inner.c.story_id).where(inner.c.rank == 1)
        with self._read() as conn:
            return {row.id: row.story_id for row in conn.execute(query)}

    def story_ids(self) -> set[int]:
        """The id of every story (read between a regroup's clearing and its new decisions)."""
        with self._read() as conn:
            return set(conn.execute(select(stories.c.id)).scalars())

    def keep_story_ids(self, firsts: dict[int, int], *, kept: set[int]) -> None:
        """After a regroup: each story made since (every story but those `kept` through the
        clearing) takes the old id of a story whose earliest article it holds (`firsts`, read
        before the regroup), the earliest such article first; every old id that names no story
        then redirects to the story holding its earliest article. Ids that took no old id
        keep theirs."""
        with self._write() as conn:
            live = set(conn.execute(select(stories.c.id)).scalars())
            ids = list(firsts)
            query = select(articles.c.id, articles.c.sort_at, articles.c.story_id)
            rows = [
                row
                for start in range(0, len(ids), CHUNK)
                for row in conn.execute(query.where(articles.c.id.in_(ids[start : start + CHUNK])))
            ]
            now = {row.id: row.story_id for row in rows}
            made = live - kept
            olds = set(firsts.values())
            targets: dict[int, int] = {}  # a new story's id -> the id it takes
            taken = set(kept)
            for row in sorted(rows, key=lambda r: (r.sort_at, r.id)):  # earliest claim first
                old, new = firsts[row.id], row.story_id
                if new in made and new not in targets and old not in taken:
                    targets[new] = old
                    taken.add(old)
            top = max(live | olds | {0}) + 1
            # SQLite gives the ids of stories the clearing removed again: a new story holding
            # an old id it does not take moves on, so an old id never names another story
            for new in sorted(made - targets.keys()):
                if new in olds:
                    targets[new], top = top, top + 1
            through: dict[int, int] = {}  # via ids above all others: no rename meets one in use
            for new, target in targets.items():
                if new != target:
                    _rename_story(conn, new, top)
                    through[top], top = target, top + 1
            for temporary, target in through.items():
                _rename_story(conn, temporary, target)
            for first, old in firsts.items():
                new = now.get(first)
                if new is not None and old not in taken:
                    redirect_story(conn, old, targets.get(new, new))


def _rename_story(conn: Connection, story_id: int, new_id: int) -> None:
    """Give a story another id (one that names no story)."""
    row = conn.execute(select(stories).where(stories.c.id == story_id)).one()._asdict()
    conn.execute(delete(story_redirects).where(story_redirects.c.id == new_id))
    conn.execute(insert(stories).values({**row, "id": new_id}))
    conn.execute(update(articles).where(articles.c.story_id == story_id).values(story_id=new_id))
    conn.execute(
        update(story_outlets).where(story_outlets.c.story_id == story_id).values(story_id=new_id)
    )
    conn.execute(delete(stories).where(stories.c.id == story_id))
