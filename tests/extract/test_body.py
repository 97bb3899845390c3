"""The body keeps the story's paragraphs and drops everything around them."""

from __future__ import annotations

from newsdesk.extract import extract_article
from tests.extract.pagekit import LOREM, page

URL = "https://news.example.org/2024/03/tram"


def _text(body: str, **kwargs) -> str:
    return extract_article(page(body=body, **kwargs), URL).text


def test_paragraphs_separated_by_blank_line():
    assert _text("") == "\n\n".join(LOREM)


def test_ad_slots_dropped():
    body = ('<div class="ad-slot"><span>- Advertisement -</span></div>'
            "<p>- Advertisement -</p><p>ADVERTISEMENT</p>")
    assert _text(body) == "\n\n".join(LOREM)


def test_ad_label_between_paragraphs_dropped():
    paragraphs = [LOREM[0], "- Advertisement -", *LOREM[1:]]
    text = extract_article(page(paragraphs=paragraphs), URL).text
    assert "Advertisement" not in text
    assert text.count("\n\n") == 3


def test_figure_caption_and_photo_credit_dropped():
    body = ('<figure><img src="/map.png" alt="map"><figcaption>Eastern Ukraine map'
            "</figcaption></figure><p>Image source, Getty Images</p>")
    text = _text(body)
    assert "Eastern Ukraine map" not in text
    assert "Getty" not in text
    assert text.endswith(LOREM[-1])


def test_related_strip_dropped():
    body = ('<section class="related-stories"><h2>More stories</h2><ul>'
            '<li><a href="/a">Rugby League World Cup: Young set for debut</a></li>'
            '<li><a href="/b">The 11-year-old piano prodigy</a></li></ul></section>')
    text = _text(body)
    assert "Rugby" not in text and "More stories" not in text


def test_cookie_banner_newsletter_and_comment_form_dropped():
    body = (
        '<div id="cookie-banner"><p>We use cookies to improve your experience on our site. '
        "By continuing you accept our use of cookies.</p></div>"
        '<div class="newsletter-signup"><p>Get the best stories in your inbox every morning: '
        "sign up for our free newsletter today.</p></div>"
        '<div id="comments"><h3>Leave a comment</h3><form><textarea></textarea>'
        "<button>Post</button></form></div>"
    )
    text = _text(body)
    assert "cookies" not in text and "newsletter" not in text and "comment" not in text
    assert text == "\n\n".join(LOREM)


def test_headings_and_lists_kept_as_html():
    body = "<h2>What happens next</h2><ul><li>Planning approval</li><li>Tendering</li></ul>"
    article = extract_article(page(body=body), URL)
    assert "<h2>What happens next</h2>" in article.html
    assert "<li>Planning approval</li>" in article.html
    assert article.text.endswith("What happens next\n\nPlanning approval\nTendering")


def test_body_html_is_sanitised():
    body = ('<p>The full decision, with the votes of every member of the council, is '
            'published <a href="javascript:alert(1)" onclick="x()">in the minutes</a> and '
            'in the <a href="/d">transport committee report</a> released on Tuesday.</p>')
    article = extract_article(page(body=body), URL)
    assert "javascript" not in article.html and "onclick" not in article.html
    assert 'href="https://news.example.org/d"' in article.html


def test_method_names_the_body_extractor():
    assert extract_article(page(), URL).method in ("newsdesk", "trafilatura")


def _module_page(modules: list[str]) -> str:
    """A page built of modules (CMS landing pages, guides): one wrapper, sibling sections, each
    nested a few levels deep as page builders do."""
    wrapped = "".join(
        f"<div class='module'><div class='row'><div class='col'>{m}</div></div></div>"
        for m in modules
    )
    return ("<html><head><title>Tram guide</title></head><body><div class='wrapper'>"
            "<div class='top'><a href='/'>Home</a> <a href='/guides'>Guides</a></div>"
            f"{wrapped}<div class='bottom'><a href='/imprint'>Imprint</a> "
            "<a href='/privacy'>Privacy</a></div></div></body></html>")


COMMITTEE = [
    "The transport committee meets on the first Monday of every month and publishes its "
    "minutes a week later, so residents can follow each step of the planning and write to it.",
    "Objections sent before the end of the consultation are read out at the next meeting, and "
    "the committee must answer each of them in writing before the final vote on the route.",
]
GUIDE = [
    "<h2>How the tram extension works</h2>" + "".join(f"<p>{p}</p>" for p in LOREM[:2]),
    "<h2>What it costs</h2>" + "".join(f"<p>{p}</p>" for p in LOREM[2:]),
    "<h2>Who decides</h2>" + "".join(f"<p>{p}</p>" for p in COMMITTEE),
]


