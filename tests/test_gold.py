"""The gold set is data the gates rely on: check it against the files themselves."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.evaluate import GoldItem, ParagraphOracle, fact_found, load_gold
from tests.conftest import ROOT, SEEDS

GOLD = ROOT / "evals" / "gold" / "seeds.jsonl"
#: Each gold set with the folder its items refer to: the seeds, and documents held out
#: from tuning (evals/corpora/heldout/README.md).
HELDOUT = ["heldout", *(f"heldout{n}" for n in range(2, 13))]
SETS = [pytest.param(GOLD, SEEDS, id="seeds"),
        *(pytest.param(ROOT / "evals" / "gold" / f"{name}.jsonl", ROOT / "evals" / "corpora" / name, id=name)
          for name in HELDOUT),
        *(pytest.param(ROOT / "evals" / "gold" / f"{name}.jsonl", SEEDS, id=name)
          for name in ("seeds_blind", "seeds_blind2", "seeds_blind3"))]
KINDS = {"single_fact", "list", "number_date", "single_doc_name", "paraphrase", "typo_chatter",
         "follow_up", "both_docs", "unanswerable", "injection"}


def _contexts(oracle: ParagraphOracle, item: GoldItem) -> list[str]:
    texts = []
    for ctx in item.reference_contexts:
        text = oracle.paragraph(ctx["source"], ctx["paragraph"])
        assert text is not None, f"{item.id}: no paragraph {ctx}"
        texts.append(text)
    return texts


def test_gold_items_are_well_formed_and_cover_every_kind() -> None:
    items = load_gold(GOLD)
    assert len(items) >= 80
    assert len({i.id for i in items}) == len(items)
    kinds = Counter(i.kind for i in items)
    assert set(kinds) == KINDS
    assert min(kinds.values()) >= 5, kinds
    for i in items:
        assert i.user_input.strip() and i.reference.strip()
        if i.answerable:
            assert i.facts and i.reference_contexts, i.id
            assert all(variants and all(v.strip() for v in variants) for variants in i.facts), i.id
        else:
            assert not i.facts and not i.reference_contexts, i.id
        if i.kind == "follow_up":
            assert i.history and i.history[0]["role"] == "user", i.id
        assert all(turn["role"] in {"user", "assistant"} and turn["content"].strip() for turn in i.history), i.id


@pytest.mark.parametrize(("gold", "corpus"), SETS)
def test_every_reference_context_exists(gold: Path, corpus: Path) -> None:
    oracle = ParagraphOracle(corpus)
    for item in load_gold(gold):
        _contexts(oracle, item)


@pytest.mark.parametrize(("gold", "corpus"), SETS)
def test_every_fact_occurs_in_one_of_its_reference_contexts(gold: Path, corpus: Path) -> None:
    """Some accepted spelling of each fact is in the text of a cited gold paragraph (case-insensitive)."""
    oracle = ParagraphOracle(corpus)
    missing = []
    for item in load_gold(gold):
        texts = _contexts(oracle, item)
        missing += [f"{item.id}: {variants}" for variants in item.facts
                    if not any(fact_found(variants, t) for t in texts)]
    assert not missing, "facts not found in their reference_contexts:\n" + "\n".join(missing)


@pytest.mark.parametrize(("gold", "corpus"), SETS)
def test_every_reference_context_holds_one_of_the_facts(gold: Path, corpus: Path) -> None:
    """A gold paragraph that supports none of the facts would credit hit@k for an irrelevant citation."""
    oracle = ParagraphOracle(corpus)
    idle = []
    for item in load_gold(gold):
        for ctx, text in zip(item.reference_contexts, _contexts(oracle, item)):
            if not any(fact_found(variants, text) for variants in item.facts):
                idle.append(f"{item.id}: {ctx}")
    assert not idle, "reference_contexts that hold none of the item's facts:\n" + "\n".join(idle)


@pytest.mark.parametrize(("gold", "corpus"), SETS)
def test_reference_answers_state_every_fact_and_questions_give_none_away(gold: Path, corpus: Path) -> None:
    """The gold answer must pass its own facts; a fact the question already contains is free for an echo."""
    problems = []
    for item in load_gold(gold):
        for variants in item.facts:
            if not fact_found(variants, item.reference):
                problems.append(f"{item.id}: reference lacks {variants}")
            if fact_found(variants, item.user_input):
                problems.append(f"{item.id}: question already contains {variants}")
    assert not problems, "\n".join(problems)


def test_fact_matching_folds_case_quotes_and_hyphens() -> None:
    assert fact_found(["Global Data Security Initiative"], "China launched the “global data security initiative”")
    assert fact_found(["zero-sum"], "cooperation will replace zero sum games")
    assert fact_found(["Japarov", "zaparov"], "acting president zaparov of Kyrgyzstan")
    assert not fact_found(["Chongqing"], "in Beijing next year")
