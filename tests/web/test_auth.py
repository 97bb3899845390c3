"""Accounts, sessions, CSRF, sign-in limits and security headers, over a real server."""

from __future__ import annotations

import os
import re
import stat

import httpx
import pytest

from newsdesk.config import Settings
from newsdesk.store import Store
from newsdesk.web.app import create_app
from newsdesk.web.auth.passwords import verify_password
from newsdesk.web.pages.common import safe_next
from tests.web.conftest import (
    ADMIN,
    ADMIN_API_PASSWORD,
    ADMIN_PASSWORD,
    LiveServer,
    ThreadedServer,
    csrf_of,
    seed_articles,
    sign_in,
)


def test_admin_from_settings_signs_in_with_a_protected_cookie(live: LiveServer, anon: httpx.Client):
    token = csrf_of(anon, "/login")
    answer = anon.post(
        "/login", data={"username": ADMIN, "password": ADMIN_PASSWORD, "csrf": token, "next": "/"}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"
    cookie = next(
        value
        for name, value in answer.headers.multi_items()
        if name == "set-cookie" and value.startswith("newsdesk_session=")
    )
    assert "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
    home = anon.get("/")
    assert home.status_code == 200
    assert "Sign out" in home.text and ADMIN in home.text


def test_wrong_password_is_refused_with_a_clear_message(anon: httpx.Client):
    token = csrf_of(anon, "/login")
    answer = anon.post("/login", data={"username": ADMIN, "password": "nope", "csrf": token})
    assert answer.status_code == 401
    assert "Wrong user name or password." in answer.text
    assert anon.get("/").status_code == 303  # still signed out


def test_unknown_user_is_refused_the_same_way(anon: httpx.Client):
    token = csrf_of(anon, "/login")
    answer = anon.post("/login", data={"username": "ghost", "password": "x" * 9, "csrf": token})
    assert answer.status_code == 401
    assert "Wrong user name or password." in answer.text


def test_anonymous_pages_redirect_to_login_with_next(anon: httpx.Client):
    answer = anon.get("/sources?x=1")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fsources%3Fx%3D1"
    assert anon.get("/").headers["location"] == "/login?next=%2F"


def test_login_without_csrf_token_is_refused(anon: httpx.Client):
    anon.get("/login")
    answer = anon.post("/login", data={"username": ADMIN, "password": ADMIN_PASSWORD})
    assert answer.status_code == 403
    assert "reload the page" in answer.text


def test_csrf_token_of_another_browser_is_refused(live: LiveServer, admin_client: httpx.Client):
    _, ids = seed_articles(live.store, 1)
    with httpx.Client(timeout=60, base_url=live.url) as other:
        foreign = csrf_of(other, "/login")
    answer = admin_client.post(f"/articles/{ids[0]}/star", data={"value": "1", "csrf": foreign})
    assert answer.status_code == 403
    user = live.store.find_user(ADMIN)
    assert live.store.article_states(user.id, ids).get(ids[0], (False, False))[1] is False


def test_forged_session_cookie_is_ignored(live: LiveServer):
    with httpx.Client(
        timeout=60, base_url=live.url, cookies={"newsdesk_session": "eyJ1aWQiOjF9.forged"}
    ) as c:
        assert c.get("/").status_code == 303


def test_logout_ends_the_session(admin_client: httpx.Client):
    assert admin_client.get("/").status_code == 200
    answer = admin_client.post("/logout", data={"csrf": admin_client.csrf})
    assert answer.status_code == 303
    assert admin_client.get("/").status_code == 303


def test_sign_in_attempts_are_limited_per_address_and_user(anon: httpx.Client, live: LiveServer):
    token = csrf_of(anon, "/login")
    for _ in range(5):
        wrong = anon.post("/login", data={"username": ADMIN, "password": "bad", "csrf": token})
        assert wrong.status_code == 401
    blocked = anon.post(
        "/login", data={"username": ADMIN, "password": ADMIN_PASSWORD, "csrf": token}
    )
    assert blocked.status_code == 429
    assert "Too many failed sign-ins" in blocked.text
    assert int(blocked.headers["retry-after"]) > 0
    # another name from the same address still gets its own attempts
    other = anon.post("/login", data={"username": "someone", "password": "bad", "csrf": token})
    assert other.status_code == 401


def test_open_redirects_after_sign_in_are_refused():
    assert safe_next("//evil.example/") == "/"
    assert safe_next("https://evil.example/") == "/"
    assert safe_next("/\\evil.example") == "/"
    assert safe_next("/sources?x=1") == "/sources?x=1"
    assert safe_next(None) == "/"


def test_generated_admin_password_is_printed_once_and_works(
    settings: Settings, capfd: pytest.CaptureFixture[str]
):
    store = Store.open(settings)
    try:
        create_app(settings, store=store)
        printed = capfd.readouterr().err
        match = re.search(r"password '([^']+)'", printed)
        assert match, printed
        create_app(settings, store=store)
        assert "password" not in capfd.readouterr().err
        app = create_app(settings, store=store)
        with ThreadedServer(app) as server, httpx.Client(timeout=60, base_url=server.url) as client:
            sign_in(client, "admin", match.group(1))
            assert client.get("/").status_code == 200
    finally:
        store.close()


def test_secret_key_is_generated_once_and_kept_private(live: LiveServer, web_settings: Settings):
    path = web_settings.data_dir / "secret_key"
    assert path.is_file()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with httpx.Client(timeout=60, base_url=live.url) as client:
        sign_in(client, ADMIN, ADMIN_PASSWORD)
        cookie = client.cookies["newsdesk_session"]
    # a second app over the same data folder accepts the first one's session
    again = create_app(web_settings, store=live.store)
    jar = {"newsdesk_session": cookie}
    with (
        ThreadedServer(again) as server,
        httpx.Client(timeout=60, base_url=server.url, cookies=jar) as client,
    ):
        assert client.get("/").status_code == 200


def test_admin_api_password_comes_from_settings(live: LiveServer):
    user = live.store.find_user(ADMIN)
    assert user.is_admin
    assert verify_password(live.store.user_api_password_hash(user.id), ADMIN_API_PASSWORD)
    assert not verify_password(live.store.user_api_password_hash(user.id), ADMIN_PASSWORD)


def test_user_sets_api_password_and_changes_login_password(
    live: LiveServer, admin_client: httpx.Client
):
    short = admin_client.post(
        "/settings/api-password", data={"api_password": "short", "csrf": admin_client.csrf}
    )
    assert short.status_code == 400 and "at least 8 characters" in short.text
    saved = admin_client.post(
        "/settings/api-password",
        data={"api_password": "a new api password", "csrf": admin_client.csrf},
    )
    assert saved.status_code == 303
    user = live.store.find_user(ADMIN)
    assert verify_password(live.store.user_api_password_hash(user.id), "a new api password")

    wrong = admin_client.post(
        "/settings/password",
        data={"current": "not it", "new": "brand new password", "csrf": admin_client.csrf},
    )
    assert wrong.status_code == 400 and "current password is not right" in wrong.text
    changed = admin_client.post(
        "/settings/password",
        data={"current": ADMIN_PASSWORD, "new": "brand new password", "csrf": admin_client.csrf},
    )
    assert changed.status_code == 303
    with httpx.Client(timeout=60, base_url=live.url) as client:
        sign_in(client, ADMIN, "brand new password")


def test_admin_adds_users_and_state_stays_per_user(live: LiveServer, admin_client: httpx.Client):
    _, ids = seed_articles(live.store, 2)
    added = admin_client.post(
        "/users",
        data={"username": "reader", "password": "reader password", "csrf": admin_client.csrf},
    )
    assert added.status_code == 303
    again = admin_client.post(
        "/users",
        data={"username": "reader", "password": "reader password", "csrf": admin_client.csrf},
    )
    assert again.status_code == 409 and "already exists" in again.text
    bad = admin_client.post(
        "/users", data={"username": "a b", "password": "reader password", "csrf": admin_client.csrf}
    )
    assert bad.status_code == 400 and "without spaces" in bad.text

    star = admin_client.post(
        f"/articles/{ids[0]}/star", data={"value": "1", "csrf": admin_client.csrf}
    )
    assert star.status_code == 303
    with httpx.Client(timeout=60, base_url=live.url) as reader:
        token = sign_in(reader, "reader", "reader password")
        assert "is-starred" not in reader.get("/").text
        assert "Story number 0" not in reader.get("/?starred=1").text
        # a non-admin cannot add accounts
        refused = reader.post("/users", data={"username": "x", "password": "y" * 10, "csrf": token})
        assert refused.status_code == 403
    assert "Story number 0" in admin_client.get("/?starred=1").text


def test_security_headers_and_no_inline_code(live: LiveServer, admin_client: httpx.Client):
    seed_articles(live.store, 3)
    with httpx.Client(timeout=60, base_url=live.url) as anonymous:
        login = anonymous.get("/login")
    pages = [(path, admin_client.get(path)) for path in
             ("/", "/search?q=story", "/sources", "/settings", "/articles/1")]  # fmt: skip
    for path, page in [("/login", login), *pages]:
        assert page.status_code == 200, path
        csp = page.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["referrer-policy"] == "same-origin"
        html = page.text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert "<style" not in html and " style=" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path


def test_every_form_carries_a_csrf_token(live: LiveServer, admin_client: httpx.Client):
    seed_articles(live.store, 2)
    for path in ("/", "/sources", "/settings", "/articles/1"):
        html = admin_client.get(path).text
        for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, re.S):
            assert 'name="csrf"' in form, (path, form[:200])


