"""Ids, numbers and times out of range are a clear 4xx on every interface, never a 500: the JSON
API, the output feeds, Fever and the Google Reader API, over a real server and store."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import httpx
import pytest

from newsdesk.web.auth.tokens import new_token
from tests.web.conftest import ADMIN, ADMIN_API_PASSWORD, LiveServer, seed_articles

HUGE = [str(2**63), str(10**30), "9" * 5000]
OUT_OF_RANGE = ["0", "-1", *HUGE]
NOT_NUMBERS = ["abc", "1e5", "²", "0x10"]
FEVER_KEY = hashlib.md5(f"{ADMIN}:{ADMIN_API_PASSWORD}".encode()).hexdigest()
READ = "user/-/state/com.google/read"


def assert_clear_refusal(answer: httpx.Response, allowed: tuple[int, ...] = (400, 404)) -> None:
    assert answer.status_code in allowed, (answer.request.url, answer.status_code, answer.text)
    message = answer.json()["error"]
    assert message and "\n" not in message and len(message) < 300


@pytest.fixture
def seeded(live: LiveServer) -> LiveServer:
    seed_articles(live.store, 3, folder="World")
    return live


@pytest.fixture
def api(seeded: LiveServer) -> Iterator[httpx.Client]:
    token, token_hash = new_token()
    seeded.store.create_api_token(seeded.store.find_user(ADMIN).id, token_hash, "bounds")
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=seeded.url, headers=headers, timeout=60) as client:
        yield client


def test_json_api_ids_and_times_out_of_range(api: httpx.Client) -> None:
    for bad in OUT_OF_RANGE:
        for method, path, options in (
            ("GET", f"/api/v1/feeds/{bad}", {}),
            ("PATCH", f"/api/v1/feeds/{bad}", {"json": {"paused": True}}),
            ("DELETE", f"/api/v1/feeds/{bad}", {}),
            ("POST", f"/api/v1/feeds/{bad}/refresh", {}),
            ("GET", f"/api/v1/articles/{bad}", {}),
            ("PATCH", f"/api/v1/articles/{bad}", {"json": {"read": True}}),
            ("POST", f"/api/v1/articles/{bad}/star", {}),
            ("GET", f"/api/v1/articles/{bad}/related", {}),
            ("GET", f"/api/v1/stories/{bad}", {}),
            ("DELETE", f"/api/v1/tokens/{bad}", {}),
            ("GET", "/api/v1/articles", {"params": {"feed_id": bad}}),
            ("GET", "/api/v1/articles", {"params": {"story_id": bad}}),
            ("GET", "/api/v1/search", {"params": {"q": "story", "feed_id": bad}}),
            ("POST", "/api/v1/articles/mark-read", {"json": {"feed_id": bad}}),
        ):
            assert_clear_refusal(api.request(method, path, **options), (400, 404, 422))
    # the ids of the big numbers are named in the answer, as ids out of range
    answer = api.get(f"/api/v1/feeds/{2**63}")
    assert answer.status_code == 400
    assert answer.json()["error"] == f"feed id {2**63} is out of range (1 to 2**63 - 1)"
    for bad in NOT_NUMBERS:
        assert_clear_refusal(api.get(f"/api/v1/articles/{bad}"), (422,))
    for moment in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"):
        for path in ("/api/v1/articles", "/api/v1/stories"):
            assert_clear_refusal(api.get(path, params={"since": moment}), (400,))
        answer = api.post("/api/v1/articles/mark-read", json={"before": moment})
        assert_clear_refusal(answer, (400,))
    assert api.get("/api/v1/articles", params={"since": "2000-01-01T00:00:00+05:00"}).is_success


def test_output_feed_ids_out_of_range(api: httpx.Client) -> None:
    for bad in OUT_OF_RANGE:
        for path in (f"/feeds/{bad}.atom", f"/stories/{bad}.json"):
            assert_clear_refusal(api.get(path), (400, 404, 422))
    assert api.get(f"/feeds/{2**63}.rss").status_code == 400


def fever(live: LiveServer, query: str, **form: str) -> httpx.Response:
    data = {"api_key": FEVER_KEY, **form}
    return httpx.post(f"{live.url}/api/fever.php?api&{query}", data=data, timeout=60)


def test_fever_ids_and_times_out_of_range(seeded: LiveServer) -> None:
    for bad in OUT_OF_RANGE[1:] + NOT_NUMBERS:  # 0 means "none" for max_id and since_id
        for query, form in (
            ("items", {"with_ids": bad}),
            ("items", {"max_id": bad}),
            ("items", {"since_id": bad}),
            ("", {"mark": "item", "as": "read", "id": bad}),
            ("", {"mark": "feed", "as": "read", "id": bad}),
            ("", {"mark": "group", "as": "read", "id": bad}),
            ("", {"mark": "feed", "as": "read", "id": "1", "before": bad}),
        ):
            if form.get("before") == "-1":
                continue  # a time before 1970 means "now", as Fever clients send
            assert_clear_refusal(fever(seeded, query, **form))
    assert fever(seeded, "items", with_ids="1,2").json()["items"]
    assert fever(seeded, "items", max_id="0").status_code == 200


def test_google_reader_ids_and_times_out_of_range(seeded: LiveServer) -> None:
    login = httpx.post(
        f"{seeded.url}/api/greader/accounts/ClientLogin",
        data={"Email": ADMIN, "Passwd": ADMIN_API_PASSWORD},
        timeout=60,
    )
    token = login.text.split("Auth=")[-1].strip()
    headers = {"Authorization": f"GoogleLogin auth={token}"}
    base = f"{seeded.url}/api/greader/reader/api/0"
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        for bad in HUGE + NOT_NUMBERS:
            for method, path, options in (
                ("GET", f"/stream/contents/feed/{bad}", {}),
                ("GET", "/stream/items/ids", {"params": {"s": f"feed/{bad}"}}),
                ("GET", "/stream/contents", {"params": {"ot": bad}}),
                ("POST", "/stream/items/contents", {"data": {"i": bad}}),
                ("POST", "/edit-tag", {"data": {"i": bad, "a": READ}}),
                ("POST", "/mark-all-as-read", {"data": {"s": f"feed/{bad}"}}),
                ("POST", "/subscription/edit", {"data": {"s": f"feed/{bad}", "ac": "edit"}}),
            ):
                if bad == "1e5" and "feed/" in str(options) + path:
                    continue  # a feed may be named by its URL or title: "1e5" is just unknown
                if bad in ("abc", "1e5") and path in ("/stream/items/contents", "/edit-tag"):
                    continue  # a bare item id in hex, as FreshRSS reads it: just unknown
                assert_clear_refusal(client.request(method, path, **options))
            # a big count is capped, a big offset lists nothing, 2**63 ns is in 2262: all fine,
            # if they are numbers at all
            for method, path, options in (
                ("GET", "/stream/contents", {"params": {"n": bad}}),
                ("GET", "/stream/contents", {"params": {"r": "o", "c": f"o{bad}"}}),
                ("POST", "/mark-all-as-read", {"data": {"s": READ, "ts": bad}}),
            ):
                answer = client.request(method, path, **options)
                assert answer.status_code in (200, 400), answer.text
        assert client.get("/stream/contents/feed/1").is_success
