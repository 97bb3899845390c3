"""Static files served from memory: bytes, types, validators, caching and security headers."""

from __future__ import annotations

import re

import httpx

from newsdesk.web.app import STATIC_DIR, static_url
from newsdesk.web.security import CONTENT_SECURITY_POLICY
from tests.web.conftest import LiveServer


def test_each_static_file_is_served_whole_with_its_type(anon: httpx.Client):
    for name, kind in [
        ("newsdesk.css", "text/css"),
        ("newsdesk.js", "text/javascript"),
        ("icon.svg", "image/svg+xml"),
    ]:
        answer = anon.get(f"/static/{name}")
        assert answer.status_code == 200
        assert answer.content == (STATIC_DIR / name).read_bytes()
        assert answer.headers["content-type"].startswith(kind)
        assert int(answer.headers["content-length"]) == len(answer.content)
        assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["last-modified"].endswith("GMT")


def test_the_versioned_url_a_page_links_is_kept_for_good(anon: httpx.Client):
    page = anon.get("/login").text
    link = re.search(r'href="(/static/newsdesk\.css\?v=[0-9a-f]+)"', page).group(1)
    assert link == static_url("newsdesk.css")
    assert "immutable" in anon.get(link).headers["cache-control"]
    # another version (an old page after a release) or none: asked again each time
    assert anon.get("/static/newsdesk.css?v=0000000000").headers["cache-control"] == "no-cache"
    assert anon.get("/static/newsdesk.css").headers["cache-control"] == "no-cache"


def test_a_known_etag_gets_not_modified(anon: httpx.Client):
    first = anon.get("/static/newsdesk.js")
    etag = first.headers["etag"]
    again = anon.get("/static/newsdesk.js", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    weak = anon.get("/static/newsdesk.js", headers={"If-None-Match": f'"x", W/{etag}'})
    assert weak.status_code == 304
    other = anon.get("/static/newsdesk.js", headers={"If-None-Match": '"something else"'})
    assert other.status_code == 200
    assert other.content == first.content


def test_head_gives_the_headers_without_the_body(anon: httpx.Client):
    answer = anon.head("/static/icon.svg")
    assert answer.status_code == 200
    assert answer.content == b""
    assert int(answer.headers["content-length"]) == len((STATIC_DIR / "icon.svg").read_bytes())


def test_unknown_files_and_other_methods_are_not_found(anon: httpx.Client, live: LiveServer):
    for path in ["/static/nothing.css", "/static/../app.py", "/static/", "/static"]:
        assert anon.get(path).status_code == 404, path
    assert anon.post("/static/newsdesk.css").status_code in (404, 405)
