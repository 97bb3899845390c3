"""Sessions that end (sign-out, a new password, the settings page, an administrator) and the
one throttle on every credential check, through real requests to a real server."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update

from newsdesk.config import Settings
from newsdesk.store import Store
from newsdesk.store.tables import web_sessions
from newsdesk.web.auth.passwords import fever_api_key
from newsdesk.web.auth.tokens import new_token
from tests.web.conftest import (
    ADMIN,
    ADMIN_API_PASSWORD,
    ADMIN_PASSWORD,
    LiveServer,
    csrf_of,
    sign_in,
)

FEVER_KEY = fever_api_key(ADMIN, ADMIN_API_PASSWORD)
SESSION_ROW = re.compile(r'<form action="/settings/sessions/(\d+)/end"')


def browser(live: LiveServer, *, agent: str = "test browser", source: str | None = None):
    """A client of its own (its own cookies), from loopback address `source` if given."""
    transport = httpx.HTTPTransport(local_address=source) if source else None
    return httpx.Client(
        base_url=live.url, timeout=30, headers={"User-Agent": agent}, transport=transport
    )


def test_a_cookie_copied_before_sign_out_no_longer_works(live: LiveServer) -> None:
    with browser(live) as first:
        csrf = sign_in(first, ADMIN, ADMIN_PASSWORD)
        copied = dict(first.cookies)
        assert first.get("/").status_code == 200
        assert first.post("/logout", data={"csrf": csrf}).status_code == 303
    with httpx.Client(base_url=live.url, timeout=30, cookies=copied) as thief:
        assert thief.get("/").status_code == 303
        assert thief.get("/api/v1/me").status_code == 401


def test_a_session_ended_by_another_process_is_refused_at_once(live: LiveServer) -> None:
    """Like a second web worker: its own Store on the same database ends the session."""
    with browser(live) as client:
        sign_in(client, ADMIN, ADMIN_PASSWORD)
        for _ in range(3):  # asked again and again: the answer is kept by this worker
            assert client.get("/settings").status_code == 200
        other_worker = Store.open(live.settings)
        try:
            assert other_worker.end_sessions(1) == 1
        finally:
            other_worker.close()
        assert client.get("/settings").status_code == 303


def test_last_seen_is_noted_once_a_minute_has_passed(live: LiveServer) -> None:
    with browser(live, source="127.0.0.3") as client:
        sign_in(client, ADMIN, ADMIN_PASSWORD)
        [session] = live.store.list_sessions(1)
        earlier = session.last_seen_at - timedelta(minutes=5)
        with live.store.engine.begin() as conn:
            conn.execute(update(web_sessions).values(last_seen_at=earlier, address="10.1.1.1"))
        assert client.get("/settings").status_code == 200
        deadline = time.monotonic() + 20  # written by a background thread, soon after
        while live.store.list_sessions(1)[0].last_seen_at == earlier:
            assert time.monotonic() < deadline, "last seen was never written"
            time.sleep(0.05)
        assert live.store.list_sessions(1)[0].address == "127.0.0.3"


def test_a_new_password_signs_out_every_other_browser(live: LiveServer) -> None:
    with browser(live, agent="laptop") as laptop, browser(live, agent="phone") as phone:
        csrf = sign_in(laptop, ADMIN, ADMIN_PASSWORD)
        sign_in(phone, ADMIN, ADMIN_PASSWORD)
        assert phone.get("/").status_code == 200
        changed = laptop.post(
            "/settings/password",
            data={"current": ADMIN_PASSWORD, "new": "a brand new password", "csrf": csrf},
        )
        assert changed.status_code == 303
        assert phone.get("/").status_code == 303  # signed out
        assert laptop.get("/").status_code == 200  # the browser that changed it stays in


def test_settings_list_sessions_and_end_one(live: LiveServer) -> None:
    with browser(live, agent="Laptop Firefox") as laptop, browser(live, agent="Old Phone") as phone:
        csrf = sign_in(laptop, ADMIN, ADMIN_PASSWORD)
        sign_in(phone, ADMIN, ADMIN_PASSWORD)
        page = laptop.get("/settings").text
        assert "Laptop Firefox" in page and "Old Phone" in page and "127.0.0.1" in page
        assert "this browser" in page
        [phone_session] = [s for s in live.store.list_sessions(1) if s.user_agent == "Old Phone"]
        assert str(phone_session.id) in SESSION_ROW.findall(page)
        ended = laptop.post(f"/settings/sessions/{phone_session.id}/end", data={"csrf": csrf})
        assert ended.status_code == 303
        assert "Session ended." in laptop.get(ended.headers["location"]).text
        assert phone.get("/").status_code == 303
        assert "Old Phone" not in laptop.get("/settings").text
        again = laptop.post(f"/settings/sessions/{phone_session.id}/end", data={"csrf": csrf})
        assert again.status_code == 404


def test_sign_out_every_other_browser(live: LiveServer) -> None:
    with browser(live) as laptop, browser(live) as phone, browser(live) as tablet:
        csrf = sign_in(laptop, ADMIN, ADMIN_PASSWORD)
        sign_in(phone, ADMIN, ADMIN_PASSWORD)
        sign_in(tablet, ADMIN, ADMIN_PASSWORD)
        assert laptop.post("/settings/sessions/end-others", data={"csrf": csrf}).status_code == 303
        assert phone.get("/").status_code == 303 and tablet.get("/").status_code == 303
        assert laptop.get("/").status_code == 200


def test_an_administrator_signs_an_account_out_everywhere(live: LiveServer) -> None:
    with browser(live) as admin, browser(live) as reader:
        csrf = sign_in(admin, ADMIN, ADMIN_PASSWORD)
        added = admin.post(
            "/users", data={"username": "reader", "password": "reader password", "csrf": csrf}
        )
        assert added.status_code == 303
        sign_in(reader, "reader", "reader password")
        reader_id = live.store.find_user("reader").id
        answer = admin.post(f"/users/{reader_id}/sign-out", data={"csrf": csrf})
        assert answer.status_code == 303
        assert reader.get("/").status_code == 303
        assert admin.get("/").status_code == 200
        # only an administrator may
        sign_in(reader, "reader", "reader password")
        reader_csrf = csrf_of(reader, "/settings")
        refused = reader.post("/users/1/sign-out", data={"csrf": reader_csrf})
        assert refused.status_code == 403
        assert admin.get("/").status_code == 200


def _fever(client: httpx.Client, key: str) -> httpx.Response:
    return client.post("/api/fever.php?api", data={"api_key": key})


def test_wrong_fever_keys_are_throttled_but_not_the_right_key_elsewhere(live: LiveServer) -> None:
    with browser(live) as attacker, browser(live, source="127.0.0.2") as reader:
        answers = [_fever(attacker, f"{n:032x}") for n in range(25)]
        assert all(a.json()["auth"] == 0 for a in answers[:20])
        blocked = answers[-1]
        assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
        assert _fever(attacker, FEVER_KEY).status_code == 429  # this address waits
        assert _fever(reader, FEVER_KEY).json()["auth"] == 1


def test_wrong_basic_passwords_are_throttled_per_account_and_address(live: LiveServer) -> None:
    with browser(live) as attacker, browser(live, source="127.0.0.2") as reader:
        wrong = [
            attacker.get("/all.atom", auth=(ADMIN, f"guess {n}")).status_code for n in range(7)
        ]
        assert wrong[:5] == [401] * 5 and wrong[5:] == [429, 429]
        assert attacker.get("/all.atom", auth=(ADMIN, ADMIN_API_PASSWORD)).status_code == 429
        assert reader.get("/all.atom", auth=(ADMIN, ADMIN_API_PASSWORD)).status_code == 200


def test_wrong_api_tokens_are_throttled_but_not_the_right_token_elsewhere(
    live: LiveServer,
) -> None:
    token, token_hash = new_token()
    live.store.create_api_token(1, token_hash, "script")
    with browser(live) as attacker, browser(live, source="127.0.0.2") as reader:
        wrong = [
            attacker.get("/api/v1/me", headers={"Authorization": f"Bearer nd_{n}"}).status_code
            for n in range(21)
        ]
        assert wrong[:20] == [401] * 20 and wrong[20] == 429
        right = {"Authorization": f"Bearer {token}"}
        assert attacker.get("/api/v1/me", headers=right).status_code == 429
        assert reader.get("/api/v1/me", headers=right).status_code == 200


def test_forwarded_for_is_ignored_without_trusted_proxies(live: LiveServer) -> None:
    with browser(live) as client:
        for n in range(20):
            forwarded = {"X-Forwarded-For": f"203.0.113.{n}"}
            guess = (f"user{n}", "guess")
            assert client.get("/all.atom", headers=forwarded, auth=guess).status_code == 401
        last = client.get("/all.atom", headers={"X-Forwarded-For": "198.51.100.1"}, auth=("u", "y"))
        assert last.status_code == 429  # every guess was counted against 127.0.0.1


class TestBehindATrustedProxy:
    @pytest.fixture
    def web_settings(self, web_settings: Settings) -> Settings:
        return web_settings.model_copy(update={"trusted_proxies": "10.9.9.9, 127.0.0.0/8"})

    def test_forwarded_for_names_the_client(self, live: LiveServer) -> None:
        with browser(live) as proxy:
            hop = {"X-Forwarded-For": "198.51.100.7"}
            for n in range(20):
                guess = (f"user{n}", "guess")
                assert proxy.get("/all.atom", headers=hop, auth=guess).status_code == 401
            assert proxy.get("/all.atom", headers=hop, auth=("u", "y")).status_code == 429
            # another client behind the same proxy is not held up by that one
            other = {"X-Forwarded-For": "203.0.113.5, 10.9.9.9"}
            right = (ADMIN, ADMIN_API_PASSWORD)
            assert proxy.get("/all.atom", headers=other, auth=right).status_code == 200
            # a client cannot pass for another by writing the header itself: the proxy appends
            spoofed = {"X-Forwarded-For": "203.0.113.5, 198.51.100.7"}
            assert proxy.get("/all.atom", headers=spoofed, auth=right).status_code == 429

    def test_sessions_show_the_forwarded_address(self, live: LiveServer) -> None:
        with browser(live) as client:
            client.headers["X-Forwarded-For"] = "192.0.2.44"
            sign_in(client, ADMIN, ADMIN_PASSWORD)
            assert "192.0.2.44" in client.get("/settings").text

