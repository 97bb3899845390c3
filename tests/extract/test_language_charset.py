"""Language detection on the body; charset handling."""

from __future__ import annotations

from newsdesk.encodings import decode_html
from newsdesk.extract import extract_article
from tests.extract.pagekit import page

URL = "https://news.example.org/a"

GERMAN = [
    "Der Stadtrat hat am Dienstag beschlossen, die Straßenbahnlinie in die nördlichen Vororte "
    "zu verlängern, und damit eine jahrelange Debatte beendet.",
    "Befürworter sagen, die Verlängerung werde die Fahrzeiten um ein Drittel verkürzen und neue "
    "Geschäfte in die Straßen bringen.",
]
JAPANESE = [
    "市議会は火曜日、路面電車の路線を北部の郊外まで延長することを決定し、十年以上続いた議論に決着をつけた。",
    "賛成派は、延長によって通勤時間が三分の一短縮され、工場閉鎖以来静かだった通りに新しい店が来ると述べた。",
]
RUSSIAN = [
    "Городской совет во вторник проголосовал за продление трамвайной линии в северные пригороды, "
    "завершив спор, который разделял жителей более десяти лет.",
    "Сторонники заявили, что продление сократит время в пути на треть и привлечёт новые магазины.",
]


def test_german_detected():
    assert extract_article(page(paragraphs=GERMAN), URL).language == "de"


def test_japanese_detected_despite_wrong_declaration():
    assert extract_article(page(paragraphs=JAPANESE, lang="en"), URL).language == "ja"


def test_russian_detected():
    assert extract_article(page(paragraphs=RUSSIAN), URL).language == "ru"


def test_declared_language_used_for_short_text():
    html = page(paragraphs=["Kurz."], lang="de-AT")
    assert extract_article(html, URL).language == "de"


def test_declared_charset_used():
    assert decode_html("Straße".encode("iso-8859-1"), "iso-8859-1") == "Straße"


def test_meta_charset_used_when_none_declared():
    raw = '<meta charset="windows-1251"><p>Привет</p>'.encode("cp1251")
    assert "Привет" in decode_html(raw, None)


def test_bom_outranks_wrong_label():
    raw = "\ufeffcafé".encode("utf-8")
    assert decode_html(raw, "iso-8859-1") == "café"


def test_undeclared_legacy_bytes_decoded_without_crash():
    raw = ("<p>" + "Ça coûte très cher, déjà " * 20 + "</p>").encode("cp1252")
    assert "coûte" in decode_html(raw, None)


def test_bytes_page_with_meta_charset_extracts():
    html = page(paragraphs=GERMAN).replace("charset='utf-8'", "charset='iso-8859-1'")
    article = extract_article(html.encode("iso-8859-1"), URL)
    assert "Straßenbahnlinie" in article.text


def test_pages_and_feeds_share_one_decoder_with_their_own_precedence():
    from newsdesk.encodings import Trust, decode_feed, decode_text

    raw = "<p>café</p>".encode()  # valid UTF-8, labelled latin-1 by the server
    assert decode_html(raw, "iso-8859-1") == "<p>cafÃ©</p>"  # pages: the label, as browsers do
    assert decode_feed(raw, "iso-8859-1") == ("<p>café</p>", "utf-8")  # feeds: valid UTF-8
    assert decode_text(raw, "iso-8859-1", trust=Trust.UTF8)[0] == "<p>café</p>"


def test_utf16_without_bom_recognised():
    raw = "<html><p>Grüße</p></html>".encode("utf-16-le")
    assert "Grüße" in decode_html(raw, None)


def test_unusable_labels_fall_through_to_the_page_declaration():
    raw = '<meta charset="koi8-r"><p>Привет</p>'.encode("koi8-r")
    assert "Привет" in decode_html(raw, "no-such-charset")
    assert "Привет" in decode_html(raw, "utf-16")  # utf-16 label on 8-bit bytes is a lie
