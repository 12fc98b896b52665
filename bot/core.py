"""The one entry point every interface uses: ``Bot(settings).ask(question, history)``.

    bot = Bot.from_env()          # reads BOT_* / CHROMA_* once
    bot.ingest(["seeds/"])        # idempotent
    answer = bot.ask("Which forum will China hold in Chongqing?")
    print(answer.answer, answer.citations[0].quote)

``bot.ask()`` (the module-level function) uses one shared ``Bot.from_env()``.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import AsyncIterator, Callable, Generator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from bot.errors import EmptyIndexError, InputError, LLMError, QuestionTooLongError
from bot.types import Answer, Citation, Hit, IngestReport, SourceInfo

if TYPE_CHECKING:
    from bot.answer import ExtractiveAnswerer
    from bot.followup import Resolved
    from bot.llm import LLMAnswerer
    from bot.retrieve import Corpus

log = logging.getLogger(__name__)

Message = dict[str, str]


@dataclass
class Retrieval:
    """What the retrieval stage hands the answerer (``corpus`` is None when the
    question held nothing to look up, e.g. only an instruction to the bot)."""

    resolved: Resolved
    vector: Any
    hits: list[Hit]
    corpus: Corpus | None
    started: float
    timing: dict[str, float] = field(default_factory=dict)
    #: Why the LLM already failed in this turn (condensing the follow-up): answer
    #: extractively at once rather than wait for the server a second time.
    llm_failure: str | None = None
    #: The questions of a message asking several ("How much did it cost to build, and how
    #: much did the repair cost?"), each answered on its own (extractive mode), and the
    #: conversation before it.
    parts: list[str] = field(default_factory=list)
    history: list[Message] = field(default_factory=list)


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
        self.extractive = ExtractiveAnswerer(self.store, self.settings.min_support)
        self.answerer: ExtractiveAnswerer | LLMAnswerer = self.extractive
        self.llm: LLMAnswerer | None = None
        if self.settings.llm_enabled:
            # Only here: the offline default never imports the LLM modules (nor openai).
            from bot.llm import LLMAnswerer

            self.llm = self.answerer = LLMAnswerer(self.settings, self.extractive)
        self._lock = threading.Lock()

    def close(self) -> None:
        """Release the store (also on leaving a ``with Bot(...)`` block). For the embedded
        store this frees its files; chromadb's HTTP client keeps its connection pool until
        it is garbage-collected."""
        self.store.close()

    def __enter__(self) -> Bot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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

    def remove(self, source: str) -> bool:
        """Remove one document from the index; False when no document has that name."""
        from bot.ingest import remove

        with self._lock:
            removed = remove(self.store, source)
            self.retriever.invalidate()
        return removed

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
        return self.answer(self.retrieve(question, history))

    def ask_stream(self, question: str,
                   history: Sequence[Message] | None = None) -> Generator[str | Answer, None, None]:
        """Stream an answer: text deltas (``str``) and, last, the full ``Answer`` with its
        checked citations. The LLM mode yields the model's text as it comes (markers
        already renumbered to the checked citations); the extractive answerer yields its
        text in one piece. Input errors are raised before the first item, so callers can
        report them plainly. The deltas add up to ``Answer.answer``, except when the LLM
        server fails mid-answer: the final (fallback) ``Answer`` then replaces them."""
        retrieval = self.retrieve(question, history)
        begun = time.perf_counter()
        if self.llm is None or retrieval.corpus is None or retrieval.llm_failure:
            answer = self.answer(retrieval)
            if answer.answer:
                yield answer.answer
            yield answer
            return
        for item in self.llm.stream(retrieval.resolved, retrieval.vector, retrieval.hits, retrieval.corpus):
            if isinstance(item, Answer):
                self._add_timing(item, retrieval, begun)
            yield item

    async def aask_stream(self, question: str, history: Sequence[Message] | None = None) -> AsyncIterator[str | Answer]:
        """The async twin of ``ask_stream`` for the web app: the work runs in a thread and
        each item reaches the event loop as soon as it is made."""
        import asyncio

        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        stop = threading.Event()

        def put(kind: str, value: Any) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, (kind, value))
            except RuntimeError:  # the loop closed: nobody is listening any more
                stop.set()

        def work() -> None:
            try:
                stream = self.ask_stream(question, history)
                for item in stream:
                    if stop.is_set():
                        stream.close()  # closes the HTTP stream to the LLM server
                        return
                    put("item", item)
            except BaseException as exc:  # re-raised in the event loop below
                put("error", exc)
            finally:
                put("done", None)

        worker = loop.run_in_executor(None, work)
        try:
            while True:
                kind, value = await queue.get()
                if kind == "error":
                    raise value
                if kind == "done":
                    break
                yield value
        finally:
            stop.set()
            if worker.done():
                await worker

    def retrieve(self, question: str, history: Sequence[Message] | None = None) -> Retrieval:
        """First stage: check the input, resolve follow-ups, find the best paragraphs."""
        from bot.text import question_parts

        retrieval = self._retrieve(question, history)
        parts = question_parts(retrieval.resolved.question) if retrieval.corpus is not None else []
        if self.llm is None and len(parts) > 1:
            retrieval.parts, retrieval.history = parts, list(history or [])
        return retrieval

    def _retrieve(self, question: str, history: Sequence[Message] | None = None) -> Retrieval:
        from bot.followup import resolve, validate_history
        from bot.guard import strip_injection
        from bot.retrieve import LEXICAL_KEEP
        from bot.text import answer_type, asked_part, list_request

        started = time.perf_counter()
        question = self.check_question(question)
        turns = validate_history(history)
        core, _ = strip_injection(question)
        if not core:
            return Retrieval(resolve(core, turns), None, [], None, started)
        corpus = self.retriever.corpus
        resolved = resolve(core, turns, corpus.authors)
        if not corpus.chunks:
            raise EmptyIndexError(
                f"nothing is indexed yet in {self.settings.describe()['store']}; "
                "run `bot ingest seeds/` (or any folder of .txt/.md/.html/.pdf files) first"
            )
        timing: dict[str, float] = {}
        failure = None
        if self.llm is not None and any(m["role"] == "user" for m in turns):
            try:
                resolved = self._condense(self.llm, core, turns, resolved, corpus.authors)
            except LLMError as exc:
                failure = exc.reason
            timing["condense_ms"] = _ms(started)
        before = time.perf_counter()
        vector = self.embedder.embed_batch([corpus.spelled_out(resolved.query)])[0]
        # ... and in a document about what the question names, what it asks of it
        unnamed = [(self.extractive.embed(corpus.spelled_out(kept)), sources)
                   for kept, sources in corpus.unnamed_queries(resolved.query).items()]
        embedded = time.perf_counter()
        # A question that needs a certain kind of answer (a number, a date, a place) may
        # find it only in a lower-ranked paragraph, and one asking for "four communities"
        # may find them in four paragraphs: hand the answerer more of them.
        asked = asked_part(resolved.question)
        listing = list_request(asked)
        wide = answer_type(asked) or (listing is not None and listing[0] is not None)
        k = self.settings.top_k * (2 if wide else 1)
        hits = self.retriever.search(resolved.query, vector, k, LEXICAL_KEEP, unnamed, codes=True)
        timing |= {"embed_ms": _ms(before, embedded), "retrieve_ms": _ms(embedded)}
        return Retrieval(resolved, vector, hits, corpus, started, timing, failure)

    @staticmethod
    def _condense(llm: LLMAnswerer, question: str, turns: list[Message], offline: Resolved,
                  authors: frozenset[str]) -> Resolved:
        """The LLM's standalone version of a follow-up (keeping what the offline resolver
        found to avoid repeating, which the extractive fallback uses)."""
        from bot.followup import Resolved, without_attribution
        from bot.guard import strip_injection

        standalone, _ = strip_injection(llm.condense(question, turns))
        if not standalone:  # the rewrite was nothing but an instruction: keep the offline one
            return offline
        return Resolved(standalone, without_attribution(standalone, authors), True, offline.given, offline.asks_other,
                        offline.referent)

    def answer(self, retrieval: Retrieval) -> Answer:
        """Second stage: compose the cited answer (or abstain) from retrieved paragraphs."""
        from bot.answer import OFF_TOPIC

        begun = time.perf_counter()
        r = retrieval
        if r.corpus is None:
            answer = Answer(OFF_TOPIC, False, [], self.answerer.mode)
        elif self.llm is not None and r.llm_failure:
            answer = self.llm.fallback(r.resolved, r.vector, r.hits, r.corpus, r.llm_failure)
        elif r.parts:
            answer = self._answer_parts(r)
        else:
            answer = self.answerer.answer(r.resolved, r.vector, r.hits, r.corpus)
        return self._add_timing(answer, retrieval, begun)

    def _answer_parts(self, r: Retrieval) -> Answer:
        """Each question of the message answered on its own, in order, each after the
        one before as a follow-up ("When was it built? Who designed it?"), the citations
        numbered through; a part the documents do not answer says so. When none is
        answered, the message as a whole is answered (or abstained on) as usual."""
        from bot.answer import NOT_FOUND
        from bot.text import part_owning

        turns = list(r.history)
        answers: list[Answer] = []
        for i, part in enumerate(r.parts):
            p = self._retrieve(part, turns)
            answer = (self.answerer.answer(p.resolved, p.vector, p.hits, p.corpus) if p.corpus is not None
                      else Answer(NOT_FOUND, False, [], self.answerer.mode))
            quote = answer.citations[0].quote if answer.answered and answer.citations else ""
            if p.corpus is not None and part_owning(quote, r.parts, p.corpus.idf) not in (None, i):
                # "How much did it cost to build, and how much did the repair cost?": the
                # repair's sentence answers the second question, not the first
                answer = self.answerer.answer(replace(p.resolved, taken=frozenset([quote])), p.vector, p.hits,
                                              p.corpus)
            answers.append(answer)
            turns = [*turns, {"role": "user", "content": part}, {"role": "assistant", "content": answer.answer}]
        if not any(a.answered for a in answers) and r.corpus is not None:
            return self.answerer.answer(r.resolved, r.vector, r.hits, r.corpus)
        citations: list[Citation] = []
        texts: list[str] = []
        for part, answer in zip(r.parts, answers):
            if not answer.answered:
                texts.append(f'"{part}": {NOT_FOUND}')
                continue
            number: dict[str, str] = {}
            for n, c in enumerate(answer.citations, 1):
                same = next((m for m, o in enumerate(citations, 1)
                             if (o.source, o.paragraph, o.quote) == (c.source, c.paragraph, c.quote)), None)
                if same is None:
                    citations.append(c)
                    same = len(citations)
                number[str(n)] = str(same)
            text = _renumber(answer.answer, number)
            if text not in texts:  # two questions met by the same sentences: shown once
                texts.append(text)
        return Answer(" ".join(texts), True, citations, self.answerer.mode)

    @staticmethod
    def _add_timing(answer: Answer, retrieval: Retrieval, begun: float) -> Answer:
        answer.timing.update(retrieval.timing)
        answer.timing["answer_ms"] = _ms(begun)
        answer.timing["total_ms"] = _ms(retrieval.started)
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
            raise QuestionTooLongError(
                f"the question is {len(question)} characters long, over the limit of {limit}; "
                "shorten it (or raise BOT_MAX_QUESTION_CHARS)"
            )
        return question


def _renumber(text: str, number: dict[str, str]) -> str:
    """``text`` with each citation mark ``[n]`` changed to ``[number[n]]``."""
    return re.sub(r"\[(\d+)\]", lambda m: f"[{number.get(m.group(1), m.group(1))}]", text)


def _ms(started: float, until: float | None = None) -> float:
    return round(((until or time.perf_counter()) - started) * 1000, 2)


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
