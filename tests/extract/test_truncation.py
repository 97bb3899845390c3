"""No article cut short: a story split over containers, interrupted by ads and promos, linked
densely, or summarised in its structured data comes out whole."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.extract import extract_article
from newsdesk.extract.judge import Reading, judge
from newsdesk.extract.render import blocks_from_text
from tests.extract.storykit import BOXES, STORY, TITLE, URL, document, missing, paragraphs


def test_a_story_in_four_containers_with_boxes_between_comes_out_whole():
    # Four sibling containers, named as layouts name them (one "paywall" box for the part
    # behind the paywall, a "media-body", a "story-list-item"), an ad slot, a newsletter box and
    # a "most read" list between them.
    body = (f'<div class="article-text">{paragraphs([0, 1, 2])}</div>{BOXES[0]}'
            f'<div class="paywall-section">{paragraphs([3, 4])}</div>{BOXES[1]}'
            f'<div class="media-body">{paragraphs([5, 6, 7])}</div>{BOXES[2]}'
            f'<div class="story-list-item">{paragraphs([8, 9])}</div>')
    article = extract_article(document(body), URL)
    assert missing(article.text) == []
    assert "Advertisement" not in article.text and "newsletter" not in article.text
    assert "Most read" not in article.text


def test_a_json_ld_summary_does_not_stand_for_the_story():
    # The page's JSON-LD articleBody is the first paragraph only; the page holds all ten (in
    # <noscript>, as script-rendered pages do, where our own reading finds nothing).
    data = {"@type": "NewsArticle", "headline": TITLE, "articleBody": STORY[0]}
    head = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    body = f'<div class="story"><script>render()</script><noscript>{paragraphs(range(10))}'
    article = extract_article(document(body + "</noscript></div>", head=head), URL)
    assert missing(article.text) == []


def test_a_json_ld_summary_never_replaces_a_fuller_body():
    data = {"@type": "NewsArticle", "headline": TITLE, "articleBody": STORY[0]}
    head = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    article = extract_article(document(paragraphs(range(10)), head=head), URL)
    assert missing(article.text) == [] and article.method == "newsdesk"


def _linked(sentence: str) -> str:
    """Every other word a link, as wire and politics pages link names, places and topics."""
    tokens = re.split(r"(\w+)", sentence)
    return "".join(f'<a href="/topic/{t.lower()}">{t}</a>' if i % 4 == 1 else t
                   for i, t in enumerate(tokens))


def test_a_link_dense_wire_story_is_no_navigation():
    about = ('<div class="about-box"><p>The Valley Post is an independent newspaper founded in '
             "1901, owned by its readers and staff, and reporting on the valley, its towns, its "
             "farms and its people every day of the year, in print and online.</p><p>We are "
             "funded by our readers: subscriptions, donations and the small ads in the Saturday "
             "edition pay for our reporters, photographers and editors.</p></div>")
    body = "".join(f"<div class='para'>{_linked(p)}</div>" for p in STORY) + about
    article = extract_article(document(body), URL)
    assert missing(article.text) == []


def test_the_judgement_states_its_reason():
    ours = Reading("newsdesk", blocks_from_text("\n\n".join(STORY)))
    summary = Reading("json-ld", blocks_from_text(STORY[0]))
    verdict = judge(ours, [summary])
    assert verdict.reading is ours and "adds too little" in verdict.reason
    fuller = Reading("trafilatura", blocks_from_text("\n\n".join(STORY)))
    verdict = judge(Reading("newsdesk", blocks_from_text(STORY[0])), [fuller])
    assert verdict.reading is fuller and "holds clearly more" in verdict.reason


# Names of the story's containers, misleading ones among them. (A box named as boilerplate,
# "paywall" or "ad", is taken for part of the story only when it holds two paragraphs of prose:
# one paragraph there is as often a promo.)
CONTAINERS = st.sampled_from([
    "", "article-body", "story-part", "media-body", "story-list-item", "rich-text",
    "body-text", "content-block", "list-item",
])


@st.composite
def interrupted_story(draw) -> str:
    """The story with promo and ad boxes between any of its paragraphs; at a box the layout
    may also close one container of the story and open the next, named as it pleases."""
    count = draw(st.integers(3, len(STORY)))
    gaps = draw(st.lists(st.booleans(), min_size=count - 1, max_size=count - 1))
    split = draw(st.booleans())
    parts, current = [], [0]
    for index, gap in enumerate(gaps, start=1):
        if gap:
            boxes = draw(st.lists(st.sampled_from(BOXES), min_size=1, max_size=2))
            parts.append((current, "".join(boxes)))
            current = []
        current.append(index)
    parts.append((current, ""))
    html = ""
    for indices, boxes in parts:
        text = paragraphs(indices)
        html += (f'<div class="{draw(CONTAINERS)}">{text}</div>' if split else text) + boxes
    return html


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(interrupted_story())
def test_boxes_between_paragraphs_never_drop_a_paragraph(body):
    count = sum(p in body for p in STORY)
    article = extract_article(document(body), URL)
    assert missing(article.text, STORY[:count]) == []
