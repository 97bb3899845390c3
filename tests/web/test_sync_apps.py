"""Sync sequences of real apps, call by call in their order, with the parameters in the form
they send them, against a real newsdesk server on 127.0.0.1; each asserts the parts of the
answers the app relies on.

- NetNewsWire's Reader API account (Account/Sources/Account/ReaderAPI/ReaderAPICaller.swift):
  ClientLogin, token, tag list, subscription list, item ids since the last sync (`ot` with a
  fraction of a second), item contents by unpadded hex id, unread and starred ids, edit-tag by
  16-hex id, and the subscription and folder edits.
- Read You's Google Reader account (GoogleReaderAPI.kt): ClientLogin with output=json, token,
  user info, subscription list, unread, starred and read ids (`ot` in seconds), item contents
  by 16-hex id, edit-tag by long-form id, mark-all-as-read with `ts`, quickadd, subscription
  edits, rename-tag, disable-tag.
- NewsFlash's FreshRSS account (the `news_flash` crate through the `greader_api` crate):
  ClientLogin, token, user info, subscription and tag lists, stream preferences, unread counts,
  the unread, starred and recently read streams page by page, then later syncs by item ids,
  `ot` and items by long-form id; edit-tag, mark-all-as-read, subscribe, quickadd, edit, move,
  rename-tag, disable-tag, unsubscribe. Every answer is read as greader_api's serde structs
  read it (required fields, types, aliases).
- Fluent Reader's Google Reader service (src/scripts/models/services/greader.ts): ClientLogin
  (`Auth=` matched), user-info, subscription list, the reading list 125 at a time from `ot` of
  the newest item's crawl time down to the last id it has, unread and starred ids 1,000 at a
  time, edit-tag by decimal id without a token, mark-all-as-read without `ts`; and its Fever
  service (fever.ts): items walked down from max_id = Number.MAX_SAFE_INTEGER, id lists, marks.
- The Fever protocol as Fever clients (Reeder, Unread, ReadKit, Fluent Reader) walk it: auth,
  groups, feeds, favicons, unread and saved ids, items paged by since_id, items by id, and every
  mark.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from tests.sites.hostile import HostileServer
from tests.web import http
from tests.web.conftest import ADMIN, ADMIN_API_PASSWORD, LiveServer, seed_articles

READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
READING_LIST = "user/-/state/com.google/reading-list"
API_KEY = hashlib.md5(f"{ADMIN}:{ADMIN_API_PASSWORD}".encode()).hexdigest()


class NetNewsWire:
    """The calls of NetNewsWire's ReaderAPICaller, as it builds them."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = httpx.Client(base_url=base, timeout=30)
        self.token = ""

    def login(self) -> None:
        answer = self.http.post("/accounts/ClientLogin",
                                data={"Email": ADMIN, "Passwd": ADMIN_API_PASSWORD})  # fmt: skip
        assert answer.status_code == 200
        auth = {}
        for line in answer.text.split("\n"):  # split at "=", the second part kept
            if line:
                key, value = line.split("=")[:2]
                auth[key] = value
        self.http.headers["Authorization"] = f"GoogleLogin auth={auth['Auth']}"
        self.token = self.http.get("/reader/api/0/token").text  # the whole body is T

    def get(self, path: str, **params: object) -> dict:
        answer = self.http.get(f"/reader/api/0/{path}", params={**params, "output": "json"})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def post(self, path: str, body: str) -> httpx.Response:
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        payload = f"T={self.token}&{body}".encode()
        return self.http.post(f"/reader/api/0/{path}", content=payload, headers=form)

    def item_ids(self, **params: object) -> list[int]:
        return [int(ref["id"]) for ref in self.get("stream/items/ids", **params)["itemRefs"]]

    def contents(self, ids: list[int]) -> list[dict]:
        # ids as unpadded lowercase hex, as NetNewsWire converts itemRefs
        body = "output=json&" + "&".join(f"i={i:x}" for i in ids)
        answer = self.post("stream/items/contents", body)
        assert answer.status_code == 200, answer.text
        return answer.json()["items"]

    def mark(self, ids: list[int], state: str, add: bool) -> None:
        body = "&".join(f"i={i:016x}" for i in ids) + f"&{'a' if add else 'r'}={state}"
        assert self.post("edit-tag", body).text == "OK"


@pytest.fixture
def nnw(live: LiveServer) -> Iterator[NetNewsWire]:
    app = NetNewsWire(f"{live.url}/api/greader")
    yield app
    app.http.close()


