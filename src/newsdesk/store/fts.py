"""The SQLite full-text index (FTS5 table articles_fts, rowid = article id)."""

from __future__ import annotations

from sqlalchemy import Connection, text

from newsdesk.store.query import segment

INSERT = text("INSERT INTO articles_fts (rowid, title, body) VALUES (:id, :title, :body)")
DELETE = text("DELETE FROM articles_fts WHERE rowid = :id")


def index_article(conn: Connection, article_id: int, title: str | None, body: str) -> None:
    """(Re)index one article, inside the caller's transaction."""
    if conn.dialect.name != "sqlite":
        return  # PostgreSQL searches an expression index over the articles table itself
    conn.execute(DELETE, {"id": article_id})
    conn.execute(INSERT, {"id": article_id, "title": segment(title or ""), "body": segment(body)})
