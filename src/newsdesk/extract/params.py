"""The tuning values of extraction, in one frozen object.

The defaults are the values measured on the extraction benchmarks (docs/extraction.md). The
object is small and picklable: the polling pipeline gives it to each extraction worker once,
when the worker starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsdesk.config import Settings


@dataclass(frozen=True, slots=True)
class ExtractParams:
    # -- which body wins (newsdesk.extract.article)
    min_body_chars: int = 200  # below this a body extractor "found too little"
    # Below this our body is checked against trafilatura's, which wins when it finds clearly
    # more: short pages (product pages, notices, short posts) are where a second opinion pays.
    second_opinion_chars: int = 1000
    # ... and on longer ones whose chosen containers hold less than this share of the page's
    # prose (text spread over several containers, where ours may have kept only one).
    second_opinion_coverage: float = 0.7
    # trafilatura's time grows with the page: past this size (characters of HTML) our own
    # extractor has the last word (0: trafilatura is never asked).
    second_opinion_max_html: int = 400_000
    # ... and on trees this large (its cost grows with the elements, ours is already paid).
    second_opinion_max_nodes: int = 6000
    # It wins by finding clearly more: a fifth more, and at least a short body's worth (less is
    # mostly the breadcrumbs, bylines and share bars around a short story).
    second_opinion_gain: float = 1.2
    # A body keeping less than this share of the page's prose looks cut short: trafilatura then
    # reads pages up to cut_short_size times the limits above.
    cut_short_coverage: float = 0.5
    cut_short_size: float = 2.5

    # -- finding the story's containers (newsdesk.extract.body)
    min_paragraph: int = 25  # characters of a paragraph that counts
    prose_density: float = 0.3  # paragraphs with less link text than this are prose
    # A container's tag and class bonus counts in full only once it holds this much prose: a
    # "headline-text" box around one short line is not the story, whatever its name.
    weight_prose: int = 250
    # Climb up to max_widen parents, each holding widen_gain times the prose, with a link
    # density under widen_density; a sibling holding widen_rival of the top's prose is another
    # story, not a lead.
    max_widen: int = 3
    widen_gain: float = 1.25
    widen_density: float = 0.3
    widen_rival: float = 0.5
    # A box whose linked headings (teaser_headings or more) make teaser_share of its text is a
    # strip of other stories.
    teaser_headings: int = 3
    teaser_share: float = 0.25
    # A sibling of the chosen container holding this much prose (absolute, and as a share of the
    # container's) continues the story: pages built of modules spread one text over several.
    sibling_prose: int = 150
    sibling_share: float = 0.2
    lead_prose: int = 80  # a lead set apart before the story holds at least this much prose
    lead_gap: int = 5  # boxes with less text (spacers, a lone dash) may stand between them
    max_boilerplate_share: float = 0.3  # a "boilerplate" box holding more of the page wraps it
    standfirst_chars: tuple[int, int] = (140, 700)  # the length of a standfirst (deck, intro)
    image_box_text: int = 300  # a box named for a picture with less text holds its caption
    header_levels: int = 3  # how far above the headline its header box may be
    recurring_pages: int = 3  # a block seen on this many other pages of the site is boilerplate

    # -- what is never the body (newsdesk.extract.prune)
    small_form: int = 1000  # a form with less text is a search box or a sign-up
    wrapper_share: float = 0.5  # an aside holding the headline and this much of the page's text

    @classmethod
    def from_settings(cls, settings: Settings) -> ExtractParams:
        return cls(second_opinion_max_html=settings.extract_second_opinion_max_html)


DEFAULT_PARAMS = ExtractParams()