def test_netnewswire_sync(live: LiveServer, nnw: NetNewsWire) -> None:
    world, world_ids = seed_articles(live.store, 30, feed_url="https://world.example/rss",
                                     title="World", folder="News")  # fmt: skip
    local, local_ids = seed_articles(live.store, 3, feed_url="https://local.example/rss",
                                     title="Local")  # fmt: skip
    nnw.login()
    assert len(nnw.token.strip()) >= 32

    tags = nnw.get("tag/list")["tags"]
    folders = {t["id"] for t in tags if t.get("type") == "folder"}
    assert folders == {"user/-/label/News", "user/-/label/Uncategorized"}
    subs = {s["id"]: s for s in nnw.get("subscription/list")["subscriptions"]}
    assert subs[f"feed/{world.id}"]["categories"][0]["id"] == "user/-/label/News"
    assert subs[f"feed/{local.id}"]["categories"][0]["label"] == "Uncategorized"
    assert subs[f"feed/{world.id}"]["url"] == "https://world.example/rss"

    # the first sync: every unread item of the last three months, then their contents
    since = f"{time.time() - 90 * 86400:.6f}"
    unread = nnw.item_ids(ot=since, n=10000, xt=READ, s=READING_LIST)
    assert sorted(unread) == sorted(world_ids + local_ids)
    items = nnw.contents(unread)
    assert sorted(int(item["id"].rsplit("/", 1)[1], 16) for item in items) == sorted(unread)
    by_origin = {item["origin"]["streamId"] for item in items}
    assert by_origin == {f"feed/{world.id}", f"feed/{local.id}"}
    for item in items:
        assert item["id"].startswith("tag:google.com,2005:reader/item/")
        assert int(item["timestampUsec"]) // 1000 == int(item["crawlTimeMsec"])
        assert item["published"] > 0 and item["alternate"][0]["href"].startswith("https://")
        assert READING_LIST in item["categories"] and item["summary"]["content"]

    # status sync: unread and starred ids, then marks sent back as 16-hex ids
    assert sorted(nnw.item_ids(s=READING_LIST, n=10000, xt=READ)) == sorted(unread)
    assert nnw.item_ids(s=STARRED, n=10000) == []
    nnw.mark(world_ids[:2], READ, add=True)
    nnw.mark(world_ids[2:3], STARRED, add=True)
    assert nnw.item_ids(s=STARRED, n=10000) == world_ids[2:3]
    left = nnw.item_ids(s=READING_LIST, n=10000, xt=READ)
    assert sorted(left) == sorted(set(unread) - set(world_ids[:2]))
    nnw.mark(world_ids[:1], READ, add=False)
    assert world_ids[0] in nnw.item_ids(s=READING_LIST, n=10000, xt=READ)

    # a later sync asks only for what came since
    assert nnw.item_ids(ot=f"{time.time() + 60:.6f}", n=10000, xt=READ, s=READING_LIST) == []
    # one feed's items (after adding a feed)
    assert sorted(nnw.item_ids(s=f"feed/{local.id}", ot=since)) == sorted(local_ids)


def test_netnewswire_edits_subscriptions_and_folders(live: LiveServer, nnw: NetNewsWire) -> None:
    nnw.login()
    with HostileServer() as publisher:
        feed_url = publisher.url("/feed.xml")
        body = f"ac=subscribe&s=feed/{feed_url}&a=user/-/label/Tech&t=Hostile"
        assert nnw.post("subscription/edit", body).text == "OK"
    # NetNewsWire finds the new subscription by its URL
    [sub] = [s for s in nnw.get("subscription/list")["subscriptions"] if s["url"] == feed_url]
    assert sub["title"] == "Hostile"
    assert sub["categories"][0]["id"] == "user/-/label/Tech"
    sid = sub["id"]
    assert nnw.post("subscription/edit", f"s={sid}&ac=edit&t=Renamed").text == "OK"
    assert nnw.post("subscription/edit", f"s={sid}&ac=edit&a=user/-/label/Work").text == "OK"
    assert nnw.post("subscription/edit", f"s={sid}&ac=edit&r=user/-/label/Work").text == "OK"
    assert nnw.post("subscription/edit", f"s={sid}&ac=edit&a=user/-/label/Tech").text == "OK"
    rename = "s=user/-/label/Tech&dest=user/-/label/Science"
    assert nnw.post("rename-tag", rename).text == "OK"
    [sub] = nnw.get("subscription/list")["subscriptions"]
    assert (sub["title"], sub["categories"][0]["id"]) == ("Renamed", "user/-/label/Science")
    assert nnw.post("disable-tag", "s=user/-/label/Science").text == "OK"
    [sub] = nnw.get("subscription/list")["subscriptions"]
    assert sub["categories"][0]["id"] == "user/-/label/Uncategorized"
    assert nnw.post("subscription/edit", f"s={sid}&ac=unsubscribe").text == "OK"
    assert nnw.get("subscription/list")["subscriptions"] == []


