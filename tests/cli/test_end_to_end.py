"""The command line against the fixture publisher: add, poll, list, show, search, export, import."""

from __future__ import annotations

import json
from pathlib import Path

import listparser


def test_follow_poll_read_and_search(cli, publisher) -> None:
    cli.env["NEWSDESK_EXTRACT_PROCESSES"] = "0"
    added = cli.json_lines("add", publisher.home_url("daily-planet"), "--folder", "World")
    assert added[0]["created"] is True
    again = cli("add", publisher.feed_url("daily-planet") + "?utm_source=x")
    assert "already following" in again.stdout
    cli("add", publisher.home_url("tokyo-shimbun"))

    (report,) = cli.json_lines("poll", "--once")
    expected = len(publisher.article_urls("daily-planet")) + len(
        publisher.article_urls("tokyo-shimbun")
    )
    assert report["new_articles"] == expected
    assert report["errors"] == []

    feeds = cli.json_lines("feeds")
    assert {f["title"] for f in feeds} == {"Daily Planet", "Tokyo Shimbun"}
    planet = next(f for f in feeds if f["title"] == "Daily Planet")
    assert planet["folder"] == "World"
    assert planet["last_fetch"] and planet["next_fetch"] and planet["error"] is None

    rows = cli.json_lines("articles", "--feed", "Daily Planet", "--limit", "100")
    assert len(rows) == len(publisher.article_urls("daily-planet"))
    for row in rows:
        assert {"id", "url", "title", "published", "feed"} <= row.keys()
        assert row["feed"] == "Daily Planet"
    assert cli.json_lines("articles", "--limit", "2").__len__() == 2
    assert cli.json_lines("articles", "--since", "2100-01-01") == []

    seed = next(row for row in rows if row["url"] == publisher.seed_url)
    expected_seed = publisher.expected(publisher.seed_url)
    shown = cli("show", str(seed["id"])).stdout.splitlines()
    assert shown[0] == expected_seed.title
    assert "2021-12-04 18:53" in shown[1]
    body = "\n".join(shown)
    assert expected_seed.paragraphs[0] in body and expected_seed.paragraphs[-1] in body
    assert "Advertisement" not in body

    (as_json,) = cli.json_lines("show", str(seed["id"]))
    assert as_json["id"] == seed["id"] and as_json["feed"] == "Daily Planet"
    assert as_json["published"] == expected_seed.published.isoformat()
    assert as_json["text"] == expected_seed.text

    hits = cli.json_lines("search", "Putin")
    assert hits[0]["id"] == seed["id"]
    assert "<mark>" in hits[0]["snippet"]
    japanese = cli.json_lines("search", "地下鉄")
    assert japanese and all(hit["language"] == "ja" for hit in japanese)
    assert [hit["id"] for hit in cli.json_lines("search", "Putins")][:1] == [seed["id"]]
    nothing = cli("search", "zzqxv mooncakes").stdout
    assert "nothing found" in nothing and "Try fewer words, or a prefix like mooncak*" in nothing


def test_export_then_import_keeps_feeds_and_folders(cli, tmp_path: Path) -> None:
    opml = tmp_path / "in.opml"
    opml.write_text(
        """<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head><body>
        <outline text="World"><outline type="rss" text="Desk" xmlUrl="https://a.example/w.xml"/>
        <outline type="rss" text="Wire" xmlUrl="https://b.example/wire.xml"/></outline>
        <outline type="rss" text="Loose" xmlUrl="https://c.example/feed"/></body></opml>"""
    )
    (first,) = cli.json_lines("import", str(opml))
    assert (first["added"], first["existing"]) == (3, 0)
    (second,) = cli.json_lines("import", str(opml))
    assert (second["added"], second["existing"]) == (0, 3)
    exported = cli("export").stdout
    parsed = listparser.parse(exported)
    assert not parsed.bozo
    got = {(f.url, f.title, tuple(c[0] for c in f.categories if c)) for f in parsed.feeds}
    assert got == {
        ("https://a.example/w.xml", "Desk", ("World",)),
        ("https://b.example/wire.xml", "Wire", ("World",)),
        ("https://c.example/feed", "Loose", ()),
    }


def test_import_starter_list(cli) -> None:
    (report,) = cli.json_lines("import", "--starter")
    assert report["added"] >= 10
    feeds = cli.json_lines("feeds")
    assert len(feeds) == report["added"]
    assert all(f["url"].startswith("https://") for f in feeds)


def test_bad_opml_is_one_line(cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.opml"
    broken.write_text("<opml><body><outline")
    result = cli("import", str(broken), ok=False)
    assert result.exit_code == 1
    assert str(broken) in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_piped_output_has_no_progress_bar(cli, tmp_path: Path) -> None:
    opml = tmp_path / "many.opml"
    outlines = "".join(
        f'<outline type="rss" text="F{i}" xmlUrl="https://f{i}.example/rss"/>' for i in range(50)
    )
    opml.write_text(f'<opml version="2.0"><body>{outlines}</body></opml>')
    result = cli("import", str(opml))
    assert result.stderr == ""
    assert result.stdout.strip().splitlines() == [
        "50 feeds added, 0 already followed",
        "fetch them with: newsdesk poll --once",
    ]
    assert json.loads(cli("import", str(opml), "--json").stdout)["existing"] == 50
