"""Search finds word forms and runs on PostgreSQL as on SQLite: the full-text index holds the
tokens newsdesk makes (store.words: stemmed in each article's language, bigrams of unspaced
scripts) in a table articles_fts on both databases, and every stored article is indexed again.
An index on articles.language tells which languages a search stems its words in.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from alembic import op

from newsdesk.store.fts import reindex
from newsdesk.store.query import SEGMENTED, UNSAFE

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the tokens come folded from Python: the tokenizer only splits them at the spaces
SQLITE_FTS = (
    "CREATE VIRTUAL TABLE articles_fts USING fts5("
    "title, body, lang, tokenize = 'unicode61 remove_diacritics 0')"
)
POSTGRES_FTS = (
    "CREATE TABLE articles_fts ("
    "rowid integer PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE, "
    "document tsvector NOT NULL)"
)
POSTGRES_FTS_INDEX = "CREATE INDEX ix_articles_fts_document ON articles_fts USING gin (document)"
# the index of migration 0001, over PostgreSQL's own 'simple' words of title and text
OLD_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE articles_fts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')"
)
OLD_POSTGRES_INDEX = (
    "CREATE INDEX ix_articles_search ON articles USING gin ("
    "to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(text, '')))"
)


def upgrade() -> None:
    op.create_index("ix_articles_language", "articles", ["language"])
    if op.get_context().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS articles_fts")
        op.execute(SQLITE_FTS)
    else:
        op.execute("DROP INDEX IF EXISTS ix_articles_search")
        op.execute(POSTGRES_FTS)
        op.execute(POSTGRES_FTS_INDEX)
    if not op.get_context().as_sql:
        reindex(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_articles_language", table_name="articles")
    op.execute("DROP TABLE IF EXISTS articles_fts")
    if op.get_context().dialect.name == "sqlite":
        op.execute(OLD_SQLITE_FTS)
        if not op.get_context().as_sql:
            # the old index's rows: the text with each character of an unspaced script apart
            bind = op.get_bind()
            rows = bind.exec_driver_sql(
                "SELECT id, title, coalesce(nullif(text, ''), description, '') FROM articles"
            ).all()
            bind.exec_driver_sql(
                "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
                [(i, _segmented(title or ""), _segmented(body)) for i, title, body in rows],
            )
    else:
        op.execute(OLD_POSTGRES_INDEX)


def _segmented(text: str) -> str:
    """NFKC text with a space around each character of an unspaced script (0001's index)."""
    clean = unicodedata.normalize("NFKC", UNSAFE.sub(" ", text))
    return SEGMENTED.sub(lambda m: f" {m.group()} ", clean)
