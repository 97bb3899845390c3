"""The HTML of one article in a list (river, search results) and of its star / read buttons.

Built with plain string formatting rather than a Jinja macro: a page lists 20 to 30 articles,
and calling a macro for each (with its escaping of every value) cost more than the rest of the
page together. Every value that comes from a feed or a user is escaped here; the snippet of a
search result is already HTML-safe (store.snippet escapes all but its <mark> tags).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from newsdesk.web.times import exact_time, relative_time
from newsdesk.web.views import source_badge

if TYPE_CHECKING:
    from newsdesk.model import Feed, User
    from newsdesk.web.views import ItemView, StoryView


def text(value: str) -> str:
    """`value` escaped for HTML text and attribute values, exactly as markupsafe.escape does,
    as a plain str: a page escapes a hundred values, and making a Markup of each cost more
    than the escaping."""
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


def controls_html(it: ItemView, here: str, csrf: str) -> Markup:
    """The star and read toggles of an article; `here` is where the forms return to."""
    return Markup(_controls(it, here, csrf))


def _controls(it: ItemView, here: str, csrf: str) -> str:
    aid, here, csrf = int(it.sa.id), _escaped(here), _escaped(csrf)
    star = _STAR[it.starred]
    read = _READ[it.read]
    return (
        f'<div class="controls">\n{_toggle(aid, "star", star, here, csrf)}'
        f"{_toggle(aid, 'read', read, here, csrf)}</div>\n"
    )


# what each toggle sends, its aria-pressed and its label, by the article's current mark
_STAR = {True: ("0", "true", "Unstar"), False: ("1", "false", "Star")}
_READ = {True: ("0", "true", "Mark unread"), False: ("1", "false", "Mark read")}


def _toggle(aid: int, kind: str, state: tuple[str, str, str], here: str, csrf: str) -> str:
    """One toggle's form; `state`: the value it sends, aria-pressed and its label."""
    value, pressed, label = state
    opening = f'<form action="/articles/{aid}/{kind}" method="post" class="inline js-toggle"'
    return f"""  {opening} data-kind="{kind}">
    <input type="hidden" name="csrf" value="{csrf}">
    <input type="hidden" name="next" value="{here}">
    <input type="hidden" name="value" value="{value}">
    <button type="submit" class="small" aria-pressed="{pressed}">{label}</button>
  </form>
"""


@lru_cache(maxsize=1024)
def _escaped(value: str) -> str:
    # the page's own address and form token, the same for every item of a page
    return text(value)


def item_html(it: ItemView, here: str, csrf: str, user: User | None, public: bool) -> Markup:
    """One article of a list: thumbnail, headline, source, time, badges, teaser or search
    snippet, and the reader's buttons (or, for an anonymous visitor, the publisher's link)."""
    a = it.sa.article
    article_id = int(it.sa.id)
    classes = "item" + (" is-read" if it.read else "") + (" is-starred" if it.starred else "")
    parts = [
        f'<article class="{classes}" data-id="{article_id}" aria-labelledby="h{article_id}">\n'
    ]
    if a.image:
        parts.append(
            f'<img class="thumb" src="{text(a.image)}" alt="" loading="lazy" '
            'referrerpolicy="no-referrer">'
        )
    parts.append(
        '  <div class="item-body">\n'
        f'    <h2 class="headline" id="h{article_id}"><a class="open" href="/articles/'
        f'{article_id}">{text(a.title or a.url)}</a></h2>\n'
        f'    <p class="meta">\n      {source_badge(it)}\n'
    )
    if it.when:
        parts.append(
            f'<span aria-hidden="true">·</span> <time {_time_attributes(it.when)}>'
            f"{text(relative_time(it.when))}</time>"
        )
    if it.starred:
        parts.append('<span class="badge star-badge">starred</span>')
    if user and not it.read:
        parts.append('<span class="badge unread-badge">unread</span>')
    parts.append("    </p>\n")
    if it.snippet:
        parts.append(f'<p class="teaser snippet">{it.snippet}</p>\n')
    elif it.teaser:
        parts.append(f'<p class="teaser">{text(it.teaser)}</p>')
    if user:
        parts.append(_controls(it, here, csrf))
    elif public:
        link = text(a.canonical_url or a.url)
        parts.append(
            f'<p class="publisher"><a href="{link}" rel="noopener noreferrer">'
            f"Read at {text(it.source)}</a></p>"
        )
    parts.append("  </div>\n</article>\n")
    return Markup("".join(parts))


