"""Generative answers from OpenAI or any OpenAI-compatible server, with checked citations.

On when ``OPENAI_API_KEY`` or ``OPENAI_BASE_URL`` is set (see ``Settings``)::

    OPENAI_BASE_URL=http://127.0.0.1:11434/v1 BOT_LLM_MODEL=llama3.2 bot ask "..."

The model sees the retrieved paragraphs as numbered, fenced passages (``prompts/answer.md``)
and replies with evidence first: per passage it relies on, a quote; then the answer with
``[n]`` markers. Nothing it says is trusted: a citation must name a passage it was shown,
and its quote must be verbatim in that paragraph (``cite.check_quote`` repairs a near miss
to the closest sentence, drops the rest). No checked citation left, a reply in no usable
form, or a server that times out, refuses or keeps failing (after the client's bounded
retries with backoff) -> the extractive answer, ``mode="extractive-fallback"``, with a
one-line notice. ``langchain_openai`` is imported on first use, never by the offline path.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bot.answer import ExtractiveAnswerer
from bot.chunk import split_sentences
from bot.cite import check_quote, closest_sentence
from bot.config import Settings
from bot.errors import LLMError
from bot.llm_client import LLMClient
from bot.llm_output import MarkerRewriter, Reply, parse, parse_partial
from bot.types import Answer, Citation, Hit

if TYPE_CHECKING:
    from bot.followup import Resolved
    from bot.retrieve import Corpus

log = logging.getLogger(__name__)

#: Appended to a fallback answer: says why the model was not used (``LLMError.reason``).
NOTICE = "(Answered without the language model, which {reason}: the answer above is quoted from the documents.)"
#: Turns of the conversation shown to the condense prompt, and characters kept per turn.
CONDENSE_TURNS = 6
CONDENSE_CHARS = 600


class LLMAnswerer:
    """Same interface as ``ExtractiveAnswerer`` plus ``stream``, ``condense`` and ``fallback``."""

    mode = "llm"

    def __init__(self, settings: Settings, extractive: ExtractiveAnswerer) -> None:
        self.settings = settings
        self.extractive = extractive
        self.client = LLMClient(settings)

    # -- answering -------------------------------------------------------------------------
    def answer(self, resolved: Resolved, vector: Any, hits: list[Hit], corpus: Corpus) -> Answer:
        """One checked answer (a single non-streamed request)."""
        for item in self._run(resolved, vector, hits, corpus, streaming=False):
            if isinstance(item, Answer):
                return item
        raise RuntimeError("the LLM answerer ended without an Answer")  # _run always ends with one

    def stream(self, resolved: Resolved, vector: Any, hits: list[Hit], corpus: Corpus) -> Iterator[str | Answer]:
        """Text deltas as the model writes them, then the checked ``Answer``. The deltas add
        up to ``Answer.answer`` unless the server fails mid-answer: then the final
        (fallback) ``Answer`` replaces what was shown."""
        yield from self._run(resolved, vector, hits, corpus, streaming=True)

    def fallback(self, resolved: Resolved, vector: Any, hits: list[Hit], corpus: Corpus, reason: str) -> Answer:
        """The extractive answer with a notice saying why the model was not used."""
        log.warning("answering extractively: the language model %s", reason)
        base = self.extractive.answer(resolved, vector, hits, corpus)
        return replace(base, answer=f"{base.answer}\n\n{NOTICE.format(reason=reason)}",
                       mode="extractive-fallback", timing=dict(base.timing))

    def _run(self, resolved: Resolved, vector: Any, hits: list[Hit], corpus: Corpus,
             streaming: bool) -> Iterator[str | Answer]:
        if not hits:
            yield replace(self.extractive.abstain(hits), mode=self.mode)
            return
        inputs = passages_input(hits, resolved.question)
        raw = ""
        checked: dict[int, Citation] | None = None
        rewriter: MarkerRewriter | None = None
        started = time.perf_counter()
        try:
            with closing(self.client.answer_pieces(inputs, streaming)) as pieces:
                for piece in pieces:
                    raw += piece
                    if not streaming:
                        continue
                    partial = parse_partial(raw)
                    if partial is None:
                        continue
                    if rewriter is None:
                        # Citations are checked as soon as they are all written, before
                        # any answer text goes out, so markers stream already renumbered.
                        if not (partial.evidence_complete and partial.found):
                            continue
                        checked = check_citations(partial, hits)
                        if not checked:
                            break  # nothing the answer could cite: stop reading, fall back
                        rewriter = MarkerRewriter(set(checked))
                    delta = rewriter.feed(partial.answer)
                    if delta:
                        yield delta
        except LLMError as failure:
            yield from self._fallback_items(resolved, vector, hits, corpus, failure.reason,
                                            streaming and not (rewriter and rewriter.output))
            return
        llm_ms = round((time.perf_counter() - started) * 1000, 2)
        streamed = rewriter.output if rewriter is not None else ""
        answer = self._finish(raw, checked, rewriter, hits)
        if isinstance(answer, str):  # a reason to fall back
            yield from self._fallback_items(resolved, vector, hits, corpus, answer, streaming and not streamed)
            return
        if streaming and answer.answer != streamed:
            yield answer.answer[len(streamed):]
        answer.timing["llm_ms"] = llm_ms
        yield answer

    def _fallback_items(self, resolved: Resolved, vector: Any, hits: list[Hit], corpus: Corpus, reason: str,
                        as_text: bool) -> Iterator[str | Answer]:
        """The fallback ``Answer``, preceded by its text when nothing was streamed yet."""
        answer = self.fallback(resolved, vector, hits, corpus, reason)
        if as_text:
            yield answer.answer
        yield answer

    def _finish(self, raw: str, checked: dict[int, Citation] | None, rewriter: MarkerRewriter | None,
                hits: list[Hit]) -> Answer | str:
        """The checked ``Answer``, or the reason to fall back."""
        reply = parse(raw)
        if checked is not None and not checked:
            return "gave no citation that could be checked against the documents"
        if reply is None:
            salvaged = salvage(raw, hits)
            if salvaged is None:
                log.info("unusable reply from the language model: %r", raw[:200])
                return "replied in a form that could not be read"
            reply = salvaged
        if not reply.found:
            return replace(self.extractive.abstain(hits), mode=self.mode)
        if checked is None:
            checked = check_citations(reply, hits)
        if not checked:
            return "gave no citation that could be checked against the documents"
        if not reply.answer.strip():
            return "gave an empty answer"
        rewriter = rewriter or MarkerRewriter(set(checked))
        rewriter.finish(reply.answer)
        citations = [checked[n] for n in rewriter.order]
        return Answer(rewriter.output, True, citations, self.mode)

    # -- follow-ups ------------------------------------------------------------------------
    def condense(self, question: str, history: Sequence[dict[str, str]]) -> str:
        """Rewrite a follow-up into a standalone question (``prompts/condense.md``)."""
        turns = [m for m in history if m["role"] in ("user", "assistant") and m["content"].strip()]
        conversation = "\n".join(
            f"{m['role']}: {' '.join(m['content'].split())[:CONDENSE_CHARS]}" for m in turns[-CONDENSE_TURNS:]
        )
        text = self.client.complete("condense", {"conversation": conversation, "question": question})
        lines = [line.strip().strip("\"'“”").strip() for line in text.splitlines() if line.strip()]
        standalone = lines[0] if lines else ""
        if standalone.lower().startswith("standalone question:"):
            standalone = standalone.split(":", 1)[1].strip()
        if not standalone or len(standalone) > self.settings.max_question_chars:
            raise LLMError("gave no usable standalone question")
        log.info("follow-up %r condensed to %r", question, standalone)
        return standalone


def passages_input(hits: list[Hit], question: str) -> dict[str, str]:
    """The answer prompt's variables: numbered passages inside a fence no document can
    close (its name is a hash of the passages themselves), and the question."""
    fence = hashlib.sha256("\x1f".join(h.text for h in hits).encode()).hexdigest()[:10]
    blocks = []
    for n, hit in enumerate(hits, 1):
        source = hit.source.replace('"', "'")
        blocks.append(f'<doc-{fence} n="{n}" source="{source}" paragraph="{hit.cited or hit.paragraph}">\n'
                      f"{hit.text}\n</doc-{fence}>")
    return {"passages": "\n\n".join(blocks), "fence": fence, "question": question}


def salvage(raw: str, hits: list[Hit]) -> Reply | None:
    """A reply in neither format (small models often just answer) is kept only when every
    sentence of it is, or nearly is, a whole sentence of a passage: each then cites it."""
    text = " ".join(raw.split())
    spans = split_sentences(text)
    if not spans or len(text) > 1000:
        return None
    citations: list[tuple[int, str]] = []
    parts = []
    for lo, hi in spans:
        sentence = text[lo:hi]
        # A whole sentence of a passage, not any substring: "PWNED" is in a passage too.
        n = next((n for n, hit in enumerate(hits, 1) if closest_sentence(sentence, hit.text)), None)
        if n is None:
            return None
        citations.append((n, sentence))
        parts.append(f"{sentence} [{n}]")
    return Reply(True, citations, " ".join(parts))


def check_citations(reply: Reply, hits: list[Hit]) -> dict[int, Citation]:
    """Passage number -> checked citation, for the citations that survive the checks."""
    checked: dict[int, Citation] = {}
    for n, quote in reply.citations:
        if not 1 <= n <= len(hits):
            log.info("dropped citation [%d]: there is no such passage", n)
            continue
        if n in checked:
            continue
        citation, status = check_quote(hits[n - 1], quote)
        if citation is None:
            log.info("dropped citation [%d]: quote not in the paragraph: %r", n, quote[:80])
            continue
        if status == "repaired":
            log.info("repaired citation [%d] to the sentence %r", n, citation.quote[:80])
        checked[n] = citation
    return checked


