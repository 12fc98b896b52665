"""Gold Q&A items -> answers -> deterministic metrics, overall and per kind.

No LLM judge: facts are matched as strings, citations against the gold paragraphs, and
quotes against the files themselves. ``bot eval`` is the command-line front end.
"""

from __future__ import annotations

import json
import re
import statistics
import string
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.chunk import citable_paragraphs
from bot.load import read_text
from bot.types import Answer

AskFn = Callable[[str, list[dict[str, str]]], Answer]


@dataclass(frozen=True)
class GoldItem:
    id: str
    user_input: str
    reference: str
    facts: list[list[str]]
    reference_contexts: list[dict[str, Any]]
    answerable: bool
    kind: str
    history: list[dict[str, str]] = field(default_factory=list)

    @property
    def contexts(self) -> set[tuple[str, int]]:
        return {(str(c["source"]), int(c["paragraph"])) for c in self.reference_contexts}


@dataclass
class ItemResult:
    item: GoldItem
    answer: Answer
    seconds: float
    facts_found: int
    all_facts: bool
    first_hit: int | None  # 1-based rank of the first citation in reference_contexts
    precision: float | None
    verbatim: bool
    f1: float

    @property
    def abstained(self) -> bool:
        return not self.answer.answered

    @property
    def passed(self) -> bool:
        if not self.item.answerable:
            return self.abstained
        return self.answer.answered and self.all_facts and self.first_hit is not None and self.first_hit <= 3

    @property
    def missing_facts(self) -> list[str]:
        """The first spelling of each required fact the answer lacks."""
        text = _MARK.sub("", self.answer.answer)
        return [variants[0] for variants in self.item.facts if not fact_found(variants, text)]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.item.id, "kind": self.item.kind, "question": self.item.user_input,
                "history": [t["content"] for t in self.item.history if t.get("role") == "user"],
                "answerable": self.item.answerable, "passed": self.passed, "answered": self.answer.answered,
                "answer": self.answer.answer, "expected": self.item.reference, "all_facts": self.all_facts,
                "missing_facts": self.missing_facts, "first_hit": self.first_hit,
                "gold_contexts": [f"{c['source']} ¶{c['paragraph']}" for c in self.item.reference_contexts],
                "citations": [f"{c.source} ¶{c.paragraph}: {c.quote[:120]}" for c in self.answer.citations],
                "ms": round(self.seconds * 1000, 1)}


def load_gold(path: str | Path) -> list[GoldItem]:
    items = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        data = json.loads(line)
        try:
            items.append(GoldItem(**data))
        except TypeError as exc:
            raise ValueError(f"{path}:{n}: {exc}") from None
    return items


_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " ", "-": " "})


def _fold(text: str) -> str:
    return " ".join(text.translate(_FOLD).lower().split())


def fact_found(variants: Iterable[str], answer: str) -> bool:
    folded = _fold(answer)
    return any(_fold(v) in folded for v in variants)


def squad_normalise(text: str) -> list[str]:
    """SQuAD's official answer normalisation: lower, no punctuation or articles."""
    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return text.split()


def token_f1(prediction: str, reference: str) -> float:
    pred, ref = squad_normalise(prediction), squad_normalise(reference)
    common = Counter(pred) & Counter(ref)
    same = sum(common.values())
    if not pred or not ref or same == 0:
        return float(pred == ref)
    precision, recall = same / len(pred), same / len(ref)
    return 2 * precision * recall / (precision + recall)


class ParagraphOracle:
    """The true paragraphs of the corpus files (as citations number them), to check
    quotes independently of the index."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._cache: dict[str, dict[int, str]] = {}

    def paragraph(self, source: str, number: int) -> str | None:
        if source not in self._cache:
            path = self.folder / source
            self._cache[source] = (
                {p.number: p.text for p in citable_paragraphs(read_text(path))} if path.exists() else {})
        return self._cache[source].get(number)


_MARK = re.compile(r"\s*\[\d+\]")


def score_item(item: GoldItem, answer: Answer, seconds: float, oracle: ParagraphOracle) -> ItemResult:
    text = _MARK.sub("", answer.answer)
    found = sum(fact_found(v, text) for v in item.facts)
    cited = [(c.source, c.paragraph) for c in answer.citations]
    first_hit = next((n for n, key in enumerate(cited, 1) if key in item.contexts), None)
    precision = (sum(key in item.contexts for key in cited) / len(cited)) if cited and item.answerable else None
    verbatim = all(
        c.quote and c.quote in c.text and oracle.paragraph(c.source, c.paragraph) == c.text
        for c in answer.citations
    )
    return ItemResult(item, answer, seconds, found, found == len(item.facts), first_hit, precision, verbatim,
                      token_f1(text, item.reference))


def run(ask: AskFn, items: list[GoldItem], oracle: ParagraphOracle,
        progress: Callable[[int, int], None] | None = None) -> list[ItemResult]:
    results = []
    for n, item in enumerate(items, 1):
        started = time.perf_counter()
        answer = ask(item.user_input, list(item.history))
        results.append(score_item(item, answer, time.perf_counter() - started, oracle))
        if progress:
            progress(n, len(items))
    return results


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 4) if values else None


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)


def metrics(results: list[ItemResult]) -> dict[str, Any]:
    """All metrics for a set of results (see evals/README.md for definitions)."""
    answerable = [r for r in results if r.item.answerable]
    unanswerable = [r for r in results if not r.item.answerable]
    answered_ok = [r for r in answerable if not r.abstained]
    abstained = [r for r in results if r.abstained]
    return {
        "items": len(results),
        "answerable_items": len(answerable),
        "unanswerable_items": len(unanswerable),
        "pass_rate": _mean([float(r.passed) for r in results]),
        "fact_recall": _mean([float(r.all_facts and not r.abstained) for r in answerable]),
        "token_f1": _mean([r.f1 for r in answerable]),
        "hit_at_1": _mean([float(r.first_hit == 1) for r in answerable]),
        "hit_at_3": _mean([float(r.first_hit is not None and r.first_hit <= 3) for r in answerable]),
        "mrr": _mean([1.0 / r.first_hit if r.first_hit else 0.0 for r in answerable]),
        "citation_precision": _mean([r.precision for r in answered_ok if r.precision is not None]),
        "verbatim_quote_rate": _mean([float(r.verbatim) for r in results if r.answer.citations]),
        "abstention_precision": _mean([float(not r.item.answerable) for r in abstained]),
        "abstention_recall": _mean([float(r.abstained) for r in unanswerable]),
        "false_abstention_rate": _mean([float(r.abstained) for r in answerable]),
        # Share of LLM-mode answers that fell back to the extractive one (None offline).
        "llm_fallback_rate": _mean([float(r.answer.mode == "extractive-fallback") for r in results])
        if any(r.answer.mode != "extractive" for r in results) else None,
        "latency_p50_ms": _pct([r.seconds for r in results], 0.5),
        "latency_p95_ms": _pct([r.seconds for r in results], 0.95),
    }


def report(results: list[ItemResult]) -> dict[str, Any]:
    by_kind: dict[str, list[ItemResult]] = defaultdict(list)
    for r in results:
        by_kind[r.item.kind].append(r)
    return {
        "overall": metrics(results),
        "by_kind": {kind: metrics(rs) for kind, rs in sorted(by_kind.items())},
        "failures": [r.to_dict() for r in results if not r.passed],
    }
