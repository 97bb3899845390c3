"""newsdesk export of articles: every format read back by another reader, each row equal to
`newsdesk show --json` with the article's outlet."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest


@pytest.fixture
def polled(cli, publisher):
    for site in ("daily-planet", "harbour-gazette", "tokyo-shimbun"):
        cli("add", publisher.home_url(site))
    (report,) = cli.json_lines("poll", "--once")
    assert report["new_articles"] > 10 and report["errors"] == []
    return cli


def shown(cli, article_id: int) -> dict:
    (data,) = cli.json_lines("show", str(article_id))
    return data


def check_rows(cli, rows: list[dict]) -> None:
    listed = cli.json_lines("articles", "--all")
    assert sorted(row["id"] for row in rows) == sorted(item["id"] for item in listed)
    for row in rows:
        expected = shown(cli, row["id"])
        assert {k: row[k] for k in expected} == expected
        assert row["outlet"] == (expected["site_name"] or row["url"].split("/")[2])
        assert row["fetched_at"] and row["warc_record_id"] is None


def test_jsonl_to_standard_output_is_every_article_as_show_gives_it(polled) -> None:
    result = polled("export", "--format", "jsonl")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    check_rows(polled, rows)
    assert any(row["duplicate_of"] for row in rows)  # the wire story's copies
    assert all(row["story_id"] for row in rows)
    assert f"{len(rows)} articles written to standard output" in result.stderr


def test_parquet_in_row_groups_reads_back_with_pyarrow(polled, tmp_path: Path) -> None:
    path = tmp_path / "corpus.parquet"
    polled("export", "--out", str(path))  # the format from the name
    table = pq.read_table(path)
    rows = table.to_pylist()
    check_rows(polled, rows)
    assert table.schema.field("authors").type.value_type == "string"
    assert table.schema.field("story_id").type == "int64"


def test_csv_reads_back_with_the_csv_module(polled, tmp_path: Path) -> None:
    path = tmp_path / "corpus.csv"
    polled("export", "--format", "csv", "--out", str(path))
    with path.open(newline="", encoding="utf-8") as f:
        raw = list(csv.DictReader(f))
    rows = []
    for item in raw:
        row = {k: (v if v != "" else None) for k, v in item.items()}
        for name in ("id", "feed_id", "story_id", "duplicate_of", "copies"):
            row[name] = int(row[name]) if row[name] is not None else None
        row["authors"] = json.loads(row["authors"])
        rows.append(row)
    check_rows(polled, rows)
    assert any("\n" in row["text"] for row in rows)  # paragraphs kept inside one cell


def test_filters_choose_the_articles(polled, publisher) -> None:
    def ids(*args: str) -> set[int]:
        out = polled("export", "--format", "jsonl", *args).stdout
        return {json.loads(line)["id"] for line in out.splitlines()}

    everything = {row["id"]: row for row in polled.json_lines("articles", "--all")}
    japanese = {i for i, row in everything.items() if row["language"] == "ja"}
    assert japanese and ids("--language", "ja") == japanese
    planet = {i for i, row in everything.items() if row["feed"] == "Daily Planet"}
    assert ids("--feed", "Daily Planet") == planet
    wire = next(row for row in everything.values() if row["duplicate_of"])
    story = {i for i, row in everything.items() if row["story_id"] == wire["story_id"]}
    assert len(story) >= 2 and ids("--story", str(wire["story_id"])) == story
    assert ids("--since", "2100-01-01") == set()


def test_opml_stays_the_default_and_bad_options_say_why(polled, tmp_path: Path) -> None:
    assert polled("export").stdout.startswith("<?xml")
    refused = polled("export", "--format", "parquet", ok=False)
    assert refused.exit_code == 2 and "give --out PATH" in refused.stderr
    unknown = polled("export", "--format", "xml", ok=False)
    assert unknown.exit_code == 2 and "unknown format 'xml'" in unknown.stderr
    mixed = polled("export", "--format", "opml", "--since", "1d", ok=False)
    assert mixed.exit_code == 2 and "choose articles" in mixed.stderr
    missing = polled("export", "--format", "jsonl", "--story", "999999", ok=False)
    assert missing.exit_code == 1 and "no story" in missing.stderr