class ReadYou:
    """The calls of Read You's GoogleReaderAPI.kt: every call with ?output=json, forms with the
    action token T, item contents by 16-hex id, marks by long-form id."""

    def __init__(self, base: str) -> None:
        self.http = httpx.Client(base_url=base, timeout=30)
        self.token = ""

    def login(self) -> None:
        form = {"output": "json", "Email": ADMIN, "Passwd": ADMIN_API_PASSWORD, "client": "ReadYou",
                "accountType": "HOSTED_OR_GOOGLE", "service": "reader"}  # fmt: skip
        answer = self.http.post("/accounts/ClientLogin", data=form)
        assert answer.status_code == 200
        # JSON first (Miniflux), else the Auth= line
        auth = next(line[5:] for line in answer.text.split("\n") if line.startswith("Auth="))
        self.http.headers["Authorization"] = f"GoogleLogin auth={auth}"
        self.token = self.http.get("/reader/api/0/token").text

    def get(self, path: str, **params: object) -> dict:
        answer = self.http.get(f"/reader/api/0/{path}", params={"output": "json", **params})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def post(self, path: str, form: list[tuple[str, str]], **params: str) -> httpx.Response:
        fields: dict[str, list[str]] = {}
        for name, value in [*form, ("T", self.token)]:
            fields.setdefault(name, []).append(value)
        answer = self.http.post(f"/reader/api/0/{path}", params={"output": "json", **params},
                                data=fields)  # fmt: skip
        assert answer.status_code == 200, answer.text
        return answer

    def ids(self, **params: object) -> list[int]:
        return sorted(int(r["id"]) for r in self.get("stream/items/ids", **params)["itemRefs"])


def test_read_you_sync(live: LiveServer) -> None:
    world, world_ids = seed_articles(live.store, 5, feed_url="https://world.example/rss",
                                     title="World", folder="News")  # fmt: skip
    app = ReadYou(f"{live.url}/api/greader")
    app.login()
    assert app.get("user-info")["userName"] == ADMIN
    [sub] = app.get("subscription/list")["subscriptions"]
    assert sub["id"] == f"feed/{world.id}" and sub["categories"][0]["id"] == "user/-/label/News"
    assert app.ids(s=READING_LIST, xt=READ, n=10000) == sorted(world_ids)
    assert app.ids(s=STARRED, n=10000) == []
    since = int(time.time()) - 86400
    assert app.ids(s=READ, ot=since, n=10000) == []
    contents = app.post("stream/items/contents", [("i", f"{i:016x}") for i in world_ids])
    assert len(contents.json()["items"]) == len(world_ids)

    long_id = f"tag:google.com,2005:reader/item/{world_ids[0]:016x}"
    assert app.post("edit-tag", [("i", long_id), ("a", READ)]).text == "OK"
    assert app.post("edit-tag", [("i", long_id), ("a", STARRED)]).text == "OK"
    assert app.ids(s=READ, ot=since, n=10000) == [world_ids[0]]
    assert app.ids(s=STARRED, n=10000) == [world_ids[0]]
    newest = contents.json()["items"][0]["timestampUsec"]
    assert app.post("mark-all-as-read", [("s", f"feed/{world.id}"), ("ts", newest)]).text == "OK"
    assert app.ids(s=READING_LIST, xt=READ, n=10000) == []

    with HostileServer() as publisher:
        url = publisher.url("/feed.xml")
        added = app.post("subscription/quickadd", [("quickadd", url)], quickadd=url).json()
        assert added["numResults"] == 1 and added["streamId"].startswith("feed/")
        missing = publisher.url("/status/404")
        failed = app.post("subscription/quickadd", [("quickadd", missing)], quickadd=missing)
        assert failed.json()["numResults"] == 0
    feed_id = added["streamId"]
    edit = [("ac", "edit"), ("s", feed_id), ("a", "user/-/label/Tech"), ("t", "Mine")]
    assert app.post("subscription/edit", edit).text == "OK"
    rename = [("s", "user/-/label/Tech"), ("dest", "user/-/label/Science")]
    assert app.post("rename-tag", rename).text == "OK"
    assert app.post("disable-tag", [("s", "user/-/label/Science")]).text == "OK"
    assert app.post("subscription/edit", [("ac", "unsubscribe"), ("s", feed_id)]).text == "OK"
    assert [s["id"] for s in app.get("subscription/list")["subscriptions"]] == [f"feed/{world.id}"]


def fever(live: LiveServer, query: str, **form: object) -> dict:
    answer = http.post(f"{live.url}/api/fever.php?api{query}", data={"api_key": API_KEY, **form})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["api_version"] == 3 and body["auth"] == 1
    return body


def ids_of(text: str) -> list[int]:
    return sorted(int(i) for i in text.split(",") if i)