def story_item_html(
    view: StoryView, here: str, csrf: str, user: User | None, public: bool
) -> Markup:
    """One story of the river: its image, headline (to the story page), its lead's source, how
    many outlets and articles, its newest time, the reader's unread count, the first sentences
    of its lead and a button marking the whole story read. An article in no story yet is
    listed as any article is."""
    story = view.story
    if story.story_id is None:
        return item_html(view.lead, here, csrf, user, public)
    story_id = int(story.story_id)
    classes = "item story-item" + (" is-read" if user and view.read else "")
    parts = [f'<article class="{classes}" data-story="{story_id}" aria-labelledby="s{story_id}">\n']
    if story.image:
        parts.append(
            f'<img class="thumb" src="{text(story.image)}" alt="" loading="lazy" '
            'referrerpolicy="no-referrer">'
        )
    outlets = _count(story.outlets, "outlet")
    count = _count(story.articles, "article")
    parts.append(
        '  <div class="item-body">\n'
        f'    <h2 class="headline" id="s{story_id}"><a class="open" href="/stories/{story_id}">'
        f"{text(story.title)}</a></h2>\n"
        f'    <p class="meta">\n      {source_badge(view.lead)}\n'
        f'<span aria-hidden="true">·</span> <span class="coverage">{outlets}, {count}</span>\n'
        f'<span aria-hidden="true">·</span> <time {_time_attributes(story.newest)}>'
        f"{text(relative_time(story.newest))}</time>"
    )
    if user and story.unread:
        parts.append(f'<span class="badge unread-badge">{story.unread} unread</span>')
    parts.append("    </p>\n")
    if view.teaser:
        parts.append(f'<p class="teaser">{text(view.teaser)}</p>')
    if user:
        value, pressed, label = _STORY_READ[view.read]
        parts.append(
            f'<div class="controls">\n  <form action="/stories/{story_id}/read" method="post" '
            f'class="inline js-toggle" data-kind="read">\n'
            f'    <input type="hidden" name="csrf" value="{_escaped(csrf)}">\n'
            f'    <input type="hidden" name="next" value="{_escaped(here)}">\n'
            f'    <input type="hidden" name="value" value="{value}">\n'
            f'    <button type="submit" class="small" aria-pressed="{pressed}">{label}</button>\n'
            "  </form>\n</div>\n"
        )
    parts.append("  </div>\n</article>\n")
    return Markup("".join(parts))


# what a story's read toggle sends, its aria-pressed and its label, by whether it is all read
_STORY_READ = {True: ("0", "true", "Mark unread"), False: ("1", "false", "Mark story read")}


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


@lru_cache(maxsize=8192)
def _time_attributes(moment: datetime) -> str:
    # an article's time never changes; only how long ago it was is worked out for each page
    return f'datetime="{text(moment.isoformat())}" title="{text(exact_time(moment))}"'


# the options last built for each chosen source, with the feed list they were built from: the
# reader's feed list (ViewCache) is one list object until it is reloaded
_OPTIONS: dict[int | None, tuple[list[Feed], Markup]] = {}


def feed_options(feeds: list[Feed], selected: int | None) -> Markup:
    """The <option>s of a source picker, `selected` chosen (river and search filters)."""
    hit = _OPTIONS.get(selected)
    if hit is not None and hit[0] is feeds:
        return hit[1]
    html = Markup(
        "".join(
            f'<option value="{int(f.id)}"{" selected" if selected == f.id else ""}>'
            f"{escape(f.display_name)}</option>"
            for f in feeds
        )
    )
    if len(_OPTIONS) >= 256:
        _OPTIONS.clear()
    _OPTIONS[selected] = (feeds, html)
    return html
