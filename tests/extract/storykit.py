"""A ten-paragraph story and the boxes pages set between its paragraphs, for the tests that an
article is never cut short."""

from __future__ import annotations

STORY = [
    "The river burst its banks shortly after midnight on Sunday, flooding the lower town and "
    "forcing more than two hundred families to leave their homes in the dark.",
    "Emergency crews worked through the night with boats and tractors, carrying the elderly and "
    "the sick from houses where the water had reached the first floor.",
    "By morning the main bridge was closed, the railway line to the coast was cut, and the "
    "town's only hospital was running on its emergency generators.",
    "The mayor, speaking from the steps of the town hall, said the damage was the worst she had "
    "seen in thirty years and asked the government for urgent help.",
    "Residents said the warnings had come too late. Many woke to find water pouring under their "
    "doors, with no time to move cars, furniture or documents.",
    "Farmers upstream reported losing entire herds, and the regional agriculture office "
    "estimated that a third of the valley's winter crops had been destroyed.",
    "Engineers will inspect the dam above the town on Tuesday, once the water level has fallen "
    "far enough for divers to reach the damaged sluice gates safely.",
    "The national weather service has warned that more rain is expected later in the week, and "
    "has kept its highest alert in place for the whole valley.",
    "Schools in the district will stay closed until at least Friday, the education office said, "
    "and three of them are being used as shelters for displaced families.",
    "Volunteers from neighbouring villages have set up kitchens in the market square, where "
    "they served more than a thousand hot meals on Sunday evening alone.",
]
TITLE = "River floods lower town"
URL = "https://valleypost.example/news/2026/03/river-floods-lower-town"

# What pages put between a story's paragraphs: none of it is the story.
BOXES = [
    '<div class="ad-slot" id="div-gpt-ad-1"><p>Advertisement</p></div>',
    '<div class="newsletter-box"><h3>Get the Valley Post daily</h3><p>Sign up for our free '
    "newsletter and get the day's top stories in your inbox every morning.</p>"
    '<form><input type="email"><button>Sign up</button></form></div>',
    '<aside class="most-read"><h3>Most read</h3><ol><li><a href="/a">Council approves new '
    'budget for the coming year</a></li><li><a href="/b">Local team wins the regional cup '
    'final</a></li><li><a href="/c">New bakery opens on the high street</a></li></ol></aside>',
    '<div class="promo"><a href="/subscribe"><strong>Subscribe today:</strong> unlimited '
    "access to the Valley Post for one euro a week.</a></div>",
    '<p class="read-more"><a href="/news/2026/03/dam-inspection">Read more: Why the dam above '
    "the town worries engineers</a></p>",
    '<div class="related-links"><h4>Related</h4><ul><li><a href="/r1">Floods of 1996: the town '
    'remembers</a></li><li><a href="/r2">How to claim flood insurance</a></li></ul></div>',
    "<p>- Advertisement -</p>",
    '<div class="inline-promo"><div class="card"><a href="/podcast"><img src="/p.jpg" alt="">'
    "<span>Listen: the Valley Post podcast, every Friday</span></a></div></div>",
]


def paragraphs(indices: range | list[int]) -> str:
    return "".join(f"<p>{STORY[i]}</p>" for i in indices)


def document(body: str, *, head: str = "", title: str = TITLE) -> str:
    """A page with a navigation bar, the headline, ``body`` and a footer."""
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title} | The Valley Post</title>{head}</head><body>"
        "<header><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a>"
        f"</nav></header><main><h1>{title}</h1>{body}</main>"
        "<footer><p>© 2026 The Valley Post. All rights reserved.</p><ul><li><a href='/about'>"
        "About us</a></li><li><a href='/contact'>Contact</a></li></ul></footer></body></html>"
    )


def missing(text: str, wanted: list[str] = STORY) -> list[int]:
    """The indices of the paragraphs of ``wanted`` that ``text`` lacks."""
    return [i for i, p in enumerate(wanted) if p not in text]