def test_fever_sync(live: LiveServer) -> None:
    world, world_ids = seed_articles(live.store, 60, feed_url="https://world.example/rss",
                                     title="World", folder="News")  # fmt: skip
    local, local_ids = seed_articles(live.store, 2, feed_url="https://local.example/rss",
                                     title="Local")  # fmt: skip
    everything = sorted(world_ids + local_ids)
    assert fever(live, "")["last_refreshed_on_time"] >= 0

    groups = fever(live, "&groups")
    titles = {g["id"]: g["title"] for g in groups["groups"]}
    assert sorted(titles.values()) == ["News", "Uncategorized"]
    grouped = {g["group_id"]: ids_of(g["feed_ids"]) for g in groups["feeds_groups"]}
    news = next(i for i, title in titles.items() if title == "News")
    assert grouped[news] == [world.id]
    feeds = fever(live, "&feeds")
    assert sorted(f["id"] for f in feeds["feeds"]) == sorted([world.id, local.id])
    icons = {icon["id"] for icon in fever(live, "&favicons")["favicons"]}
    assert {f["favicon_id"] for f in feeds["feeds"]} <= icons

    assert ids_of(fever(live, "&unread_item_ids")["unread_item_ids"]) == everything
    assert fever(live, "&saved_item_ids")["saved_item_ids"] == ""
    # items from the first, 50 at a time by since_id, until an empty page
    fetched: list[int] = []
    since_id = 0
    while True:
        page = fever(live, f"&items&since_id={since_id}")
        assert page["total_items"] == len(everything)
        if not page["items"]:
            break
        fetched += [item["id"] for item in page["items"]]
        since_id = max(item["id"] for item in page["items"])
    assert fetched == everything
    [item] = fever(live, f"&items&with_ids={local_ids[0]}")["items"]
    assert item["feed_id"] == local.id and item["is_read"] == 0 and item["created_on_time"] > 0
    older = fever(live, f"&items&max_id={everything[-1]}")["items"]
    assert [i["id"] for i in older] == sorted(everything[:-1], reverse=True)[:50]

    marked = fever(live, "", mark="item", id=local_ids[0], **{"as": "read"})
    assert local_ids[0] not in ids_of(marked["unread_item_ids"])
    fever(live, "", mark="item", id=local_ids[0], **{"as": "unread"})
    saved = fever(live, "", mark="item", id=world_ids[0], **{"as": "saved"})
    assert ids_of(saved["saved_item_ids"]) == [world_ids[0]]
    fever(live, "", mark="item", id=world_ids[0], **{"as": "unsaved"})
    assert fever(live, "&saved_item_ids")["saved_item_ids"] == ""
    now = int(time.time()) + 5
    after_feed = fever(live, "", mark="feed", id=local.id, before=now, **{"as": "read"})
    assert ids_of(after_feed["unread_item_ids"]) == sorted(world_ids)
    uncategorized = next(i for i, title in titles.items() if title == "Uncategorized")
    fever(live, "", mark="item", id=local_ids[1], **{"as": "unread"})
    after_group = fever(live, "", mark="group", id=uncategorized, before=now, **{"as": "read"})
    assert ids_of(after_group["unread_item_ids"]) == sorted(world_ids)
    after_all = fever(live, "", mark="group", id=0, before=now, **{"as": "read"})
    assert after_all["unread_item_ids"] == ""


# --- NewsFlash -------------------------------------------------------------------------------
# NewsFlash's FreshRSS account (the `news_flash` crate, src/util/greader.rs) talks through the
# `greader_api` crate, which reads every answer into serde structs: a missing field that is not
# an Option, a null where a string is wanted, a list where an object is, or a field sent under
# its name and its alias at once fails the whole call. MODELS are those structs' fields as the
# crate declares them (src/models/*.rs): (JSON name, type, required). Unknown fields are ignored,
# as serde does.

Model = dict[str, tuple[object, bool]]
ORIGIN: Model = {"streamId": (str, True), "title": (str, True), "htmlUrl": (str, False)}
SUMMARY: Model = {"content": (str, True), "direction": (str, False)}
HREF: Model = {"href": (str, True)}
ITEM: Model = {
    "origin": (ORIGIN, True), "updated": (int, False), "id": (str, True),
    "categories": ([str], True), "author": (str, False), "alternate": ([HREF], True),
    "timestampUsec": (str, True), "crawlTimeMsec": (str, True), "published": (int, True),
    "title": (str, False), "content|summary": (SUMMARY, False), "enclosure": ([dict], False),
}  # fmt: skip
STREAM: Model = {
    "direction": (str, False), "id": (str, True), "title": (str, False),
    "description": (str, False), "self": (HREF, False), "updated": (int, True),
    "updatedUsec": (str, False), "items": ([ITEM], True), "continuation": (str, False),
}  # fmt: skip
CATEGORY: Model = {"id": (str, True), "label": (str, True)}
FEEDS: Model = {"subscriptions": ([{
    "id": (str, True), "title": (str, True), "categories": ([CATEGORY], True), "url": (str, True),
    "htmlUrl": (str, True), "iconUrl": (str, True), "sortid": (str, False),
}], True)}  # fmt: skip
TAGGINGS: Model = {"tags": ([{"id": (str, True), "type": (str, False), "sortid": (str, False)}],
                            True)}  # fmt: skip
