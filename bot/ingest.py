"""Files -> chunks -> vectors -> Chroma. Re-runnable: unchanged files are skipped.

Per document the manifest goes ``pending`` -> ``complete``. Retrieval ignores documents
that are not complete, so an ingest killed half-way never serves half a document, and
the next run finishes it: chunk ids are stable, so what was written is kept and only the
missing chunks are embedded.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from bot.chunk import chunk_document, cited_paragraphs, embedding_text, split_sentences
from bot.errors import IngestError
from bot.load import find_files, read_text, sha256_text
from bot.store import Store
from bot.types import Chunk, IngestReport

log = logging.getLogger(__name__)

#: Bump when chunking rules change, so every document is re-chunked on the next ingest.
CHUNKER_VERSION = "7"
#: Bump when what is handed to the embedder changes but the chunks do not (a sentence
#: embedded with more context, say): chunk ids stay the same then, so without this the
#: next ingest would keep every old vector.
EMBEDDING_INPUT_VERSION = "2"

Progress = Callable[[str, int, int], None]


def fingerprint(text: str, max_chars: int) -> str:
    return sha256_text(f"chunker={CHUNKER_VERSION};embedding={EMBEDDING_INPUT_VERSION};max={max_chars}\n{text}")


def ingest(store: Store, paths: list[str | Path], *, prune: bool = False,
           progress: Progress | None = None) -> IngestReport:
    """Ingest files and folders; bad files are reported and skipped, good ones kept."""
    started = time.perf_counter()
    report = IngestReport()
    found, errors, report.skipped = find_files(paths)
    report.errors.extend(errors)
    known = store.documents()
    max_chars = store.settings.max_chunk_chars
    changed = False
    for n, file in enumerate(found, 1):
        if progress:
            progress(file.source, n, len(found))
        try:
            text = read_text(file.path)
        except IngestError as exc:
            report.errors.append((str(file.path), str(exc)))
            continue
        digest = fingerprint(text, max_chars)
        previous = known.get(file.source)
        if previous and previous.get("sha256") == digest and previous.get("status") == "complete":
            report.unchanged.append(file.source)
            report.paragraphs += int(previous.get("paragraphs", 0))
            continue
        paragraphs, chunks = chunk_document(file.source, text, max_chars)
        cited = cited_paragraphs(text, paragraphs)
        counted = cited[-1].number if cited else 0  # as citations number them
        meta = {"sha256": digest, "path": str(file.path.resolve()), "paragraphs": counted,
                "chunks": len(chunks), "status": "pending", "ingested_at": _now(),
                "embedding_input": EMBEDDING_INPUT_VERSION}
        store.set_document(file.source, meta)
        if previous and previous.get("embedding_input") != EMBEDDING_INPUT_VERSION:
            store.delete_chunks(sorted(store.chunk_ids(file.source)))  # embedded the old way
        changed = True
        split = {c.paragraph for c in chunks if c.part > 0}
        long_paragraphs = {p.number: p.text for p in paragraphs if p.number in split}
        # A list's first item carries the whole list, the paragraph its citations name.
        lists = {p.number: c.text for p, c in zip(paragraphs, cited) if c.text != p.text and c.start == p.start}
        report.chunks_embedded += _write_chunks(store, file.source, chunks, long_paragraphs, lists)
        store.set_document(file.source, {**meta, "status": "complete"})
        (report.updated if previous else report.added).append(file.source)
        report.paragraphs += counted
    if prune:
        for source, meta in known.items():
            if not Path(str(meta.get("path", ""))).exists():
                store.remove_document(source)
                report.removed.append(source)
                changed = True
    if changed:
        store.bump_generation(uuid.uuid4().hex)
    report.seconds = time.perf_counter() - started
    return report


def remove(store: Store, source: str) -> bool:
    """Remove one document (chunks, sentences, manifest record), as ``prune`` does for a
    vanished file; False when the index holds no document of that name."""
    if source not in store.documents():
        return False
    store.remove_document(source)
    store.bump_generation(uuid.uuid4().hex)
    return True


def _write_chunks(store: Store, source: str, chunks: list[Chunk], long_paragraphs: dict[int, str],
                  lists: dict[int, str]) -> int:
    existing = store.chunk_ids(source)
    wanted = {c.id for c in chunks}
    stale = sorted(existing - wanted)
    if stale:
        store.delete_chunks(stale)
    kept = [c for c in chunks if c.id in existing]
    if kept:  # same text at the same paragraph; offsets may have moved
        store.update_chunk_metas([c.id for c in kept], [_chunk_meta(c, long_paragraphs, lists) for c in kept])
    new = [c for c in chunks if c.id not in existing]
    if not new:
        return 0
    sentence_ids: list[str] = []
    sentence_texts: list[str] = []
    sentence_metas: list[dict[str, Any]] = []
    owners: list[int] = []
    for k, c in enumerate(new):
        for i, (lo, hi) in enumerate(split_sentences(c.text) or [(0, len(c.text))]):
            sentence_ids.append(f"{c.id}:{i}")
            # A list item or a table row is embedded in its context (chunk.embedding_text);
            # its stored text stays its own.
            sentence_texts.append(embedding_text(c.text[lo:hi], c.context))
            sentence_metas.append({"chunk_id": c.id, "source": source, "paragraph": c.paragraph,
                                   "start": c.start + lo, "end": c.start + hi})
            owners.append(k)
    vectors = store.embedder.embed_batch(sentence_texts)
    # A chunk's vector is the mean of its sentences' vectors: one model pass serves both
    # the paragraph-level and the sentence-level index.
    sums = np.zeros((len(new), vectors.shape[1]), dtype=np.float32)
    np.add.at(sums, np.array(owners), vectors)
    chunk_vectors = sums / np.clip(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12, None)
    # Sentences first: a chunk is only visible to retrieval once its sentences exist.
    store.add_sentences(sentence_ids, vectors, sentence_metas)
    store.add_chunks([c.id for c in new], chunk_vectors, [c.text for c in new],
                     [_chunk_meta(c, long_paragraphs, lists) for c in new])
    return len(new)


def _chunk_meta(c: Chunk, long_paragraphs: dict[int, str], lists: dict[int, str]) -> dict[str, Any]:
    meta: dict[str, Any] = {"source": c.source, "paragraph": c.paragraph, "part": c.part,
                            "start": c.start, "end": c.end, "cited": c.cited}
    if c.part == 0 and c.paragraph in long_paragraphs:
        meta["paragraph_text"] = long_paragraphs[c.paragraph]
    if c.part == 0 and c.paragraph in lists:
        meta["cited_text"] = lists[c.paragraph]
    return meta


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