def test_story_spread_over_sibling_modules_kept_whole():
    article = extract_article(_module_page(GUIDE), URL)
    assert article.method == "newsdesk"
    # the first module's heading goes as a kicker would: short and first
    assert article.text.split("\n\n") == [
        *LOREM[:2], "What it costs", *LOREM[2:], "Who decides", *COMMITTEE,
    ]


def test_sibling_module_of_linked_teasers_left_out():
    teasers = "".join(
        f"<h3><a href='/guides/{i}'>Another guide number {i} about local transport</a></h3>"
        f"<p>A short teaser for guide {i}, written to tempt readers into one more click.</p>"
        for i in range(4)
    )
    article = extract_article(_module_page([*GUIDE, teasers]), URL)
    assert article.method == "newsdesk"
    assert LOREM[0] in article.text and COMMITTEE[1] in article.text
    assert "Another guide" not in article.text and "short teaser" not in article.text


def test_lead_repeating_the_description_stays():
    # Many sites put the story's first paragraph in <meta name="description"> as well.
    head = f'<meta name="description" content="{LOREM[0]}">'
    rest = "".join(f"<p>{p}</p>" for p in LOREM[1:])
    body = f"<div class='standfirst'><p>{LOREM[0]}</p></div><div class='text'>{rest}</div>"
    text = extract_article(page(body=body, head=head, paragraphs=[]), URL).text
    assert text.split("\n\n") == LOREM


PLAIN = [  # no commas: paragraphs that score on length alone
    "The new tram line opens next spring and will run every ten minutes from the station to "
    "the northern suburbs.",
    "Tickets cost the same as on the buses and the old monthly passes stay valid on the trams "
    "as well.",
    "The council expects the line to carry twelve thousand people a day once the last stop "
    "opens in the autumn.",
]


def test_promising_name_around_one_short_line_loses_to_the_story():
    from newsdesk.extract.body import extract_body
    from newsdesk.extract.parse import parse_html

    story = "".join(f"<p>{p}</p>" for p in PLAIN)
    html = ("<html><body><div class='top'><div class='headline-text'><p>Best tips of the "
            f"week for readers</p></div></div><div class='column'><div>{story}</div></div>"
            "</body></html>")
    blocks = extract_body(parse_html(html), URL)
    assert [b.text for b in blocks] == PLAIN


def test_soft_hyphens_leave_the_text():
    hyphenated = [p.replace("extension", "ex\u00adten\u00adsion") for p in LOREM]
    article = extract_article(page(paragraphs=hyphenated), URL)
    assert article.text == "\n\n".join(LOREM)
    assert "\u00ad" not in article.html


def test_lead_set_apart_before_the_story_kept():
    from newsdesk.extract.body import extract_body
    from newsdesk.extract.parse import parse_html

    lead = ("The northern tram line will open a year early after the council found the money "
            "in its transport budget.")
    story = "".join(f"<p>{p}</p>" for p in [*LOREM, *COMMITTEE])
    html = ("<html><body><div class='page'><h1>Tram line opens early</h1>"
            f"<div class='intro'><div>{lead}</div></div><div class='gap'>\u00a0</div>"
            f"<div class='story'>{story}</div>"
            "<div class='links'><a href='/a'>Home</a> <a href='/b'>World</a></div></div>"
            "</body></html>")
    texts = [b.text for b in extract_body(parse_html(html), URL)]
    assert texts == [lead, *LOREM, *COMMITTEE]


def test_subheading_opening_the_body_stays():
    # A short unpunctuated line above the story is a kicker, but a subheading is the story's own.
    body = "<h3>How the council voted</h3>" + "".join(f"<p>{p}</p>" for p in LOREM)
    text = extract_article(page(body=body, paragraphs=[]), URL).text
    assert text.split("\n\n") == ["How the council voted", *LOREM]


STANDFIRST = ("The northern tram line will open a year early: the council found the money in its "
              "transport budget, and the builders say the last stretch is easier than planned.")


def _headed_story(standfirst: str) -> str:
    """A page whose header holds the headline and a standfirst, apart from the story's box."""
    story = "".join(f"<p>{p}</p>" for p in [*LOREM, *COMMITTEE])
    return ("<html><body><header class='article-header'><h1>Tram line opens early</h1>"
            f"<h2 class='article__deck'>{standfirst}</h2><p>By Jane Doe</p></header>"
            f"<div class='story'>{story}</div></body></html>")


