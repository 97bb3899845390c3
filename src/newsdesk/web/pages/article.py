"""One article: its text (when the viewer may read it), the other outlets of its story ("also
reported by"), related stories; and the star and read buttons of every list."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from newsdesk.errors import NewsdeskError, NotFoundError
from newsdesk.inputs import MAX_ID
from newsdesk.model import StoredArticle, User
from newsdesk.store.listing import MAX_PAGE
from newsdesk.store.paging import next_cursor
from newsdesk.web.auth.csrf import csrf_protect
from newsdesk.web.deps import require_user
from newsdesk.web.pages.common import reader_or_public, safe_next
from newsdesk.web.sanitize import article_html
from newsdesk.web.state import get_store
from newsdesk.web.viewcache import feed_map
from newsdesk.web.views import ItemView, make_items

if TYPE_CHECKING:
    from newsdesk.store import Store

router = APIRouter(include_in_schema=False)

WORDS_PER_MINUTE = 230


def story_articles(store: Store, story_id: int) -> list[StoredArticle]:
    """Every article of the story a list shows, oldest first (read page by page: no cap)."""
    found: list[StoredArticle] = []
    while True:
        page = store.list_articles(
            story_id=story_id, oldest_first=True, limit=MAX_PAGE, after=next_cursor(found)
        )
        found += page
        if len(page) < MAX_PAGE:
            return found


def copies_of(store: Store, sa: StoredArticle) -> list[StoredArticle]:
    """Other copies of this very article (its original, or the copies that point to it)."""
    copies: list[StoredArticle] = []
    if sa.duplicate_of is not None:
        with contextlib.suppress(NotFoundError):
            copies.append(store.get_article(sa.duplicate_of))
    if sa.copies or sa.duplicate_of is not None:
        siblings = store.list_articles(copies_of=sa.duplicate_of or sa.id, limit=50)
        copies += [other for other in siblings if other.id != sa.id]
    return copies


def also_reported(store: Store, sa: StoredArticle) -> list[StoredArticle]:
    """The story's other coverage, the article's original and copies first, for one report
    per other outlet; the article's copies when it is in no story yet."""
    if sa.story_id is None:
        return copies_of(store, sa)
    original = sa.duplicate_of or sa.id
    others = [other for other in story_articles(store, sa.story_id) if other.id != sa.id]
    # the reports of this very text first (its original, its copies), so an outlet that
    # carried it is named by that report; then the rest in time order
    return sorted(others, key=lambda o: o.id != original and o.duplicate_of != original)


def other_outlets(item: ItemView, others: list[ItemView]) -> list[ItemView]:
    """The first report of each outlet but the item's own, in time order."""
    seen = {item.source}
    found = []
    for other in others:
        if other.source not in seen:
            seen.add(other.source)
            found.append(other)
    return found


def reading_minutes(text: str) -> int:
    return max(1, round(len(text.split()) / WORDS_PER_MINUTE))


@router.get("/articles/{article_id}")
def article_page(
    request: Request,
    article_id: int = Path(ge=1, le=MAX_ID),
    viewer: User | None = Depends(reader_or_public),
):
    store = get_store(request)
    sa = store.get_article(article_id)
    related = request.app.state.view_cache.related_stories(store, sa.id)
    also_found = also_reported(store, sa)
    feeds = feed_map(request, [o.feed_id for o in [sa, *also_found]])[0]
    item = make_items(store, [sa], feeds, viewer)[0]
    if viewer is not None and not item.read:
        store.set_read(viewer.id, [sa.id], True)  # opening an article reads it
        item.read = True
    body = (
        article_html(sa.article.html, sa.article.text, base_url=sa.article.url) if item.full else ""
    )
    also = other_outlets(item, make_items(store, also_found, feeds, None))
    return request.app.state.render(
        request,
        "article.html",
        {
            "it": item,
            "full": item.full and bool(body),
            "body_html": body,
            "minutes": reading_minutes(sa.article.text),
            "related": related,
            "also": also,
            # a story of more than this article has a page of its own worth showing
            "story_id": sa.story_id if sa.story_id is not None and also_found else None,
            "public": viewer is None,
        },
    )


# --- read / starred -------------------------------------------------------------------------


def accepts_json(request: Request) -> bool:
    """A script asking for the new state rather than a browser's form wanting the page back."""
    return "application/json" in request.headers.get("accept", "")


def state_answer(request: Request, user: User, article_id: int, target: str) -> Response:
    if accepts_json(request):
        states = get_store(request).article_states(user.id, [article_id])
        read, starred = states.get(article_id, (False, False))
        return JSONResponse({"id": article_id, "read": read, "starred": starred})
    return RedirectResponse(safe_next(target), status_code=303)


def flag(value: str) -> bool:
    if value not in ("0", "1"):
        raise NewsdeskError("value must be 1 (set) or 0 (clear)")
    return value == "1"


@dataclass(frozen=True, slots=True)
class StateForm:
    """What a star or read toggle sends: set (value=1) or clear (0), and the page to return to."""

    on: bool
    next: str


def state_form(
    value: str = Form("1", max_length=5), next: str = Form("/", max_length=2000)
) -> StateForm:
    return StateForm(flag(value), next)


def state_route(kind: str, name: str) -> None:
    """POST /articles/{id}/<kind> (star or read) with value=1 to set it, 0 to clear it."""

    @router.post(
        f"/articles/{{article_id}}/{kind}", name=name, dependencies=[Depends(csrf_protect)]
    )
    def change_state(
        request: Request,
        article_id: int = Path(ge=1, le=MAX_ID),
        form: StateForm = Depends(state_form),
        user: User = Depends(require_user),
    ):
        store = get_store(request)
        store.get_article(article_id)  # 404 for an unknown id
        setter = store.set_starred if kind == "star" else store.set_read
        setter(user.id, [article_id], form.on)
        return state_answer(request, user, article_id, form.next)


state_route("star", "star")
state_route("read", "mark_read")
