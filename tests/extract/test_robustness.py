"""Never crash, never hang: any input gives an Article or one clear ExtractError."""

from __future__ import annotations

import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.extract import ExtractError, extract_article
from newsdesk.model import Article
from tests.extract.pagekit import LOREM, page

URL = "https://news.example.org/a"


def _outcome(html: bytes | str) -> Article | ExtractError:
    try:
        return extract_article(html, URL)
    except ExtractError as error:
        assert "\n" not in str(error)
        return error


def test_empty_input_is_an_extract_error():
    for html in (b"", "", b"   ", "<html></html>", b"\x00\x00"):
        assert isinstance(_outcome(html), ExtractError)


def test_binary_input_does_not_crash():
    noise = random.Random(7).randbytes(200_000)
    assert isinstance(_outcome(noise), (Article, ExtractError))


def test_truncated_page_keeps_what_arrived():
    html = page()
    cut = html[: html.index(LOREM[2]) + 40]
    result = _outcome(cut)
    assert isinstance(result, Article)
    assert LOREM[0] in result.text


def test_huge_page_is_read_up_to_the_cap():
    story = page()
    filler = "<div class='x'><span>filler text</span></div>" * (50_000_000 // 45)
    html = story.replace("</footer>", "</footer>" + filler)
    assert len(html) > 50_000_000
    result = _outcome(html.encode())
    assert isinstance(result, Article)
    assert LOREM[0] in result.text


def test_deeply_nested_page_does_not_recurse_to_death():
    for tag in ("div", "b", "table", "blockquote", "ul"):
        html = f"<html><body>{f'<{tag}>' * 100_000}<p>{LOREM[0]}</p></body></html>"
        assert isinstance(_outcome(html), (Article, ExtractError))


def test_unclosed_tags_and_stray_markup():
    html = ("<html><body><article><h1>Tram line<p>" + "<p>".join(LOREM)
            + "<div><span><b><i></div></p></html></body><script>var x = '</article>'")
    result = _outcome(html)
    assert isinstance(result, Article)
    assert LOREM[-1] in result.text


_SEED = page(head='<script type="application/ld+json">{"@type":"NewsArticle","headline":"T",'
                  '"datePublished":"2024-03-05T09:30:00+01:00"}</script>').encode()


@st.composite
def mutated_pages(draw) -> bytes:
    data = bytearray(_SEED)
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["delete", "insert", "duplicate", "replace"]))
        at = draw(st.integers(0, len(data)))
        if kind == "delete":
            del data[at : at + draw(st.integers(1, 400))]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(
                [b"<", b">", b"</div>", b"<table>", b"<!--", b"<script>", b"\x00", b"\xff\xfe",
                 b"&#xD800;", b"<![CDATA[", b"<?xml version='1.0' encoding='utf-16'?>",
                 b'<meta charset="bogus">', b"<svg><p>", draw(st.binary(max_size=50))]
            ))
        elif kind == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 2000))]
        else:
            data[at : at + 1] = draw(st.binary(min_size=1, max_size=3))
    return bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_pages())
def test_mutated_html_gives_article_or_extract_error(html):
    assert isinstance(_outcome(html), (Article, ExtractError))


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.binary(max_size=3000), st.text(max_size=3000)))
def test_arbitrary_input_gives_article_or_extract_error(html):
    assert isinstance(_outcome(html), (Article, ExtractError))


def test_a_page_that_is_only_a_url_is_never_fetched():
    # htmldate downloads a string that looks like a URL: a hostile page must not reach past
    # the fetcher's guard that way (here, a loopback server that counts what it is asked)
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server spelling)
            asked.append(self.path)
            body = b"<html><body><time datetime='2020-01-02'>2 January 2020</time></body></html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        probe = f"http://127.0.0.1:{server.server_address[1]}/probe"
        outcome = _outcome(probe)
    finally:
        server.shutdown()
        server.server_close()
    assert asked == []
    assert isinstance(outcome, (Article, ExtractError))
