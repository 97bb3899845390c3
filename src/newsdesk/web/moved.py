"""Old story ids: a story merged into another (or renumbered by a regroup) answers with a
permanent redirect to the story its coverage is in now, never "not found"."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse

from newsdesk.store import Store

MOVED = {308: {"description": "The story was merged into another: its URL is in Location"}}


def moved_story(request: Request, store: Store, story_id: int) -> RedirectResponse | None:
    """A 308 to the same address for the story `story_id` joined; None when it joined none."""
    into = store.story_redirect(story_id)
    if into is None:
        return None
    path = request.url.path.replace(f"/stories/{story_id}", f"/stories/{into}", 1)
    query = request.url.query
    return RedirectResponse(path + (f"?{query}" if query else ""), status_code=308)
