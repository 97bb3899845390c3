"""The language of a text: detected with py3langid, the page's declaration used as a hint."""

from __future__ import annotations

import re
from functools import lru_cache

_MIN_CHARS = 80  # below this a detection is a guess; the declaration is worth more
_CONFIDENT = 0.9


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def declared_code(value: str | None) -> str | None:
    """'en-GB', 'en_US', 'de' -> 'en', 'de'; None when it is not a language tag."""
    if not value:
        return None
    m = re.match(r"^\s*([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*\s*$", value)
    return m.group(1).lower() if m else None


def detect_language(text: str, declared: list[str] = ()) -> str | None:
    """An ISO 639-1 code for ``text``; a declared language wins when detection is unsure."""
    hint = next((c for c in map(declared_code, declared) if c), None)
    sample = text[:1500]
    if len(sample.strip()) < _MIN_CHARS:
        return hint
    ranked = _identifier().rank(sample)[:3]
    best, probability = ranked[0]
    if hint and hint != best:
        # The declaration stands when detection is unsure and the declared language is a runner-up.
        runner_ups = {code for code, p in ranked[1:] if p > 0.05}
        if probability < _CONFIDENT and hint in runner_ups:
            return hint
    return best