UNREAD: Model = {"max": (int, True), "unreadcounts": ([{
    "count": (int, True), "id": (str, True), "newestItemTimestampUsec": (str, True),
}], True)}  # fmt: skip
ITEM_REFS: Model = {"itemRefs": ([{"id": (str, True)}], False), "continuation": (str, False)}
QUICK_FEED: Model = {"numResults": (int, True), "query": (str, True), "streamId": (str, True),
                     "streamName": (str, False)}  # fmt: skip
USER: Model = {"userId": (str, True), "userName": (str, True)}
STREAM_PREFS: Model = {"streamprefs": (dict, True)}


def serde(value: object, kind: object, where: str = "$") -> None:
    """Fail as serde_json would reading `value` into `kind` (a Model, [kind], or a type)."""
    if isinstance(kind, list):
        assert isinstance(value, list), f"{where}: a list is wanted, not {value!r:.80}"
        for number, element in enumerate(value):
            serde(element, kind[0], f"{where}[{number}]")
    elif isinstance(kind, dict) and kind and all(isinstance(v, tuple) for v in kind.values()):
        assert isinstance(value, dict), f"{where}: an object is wanted, not {value!r:.80}"
        for names, (field, required) in kind.items():
            given = [name for name in names.split("|") if name in value]
            assert len(given) <= 1, f"{where}: duplicate field {names.split('|')[0]!r}"
            if not given or value[given[0]] is None:
                assert not required, f"{where}.{names}: missing field"
                continue
            serde(value[given[0]], field, f"{where}.{given[0]}")
    elif kind is int:
        assert isinstance(value, int) and not isinstance(value, bool), f"{where}: {value!r}"
        assert value >= 0, f"{where}: unsigned"
    else:
        assert isinstance(value, kind), f"{where}: {kind} is wanted, not {value!r:.80}"  # type: ignore[arg-type]


class NewsFlash:
    """greader_api's calls as NewsFlash makes them: every GET with output=json, every POST a
    form with the token T, item ids in their long form (GOOGLE_ITEM_PREFIX and 16 hex)."""

    def __init__(self, base: str) -> None:
        self.http = httpx.Client(base_url=base, timeout=30)
        self.token = ""

    def login(self) -> None:  # GoogleAuth: ClientLogin, then the Auth= line
        answer = self.http.post("/accounts/ClientLogin",
                                data={"Email": ADMIN, "Passwd": ADMIN_API_PASSWORD})  # fmt: skip
        assert answer.status_code == 200
        auth = next(line[5:] for line in answer.text.splitlines() if line.startswith("Auth="))
        self.http.headers["Authorization"] = f"GoogleLogin auth={auth}"
        self.token = self.http.get("/reader/api/0/token").text.strip()

    def get(self, path: str, model: Model, **params: object) -> dict:
        answer = self.http.get(f"/reader/api/0/{path}", params={"output": "json", **params})
        assert answer.status_code == 200, (path, answer.text)
        body = answer.json()
        serde(body, model, path)
        return body

    def post(self, path: str, form: list[tuple[str, str]]) -> httpx.Response:
        fields: dict[str, list[str]] = {}
        for name, value in [*form, ("T", self.token)]:
            fields.setdefault(name, []).append(value)
        answer = self.http.post(f"/reader/api/0/{path}", data=fields)
        assert answer.status_code == 200, (path, answer.text)
        return answer

    def stream(self, stream_id: str, **params: object) -> list[dict]:
        """stream_contents, every page: /stream/contents/<stream> with n, xt, it, ot, r, c."""
        items: list[dict] = []
        while True:
            page = self.get(f"stream/contents/{stream_id}", STREAM, n=100, **params)
            items += page["items"]
            if not page.get("continuation"):
                return items
            params["c"] = page["continuation"]

    def ids(self, stream_id: str, **params: object) -> list[int]:
        """items_ids, every page, as decimal ids."""
        refs: list[int] = []
        while True:
            page = self.get("stream/items/ids", ITEM_REFS, s=stream_id, n=1000,
                            includeAllDirectStreamIds="false", **params)  # fmt: skip
            refs += [int(ref["id"]) for ref in page.get("itemRefs") or []]
            if not page.get("continuation"):
                return sorted(refs)
            params["c"] = page["continuation"]

    def contents(self, ids: list[int]) -> list[dict]:
        answer = self.post("stream/items/contents", [("i", long_id(i)) for i in ids])
        body = answer.json()
        serde(body, STREAM, "stream/items/contents")
        return body["items"]


def long_id(article_id: int) -> str:
    return f"tag:google.com,2005:reader/item/{article_id:016x}"


