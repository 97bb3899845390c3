"""HTML -> Article: structured data first, then the body, then the feed entry as fallback."""

from __future__ import annotations

from datetime import datetime

from lxml import etree

from newsdesk.encodings import decode_html
from newsdesk.errors import ExtractError
from newsdesk.extract.authors import clean_authors
from newsdesk.extract.body import Body, Hints, find_body
from newsdesk.extract.cleanup import clean_blocks, trim_edges
from newsdesk.extract.fallback import trafilatura_blocks
from newsdesk.extract.judge import Reading, judge, reason_to_keep
from newsdesk.extract.language import detect_language
from newsdesk.extract.memory import BlockMemory
from newsdesk.extract.params import DEFAULT_PARAMS, ExtractParams
from newsdesk.extract.parse import MAX_CHARS, parse_html
from newsdesk.extract.prune import drop_never_body
from newsdesk.extract.render import Block, blocks_from, blocks_from_text, to_html, to_text
from newsdesk.extract.sniff import SNIFF_BYTES, check_page
from newsdesk.extract.structured import Metadata, read_metadata
from newsdesk.extract.title import choose_title
from newsdesk.model import Article, Entry
from newsdesk.times import parse_date
from newsdesk.urls import site_of, web_url

_COUNT_NODES = etree.XPath("count(//*)")


def _first_date(values: list[str]) -> datetime | None:
    for value in values:
        parsed = parse_date(value, source="page")
        if parsed is not None:
            return parsed
    return None


def _page_date(text: str, url: str) -> datetime | None:
    """The date htmldate finds in the visible page and the URL, when no metadata states one."""
    import htmldate  # imported late: most pages state their date

    try:
        # bytes, never str: htmldate downloads a str that looks like a URL, past every guard
        page = text[:MAX_CHARS].encode("utf-8", "replace")
        found = htmldate.find_date(page, url=url or None, original_date=True,
                                   extensive_search=False)
    except Exception:  # noqa: BLE001 - a date finder failing only means no date
        return None
    return parse_date(found, source="page") if found else None


def _absolute(base: str, values: list[str]) -> str | None:
    """The first of ``values`` that resolves to an http(s) URL."""
    return next((url for value in values if (url := web_url(base, value))), None)


def _entry_blocks(entry: Entry | None, params: ExtractParams,
                  content_only: bool = False) -> list[Block]:
    """The feed entry's content as blocks, else (unless ``content_only``) its teaser."""
    if entry is None:
        return []
    if entry.content_html:
        root = parse_html(entry.content_html)
        body = root.find("body") if root is not None else None
        if body is not None:
            drop_never_body(body, params)
            blocks = blocks_from(body, entry.url)
            if blocks:
                return blocks
    return blocks_from_text(entry.summary) if entry.summary and not content_only else []


def _chars(blocks: list[Block]) -> int:
    return sum(len(b.text) for b in blocks)


def _body(
    root: etree._Element, text: str, url: str, meta: Metadata, hints: Hints,
    feed: list[Block], p: ExtractParams,
) -> tuple[list[Block], str]:
    """The body blocks and the name of what produced them: ours, unless a fuller reading of the
    page (trafilatura's, the JSON-LD articleBody, the feed's content) holds clearly more of the
    story (``judge``)."""
    least = p.min_body_chars
    if meta.article_body and _visible_chars(root) < least:
        return blocks_from_text(meta.article_body), "json-ld"
    nodes = int(_COUNT_NODES(root))  # before find_body prunes the tree
    body = find_body(root, url, hints, p)
    ours = Reading("newsdesk", body.blocks)
    others = [Reading("feed", feed)]
    # The structured data's body is plain text, often with captions and promos run in: a
    # witness that ours is cut short (then trafilatura reads the page whatever its size), the
    # body itself only when ours is none.
    structured = Reading("json-ld", blocks_from_text(meta.article_body or ""))
    witness = structured.blocks and reason_to_keep(ours, structured, p) is None
    if witness and ours.chars < least:
        others.append(structured)
    if witness or _asks_trafilatura(body, ours.chars, len(text), nodes, p):
        # ours changed the tree; trafilatura reads the page as it came
        others.append(Reading("trafilatura", trafilatura_blocks(text, url)))
    if body.hinted and ours.chars >= least:
        # the feed's teaser or the site memory shaped ours; no reading of the page alone
        # knows better, only the feed's own copy
        others = [r for r in others if r.method == "feed"]
    verdict = judge(ours, others, p)
    return verdict.reading.blocks, verdict.reading.method


