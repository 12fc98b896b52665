"""Chroma access: one client (embedded or server), three collections.

* ``<name>``            one record per chunk (paragraph or part of one); its vector is
                        the normalised mean of its sentences' vectors.
* ``<name>_sentences``  one record per sentence of a chunk, id ``<chunk id>:<i>``,
                        used to pick the answering sentence and as a fine-grained
                        dense retriever.
* ``<name>_manifest``   one record per document (sha256, counts, status) plus a
                        ``__generation__`` record that changes on every write, so other
                        processes sharing a Chroma server know to refresh.

Every collection is opened with our embedding function, so Chroma never rebuilds its
stock model (which would try to download weights).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any

from bot.config import Settings
from bot.embed import MiniLMEmbedder
from bot.errors import StoreError

log = logging.getLogger(__name__)

GENERATION_ID = "__generation__"
#: Records written to Chroma per call; Chroma's own cap is a few thousand.
WRITE_BATCH = 1000


def _batches(items: Sequence[Any], size: int = WRITE_BATCH) -> Iterator[Sequence[Any]]:
    for lo in range(0, len(items), size):
        yield items[lo:lo + size]


class Store:
    """The three collections of one index, behind a Chroma client."""

    def __init__(self, settings: Settings, embedder: MiniLMEmbedder) -> None:
        self.settings = settings
        self.embedder = embedder
        self.client = _connect(settings)
        try:
            space: Any = {"hnsw": {"space": "cosine"}}
            self.chunks = self.client.get_or_create_collection(
                settings.collection, embedding_function=embedder, configuration=space)
            self.sentences = self.client.get_or_create_collection(
                f"{settings.collection}_sentences", embedding_function=embedder, configuration=space)
            self.manifest = self.client.get_or_create_collection(
                f"{settings.collection}_manifest", embedding_function=embedder)
        except Exception as exc:  # chromadb raises many types; all mean the same here
            raise StoreError(_describe(settings, exc)) from None

    def close(self) -> None:
        """Release the client's connections and files."""
        close = getattr(self.client, "close", None)
        if close is not None:
            try:
                close()
            except Exception as exc:  # closing must never mask the caller's own error
                log.debug("closing the Chroma client failed: %s", exc)

    # -- manifest ------------------------------------------------------------------------
    def documents(self) -> dict[str, dict[str, Any]]:
        """Manifest records by source (the generation record excluded)."""
        got = self._call(self.manifest.get, include=["metadatas"])
        return {i: dict(m or {}) for i, m in zip(got["ids"], got["metadatas"] or []) if i != GENERATION_ID}

    def set_document(self, source: str, meta: dict[str, Any]) -> None:
        self._call(self.manifest.upsert, ids=[source], embeddings=[[1.0]], metadatas=[meta])

    def remove_document(self, source: str) -> None:
        self._call(self.chunks.delete, where={"source": source})
        self._call(self.sentences.delete, where={"source": source})
        self._call(self.manifest.delete, ids=[source])

    def generation(self) -> str:
        got = self._call(self.manifest.get, ids=[GENERATION_ID], include=["metadatas"])
        metas = got.get("metadatas") or []
        return str(metas[0].get("value", "")) if metas and metas[0] else ""

    def bump_generation(self, value: str) -> None:
        self._call(self.manifest.upsert, ids=[GENERATION_ID], embeddings=[[1.0]], metadatas=[{"value": value}])

    # -- chunks and sentences ----------------------------------------------------------
    def chunk_ids(self, source: str) -> set[str]:
        return set(self._call(self.chunks.get, where={"source": source}, include=[])["ids"])

    def add_chunks(self, ids: list[str], vectors: Any, texts: list[str], metas: list[dict[str, Any]]) -> None:
        for lo in range(0, len(ids), WRITE_BATCH):
            hi = lo + WRITE_BATCH
            self._call(self.chunks.upsert, ids=ids[lo:hi], embeddings=vectors[lo:hi],
                       documents=texts[lo:hi], metadatas=metas[lo:hi])

    def add_sentences(self, ids: list[str], vectors: Any, metas: list[dict[str, Any]]) -> None:
        for lo in range(0, len(ids), WRITE_BATCH):
            hi = lo + WRITE_BATCH
            self._call(self.sentences.upsert, ids=ids[lo:hi], embeddings=vectors[lo:hi], metadatas=metas[lo:hi])

    def update_chunk_metas(self, ids: list[str], metas: list[dict[str, Any]]) -> None:
        for lo in range(0, len(ids), WRITE_BATCH):
            self._call(self.chunks.update, ids=ids[lo:lo + WRITE_BATCH], metadatas=metas[lo:lo + WRITE_BATCH])

    def delete_chunks(self, ids: list[str]) -> None:
        for batch in _batches(ids):
            self._call(self.chunks.delete, ids=list(batch))
            self._call(self.sentences.delete, where={"chunk_id": {"$in": list(batch)}})

    def all_chunks(self) -> tuple[list[str], list[str], list[dict[str, Any]]]:
        """Every chunk's id, text and metadata (for the lexical index)."""
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict[str, Any]] = []
        total = self._call(self.chunks.count)
        for offset in range(0, total, 5000):
            got = self._call(self.chunks.get, include=["documents", "metadatas"], limit=5000, offset=offset)
            ids.extend(got["ids"])
            texts.extend(got["documents"] or [])
            metas.extend(dict(m or {}) for m in got["metadatas"] or [])
        return ids, texts, metas

    def query_chunks(self, vector: Any, n: int) -> tuple[list[str], list[float]]:
        return self._query(self.chunks, vector, n)

    def query_sentences(self, vector: Any, n: int) -> tuple[list[str], list[float]]:
        return self._query(self.sentences, vector, n)

    def sentence_vectors(self, ids: list[str]) -> dict[str, Any]:
        got = self._call(self.sentences.get, ids=ids, include=["embeddings"])
        embeddings = got.get("embeddings")
        if embeddings is None:
            return {}
        return dict(zip(got["ids"], embeddings))

    def _query(self, collection: Any, vector: Any, n: int) -> tuple[list[str], list[float]]:
        # Chroma returns fewer results when the collection holds fewer than n: no count needed.
        got = self._call(collection.query, query_embeddings=[vector], n_results=n, include=["distances"])
        ids = got["ids"][0]
        # cosine distance -> similarity
        sims = [1.0 - float(d) for d in (got["distances"] or [[]])[0]]
        return ids, sims

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # chromadb surfaces connection and storage faults in many types
            raise StoreError(_describe(self.settings, exc)) from exc


def _connect(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_host:
            return chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, ssl=settings.chroma_ssl,
                headers=settings.chroma_headers or None, settings=chroma_settings)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.data_dir), settings=chroma_settings)
    except Exception as exc:  # connection refused, bad path, version mismatch...
        raise StoreError(_describe(settings, exc)) from None


def _describe(settings: Settings, exc: Exception) -> str:
    detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    if settings.chroma_host:
        return (f"cannot use the Chroma server at {settings.chroma_host}:{settings.chroma_port} ({detail}); "
                "check that `chroma run` is up there, or unset CHROMA_HOST to use the local store")
    return (f"cannot use the Chroma store in {settings.data_dir} ({detail}); "
            "check the folder is writable, or set BOT_DATA_DIR to another folder")
