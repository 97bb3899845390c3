"""`newsdesk user`: accounts made, listed, reset and removed from the command line, checked
through the web reader they sign in to (a real server over the same SQLite store)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from newsdesk.config import Settings
from newsdesk.store import Store
from newsdesk.web.app import create_app
from newsdesk.web.auth.passwords import fever_api_key
from tests.cli.conftest import Cli
from tests.web.conftest import (
    ADMIN,
    ADMIN_PASSWORD,
    LiveServer,
    SignedInClient,
    ThreadedServer,
    seed_articles,
    sign_in,
)

BOB_PASSWORD = "bob's long password"


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[tuple[Cli, LiveServer]]:
    """The command line and a web server over one data directory, with the admin account."""
    cli = Cli(tmp_path / "data")
    settings = Settings(data_dir=tmp_path / "data", admin_user=ADMIN,
                        admin_password=ADMIN_PASSWORD, extract_processes=0)  # fmt: skip
    store = Store.open(settings)
    app = create_app(settings, store=store)
    with ThreadedServer(app) as server:
        yield cli, LiveServer(server.url, app, store, settings)
    store.close()


@contextmanager
def signed_in(live: LiveServer, name: str, password: str) -> Iterator[SignedInClient]:
    with SignedInClient(base_url=live.url, timeout=30) as client:
        client.csrf = sign_in(client, name, password)
        yield client


def can_sign_in(live: LiveServer, name: str, password: str) -> bool:
    with httpx.Client(base_url=live.url, timeout=30) as client:
        from tests.web.conftest import csrf_of

        token = csrf_of(client, "/login")
        answer = client.post("/login", data={"username": name, "password": password,
                                             "csrf": token, "next": "/"})  # fmt: skip
        return answer.status_code == 303


def test_add_list_and_remove_an_account(shared: tuple[Cli, LiveServer]) -> None:
    cli, live = shared
    added = cli("user", "add", "bob", "--password-stdin", "--json", input=BOB_PASSWORD + "\n")
    assert json.loads(added.stdout) | {"created": None} == {
        "id": 2, "username": "bob", "admin": False, "created": None
    }  # fmt: skip
    assert can_sign_in(live, "bob", BOB_PASSWORD)
    listed = cli.json_lines("user", "list")
    assert [(u["username"], u["admin"]) for u in listed] == [("admin", True), ("bob", False)]
    table = cli("user", "list").stdout
    assert "bob" in table and "reader" in table and "admin" in table

    again = cli("user", "add", "bob", "--password-stdin", input=BOB_PASSWORD + "\n", ok=False)
    assert again.exit_code == 1 and "already exists" in again.stderr
    short = cli("user", "add", "carol", "--password-stdin", input="short\n", ok=False)
    assert short.exit_code == 2 and "at least 8 characters" in short.stderr
    no_tty = cli("user", "add", "carol", ok=False)
    assert no_tty.exit_code == 2 and "--password-stdin" in no_tty.stderr

    removed = cli("user", "remove", "bob")
    assert "removed the account 'bob'" in removed.stdout
    assert not can_sign_in(live, "bob", BOB_PASSWORD)
    assert [u["username"] for u in cli.json_lines("user", "list")] == ["admin"]
    missing = cli("user", "remove", "bob", ok=False)
    assert missing.exit_code == 1 and "no account named 'bob'" in missing.stderr
    last = cli("user", "remove", "admin", ok=False)
    assert last.exit_code == 1 and "last administrator" in last.stderr


def test_passwd_resets_a_lost_password_and_signs_the_account_out(
    shared: tuple[Cli, LiveServer],
) -> None:
    cli, live = shared
    with signed_in(live, ADMIN, ADMIN_PASSWORD) as browser:
        assert browser.get("/settings").status_code == 200
        done = cli("user", "passwd", "admin", "--password-stdin", input="a brand new secret\n")
        assert "password of 'admin' changed; 1 signed-in browser signed out" in done.stdout
        after = browser.get("/settings")
        assert after.status_code == 303 and after.headers["location"].startswith("/login")
    assert not can_sign_in(live, ADMIN, ADMIN_PASSWORD)
    assert can_sign_in(live, ADMIN, "a brand new secret")
    unknown = cli("user", "passwd", "nobody", "--password-stdin", input="whatever123\n", ok=False)
    assert unknown.exit_code == 1 and "no account named 'nobody'" in unknown.stderr


def test_two_accounts_keep_their_own_marks_and_tokens(shared: tuple[Cli, LiveServer]) -> None:
    cli, live = shared
    cli("user", "add", "bob", "--password-stdin", input=BOB_PASSWORD + "\n")
    _, ids = seed_articles(live.store, 3)
    with (
        signed_in(live, ADMIN, ADMIN_PASSWORD) as admin,
        signed_in(live, "bob", BOB_PASSWORD) as bob,
    ):
        for path in (f"/articles/{ids[0]}/read", f"/articles/{ids[1]}/star"):
            answer = bob.post(path, data={"csrf": bob.csrf, "next": "/"})
            assert answer.status_code in (200, 303), answer.text[:300]
        bob_token = bob.post("/settings/tokens", data={"csrf": bob.csrf, "name": "bob's script"})
        assert "bob&#39;s script" in bob_token.text

        assert "Story number 0" not in bob.get("/?unread=1").text
        assert "Story number 1" in bob.get("/?starred=1").text
        assert "Story number 0" in admin.get("/?unread=1").text
        assert "Story number 1" not in admin.get("/?starred=1").text
        assert "bob&#39;s script" not in admin.get("/settings").text
        assert "No tokens yet." in admin.get("/settings").text

        # each account its own API password: bob's signs in bob, and only bob
        saved = bob.post("/settings/api-password",
                         data={"csrf": bob.csrf, "api_password": "bob's api password"})  # fmt: skip
        assert saved.status_code == 303
        for name, auth in (("bob", 1), (ADMIN, 0)):
            key = fever_api_key(name, "bob's api password")
            answer = httpx.post(f"{live.url}/api/fever.php?api", data={"api_key": key})
            assert answer.json()["auth"] == auth, name


def test_an_admin_removes_an_account_on_the_settings_page(shared: tuple[Cli, LiveServer]) -> None:
    cli, live = shared
    cli("user", "add", "bob", "--password-stdin", input=BOB_PASSWORD + "\n")
    bob_id = live.store.find_user("bob").id
    with signed_in(live, "bob", BOB_PASSWORD) as bob:
        refused = bob.post(f"/users/{bob_id}/delete", data={"csrf": bob.csrf})
        assert refused.status_code == 403
        assert 'id="users-title"' not in bob.get("/settings").text  # the accounts: admins only
    with signed_in(live, ADMIN, ADMIN_PASSWORD) as admin:
        page = admin.get("/settings").text
        assert 'id="users-title"' in page and "<li>bob" in page
        assert f'action="/users/{bob_id}/delete"' in page
        short = admin.post("/users", data={"csrf": admin.csrf, "username": "carol",
                                           "password": "short"})  # fmt: skip
        assert short.status_code == 400 and "at least 8 characters" in short.text
        assert 'name="username" autocomplete="off" required maxlength="64" value="carol"' in (
            short.text
        )  # what was typed is kept (the password is not)
        no_csrf = admin.post(f"/users/{bob_id}/delete", data={})
        assert no_csrf.status_code == 403
        done = admin.post(f"/users/{bob_id}/delete", data={"csrf": admin.csrf})
        assert done.status_code == 303
        assert "Account removed." in admin.get(done.headers["location"]).text
        admin_id = live.store.find_user(ADMIN).id
        own = admin.post(f"/users/{admin_id}/delete", data={"csrf": admin.csrf})
        assert own.status_code == 409
    assert [u["username"] for u in cli.json_lines("user", "list")] == ["admin"]


def test_the_admin_password_variable_ignored_is_said_at_start(
    shared: tuple[Cli, LiveServer], capfd: pytest.CaptureFixture[str]
) -> None:
    _, live = shared
    create_app(live.settings, store=live.store)  # a second start over the same store
    assert "NEWSDESK_ADMIN_PASSWORD is ignored" in capfd.readouterr().err


def test_the_first_start_hint_names_user_passwd(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(Settings(data_dir=tmp_path / "fresh"))
    try:
        create_app(Settings(data_dir=tmp_path / "fresh"), store=store)
    finally:
        store.close()
    err = capfd.readouterr().err
    assert "created the admin account 'admin' with password" in err
    assert "newsdesk user passwd admin" in err


def read_until(fd: int, wanted: str, seen: list[str]) -> None:
    """Read the terminal's output until `wanted` shows (or the process ends)."""
    import os
    import select

    deadline = time.monotonic() + 60
    while wanted not in "".join(seen) and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                chunk = os.read(fd, 1024)
            except OSError:  # the other side closed: the process ended
                return
            if not chunk:
                return
            seen.append(chunk.decode(errors="replace"))


def test_passwd_asks_twice_on_a_terminal(shared: tuple[Cli, LiveServer]) -> None:
    import os
    import pty
    import sys

    cli, live = shared
    pid, terminal = pty.fork()
    if pid == 0:  # the child: newsdesk on a real terminal
        os.execvpe(sys.executable, [sys.executable, "-m", "newsdesk", "user", "passwd", "admin"],
                   {**os.environ, **cli.env})  # fmt: skip
    seen: list[str] = []
    # the space after the colon comes once the terminal stops echoing: type only then
    read_until(terminal, "New password: ", seen)
    os.write(terminal, b"typed at the terminal\n")
    read_until(terminal, "Repeat for confirmation: ", seen)
    os.write(terminal, b"typed at the terminal\n")
    read_until(terminal, "changed", seen)
    _, status = os.waitpid(pid, 0)
    output = re.sub(r"\x1b\[[0-9;]*m", "", "".join(seen))  # a terminal gets colours
    assert os.waitstatus_to_exitcode(status) == 0, output
    assert "typed at the terminal" not in output  # not echoed
    assert "password of 'admin' changed" in output
    assert can_sign_in(live, ADMIN, "typed at the terminal")
