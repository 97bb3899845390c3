"""`newsdesk up` as a real process: polls on schedule, serves the reader, stops cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from newsdesk.config import Settings
from newsdesk.store import Store


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_up(
    env: dict[str, str], port: int, command: str = "up", *options: str
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsdesk", command, "--port", str(port), *options],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until(check, what: str, process: subprocess.Popen[str], limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"newsdesk up ended early: {process.stdout.read()}")
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"newsdesk up never {what}")


def answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_up_polls_known_feeds_and_serves_the_reader(tmp_path: Path, publisher) -> None:
    data = tmp_path / "data"
    env = dict(
        os.environ,
        NEWSDESK_DATA_DIR=str(data),
        NEWSDESK_ALLOW_PRIVATE_NETWORKS="true",
        NEWSDESK_PER_HOST_INTERVAL="0",
        NEWSDESK_EXTRACT_PROCESSES="1",
        NEWSDESK_ADMIN_PASSWORD="correct horse battery",
    )
    store = Store.open(Settings(data_dir=data))
    store.add_feed(publisher.feed_url("harbour-gazette"))
    port = free_port()
    process = start_up(env, port)
    try:
        wanted = len(publisher.article_urls("harbour-gazette"))
        wait_until(lambda: store.count_articles() == wanted, "stored the feed's articles", process)
        wait_until(lambda: answers(port), "served the reader", process)
        feed = store.list_feeds()[0]
        assert feed.last_error is None and feed.next_fetch_at is not None
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
        store.close()
    # uvicorn re-raises the signal it stopped on once shutdown is complete
    assert process.returncode in (0, -signal.SIGTERM), output
    assert "Traceback" not in output
    assert f"http://127.0.0.1:{port}/" in output


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_first_start_without_feeds_says_how_to_add_one(tmp_path: Path) -> None:
    env = dict(os.environ, NEWSDESK_DATA_DIR=str(tmp_path / "data"),
               NEWSDESK_ADMIN_PASSWORD="correct horse battery")
    port = free_port()
    process = start_up(env, port)
    try:
        wait_until(lambda: answers(port), "served the reader", process)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    assert "newsdesk add" in output and "newsdesk import --starter" in output
    assert (tmp_path / "data" / "newsdesk.db").is_file()


def worker_processes(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in children.read_text().split()] if children.exists() else []


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_serve_with_workers_shares_accounts_and_sign_in(tmp_path: Path) -> None:
    from tests.web.conftest import sign_in

    env = dict(os.environ, NEWSDESK_DATA_DIR=str(tmp_path / "data"),
               NEWSDESK_ADMIN_PASSWORD="correct horse battery")
    port = free_port()
    process = start_up(env, port, "serve", "--workers", "2")
    try:
        wait_until(lambda: answers(port), "served the reader", process)
        wait_until(lambda: len(worker_processes(process.pid)) >= 2, "started two workers", process)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            sign_in(client, "admin", "correct horse battery")
            # new connections land on either worker: both must know the session's key
            for _ in range(12):
                with httpx.Client(base_url=client.base_url, cookies=client.cookies) as fresh:
                    answer = fresh.get("/", timeout=10)
                    assert answer.status_code == 200, answer.status_code  # not sent to /login
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    assert "Traceback" not in output
