"""The Ray engine gives the rows the local pool gives, on the same WARC file (one Ray started
on this machine, with one CPU: the only Ray start-up of the suite)."""

from __future__ import annotations

import json

import pytest

from tests.cli.warcs import write_news_warc


def rows(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow
@pytest.mark.timeout(600)  # Ray's start-up on a busy machine
def test_ray_and_the_local_pool_give_the_same_rows(cli, publisher, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    warc = write_news_warc(publisher, tmp_path / "crawl.warc.gz")
    by = {}
    for engine in ("local", "ray"):
        out = tmp_path / f"{engine}.jsonl"
        result = cli(
            "archive",
            str(warc.path),
            "--engine",
            engine,
            "--processes",
            "1",
            "--out",
            str(out),
            "--json",
        )
        by[engine] = (json.loads(result.stdout.splitlines()[-1]), rows(out))
    (local, local_rows), (ray, ray_rows) = by["local"], by["ray"]
    assert {row["canonical_url"] or row["url"] for row in local_rows} == warc.articles
    assert ray_rows == local_rows
    for name in ("records", "pages", "articles", "stored", "copies", "skipped", "errors"):
        assert ray[name] == local[name], name
