"""Shared web fixtures: a real uvicorn server on 127.0.0.1 over a real SQLite store.

    live            LiveServer: .url, .app, .store, .settings (admin: ADMIN / ADMIN_PASSWORD,
                    API password ADMIN_API_PASSWORD)
    anon            httpx.Client against live.url, not signed in
    admin_client    httpx.Client signed in as the admin; .csrf holds a valid form token
    web_settings    the Settings the server runs with (override in a test module to change them)

Helpers: sign_in(client, user, password) -> csrf token; csrf_of(client) -> token;
seed_articles(store, count, ...) -> (feed, [article ids]); tests/web/copies.py seeds copies.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from newsdesk.config import Settings
from newsdesk.model import Article, Feed
from newsdesk.store import Store
from newsdesk.web.app import create_app

ADMIN = "admin"
ADMIN_PASSWORD = "correct horse battery"
ADMIN_API_PASSWORD = "api password 123"

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


@dataclass
class LiveServer:
    url: str
    app: FastAPI
    store: Store
    settings: Settings


class ThreadedServer:
    """uvicorn serving `app` on a free loopback port in a background thread."""

    def __init__(self, app: FastAPI, host: str = "127.0.0.1") -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.url = f"http://{host}:{self.sock.getsockname()[1]}"
        config = uvicorn.Config(
            app, log_level="warning", lifespan="on", access_log=False, proxy_headers=False
        )  # as `newsdesk serve` runs it: X-Forwarded-For is newsdesk's to read
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def __enter__(self) -> ThreadedServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the web server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)
        self.sock.close()


@pytest.fixture
def web_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "admin_user": ADMIN,
            "admin_password": ADMIN_PASSWORD,
            "admin_api_password": ADMIN_API_PASSWORD,
            "extract_processes": 0,  # extract in-process: no worker pool per test
        }
    )


@pytest.fixture
def store(web_settings: Settings) -> Iterator[Store]:
    opened = Store.open(web_settings)
    yield opened
    opened.close()


@pytest.fixture
def live(web_settings: Settings, store: Store) -> Iterator[LiveServer]:
    app = create_app(web_settings, store=store)
    with ThreadedServer(app) as server:
        yield LiveServer(server.url, app, store, web_settings)


@pytest.fixture
def anon(live: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, timeout=30) as client:
        yield client


def csrf_of(client: httpx.Client, path: str = "/login") -> str:
    """The form token of the page at `path` (the browser's CSRF cookie is set on the way)."""
    page = client.get(path, follow_redirects=True)
    match = CSRF_META.search(page.text)
    assert match, f"no CSRF token on {path}: {page.status_code}"
    return match.group(1)


def sign_in(client: httpx.Client, username: str, password: str) -> str:
    """Sign in through the login form; returns a CSRF token valid for this client."""
    token = csrf_of(client, "/login")
    answer = client.post(
        "/login", data={"username": username, "password": password, "csrf": token, "next": "/"}
    )
    assert answer.status_code == 303, answer.text[:500]
    return token


class SignedInClient(httpx.Client):
    csrf: str = ""


@pytest.fixture
def admin_client(live: LiveServer) -> Iterator[SignedInClient]:
    with SignedInClient(base_url=live.url, timeout=30) as client:
        client.csrf = sign_in(client, ADMIN, ADMIN_PASSWORD)
        yield client


def seed_articles(
    store: Store,
    count: int,
    *,
    feed_url: str = "https://news.example.org/feed.xml",
    title: str = "Example News",
    folder: str | None = None,
    start: datetime | None = None,
    make: object = None,
) -> tuple[Feed, list[int]]:
    """A feed and `count` articles, one an hour back from `start` (newest first by index 0),
    got by newsdesk a second apart in the same order.

    `make(i) -> Article` may build each article; by default a plain numbered one.
    """
    feed, _ = store.add_feed(feed_url, title=title, folder=folder)
    start = start or datetime.now(UTC) - timedelta(minutes=5)
    ids = []
    for i in range(count):
        article = make(i) if callable(make) else numbered_article(feed_url, i, start)
        # got a minute after `start`, a second apart, the newest first: crawl order (Google
        # Reader streams) is then reading order (the river), as it is when a feed is followed
        got = start + timedelta(minutes=1) - timedelta(seconds=i)
        article_id, _ = store.save_article(article, feed_id=feed.id, fetched_at=got)
        ids.append(article_id)
    return feed, ids


def numbered_article(feed_url: str, i: int, start: datetime, *, like: int | None = None) -> Article:
    """seed_articles' article number `i`; `like`: with the headline and text of that number."""
    n = i if like is None else like
    return Article(
        url=f"{feed_url.rsplit('/', 1)[0]}/story-{i}",
        title=f"Story number {n}",
        published=start - timedelta(hours=i),
        text=f"Body of story {n}.\n\nA second paragraph about story {n}.",
        description=f"Teaser of story {n}",
        language="en",
    )
