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