def test_pages_have_landmarks_and_every_field_a_label(live: LiveServer, admin_client: httpx.Client):
    from lxml import html as lxml_html

    seed_articles(live.store, 3)
    for path in ("/", "/search?q=story", "/sources", "/settings", "/articles/1"):
        doc = lxml_html.fromstring(admin_client.get(path).text)
        assert doc.xpath("//header[@role='banner']") and doc.xpath("//main[@id='main']"), path
        assert doc.xpath("//nav[@aria-label]") and doc.xpath("//footer"), path
        assert doc.xpath("//a[@class='skip' and @href='#main']"), path
        assert len(doc.xpath("//h1")) == 1, path
        labelled = set(doc.xpath("//label/@for"))
        for field in doc.xpath("//input[not(@type='hidden') and not(@hidden)] | //select"):
            inside_label = field.xpath("ancestor::label")
            assert inside_label or field.get("id") in labelled, (path, lxml_html.tostring(field))


def test_api_token_is_created_in_settings_and_shown_once(
    live: LiveServer, admin_client: httpx.Client
):
    page = admin_client.post("/settings/tokens", data={"name": "script", "csrf": admin_client.csrf})
    assert page.status_code == 200
    token = re.search(r'<code class="token"[^>]*>([^<]+)</code>', page.text).group(1)
    with httpx.Client(
        timeout=60, base_url=live.url, headers={"Authorization": f"Bearer {token}"}
    ) as api:
        assert api.get("/api/v1/me").json()["username"] == ADMIN
    assert token not in admin_client.get("/settings").text


