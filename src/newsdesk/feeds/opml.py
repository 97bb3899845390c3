"""OPML subscription lists: read (any OPML version, nested folders) and write (OPML 2.0)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from newsdesk.errors import OPMLError
from newsdesk.feeds.text import collapse
from newsdesk.model import Feed, Subscription

# entities are never expanded and nothing is fetched: an OPML file is untrusted input
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
# the largest OPML file taken, by every interface: a subscription list of tens of thousands
# of feeds is well under it
MAX_OPML_BYTES = 5 * 1024 * 1024
TOO_LARGE = f"the OPML file is over {MAX_OPML_BYTES // 1024 // 1024} MB"
NOT_OPML = "it is not an OPML file (the list of feeds other readers export)"


def parse_opml(content: bytes) -> list[Subscription]:
    """Every outline with an xmlUrl, in file order; its folder is the title of its parent outline.

    Deeper nesting keeps the nearest parent's title. Repeated feed URLs are kept once.
    """
    if len(content) > MAX_OPML_BYTES:
        raise OPMLError(TOO_LARGE)
    if not content.strip():
        raise OPMLError("OPML file is empty")
    try:
        root = etree.fromstring(content, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise OPMLError(f"OPML file is not valid XML: {collapse(str(exc))}", NOT_OPML) from None
    if root is None or etree.QName(root).localname.lower() != "opml":
        raise OPMLError("not an OPML file: the root element is not <opml>", NOT_OPML)
    body = next((c for c in root if isinstance(c.tag, str) and c.tag.lower() == "body"), None)
    if body is None:
        raise OPMLError("OPML file has no <body>", "that OPML file lists no feeds")
    found: dict[str, Subscription] = {}
    for outline in body.iter("outline"):
        url = _attr(outline, "xmlUrl")
        if url is None and (_attr(outline, "type") or "").lower() in ("rss", "atom"):
            url = _attr(outline, "url")  # some old exporters write url= for the feed
        if not url or url in found:
            continue
        parent = outline.getparent()
        folder = _title(parent) if parent is not None and parent.tag == "outline" else None
        found[url] = Subscription(
            url=url,
            title=_title(outline),
            site_url=_attr(outline, "htmlUrl"),
            folder=folder,
        )
    return list(found.values())


def write_opml(subscriptions: list[Subscription], title: str = "newsdesk subscriptions") -> str:
    """OPML 2.0 text: feeds without a folder first, then one parent outline per folder."""
    loose = [s for s in subscriptions if not s.folder]
    folders: dict[str, list[Subscription]] = {}
    for sub in subscriptions:
        if sub.folder:
            folders.setdefault(sub.folder, []).append(sub)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head>\n    <title>{escape(title)}</title>\n  </head>",
        "  <body>",
    ]
    lines += [_outline(s, "    ") for s in loose]
    for folder, subs in folders.items():
        name = quoteattr(folder)
        lines.append(f"    <outline text={name} title={name}>")
        lines += [_outline(s, "      ") for s in subs]
        lines.append("    </outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _outline(sub: Subscription, indent: str) -> str:
    name = quoteattr(sub.title or sub.url)
    attrs = f'type="rss" text={name} title={name} xmlUrl={quoteattr(sub.url)}'
    if sub.site_url:
        attrs += f" htmlUrl={quoteattr(sub.site_url)}"
    return f"{indent}<outline {attrs}/>"


def _attr(element: etree._Element, name: str) -> str | None:
    # OPML in the wild spells attributes in any case (xmlurl, XMLURL)
    for key, value in element.attrib.items():
        if key.lower() == name.lower() and value.strip():
            return value.strip()
    return None


def _title(element: etree._Element) -> str | None:
    value = _attr(element, "title") or _attr(element, "text")
    return collapse(value) if value else None


def export_opml(feeds: list[Feed], title: str = "newsdesk subscriptions") -> str:
    """OPML of followed feeds, with the names and folders the user gave them."""
    return write_opml(
        [
            Subscription(
                url=feed.url,
                title=feed.name,
                site_url=feed.site_url,
                folder=feed.folder,
            )
            for feed in feeds
        ],
        title,
    )
