"""Faults: a real `bot ingest` process is killed (SIGKILL) half-way through a document,
then the index is checked and the ingest run again."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from bot import Bot, Settings
from bot.chunk import split_paragraphs, split_sentences
from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow

DOCUMENTS = 4
PARAGRAPHS = 60  # per document: about 1.5 s of embedding each on 2 cores


def _corpus(folder: Path) -> list[str]:
    """Documents made by recombining the seeds' sentences (deterministic)."""
    sentences = [p.text[a:b] for path in sorted(SEEDS.glob("*.txt"))
                 for p in split_paragraphs(path.read_text(encoding="utf-8"))
                 for a, b in split_sentences(p.text)]
    rng = random.Random(11)
    folder.mkdir()
    names = []
    for d in range(DOCUMENTS):
        body = "\n\n".join(" ".join(rng.sample(sentences, rng.randint(2, 4))) for _ in range(PARAGRAPHS))
        names.append(f"doc{d}.txt")
        (folder / names[-1]).write_text(f"Synthetic document {d}\n\n{body}\n", encoding="utf-8")
    return names


def _kill_during_document(corpus: Path, data_dir: Path, document: int) -> None:
    """Start `bot ingest`, wait until it has begun ``document`` (its progress line) and
    a little longer, then SIGKILL it: the process gets no chance to clean up."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "CHROMA_", "OPENAI_"))}
    env["BOT_DATA_DIR"] = str(data_dir)
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "ingest", str(corpus)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    try:
        for line in proc.stderr:
            if line.startswith(f"[{document}/{DOCUMENTS}]"):
                time.sleep(0.5)  # into the document's embedding (about 1.5 s)
                break
        else:
            pytest.fail(f"bot ingest ended before document {document}: exit {proc.wait()}")
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()


def _chunks(bot: Bot) -> tuple[list[str], list[str], list[dict[str, object]]]:
    return bot.store.all_chunks()


def test_a_killed_ingest_leaves_a_consistent_index_and_a_rerun_completes_it(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    names = _corpus(corpus)
    settings = Settings(data_dir=tmp_path / "store")
    _kill_during_document(corpus, settings.data_dir, document=3)

    bot = Bot(settings)
    manifest = bot.store.documents()
    pending = sorted(s for s, m in manifest.items() if m.get("status") == "pending")
    complete = [s.source for s in bot.sources()]
    # the kill landed inside document 3: two documents done, the third one started
    assert complete == names[:2] and pending == [names[2]]
    # whatever was written is consistent: no id twice, no (source, paragraph, part) twice,
    # every complete document has exactly the chunks its manifest counts
    ids, texts, metas = _chunks(bot)
    assert len(ids) == len(set(ids))
    places = Counter((m["source"], m["paragraph"], m["part"]) for m in metas)
    assert max(places.values()) == 1
    per_source = Counter(str(m["source"]) for m in metas)
    for info in bot.sources():
        assert per_source[info.source] == info.chunks
    # sentences only belong to chunks that exist
    # (sentences are written before their chunk, so only the pending document may have orphans)
    sentence_metas = bot.store.sentences.get(include=["metadatas"])["metadatas"] or []
    assert {m["source"] for m in sentence_metas if m["chunk_id"] not in set(ids)} <= {names[2]}
    # the half-ingested document is neither served nor counted
    answer = bot.ask("Which forum will China hold in Chongqing?")
    assert answer.citations and all(c.source in names[:2] for c in answer.citations)
    assert names[2] not in {h.source for h in bot.retrieve("Synthetic document 2").hits}

    # a re-run (a new process's work, here in this one) finishes it
    report = bot.ingest([corpus])
    assert report.unchanged == names[:2] and report.updated == [names[2]] and report.added == names[3:]
    assert [s.source for s in bot.sources()] == names
    assert not [s for s, m in bot.store.documents().items() if m.get("status") != "complete"]
    ids, texts, metas = _chunks(bot)
    assert len(ids) == len(set(ids))
    assert max(Counter((m["source"], m["paragraph"], m["part"]) for m in metas).values()) == 1
    bot.close()

    # ... to exactly the index a clean ingest builds
    clean = Bot(Settings(data_dir=tmp_path / "clean"))
    clean.ingest([corpus])
    clean_ids, clean_texts, _ = _chunks(clean)
    assert sorted(ids) == sorted(clean_ids) and sorted(texts) == sorted(clean_texts)
    assert clean.store.sentences.count() == Bot(settings).store.sentences.count()
    assert sum(s.chunks for s in clean.sources()) == len(ids)
    clean.close()
