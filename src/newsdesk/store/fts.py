"""The full-text index, table articles_fts (rowid = article id), written inside the article's
own transaction. It holds the tokens of store.words, made in Python, on either database:

- SQLite: an FTS5 table (title, body, lang) of the tokens separated by spaces (its tokenizer
  only splits them again), with the language form's name in `lang`;
- PostgreSQL: (rowid, document tsvector) with a GIN index, the document written as a tsvector
  literal (title tokens weighted A, body tokens at positions after them, the language form's
  marker without a position), so PostgreSQL's own parser and dictionaries change nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select, text

from newsdesk.store.tables import articles
from newsdesk.store.words import language_key, marker, tokens

MAX_TITLE_TOKENS = 300  # with store.words.MAX_TOKENS, every position is under 16384
MAX_POSITIONS = 256  # PostgreSQL keeps this many positions of one lexeme in a document
POSITIONS = [str(number) for number in range(16_384)]  # each position's text, made once

SQLITE_DELETE = text("DELETE FROM articles_fts WHERE rowid = :id")
SQLITE_INSERT = text(
    "INSERT INTO articles_fts (rowid, title, body, lang) VALUES (:id, :title, :body, :lang)"
)
POSTGRES_UPSERT = text(
    "INSERT INTO articles_fts (rowid, document) VALUES (:id, CAST(:document AS tsvector)) "
    "ON CONFLICT (rowid) DO UPDATE SET document = excluded.document"
)

Item = tuple[int, str | None, str, str | None]  # article id, title, body, language


def index_article(
    conn: Connection, article_id: int, title: str | None, body: str, language: str | None
) -> None:
    """(Re)index one article, inside the caller's transaction."""
    index_articles(conn, [(article_id, title, body, language)])


def index_articles(conn: Connection, items: Sequence[Item]) -> None:
    """(Re)index articles, a couple of statements whatever their number."""
    if not items:
        return
    rows = []
    for article_id, title, body, language in items:
        key = language_key(language)
        title_tokens = tokens(title or "", key)[:MAX_TITLE_TOKENS]
        rows.append((article_id, title_tokens, tokens(body, key), key))
    if conn.dialect.name == "sqlite":
        conn.execute(SQLITE_DELETE, [{"id": row[0]} for row in rows])
        conn.execute(
            SQLITE_INSERT,
            [
                {"id": i, "title": " ".join(title), "body": " ".join(body), "lang": key}
                for i, title, body, key in rows
            ],
        )
        return
    conn.execute(
        POSTGRES_UPSERT,
        [{"id": i, "document": tsvector(title, body, key)} for i, title, body, key in rows],
    )


def tsvector(title: list[str], body: list[str], key: str) -> str:
    """A PostgreSQL tsvector literal: the title's tokens at positions 1.. weighted A, the body's
    after a gap (so no phrase runs from one into the other), and the language marker."""
    positions: dict[str, list[str]] = {}
    for number, token in enumerate(title, 1):
        positions.setdefault(token, []).append(f"{number}A")
    start = len(title) + 2
    for token, number in zip(body, POSITIONS[start : start + len(body)], strict=False):
        found = positions.get(token)
        if found is None:
            positions[token] = [number]
        else:
            found.append(number)
    lexemes = [f"'{marker(key)}'"]
    lexemes.extend(f"'{token}':{','.join(at[:MAX_POSITIONS])}" for token, at in positions.items())
    return " ".join(lexemes)


def reindex(conn: Connection) -> int:
    """Index every stored article again, inside the caller's transaction; how many."""
    conn.execute(text("DELETE FROM articles_fts"))
    columns = (articles.c.id, articles.c.title, articles.c.text, articles.c.description,
               articles.c.language)  # fmt: skip
    count = last = 0
    while True:
        batch = conn.execute(
            select(*columns).where(articles.c.id > last).order_by(articles.c.id).limit(1000)
        ).all()
        if not batch:
            return count
        index_articles(
            conn, [(r.id, r.title, r.text or r.description or "", r.language) for r in batch]
        )
        count += len(batch)
        last = batch[-1].id
