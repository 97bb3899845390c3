"""trafilatura as the fallback body extractor, its output read back into blocks."""

from __future__ import annotations

from newsdesk.extract.parse import capped, parse_html
from newsdesk.extract.render import Block, blocks_from


def trafilatura_blocks(html: str, url: str) -> list[Block]:
    """The body trafilatura finds in the page as it came, as blocks; [] when it finds none.

    trafilatura parses the text itself: it refuses trees other than lxml.html's, and ours are
    plain etree trees (faster to walk).
    """
    import trafilatura  # imported late: only pages our own extractor gives up on need it

    try:
        markup = trafilatura.extract(
            capped(html), url=url or None, output_format="html", include_comments=False,
            include_tables=True, include_formatting=True, include_links=True,
            with_metadata=False, deduplicate=False, fast=True,
        )
    except Exception:  # noqa: BLE001 - a fallback must not take the page down with it
        return []
    if not markup:
        return []
    fragment = parse_html(markup)
    if fragment is None:
        return []
    body = fragment.find("body")
    return blocks_from(body if body is not None else fragment, url)
