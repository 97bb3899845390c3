"""Empty optional fields are no filter: a form's "All sources" sends `feed=`, and every page and
API reads that as no source chosen, never as a 400."""

from __future__ import annotations

import httpx
import pytest

from tests.web.conftest import LiveServer, SignedInClient, seed_articles
from tests.web.test_api_v1 import make_token


@pytest.mark.parametrize(
    "path",
    [
        "/?feed=&folder=&lang=",
        "/?feed=&folder=&lang=&unread=1",
        "/search?q=story&feed=&since=&until=&lang=",
        "/search?q=&feed=",
        "/sources?added=",
    ],
)
def test_reader_pages_read_empty_fields_as_no_filter(
    live: LiveServer, admin_client: httpx.Client, path: str
):
    seed_articles(live.store, 3)
    answer = admin_client.get(path)
    assert answer.status_code == 200, answer.text[:300]
    if path.startswith("/?") and "unread" not in path:
        assert "Story number 2" in answer.text


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/articles?feed_id=&since=&until=&story_id=&duplicates=",
        "/api/v1/search?q=story&feed_id=&since=&until=&duplicates=",
        "/api/v1/stories?since=&before=",
        "/all.atom?duplicates=",
    ],
)
def test_apis_read_empty_fields_as_no_filter(
    live: LiveServer, admin_client: SignedInClient, path: str
):
    seed_articles(live.store, 3)
    _, token = make_token(admin_client)
    answer = httpx.get(live.url + path, headers={"Authorization": f"Bearer {token}"}, timeout=60)
    assert answer.status_code == 200, answer.text[:300]


def test_a_wrong_source_id_is_still_refused(live: LiveServer, admin_client: httpx.Client):
    assert admin_client.get("/?feed=abc").status_code == 400
    assert admin_client.get("/?feed=0").status_code == 400
