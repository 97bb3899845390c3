"""The second opinion: which reading of a page is its body.

Our own extractor's body is compared with the page's other strong readings before it is
accepted: trafilatura's reading of the page as it came, the structured data's `articleBody`,
the feed entry's content. A body much shorter than one of them needs a reason the code can
state, or the fuller reading is taken. The reasons a shorter body stands:

- the other reading adds too little: under a fifth more, or under a short body's worth (when
  ours is not a body at all, any story text it adds is enough);
- what it adds is lines, not sentences (menus, labels, captions, link lines);
- what it adds is glued to our own paragraphs in blocks too short to be story text
  (breadcrumbs and share bars around a short story).

So a JSON-LD `articleBody` that is only a summary never replaces a fuller body, and a body that
is the first of several containers gives way to a reading that holds the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from newsdesk.extract.cleanup import is_label
from newsdesk.extract.params import DEFAULT_PARAMS, ExtractParams
from newsdesk.extract.render import Block

# A sentence: a run of words with the punctuation that closes one (any script's full stop).
_SENTENCE = re.compile(r"\w[^.!?。！？]{20,}[.!?…。！？]")


_STRUCTURED = ("ul", "ol", "table", "pre")  # lists, tables, code: story text without sentences


@dataclass(frozen=True, slots=True)
class Reading:
    """One candidate body and the name of what produced it."""

    method: str  # newsdesk, trafilatura, json-ld, feed
    blocks: list[Block]

    @property
    def chars(self) -> int:
        return sum(len(b.text) for b in self.blocks)


@dataclass(frozen=True, slots=True)
class Verdict:
    reading: Reading
    reason: str  # why this reading is the body


def judge(ours: Reading, others: Iterable[Reading],
          params: ExtractParams = DEFAULT_PARAMS) -> Verdict:
    """The reading to take: ours, unless another holds clearly more of the story. The fullest
    alternative is heard first."""
    reasons = []
    for other in sorted(others, key=lambda r: r.chars, reverse=True):
        if not other.blocks:
            continue
        why = reason_to_keep(ours, other, params)
        if why is None:
            return Verdict(other, f"{other.method} holds clearly more of the story than "
                                  f"{ours.method} ({other.chars} against {ours.chars} characters)")
        reasons.append(why)
    return Verdict(ours, "; ".join(reasons) or "no other reading")


def reason_to_keep(ours: Reading, other: Reading,
                   params: ExtractParams = DEFAULT_PARAMS) -> str | None:
    """Why ``ours`` stands against a reading that may hold more, or None when it does not."""
    found = ours.chars
    least = params.min_body_chars
    gain = new_prose(other.blocks, ours.blocks, least)
    if found < least and gain > 0:
        return None  # ours is hardly a body: any reading with story text beyond it is better
    if found + gain <= max(found * params.second_opinion_gain, found + least):
        return f"{other.method} adds too little ({gain} characters of sentences beyond ours)"
    return None


def new_prose(theirs: list[Block], ours: list[Block], least: int) -> int:
    """Characters of ``theirs`` that say something ours does not, counted in blocks of
    sentences. A block held by one of ours adds nothing, nor does a block holding most of the
    words of one of ours (a story's own paragraphs glued to breadcrumbs, a share bar or a hover
    card are the same story, only noisier) unless ours is not a body (under ``least``) and
    a body's worth of sentences lies around our few words: then that is the story (menus, a
    date line and share buttons glued around a short story are not)."""
    known = [k for k in (" ".join(b.text.split()) for b in ours) if k]
    is_body = sum(len(k) for k in known) >= least
    paragraphs = [g for g in (_trigrams(k) for k in known) if g] if is_body else []
    gain = 0
    for block in theirs:
        flat = " ".join(block.text.split())
        if not flat or is_label(flat) or (block.tag not in _STRUCTURED
                                          and not _SENTENCE.search(flat)):
            continue  # a line, a label, a caption: no story text
        if any(flat in k for k in known):
            continue
        if is_body and _holds(_trigrams(flat), paragraphs):
            continue  # our paragraph, with what stands around or inside it run in
        held = [k for k in known if k in flat]
        if held:  # our few words with what stands around them: only its sentences count
            for k in held:
                flat = flat.replace(k, " ")
            extra = sum(len(m) for m in _SENTENCE.findall(flat))
            gain += extra if extra >= least else 0
        else:
            gain += len(flat)
    return gain


_WORDS = re.compile(r"\w+")
HELD = 0.6  # a block holding this share of one of our paragraphs' word triples holds it


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORDS.findall(text.casefold())
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def _holds(grams: set[tuple[str, ...]], paragraphs: list[set[tuple[str, ...]]]) -> bool:
    """Whether a block's word triples hold most of one of our paragraphs'."""
    return any(len(p & grams) >= HELD * len(p) for p in paragraphs)
