"""The JSON API under /api/v1, every route, against a real server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from newsdesk.feeds.opml import parse_opml
from newsdesk.model import Article
from newsdesk.web.auth.passwords import hash_password
from tests.sites.hostile import HostileServer
from tests.web import http
from tests.web.conftest import LiveServer, SignedInClient, seed_articles


def make_token(admin_client: SignedInClient, name: str = "tests") -> tuple[int, str]:
    answer = admin_client.post(
        "/api/v1/tokens", json={"name": name}, headers={"X-CSRF-Token": admin_client.csrf}
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["name"] == name and body["token"].startswith("nd_")
    return body["id"], body["token"]


@pytest.fixture
def api(live: LiveServer, admin_client: SignedInClient) -> Iterator[httpx.Client]:
    _, token = make_token(admin_client)
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=f"{live.url}/api/v1", headers=headers, timeout=60) as client:
        yield client


# --- authentication -------------------------------------------------------------------------


def test_every_route_needs_authentication(live: LiveServer) -> None:
    for method, path in (
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/feeds"),
        ("POST", "/api/v1/feeds"),
        ("GET", "/api/v1/feeds/1"),
        ("PATCH", "/api/v1/feeds/1"),
        ("DELETE", "/api/v1/feeds/1"),
        ("POST", "/api/v1/feeds/1/refresh"),
        ("POST", "/api/v1/feeds/refresh"),
        ("GET", "/api/v1/articles"),
        ("GET", "/api/v1/articles/1"),
        ("PATCH", "/api/v1/articles/1"),
        ("POST", "/api/v1/articles/1/read"),
        ("POST", "/api/v1/articles/mark-read"),
        ("GET", "/api/v1/search?q=x"),
        ("GET", "/api/v1/opml"),
        ("POST", "/api/v1/opml"),
        ("GET", "/api/v1/tokens"),
        ("POST", "/api/v1/tokens"),
        ("DELETE", "/api/v1/tokens/1"),
    ):
        answer = http.request(method, live.url + path)
        assert answer.status_code == 401, (method, path, answer.status_code)
        assert answer.json()["error"], path
    bad = http.get(f"{live.url}/api/v1/me", headers={"Authorization": "Bearer nd_wrong"})
    assert bad.status_code == 401 and "token" in bad.json()["error"]


def test_session_writes_need_the_csrf_header(admin_client: SignedInClient) -> None:
    assert admin_client.get("/api/v1/me").status_code == 200
    answer = admin_client.post("/api/v1/tokens", json={"name": "x"})
    assert answer.status_code == 403 and "x-csrf-token" in answer.json()["error"]


def test_tokens_create_and_revoke(admin_client: SignedInClient, api: httpx.Client) -> None:
    token_id, second = make_token(admin_client, "phone")
    headers = {"Authorization": f"Bearer {second}"}
    assert http.get(str(api.base_url.join("me")), headers=headers).json()["username"] == "admin"
    made = api.post("/tokens", json={"name": "by token"})
    assert made.status_code == 201 and made.json()["token"] != second
    assert api.delete(f"/tokens/{token_id}").status_code == 204
    revoked = http.get(str(api.base_url.join("me")), headers=headers)
    assert revoked.status_code == 401
    assert api.delete(f"/tokens/{token_id}").status_code == 404
    assert api.post("/tokens", json={"name": 5}).status_code == 422
    assert api.get("/me").json() == {"id": 1, "username": "admin", "is_admin": True}


def test_tokens_are_listed_without_their_secrets(
    live: LiveServer, admin_client: SignedInClient, api: httpx.Client
) -> None:
    phone_id, phone = make_token(admin_client, "phone")
    listed = api.get("/tokens")
    assert listed.status_code == 200
    body = listed.json()
    assert [t["name"] for t in body] == ["phone", "tests"]  # newest first
    assert set(body[0]) == {"id", "name", "created_at", "last_used_at"}
    assert phone not in listed.text and "nd_" not in listed.text
    assert body[0]["id"] == phone_id and body[0]["last_used_at"] is None
    assert body[1]["last_used_at"] is not None  # the token of this very call
    assert datetime.fromisoformat(body[0]["created_at"]).tzinfo is not None
    # another user sees only their own
    from newsdesk.web.auth.tokens import new_token

    other = live.store.create_user("reader2", hash_password("reader2 password"))
    token, token_hash = new_token()
    live.store.create_api_token(other.id, token_hash, "theirs")
    theirs = http.get(f"{live.url}/api/v1/tokens", headers={"Authorization": f"Bearer {token}"})
    assert [t["name"] for t in theirs.json()] == ["theirs"]
    assert api.delete(f"/tokens/{theirs.json()[0]['id']}").status_code == 404
    assert api.delete(f"/tokens/{phone_id}").status_code == 204
    assert [t["name"] for t in api.get("/tokens").json()] == ["tests"]


# --- feeds ----------------------------------------------------------------------------------


def test_feed_lifecycle(live: LiveServer, api: httpx.Client) -> None:
    with HostileServer() as publisher:
        url = publisher.url("/feed.xml")
        created = api.post("/feeds", json={"url": url, "folder": "Tech"})
        assert created.status_code == 201, created.text
        feed = created.json()
        assert feed["url"] == url and feed["folder"] == "Tech"
        again = api.post("/feeds", json={"url": url})
        assert again.status_code == 200 and again.json()["id"] == feed["id"]
        refreshed = api.post(f"/feeds/{feed['id']}/refresh")
        assert refreshed.status_code == 200, refreshed.text
        report = refreshed.json()
        assert report["feeds"] == 1 and report["errors"] == []
        assert api.post("/feeds/refresh").status_code == 200
        bad = api.post("/feeds", json={"url": publisher.url("/status/404")})
        assert bad.status_code == 400 and "cannot subscribe" in bad.json()["error"]
    assert [f["id"] for f in api.get("/feeds").json()] == [feed["id"]]
    assert api.get(f"/feeds/{feed['id']}").json()["url"] == url
    changed = api.patch(f"/feeds/{feed['id']}", json={"title": "Mine", "paused": True,
                                                      "folder": None})  # fmt: skip
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["title"] == "Mine" and body["paused"] is True and body["folder"] is None
    assert api.patch(f"/feeds/{feed['id']}", json={"colour": "red"}).status_code == 422
    assert api.patch(f"/feeds/{feed['id']}", json={"paused": None}).status_code == 422
    assert api.delete(f"/feeds/{feed['id']}").status_code == 204
    assert api.get(f"/feeds/{feed['id']}").status_code == 404
    assert api.delete(f"/feeds/{feed['id']}").status_code == 404
    assert api.post("/feeds/999/refresh").status_code == 404


def test_feed_input_errors(api: httpx.Client) -> None:
    for body in ({}, {"url": ""}, {"url": 5}, {"url": "x" * 3000}, {"url": "a", "extra": 1}):
        answer = api.post("/feeds", json=body)
        assert answer.status_code == 422, body
        assert answer.json()["error"]
    answer = api.post("/feeds", content=b"not json", headers={"content-type": "application/json"})
    assert 400 <= answer.status_code < 500
    assert api.get("/feeds/abc").status_code == 422
    assert api.post("/feeds", json={"url": "not a url at all"}).status_code == 400


# --- articles -------------------------------------------------------------------------------


def test_articles_list_filters_and_cursor(live: LiveServer, api: httpx.Client) -> None:
    world, world_ids = seed_articles(live.store, 5, feed_url="https://world.example/rss",
                                     folder="World")  # fmt: skip
    _, local_ids = seed_articles(live.store, 2, feed_url="https://local.example/rss")
    everything: list[int] = []
    params: dict[str, object] = {"limit": 3}
    for _ in range(5):
        page = api.get("/articles", params=params).json()
        everything += [item["id"] for item in page["items"]]
        if not page["next_cursor"]:
            break
        params = {"limit": 3, "cursor": page["next_cursor"]}
    assert sorted(everything) == sorted(world_ids + local_ids)
    assert len(everything) == len(set(everything))
    by_feed = api.get("/articles", params={"feed_id": world.id}).json()["items"]
    assert [a["id"] for a in by_feed] == world_ids
    by_folder = api.get("/articles", params={"folder": "World"}).json()["items"]
    assert [a["id"] for a in by_folder] == world_ids
    recent = api.get(
        "/articles",
        params={"since": (datetime.now(UTC) - timedelta(hours=1, minutes=30)).isoformat()},
    ).json()["items"]
    assert {a["id"] for a in recent} == {world_ids[0], world_ids[1], local_ids[0], local_ids[1]}
    assert api.get("/articles", params={"language": "fr"}).json()["items"] == []
    bad = api.get("/articles", params={"cursor": "@@not-a-cursor@@"})
    assert bad.status_code == 400 and "cursor" in bad.json()["error"]
    assert api.get("/articles", params={"limit": 0}).status_code == 422
    assert api.get("/articles", params={"since": "yesterday"}).status_code == 422


def test_article_detail_and_state(live: LiveServer, api: httpx.Client) -> None:
    _, [article_id, other_id] = seed_articles(
        live.store,
        2,
        make=lambda i: Article(
            url=f"https://news.example.org/{i}",
            title=f"Title {i}",
            html=f"<p>Body {i}</p><script>bad()</script><img src='x.jpg' onerror='x()'>",
            text=f"Body {i}",
            image_caption="A caption",
            published=datetime.now(UTC) - timedelta(hours=i),
        ),
    )
    detail = api.get(f"/articles/{article_id}").json()
    assert detail["title"] == "Title 0" and detail["text"] == "Body 0"
    assert detail["html"] == '<p>Body 0</p><img src="https://news.example.org/x.jpg">'
    assert detail["read"] is False and detail["starred"] is False
    assert api.get("/articles/424242").status_code == 404
    assert api.post(f"/articles/{article_id}/read").json() == {
        "id": article_id, "read": True, "starred": False,
    }  # fmt: skip
    assert api.post(f"/articles/{article_id}/star").json()["starred"] is True
    assert [a["id"] for a in api.get("/articles", params={"unread": True}).json()["items"]] == [
        other_id
    ]
    assert [a["id"] for a in api.get("/articles", params={"starred": True}).json()["items"]] == [
        article_id
    ]
    assert api.post(f"/articles/{article_id}/unread").json()["read"] is False
    assert api.post(f"/articles/{article_id}/unstar").json()["starred"] is False
    patched = api.patch(f"/articles/{article_id}", json={"read": True, "starred": True}).json()
    assert patched == {"id": article_id, "read": True, "starred": True}
    assert api.patch(f"/articles/{article_id}", json={"read": "maybe"}).status_code == 422
    assert api.post("/articles/424242/read").status_code == 404


def test_mark_read_in_bulk(live: LiveServer, api: httpx.Client) -> None:
    world, world_ids = seed_articles(live.store, 2, feed_url="https://world.example/rss",
                                     folder="World")  # fmt: skip
    _, local_ids = seed_articles(live.store, 2, feed_url="https://local.example/rss")
    assert api.post("/articles/mark-read", json={"folder": "World"}).status_code == 200
    unread = api.get("/articles", params={"unread": True}).json()["items"]
    assert sorted(a["id"] for a in unread) == sorted(local_ids)
    assert api.post("/articles/mark-read", json={"feed_id": 999}).status_code == 404
    assert api.post("/articles/mark-read", json={}).status_code == 200
    assert api.get("/articles", params={"unread": True}).json()["items"] == []
    assert world.id and world_ids


def test_read_state_is_per_user(live: LiveServer, api: httpx.Client) -> None:
    from newsdesk.web.auth.tokens import new_token

    _, ids = seed_articles(live.store, 2)
    api.post(f"/articles/{ids[0]}/read")
    api.post(f"/articles/{ids[0]}/star")
    other = live.store.create_user("reader2", hash_password("reader2 login pw"))
    token, token_hash = new_token()
    live.store.create_api_token(other.id, token_hash, "other")
    headers = {"Authorization": f"Bearer {token}"}
    theirs = http.get(f"{live.url}/api/v1/articles/{ids[0]}", headers=headers).json()
    assert theirs["read"] is False and theirs["starred"] is False
    assert http.get(f"{live.url}/api/v1/me", headers=headers).json()["username"] == "reader2"


# --- search and OPML ------------------------------------------------------------------------


def test_search(live: LiveServer, api: httpx.Client) -> None:
    seed_articles(live.store, 1, make=lambda i: Article(
        url="https://news.example.org/volcano", title="Volcano erupts near town",
        text="Lava reached the outskirts of the town overnight.",
    ))  # fmt: skip
    seed_articles(live.store, 1, feed_url="https://other.example/rss")
    found = api.get("/search", params={"q": "lava"}).json()
    assert found["query"] == "lava"
    [hit] = found["items"]
    assert hit["article"]["title"] == "Volcano erupts near town"
    assert "<mark>" in hit["snippet"]
    assert api.get("/search", params={"q": "zzzzqqq"}).json()["items"] == []
    assert api.get("/search").status_code == 422
    assert api.get("/search", params={"q": "   "}).status_code == 400
    assert api.get("/search", params={"q": '"unbalanced (OR -'}).status_code == 200


def test_opml_export_and_import(live: LiveServer, api: httpx.Client) -> None:
    seed_articles(live.store, 1, feed_url="https://world.example/rss", folder="World")
    exported = api.get("/opml")
    assert exported.status_code == 200
    assert [s.url for s in parse_opml(exported.content)] == ["https://world.example/rss"]
    opml = b"""<?xml version="1.0"?><opml version="2.0"><body>
      <outline text="Tech"><outline type="rss" text="A" xmlUrl="https://a.example/feed"/></outline>
      <outline type="rss" text="World" xmlUrl="https://world.example/rss"/>
    </body></opml>"""
    report = api.post("/opml", content=opml, headers={"content-type": "text/x-opml"}).json()
    assert report == {"added": 1, "existing": 1, "errors": []}
    feeds = {f["url"]: f for f in api.get("/feeds").json()}
    assert feeds["https://a.example/feed"]["folder"] == "Tech"
    broken = api.post("/opml", content=b"<opml><body>", headers={"content-type": "text/xml"})
    assert broken.status_code == 400 and broken.json()["error"]
    assert api.post("/opml", content=b"").status_code == 400


def test_openapi_document_describes_the_api(live: LiveServer) -> None:
    doc = http.get(f"{live.url}/api/v1/openapi.json").json()
    paths = doc["paths"]
    for path in ("/api/v1/feeds", "/api/v1/articles", "/api/v1/search", "/api/v1/opml",
                 "/api/v1/tokens", "/api/v1/articles/{article_id}"):  # fmt: skip
        assert path in paths, path
    listing = paths["/api/v1/articles"]["get"]
    schema = listing["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/ArticlePage")
    assert "401" in listing["responses"]
    assert doc["components"]["schemas"]["ErrorOut"]["required"] == ["error"]


def test_search_and_stories_say_when_there_is_a_next_page(
    live: LiveServer, api: httpx.Client
) -> None:
    _, ids = seed_articles(live.store, 5, make=lambda i: Article(
        url=f"https://news.example.org/lava-{i}", title=f"Lava flow {i}",
        text=f"Lava reached street {i} overnight.",
    ))  # fmt: skip
    first = api.get("/search", params={"q": "lava", "limit": 3}).json()
    assert len(first["items"]) == 3 and first["next_offset"] == 3
    rest = api.get("/search", params={"q": "lava", "limit": 3, "offset": 3}).json()
    assert len(rest["items"]) == 2 and rest["next_offset"] is None
    seen = {hit["article"]["id"] for hit in first["items"] + rest["items"]}
    assert seen == set(ids)

    made = []
    for n, article_id in enumerate(ids):
        story_id = live.store.create_story("", first_seen=datetime(2025, 1, 1, tzinfo=UTC))
        with live.store.match_recorder() as recorder:
            recorder.record(article_id, signature=b"", original_id=None, story_id=story_id,
                            story_title=f"Lava flow {n}")
        made.append(story_id)
    listed, url = [], "/stories?limit=2"
    while url:
        page = api.get(url)
        assert page.status_code == 200 and len(page.json()) <= 2
        listed += [story["id"] for story in page.json()]
        url = page.links.get("next", {}).get("url")
    assert sorted(listed) == sorted(made) and len(listed) == len(set(listed))
    assert api.get("/stories", params={"before": 999999}).status_code == 404
