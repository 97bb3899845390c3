"""Folders as the sync protocols show them: a feed in no folder is in "Uncategorized", as
FreshRSS files it, so apps that show feeds only under their folders still show it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from newsdesk.model import Feed

UNCATEGORIZED = "Uncategorized"


def folder_of(feed: Feed) -> str:
    return feed.folder or UNCATEGORIZED


def client_folders(feeds: Iterable[Feed]) -> list[str]:
    """Every folder a client sees, "Uncategorized" among them when a feed is in none."""
    return sorted({folder_of(feed) for feed in feeds})


def folder_filter(folder: str) -> dict[str, Any]:
    """The ArticleQuery filters of a client's folder: "Uncategorized" holds the feeds in no
    folder (and those of a folder really named so)."""
    if folder == UNCATEGORIZED:
        return {"folder": folder, "unfiled": True}
    return {"folder": folder}
