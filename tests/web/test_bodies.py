"""Request bodies are bounded before they are read, and the JSON API asks who is calling before it
reads one: against a real `newsdesk serve` process on 127.0.0.1, whose memory (RSS, from /proc)
must not grow by anything like the size of what a client sends."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from newsdesk.config import Settings
from newsdesk.store import Store
from newsdesk.web.auth.tokens import new_token
from tests.cli.test_up import answers, free_port, newsdesk_env, running, wait_until

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

MB = 1024 * 1024
BODY = 64 * MB  # what a hostile client sends; the server keeps at most its 10 MB limit
GROWTH = 24 * MB  # the limit and the allocator's slack, far below the body


def body(size: int, head: bytes = b'{"folder": "') -> Iterator[bytes]:
    """A JSON body of `size` bytes, made as it is sent, so the client holds 1 MB at a time."""
    yield head
    for _ in range(size // MB):
        yield b"x" * MB
    yield b'"}'


def rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, int, str]]:
    """The URL, process id and an API token of a running `newsdesk serve`."""
    data = tmp_path / "data"
    port = free_port()
    with running(newsdesk_env(data), port, "serve") as run:
        wait_until(lambda: answers(port), "answered", run.process)
        store = Store.open(Settings(data_dir=data))
        token, token_hash = new_token()
        store.create_api_token(store.find_user("admin").id, token_hash, "bodies")
        store.close()
        yield f"http://127.0.0.1:{port}", run.process.pid, token


def post(url: str, **options: object) -> httpx.Response:
    return httpx.post(url, timeout=120, **options)  # type: ignore[arg-type]


def test_a_huge_body_is_refused_unread(server: tuple[str, int, str]) -> None:
    url, pid, token = server
    before = rss(pid)
    bearer = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    # unauthenticated, no length (chunked): who is calling is asked before the body is read
    answer = post(f"{url}/api/v1/articles/mark-read", content=body(BODY))
    assert answer.status_code == 401, answer.text
    assert "authentication required" in answer.json()["error"]

    # a declared length over the limit: 413 before anything else, signed in or not
    declared = {"Content-Length": str(BODY + 14)}
    answer = post(f"{url}/api/v1/feeds", content=body(BODY), headers=declared)
    assert answer.status_code == 413, answer.text
    assert answer.json()["error"] == "the request body is over 10 MB"

    # authenticated and chunked: counted as it arrives, refused once past the limit
    answer = post(f"{url}/api/v1/articles/mark-read", content=body(BODY), headers=bearer)
    assert answer.status_code == 413, answer.text

    # the same for a page's form and the client APIs that read their form first
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for path in ("/login", "/api/fever.php?api", "/api/greader/reader/api/0/edit-tag"):
        answer = post(f"{url}{path}", content=body(BODY, b"a="), headers=form)
        assert answer.status_code in (400, 413), (path, answer.status_code)

    grown = rss(pid) - before
    assert grown < GROWTH, f"the server grew by {grown // MB} MB for {BODY // MB} MB bodies"

    # bodies under the limit are read as before
    answer = post(f"{url}/api/v1/articles/mark-read", json={"folder": "x" * 100}, headers=bearer)
    assert answer.status_code == 200 and answer.json() == {"marked": 0}


def test_the_opml_upload_keeps_its_own_5_mb_limit(server: tuple[str, int, str]) -> None:
    url, _, token = server
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/x-opml"}
    answer = post(f"{url}/api/v1/opml", content=body(6 * MB, b"<opml>"), headers=headers)
    assert answer.status_code == 413
    assert answer.json()["error"] == "the OPML file is over 5 MB"


def status_before_the_body_ends(url: str, path: str, headers: dict[str, str], sent: bytes) -> int:
    """Send a request's head and the start of its body, never the rest; the status the server
    answers with meanwhile (a server that waited for the whole body would answer nothing)."""
    host, port = url.removeprefix("http://").split(":")
    head = f"POST {path} HTTP/1.1\r\nHost: {host}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(head.encode() + sent)
        try:
            answer = connection.recv(65536)
        except TimeoutError:
            raise AssertionError(f"{path}: no answer while the body was unfinished") from None
    return int(answer.split(b" ", 2)[1])


def test_credential_forms_are_refused_before_they_are_read_whole(
    server: tuple[str, int, str],
) -> None:
    url, _, _ = server
    form = "application/x-www-form-urlencoded"
    start = b"a=" + b"x" * (100 * 1024)  # of 5 MB declared, under the 10 MB body limit
    declared = {"Content-Type": form, "Content-Length": str(5 * MB)}
    chunked = {"Content-Type": form, "Transfer-Encoding": "chunked"}
    chunk = f"{len(start):x}\r\n".encode() + start + b"\r\n"  # and no last chunk
    edit_tag = "/api/greader/reader/api/0/edit-tag"
    for path in ("/api/fever.php?api", "/api/greader/accounts/ClientLogin", edit_tag):
        # the credential is in the form: only a small one is read before it is checked
        assert status_before_the_body_ends(url, path, declared, start) == 413, path
        assert status_before_the_body_ends(url, path, chunked, chunk) == 413, path
    # the Reader token in its header: checked first, a wrong one answered without the body
    wrong = {"Authorization": "GoogleLogin auth=admin/0123456789abcdef"}
    assert status_before_the_body_ends(url, edit_tag, declared | wrong, start) == 401
    assert status_before_the_body_ends(url, edit_tag, chunked | wrong, chunk) == 401
