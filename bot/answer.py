"""Retrieved paragraphs -> a short answer made of cited sentences (offline, extractive).

Every sentence of the retrieved paragraphs is scored by how well it answers the
question: cosine similarity of its stored vector to the question's, plus how much of
the question's content (IDF-weighted terms) it contains, plus a little for the rank of
its paragraph. The best sentence is the answer; a second one joins when it is nearly
as good and adds content the first lacks. When another document states the same fact
(a very similar sentence), it is cited too.

Abstention: when the best support is under ``Settings.min_support`` (calibrated on the
gold set, see README), or the question names a number the documents never contain,
the answer says so and lists the closest passages instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from bot.cite import make_citation
from bot.followup import Resolved
from bot.retrieve import Corpus
from bot.store import Store
from bot.text import answer_type, fits_type, is_fragment, terms, words
from bot.types import Answer, Citation, Hit

NOT_FOUND = "I could not find this in the documents."
OFF_TOPIC = "I can only answer questions about the documents."

W_COSINE = 0.7
W_COVERAGE = 0.3
W_RANK = 0.05
#: Weight of the paragraph's own similarity to the question (context for the sentence).
W_PARAGRAPH = 0.2
#: Support lost by a sentence that cannot hold the kind of answer asked for
#: ("how many" with no number in it, "when" with no time expression).
WRONG_TYPE_PENALTY = 0.2
#: Support lost per name in the question (a capitalised word) the documents never use.
UNKNOWN_NAME_PENALTY = 0.12
#: A second sentence joins the answer when it scores at least this share of the best.
SECOND_RATIO = 0.85
#: Sentences of another document this similar to the answer state the same fact.
SAME_FACT_COSINE = 0.72
SUGGESTIONS = 3
#: Support lost by a heading, byline or salutation (see ``text.is_fragment``).
FRAGMENT_PENALTY = 0.15


@dataclass
class Candidate:
    hit: Hit
    rank: int
    text: str
    vector: Any
    cosine: float
    covered: frozenset[str]
    coverage: float
    score: float


class ExtractiveAnswerer:
    """Picks and cites the sentences that answer; abstains when support is weak."""

    mode = "extractive"

    def __init__(self, store: Store, min_support: float) -> None:
        self.store = store
        self.min_support = min_support

    def answer(self, resolved: Resolved, vector: Any, hits: list[Hit], corpus: Corpus) -> Answer:
        if not hits:
            return Answer(NOT_FOUND, False, [], self.mode)
        weights = {t: corpus.idf.get(t, 0.0) * w for t, w in corpus.query_terms(resolved.query).items()}
        candidates = self._candidates(resolved, vector, hits, corpus, weights)
        if not candidates:
            return self.abstain(hits, candidates)
        best = candidates[0]
        support = best.score - UNKNOWN_NAME_PENALTY * len(unknown_names(resolved.question, corpus))
        if support < self.min_support or unknown_numbers(resolved.question, corpus):
            return self.abstain(hits, candidates)
        chosen = [best]
        for c in candidates[1:]:
            if c.score < SECOND_RATIO * best.score:
                break
            if c.covered - best.covered and c.text != best.text:
                chosen.append(c)
                break
        return self._compose(chosen, candidates)

    def _candidates(self, resolved: Resolved, vector: Any, hits: list[Hit], corpus: Corpus,
                    weights: dict[str, float]) -> list[Candidate]:
        per_hit = [(rank, hit, corpus.sentences_of((hit.source, hit.paragraph))) for rank, hit in enumerate(hits)]
        ids = [sid for _, _, sentences in per_hit for sid, _ in sentences]
        vectors = self.store.sentence_vectors(ids) if ids else {}
        total = sum(weights.values()) or 1.0
        q = np.asarray(vector, dtype=np.float32)
        kind = answer_type(resolved.question)
        out: list[Candidate] = []
        for rank, hit, sentences in per_hit:
            for sid, text in sentences:
                if resolved.avoid and _repeats(text, resolved.avoid, corpus):
                    continue
                vec = vectors.get(sid)
                if vec is None:
                    continue
                vec = np.asarray(vec, dtype=np.float32)
                cosine = float(vec @ q)
                present = set(_terms(text))
                covered = frozenset(t for t in weights if t in present)
                coverage = sum(weights[t] for t in covered) / total
                score = (W_COSINE * cosine + W_COVERAGE * coverage + W_RANK / (1 + rank)
                         + W_PARAGRAPH * (hit.dense_similarity or 0.0))
                if is_fragment(text):
                    score -= FRAGMENT_PENALTY
                if not fits_type(text, kind):
                    score -= WRONG_TYPE_PENALTY
                out.append(Candidate(hit, rank, text, vec, cosine, covered, coverage, score))
        out.sort(key=lambda c: -c.score)
        return out

    def _compose(self, chosen: list[Candidate], candidates: list[Candidate]) -> Answer:
        citations: list[Citation] = []
        parts: list[str] = []
        for c in chosen:
            marks = [self._cite(citations, c)]
            same = self._same_fact_elsewhere(c, candidates)
            if same is not None:
                marks.append(self._cite(citations, same))
            parts.append(f"{c.text.strip()} " + " ".join(f"[{m}]" for m in dict.fromkeys(marks)))
        return Answer(" ".join(parts), True, citations, self.mode)

    @staticmethod
    def _cite(citations: list[Citation], c: Candidate) -> int:
        for n, existing in enumerate(citations, 1):
            if (existing.source, existing.paragraph) == (c.hit.source, c.hit.paragraph):
                return n
        citations.append(make_citation(c.hit, c.text))
        return len(citations)

    @staticmethod
    def _same_fact_elsewhere(c: Candidate, candidates: list[Candidate]) -> Candidate | None:
        others = [o for o in candidates if o.hit.source != c.hit.source and o.score > 0.5 * c.score]
        if not others:
            return None
        best = max(others, key=lambda o: float(o.vector @ c.vector))
        similarity = float(best.vector @ c.vector)
        # The same fact: a near-paraphrase, or a close sentence that answers nearly as well.
        if similarity >= SAME_FACT_COSINE or (similarity >= 0.6 and best.score >= SECOND_RATIO * c.score):
            return best
        return None

    def abstain(self, hits: list[Hit], candidates: Sequence[Candidate] = ()) -> Answer:
        """``answered=False`` with the closest passages as suggestions."""
        citations: list[Citation] = []
        for hit in hits[:SUGGESTIONS]:
            sentence = next((c.text for c in candidates if c.hit is hit), None)
            citations.append(make_citation(hit, sentence or hit.chunk_text or hit.text))
        listing = "; ".join(f"[{n}] {c.source} ¶{c.paragraph}" for n, c in enumerate(citations, 1))
        text = f"{NOT_FOUND} The closest passages are {listing}." if citations else NOT_FOUND
        return Answer(text, False, citations, self.mode)


#: A sentence whose IDF-weighted terms are at least this much in the previous answer
#: repeats it, when the user asked for something "other".
REPEAT_SHARE = 0.5


def _repeats(text: str, previous: frozenset[str], corpus: Corpus) -> bool:
    own = set(_terms(text))
    total = sum(corpus.idf.get(t, 0.0) for t in own)
    shared = sum(corpus.idf.get(t, 0.0) for t in own & previous)
    return total > 0 and shared / total >= REPEAT_SHARE


@lru_cache(maxsize=50_000)
def _terms(text: str) -> tuple[str, ...]:
    """Terms of a sentence; cached because the same paragraphs are scored again and again."""
    return tuple(terms(text))


_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-zA-Z]+)\b")


def unknown_names(question: str, corpus: Corpus) -> list[str]:
    """Capitalised words (not first in a sentence) that the documents never contain."""
    out = []
    for match in _CAPITALISED.finditer(question.strip()):
        word = match.group(1)
        if not corpus.query_terms(word):
            out.append(word)
    return out


def unknown_numbers(question: str, corpus: Corpus) -> list[str]:
    """Numbers of two or more digits in the question that no document contains."""
    return [w for w in words(question) if w.isdigit() and len(w) >= 2 and w not in corpus.postings]
