"""Storage: SQL tables, migrations, queries and full-text search. The only package with SQL."""

from newsdesk.store.feeds import UNSET
from newsdesk.store.listing import ArticleQuery
from newsdesk.store.paging import CursorError, cursor_of, next_cursor
from newsdesk.store.store import Store

__all__ = ["UNSET", "ArticleQuery", "CursorError", "Store", "cursor_of", "next_cursor"]
