from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import Bot, EmptyIndexError, Settings
from bot.store import Store
from tests.conftest import NEWS, SPEECH


def _ids(bot: Bot) -> list[str]:
    return sorted(bot.store.chunks.get(include=[])["ids"])


def test_reingest_of_unchanged_files_changes_nothing(fresh_bot: Bot, corpus_dir: Path) -> None:
    first = fresh_bot.ingest([corpus_dir])
    assert sorted(first.added) == [SPEECH, NEWS] and first.ok
    ids, sentences = _ids(fresh_bot), fresh_bot.store.sentences.count()
    second = fresh_bot.ingest([corpus_dir])
    assert sorted(second.unchanged) == [SPEECH, NEWS]
    assert second.chunks_embedded == 0 and not second.added and not second.updated
    assert _ids(fresh_bot) == ids and fresh_bot.store.sentences.count() == sentences
    assert second.seconds < first.seconds


def test_a_changed_file_replaces_its_old_chunks(fresh_bot: Bot, corpus_dir: Path) -> None:
    fresh_bot.ingest([corpus_dir])
    path = corpus_dir / NEWS
    path.write_text(path.read_text(encoding="utf-8").replace("Vladimir Putin", "Vladimir Z. Putin"), encoding="utf-8")
    report = fresh_bot.ingest([corpus_dir])
    assert report.updated == [NEWS] and report.chunks_embedded == 1
    texts = fresh_bot.store.chunks.get(where={"source": NEWS}, include=["documents"])["documents"]
    assert sum("Vladimir Z. Putin" in t for t in texts) == 1
    assert not any("Vladimir Putin" in t for t in texts)
    assert fresh_bot.ask("Who presided over the meeting?").citations[0].quote.count("Vladimir Z. Putin") == 1


def test_prune_removes_documents_whose_file_is_gone(fresh_bot: Bot, corpus_dir: Path) -> None:
    fresh_bot.ingest([corpus_dir])
    (corpus_dir / NEWS).unlink()
    kept = fresh_bot.ingest([corpus_dir])
    assert [s.source for s in fresh_bot.sources()] == [SPEECH, NEWS] and not kept.removed
    pruned = fresh_bot.ingest([corpus_dir], prune=True)
    assert pruned.removed == [NEWS]
    assert [s.source for s in fresh_bot.sources()] == [SPEECH]
    assert fresh_bot.store.chunks.get(where={"source": NEWS}, include=[])["ids"] == []


def test_bad_files_are_reported_and_good_ones_still_ingested(fresh_bot: Bot, corpus_dir: Path, tmp_path: Path) -> None:
    (corpus_dir / "broken.txt").write_bytes(b"\x00\x01\x02binary\xff" * 50)
    (corpus_dir / "notes.md").write_text("# Notes\n\nThe bot was tested on a rainy Tuesday.\n")
    report = fresh_bot.ingest([corpus_dir, tmp_path / "nope"])
    assert sorted(report.added) == sorted([SPEECH, "notes.md", NEWS])
    assert len(report.errors) == 2
    assert any("broken.txt" in e and "binary" in e for _, e in report.errors)
    assert any("no such file" in e for _, e in report.errors)
    # nothing lost or duplicated when the same batch comes again
    before = _ids(fresh_bot)
    again = fresh_bot.ingest([corpus_dir])
    assert _ids(fresh_bot) == before and len(again.errors) == 1


def test_asking_an_empty_index_says_what_to_do(fresh_bot: Bot) -> None:
    with pytest.raises(EmptyIndexError, match="bot ingest"):
        fresh_bot.ask("Who presided over the meeting?")


def test_an_ingest_killed_half_way_is_not_served_and_is_finished_later(
        tmp_path: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(data_dir=tmp_path / "store")
    bot = Bot(settings)
    bot.ingest([corpus_dir / NEWS])
    shutil.copy(corpus_dir / SPEECH, tmp_path / SPEECH)

    def crash(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # what a kill -INT mid-write looks like to the ingest

    monkeypatch.setattr(Store, "add_chunks", crash)
    with pytest.raises(KeyboardInterrupt):
        bot.ingest([tmp_path / SPEECH])
    monkeypatch.undo()

    restarted = Bot(settings)
    assert [s.source for s in restarted.sources()] == [NEWS]
    answer = restarted.ask("Where will the Digital Economy Industry Forum be held?")
    assert all(c.source == NEWS for c in answer.citations)
    report = restarted.ingest([tmp_path / SPEECH])
    assert report.updated == [SPEECH]
    assert [s.source for s in restarted.sources()] == [SPEECH, NEWS]
    ids = restarted.store.chunks.get(include=[])["ids"]
    assert len(ids) == len(set(ids)) == sum(s.chunks for s in restarted.sources())
    assert "Chongqing" in restarted.ask("Where will the Digital Economy Industry Forum be held?").answer


def test_remove_takes_one_document_out_of_answers(fresh_bot: Bot, corpus_dir: Path) -> None:
    fresh_bot.ingest([corpus_dir])
    assert fresh_bot.ask("Who presided over the meeting?").citations[0].source == NEWS
    assert fresh_bot.remove(NEWS) is True
    assert [s.source for s in fresh_bot.sources()] == [SPEECH]
    assert fresh_bot.store.chunks.get(where={"source": NEWS}, include=[])["ids"] == []
    assert fresh_bot.store.sentences.get(where={"source": NEWS}, include=[])["ids"] == []
    assert NEWS not in {c.source for c in fresh_bot.ask("Who presided over the meeting?").citations}
    assert fresh_bot.remove(NEWS) is False
    assert fresh_bot.ingest([corpus_dir]).added == [NEWS]  # and it can come back


def test_a_new_embedding_input_re_embeds_what_the_chunker_kept(fresh_bot: Bot, corpus_dir: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import ingest

    first = fresh_bot.ingest([corpus_dir])
    assert fresh_bot.ingest([corpus_dir]).chunks_embedded == 0
    # same chunks, same ids: only the version says the vectors are stale
    monkeypatch.setattr(ingest, "EMBEDDING_INPUT_VERSION", "test-next")
    again = fresh_bot.ingest([corpus_dir])
    assert sorted(again.updated) == [SPEECH, NEWS] and again.chunks_embedded == first.chunks_embedded
    assert fresh_bot.store.chunks.count() == first.chunks_embedded
    assert fresh_bot.ask("Who presided over the meeting?").answered
