"""What a page shows of an article in a list and of its source: name, icon, time, teaser, state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from newsdesk.feeds.text import first_sentences
from newsdesk.feeds.text import teaser as cut_teaser
from newsdesk.model import Feed, StoredArticle, User
from newsdesk.times import as_utc
from newsdesk.urls import is_web_url

if TYPE_CHECKING:
    from newsdesk.store import Store
    from newsdesk.store.story_river import StoryItem

STORY_TEASER = 280  # characters of a story's first sentences in a list


def source_badge(item: ItemView) -> Markup:
    """The source's icon (or its initial) and name."""
    return _badge(item.source, item.icon)


@lru_cache(maxsize=4096)
def _badge(source: str, icon_url: str | None) -> Markup:
    # one per source, not one per item of every page: formatting Markup is slow
    name = escape(source)
    if icon_url:
        icon = Markup(
            '<img class="favicon" src="{}" alt="" width="16" height="16" '
            'referrerpolicy="no-referrer" loading="lazy">'
        ).format(icon_url)
    else:
        icon = Markup('<span class="letter" aria-hidden="true">{}</span>').format(
            (source[:1] or "?").upper()
        )
    return Markup('<span class="source">{} {}</span>').format(icon, name)


def feed_name(feed: Feed | None, fallback: str | None = None) -> str:
    if feed is None:
        return fallback or "unknown source"
    return feed.name or fallback or feed.display_name


def feed_icon(feed: Feed | None) -> str | None:
    if feed is None:
        return None
    return feed.icon_url if is_web_url(feed.icon_url) else None


@dataclass(slots=True)
class ItemView:
    sa: StoredArticle
    source: str
    icon: str | None
    when: datetime | None
    teaser: str | None
    full: bool  # the full text may be shown to this viewer
    read: bool = False
    starred: bool = False
    snippet: str | None = None  # HTML-safe search snippet with <mark>


def article_time(sa: StoredArticle) -> datetime | None:
    published = sa.article.published
    if published is not None and sa.fetched_at is not None:
        # show the page's own time, unless it claims a moment after we fetched it
        return published if as_utc(published) <= as_utc(sa.fetched_at) else sa.fetched_at
    return published or sa.fetched_at


def item_teaser(sa: StoredArticle) -> str | None:
    description, body = sa.article.description, sa.article.text
    text = description or body
    if not text:
        return None
    # enough of the body to tell whether a description stops where the body goes on mid-word
    following = body[: 2 * len(text) + 100] if description and body else ""
    return _teaser(text, following)


TEASER_LIMIT = 280
# how publishers mark a teaser they cut: "...", "…", WordPress's "[…]" and "[...]"
CUT_MARKS = ("[…]", "[...]", "...", "…")
SENTENCE_ENDS = tuple(".!?。！？\"'”’»)")


@lru_cache(maxsize=8192)
def _teaser(text: str, body: str = "") -> str | None:
    # lists show the same articles again and again; their teasers need not be cut again
    flat = " ".join(text.split())
    cut = cut_teaser(flat, TEASER_LIMIT)
    if cut != flat:
        return cut
    return word_ended(flat, " ".join(body.split()))


def word_ended(teaser: str, body: str) -> str:
    """A teaser as a person reads it: one the publisher cut ends at a whole word with "…"."""
    for mark in CUT_MARKS:
        if teaser.endswith(mark):
            return teaser[: -len(mark)].rstrip(" ,;:-") + "…"
    if teaser.endswith(SENTENCE_ENDS):
        return teaser
    if body.startswith(teaser) and len(body) > len(teaser):
        # the body goes on: the description is its start, cut where the publisher cut it
        if body[len(teaser)].isalnum() and " " in teaser:  # mid-word: drop the broken word
            teaser = teaser.rsplit(" ", 1)[0]
        return teaser.rstrip(" ,;:-") + "…"
    return teaser


def make_items(
    store: Store,
    articles: list[StoredArticle],
    feeds: dict[int, Feed],
    viewer: User | None,
    snippets: list[str] | None = None,
) -> list[ItemView]:
    states = states_for(store, viewer, [sa.id for sa in articles])
    items = []
    for index, sa in enumerate(articles):
        feed = feeds.get(sa.feed_id) if sa.feed_id is not None else None
        read, starred = states.get(sa.id, (False, False))
        items.append(
            ItemView(
                sa=sa,
                source=feed_name(feed, sa.feed_title or sa.article.site_name),
                icon=feed_icon(feed),
                when=article_time(sa),
                # a search result shows its snippet instead of the teaser
                teaser=None if snippets and snippets[index] else item_teaser(sa),
                full=viewer is not None or bool(feed and feed.licensed_full_text),
                read=read,
                starred=starred,
                snippet=snippets[index] if snippets else None,
            )
        )
    return items


def states_for(store: Store, viewer: User | None, ids: list[int]) -> dict[int, tuple[bool, bool]]:
    if viewer is None or not ids:
        return {}
    return store.article_states(viewer.id, ids)


@dataclass(slots=True)
class StoryView:
    """What a list shows of one story: the story, its lead article as a list shows an article
    (source, icon, time, read and starred), and the first sentences of the lead."""

    story: StoryItem
    lead: ItemView
    teaser: str | None

    @property
    def read(self) -> bool:
        return self.story.unread == 0


def make_story_views(
    store: Store, stories: list[StoryItem], feeds: dict[int, Feed], viewer: User | None
) -> list[StoryView]:
    leads = make_items(store, [story.lead for story in stories], feeds, viewer)
    return [
        StoryView(story=story, lead=lead, teaser=story_teaser(story.lead))
        for story, lead in zip(stories, leads, strict=True)
    ]


def story_teaser(sa: StoredArticle) -> str | None:
    """The first sentences of the article's text (its description when it has no text)."""
    return _first_sentences(sa.article.text or sa.article.description or "")


@lru_cache(maxsize=8192)
def _first_sentences(text: str) -> str | None:
    # the opening is enough: a long body need not be split into sentences whole
    return first_sentences(text[: STORY_TEASER * 4], STORY_TEASER)