def _token_rows(html: str) -> list[str]:
    from lxml import html as lxml_html

    rows = lxml_html.fromstring(html).xpath("//table[@class='tokens']//tbody/tr")
    return [" ".join(row.text_content().split()) for row in rows]


def test_settings_list_tokens_and_revoke_them(live: LiveServer, admin_client: httpx.Client):
    made = admin_client.post("/settings/tokens", data={"name": "script", "csrf": admin_client.csrf})
    token = re.search(r'<code class="token"[^>]*>([^<]+)</code>', made.text).group(1)
    admin_client.post("/settings/tokens", data={"name": "", "csrf": admin_client.csrf})
    page = admin_client.get("/settings").text
    assert _token_rows(page) == ["(no name) just now never Revoke", "script just now never Revoke"]
    assert token not in page
    with httpx.Client(timeout=60, headers={"Authorization": f"Bearer {token}"}) as api:
        assert api.get(f"{live.url}/api/v1/me").status_code == 200
    assert _token_rows(admin_client.get("/settings").text)[1] == "script just now just now Revoke"
    script_id = max(
        (t.id for t in live.store.list_api_tokens(1) if t.name == "script"), default=None
    )
    other = live.store.create_user("reader2", "unused hash")
    theirs = live.store.create_api_token(other.id, "0" * 64, "theirs")
    refused = admin_client.post(f"/settings/tokens/{script_id}/delete")  # no CSRF token
    assert refused.status_code == 403
    not_mine = admin_client.post(f"/settings/tokens/{theirs}/delete",
                                 data={"csrf": admin_client.csrf})  # fmt: skip
    assert not_mine.status_code == 404 and "does not exist" in not_mine.text
    assert [t.name for t in live.store.list_api_tokens(other.id)] == ["theirs"]
    revoked = admin_client.post(f"/settings/tokens/{script_id}/delete",
                                data={"csrf": admin_client.csrf})  # fmt: skip
    assert revoked.status_code == 303 and revoked.headers["location"].endswith("token-revoked")
    page = admin_client.get(revoked.headers["location"]).text
    assert "Token revoked." in page and _token_rows(page) == ["(no name) just now never Revoke"]
    with httpx.Client(timeout=60, headers={"Authorization": f"Bearer {token}"}) as api:
        assert api.get(f"{live.url}/api/v1/me").status_code == 401


def test_a_session_checked_once_is_still_refused_when_too_old(monkeypatch):
    from newsdesk.web.auth import sessions as signing

    sessions = signing.Sessions("a secret key for this test")
    cookie = sessions.dump("session key")
    assert sessions.load(cookie) == {"key": "session key"}
    # the second answer comes from what was checked
    assert sessions.load(cookie) == {"key": "session key"}
    assert sessions.load(cookie[:-2] + "xx") is None
    later = signing.time.time() + signing.SESSION_MAX_AGE + 5
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert sessions.load(cookie) is None
    # and a copy handed out cannot change what is kept
    monkeypatch.undo()
    data = sessions.load(cookie)
    data["key"] = "another"
    assert sessions.load(cookie) == {"key": "session key"}
