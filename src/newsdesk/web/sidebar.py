"""The reader's sidebar (a drawer on a phone): the folders and their sources with the reader's
unread counts, as Miniflux and FreshRSS show them beside every page."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request

from newsdesk.model import User
from newsdesk.web.state import get_store
from newsdesk.web.viewcache import feed_map
from newsdesk.web.views import feed_icon, feed_name


@dataclass(slots=True)
class SideSource:
    id: int
    name: str
    icon: str | None
    unread: int
    current: bool


@dataclass(slots=True)
class SideFolder:
    name: str | None  # None: the sources in no folder
    sources: list[SideSource] = field(default_factory=list)
    current: bool = False

    @property
    def unread(self) -> int:
        return sum(s.unread for s in self.sources)


@dataclass(slots=True)
class Sidebar:
    folders: list[SideFolder]
    unread: int  # of every source listed
    counted: bool  # False for a visitor: nothing is unread for nobody
    current_all: bool


def sidebar(request: Request, viewer: User | None) -> Sidebar:
    """The folders and sources, each with the viewer's unread articles (kept while the database
    stays as it was), the one the page shows marked current."""
    store = get_store(request)
    _, feeds, _ = feed_map(request)
    unread: dict[int, int] = {}
    if viewer is not None:
        unread = request.app.state.view_cache.kept(
            store, ("unread", viewer.id), lambda: store.unread_counts(viewer.id)
        )
    params = request.query_params
    on_river = request.url.path == "/"
    chosen_feed = params.get("feed", "") if on_river else ""
    chosen_folder = params.get("folder", "") if on_river else ""
    by_folder: dict[str | None, SideFolder] = {}
    for feed in feeds:  # already in name order
        folder = by_folder.setdefault(feed.folder or None, SideFolder(feed.folder or None))
        folder.sources.append(
            SideSource(
                feed.id,
                feed_name(feed),
                feed_icon(feed),
                unread.get(feed.id, 0),
                chosen_feed == str(feed.id),
            )
        )
    named = sorted((f for f in by_folder.values() if f.name), key=lambda f: (f.name or "").lower())
    for folder in named:
        folder.current = chosen_folder == folder.name
    loose = [by_folder[None]] if None in by_folder else []
    folders = named + loose
    return Sidebar(
        folders=folders,
        unread=sum(f.unread for f in folders),
        counted=viewer is not None,
        current_all=on_river and not (chosen_feed or chosen_folder or params.get("starred")),
    )
