"""`newsdesk up` as a real process: polls on schedule, serves the reader, stops cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
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


def newsdesk_env(data: Path, **settings: str) -> dict[str, str]:
    """The environment of a newsdesk process keeping its store in `data`, with an admin."""
    extra = {f"NEWSDESK_{name.upper()}": value for name, value in settings.items()}
    return dict(os.environ, NEWSDESK_DATA_DIR=str(data),
                NEWSDESK_ADMIN_PASSWORD="correct horse battery", **extra)


@dataclass
class Running:
    process: subprocess.Popen[str]
    output: str = ""  # all it printed, once it has stopped


@contextmanager
def running(env: dict[str, str], port: int, command: str = "up", *options: str):
    """A newsdesk process for the block, stopped with SIGTERM after it (its output kept)."""
    run = Running(start_up(env, port, command, *options))
    try:
        yield run
    finally:
        run.process.send_signal(signal.SIGTERM)
        run.output, _ = run.process.communicate(timeout=60)


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
    env = newsdesk_env(
        data, allow_private_networks="true", per_host_interval="0", extract_processes="1"
    )
    store = Store.open(Settings(data_dir=data))
    store.add_feed(publisher.feed_url("harbour-gazette"))
    port = free_port()
    try:
        with running(env, port) as run:
            process = run.process
            wanted = len(publisher.article_urls("harbour-gazette"))
            wait_until(
                lambda: store.count_articles() == wanted, "stored the feed's articles", process
            )
            wait_until(lambda: answers(port), "served the reader", process)
            feed = store.list_feeds()[0]
            assert feed.last_error is None and feed.next_fetch_at is not None
    finally:
        store.close()
    output = run.output
    # uvicorn re-raises the signal it stopped on once shutdown is complete
    assert process.returncode in (0, -signal.SIGTERM), output
    assert "Traceback" not in output
    assert f"http://127.0.0.1:{port}/" in output


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_first_start_without_feeds_says_how_to_add_one(tmp_path: Path) -> None:
    port = free_port()
    with running(newsdesk_env(tmp_path / "data"), port) as run:
        wait_until(lambda: answers(port), "served the reader", run.process)
    assert "newsdesk add" in run.output and "newsdesk import --starter" in run.output
    assert (tmp_path / "data" / "newsdesk.db").is_file()


def worker_processes(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in children.read_text().split()] if children.exists() else []


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_serve_with_workers_shares_accounts_and_sign_in(tmp_path: Path) -> None:
    from tests.web.conftest import sign_in

    port = free_port()
    with running(newsdesk_env(tmp_path / "data"), port, "serve", "--workers", "2") as run:
        process = run.process
        wait_until(lambda: answers(port), "served the reader", process)
        wait_until(lambda: len(worker_processes(process.pid)) >= 2, "started two workers", process)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            sign_in(client, "admin", "correct horse battery")
            # new connections land on either worker: both must know the session's key
            for _ in range(12):
                with httpx.Client(base_url=client.base_url, cookies=client.cookies) as fresh:
                    answer = fresh.get("/", timeout=10)
                    assert answer.status_code == 200, answer.status_code  # not sent to /login
    assert "Traceback" not in run.output
