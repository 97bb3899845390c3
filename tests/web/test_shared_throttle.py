"""One throttle across processes: two real `newsdesk serve` processes on one store allow an
address, and an address and account, what one process allows (failures are kept in the
store)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from newsdesk.web.auth.passwords import fever_api_key
from tests.cli.test_up import answers, free_port, newsdesk_env, running, wait_until

API_PASSWORD = "api password 123"
FEVER_KEY = fever_api_key("admin", API_PASSWORD)


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[str, str]]:
    env = newsdesk_env(tmp_path / "data", admin_api_password=API_PASSWORD)
    with contextlib.ExitStack() as stack:
        urls = []
        for _ in range(2):  # one after the other: the first makes the store
            port = free_port()
            run = stack.enter_context(running(env, port, "serve"))
            wait_until(lambda port=port: answers(port), "answered", run.process)
            urls.append(f"http://127.0.0.1:{port}")
        yield urls[0], urls[1]


def client(url: str, source: str) -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=source)
    return httpx.Client(base_url=url, timeout=30, transport=transport)


def fever(http: httpx.Client, key: str) -> httpx.Response:
    return http.post("/api/fever.php?api", data={"api_key": key})


def client_login(http: httpx.Client, password: str) -> int:
    answer = http.post(
        "/api/greader/accounts/ClientLogin", data={"Email": "admin", "Passwd": password}
    )
    return answer.status_code


def test_two_servers_share_the_throttle_per_address(two_servers: tuple[str, str]) -> None:
    first_url, second_url = two_servers
    with client(first_url, "127.0.0.1") as first, client(second_url, "127.0.0.1") as second:
        # 20 wrong keys from one address, half to each server: each saw only 10
        wrong = [fever(http, f"{n:032x}") for n in range(10) for http in (first, second)]
        assert [answer.json()["auth"] for answer in wrong] == [0] * 20
        for http in (first, second):  # the address has had its 20, on either server
            assert fever(http, f"{99:032x}").status_code == 429
            assert fever(http, FEVER_KEY).status_code == 429
    with client(second_url, "127.0.0.2") as elsewhere:
        assert fever(elsewhere, FEVER_KEY).json()["auth"] == 1


def test_two_servers_share_the_throttle_per_account(two_servers: tuple[str, str]) -> None:
    first_url, second_url = two_servers
    with client(first_url, "127.0.0.3") as first, client(second_url, "127.0.0.3") as second:
        guesses = [client_login(http, f"guess {n}") for n in range(3) for http in (first, second)]
        assert guesses[:5] == [401] * 5  # 5 for the account from this address, on either
        assert guesses[5] == 429
        assert client_login(first, API_PASSWORD) == 429
        assert client_login(second, API_PASSWORD) == 429
    with client(first_url, "127.0.0.4") as elsewhere:
        assert client_login(elsewhere, API_PASSWORD) == 200
