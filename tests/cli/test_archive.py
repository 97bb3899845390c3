"""newsdesk archive on WARC files made from the fixture publisher's pages: the right articles
stored once, copies folded, what is no article skipped and counted, a truncated record said and
skipped, a run killed with SIGKILL resumed without duplicates, and --out without a store."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.cli.warcs import BOGUS_CHARSET, TRUNCATED_URL, write_many_articles, write_news_warc

SRC = str(Path(__file__).resolve().parents[2] / "src")


def summary(cli, *args: str) -> dict:
    result = cli("archive", *args, "--processes", "1", "--json")
    (line,) = result.stdout.splitlines()
    return json.loads(line), result.stderr


def exported(cli) -> list[dict]:
    out = cli("export", "--format", "jsonl").stdout
    return [json.loads(line) for line in out.splitlines()]


def test_articles_stored_once_copies_folded_the_rest_counted(cli, publisher, tmp_path) -> None:
    warc = write_news_warc(publisher, tmp_path / "crawl.warc.gz")
    report, stderr = summary(cli, str(warc.path))
    assert report["files"] == 1 and report["errors"] == 1
    assert f"record {report['records'] - 1} ({TRUNCATED_URL}): truncated record" in stderr
    skipped = report["skipped"]
    assert skipped["home page"] == 4 and skipped["tag page"] == 4 and skipped["video page"] == 4
    assert skipped["not HTML"] == 8 and skipped["redirect"] == 4
    assert skipped["truncated record"] == 1
    rows = exported(cli)
    assert {row["canonical_url"] or row["url"] for row in rows} == warc.articles
    assert report["stored"] == len(rows) == len(warc.articles)
    assert report["existing"] == 1  # the seed page crawled twice
    assert len({row["warc_record_id"] for row in rows}) == len(rows)
    assert all(row["fetched_at"] == "2024-03-15T08:00:00+00:00" for row in rows)
    wire = [row for row in rows if row["url"] in publisher.urls_in_group("wire")]
    originals = [row for row in wire if row["duplicate_of"] is None]
    assert len(wire) == 3 and len(originals) == 1
    assert {row["duplicate_of"] for row in wire} - {None} == {originals[0]["id"]}
    assert len({row["story_id"] for row in wire}) == 1 and report["copies"] >= 2
    bogus = next(row for row in rows if row["url"] == warc.bogus_charset_url)
    assert BOGUS_CHARSET not in bogus["text"]
    assert bogus["title"] == publisher.expected(warc.bogus_charset_url).title
    # read again: every file was read to its end, nothing is stored twice
    again, _ = summary(cli, str(warc.path))
    assert again["files_done_before"] == 1 and again["stored"] == 0
    assert len(exported(cli)) == len(rows)


def test_filters_by_date_domain_and_language(cli, publisher, tmp_path) -> None:
    warc = write_news_warc(publisher, tmp_path / "crawl.warc.gz")
    report, _ = summary(cli, str(warc.path), "--until", "2024-03-01")
    assert report["stored"] == 0 and report["skipped"]["outside the dates"] > 0
    domains = tmp_path / "domains.txt"
    tokyo = publisher.home_url("tokyo-shimbun").split("/")[2].split(":")[0]
    domains.write_text(f"# the Japanese site\n{tokyo}\n")
    out = tmp_path / "ja.jsonl"
    cli(
        "archive",
        str(warc.path),
        "--domain",
        f"@{domains}",
        "--language",
        "ja",
        "--out",
        str(out),
        "--processes",
        "1",
    )
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert {row["url"] for row in rows} == set(publisher.article_urls("tokyo-shimbun"))
    assert all(row["language"] == "ja" for row in rows)


def test_out_writes_the_corpus_without_a_store(cli, publisher, tmp_path) -> None:
    warc = write_news_warc(publisher, tmp_path / "crawl.warc.gz")
    out = tmp_path / "corpus.parquet"
    report, _ = summary(cli, str(warc.path), "--out", str(out))
    rows = pq.read_table(out).to_pylist()
    assert {row["canonical_url"] or row["url"] for row in rows} == warc.articles
    assert report["stored"] == len(rows)
    wire = [row for row in rows if row["url"] in publisher.urls_in_group("wire")]
    assert sum(row["duplicate_of"] is None for row in wire) == 1
    assert len({row["story_id"] for row in wire}) == 1
    assert not (Path(cli.env["NEWSDESK_DATA_DIR"]) / "newsdesk.db").exists()


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_killed_run_resumes_without_duplicates(cli, publisher, tmp_path) -> None:
    count = 260
    path = tmp_path / "many.warc.gz"
    urls = write_many_articles(publisher, path, count)
    env = {**os.environ, **cli.env, "PYTHONPATH": SRC}
    command = [sys.executable, "-m", "newsdesk", "archive", str(path), "--processes", "1"]
    run = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    assert run.stderr is not None
    for line in run.stderr:  # the first group is stored: kill it there, mid-file
        if line.startswith("files 0/1"):
            break
    run.send_signal(signal.SIGKILL)
    run.wait()
    stored_before = len(exported(cli))
    assert 0 < stored_before < count
    report, _ = summary(cli, str(path))
    assert report["resumed_after"] >= 100
    assert report["records"] == count - report["resumed_after"]
    rows = exported(cli)
    assert {row["url"] for row in rows} == urls and len(rows) == count
    assert report["stored"] == count - stored_before


def test_bad_input_says_what_and_where(cli, tmp_path) -> None:
    missing = cli("archive", str(tmp_path / "none.warc.gz"), ok=False)
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    nothing = cli("archive", str(tmp_path / "*.warc.gz"), ok=False)
    assert nothing.exit_code == 2 and "no file matches" in nothing.stderr
    engine = cli("archive", __file__, "--engine", "spark", ok=False)
    assert engine.exit_code == 1 and "unknown engine 'spark'" in engine.stderr
