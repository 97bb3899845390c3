import gzip
import json
from pathlib import Path

import pytest

from newsdesk.cli import app

COMMANDS = [c.name or c.callback.__name__ for c in app.registered_commands]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(cli, command: str) -> None:
    result = cli(command, "--help")
    assert "Example" in result.stdout, result.stdout


def test_empty_store_says_how_to_add_a_feed(cli) -> None:
    result = cli("feeds")
    assert "newsdesk add" in result.stdout
    assert "newsdesk import --starter" in result.stdout


def test_unknown_article_is_one_clear_line(cli) -> None:
    result = cli("show", "999", ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_since_value_is_explained(cli) -> None:
    result = cli("articles", "--since", "last tuesday-ish", ok=False)
    assert result.exit_code == 2
    assert "2d" in result.output


def test_invalid_setting_is_one_line(cli) -> None:
    cli.env["NEWSDESK_PORT"] = "eighty"
    result = cli("feeds", ok=False)
    assert result.exit_code == 1
    assert "NEWSDESK_PORT" in result.output


def test_add_refuses_a_bad_url(cli) -> None:
    result = cli("add", "ftp://example.com/feed", ok=False)
    assert result.exit_code == 1
    assert "not an http(s) URL" in result.stderr


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Harbour bridge reopens after repairs | Coast Gazette</title>
<meta property="og:site_name" content="Coast Gazette">
<meta property="article:published_time" content="2025-03-14T09:30:00+01:00">
<link rel="canonical" href="https://gazette.example/bridge-reopens">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour bridge reopens after repairs</h1>
<p>The harbour bridge reopened to traffic on Friday morning after eight months of repairs to its
steel deck, the city council said.</p>
<p>Engineers replaced more than four hundred rivets and repainted the main span, which carries
about thirty thousand vehicles a day between the old town and the port district.</p>
<p>Drivers should still expect short delays while the last lane markings are applied next week.</p>
</article><footer>Copyright Coast Gazette</footer></body></html>"""


def test_extract_files_in_input_order_with_the_public_fields(cli, tmp_path: Path) -> None:
    plain = tmp_path / "bridge.html"
    plain.write_text(PAGE, encoding="utf-8")
    packed = tmp_path / "bridge.html.gz"
    packed.write_bytes(gzip.compress(PAGE.encode()))
    missing = tmp_path / "missing.html"
    result = cli("extract", str(packed), str(missing), str(plain), "--json", ok=False)
    assert result.exit_code == 1  # one input failed, the others were still extracted
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["input"] for row in rows] == [str(packed), str(missing), str(plain)]
    assert "error" in rows[1]
    first = rows[0]
    for field in ("input", "url", "canonical_url", "title", "authors", "published", "updated",
                  "language", "site_name", "image", "text", "method"):
        assert field in first
    assert first["title"] == "Harbour bridge reopens after repairs"
    assert first["published"] == "2025-03-14T09:30:00+01:00"
    assert first["canonical_url"] == "https://gazette.example/bridge-reopens"
    assert first["site_name"] == "Coast Gazette"
    assert first["language"] == "en"
    paragraphs = first["text"].split("\n\n")
    assert paragraphs[0].startswith("The harbour bridge reopened")
    assert paragraphs[-1].startswith("Drivers should still expect")
    assert "Copyright" not in first["text"] and "Home" not in first["text"]
    assert rows[2]["text"] == first["text"]


def test_extract_takes_the_address_from_url_option(cli, tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    canonical = '<link rel="canonical" href="https://gazette.example/bridge-reopens">'
    page.write_text(PAGE.replace(canonical, ""))
    (row,) = cli.json_lines("extract", str(page), "--url", "https://gazette.example/x?utm_source=a")
    assert row["url"] == "https://gazette.example/x?utm_source=a"


def test_a_file_extracted_without_url_has_none_and_imports(cli, tmp_path: Path) -> None:
    # Without --url no address is made up: url is null, and `import` files the article under
    # its canonical address; a page that names none is one skipped line, not an aborted file.
    with_canonical = tmp_path / "bridge.html"
    with_canonical.write_text(PAGE, encoding="utf-8")
    without = tmp_path / "bare.html"
    canonical = '<link rel="canonical" href="https://gazette.example/bridge-reopens">'
    without.write_text(PAGE.replace(canonical, "").replace("Harbour bridge", "Ferry pier"))
    rows = cli.json_lines("extract", str(with_canonical), str(without))
    assert [row["url"] for row in rows] == [None, None]
    lines = tmp_path / "articles.jsonl"
    lines.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    (report,) = cli.json_lines("import", str(lines))
    assert report["imported"] == 1
    assert len(report["errors"]) == 1 and "line 2" in report["errors"][0]
    (listed,) = cli.json_lines("articles")
    assert listed["url"] == "https://gazette.example/bridge-reopens"
