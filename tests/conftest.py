"""Shared fixtures: a real Chroma on a temp dir, the real embedder, the seeds as corpus."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import Bot, Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
NEWS = "xinhua_report_sco_summit_2020.txt"
SPEECH = "xi_speech_sco_summit_2020_full_text.txt"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's BOT_*, CHROMA_*, OPENAI_* or SLACK_* settings."""
    for name in list(os.environ):
        if name.startswith(("BOT_", "CHROMA_", "OPENAI_", "SLACK_")):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def seeded_bot(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    """One bot over the seeds, shared by read-only tests (ingest once per session)."""
    bot = Bot(Settings(data_dir=tmp_path_factory.mktemp("seeded")))
    report = bot.ingest([SEEDS])
    assert report.ok and len(report.added) == 2
    return bot


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A writable copy of the seeds."""
    target = tmp_path / "docs"
    shutil.copytree(SEEDS, target, ignore=shutil.ignore_patterns("README.md"))
    return target


def bot_over(folder: Path, name: str, text: str) -> Bot:
    """A bot whose only document is ``text`` saved as ``folder/name`` (index in ``folder/store``)."""
    (folder / name).write_text(text, encoding="utf-8")
    bot = Bot(Settings(data_dir=folder / "store"))
    assert bot.ingest([folder / name]).ok
    return bot


def corpus_bot(tmp_path_factory: pytest.TempPathFactory, folder: Path) -> Iterator[Bot]:
    """A bot over a committed corpus folder (``evals/corpora/<set>``), its index in a fresh
    temp dir; a module fixture yields from it."""
    with Bot(Settings(data_dir=tmp_path_factory.mktemp(folder.name))) as bot:
        assert bot.ingest([folder]).ok
        yield bot


def exchange(question: str, answer: str) -> list[dict[str, str]]:
    """One earlier turn of a conversation, as ``ask(history=...)`` takes it."""
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


@pytest.fixture
def fresh_bot(tmp_path: Path) -> Iterator[Bot]:
    yield Bot(Settings(data_dir=tmp_path / "store"))
