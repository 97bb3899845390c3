"""OPML import and export; our export must read back identically in listparser."""

from __future__ import annotations

import listparser
import pytest

from newsdesk.errors import OPMLError
from newsdesk.feeds import parse_opml, starter_subscriptions, write_opml
from newsdesk.model import Subscription

NESTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>mine</title></head><body>
  <outline text="Loose" xmlUrl="https://loose.example/feed" htmlUrl="https://loose.example/"/>
  <outline text="News">
    <outline text="Daily" title="The Daily" type="rss" xmlUrl="https://daily.example/rss"/>
    <outline text="Regional">
      <outline text="Courier" xmlurl="https://courier.example/atom.xml"/>
    </outline>
    <outline text="Dup" xmlUrl="https://daily.example/rss"/>
    <outline text="Old style" type="rss" url="https://old.example/rss.xml"/>
    <outline text="A link, not a feed" type="link" url="https://link.example/"/>
  </outline>
  <outline text="Empty folder"/>
</body></opml>"""


def test_parse_nested_outlines() -> None:
    subs = parse_opml(NESTED)
    assert subs == [
        Subscription("https://loose.example/feed", "Loose", "https://loose.example/", None),
        Subscription("https://daily.example/rss", "The Daily", None, "News"),
        Subscription("https://courier.example/atom.xml", "Courier", None, "Regional"),
        Subscription("https://old.example/rss.xml", "Old style", None, "News"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"<opml><body><outline", "not valid XML"),
        (b"<html><body>hi</body></html>", "not an OPML file"),
        (b"<opml version='2.0'><head/></opml>", "no <body>"),
    ],
)
def test_invalid_opml_is_one_line(content: bytes, message: str) -> None:
    with pytest.raises(OPMLError, match=message) as info:
        parse_opml(content)
    assert "\n" not in str(info.value)


def test_external_entities_are_refused_not_read() -> None:
    evil = b"""<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body><outline text="&x;" xmlUrl="https://e.example/f"/></body></opml>"""
    with pytest.raises(OPMLError, match="external entity") as info:
        parse_opml(evil)
    assert "root:" not in str(info.value)


SUBS = [
    Subscription("https://a.example/feed?x=1&y=2", 'A & "B" <news>', "https://a.example/", "World"),
    Subscription("https://b.example/rss", "Bé ünïcode 東京", None, None),
    Subscription("https://c.example/atom", "C", None, "Tech & Science"),
    Subscription("https://d.example/atom", None, None, "World"),
]


def test_export_reads_back_identically_in_listparser_and_ourselves() -> None:
    text = write_opml(SUBS, title="Mine & yours")
    result = listparser.parse(text)
    assert not result.bozo, result.get("bozo_exception")
    assert result.meta.title == "Mine & yours"
    read = {f.url: f for f in result.feeds}
    assert set(read) == {s.url for s in SUBS}
    for sub in SUBS:
        feed = read[sub.url]
        assert feed.title == (sub.title or sub.url)
        expected = [[sub.folder]] if sub.folder else []
        assert feed.categories == expected
    again = parse_opml(text.encode())
    assert {(s.url, s.title, s.site_url, s.folder) for s in again} == {
        (s.url, s.title or s.url, s.site_url, s.folder) for s in SUBS
    }


def test_starter_list() -> None:
    subs = starter_subscriptions()
    assert 18 <= len(subs) <= 30
    assert {s.folder for s in subs} == {"World", "Technology", "Science"}
    assert all(s.url.startswith("https://") and s.title for s in subs)
    assert len({s.url for s in subs}) == len(subs)
    assert any("bbc" in s.url for s in subs) and any("nasa.gov" in s.url for s in subs)
