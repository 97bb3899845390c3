"""The Fever API, driven by the third-party `freshrss-api` client (and raw calls for the parts
it does not cover), against a real server on 127.0.0.1."""

from __future__ import annotations

import hashlib

import pytest
from freshrss_api import FreshRSSAPI
from freshrss_api.utils.errors import AuthenticationError

from newsdesk.web.auth.passwords import fever_api_key, hash_password
from newsdesk.web.fever import group_id
from tests.web import http
from tests.web.conftest import ADMIN, ADMIN_API_PASSWORD, ADMIN_PASSWORD, LiveServer, seed_articles
from tests.web.copies import seed_with_copy

API_KEY = hashlib.md5(f"{ADMIN}:{ADMIN_API_PASSWORD}".encode()).hexdigest()


@pytest.fixture
def fever(live: LiveServer) -> FreshRSSAPI:
    return FreshRSSAPI(host=live.url, username=ADMIN, password=ADMIN_API_PASSWORD)


def call(live: LiveServer, query: str, api_key: str = API_KEY, **form: object) -> dict:
    answer = http.post(f"{live.url}/api/fever.php?api&{query}", data={"api_key": api_key, **form})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_authentication(live: LiveServer) -> None:
    with pytest.raises(AuthenticationError):
        FreshRSSAPI(host=live.url, username=ADMIN, password=ADMIN_PASSWORD)
    assert call(live, "", api_key="0" * 32) == {"api_version": 3, "auth": 0}
    assert call(live, "feeds", api_key="not-a-key") == {"api_version": 3, "auth": 0}
    answer = call(live, "")
    assert answer["auth"] == 1 and answer["api_version"] == 3


def test_feeds_and_groups(live: LiveServer, fever: FreshRSSAPI) -> None:
    world, _ = seed_articles(live.store, 1, feed_url="https://world.example/rss", title="World",
                             folder="News")  # fmt: skip
    local, _ = seed_articles(live.store, 1, feed_url="https://local.example/rss", title="Local")
    feeds = fever.get_feeds()
    by_id = {f["id"]: f for f in feeds["feeds"]}
    assert by_id[world.id]["title"] == "World"
    assert by_id[world.id]["url"] == "https://world.example/rss"
    assert by_id[local.id]["is_spark"] == 0
    # a feed in no folder is in "Uncategorized", as FreshRSS files it
    assert feeds["feeds_groups"] == [
        {"group_id": group_id("News"), "feed_ids": str(world.id)},
        {"group_id": group_id("Uncategorized"), "feed_ids": str(local.id)},
    ]
    groups = fever.get_groups()
    assert groups["groups"] == [
        {"id": group_id("News"), "title": "News"},
        {"id": group_id("Uncategorized"), "title": "Uncategorized"},
    ]
    assert groups["feeds_groups"] == feeds["feeds_groups"]
    # one favicon per feed, under the feed's own id: no site icon yet, so newsdesk's default
    favicons = {f["id"]: f["data"] for f in call(live, "favicons")["favicons"]}
    assert {f["id"]: f["favicon_id"] for f in feeds["feeds"]} == {world.id: world.id,
                                                                  local.id: local.id}  # fmt: skip
    assert set(favicons) == {world.id, local.id}
    assert all(data.startswith("image/png;base64,iVBORw0KGgo") for data in favicons.values())


def test_unread_saved_and_marks(live: LiveServer, fever: FreshRSSAPI) -> None:
    _, ids = seed_articles(live.store, 3)
    assert sorted(item.id for item in fever.get_unreads()) == sorted(ids)
    assert fever.get_saved() == []
    answer = fever.set_mark("read", ids[0])
    assert str(ids[0]) not in answer["unread_item_ids"].split(",")
    fever.set_mark("saved", ids[1])
    [saved] = fever.get_saved()
    assert saved.id == ids[1] and saved.is_saved and not saved.is_read
    assert sorted(item.id for item in fever.get_unreads()) == sorted(ids[1:])
    fever.set_mark("unsaved", ids[1])
    assert fever.get_saved() == []
    call(live, "", mark="item", **{"as": "unread"}, id=ids[0])
    assert sorted(item.id for item in fever.get_unreads()) == sorted(ids)


