"""Feeds: parse RSS/Atom/RDF/JSON Feed and sitemaps, discover feeds on a site, OPML, the
polling schedule, and write Atom, RSS and JSON Feed (writers).

Pure functions: bytes in, dataclasses out. No I/O.
"""

from newsdesk.feeds.discover import COMMON_FEED_PATHS, find_feed_links, looks_like_feed
from newsdesk.feeds.opml import parse_opml, write_opml
from newsdesk.feeds.parse import parse_feed
from newsdesk.feeds.schedule import next_poll, parse_cache_control, parse_retry_after
from newsdesk.feeds.sitemaps import SITEMAP_PATHS, looks_like_sitemap, parse_sitemap
from newsdesk.feeds.starter import starter_subscriptions

__all__ = [
    "COMMON_FEED_PATHS",
    "SITEMAP_PATHS",
    "find_feed_links",
    "looks_like_feed",
    "looks_like_sitemap",
    "next_poll",
    "parse_cache_control",
    "parse_feed",
    "parse_opml",
    "parse_retry_after",
    "parse_sitemap",
    "starter_subscriptions",
    "write_opml",
]
