"""Authors: person names only."""

from __future__ import annotations

import pytest

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



@pytest.mark.parametrize(("byline", "names"), [
    ("ByTravis Haney", ["Travis Haney"]),  # "By" glued to the name
    ("Byron Smith", ["Byron Smith"]),
    ("Foto: Bild: SN/APA/KEYSTONE/ANTHONY ANEX", []),  # a photo credit
    ("SN/APA/KEYSTONE/ANTHONY ANEX", []),
    ("Max Mustermann/dpa", ["Max Mustermann"]),  # a name and its agency
    ("Elena Oberholzer (obe", ["Elena Oberholzer"]),  # a bracket after the name
    ("Anna Kim (ak)", ["Anna Kim"]),
    ("Jane Roe, Frankfurt", ["Jane Roe"]),  # the dateline's city
    ("The Associated Press", ["The Associated Press"]),  # an agency alone is the byline
    ("By Reuters", ["Reuters"]),
    ("Jane Doe, AP", ["Jane Doe"]),
])
def test_bylines_give_people_not_captions_or_cities(byline, names):
    assert clean_authors([byline]) == names
