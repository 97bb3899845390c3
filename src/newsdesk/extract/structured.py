"""Metadata a page states about itself: JSON-LD, OpenGraph, article:* and other <meta>,
microdata, Dublin Core, <time> elements, <title>, rel=canonical."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from newsdesk.extract.parse import text_of
from newsdesk.extract.title import collapse

ARTICLE_TYPES = {
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "livenewsarticle",
    "liveblogposting", "report", "scholarlyarticle", "techarticle", "socialmediaposting",
    "askpublicnewsarticle", "satiricalarticle", "posting", "discussionforumposting", "review",
    "medicalscholarlyarticle", "advertisertcontentarticle", "creativework", "recipe",
}
PAGE_TYPES = {"webpage", "itempage", "aboutpage", "collectionpage", "medicalwebpage"}
ORG_TYPES = {"organization", "newsmediaorganization", "corporation", "website", "brand"}


@dataclass(slots=True)
class Metadata:
    """Everything found, each field a list of candidates in order of trust."""

    titles: list[str] = field(default_factory=list)
    h1: list[str] = field(default_factory=list)
    doc_title: str | None = None
    site_names: list[str] = field(default_factory=list)
    publishers: list[str] = field(default_factory=list)
    authors: dict[str, list[str]] = field(default_factory=dict)  # by source, most trusted first
    published: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)  # <time> elements, weaker than meta
    images: list[str] = field(default_factory=list)
    image_captions: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    canonical: list[str] = field(default_factory=list)
    article_body: str | None = None


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        return _text(value.get("@value") or value.get("name"))
    if isinstance(value, list) and value:
        return _text(value[0])
    return None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(obj: dict[str, Any]) -> set[str]:
    return {str(t).lower().rsplit("/", 1)[-1] for t in _as_list(obj.get("@type")) if t}


def _load_json(raw: str) -> Any:
    raw = raw.strip()
    if raw.startswith("<!--"):
        raw = raw[4:]
    raw = raw.replace("<![CDATA[", "").replace("]]>", "").removesuffix("-->").strip().rstrip(";")
    try:
        return json.loads(raw, strict=False)
    except ValueError:
        pass
    try:  # trailing garbage after one JSON value
        return json.JSONDecoder(strict=False).raw_decode(raw)[0]
    except ValueError:
        return None


def _walk(node: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    """Every dict of a JSON-LD document, @graph and nested lists flattened."""
    if depth > 12:
        return
    if isinstance(node, list):
        for item in node[:200]:
            _walk(item, out, depth + 1)
    elif isinstance(node, dict):
        out.append(node)
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement", "hasPart"):
            child = node.get(key)
            if isinstance(child, (list, dict)):
                _walk(child, out, depth + 1)


def _people(value: Any, index: dict[str, dict[str, Any]]) -> list[str]:
    names = []
    for item in _as_list(value):
        if isinstance(item, dict) and "@id" in item and "name" not in item:
            item = index.get(item["@id"], item)
        if isinstance(item, dict):
            if _types(item) & ORG_TYPES:
                continue
            name = _text(item.get("name"))
            if not name and (item.get("givenName") or item.get("familyName")):
                name = " ".join(
                    filter(None, [_text(item.get("givenName")), _text(item.get("familyName"))])
                )
        else:
            name = _text(item)
        if name:
            names.append(name)
    return names


def _image(value: Any) -> str | None:
    for item in _as_list(value):
        if isinstance(item, dict):
            url = _text(item.get("url") or item.get("contentUrl") or item.get("@id"))
        else:
            url = _text(item)
        if url and not url.startswith("data:"):
            return url
    return None


def _read_json_ld(root: etree._Element, meta: Metadata) -> None:
    objects: list[dict[str, Any]] = []
    for script in root.iter("script"):
        kind = (script.get("type") or "").lower()
        if "ld+json" in kind and script.text:
            _walk(_load_json(script.text), objects)
    if not objects:
        return
    index = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    articles = [o for o in objects if _types(o) & ARTICLE_TYPES]
    pages = [o for o in objects if _types(o) & PAGE_TYPES]
    for obj in objects:
        types = _types(obj)
        if "website" in types and _text(obj.get("name")):
            meta.site_names.append(_text(obj.get("name")))
        elif types & ORG_TYPES and _text(obj.get("name")) and not articles:
            meta.publishers.append(_text(obj.get("name")))
    for obj in articles + pages:
        is_article = obj in articles
        title = _text(obj.get("headline")) or (_text(obj.get("name")) if is_article else None)
        if title:
            meta.titles.append(title)
        for key, target in (("datePublished", meta.published), ("dateCreated", meta.published),
                            ("dateModified", meta.updated)):
            value = _text(obj.get(key))
            if value:
                target.append(value)
        if is_article:
            group = meta.authors.setdefault("json-ld", [])
            group.extend(_people(obj.get("author"), index) or _people(obj.get("creator"), index))
            body = obj.get("articleBody")
            if isinstance(body, str) and body.strip() and not meta.article_body:
                meta.article_body = body
        image = _image(obj.get("image") or obj.get("thumbnailUrl"))
        if image:
            meta.images.append(image)
        for item in _as_list(obj.get("image")):
            caption = _text(item.get("caption")) if isinstance(item, dict) else None
            if caption:
                meta.image_captions.append(caption)
        description = _text(obj.get("description"))
        if description:
            meta.descriptions.append(description)
        language = _text(obj.get("inLanguage"))
        if language:
            meta.languages.append(language)
        for pub in _as_list(obj.get("publisher")):
            if isinstance(pub, dict) and "@id" in pub and "name" not in pub:
                pub = index.get(pub["@id"], pub)
            name = _text(pub)
            if name:
                meta.publishers.append(name)


_META_KEYS = {
    "og:title": "titles", "twitter:title": "titles", "dc.title": "titles",
    "dcterms.title": "titles", "parsely-title": "titles", "sailthru.title": "titles",
    "headline": "titles",
    "og:site_name": "site_names", "application-name": "site_names",
    "apple-mobile-web-app-title": "site_names", "dc.publisher": "publishers",
    "article:author": "authors", "author": "authors", "dc.creator": "authors",
    "dcterms.creator": "authors", "parsely-author": "authors", "sailthru.author": "authors",
    "byl": "authors", "citation_author": "authors", "twitter:creator": "authors",
    "article:published_time": "published", "og:article:published_time": "published",
    "datepublished": "published", "dc.date": "published", "dc.date.issued": "published",
    "dcterms.date": "published", "dcterms.created": "published", "dcterms.issued": "published",
    "parsely-pub-date": "published", "sailthru.date": "published", "pubdate": "published",
    "publishdate": "published", "publish-date": "published", "date": "published",
    "citation_publication_date": "published", "citation_date": "published",
    "article.published": "published", "published_time": "published", "release_date": "published",
    "article:modified_time": "updated", "og:updated_time": "updated",
    "datemodified": "updated", "dcterms.modified": "updated", "last-modified": "updated",
    "og:image": "images", "og:image:url": "images", "og:image:secure_url": "images",
    "twitter:image": "images", "twitter:image:src": "images",
    "og:image:alt": "image_captions", "twitter:image:alt": "image_captions",
    "og:description": "descriptions", "description": "descriptions",
    "twitter:description": "descriptions", "dc.description": "descriptions",
    "og:locale": "languages", "content-language": "languages", "dc.language": "languages",
    "language": "languages",
    "og:url": "canonical",
}


def _read_meta(root: etree._Element, meta: Metadata) -> None:
    for node in root.iter("meta"):
        key = (
            node.get("property") or node.get("name") or node.get("itemprop")
            or node.get("http-equiv") or ""
        ).strip().lower()
        target = _META_KEYS.get(key)
        if target is None:
            continue
        value = (node.get("content") or "").strip()
        if not value:
            continue
        handle = key in ("article:author", "twitter:creator")
        if target == "authors" and handle and value.startswith(("http", "@", "/")):
            continue  # a profile link or a handle, not a name
        if target == "authors":
            meta.authors.setdefault("meta", []).append(value)
        else:
            getattr(meta, target).append(value)


def _microdata(root: etree._Element, meta: Metadata) -> None:
    for node in root.xpath("//*[@itemprop]")[:300]:
        prop = node.get("itemprop", "").strip().lower()
        if node.tag == "meta":
            continue  # read with the other <meta>
        if prop in ("author", "creator"):
            names = node.xpath(".//*[@itemprop='name']")
            value = (names[0].get("content") or text_of(names[0])) if names else None
            value = value or node.get("content") or text_of(node)
            if value and len(value) < 120:
                meta.authors.setdefault("microdata", []).append(value.strip())
        elif prop in ("datepublished", "datecreated"):
            value = node.get("datetime") or node.get("content") or text_of(node)
            if value:
                meta.published.append(value.strip())
        elif prop == "datemodified":
            value = node.get("datetime") or node.get("content") or text_of(node)
            if value:
                meta.updated.append(value.strip())
        elif prop == "headline":
            value = node.get("content") or text_of(node)
            if value and value.strip():
                meta.titles.append(value.strip())


_FIGCAPTION = etree.XPath("(//body//figure[.//img]/figcaption)[1]")
_MICROFORMAT_DATE = etree.XPath("//body//*[@title and contains(@class, 'published')]")


def _time_elements(root: etree._Element, meta: Metadata) -> None:
    for node in _MICROFORMAT_DATE(root)[:3]:  # hAtom: <abbr class="published" title="...">
        meta.times.append(node.get("title"))
    for node in root.iter("time"):
        value = node.get("datetime") or ""
        if not value.strip():
            continue
        hint = " ".join(filter(None, [node.get("class"), node.get("itemprop"),
                                      node.getparent().get("class") if node.getparent() is not None
                                      else None])).lower()
        if node.get("pubdate") is not None or re.search(r"publish|posted|created|date", hint):
            meta.times.insert(0, value.strip())
        else:
            meta.times.append(value.strip())


_BYLINE = etree.XPath(
    "//body//*[@rel='author' or contains(@class, 'author') or contains(@class, 'byline')"
    " or contains(@id, 'author') or contains(@class, 'byl') or contains(@class, 'autor')"
    " or contains(@class, 'writer') or contains(@itemprop, 'author')]"
)
_NOT_BYLINE = re.compile(r"comment|bio|about|avatar|box|description|social|share|img|image|photo",
                         re.IGNORECASE)


def _visible_bylines(root: etree._Element) -> list[str]:
    """Names shown in the page's byline elements (outside comments)."""
    names: list[str] = []
    for node in _BYLINE(root)[:40]:
        mark = " ".join(filter(None, (node.get("class"), node.get("id"))))
        if _NOT_BYLINE.search(mark) or any(
            "comment" in (a.get("class") or "") + (a.get("id") or "") for a in node.iterancestors()
        ):
            continue
        named = node.xpath(".//*[contains(@class, 'fn') or contains(@class, 'name')"
                           " or @itemprop='name']")
        text = " ".join(text_of(named[0] if named else node).split())
        if 2 < len(text) < 80:
            names.append(text)
        if len(names) >= 3:
            break
    return names


