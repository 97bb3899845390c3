"""trafilatura as the fallback body extractor, its output read back into blocks."""

from __future__ import annotations

import copy

from lxml import etree

from newsdesk.extract.parse import parse_html
from newsdesk.extract.render import Block, blocks_from


def trafilatura_blocks(root: etree._Element, url: str) -> list[Block]:
    """The body trafilatura finds, as blocks; [] when it finds none."""
    import trafilatura  # imported late: only pages our own extractor gives up on need it

    try:
        markup = trafilatura.extract(
            copy.deepcopy(root), url=url or None, output_format="html", include_comments=False,
            include_tables=True, include_formatting=True, include_links=True,
            with_metadata=False, deduplicate=False,
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