def _asks_trafilatura(body: Body, found: int, html_chars: int, nodes: int,
                      p: ExtractParams) -> bool:
    """Whether the page is worth trafilatura's time: our body is short, or holds little of the
    page's prose. Its cost grows with the page, so larger pages are read only when ours looks
    cut short (a body, but much less than the page's prose)."""
    coverage = body.coverage
    # what the cleaned blocks keep, not what their containers held, of the page's prose and
    # of its sentences wherever they sit
    for page in (body.page_prose, body.page_sentences):
        if page:
            coverage = min(coverage, found / page)
    if found >= p.second_opinion_chars and coverage >= p.second_opinion_coverage:
        return False
    if body.hinted and found >= p.min_body_chars:
        return False
    cut_short = coverage < p.cut_short_coverage and found >= p.min_body_chars
    scale = p.cut_short_size if cut_short else 1
    return (html_chars <= p.second_opinion_max_html * scale
            and nodes <= p.second_opinion_max_nodes * scale)


def _visible_chars(root: etree._Element) -> int:
    body = root.find("body")
    if body is None:
        return 0
    texts = body.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")
    return sum(len(t.strip()) for t in texts)


def extract_article(
    html: bytes | str,
    url: str,
    *,
    entry: Entry | None = None,
    site_memory: BlockMemory | None = None,
    charset: str | None = None,
    params: ExtractParams = DEFAULT_PARAMS,
) -> Article:
    """The article a page holds. Raises ExtractError only when nothing at all can be made of it.
    `params`: the tuning values, when not the defaults. Bytes that are not a page at all (a PDF,
    an image, binary noise) are refused here, whatever they were served as."""
    if isinstance(html, (bytes, bytearray)):
        check_page(bytes(html[:SNIFF_BYTES]), url=url)
    text = decode_html(html, charset) if isinstance(html, (bytes, bytearray)) else html
    root = parse_html(text)
    meta = read_metadata(root) if root is not None else Metadata()
    host = site_of(url)
    sites = meta.site_names + meta.publishers
    title, glued_date = choose_title(
        meta.titles, meta.h1, meta.doc_title, sites, host, entry.title if entry else None
    )
    published = _first_date(meta.published) or glued_date or _first_date(meta.times)
    if published is None and entry is not None:
        published = entry.published
    if published is None and root is not None:
        published = _page_date(text, url)
    updated = _first_date(meta.updated) or (entry.updated if entry else None)
    authors: list[str] = []
    for group in meta.authors.values():
        authors = clean_authors(group, exclude=sites + [host])
        if authors:
            break
    if not authors and entry is not None:
        authors = clean_authors(entry.authors, exclude=sites + [host])

    blocks: list[Block] = []
    method = ""
    description = (meta.descriptions or [None])[0]
    if root is not None and root.find("body") is not None:
        hints = Hints(
            teaser=entry.summary if entry else None, site=host, memory=site_memory,
            description=description,
        )
        feed = _entry_blocks(entry, params, content_only=True)
        blocks, method = _body(root, text, url, meta, hints, feed, params)
    blocks = trim_edges(clean_blocks(blocks, title, authors), title)
    if _chars(blocks) < params.min_body_chars / 2:
        feed_blocks = clean_blocks(_entry_blocks(entry, params), title, authors)
        if _chars(feed_blocks) > _chars(blocks):
            blocks, method = feed_blocks, "feed"
    body_text = to_text(blocks)
    if not title and not body_text:
        raise ExtractError("no headline and no text found in the page", url=url)
    site_name = (meta.site_names or meta.publishers or [None])[0]
    return Article(
        url=url,
        canonical_url=_absolute(url, meta.canonical),
        title=title,
        authors=authors,
        published=published,
        updated=updated,
        language=detect_language(body_text or title or "", meta.languages),
        site_name=site_name,
        image=_absolute(url, meta.images) or (entry.image if entry else None),
        image_caption=next((c for c in meta.image_captions if c), None),
        description=description or (entry.summary if entry else None),
        text=body_text,
        html=to_html(blocks),
        method=method if blocks else "",
    )