# The page's own headings for its story: every <h1>, and h2/h3 that themes mark as the title.
_HEADINGS = etree.XPath(
    "//body//h1 | //body//*[self::h2 or self::h3][contains(@class, 'entry-title')"
    " or contains(@class, 'post-title') or contains(@class, 'article-title')"
    " or contains(@class, 'headline')]"
)


def read_metadata(root: etree._Element) -> Metadata:
    """All the metadata a parsed page carries."""
    meta = Metadata()
    _read_json_ld(root, meta)
    _read_meta(root, meta)
    _microdata(root, meta)
    _time_elements(root, meta)
    for node in root.iter("link"):
        rel = (node.get("rel") or "").lower().split()
        href = (node.get("href") or "").strip()
        if "canonical" in rel and href:
            meta.canonical.insert(0, href)
        elif "author" in rel and node.get("title"):
            meta.authors.setdefault("link", []).append(node.get("title").strip())
    title = root.find(".//title")
    if title is not None:
        meta.doc_title = collapse(text_of(title)) or None
    for h1 in _HEADINGS(root):
        text = collapse(text_of(h1))
        if text:
            meta.h1.append(text)
    caption = _FIGCAPTION(root)
    if caption:
        meta.image_captions.append(collapse(text_of(caption[0])))
    bylines = _visible_bylines(root)
    if bylines:
        meta.authors.setdefault("byline", bylines)
    lang = root.get("lang") or root.get("xml:lang")
    if lang:
        meta.languages.append(lang)
    return meta
