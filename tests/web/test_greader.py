"""The Google Reader API, driven by the third-party `google-reader` client (and raw calls for
what that client does not cover), against a real server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import google_reader
import httpx
import pytest

from newsdesk.model import Article
from newsdesk.web.auth.passwords import fever_api_key, hash_password
from tests.sites.hostile import HostileServer
from tests.web.conftest import ADMIN, ADMIN_API_PASSWORD, ADMIN_PASSWORD, LiveServer, seed_articles
from tests.web.copies import seed_with_copy

READING_LIST = google_reader.STREAM_READING_LIST
READ = google_reader.STREAM_READ
STARRED = google_reader.STREAM_STARRED


@pytest.fixture
def api(live: LiveServer) -> google_reader.Client:
    return google_reader.Client(f"{live.url}/api/greader")


@pytest.fixture
def auth(api: google_reader.Client) -> google_reader.AuthToken:
    return api.login(ADMIN, ADMIN_API_PASSWORD)


@pytest.fixture
def raw(live: LiveServer, auth: google_reader.AuthToken) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"GoogleLogin auth={auth.AccessToken}"}
    with httpx.Client(base_url=f"{live.url}/api/greader", headers=headers, timeout=30) as client:
        yield client


def short_id(long_id: str) -> int:
    assert long_id.startswith("tag:google.com,2005:reader/item/")
    hex_part = long_id.rsplit("/", 1)[1]
    assert len(hex_part) == 16
    return int(hex_part, 16)


def test_login_by_get_and_with_output_json_answers_auth_lines(live: LiveServer) -> None:
    """As FreshRSS answers: the fields may come in the query string, and output=json still
    gets the SID=/LSID=/Auth= lines apps read."""
    path = f"{live.url}/api/greader/accounts/ClientLogin"
    fields = {"Email": ADMIN, "Passwd": ADMIN_API_PASSWORD}
    for answer in (
        httpx.get(path, params=fields),
        httpx.post(path, params={"output": "json"}, data=fields),
        httpx.post(path, params={**fields, "output": "json"}),
    ):
        assert answer.status_code == 200, answer.text
        lines = dict(line.split("=", 1) for line in answer.text.strip().splitlines())
        assert lines["Auth"].startswith(f"{ADMIN}/") and set(lines) == {"SID", "LSID", "Auth"}
    assert httpx.get(path, params={"Email": ADMIN, "Passwd": "wrong"}).status_code == 401


def test_login_needs_the_api_password(api: google_reader.Client) -> None:
    token = api.login(ADMIN, ADMIN_API_PASSWORD)
    assert token.AccessToken.startswith(f"{ADMIN}/")
    with pytest.raises(google_reader.AuthenticationError):
        api.login(ADMIN, ADMIN_PASSWORD)  # the login password is not the API password
    with pytest.raises(google_reader.AuthenticationError):
        api.login("nobody", ADMIN_API_PASSWORD)


def test_bad_token_is_refused(api: google_reader.Client) -> None:
    forged = google_reader.AuthToken("GoogleLogin", f"{ADMIN}/{'0' * 64}")
    with pytest.raises(google_reader.AuthenticationError):
        api.get_user_info(forged)
    with pytest.raises(google_reader.AuthenticationError):
        api.get_token(google_reader.AuthToken("GoogleLogin", "no-slash"))


def test_token_and_user_info(api: google_reader.Client, auth: google_reader.AuthToken) -> None:
    assert len(api.get_token(auth)) >= 32
    info = api.get_user_info(auth)
    assert info.user_name == ADMIN
    assert info.user_id.isdigit()


def test_subscriptions_and_tags(
    live: LiveServer, api: google_reader.Client, auth: google_reader.AuthToken
) -> None:
    world, _ = seed_articles(live.store, 1, feed_url="https://world.example/rss", title="World",
                             folder="News")  # fmt: skip
    seed_articles(live.store, 1, feed_url="https://local.example/rss", title="Local")
    subs = {s.id: s for s in api.list_subscriptions(auth)}
    assert subs[f"feed/{world.id}"].title == "World"
    assert subs[f"feed/{world.id}"].url == "https://world.example/rss"
    assert [c.id for c in subs[f"feed/{world.id}"].categories] == ["user/-/label/News"]
    tags = {t.id: t for t in api.list_tags(auth)}
    assert STARRED in tags
    assert tags["user/-/label/News"].type == "folder"


def test_item_ids_pages_with_continuation(
    live: LiveServer, api: google_reader.Client, auth: google_reader.AuthToken
) -> None:
    _, ids = seed_articles(live.store, 7)
    seen: list[int] = []
    continuation = None
    for _ in range(10):
        page = api.get_stream_items_ids(auth, READING_LIST, limit=3, continuation=continuation)
        seen += [int(ref.id) for ref in page.item_refs]
        continuation = page.continuation
        if not continuation:
            break
    assert seen == ids  # newest first, each once


def test_read_and_starred_round_trip(
    live: LiveServer, api: google_reader.Client, auth: google_reader.AuthToken
) -> None:
    _, ids = seed_articles(live.store, 4)
    token = api.get_token(auth)
    contents = api.get_stream_items_contents(auth, token, [str(ids[0]), str(ids[1])])
    long_ids = [item.id for item in contents.items]
    assert [short_id(i) for i in long_ids] == [ids[0], ids[1]]
    assert api.edit_tags(auth, token, long_ids, add_tags=[READ])
    assert api.edit_tags(auth, token, [long_ids[1]], add_tags=[STARRED])

    unread = api.get_stream_items_ids(auth, READING_LIST, exclude_target=READ)
    assert [int(r.id) for r in unread.item_refs] == [ids[2], ids[3]]
    starred = api.get_stream_items_ids(auth, STARRED)
    assert [int(r.id) for r in starred.item_refs] == [ids[1]]
    read = api.get_stream_items_ids(auth, READ)
    assert [int(r.id) for r in read.item_refs] == [ids[0], ids[1]]
    starred_and_read = api.get_stream_items_ids(auth, READING_LIST, include_target=STARRED)
    assert [int(r.id) for r in starred_and_read.item_refs] == [ids[1]]

    item = api.get_stream_items_contents(auth, token, [long_ids[1]]).items[0]
    assert READ in item.categories and STARRED in item.categories

    assert api.edit_tags(auth, token, [long_ids[0]], remove_tags=[READ])
    assert api.edit_tags(auth, token, [long_ids[1]], remove_tags=[STARRED])
    assert [int(r.id) for r in api.get_stream_items_ids(auth, STARRED).item_refs] == []
    unread = api.get_stream_items_ids(auth, READING_LIST, exclude_target=READ)
    assert [int(r.id) for r in unread.item_refs] == [ids[0], ids[2], ids[3]]


def test_item_contents_are_sanitised_full_text(
    live: LiveServer, api: google_reader.Client, auth: google_reader.AuthToken
) -> None:
    feed, [article_id] = seed_articles(
        live.store,
        1,
        folder="World",
        make=lambda i: Article(
            url="https://news.example.org/a",
            title="A headline",
            html="<p>Body <b onclick='x()'>text</b></p><script>steal()</script>",
            text="Body text",
            authors=["A. Writer"],
            published=datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
        ),
    )
    token = api.get_token(auth)
    [item] = api.get_stream_items_contents(
        auth, token, [google_reader.get_long_item_id(article_id)]
    ).items
    assert item.title == "A headline"
    assert item.author == "A. Writer"
    # the body in "summary" only, as FreshRSS sends it (NewsFlash reads "content" and "summary"
    # as one field and fails on both)
    assert item.summary.content == "<p>Body <b>text</b></p>"
    assert item.content.content == ""
    assert item.alternate[0].href == "https://news.example.org/a"
    assert item.origin.stream_id == f"feed/{feed.id}"
    assert item.published == int(datetime(2026, 11, 1, 12, 0, tzinfo=UTC).timestamp())
    assert "user/-/label/World" in item.categories


def test_mark_all_as_read(
    live: LiveServer, api: google_reader.Client, auth: google_reader.AuthToken
) -> None:
    world, world_ids = seed_articles(live.store, 2, feed_url="https://world.example/rss")
    _, local_ids = seed_articles(live.store, 2, feed_url="https://local.example/rss")
    token = api.get_token(auth)
    assert api.mark_all_as_read(auth, token, f"feed/{world.id}")
    unread = api.get_stream_items_ids(auth, READING_LIST, exclude_target=READ)
    assert sorted(int(r.id) for r in unread.item_refs) == sorted(local_ids)
    assert api.mark_all_as_read(auth, token, READING_LIST)
    assert api.get_stream_items_ids(auth, READING_LIST, exclude_target=READ).item_refs == []
    with pytest.raises(google_reader.ResourceNotFoundError):
        api.mark_all_as_read(auth, token, "feed/99999")
    assert world_ids


def test_edit_subscription_rename_move_unsubscribe(
    live: LiveServer, api: google_reader.Client, auth: google_reader.AuthToken
) -> None:
    feed, _ = seed_articles(live.store, 1)
    token = api.get_token(auth)
    sid = f"feed/{feed.id}"
    assert api.edit_subscription(auth, token, sid, "edit", title="Renamed")
    assert api.edit_subscription(auth, token, sid, "edit", add_label_id="user/-/label/Sport")
    [sub] = api.list_subscriptions(auth)
    assert sub.title == "Renamed"
    assert [c.label for c in sub.categories] == ["Sport"]
    assert api.edit_subscription(auth, token, sid, "edit", remove_label_id="user/-/label/Sport")
    [uncategorized] = api.list_subscriptions(auth)[0].categories  # as FreshRSS files it
    assert uncategorized.id == "user/-/label/Uncategorized"
    ids = api.get_stream_items_ids(auth, "user/-/label/Uncategorized").item_refs
    assert len(ids) == 1
    assert api.mark_all_as_read(auth, token, "user/-/label/Uncategorized")
    assert api.get_stream_items_ids(auth, READING_LIST, exclude_target=READ).item_refs == []
    with pytest.raises(google_reader.ClientError):
        api.edit_subscription(auth, token, sid, "explode")  # type: ignore[arg-type]
    assert api.edit_subscription(auth, token, sid, "unsubscribe")
    assert api.list_subscriptions(auth) == []


def test_quickadd_and_subscribe_discover_a_real_feed(
    live: LiveServer, api: google_reader.Client, auth: google_reader.AuthToken
) -> None:
    token = api.get_token(auth)
    with HostileServer() as publisher:
        added = api.quick_add_subscription(auth, token, publisher.url("/feed.xml"))
        assert added.num_results == 1
        assert added.stream_id.startswith("feed/")
        assert added.query == publisher.url("/feed.xml")
        # a feed that cannot be added is a 200 with no result and the reason, as in FreshRSS
        for url in (publisher.url("/status/404"), "not a url"):
            assert api.quick_add_subscription(auth, token, url).num_results == 0
            failed = httpx.post(
                f"{live.url}/api/greader/reader/api/0/subscription/quickadd",
                params={"quickadd": url},
                headers={"Authorization": f"GoogleLogin auth={auth.AccessToken}"},
            )
            assert failed.status_code == 200 and failed.json()["error"]
        live.store.delete_feed(int(added.stream_id[5:]))
        assert api.edit_subscription(
            auth, token, "feed/" + publisher.url("/feed.xml"), "subscribe",
            add_label_id="user/-/label/Tech", title="Hostile",
        )  # fmt: skip
    [sub] = api.list_subscriptions(auth)
    assert sub.title == "Hostile"
    assert [c.label for c in sub.categories] == ["Tech"]


# --- what the client library does not cover: raw protocol calls ----------------------------


def test_stream_contents_for_each_stream_kind(live: LiveServer, raw: httpx.Client) -> None:
    world, world_ids = seed_articles(live.store, 3, feed_url="https://world.example/rss",
                                     folder="World")  # fmt: skip
    _, local_ids = seed_articles(live.store, 2, feed_url="https://local.example/rss")
    admin = live.store.find_user(ADMIN)
    live.store.set_starred(admin.id, [local_ids[0]], True)
    live.store.set_read(admin.id, [world_ids[0]], True)

    def ids(path: str, **params: object) -> list[int]:
        answer = raw.get(
            f"/reader/api/0/stream/contents/{path}", params={"output": "json", **params}
        )
        assert answer.status_code == 200, answer.text
        return [short_id(item["id"]) for item in answer.json()["items"]]

    everything = sorted(world_ids + local_ids, reverse=True)
    assert sorted(ids("user/-/state/com.google/reading-list"), reverse=True) == everything
    assert ids(f"feed/{world.id}") == world_ids
    assert ids("feed/https://world.example/rss") == world_ids
    assert ids("user/-/label/World") == world_ids
    assert ids("user/-/state/com.google/starred") == [local_ids[0]]
    assert ids(f"feed/{world.id}", xt=READ) == world_ids[1:]
    assert ids(f"feed/{world.id}", r="o") == list(reversed(world_ids))
    assert ids(f"feed/{world.id}", n=1) == world_ids[:1]
    # the bare endpoint with ?s= (BazQux / FreshRSS style)
    answer = raw.get("/reader/api/0/stream/contents", params={"s": f"feed/{world.id}"})
    assert [short_id(i["id"]) for i in answer.json()["items"]] == world_ids


def test_stream_contents_continuation_and_time_window(live: LiveServer, raw: httpx.Client) -> None:
    start = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    feed, ids = seed_articles(live.store, 5, start=start)  # one an hour back from `start`
    path = f"/reader/api/0/stream/contents/feed/{feed.id}"
    collected: list[int] = []
    params: dict[str, object] = {"n": 2}
    for _ in range(5):
        body = raw.get(path, params=params).json()
        collected += [short_id(item["id"]) for item in body["items"]]
        if "continuation" not in body:
            break
        params = {"n": 2, "c": body["continuation"]}
    assert collected == ids
    oldest_first: list[int] = []
    params = {"n": 2, "r": "o"}
    for _ in range(5):
        body = raw.get(path, params=params).json()
        oldest_first += [short_id(item["id"]) for item in body["items"]]
        if "continuation" not in body:
            break
        params = {"n": 2, "r": "o", "c": body["continuation"]}
    assert oldest_first == list(reversed(ids))


def test_time_window_is_on_when_newsdesk_got_the_item(live: LiveServer, raw: httpx.Client) -> None:
    """ot and nt select by crawl time, as timestampUsec and crawlTimeMsec give it: an app that
    syncs with ot=<last sync> gets items fetched since, however old their publish time."""
    now = datetime.now(UTC)
    feed, _ = live.store.add_feed("https://late.example/rss", title="Late")
    ids = []
    for hours in range(5):  # fetched 0..4 hours ago, all published a week before
        article = Article(url=f"https://late.example/{hours}", title=f"Late {hours}",
                          published=now - timedelta(days=7, hours=hours))  # fmt: skip
        article_id, _ = live.store.save_article(
            article, feed_id=feed.id, fetched_at=now - timedelta(hours=hours)
        )
        ids.append(article_id)
    path = f"/reader/api/0/stream/contents/feed/{feed.id}"
    ot = int((now - timedelta(hours=2, minutes=30)).timestamp())  # newer than 2.5 h ago
    nt = int((now - timedelta(minutes=30)).timestamp())  # older than 30 min ago
    body = raw.get(path, params={"ot": ot, "nt": nt}).json()
    assert [short_id(item["id"]) for item in body["items"]] == ids[1:3]
    body = raw.get(path, params={"ot": int((now - timedelta(hours=1, minutes=30)).timestamp())})
    [newest, second] = body.json()["items"]
    assert int(newest["timestampUsec"]) // 1_000_000 == int(now.timestamp())
    assert int(newest["crawlTimeMsec"]) == int(newest["timestampUsec"]) // 1000
    assert newest["published"] == int((now - timedelta(days=7)).timestamp())
    refs = raw.get("/reader/api/0/stream/items/ids", params={"s": f"feed/{feed.id}", "ot": ot})
    assert [int(ref["id"]) for ref in refs.json()["itemRefs"]] == ids[:3]
    assert refs.json()["itemRefs"][0]["timestampUsec"] == newest["timestampUsec"]
    # mark-all-as-read's ts is such a timestamp: what came later stays unread
    token = raw.get("/reader/api/0/token").text
    up_to_second = {"s": f"feed/{feed.id}", "ts": second["timestampUsec"], "T": token}
    done = raw.post("/reader/api/0/mark-all-as-read", data=up_to_second)
    assert done.text == "OK"
    unread = raw.get("/reader/api/0/stream/items/ids",
                     params={"s": f"feed/{feed.id}", "xt": READ}).json()  # fmt: skip
    assert [int(ref["id"]) for ref in unread["itemRefs"]] == ids[:1]


def test_item_id_forms_accepted(live: LiveServer, raw: httpx.Client) -> None:
    _, [first, second, third] = seed_articles(live.store, 3)
    forms = [
        f"tag:google.com,2005:reader/item/{first:016x}",  # long, padded
        f"tag:google.com,2005:reader/item/{second:x}",  # long, unpadded (NetNewsWire)
        f"{third:016x}",  # bare 16 hex (Reeder)
    ]
    answer = raw.post("/reader/api/0/stream/items/contents", data={"i": forms})
    assert sorted(short_id(i["id"]) for i in answer.json()["items"]) == [first, second, third]
    decimal = raw.post("/reader/api/0/stream/items/contents", data={"i": [str(second)]})
    assert [short_id(i["id"]) for i in decimal.json()["items"]] == [second]
    bad = raw.post("/reader/api/0/stream/items/contents", data={"i": ["tag:nonsense"]})
    assert bad.status_code == 400 and "item id" in bad.json()["error"]


def test_unread_count(live: LiveServer, raw: httpx.Client) -> None:
    world, world_ids = seed_articles(live.store, 3, feed_url="https://world.example/rss",
                                     folder="World")  # fmt: skip
    local, _ = seed_articles(live.store, 2, feed_url="https://local.example/rss")
    live.store.set_read(live.store.find_user(ADMIN).id, [world_ids[0]], True)
    body = raw.get("/reader/api/0/unread-count", params={"output": "json"}).json()
    counts = {row["id"]: row["count"] for row in body["unreadcounts"]}
    assert counts[f"feed/{world.id}"] == 2
    assert counts[f"feed/{local.id}"] == 2
    assert counts["user/-/label/World"] == 2
    assert counts[READING_LIST] == 4
    assert body["max"] == 4
    newest = {row["id"]: int(row["newestItemTimestampUsec"]) for row in body["unreadcounts"]}
    assert newest[f"feed/{world.id}"] > 0
    # asked again after a change (here a read mark set elsewhere): the counts follow it
    live.store.set_read(live.store.find_user(ADMIN).id, [world_ids[1]], True)
    again = raw.get("/reader/api/0/unread-count", params={"output": "json"}).json()
    assert {row["id"]: row["count"] for row in again["unreadcounts"]}[f"feed/{world.id}"] == 1
    assert again["max"] == 3


def test_bad_input_is_a_clear_4xx(live: LiveServer, raw: httpx.Client) -> None:
    seed_articles(live.store, 1)
    for method, path, params in (
        ("GET", "/reader/api/0/stream/contents/feed/424242", {}),
        ("GET", "/reader/api/0/stream/contents/bogus/stream", {}),
        ("GET", "/reader/api/0/stream/items/ids", {}),
        ("GET", "/reader/api/0/stream/items/ids", {"s": READING_LIST, "n": "many"}),
        ("GET", "/reader/api/0/stream/items/ids", {"s": READING_LIST, "c": "garbage!"}),
        ("POST", "/reader/api/0/edit-tag", {"i": "1"}),
        ("POST", "/reader/api/0/edit-tag", {"i": "1", "a": "user/-/state/com.google/nope"}),
        ("POST", "/reader/api/0/mark-all-as-read", {}),
        ("POST", "/reader/api/0/subscription/edit", {"ac": "edit"}),
    ):
        answer = raw.get(path, params=params) if method == "GET" else raw.post(path, data=params)
        assert 400 <= answer.status_code < 500, (path, params, answer.status_code)
        assert answer.json()["error"], (path, params)


def test_users_never_see_each_others_state(live: LiveServer, raw: httpx.Client) -> None:
    _, ids = seed_articles(live.store, 2)
    other = live.store.create_user(
        "reader2",
        hash_password("reader2 login pw"),
        api_password_hash=hash_password("reader2 api pw"),
        fever_api_key=fever_api_key("reader2", "reader2 api pw"),
    )
    assert other.username == "reader2"
    raw.post("/reader/api/0/edit-tag", data={"i": [str(ids[0])], "a": [READ, STARRED]})
    client = google_reader.Client(f"{live.url}/api/greader")
    auth2 = client.login("reader2", "reader2 api pw")
    assert client.get_stream_items_ids(auth2, STARRED).item_refs == []
    unread = client.get_stream_items_ids(auth2, READING_LIST, exclude_target=READ)
    assert [int(r.id) for r in unread.item_refs] == ids
    token2 = client.get_token(auth2)
    [item] = client.get_stream_items_contents(auth2, token2, [str(ids[0])]).items
    assert READ not in item.categories and STARRED not in item.categories


def test_duplicates_are_shown_per_request(
    live: LiveServer, raw: httpx.Client, api: google_reader.Client,
    auth: google_reader.AuthToken,
) -> None:  # fmt: skip
    feed, ids = seed_with_copy(live, 4, copy=2, of=0)
    copy = ids[2]
    without = [i for i in ids if i != copy]
    listed = api.get_stream_items_ids(auth, READING_LIST)
    assert [int(r.id) for r in listed.item_refs] == without
    ids_path = "/reader/api/0/stream/items/ids"
    answer = raw.get(ids_path, params={"s": READING_LIST, "duplicates": "true"})
    assert [int(r["id"]) for r in answer.json()["itemRefs"]] == ids
    contents_path = "/reader/api/0/stream/contents/" + READING_LIST
    plain = raw.get(contents_path).json()["items"]
    assert [short_id(item["id"]) for item in plain] == without
    shown = raw.get(contents_path, params={"duplicates": "1"}).json()["items"]
    assert [short_id(item["id"]) for item in shown] == ids
    # a feed's own stream leaves copies out as every stream does, unless the request says
    feed_ids = raw.get(ids_path, params={"s": f"feed/{feed.id}"}).json()["itemRefs"]
    assert [int(r["id"]) for r in feed_ids] == without
    feed_ids = raw.get(ids_path, params={"s": f"feed/{feed.id}", "duplicates": "true"})
    assert [int(r["id"]) for r in feed_ids.json()["itemRefs"]] == ids
    bad = raw.get(ids_path, params={"s": READING_LIST, "duplicates": "maybe"})
    assert bad.status_code == 400 and "duplicates" in bad.json()["error"]
    # every count counts what its stream lists, so the feeds add up to the reading list
    for duplicates, listed_ids in (("false", without), ("true", ids)):
        query = {"output": "json", "duplicates": duplicates}
        counted = raw.get("/reader/api/0/unread-count", params=query).json()
        counts = {row["id"]: row["count"] for row in counted["unreadcounts"]}
        assert counts[f"feed/{feed.id}"] == counts[READING_LIST] == len(listed_ids)
        assert counted["max"] == len(listed_ids)
        for sid in (f"feed/{feed.id}", READING_LIST):
            unread = raw.get(ids_path, params={"s": sid, "xt": READ, "duplicates": duplicates})
            assert len(unread.json()["itemRefs"]) == counts[sid]
    counted = raw.get("/reader/api/0/unread-count").json()  # the default: copies left out
    counts = {row["id"]: row["count"] for row in counted["unreadcounts"]}
    assert counts[f"feed/{feed.id}"] == counts[READING_LIST] == len(without)


def test_a_token_kept_between_calls_is_refused_once_the_api_password_changes(
    live: LiveServer, raw: httpx.Client
) -> None:
    seed_articles(live.store, 3)
    first = raw.get("/reader/api/0/unread-count", params={"output": "json"})
    again = raw.get("/reader/api/0/unread-count", params={"output": "json"})
    assert first.status_code == again.status_code == 200
    assert first.headers["content-type"].startswith("application/json")
    assert again.json() == first.json()
    assert first.json()["max"] == 3
    user = live.store.find_user(ADMIN)
    live.store.set_api_password(user.id, hash_password("a new api password"),
                                fever_api_key(ADMIN, "a new api password"))  # fmt: skip
    assert raw.get("/reader/api/0/unread-count", params={"output": "json"}).status_code == 401
    assert raw.get("/reader/api/0/user-info").status_code == 401


def test_rename_and_disable_a_folder(
    live: LiveServer, api: google_reader.Client, auth: google_reader.AuthToken
) -> None:
    world, _ = seed_articles(live.store, 2, feed_url="https://world.example/rss", title="World",
                             folder="News")  # fmt: skip
    token = api.get_token(auth)
    assert api.rename_tag(auth, token, "user/-/label/News", "Headlines")
    [sub] = api.list_subscriptions(auth)
    assert [c.id for c in sub.categories] == ["user/-/label/Headlines"]
    ids = api.get_stream_items_ids(auth, "user/-/label/Headlines")
    assert len(ids.item_refs) == 2
    with pytest.raises(google_reader.ClientError):
        api.rename_tag(auth, token, "user/-/label/News", "Again")  # no such folder any more
    assert api.disable_tag(auth, token, "user/-/label/Headlines")
    [sub] = api.list_subscriptions(auth)
    assert sub.id == f"feed/{world.id}"  # still subscribed, in no folder
    assert "user/-/label/Headlines" not in [tag.id for tag in api.list_tags(auth)]
    with pytest.raises(google_reader.ClientError):
        api.disable_tag(auth, token, "user/-/label/Headlines")
