"""Authors: person names only."""

from __future__ import annotations

from newsdesk.extract import extract_article
from newsdesk.extract.authors import clean_authors
from tests.extract.pagekit import page


def test_by_prefix_and_role_removed():
    assert clean_authors(["By Jane Doe, Staff Writer"]) == ["Jane Doe"]


def test_several_names_split():
    assert clean_authors(["Jane Doe and John Roe"]) == ["Jane Doe", "John Roe"]


def test_middle_initial_kept():
    assert clean_authors(["Sarah E. Needleman"]) == ["Sarah E. Needleman"]


def test_email_and_handle_dropped():
    assert clean_authors(["jane@example.org", "@janedoe", "Jane Doe"]) == ["Jane Doe"]


def test_publisher_posing_as_author_dropped():
    assert clean_authors(["The Daily Example"], exclude=["The Daily Example"]) == []


def test_meta_author_that_is_the_site_name_dropped_from_article():
    head = ('<meta property="og:site_name" content="The Daily Example">'
            '<meta name="author" content="The Daily Example">')
    assert extract_article(page(head=head), "https://dailyexample.com/a").authors == []


def test_location_tail_dropped():
    assert clean_authors(["Jane Doe in Brussels"]) == ["Jane Doe"]


def test_by_glued_to_the_name_removed():
    assert clean_authors(["ByTravis Haney"]) == ["Travis Haney"]
    assert clean_authors(["Byron Smith"]) == ["Byron Smith"]


def test_photo_credit_is_no_author():
    assert clean_authors(["Foto: Bild: SN/APA/KEYSTONE/ANTHONY ANEX"]) == []
    assert clean_authors(["SN/APA/KEYSTONE/ANTHONY ANEX"]) == []


def test_name_and_its_agency_after_a_slash():
    assert clean_authors(["Max Mustermann/dpa"]) == ["Max Mustermann"]


def test_bracket_after_the_name_dropped():
    assert clean_authors(["Elena Oberholzer (obe"]) == ["Elena Oberholzer"]
    assert clean_authors(["Anna Kim (ak)"]) == ["Anna Kim"]


def test_dateline_city_is_no_second_author():
    assert clean_authors(["Jane Roe, Frankfurt"]) == ["Jane Roe"]


def test_an_agency_alone_is_the_byline():
    assert clean_authors(["The Associated Press"]) == ["The Associated Press"]
    assert clean_authors(["By Reuters"]) == ["Reuters"]
    assert clean_authors(["Jane Doe, AP"]) == ["Jane Doe"]