def test_items_paging(live: LiveServer, fever: FreshRSSAPI) -> None:
    _, ids = seed_articles(live.store, 60)
    ascending = sorted(ids)
    first = call(live, "items", since_id=0)
    assert [i["id"] for i in first["items"]] == ascending[:50]
    assert first["total_items"] == 60
    rest = call(live, "items", since_id=ascending[49])
    assert [i["id"] for i in rest["items"]] == ascending[50:]
    newest = call(live, "items", max_id=0)
    assert [i["id"] for i in newest["items"]] == ascending[::-1][:50]
    older = call(live, "items", max_id=ascending[10])
    assert [i["id"] for i in older["items"]] == ascending[:10][::-1]
    items = fever.get_items_from_ids([ascending[3], ascending[7]])
    assert [item.id for item in items] == [ascending[3], ascending[7]]
    item = items[0]
    assert item.html.startswith("<p>Body of story") and item.url.startswith("https://")
    assert item.created_on_time > 0


def test_mark_feed_and_group_read(live: LiveServer) -> None:
    world, world_ids = seed_articles(live.store, 2, feed_url="https://world.example/rss",
                                     folder="World")  # fmt: skip
    local, local_ids = seed_articles(live.store, 2, feed_url="https://local.example/rss")
    answer = call(live, "", mark="feed", **{"as": "read"}, id=local.id)
    unread = {int(i) for i in answer["unread_item_ids"].split(",") if i}
    assert unread == set(world_ids)
    answer = call(live, "", mark="group", **{"as": "read"}, id=group_id("World"))
    assert answer["unread_item_ids"] == ""
    assert world.id and local_ids


def test_mark_before_keeps_newer_items_unread(live: LiveServer) -> None:
    _, ids = seed_articles(live.store, 3)  # one an hour back from five minutes ago
    answer = call(live, "", mark="group", **{"as": "read"}, id=0, before=0)
    assert answer["unread_item_ids"] == ""
    assert ids


def test_bad_input_is_a_clear_4xx(live: LiveServer) -> None:
    seed_articles(live.store, 1)
    for query, form in (
        ("items", {"with_ids": "1,abc"}),
        ("items", {"since_id": "x"}),
        ("", {"mark": "item", "as": "eaten", "id": "1"}),
        ("", {"mark": "feed", "as": "saved", "id": "1"}),
        ("", {"mark": "group", "as": "read", "id": "12345"}),
        ("", {"mark": "planet", "as": "read", "id": "1"}),
        ("", {"mark": "item", "as": "read"}),
    ):
        answer = http.post(
            f"{live.url}/api/fever.php?api&{query}", data={"api_key": API_KEY, **form}
        )
        assert 400 <= answer.status_code < 500, (query, form, answer.text)
        assert answer.json()["error"]
    assert http.get(f"{live.url}/api/fever.php").status_code == 400


def test_users_never_see_each_others_state(live: LiveServer, fever: FreshRSSAPI) -> None:
    _, ids = seed_articles(live.store, 2)
    live.store.create_user(
        "reader2",
        hash_password("reader2 login pw"),
        api_password_hash=hash_password("reader2 api pw"),
        fever_api_key=fever_api_key("reader2", "reader2 api pw"),
    )
    fever.set_mark("read", ids[0])
    fever.set_mark("saved", ids[0])
    other = FreshRSSAPI(host=live.url, username="reader2", password="reader2 api pw")
    assert sorted(item.id for item in other.get_unreads()) == sorted(ids)
    assert other.get_saved() == []


def test_copies_are_left_out_unless_duplicates_are_shown(live: LiveServer) -> None:
    _, ids = seed_with_copy(live, 4, copy=2, of=0)
    copy = ids[2]
    everything = sorted(ids)
    answer = call(live, "items", since_id=0)
    listed = [i["id"] for i in answer["items"]]
    assert listed == [i for i in everything if i != copy]
    assert answer["total_items"] == 3
    newest = [i["id"] for i in call(live, "items", max_id=0)["items"]]
    assert newest == [i for i in everything[::-1] if i != copy]
    unread = {int(i) for i in call(live, "unread_item_ids")["unread_item_ids"].split(",")}
    assert unread == set(ids) - {copy}  # so a client never fetches the copy by id either
    # asked for by id, a copy is still given
    assert [i["id"] for i in call(live, "items", with_ids=str(copy))["items"]] == [copy]
    live.settings.show_duplicates = True  # the running app reads this very object
    try:
        answer = call(live, "items", since_id=0)
        assert [i["id"] for i in answer["items"]] == everything
        assert answer["total_items"] == 4
        unread = call(live, "unread_item_ids")["unread_item_ids"].split(",")
        assert {int(i) for i in unread} == set(ids)
    finally:
        live.settings.show_duplicates = False
