"""Blocks that are never the article, whatever extractor kept them."""

from __future__ import annotations

import re

from newsdesk.extract.render import Block
from newsdesk.extract.title import fold

# Whole-block labels: ad slots, sponsor notes, share prompts, credits.
_LABEL = re.compile(
    r"^\W*(?:advertisements?|advertising|advertisement\W+continue reading below|anzeigen?|werbung|"
    r"publicidad|publicidade|pubblicità|publicité|реклама|광고|広告|iklan|sponsored(?: content)?|"
    r"paid content|promoted|story continues below(?: advertisement)?|continue reading below|"
    r"article continues below(?: advertisement)?|skip advertisement|scroll to continue|"
    r"share(?: this)?(?: article| story)?|share on \w+|tweet|email|print|"
    r"read more|see also|related(?: articles| stories| content)?|more stories|"
    r"image source,?.*|image caption,?.*|media caption,?.*|photo(?:graph)?:.*|"
    r"picture:.*|credit:.*|bild:.*|foto:.*|фото:.*|©.*|\(c\) .*|getty images|reuters|afp|"
    r"ap photo.*|skip to (?:main )?content|jump (?:directly )?to (?:the )?content|back to top|"
    r"advert|comments?|\d+ (?:comments?|responses?)(?: to .*)?|post comment.*|comments? \(\+\)|"
    r"leave a (?:comment|reply)|you may also like.*|don'?t miss|more:|highlights|"
    r"tags?:.*|filed under:.*|source:.*|about the author|popular on .*|more .* stories|"
    r"sponsored links|must read.*|elsewhere on .*|\d+ of \d+|"
    # the same labels in the other languages newsdesk reads: pointers to other stories,
    # comment and print buttons, sources and picture credits
    r"mehr zum thema.*|mehr themen:?|lesen sie (?:auch|mehr).*|(?:das thema )?(?:das )?k[öo]nnte "
    r"(?:sie|dich) auch interessieren.*|auch interessant.*|schon gelesen\??|zum weiterlesen:?|"
    r"weitere (?:beitr[äa]ge|artikel|themen|informationen|infos)\b.{0,80}|"
    r"quellen?(?:angaben)?:.*|quellen ausblenden|kommentare? (?:schreiben|insgesamt:?.*)|"
    r"kommentieren|(?:rezept |artikel )?drucken|über den autor|über die autorin|"
    r"(?:titelbild|beitragsbild|bildquelle)\b.*|bild anzeigen|cr[ée]dits? photos?\s*:.*|"
    r"(?:notas|noticias|temas) relacionad[oa]s|te puede interesar.*|"
    r"(?:lee|lea|mira|mire|puedes ver|ver también)(?: también| además)?:.*|"
    r"czytaj (?:też|także|również|więcej).*|zobacz (?:też|także|również).*|drukuj|"
    r"(?:à )?lire aussi.*|voir aussi.*|sur le même sujet|leggi anche.*|"
    r"leia (?:também|mais).*|veja também.*|читайте также.*|lees ook.*|"
    # placeholders of widgets and embeds that load later, or only with consent
    r"loading|wird geladen|cargando|externer inhalt|empfohlener (?:redaktioneller )?inhalt)\W*$",
    re.IGNORECASE | re.DOTALL,
)
_MAX_LABEL = 120
# Calls to action and small print that close (or open) a story, never part of it.
_PROMPT = re.compile(
    r"newsletter|subscribe|sign up|signup|follow (?:us|me|\w+ on)|join our|share (?:this|it|your)|"
    r"click here|download (?:our|the) app|listen (?:live|to|back)|let our news|your inbox|"
    r"affiliate|commission|disclaimer|copyright|all rights reserved|may receive|tell us what|"
    r"may be reached at|contributed (?:to )?(?:this )?report|^\(?(?:additional )?reporting by|"
    r"^\(?(?:writing|editing) by|^\(?editing by|this post may contain|recaptcha|signing up|"
    r"if you enjoyed|what you think|artikel (?:teilen|bewerten)|nützlich\?|"
    r"abonnieren|subskrypcj|suscr[ií]b|inhalt (?:von \S+ )?zu laden|load (?:the )?content",
    re.IGNORECASE,
)
_META_LINE = re.compile(
    r"\b(?:updated|published|posted|last updated|first published|ago|am|pm|gmt|utc|est|ist|"
    r"aktualisiert|veröffentlicht|actualizado|publicado|mis à jour|publié|aggiornato|"
    r"pubblicato|atualizado)\b|"
    r"\d{1,2}:\d{2}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|기사입력|"
    r"\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}時\d{1,2}分",
    re.IGNORECASE,
)
# "Jane Doe is a reporter for ...": the author's note that closes many stories.
_BIO = re.compile(
    r"^(?:[A-Z][\w'’.-]+\s){1,4}(?:is|was|has been)\s(?:a|an|the)\s.{0,120}?\b(?:reporter|writer|"
    r"journalist|editor|columnist|correspondent|curator|contributor|author|native|blogger)\b|"
    r"^I am an? (?:\w+ ){0,3}(?:writer|journalist|reporter|editor)\b"
)
_SENTENCE_END = re.compile(r"[.!?…。！？\"“”»«)’」』]\s*$")
# A subheading or a table opening the body is the story's own, not a kicker.
_KEPT_AT_TOP = ("table", "h3", "h4", "h5", "h6")
_EDGE = 4  # how many blocks at each end are looked at
_SHORT = 80


