"""The command line takes an OPML file up to 5 MB, as the web does; articles in JSON Lines
have no such limit."""

from __future__ import annotations

import json
from pathlib import Path

from newsdesk.feeds.opml import MAX_OPML_BYTES


def opml_of(count: int) -> str:
    outlines = "".join(
        f'<outline type="rss" text="F{i}" xmlUrl="https://f{i}.example.org/rss"/>'
        for i in range(count)
    )
    return f'<opml version="2.0"><body>{outlines}</body></opml>'


def test_an_opml_file_over_5_mb_is_refused_in_one_line(cli, tmp_path: Path) -> None:
    huge = tmp_path / "huge.opml"
    huge.write_text(opml_of(120_000))  # about 9 MB, 120,000 feeds
    assert huge.stat().st_size > MAX_OPML_BYTES
    for args, given in (((str(huge),), None), (("-",), huge.read_text())):
        result = cli("import", *args, ok=False, input=given)
        assert result.exit_code == 1
        (line,) = result.stderr.strip().splitlines()
        assert line == f"error: {args[0]}: the OPML file is over 5 MB", line
    assert cli.json_lines("feeds") == []


def test_files_under_the_limit_and_json_lines_are_taken(cli, tmp_path: Path) -> None:
    fits = tmp_path / "fits.opml"
    fits.write_text(opml_of(1000))
    (report,) = cli.json_lines("import", str(fits))
    assert report["added"] == 1000
    # a corpus of articles may be larger than an OPML file: read whole (each line here carries
    # a field newsdesk does not use, to pass 5 MB with few articles)
    lines = tmp_path / "corpus.jsonl"
    with lines.open("w") as out:
        for i in range(60):
            article = {"url": f"https://news.example.org/a{i}", "title": f"Story {i}",
                       "text": f"The body of story {i}.", "unused": "x" * 100_000}  # fmt: skip
            out.write(json.dumps(article) + "\n")
    assert lines.stat().st_size > MAX_OPML_BYTES
    cli("import", str(lines))
    assert len(cli.json_lines("articles", "--limit", "100")) == 60
