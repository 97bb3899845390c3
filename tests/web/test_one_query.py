"""Every interface lists the same articles for the same filter: the reader's river, the JSON
API, the Google Reader streams, Fever and the output feeds all ask the store's one query."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from newsdesk.model import Article
from tests.web.conftest import ADMIN, ADMIN_API_PASSWORD, LiveServer, SignedInClient, seed_articles
from tests.web.copies import match_stored

FEVER_KEY = hashlib.md5(f"{ADMIN}:{ADMIN_API_PASSWORD}".encode()).hexdigest()
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
RIVER_ITEM = re.compile(r'<a class="open" href="/articles/(\d+)">')
START = datetime.now(UTC) - timedelta(minutes=5)


@pytest.fixture
def greader(live: LiveServer) -> Iterator[httpx.Client]:
    login = httpx.post(f"{live.url}/api/greader/accounts/ClientLogin",
                       data={"Email": ADMIN, "Passwd": ADMIN_API_PASSWORD})  # fmt: skip
    token = dict(line.split("=", 1) for line in login.text.split())["Auth"]
    headers = {"Authorization": f"GoogleLogin auth={token}"}
    base = f"{live.url}/api/greader/reader/api/0"
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        yield client


@pytest.fixture
def archive(live: LiveServer) -> dict[str, list[int]]:
    """Two folders, articles at shared times (ties), some copies, some read and starred."""

    def make(prefix: str, copies: dict[int, tuple[str, int]]):
        def article(i: int) -> Article:
            kind, n = copies.get(i, (prefix, i))  # a copy: another article's headline and text
            return Article(
                url=f"https://{prefix}.example/{i}",
                title=f"{kind} report {n}",
                published=START - timedelta(hours=i // 3),
                text=f"Body of the {kind} report {n}.\n\nMore about report {n}.",
            )

        return article

    world, world_ids = seed_articles(
        live.store,
        14,
        folder="World",
        make=make("world", {4: ("world", 3)}),
        feed_url="https://w.example/rss",
        start=START,
    )
    _, sport_ids = seed_articles(live.store, 9, folder="Sport",
                                 make=make("sport", {1: ("world", 1)}),
                                 feed_url="https://s.example/rss", start=START)  # fmt: skip
    match_stored(live)
    copies = {a.id: a.duplicate_of for a in live.store.get_articles(world_ids + sport_ids)
              if a.duplicate_of}  # fmt: skip
    assert copies == {world_ids[4]: world_ids[3], sport_ids[1]: world_ids[1]}
    admin = live.store.find_user(ADMIN)
    live.store.set_read(admin.id, world_ids[::3] + sport_ids[::2])
    live.store.set_starred(admin.id, world_ids[1::4] + sport_ids[:3])
    return {"world": world_ids, "sport": sport_ids, "feed": [world.id]}


def api_ids(client: SignedInClient, **params: object) -> list[int]:
    found: list[int] = []
    cursor = None
    while True:
        page = client.get(
            "/api/v1/articles",
            params={**params, "limit": 5, **({"cursor": cursor} if cursor else {})},
        )
        body = page.json()
        found += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            return found


def greader_ids(client: httpx.Client, stream: str, **params: object) -> list[int]:
    found: list[int] = []
    continuation = None
    while True:
        extra = {"c": continuation} if continuation else {}
        body = client.get("/stream/items/ids", params={"s": stream, "n": 4, **params,
                                                        **extra}).json()  # fmt: skip
        found += [int(ref["id"]) for ref in body["itemRefs"]]
        continuation = body.get("continuation")
        if not continuation:
            return found


def feed_ids(client: SignedInClient, path: str) -> list[int]:
    items = client.get(path, params={"limit": 200}).json()["items"]
    return [int(item["id"].rsplit("/", 1)[1]) for item in items]


def river_ids(client: SignedInClient, query: str) -> list[int]:
    found: list[int] = []
    url = f"/?view=articles&{query}"  # the river by article, not by story
    while url:
        page = client.get(url).text
        found += [int(i) for i in RIVER_ITEM.findall(page)]
        more = re.search(r'<a href="([^"]+)" rel="next">', page)
        url = more.group(1).replace("&amp;", "&") if more else ""
    return found


def fever(live: LiveServer, query: str) -> dict:
    answer = httpx.post(f"{live.url}/api/fever.php?api&{query}", data={"api_key": FEVER_KEY})
    return answer.json()


def test_every_interface_lists_the_same_articles(
    live: LiveServer, admin_client: SignedInClient, greader: httpx.Client,
    archive: dict[str, list[int]],
) -> None:  # fmt: skip
    def crawl(ids: list[int], *, oldest_first: bool = False) -> list[int]:
        """The same articles in the order newsdesk got them, as Google Reader streams list
        them (FreshRSS's order); the other interfaces list them in reading order."""
        got = {a.id: a.fetched_at for a in live.store.get_articles(ids)}
        return sorted(ids, key=lambda i: (got[i], i), reverse=not oldest_first)

    everything = api_ids(admin_client)
    assert len(everything) == 21  # the two copies left out
    assert greader_ids(greader, "user/-/state/com.google/reading-list") == crawl(everything)
    assert feed_ids(admin_client, "/all.json") == everything
    assert river_ids(admin_client, "") == everything

    world = api_ids(admin_client, folder="World")
    assert set(world) < set(archive["world"])
    assert greader_ids(greader, "user/-/label/World") == crawl(world)
    assert feed_ids(admin_client, "/folders/World.json") == world

    unread = api_ids(admin_client, unread="true")
    assert 0 < len(unread) < len(everything)
    assert greader_ids(greader, "user/-/state/com.google/reading-list", xt=READ) == crawl(unread)
    assert river_ids(admin_client, "unread=1") == unread
    fever_unread = fever(live, "unread_item_ids")["unread_item_ids"]
    assert [int(i) for i in fever_unread.split(",")] == unread

    starred = api_ids(admin_client, starred="true", duplicates="true")
    assert archive["sport"][1] in starred  # a starred copy, listed when copies are
    assert greader_ids(greader, STARRED, duplicates="true") == crawl(starred)
    assert feed_ids(admin_client, "/starred.json") == starred
    fever_saved = fever(live, "saved_item_ids")["saved_item_ids"]
    assert [int(i) for i in fever_saved.split(",")] == starred
    originals = api_ids(admin_client, starred="true")
    assert originals == [i for i in starred if i != archive["sport"][1]]
    assert greader_ids(greader, STARRED) == crawl(originals)
    assert river_ids(admin_client, "starred=1") == originals

    unread_world = api_ids(admin_client, folder="World", unread="true")
    assert greader_ids(greader, "user/-/label/World", xt=READ) == crawl(unread_world)
    assert river_ids(admin_client, "folder=World&unread=1") == unread_world
    oldest_first = greader_ids(greader, "user/-/label/World", xt=READ, r="o")
    assert oldest_first == crawl(unread_world, oldest_first=True)

    # filters only the Google Reader API speaks: read ones, and ones not starred
    read = greader_ids(greader, READ)
    assert read == crawl([i for i in everything if i not in unread])
    unstarred = greader_ids(greader, "user/-/label/World", xt=STARRED)
    assert unstarred == crawl([i for i in world if i not in starred])
    assert greader_ids(greader, READ, xt=READ) == []

    feed = archive["feed"][0]
    whole_feed = api_ids(admin_client, feed_id=feed, duplicates="true")
    assert greader_ids(greader, f"feed/{feed}", duplicates="true") == crawl(whole_feed)
    assert greader_ids(greader, f"feed/{feed}") == crawl(api_ids(admin_client, feed_id=feed))
    assert feed_ids(admin_client, f"/feeds/{feed}.json") == whole_feed
    assert river_ids(admin_client, f"feed={feed}") == api_ids(admin_client, feed_id=feed)

    # Fever pages by id, in the order articles were stored
    by_id = sorted(everything)
    items = fever(live, f"items&since_id={by_id[2]}")["items"]
    assert [item["id"] for item in items] == by_id[3:]


def test_marking_a_stream_read_marks_what_it_lists(
    live: LiveServer, admin_client: SignedInClient, greader: httpx.Client,
    archive: dict[str, list[int]],
) -> None:  # fmt: skip
    unread = set(api_ids(admin_client, unread="true", duplicates="true"))
    starred = set(api_ids(admin_client, starred="true", duplicates="true"))
    assert unread & starred and unread - starred
    token = greader.get("/token").text.strip()
    done = greader.post("/mark-all-as-read", data={"s": STARRED, "T": token})
    assert done.status_code == 200
    left = set(api_ids(admin_client, unread="true", duplicates="true"))
    assert left == unread - starred
