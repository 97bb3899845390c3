"""The SQLite full-text index (FTS5 table articles_fts, rowid = article id)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, text

from newsdesk.store.query import segment

INSERT = text("INSERT INTO articles_fts (rowid, title, body) VALUES (:id, :title, :body)")
DELETE = text("DELETE FROM articles_fts WHERE rowid = :id")


def index_article(conn: Connection, article_id: int, title: str | None, body: str) -> None:
    """(Re)index one article, inside the caller's transaction."""
    index_articles(conn, [(article_id, title, body)])


def index_articles(conn: Connection, items: Sequence[tuple[int, str | None, str]]) -> None:
    """(Re)index articles given as (id, title, body), two statements whatever their number."""
    if conn.dialect.name != "sqlite" or not items:
        return  # PostgreSQL searches an expression index over the articles table itself
    conn.execute(DELETE, [{"id": article_id} for article_id, _, _ in items])
    conn.execute(
        INSERT,
        [
            {"id": article_id, "title": segment(title or ""), "body": segment(body)}
            for article_id, title, body in items
        ],
    )
