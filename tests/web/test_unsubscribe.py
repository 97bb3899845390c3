"""Unsubscribing takes the feed's articles out of every list and count at once, in every
interface (Google Reader, Fever, the JSON API, the output feeds, the reader); the starred ones
stay in the starred lists, with their origin."""

from __future__ import annotations

import hashlib

import httpx

from tests.web import http
from tests.web.conftest import ADMIN, ADMIN_API_PASSWORD, LiveServer, SignedInClient, seed_articles

API_KEY = hashlib.md5(f"{ADMIN}:{ADMIN_API_PASSWORD}".encode()).hexdigest()
BASIC = httpx.BasicAuth(ADMIN, ADMIN_API_PASSWORD)
STARRED = "user/-/state/com.google/starred"
READING_LIST = "user/-/state/com.google/reading-list"


def greader(live: LiveServer) -> httpx.Client:
    login = http.post(
        f"{live.url}/api/greader/accounts/ClientLogin",
        data={"Email": ADMIN, "Passwd": ADMIN_API_PASSWORD},
    )
    auth = login.text.split("Auth=", 1)[1].strip()
    headers = {"Authorization": f"GoogleLogin auth={auth}"}
    return httpx.Client(base_url=f"{live.url}/api/greader/reader/api/0", headers=headers)


def fever(live: LiveServer, query: str) -> dict:
    answer = http.post(f"{live.url}/api/fever.php?api&{query}", data={"api_key": API_KEY})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_unsubscribed_feed_leaves_every_list_and_count(
    live: LiveServer, admin_client: SignedInClient
) -> None:
    gone, gone_ids = seed_articles(live.store, 3, feed_url="https://gone.example/rss",
                                   title="Gone", folder="News")  # fmt: skip
    _, kept_ids = seed_articles(live.store, 2, feed_url="https://kept.example/rss", title="Kept")
    starred = gone_ids[0]
    user = live.store.find_user(ADMIN)
    live.store.set_starred(user.id, [starred], True)
    with greader(live) as api:
        token = api.get("/token").text
        done = api.post("/subscription/edit", data={"ac": "unsubscribe", "s": f"feed/{gone.id}",
                                                    "T": token})  # fmt: skip
        assert done.text == "OK"

        ids = api.get("/stream/items/ids", params={"s": READING_LIST, "n": 100}).json()
        assert sorted(int(ref["id"]) for ref in ids["itemRefs"]) == sorted(kept_ids)
        unread_only = {"s": READING_LIST, "xt": "user/-/state/com.google/read"}
        unread = api.get("/stream/items/ids", params=unread_only).json()
        assert sorted(int(ref["id"]) for ref in unread["itemRefs"]) == sorted(kept_ids)
        rows = api.get("/unread-count").json()["unreadcounts"]
        counts = {row["id"]: row["count"] for row in rows}
        assert f"feed/{gone.id}" not in counts and "user/-/label/News" not in counts
        assert counts[READING_LIST] == len(kept_ids)
        assert api.get("/stream/contents/feed/" + str(gone.id)).status_code == 404
        [item] = api.get("/stream/contents/" + STARRED).json()["items"]
        assert item["origin"]["streamId"] == f"feed/{gone.id}"
        assert item["origin"]["title"] == "Gone"
        tags = [t["id"] for t in api.get("/tag/list").json()["tags"]]
        assert tags == [STARRED, "user/-/label/Uncategorized"]  # News went with its only feed

    unread_ids = fever(live, "unread_item_ids")["unread_item_ids"].split(",")
    assert sorted(int(i) for i in unread_ids) == sorted(kept_ids)
    assert fever(live, "saved_item_ids")["saved_item_ids"] == str(starred)
    items = fever(live, "items&since_id=0")
    assert sorted(item["id"] for item in items["items"]) == sorted(kept_ids)
    assert items["total_items"] == len(kept_ids)
    [saved] = fever(live, f"items&with_ids={starred}")["items"]
    assert saved["feed_id"] == gone.id

    listed = admin_client.get("/api/v1/articles").json()["items"]
    assert sorted(article["id"] for article in listed) == sorted(kept_ids)
    feed = http.get(f"{live.url}/all.json", auth=BASIC).json()
    assert len(feed["items"]) == len(kept_ids)
    river = admin_client.get("/").text
    assert all(f'/articles/{i}"' in river for i in kept_ids)
    assert not any(f'/articles/{i}"' in river for i in gone_ids)


def test_unsubscribed_feed_leaves_search(live: LiveServer, admin_client: SignedInClient) -> None:
    """The JSON API's search, the reader's search page and the search feed find no article of
    an unsubscribed feed but the starred ones."""
    gone, gone_ids = seed_articles(live.store, 3, feed_url="https://gone.example/rss", title="Gone")
    _, kept_ids = seed_articles(live.store, 2, feed_url="https://kept.example/rss", title="Kept")
    user = live.store.find_user(ADMIN)
    live.store.set_starred(user.id, [gone_ids[0]], True)

    def found() -> tuple[list[int], list[int], list[int]]:
        api = admin_client.get("/api/v1/search", params={"q": "story", "limit": 50}).json()
        by_api = sorted(hit["article"]["id"] for hit in api["items"])
        page = admin_client.get("/search", params={"q": "story"}).text
        by_page = sorted(i for i in gone_ids + kept_ids if f'/articles/{i}"' in page)
        feed = http.get(f"{live.url}/search.json", params={"q": "story"}, auth=BASIC).json()
        by_feed = sorted(int(item["id"].rsplit("/", 1)[1]) for item in feed["items"])
        return by_api, by_page, by_feed

    assert found() == (sorted(gone_ids + kept_ids),) * 3
    live.store.delete_feed(gone.id)
    assert found() == (sorted(kept_ids + gone_ids[:1]),) * 3
    narrowed = admin_client.get("/api/v1/search", params={"q": "story", "feed_id": gone.id})
    assert [hit["article"]["id"] for hit in narrowed.json()["items"]] == gone_ids[:1]
