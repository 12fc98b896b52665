"""The lexical index snapshot: a second bot on the same data directory answers from it
without rebuilding, and never from a stale, foreign or damaged one."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from bot import Bot, Settings, snapshot
from bot.retrieve import Corpus
from tests.conftest import SEEDS

QUESTIONS = ["Which forum will China hold in Chongqing?", "How many youth exchange places will China provide?",
             "What did Xi say about vaccines?"]


def _answers(bot: Bot) -> list[dict[str, Any]]:
    out = []
    for q in QUESTIONS:
        d = bot.ask(q).to_dict()
        d.pop("timing")
        out.append(d)
    return out


def _no_rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(store: Any) -> Corpus:
        raise AssertionError("the corpus was rebuilt from the store")

    monkeypatch.setattr(Corpus, "load", classmethod(lambda cls, store: refuse(store)))


def _snapshot_file(data_dir: Path) -> Path:
    return data_dir / "cache" / "bot-lexical.npz"


def _seed(data_dir: Path) -> list[dict[str, Any]]:
    """Ingest the seeds into ``data_dir`` with a first bot; its answers (which save the snapshot)."""
    with Bot(Settings(data_dir=data_dir)) as first:
        first.ingest([SEEDS])
        return _answers(first)


def test_a_new_bot_answers_from_the_snapshot_exactly_as_the_first(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "store"
    expected = _seed(data)
    assert _snapshot_file(data).exists()
    _no_rebuild(monkeypatch)
    with Bot(Settings(data_dir=data)) as second:
        assert _answers(second) == expected


def test_an_ingest_makes_the_snapshot_stale(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs, ignore=shutil.ignore_patterns("README.md"))
    data = tmp_path / "store"
    with Bot(Settings(data_dir=data)) as first:
        first.ingest([docs])
        assert not first.ask("What colour is the Velmorant lighthouse?").answered
    (docs / "lighthouse.txt").write_text("The Velmorant lighthouse is painted bright green.\n", encoding="utf-8")
    with Bot(Settings(data_dir=data)) as second:  # another process ingests the new file
        second.ingest([docs])
    with Bot(Settings(data_dir=data)) as third:
        answer = third.ask("What colour is the Velmorant lighthouse?")
        assert answer.answered and "bright green" in answer.answer


def test_a_damaged_or_foreign_snapshot_is_rebuilt_not_an_error(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "store"
    expected = _seed(data)
    path = _snapshot_file(data)
    path.write_bytes(b"not a snapshot")
    with Bot(Settings(data_dir=data)) as second:
        assert _answers(second) == expected
        generation = second.store.generation()
    # the damaged file was replaced by a valid snapshot of this generation
    assert snapshot.load(path, snapshot.key(generation)) is not None
    # a snapshot written by other code (another version of the bot) is not used
    monkeypatch.setattr(snapshot, "code_version", lambda: "another-version")
    calls = []
    original = Corpus.load.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(Corpus, "load", classmethod(lambda cls, store: calls.append(1) or original(cls, store)))
    with Bot(Settings(data_dir=data)) as third:
        assert _answers(third) == expected
    assert calls == [1]


def test_the_snapshot_keeps_how_lists_are_cited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "pool.md").write_text("# Pool\n\nThe pool is open:\n- Saturday: 8 am to 6 pm\n- Sunday: 10 am to 4 pm\n\n"
                                  "Lessons run in the mornings.\n", encoding="utf-8")
    data = tmp_path / "store"
    questions = ["When is the pool open on Sunday?", "When do lessons run?"]
    with Bot(Settings(data_dir=data)) as first:
        first.ingest([docs])
        expected = [first.ask(q).citations[0] for q in questions]
    assert [(c.paragraph, c.text.splitlines()[0]) for c in expected] == [(2, "The pool is open:"),
                                                                        (3, "Lessons run in the mornings.")]
    _no_rebuild(monkeypatch)
    with Bot(Settings(data_dir=data)) as second:
        assert [second.ask(q).citations[0] for q in questions] == expected
