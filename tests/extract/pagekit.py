"""Build small article pages for the extraction tests."""

from __future__ import annotations

import json

LOREM = [
    "The city council voted on Tuesday to extend the tram line to the northern suburbs, "
    "ending a debate that has divided residents for more than a decade.",
    "Supporters said the extension would cut commuting times by a third and bring new shops "
    "to streets that have been quiet since the factory closed in 2009.",
    "Opponents argued that the cost, now estimated at 240 million euros, would crowd out "
    "spending on schools and that the route passes too close to the protected wetlands.",
    "Construction is expected to begin next spring and to last about three years, the "
    "council's transport committee said in a statement after the vote.",
]


def page(
    body: str = "",
    *,
    head: str = "",
    title: str = "Tram line to be extended north | The Daily Example",
    lang: str = "en",
    paragraphs: list[str] | None = None,
) -> str:
    """A page with a <head>, a headline and an article holding ``paragraphs`` and ``body``."""
    paras = "".join(f"<p>{p}</p>" for p in (LOREM if paragraphs is None else paragraphs))
    return (
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>"
        f"{head}</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<main><article><h1>Tram line to be extended north</h1>{paras}{body}</article></main>"
        "<footer><p>© 2024 The Daily Example. All rights reserved.</p></footer></body></html>"
    )


def json_ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'
