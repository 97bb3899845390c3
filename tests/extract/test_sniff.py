"""Pages are checked for what they are before extraction: binary content and non-page types are
refused with one clear ExtractError; real pages in any charset pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.errors import ExtractError
from newsdesk.extract import check_page, extract_article
from tests.sites.hostile import JUNK, PAGE_HTML, PDF

PAGES = Path(__file__).parent / "pages"


@pytest.mark.parametrize(
    ("content", "content_type", "says"),
    [
        (PDF, "application/pdf", "the server says it is application/pdf"),
        (PAGE_HTML, "application/octet-stream", "it is application/octet-stream"),
        (PAGE_HTML, "image/png", "it is image/png"),
        (PDF, "text/html", "its content is a PDF document"),
        (JUNK, "text/html", "its content is binary data"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "", "its content is a PNG image"),
        (b"PK\x03\x04" + b"word/document.xml" * 10, None, "a ZIP archive"),
        (bytes(range(1, 32)) * 200, "text/plain", "binary data"),  # no zero byte, all controls
    ],
)
def test_what_is_not_a_page_is_refused(content: bytes, content_type: str, says: str) -> None:
    with pytest.raises(ExtractError, match=says) as caught:
        check_page(content, content_type, url="https://example.org/x")
    assert "\n" not in str(caught.value) and str(caught.value).endswith("(https://example.org/x)")


def test_extraction_refuses_binary_bytes_whatever_they_were_served_as() -> None:
    for content in (PDF, JUNK):
        with pytest.raises(ExtractError, match="not a web page"):
            extract_article(content, "https://example.org/report")


def test_real_pages_pass_in_every_charset() -> None:
    pages = sorted(PAGES.glob("*.html"))
    assert len(pages) >= 10
    for path in pages:
        check_page(path.read_bytes(), "text/html")
    check_page(PAGE_HTML, "text/html; charset=utf-8")
    check_page(PAGE_HTML, "application/xhtml+xml")
    check_page(PAGE_HTML.decode().encode("utf-16"), "")  # a BOM, then zero bytes everywhere
    check_page("<p>日本語のページ</p>".encode("iso-2022-jp"), "text/html")  # ESC sequences
    article = extract_article(PAGE_HTML, "https://example.org/page")
    assert article.title == "A page"