def item_number(item: dict) -> int:
    return int(item["id"].rsplit("/", 1)[1], 16)


def test_newsflash_sync(live: LiveServer) -> None:
    world, world_ids = seed_articles(live.store, 120, feed_url="https://world.example/rss",
                                     title="World", folder="News")  # fmt: skip
    local, local_ids = seed_articles(live.store, 3, feed_url="https://local.example/rss",
                                     title="Local")  # fmt: skip
    user = live.store.find_user(ADMIN)
    live.store.set_read(user.id, world_ids[100:])  # the oldest twenty read
    live.store.set_starred(user.id, world_ids[110:112])
    app = NewsFlash(f"{live.url}/api/greader")
    app.login()
    assert app.get("user-info", USER)["userName"] == ADMIN

    # the first sync: feeds and their folders, labels, counts, then the articles by stream
    feeds = {f["id"]: f for f in app.get("subscription/list", FEEDS)["subscriptions"]}
    assert feeds[f"feed/{world.id}"]["categories"] == [
        {"id": "user/-/label/News", "label": "News", "type": "folder"}]  # fmt: skip
    assert feeds[f"feed/{local.id}"]["categories"][0]["label"] == "Uncategorized"
    assert all(f["iconUrl"].startswith(live.url) for f in feeds.values())
    labels = {t["id"] for t in app.get("tag/list", TAGGINGS)["tags"]}
    assert {"user/-/label/News", "user/-/label/Uncategorized"} <= labels
    assert app.get("preference/stream/list", STREAM_PREFS)["streamprefs"] == {}
    counts = {row["id"]: row["count"] for row in app.get("unread-count", UNREAD)["unreadcounts"]}
    assert counts[READING_LIST] == 103 and counts[f"feed/{world.id}"] == 100
    unread = app.stream(READING_LIST, xt=READ)
    assert sorted(map(item_number, unread)) == sorted(world_ids[:100] + local_ids)
    assert all(READ not in item["categories"] for item in unread)
    starred = app.stream(STARRED)
    assert sorted(map(item_number, starred)) == sorted(world_ids[110:112])
    assert all(STARRED in item["categories"] for item in starred)
    read_recently = app.stream(READING_LIST, it=READ, r="o")
    assert sorted(map(item_number, read_recently)) == sorted(world_ids[100:])
    for item in unread[:3]:
        assert item["origin"]["streamId"] in feeds and item["origin"]["title"]
        assert "content" not in item and item["summary"]["content"]

    # a later sync: unread and starred ids, what came since the last sync, the ones missing
    last_sync = int(time.time()) - 1
    assert app.ids(READING_LIST, xt=READ) == sorted(world_ids[:100] + local_ids)
    assert app.ids(STARRED) == sorted(world_ids[110:112])
    assert app.stream(READING_LIST, ot=last_sync + 3600) == []
    # got by newsdesk after the last sync (a minute from now), published long before it
    _, late_ids = seed_articles(live.store, 2, feed_url="https://late.example/rss", title="Late",
                                start=datetime.now(UTC))  # fmt: skip
    new = app.stream(READING_LIST, ot=last_sync)
    assert sorted(map(item_number, new)) == sorted(late_ids)
    fetched = app.contents(local_ids)
    assert sorted(map(item_number, fetched)) == sorted(local_ids)

    # what the reader did offline, sent back
    assert app.post("edit-tag", [("i", long_id(i)) for i in local_ids[:2]]
                    + [("a", READ)]).text == "OK"  # fmt: skip
    assert app.post("edit-tag", [("i", long_id(local_ids[0])), ("r", READ)]).text == "OK"
    assert app.post("edit-tag", [("i", long_id(world_ids[0])), ("a", STARRED)]).text == "OK"
    assert app.post("edit-tag", [("i", long_id(world_ids[110])), ("r", STARRED)]).text == "OK"
    assert app.ids(STARRED) == sorted([world_ids[0], world_ids[111]])
    assert local_ids[1] not in app.ids(READING_LIST, xt=READ)
    newest = max(int(item["timestampUsec"]) for item in unread)
    done = app.post("mark-all-as-read", [("s", f"feed/{world.id}"), ("ts", str(newest))])
    assert done.text == "OK"
    assert app.ids(f"feed/{world.id}", xt=READ) == []

    # feeds and folders edited in the app
    with HostileServer() as publisher:
        url = publisher.url("/feed.xml")
        subscribe = [("ac", "subscribe"), ("s", f"feed/{url}"), ("t", "Hostile"),
                     ("a", "user/-/label/Tech")]  # fmt: skip
        added = app.post("subscription/edit", subscribe)
        assert added.text == "OK"
        other = publisher.url("/gzip/feed.xml")
        quick = app.post("subscription/quickadd", [("quickadd", other)]).json()
        serde(quick, QUICK_FEED, "subscription/quickadd")
        assert quick["numResults"] == 1
    feeds = {f["url"]: f for f in app.get("subscription/list", FEEDS)["subscriptions"]}
    sid = feeds[url]["id"]
    assert (feeds[url]["title"], feeds[url]["categories"][0]["label"]) == ("Hostile", "Tech")
    moved = [("ac", "edit"), ("s", sid), ("t", "Renamed"), ("r", "user/-/label/Tech"),
             ("a", "user/-/label/Work")]  # fmt: skip
    assert app.post("subscription/edit", moved).text == "OK"
    renamed = [("s", "user/-/label/Work"), ("dest", "user/-/label/Play")]
    assert app.post("rename-tag", renamed).text == "OK"
    feeds = {f["url"]: f for f in app.get("subscription/list", FEEDS)["subscriptions"]}
    assert (feeds[url]["title"], feeds[url]["categories"][0]["label"]) == ("Renamed", "Play")
    assert app.post("disable-tag", [("s", "user/-/label/Play")]).text == "OK"
    assert app.post("subscription/edit", [("ac", "unsubscribe"), ("s", sid)]).text == "OK"
    assert app.post("subscription/edit", [("ac", "unsubscribe"),
                                          ("s", quick["streamId"])]).text == "OK"  # fmt: skip
    left = {f["id"] for f in app.get("subscription/list", FEEDS)["subscriptions"]}
    assert sid not in left and quick["streamId"] not in left and f"feed/{world.id}" in left


