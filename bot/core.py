"""The one entry point every interface uses: ``Bot(settings).ask(question, history)``.

    bot = Bot.from_env()          # reads BOT_* / CHROMA_* once
    bot.ingest(["seeds/"])        # idempotent
    answer = bot.ask("Which forum will China hold in Chongqing?")
    print(answer.answer, answer.citations[0].quote)

``bot.ask()`` (the module-level function) uses one shared ``Bot.from_env()``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.errors import EmptyIndexError, InputError
from bot.types import Answer, IngestReport, SourceInfo

log = logging.getLogger(__name__)

Message = dict[str, str]


class Bot:
    """Documents in, cited answers out. Clients and models are built here, not at import."""

    def __init__(self, settings: Settings | None = None) -> None:
        from bot.answer import ExtractiveAnswerer
        from bot.embed import MiniLMEmbedder
        from bot.retrieve import Retriever
        from bot.store import Store

        self.settings = settings or Settings.from_env()
        self.embedder = MiniLMEmbedder()
        self.store = Store(self.settings, self.embedder)
        self.retriever = Retriever(self.store, self.settings.retrieval, self.settings.fetch_k)
        self.answerer = ExtractiveAnswerer(self.store, self.settings.min_support)
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls, **overrides: Any) -> Bot:
        return cls(Settings.from_env(**overrides))

    # -- ingest --------------------------------------------------------------------------
    def ingest(self, paths: Sequence[str | Path], *, prune: bool = False,
               progress: Callable[[str, int, int], None] | None = None) -> IngestReport:
        """Add or update documents from files and folders (see ``bot.ingest``)."""
        from bot.ingest import ingest

        with self._lock:
            report = ingest(self.store, list(paths), prune=prune, progress=progress)
            self.retriever.invalidate()
        return report

    def sources(self) -> list[SourceInfo]:
        """The documents in the index."""
        return [
            SourceInfo(source, int(m.get("paragraphs", 0)), int(m.get("chunks", 0)),
                       str(m.get("sha256", "")), str(m.get("ingested_at", "")))
            for source, m in sorted(self.store.documents().items()) if m.get("status") == "complete"
        ]

    # -- ask ---------------------------------------------------------------------------
    def ask(self, question: str, history: Sequence[Message] | None = None) -> Answer:
        """Answer ``question`` from the documents, using ``history`` for follow-ups."""
        from bot.followup import resolve, validate_history
        from bot.guard import strip_injection

        started = time.perf_counter()
        question = self.check_question(question)
        turns = validate_history(history)
        core, injected = strip_injection(question)
        if not core:
            from bot.answer import OFF_TOPIC

            return Answer(OFF_TOPIC, False, [], self.answerer.mode, {"total_ms": _ms(started)})
        resolved = resolve(core, turns)
        corpus = self.retriever.corpus
        if not corpus.chunks:
            raise EmptyIndexError(
                f"nothing is indexed yet in {self.settings.describe()['store']}; "
                "run `bot ingest seeds/` (or any folder of .txt/.md/.html files) first"
            )
        vector = self.embedder.embed_batch([resolved.query])[0]
        t_retrieved = time.perf_counter()
        hits = self.retriever.search(resolved.query, vector, self.settings.top_k)
        t_searched = time.perf_counter()
        answer = self.answerer.answer(resolved, vector, hits, corpus)
        done = time.perf_counter()
        answer.timing.update({
            "embed_ms": round((t_retrieved - started) * 1000, 2),
            "retrieve_ms": round((t_searched - t_retrieved) * 1000, 2),
            "answer_ms": round((done - t_searched) * 1000, 2),
            "total_ms": round((done - started) * 1000, 2),
        })
        return answer

    def check_question(self, question: object) -> str:
        """The question stripped, or an ``InputError`` saying what is wrong with it."""
        if not isinstance(question, str):
            raise InputError(f"the question must be text, not {type(question).__name__}")
        question = question.strip()
        if not question:
            raise InputError("the question is empty; type a question about the documents")
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise InputError(
                f"the question is {len(question)} characters long, over the limit of {limit}; "
                "shorten it (or raise BOT_MAX_QUESTION_CHARS)"
            )
        return question


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


_default: Bot | None = None
_default_lock = threading.Lock()


def default_bot() -> Bot:
    """The shared bot behind ``bot.ask`` (built on first use from the environment)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Bot.from_env()
        return _default


def ask(question: str, history: Sequence[Message] | None = None) -> Answer:
    """Answer a question with the shared default bot: ``Bot.from_env().ask(...)``."""
    return default_bot().ask(question, history)
