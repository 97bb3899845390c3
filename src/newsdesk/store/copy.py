"""A whole store copied into another database: SQLite to PostgreSQL and back.

Every table of the schema is copied in its foreign keys' order, a batch of rows per
transaction in primary-key order, with the ids it has (so links, bookmarks and API clients'
ids stay right). A copy that stopped is run again: a table with one integer key goes on after
the last row the destination holds, the others are read again and the rows already there are
left alone. Articles go in without their duplicate_of (an article may be a copy of a later
one), which a last pass sets; the search index is written for each batch of articles in the
destination's own form. At the end the rows of every table, and the search index, are counted
on both sides; any difference is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, Table, bindparam, func, select, text, tuple_, update

from newsdesk.errors import NewsdeskError
from newsdesk.store.fts import index_articles
from newsdesk.store.sql import insert_ignore
from newsdesk.store.store import Store
from newsdesk.store.tables import articles, metadata

BATCH = 1000
Progress = Callable[[str, int], None]  # table, rows copied in this step


@dataclass
class CopyReport:
    counts: dict[str, int] = field(default_factory=dict)  # rows per table, the same on both


def copy_store(
    source: Store, dest: Store, *, batch: int = BATCH, on_progress: Progress | None = None
) -> CopyReport:
    """Copy `source` into `dest` (both migrated to the newest schema first); see the module."""
    source.migrate()
    dest.migrate()
    for table in metadata.sorted_tables:
        for count in _copy_table(source, dest, table, batch):
            if on_progress:
                on_progress(table.name, count)
    _copy_duplicate_links(source, dest, batch)
    if dest.dialect == "postgresql":
        _advance_sequences(dest)
    return _check_counts(source, dest)


def _copy_table(source: Store, dest: Store, table: Table, batch: int) -> Iterator[int]:
    """Copy one table a batch at a time; yields each batch's size."""
    keys = list(table.primary_key.columns)
    single = len(keys) == 1 and isinstance(keys[0].type, Integer)
    last: tuple[Any, ...] | None = None
    if single:  # go on after what a copy that stopped left there
        with dest._read() as conn:
            top = conn.execute(select(func.max(keys[0]))).scalar()
        last = (top,) if top is not None else None
    while True:
        query = select(table).order_by(*keys).limit(batch)
        if last is not None:
            query = query.where(tuple_(*keys) > tuple_(*last))
        with source._read() as conn:
            rows = [dict(row._mapping) for row in conn.execute(query)]
        if not rows:
            return
        last = tuple(rows[-1][key.name] for key in keys)
        with dest._write() as conn:
            if table is articles:
                _write_articles(conn, rows)
            else:
                insert_ignore(conn, table, rows, [key.name for key in keys])
        yield len(rows)


def _write_articles(conn: Any, rows: list[dict[str, Any]]) -> None:
    fresh = [{**row, "duplicate_of": None} for row in rows]  # set by the last pass
    insert_ignore(conn, articles, fresh, ["id"])
    items = [
        (row["id"], row["title"], row["text"] or row["description"] or "", row["language"])
        for row in rows
    ]
    index_articles(conn, items)


def _copy_duplicate_links(source: Store, dest: Store, batch: int) -> None:
    query = (
        select(articles.c.id, articles.c.duplicate_of)
        .where(articles.c.duplicate_of.is_not(None))
        .order_by(articles.c.id)
    )
    last = 0
    while True:
        with source._read() as conn:
            rows = conn.execute(query.where(articles.c.id > last).limit(batch)).all()
        if not rows:
            return
        last = rows[-1].id
        link = (
            update(articles)
            .where(articles.c.id == bindparam("article"))
            .values(duplicate_of=bindparam("original"))
        )
        with dest._write() as conn:
            conn.execute(link, [{"article": r.id, "original": r.duplicate_of} for r in rows])


def _advance_sequences(dest: Store) -> None:
    """PostgreSQL: each id sequence after the highest id copied, so new rows get new ids."""
    with dest._write() as conn:
        for table in metadata.sorted_tables:
            keys = list(table.primary_key.columns)
            if len(keys) != 1 or not isinstance(keys[0].type, Integer):
                continue
            sequence = conn.execute(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": keys[0].name},
            ).scalar()
            if sequence is None:  # an id given, not made (story_redirects)
                continue
            top = conn.execute(select(func.max(keys[0]))).scalar()
            if top is not None:
                conn.execute(text("SELECT setval(:sequence, :top)"),
                             {"sequence": sequence, "top": top})  # fmt: skip


def count_rows(store: Store) -> dict[str, int]:
    """Rows per table of the schema, and of the search index ("search index")."""
    found = {}
    with store._read() as conn:
        for table in metadata.sorted_tables:
            found[table.name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
        index = conn.execute(text("SELECT count(*) FROM articles_fts")).scalar_one()
    found["search index"] = index
    return found


def _check_counts(source: Store, dest: Store) -> CopyReport:
    there, here = count_rows(source), count_rows(dest)
    wrong = [f"{name} {there[name]} -> {here[name]}" for name in there if there[name] != here[name]]
    if wrong:
        raise NewsdeskError(
            "the copy differs from its source (was the destination empty?): " + ", ".join(wrong)
        )
    return CopyReport(counts=here)