def test_standfirst_between_headline_and_story_kept():
    from newsdesk.extract.body import extract_body
    from newsdesk.extract.parse import parse_html

    texts = [b.text for b in extract_body(parse_html(_headed_story(STANDFIRST)), URL)]
    assert texts == [STANDFIRST, *LOREM, *COMMITTEE]


def test_unnamed_standfirst_in_the_headline_box_kept():
    from newsdesk.extract.body import extract_body
    from newsdesk.extract.parse import parse_html

    story = "".join(f"<p>{p}</p>" for p in [*LOREM, *COMMITTEE])
    html = ("<html><body><div class='page'><div class='hero'><div class='hero__text'>"
            f"<h1>Tram line opens early</h1><p>{STANDFIRST}</p></div></div>"
            "<div class='info'>Jane Doe, 4 min read</div>"
            f"<div class='content'><div class='story'>{story}</div></div></div></body></html>")
    texts = [b.text for b in extract_body(parse_html(html), URL)]
    assert texts == [STANDFIRST, *LOREM, *COMMITTEE]


def test_one_line_deck_left_out():
    # A subtitle of a line or so sums the story up; it is not its opening.
    from newsdesk.extract.body import extract_body
    from newsdesk.extract.parse import parse_html

    deck = "The line opens a year early, the council says."
    texts = [b.text for b in extract_body(parse_html(_headed_story(deck)), URL)]
    assert texts == [*LOREM, *COMMITTEE]


def test_pointers_to_other_stories_dropped_in_other_languages():
    paragraphs = [LOREM[0], "Mehr zum Thema", LOREM[1], "Temas relacionados", LOREM[2],
                  "Czytaj też: Nowa linia tramwajowa w Krakowie", LOREM[3]]
    text = extract_article(page(paragraphs=paragraphs), URL).text
    assert text.split("\n\n") == LOREM


def test_update_line_above_the_story_dropped_in_german():
    line = "Aktualisiert: Dienstag, 12. März 2024, Redaktion Stadtentwicklung und Verkehr Nord"
    paragraphs = [line, *LOREM]
    text = extract_article(page(paragraphs=paragraphs), URL).text
    assert text.split("\n\n") == LOREM


def test_rating_prompt_below_the_story_dropped():
    paragraphs = [*LOREM, "War der Artikel nützlich? Bewerten Sie ihn mit einem Klick."]
    text = extract_article(page(paragraphs=paragraphs), URL).text
    assert text.split("\n\n") == LOREM


def test_caption_in_a_box_named_for_the_picture_dropped():
    picture = ("<div class='article-image'><img src='/tram.jpg' alt=''><span>The new tram at the "
               "depot on Monday. Photo: Jane Doe</span></div>")
    paras = [f"<p>{p}</p>" for p in LOREM]
    body = "".join(paras[:2]) + picture + "".join(paras[2:])
    text = extract_article(page(body=body, paragraphs=[]), URL).text
    assert text.split("\n\n") == LOREM


def test_text_after_a_picture_box_stays():
    picture = "<div class='img-inline'><img src='/tram.jpg' alt=''>Photo: Jane Doe</div>"
    body = f"<div class='story-text'>{LOREM[0]}<br><br>{picture}{LOREM[1]}</div>"
    text = extract_article(page(body=body, paragraphs=[]), URL).text
    assert text.split("\n\n") == LOREM[:2]


def test_story_inside_an_aside_left_open_kept():
    # An unclosed sidebar stretches the <aside> around everything after it.
    story = "".join(f"<p>{p}</p>" for p in LOREM)
    html = ("<html><body><aside class='sidebar'><a href='/'>Home</a> <a href='/world'>World</a>"
            f"<div class='main'><article><h1>Tram line to be extended north</h1>{story}"
            "</article></div></aside></body></html>")
    assert extract_article(html, URL).text == "\n\n".join(LOREM)


def test_placeholders_of_embeds_and_widgets_dropped():
    paragraphs = [*LOREM, "Externer Inhalt",
                  "Klicken Sie auf den Button, um den Inhalt von www.example.org zu laden.",
                  "Loading..."]
    text = extract_article(page(paragraphs=paragraphs), URL).text
    assert text.split("\n\n") == LOREM
