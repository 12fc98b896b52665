"""The gold set is data the gates rely on: check it against the files themselves."""

from __future__ import annotations

from bot.evaluate import ParagraphOracle, fact_found, load_gold
from tests.conftest import ROOT, SEEDS

GOLD = ROOT / "evals" / "gold" / "seeds.jsonl"
KINDS = {"single_fact", "list", "number_date", "single_doc_name", "paraphrase", "typo_chatter",
         "follow_up", "both_docs", "unanswerable", "injection"}


def test_gold_items_are_well_formed_and_cover_every_kind() -> None:
    items = load_gold(GOLD)
    assert len(items) >= 80
    assert len({i.id for i in items}) == len(items)
    assert {i.kind for i in items} == KINDS
    for i in items:
        assert i.user_input.strip() and i.reference.strip()
        if i.answerable:
            assert i.facts and i.reference_contexts, i.id
        else:
            assert not i.facts and not i.reference_contexts, i.id
        if i.kind == "follow_up":
            assert i.history and i.history[0]["role"] == "user", i.id


def test_every_reference_context_exists_and_holds_its_facts() -> None:
    oracle = ParagraphOracle(SEEDS)
    for item in load_gold(GOLD):
        texts = []
        for ctx in item.reference_contexts:
            text = oracle.paragraph(ctx["source"], ctx["paragraph"])
            assert text is not None, f"{item.id}: no paragraph {ctx}"
            texts.append(text)
        for variants in item.facts:
            assert any(fact_found(variants, t) for t in texts), f"{item.id}: fact {variants} not in its contexts"