# --- Fluent Reader ---------------------------------------------------------------------------


class FluentReader:
    """Fluent Reader's Google Reader service (src/scripts/models/services/greader.ts): sign-in
    by the Auth= match, user-info to check it, no action token on its POSTs, item ids compacted
    to decimals (its int64 setting, which FreshRSS's ids need)."""

    def __init__(self, base: str) -> None:
        self.http = httpx.Client(base_url=base, timeout=30)

    def reauthenticate(self) -> None:
        answer = self.http.post("/accounts/ClientLogin",
                                data={"Email": ADMIN, "Passwd": ADMIN_API_PASSWORD})  # fmt: skip
        assert answer.status_code == 200
        [auth] = re.findall(r"Auth=(\S+)", answer.text)
        self.http.headers["Authorization"] = f"GoogleLogin auth={auth}"

    def authenticate(self) -> bool:
        return self.http.get("/reader/api/0/user-info").status_code == 200

    def fetch_all(self, params: str) -> set[str]:
        results: set[str] = set()
        continuation = ""
        while True:
            query = params + (f"&c={continuation}" if continuation else "")
            parsed = self.http.get(query).json()
            fetched = parsed.get("itemRefs") or []
            results |= {ref["id"] for ref in fetched}
            continuation = parsed.get("continuation") or ""
            if not (continuation and len(fetched) >= 1000):
                return results

    def sync_items(self) -> tuple[set[str], set[str]]:
        base = "/reader/api/0/stream/items/ids?output=json"
        return (self.fetch_all(f"{base}&s={READING_LIST}&xt={READ}&n=1000"),
                self.fetch_all(f"{base}&s={STARRED}&n=1000"))  # fmt: skip

    def fetch_items(self, last_fetched: int | None, last_id: str | None) -> list[dict]:
        items: list[dict] = []
        continuation = ""
        while True:
            params = "/reader/api/0/stream/contents?output=json&n=125"
            if last_fetched:
                params += f"&ot={last_fetched}"
            if continuation:
                params += f"&c={continuation}"
            fetched = self.http.get(params).json()
            page = fetched["items"]
            for item in page:
                item["id"] = str(int(item["id"].split("/")[-1], 16))  # compactId, int64
                if item["id"] == last_id:
                    break
                items.append(item)
            continuation = fetched.get("continuation") or ""
            if not (continuation and len(page) >= 125):
                return items

    def edit_tag(self, refs: str, tag: str, add: bool = True) -> httpx.Response:
        body = f"i={refs}&{'a' if add else 'r'}={tag}"  # no T
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.http.post("/reader/api/0/edit-tag", content=body.encode(), headers=form)


