"""The HTML of one article in a list (river, search results) and of its star / read buttons.

Built with plain string formatting rather than a Jinja macro: a page lists 20 to 30 articles,
and calling a macro for each (with its escaping of every value) cost more than the rest of the
page together. Every value that comes from a feed or a user is escaped here; the snippet of a
search result is already HTML-safe (store.snippet escapes all but its <mark> tags).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from newsdesk.web.reader import exact_time, relative_time, source_badge

if TYPE_CHECKING:
    from newsdesk.web.reader import ItemView


def controls_html(it: ItemView, here: str, csrf: str) -> Markup:
    """The star and read toggles of an article; `here` is where the forms return to."""
    aid, here, csrf = int(it.sa.id), _escaped(here), _escaped(csrf)
    star = ("0", "true", "Unstar") if it.starred else ("1", "false", "Star")
    read = ("0", "true", "Mark unread") if it.read else ("1", "false", "Mark read")
    forms = "".join(_toggle(aid, kind, state, here, csrf) for kind, state in
                    (("star", star), ("read", read)))
    return Markup(f'<div class="controls">\n{forms}</div>\n')


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
    return str(escape(value))


def item_html(it: ItemView, here: str, csrf: str, user: Any, public: bool) -> Markup:
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
            f'<img class="thumb" src="{escape(a.image)}" alt="" loading="lazy" '
            'referrerpolicy="no-referrer">'
        )
    parts.append(
        '  <div class="item-body">\n'
        f'    <h2 class="headline" id="h{article_id}"><a class="open" href="/articles/'
        f'{article_id}">{escape(a.title or a.url)}</a></h2>\n'
        f'    <p class="meta">\n      {source_badge(it)}\n'
    )
    if it.when:
        parts.append(
            f'<span aria-hidden="true">·</span> <time {_time_attributes(it.when)}>'
            f"{escape(relative_time(it.when))}</time>"
        )
    if it.starred:
        parts.append('<span class="badge star-badge">starred</span>')
    if user and not it.read:
        parts.append('<span class="badge unread-badge">unread</span>')
    parts.append("    </p>\n")
    if it.snippet:
        parts.append(f'<p class="teaser snippet">{it.snippet}</p>\n')
    elif it.teaser:
        parts.append(f'<p class="teaser">{escape(it.teaser)}</p>')
    if user:
        parts.append(controls_html(it, here, csrf))
    elif public:
        link = escape(a.canonical_url or a.url)
        parts.append(
            f'<p class="publisher"><a href="{link}" rel="noopener noreferrer">'
            f"Read at {escape(it.source)}</a></p>"
        )
    parts.append("  </div>\n</article>\n")
    return Markup("".join(parts))


@lru_cache(maxsize=8192)
def _time_attributes(moment: datetime) -> str:
    # an article's time never changes; only how long ago it was is worked out for each page
    return f'datetime="{escape(moment.isoformat())}" title="{escape(exact_time(moment))}"'


# the options last built for each chosen source, with the feed list they were built from: the
# reader's feed list (ViewCache) is one list object until it is reloaded
_OPTIONS: dict[int | None, tuple[list[Any], Markup]] = {}


def feed_options(feeds: list[Any], selected: int | None) -> Markup:
    """The <option>s of a source picker, `selected` chosen (river and search filters)."""
    hit = _OPTIONS.get(selected)
    if hit is not None and hit[0] is feeds:
        return hit[1]
    html = Markup(
        "".join(
            f'<option value="{int(f.id)}"{" selected" if selected == f.id else ""}>'
            f"{escape(f.user_title or f.title or f.url)}</option>"
            for f in feeds
        )
    )
    if len(_OPTIONS) >= 256:
        _OPTIONS.clear()
    _OPTIONS[selected] = (feeds, html)
    return html
