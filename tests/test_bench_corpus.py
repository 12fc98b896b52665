"""The scale benchmark's synthetic corpus: deterministic, and each planted fact sits in
the paragraph it is said to be in (so hit@3 in the benchmark means what it says)."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.chunk import split_paragraphs
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from corpus import load_facts, write_corpus


def test_corpus_is_deterministic_and_facts_are_where_they_are_said_to_be(tmp_path: Path) -> None:
    facts = write_corpus(tmp_path / "a" / "docs", 420, facts=12, pool_size=1500)
    write_corpus(tmp_path / "b" / "docs", 420, facts=12, pool_size=1500)
    files = sorted(p.name for p in (tmp_path / "a" / "docs").iterdir())
    assert len(files) == 9  # 50 paragraphs a document
    for name in files:
        assert (tmp_path / "a" / "docs" / name).read_text() == (tmp_path / "b" / "docs" / name).read_text()
    assert load_facts(tmp_path / "a" / "facts.json") == facts and len(facts) == 12
    total = 0
    for name in files:
        paragraphs = split_paragraphs((tmp_path / "a" / "docs" / name).read_text(encoding="utf-8"))
        total += len(paragraphs)
        for f in facts:
            holders = [p.number for p in paragraphs if f.sentence in p.text]
            assert holders == ([f.paragraph] if f.source == name else [])
    assert total == 420
    assert len({f.question for f in facts}) == 12 and all(f.value in f.sentence for f in facts)
