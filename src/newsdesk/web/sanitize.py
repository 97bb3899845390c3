"""The one sanitiser for article HTML leaving newsdesk (reader pages, APIs, output feeds).

Whatever the source (a feed's content, an extractor's output, a stored row), HTML is passed
through `sanitize_html` before anyone else sees it. Only a small set of structural tags
survives; scripts, styles, frames and every event-handler attribute are removed.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import urlsplit

import nh3

from newsdesk.urls import is_web_url

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code",
        "em", "strong", "b", "i", "a", "img", "figure", "figcaption",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href"},
    "img": {"src", "alt"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}

URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES: frozenset[str] = frozenset({"http", "https"})

# Tags removed with everything inside them: their text is never article text.
DROP_WITH_CONTENT: frozenset[str] = frozenset(
    {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math",
     "form", "button", "select", "textarea"}
)  # fmt: skip

LINK_REL = "noopener noreferrer nofollow"
# Control characters are never text, and XML (Atom, RSS) cannot carry them at all.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    # nh3 checks schemes for every URL attribute; images must also not be mailto: links.
    # A relative source (no scheme) is left to nh3's relative-URL policy.
    if tag == "img" and attribute == "src":
        scheme = urlsplit(value.strip()).scheme.lower()
        return value if not scheme or scheme in IMAGE_SCHEMES else None
    return value


def sanitize_html(fragment: str | None, *, base_url: str | None = None) -> str:
    """Return `fragment` reduced to safe article markup.

    Relative links and image sources are resolved against `base_url` (the article's own URL)
    when given, and dropped otherwise, so the result never points into the reader's own site.
    """
    if not fragment:
        return ""
    relative: str | tuple[str, str] = "deny"
    if is_web_url(base_url):
        relative = ("rewrite_with_base", base_url)
    return nh3.clean(
        _CONTROL.sub("", fragment),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        link_rel=LINK_REL,
        url_schemes=set(URL_SCHEMES),
        url_relative=relative,
        strip_comments=True,
    ).strip()


def text_to_html(text: str | None) -> str:
    """Plain text (paragraphs split by a blank line) as escaped <p> markup."""
    if not text:
        return ""
    paragraphs = [part.strip() for part in _CONTROL.sub("", text).split("\n\n")]
    return "".join(
        "<p>" + html.escape(part).replace("\n", "<br>") + "</p>" for part in paragraphs if part
    )


def article_html(html_body: str | None, text: str | None, *, base_url: str | None = None) -> str:
    """The sanitised body of an article: its HTML when it has any, else its text as paragraphs.

    Kept for the articles read most recently: the same bodies go out again and again (the
    Google Reader and Fever APIs resend a page of them on every sync), and sanitising costs
    far more than looking the result up. The key is the content itself, so a changed body is
    sanitised afresh."""
    return _article_html(html_body, text, base_url)


@lru_cache(maxsize=2048)
def _article_html(html_body: str | None, text: str | None, base_url: str | None) -> str:
    cleaned = sanitize_html(html_body, base_url=base_url)
    return cleaned if cleaned else text_to_html(text)
