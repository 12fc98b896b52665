"""The lexical index on disk, so a new process does not rebuild it from every chunk in the
store (at 100k paragraphs that took 17 s before the first answer).

A snapshot is the corpus's plain data: JSON and NumPy arrays in one ``.npz`` file, read
with ``allow_pickle=False`` so that reading a cache can never run code. It is keyed by
the store's generation, which every ingest, prune or removal changes (in any process
sharing the store), and by a hash of the code that derives the index, so a new version
of the bot never serves an index built by an old one. A snapshot that is missing,
stale, unreadable or damaged is rebuilt; it is a cache and never an error.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from bot.retrieve import Corpus

log = logging.getLogger(__name__)

#: Bump when the snapshot's layout changes.
FORMAT = 2
#: The modules whose code decides what the index holds (chunk texts, terms, rules).
_SOURCES = ("retrieve.py", "text.py", "chunk.py", "snapshot.py")


@functools.cache
def code_version() -> str:
    """A hash of the code that builds the index (read once per process)."""
    digest = hashlib.sha256(f"format={FORMAT}".encode())
    here = Path(__file__).parent
    for name in _SOURCES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def key(generation: str) -> str:
    return f"{generation}:{code_version()}"


def save(path: Path, cache_key: str, corpus: Corpus) -> None:
    """Write ``corpus`` atomically (a reader never sees half a file)."""
    terms = list(corpus.postings)
    docs = [corpus.postings[t][0] for t in terms]
    weights = [corpus.postings[t][1] for t in terms]
    offsets = np.cumsum([0] + [len(d) for d in docs]).astype(np.int64)
    meta = {
        "key": cache_key,
        "chunks": [[c.id, c.source, c.paragraph, c.part, c.text] for c in corpus.chunks],
        "paragraphs": [[s, n, text] for (s, n), text in corpus.paragraph_text.items()],
        "headings": [[s, n] for (s, n), yes in corpus.heading.items() if yes],
        "terms": terms,
        "idf": [corpus.idf[t] for t in terms],
        "acronyms": corpus.acronyms,
        "enumerations": {o: [[s, n] for s, n in keys] for o, keys in corpus.enumerations.items()},
        "cited_numbers": [[s, n, cited] for (s, n), cited in corpus.cited_number.items()],
        "cited_texts": _lists(corpus.cited_text),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    with partial.open("wb") as handle:
        np.savez(handle, meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
                 docs=np.concatenate(docs) if docs else np.zeros(0, np.int32),
                 weights=np.concatenate(weights) if weights else np.zeros(0, np.float32),
                 offsets=offsets)
    os.replace(partial, path)


def _lists(cited_text: dict[tuple[str, int], str]) -> list[list[Any]]:
    """Each list cited whole once, with the paragraphs it holds: [source, [n, ...], text]."""
    grouped: dict[tuple[str, str], list[int]] = {}
    for (source, n), text in cited_text.items():
        grouped.setdefault((source, text), []).append(n)
    return [[source, numbers, text] for (source, text), numbers in grouped.items()]


def load(path: Path, cache_key: str) -> Corpus | None:
    """The corpus saved under ``cache_key``, or None when there is none to trust."""
    from bot.retrieve import ChunkRecord, Corpus

    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as saved:
            meta: dict[str, Any] = json.loads(saved["meta"].tobytes())
            if meta.get("key") != cache_key:
                return None
            docs, weights, offsets = saved["docs"], saved["weights"], saved["offsets"]
        chunks = [ChunkRecord(i, s, int(p), int(part), t) for i, s, p, part, t in meta["chunks"]]
        postings = {t: (docs[offsets[n]:offsets[n + 1]], weights[offsets[n]:offsets[n + 1]])
                    for n, t in enumerate(meta["terms"])}
        return Corpus.assemble(
            chunks,
            {(s, int(n)): text for s, n, text in meta["paragraphs"]},
            postings,
            dict(zip(meta["terms"], meta["idf"])),
            {(s, int(n)) for s, n in meta["headings"]},
            meta["acronyms"],
            {o: [(s, int(n)) for s, n in keys] for o, keys in meta["enumerations"].items()},
            {(s, int(n)): int(cited) for s, n, cited in meta["cited_numbers"]},
            {(s, int(n)): text for s, numbers, text in meta["cited_texts"] for n in numbers},
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        log.info("ignoring the lexical index snapshot %s (%s); rebuilding it", path, exc)
        return None
