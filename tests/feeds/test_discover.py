"""Feed discovery from HTML and the cheap feed sniff."""

from __future__ import annotations

from newsdesk.feeds import COMMON_FEED_PATHS, find_feed_links, looks_like_feed

PAGE = b"""<!DOCTYPE html><html><head><title>Blog</title>
<link rel="stylesheet" href="/s.css">
<link rel="alternate" type="application/rss+xml" title="Comments Feed" href="/comments/feed/">
<link rel="alternate" type="application/rss+xml" title="Posts" href="/feed/">
<link rel="alternate" type="application/atom+xml" href="https://blog.example/atom.xml">
<link rel="alternate" type="application/feed+json" href="feed.json">
<link rel="alternate" type="application/rss+xml" href="/feed/">
<link rel="alternate" hreflang="fr" href="/fr/">
<link rel="alternate" type="text/html" href="/amp/">
<link rel="Alternate Home" type="APPLICATION/RSS+XML; charset=utf-8" href="/home.rss">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
</head><body><a href="/rss.xml">RSS</a></body></html>"""


def test_find_feed_links_absolute_ordered_unique() -> None:
    links = find_feed_links(PAGE, "https://blog.example/2021/post.html")
    assert links == [
        "https://blog.example/feed/",
        "https://blog.example/atom.xml",
        "https://blog.example/2021/feed.json",
        "https://blog.example/home.rss",
        "https://blog.example/comments/feed/",  # comment feeds last
    ]


def test_find_feed_links_honours_base_and_handles_nothing() -> None:
    page = b"""<html><head><base href="https://cdn.example/site/">
<link rel="alternate" type="application/json" href="feed.json"></head></html>"""
    assert find_feed_links(page, "https://site.example/") == ["https://cdn.example/site/feed.json"]
    assert find_feed_links(b"<html><head></head><body>none</body></html>", "https://x/") == []
    assert find_feed_links(b"", "https://x/") == []
    assert find_feed_links(b"\x00\xff not html", "https://x/") == []


def test_common_paths_start_with_the_usual_ones() -> None:
    assert COMMON_FEED_PATHS[:7] == (
        "/feed",
        "/rss.xml",
        "/atom.xml",
        "/feed.xml",
        "/rss",
        "/index.xml",
        "/feed.json",
    )
    assert all(p.startswith("/") for p in COMMON_FEED_PATHS)


def test_looks_like_feed() -> None:
    assert looks_like_feed(b'<?xml version="1.0"?>\n<rss version="2.0"><channel>', None)
    assert looks_like_feed(b"\xef\xbb\xbf<feed xmlns='http://www.w3.org/2005/Atom'>", "text/html")
    assert looks_like_feed(b'<rdf:RDF xmlns:rdf="x">', "application/xml")
    assert looks_like_feed('<?xml version="1.0"?><rss>'.encode("utf-16"), None)
    assert looks_like_feed(b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', None)
    assert not looks_like_feed(b'{"version": "2"}', "application/json")
    assert not looks_like_feed(b"<!DOCTYPE html><html><head>", "application/rss+xml")
    assert not looks_like_feed(b"<html><body>rss feed</body></html>", None)
    assert looks_like_feed(b"<?xml version='1.0'?>", "application/atom+xml")
    assert not looks_like_feed(b"plain text", "text/plain")
