"""Typed records that flow through the pipeline: Document -> Chunk -> Hit -> Answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a document: 1-based number and character offsets in the text."""

    number: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Document:
    """A loaded file: its name in the index, its text and the text's sha256."""

    source: str
    path: str
    text: str
    sha256: str
    paragraphs: tuple[Paragraph, ...] = ()


@dataclass(frozen=True)
class Chunk:
    """A piece of a paragraph as stored in the index.

    ``start``/``end`` are offsets of ``text`` in the document's text; a short paragraph
    is one chunk (``part`` 0), a long one is split at sentence boundaries into parts
    that all keep the paragraph's number. ``context`` is what a list item means in: its
    lead-in ("The Main Branch is open") or heading (see ``chunk.lead_ins``), else "".
    ``cited`` is the number citations give the paragraph (``chunk.cited_paragraphs``):
    a list's items share one.
    """

    id: str
    source: str
    paragraph: int
    part: int
    start: int
    end: int
    text: str
    context: str = ""
    cited: int = 0


@dataclass(frozen=True)
class Hit:
    """A retrieved paragraph with its fused score and the ranks that produced it.

    ``paragraph`` and ``text`` are the unit retrieval works on; ``cited`` and
    ``cited_text``, when set, the paragraph a citation names instead (a list item's
    whole list, see ``chunk.cited_paragraphs``)."""

    source: str
    paragraph: int
    text: str
    score: float
    chunk_text: str = ""
    dense_rank: int | None = None
    lexical_rank: int | None = None
    dense_similarity: float | None = None
    cited: int = 0
    cited_text: str = ""

    @property
    def retrieved(self) -> bool:
        """False for a paragraph the answerer added by rule (a dateline, an enumerated
        item): those carry score 0, retrieval's fused scores are always above it."""
        return self.score > 0.0


@dataclass(frozen=True)
class Citation:
    """Evidence for an answer: ``quote`` is a verbatim substring of ``text``."""

    source: str
    paragraph: int
    text: str
    quote: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    """What ``ask()`` returns. ``[n]`` in ``answer`` refers to ``citations[n-1]``.

    When ``answered`` is False the documents did not support an answer; ``citations``
    then lists the closest passages as suggestions.
    """

    answer: str
    answered: bool
    citations: list[Citation] = field(default_factory=list)
    mode: str = "extractive"
    timing: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "answered": self.answered,
            "citations": [c.to_dict() for c in self.citations],
            "mode": self.mode,
            "timing": dict(self.timing),
        }


@dataclass
class IngestReport:
    """What an ingest run did, per document."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    #: Files a folder held but that were not ingested: a folder's README.md describes it.
    skipped: list[str] = field(default_factory=list)
    paragraphs: int = 0
    chunks_embedded: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["errors"] = [{"path": p, "error": e} for p, e in self.errors]
        return data


@dataclass(frozen=True)
class SourceInfo:
    """A document in the index, for ``bot sources``."""

    source: str
    paragraphs: int
    chunks: int
    sha256: str
    ingested_at: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
