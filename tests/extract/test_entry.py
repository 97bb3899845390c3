"""article_of: the page's article, else the feed entry's content, else its teaser."""

from __future__ import annotations

import pytest

from newsdesk.errors import ExtractError
from newsdesk.extract import article_of
from newsdesk.model import Entry

STORY = "The harbour office revised its tide tables after the new breakwater changed the currents."
PAGE = (
    "<html><head><title>Tides revised</title></head><body><article><h1>Tides revised</h1>"
    + f"<p>{STORY} Boats are asked to check the new times before they leave.</p>" * 3
    + "</article></body></html>"
).encode()


def entry(**fields: object) -> Entry:
    fields.setdefault("summary", "The harbour office revised its tide tables.")
    return Entry(url="https://news.example/tides", title="Tide tables revised", **fields)


def test_the_page_when_it_reads() -> None:
    article = article_of(PAGE, "https://news.example/tides", entry=entry(), charset="utf-8")
    assert STORY in article.text and article.method != "feed"


@pytest.mark.parametrize("page", [None, b"", b"\x00\x01"])
def test_the_entry_content_when_there_is_no_page_to_read(page: bytes | None) -> None:
    given = entry(content_html=f"<p>{STORY}</p><p>Boats are asked to check the times.</p>")
    article = article_of(page, given.url, entry=given)
    assert STORY in article.text and article.method == "feed"
    assert article.title == "Tide tables revised"


def test_the_teaser_when_the_entry_has_no_content() -> None:
    article = article_of(None, "https://news.example/tides", entry=entry(authors=["Ann Lee"]))
    assert (article.text, article.method) == ("The harbour office revised its tide tables.", "feed")
    assert article.authors == ["Ann Lee"] and article.description == article.text


def test_no_page_and_no_entry_is_an_error() -> None:
    with pytest.raises(ExtractError):
        article_of(b"", "https://news.example/empty")
    with pytest.raises(ExtractError):
        article_of(None, "https://news.example/none")