def is_label(text: str) -> bool:
    """A short block that is an ad slot, a credit or a prompt rather than prose."""
    return len(text) <= _MAX_LABEL and bool(_LABEL.match(text))


def clean_blocks(
    blocks: list[Block], title: str | None = None, authors: list[str] = (),
) -> list[Block]:
    """Drop labels, the headline and bylines repeated in the body, and repeated blocks."""
    folded_title = fold(title) if title else ""
    names = {fold(a) for a in authors}
    kept: list[Block] = []
    seen: set[str] = set()
    for block in blocks:
        text = block.text
        if is_label(text):
            continue
        key = fold(text)
        if not key:
            continue
        if folded_title and key == folded_title and not kept:
            continue  # the headline repeated at the top of the body
        if names and len(text) < 160 and _is_byline(key, names):
            continue
        if key in seen and len(key) > 0:
            continue
        seen.add(key)
        kept.append(block)
    return kept


def trim_edges(blocks: list[Block], title: str | None) -> list[Block]:
    """Drop what sits around the story: kicker, date line and headline above it; prompts,
    contributor lines and small print below it. A lead that repeats the page's description
    stays: it is the story's first paragraph as often as a teaser beside it."""
    if not blocks:
        return blocks
    folded_title = fold(title) if title else ""
    start = 0
    while start < min(_EDGE, len(blocks) - 1):
        text = blocks[start].text
        key = fold(text)
        long_follows = any(len(b.text) >= _SHORT for b in blocks[start + 1 :])
        if (folded_title and (key == folded_title or (folded_title in key
                                                       and len(key) < len(folded_title) + 30))
                or (len(text) < 160 and _META_LINE.search(text) and not _SENTENCE_END.search(text))
                or (len(text) < _SHORT and not _SENTENCE_END.search(text) and long_follows
                    and blocks[start].tag not in _KEPT_AT_TOP)
                or (len(text) < 250 and _PROMPT.search(text))):
            start += 1
            continue
        break
    end = len(blocks)
    while end > start + 1 and end > len(blocks) - _EDGE:
        text = blocks[end - 1].text
        if ((len(text) < 300 and _PROMPT.search(text)) or (len(text) < 600 and _BIO.search(text))
                or (len(text) < 160 and _META_LINE.search(text) and not _SENTENCE_END.search(text))
                or is_label(text)):
            end -= 1
            continue
        break
    return blocks[start:end]


# words a byline may carry after its name: "and Name", an agency, a place, a date and time
_BYLINE_TAIL_WORDS = 10


def _is_byline(key: str, names: set[str]) -> bool:
    """A block that is the byline: "By Name" and little more. A sentence that merely starts
    with "By" and a word that is also a name ("By morning the bridge was closed ...") is prose."""
    stripped = re.sub(r"^(?:by|von|par|por|di|door|av)\s+", "", key)
    if stripped in names:
        return True
    return any(
        key.startswith("by " + name) and len(key[3 + len(name):].split()) <= _BYLINE_TAIL_WORDS
        for name in names
        if name
    )
