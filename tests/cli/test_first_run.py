"""The first run in a terminal: what `newsdesk up`, `poll`, `feeds` and the address guard say,
through the real command (Typer's runner on a real store, or a real process)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.config import Settings
from newsdesk.store import Store
from tests.cli.conftest import Cli
from tests.cli.test_up import answers, free_port, newsdesk_env, running, wait_until
from tests.sites.publisher import Publisher


def add_feeds(data: Path, *urls: str) -> list[int]:
    store = Store.open(Settings(data_dir=data))
    try:
        return [store.add_feed(url)[0].id for url in urls]
    finally:
        store.close()


def test_poll_once_counts_failures_in_its_summary(
    cli: Cli, tmp_path: Path, publisher: Publisher
) -> None:
    missing = publisher.home_url("harbour-gazette") + "no-such-feed.xml"
    add_feeds(tmp_path / "data", publisher.feed_url("harbour-gazette"), missing)
    result = cli("poll", "--once")
    assert result.stdout.strip().endswith("new articles, 1 failed"), result.stdout
    assert result.stdout.startswith("2 feeds polled (0 unchanged), ")
    assert result.stderr == f"! {missing}: HTTP 404 Not Found ({missing})\n"
    report = json.loads(cli("poll", "--once", "--json").stdout)
    assert report["failed"] == len(report["errors"])


def test_a_refused_loopback_address_names_the_setting(cli: Cli, publisher: Publisher) -> None:
    cli.env["NEWSDESK_ALLOW_PRIVATE_NETWORKS"] = "false"
    result = cli("add", publisher.feed_url("harbour-gazette"), ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: refused loopback address 127.")
    assert "NEWSDESK_ALLOW_PRIVATE_NETWORKS=true allows it" in result.stderr


def test_a_paused_feed_shows_paused_not_a_next_fetch(cli: Cli, tmp_path: Path) -> None:
    paused, running_feed = add_feeds(
        tmp_path / "data", "https://paused.example/feed.xml", "https://live.example/feed.xml"
    )
    store = Store.open(Settings(data_dir=tmp_path / "data"))
    try:
        store.update_feed(paused, paused=True)
    finally:
        store.close()
    rows = {line.split()[0]: line for line in cli("feeds").stdout.splitlines()[1:]}
    assert rows[str(paused)].split()[-2:] == ["paused", "0"]
    assert "paused" not in rows[str(running_feed)]
    listed = {f["id"]: f for f in cli.json_lines("feeds")}
    assert listed[paused]["paused"] is True and listed[paused]["next_fetch"] is None


def test_tables_piped_to_another_program_are_not_wrapped(cli: Cli, tmp_path: Path) -> None:
    long_title = "A feed with a name far longer than eighty columns, as some publishers give"
    store = Store.open(Settings(data_dir=tmp_path / "data"))
    try:
        store.add_feed("https://long.example/feed.xml", title=long_title)
    finally:
        store.close()
    lines = cli("feeds").stdout.splitlines()  # the runner's output is not a terminal
    assert len(lines) == 2, lines
    assert long_title in lines[1] and len(lines[1]) > 80


def test_a_port_in_use_is_one_line_naming_the_option(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "newsdesk", "serve", "--port", str(port)],
            env=newsdesk_env(tmp_path / "data"),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert lines == [
        f"error: port {port} on 127.0.0.1 is in use (another newsdesk?); choose another with --port"
    ]


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_up_logs_a_line_per_poll_round_and_per_failing_feed(
    tmp_path: Path, publisher: Publisher
) -> None:
    data = tmp_path / "data"
    missing = publisher.home_url("harbour-gazette") + "no-such-feed.xml"
    add_feeds(data, publisher.feed_url("harbour-gazette"), missing)
    env = newsdesk_env(
        data, allow_private_networks="true", per_host_interval="0", extract_processes="0"
    )
    port = free_port()
    store = Store.open(Settings(data_dir=data))
    try:
        with running(env, port) as run:
            wait_until(lambda: answers(port), "served the reader", run.process)
            wait_until(
                lambda: all(f.last_fetched_at for f in store.list_feeds()),
                "polled both feeds",
                run.process,
            )
            wanted = len(publisher.article_urls("harbour-gazette"))
            wait_until(lambda: store.count_articles() == wanted, "stored them", run.process)
    finally:
        store.close()
    output = run.output
    assert "Traceback" not in output
    rounds = [line for line in output.splitlines() if "feeds polled" in line]
    assert rounds and rounds[0].endswith(
        f"2 feeds polled (0 unchanged), {wanted} new articles, 1 failed"
    )
    failures = [line for line in output.splitlines() if "failed: " in line]
    assert len(failures) == 1, output
    assert failures[0].endswith(f"failed: {missing}: HTTP 404 Not Found ({missing})")
