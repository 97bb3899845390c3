"""What counts as a site icon: the links a home page names, best first, and the bytes kept."""

from __future__ import annotations

from newsdesk.feeds.icons import icon_links, image_type
from tests.sites.icon_sites import HTML_PAGE, ICO, PNG, SVG


def test_icon_links_best_first_without_svg() -> None:
    html = b"""<html><head><base href="https://cdn.example/s/">
    <link rel="apple-touch-icon" href="touch.png">
    <link rel="icon" type="image/svg+xml" href="i.svg">
    <link rel="mask-icon" href="mask.svg">
    <link rel="SHORTCUT ICON" href="/favicon.ico">
    <link rel="icon" sizes="16x16" href="small.png">
    <link rel="icon" sizes="32x32" href="medium.png">
    <link rel="icon" href="javascript:alert(1)">
    <link rel="stylesheet" href="site.css"></head></html>"""
    assert icon_links(html, "https://news.example/") == [
        "https://cdn.example/s/medium.png",
        "https://cdn.example/s/small.png",
        "https://cdn.example/favicon.ico",
        "https://cdn.example/s/touch.png",
    ]
    assert icon_links(b"", "https://news.example/") == []
    assert icon_links(b"\x00\x01 not html", "https://news.example/") == []


def test_only_raster_images_that_say_so_are_kept() -> None:
    assert image_type(PNG, "image/png") == "image/png"
    assert image_type(ICO, "image/vnd.microsoft.icon") == "image/x-icon"
    assert image_type(ICO, "application/octet-stream") == "image/x-icon"  # as many servers say
    assert image_type(ICO, None) == "image/x-icon"
    assert image_type(b"GIF89a\x01\x00", "image/gif") == "image/gif"
    assert image_type(b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp") == "image/webp"
    assert image_type(HTML_PAGE, "text/html") is None
    assert image_type(HTML_PAGE, "image/x-icon") is None  # labelled an image, is not one
    assert image_type(PNG, "text/html") is None  # an image's bytes labelled as a page
    assert image_type(SVG, "image/svg+xml") is None
    assert image_type(SVG, "image/png") is None
    assert image_type(b"", "image/png") is None