def test_fluent_reader_greader_sync(live: LiveServer) -> None:
    world, world_ids = seed_articles(live.store, 130, feed_url="https://world.example/rss",
                                     title="World", folder="News")  # fmt: skip
    local, local_ids = seed_articles(live.store, 2, feed_url="https://local.example/rss",
                                     title="Local")  # fmt: skip
    app = FluentReader(f"{live.url}/api/greader")
    app.reauthenticate()
    assert app.authenticate()
    subscriptions = app.http.get("/reader/api/0/subscription/list?output=json").json()
    sources = {s["id"]: (s["url"] or s["htmlUrl"], s["categories"][0]["label"])
               for s in subscriptions["subscriptions"]}  # fmt: skip
    assert sources == {
        f"feed/{world.id}": ("https://world.example/rss", "News"),
        f"feed/{local.id}": ("https://local.example/rss", "Uncategorized"),
    }

    # the first fetch: the reading list, 125 at a time, everything
    items = app.fetch_items(None, None)
    assert sorted(int(i["id"]) for i in items) == sorted(world_ids + local_ids)
    for item in items:
        assert item["origin"]["streamId"] in sources
        assert item["summary"]["content"] and item["canonical"][0]["href"].startswith("https://")
        assert item["published"] > 0 and int(item["crawlTimeMsec"]) > 0
    last_fetched = round(int(items[0]["crawlTimeMsec"]) / 1000)
    last_id = items[0]["id"]
    unread, starred = app.sync_items()
    assert unread == {str(i) for i in world_ids + local_ids} and starred == set()

    # marks by decimal id, joined with &i= for "mark all read", without a token
    assert app.edit_tag(str(local_ids[0]), READ).text == "OK"
    assert app.edit_tag(str(world_ids[0]), STARRED).text == "OK"
    assert app.edit_tag("&i=".join(str(i) for i in world_ids[1:4]), READ).text == "OK"
    assert app.edit_tag(str(world_ids[1]), READ, add=False).text == "OK"
    unread, starred = app.sync_items()
    assert unread == {str(i) for i in world_ids + local_ids} - {
        str(i) for i in [local_ids[0], world_ids[2], world_ids[3]]}  # fmt: skip
    assert starred == {str(world_ids[0])}
    done = app.http.post("/reader/api/0/mark-all-as-read", data={"s": f"feed/{local.id}"})
    assert done.text == "OK"
    assert str(local_ids[1]) not in app.sync_items()[0]

    # the next fetch asks from the newest item's crawl time, stopping at the last id it has
    _, late_ids = seed_articles(live.store, 2, feed_url="https://late.example/rss", title="Late",
                                start=datetime.now(UTC))  # fmt: skip
    later = app.fetch_items(last_fetched, last_id)
    assert sorted(int(i["id"]) for i in later) == sorted(late_ids)


def fluent_fever(live: LiveServer, params: str = "", post: str = "") -> dict:
    answer = http.post(f"{live.url}/api/fever.php?api{params}", content=f"api_key={API_KEY}{post}",
                       headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_fluent_reader_fever_sync(live: LiveServer) -> None:
    """Fluent Reader's Fever service (fever.ts): items walked down from max_id =
    Number.MAX_SAFE_INTEGER, 50 a page; ids compared as numbers; mark=feed with before."""
    world, world_ids = seed_articles(live.store, 120, feed_url="https://world.example/rss",
                                     title="World", folder="News")  # fmt: skip
    assert fluent_fever(live)["auth"] == 1
    answer = fluent_fever(live, "&feeds")
    assert [f["id"] for f in answer["feeds"]] == [world.id]
    groups = {g["id"]: g["title"].strip() for g in fluent_fever(live, "&groups")["groups"]}
    filed = {int(fid): groups[g["group_id"]] for g in answer["feeds_groups"]
             for fid in g["feed_ids"].split(",")}  # fmt: skip
    assert filed == {world.id: "News"}

    items: list[dict] = []
    last_id, low = 0, 9007199254740991  # Number.MAX_SAFE_INTEGER
    while True:
        page = fluent_fever(live, f"&items&max_id={low}")["items"]
        items += [i for i in page if i["id"] > last_id]
        low = min([low, *(i["id"] for i in page)])
        if not (low > last_id and len(page) >= 50):
            break
    assert sorted(i["id"] for i in items) == sorted(world_ids)
    assert all(i["feed_id"] == world.id and i["html"] and i["url"] for i in items)
    assert all(i["created_on_time"] > 0 and i["is_read"] == 0 for i in items)
    last_id = max(i["id"] for i in items)
    assert fluent_fever(live, f"&items&max_id={low}")["items"] == []

    unread = fluent_fever(live, "&unread_item_ids")["unread_item_ids"]
    saved = fluent_fever(live, "&saved_item_ids")["saved_item_ids"]
    assert isinstance(unread, str) and isinstance(saved, str)
    assert sorted(int(s) for s in unread.split(",")) == sorted(world_ids)
    fluent_fever(live, "", f"&mark=item&as=read&id={world_ids[0]}")
    fluent_fever(live, "", f"&mark=item&as=saved&id={world_ids[1]}")
    assert fluent_fever(live, "&saved_item_ids")["saved_item_ids"] == str(world_ids[1])
    before = int(time.time()) + 1
    fluent_fever(live, "", f"&mark=feed&as=read&id={world.id}&before={before}")
    assert fluent_fever(live, "&unread_item_ids")["unread_item_ids"] == ""
    # nothing new since the last id
    newer = fluent_fever(live, "&items&max_id=9007199254740991")["items"]
    assert [i for i in newer if i["id"] > last_id] == []
