"""A paragraph's own links and spans never lose their words, whatever their address or name
says: only whole boilerplate blocks go."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.extract import extract_article
from tests.extract.storykit import STORY, URL, document, paragraphs

TAGGED = (
    'The row erupted on Monday morning when President <a href="/tag/donald-trump" class="tag">'
    'Donald Trump</a> shared his branding expertise with <a class="tag-link" rel="tag" '
    'href="/tags/elon-musk">Elon Musk</a>, after the <a href="/topic/tesla" '
    'class="related-topic">carmaker</a> lost a third of its value, said <span '
    'class="author-name">Jane Roe</span> of the <a class="share" href="/x">Valley Institute</a>.'
)
TAGGED_TEXT = re.sub(r"<[^>]+>", "", TAGGED)


def test_tag_links_on_names_keep_their_words():
    html = document(paragraphs(range(3)) + f"<p>{TAGGED}</p>" + paragraphs(range(3, 6)))
    text = extract_article(html, URL).text
    assert TAGGED_TEXT in text.split("\n\n")


def test_a_row_of_links_is_still_no_paragraph():
    row = ('<p><a href="/tag/floods">Floods</a> <a href="/tag/weather">Weather</a> '
           '<a href="/tag/valley">Valley</a></p><p>Read more: <a href="/news/dam">Why the dam '
           "above the town worries engineers</a></p>")
    text = extract_article(document(paragraphs(range(6)) + row), URL).text
    assert "Weather" not in text and "Read more" not in text
    assert text.endswith(STORY[5])


ADDRESSES = st.sampled_from([
    "/tag/{w}", "/tags/{w}", "/topic/{w}", "/people/{w}", "https://other.example/{w}",
    "/related/{w}", "#", "javascript:void(0)", "/ads/{w}", "/share?u={w}", "/author/{w}",
])
ATTRIBUTES = st.sampled_from([
    "", ' class="tag"', ' rel="tag"', ' class="related-link"', ' class="share"',
    ' class="promo-link"', ' class="author"', ' class="ad-link"', ' class="nav-link"',
    ' class="sidebar-ref"', ' class="read-more"', ' class="caption-credit"',
])


@st.composite
def linked_paragraph(draw) -> tuple[int, str]:
    """One of the story's paragraphs with some of its words in links of any address and name.
    Each run of chosen words gets one link; a paragraph that is a single link from end to end
    is a link (a teaser), not a sentence with links, so one word at least stays outside."""
    index = draw(st.integers(0, len(STORY) - 1))
    tokens = re.split(r"(\w+)", STORY[index])
    words = [i for i, t in enumerate(tokens) if i % 2]
    chosen = set(draw(st.lists(st.sampled_from(words), max_size=len(words), unique=True)))
    if chosen >= set(words):
        chosen.discard(draw(st.sampled_from(words)))
    out, open_link = [], False
    for i, token in enumerate(tokens):
        if i % 2 and i in chosen and not open_link:
            href = draw(ADDRESSES).format(w=token.lower())
            out.append(f'<a href="{href}"{draw(ATTRIBUTES)}>')
            open_link = True
        elif open_link and (i % 2 and i not in chosen or (not i % 2 and not token.strip()
                                                           and i + 1 not in chosen)):
            out.append("</a>")
            open_link = False
        out.append(token)
    if open_link:
        out.append("</a>")
    return index, "".join(out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_paragraph())
def test_links_of_any_address_never_drop_a_word(case):
    index, linked = case
    body = "".join(f"<p>{linked}</p>" if i == index else f"<p>{p}</p>"
                   for i, p in enumerate(STORY))
    text = extract_article(document(body), URL).text
    assert STORY[index] in text.split("\n\n")


def test_a_sentence_that_starts_like_a_byline_stays():
    # "morning" is linked as an author: the paragraph is prose all the same
    linked = STORY[2].replace("By morning", 'By <a href="/tag/morning" class="author">morning</a>')
    assert linked != STORY[2]
    body = "".join(f"<p>{linked}</p>" if i == 2 else f"<p>{p}</p>" for i, p in enumerate(STORY))
    assert STORY[2] in extract_article(document(body), URL).text.split("\n\n")
