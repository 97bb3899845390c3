"""HTML -> Article. Pure functions: bytes or text in, dataclasses out.

    from newsdesk.extract import extract_article
    article = extract_article(page_bytes, "https://example.org/story")
"""

from newsdesk.errors import ExtractError
from newsdesk.extract.article import extract_article
from newsdesk.extract.entry import article_of, feed_copy, teaser_article
from newsdesk.extract.memory import BlockMemory, PageBlocks, SiteMemory
from newsdesk.extract.params import ExtractParams
from newsdesk.extract.serialize import JSON_FIELDS, article_to_json
from newsdesk.extract.sniff import check_page

__all__ = [
    "BlockMemory",
    "ExtractError",
    "ExtractParams",
    "JSON_FIELDS",
    "PageBlocks",
    "SiteMemory",
    "article_of",
    "article_to_json",
    "check_page",
    "extract_article",
    "feed_copy",
    "teaser_article",
]
