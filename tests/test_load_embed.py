from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot import embed
from bot.embed import MiniLMEmbedder
from bot.errors import IngestError, ModelError
from bot.load import find_files, html_to_text, read_text


def test_binary_file_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(IngestError, match="binary"):
        read_text(path)


def test_windows_1252_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("Caf\u00e9 na\u00efve \u2019quoted\u2019".encode("cp1252"))
    assert read_text(path) == "Caf\u00e9 na\u00efve \u2019quoted\u2019"


def test_crlf_is_normalised(tmp_path: Path) -> None:
    path = tmp_path / "dos.txt"
    path.write_bytes(b"one\r\ntwo\r\n")
    assert read_text(path) == "one\ntwo\n"


def test_html_keeps_visible_blocks_only() -> None:
    html = ("<html><head><title>T</title><style>p{}</style></head><body><p>First <b>para</b>.</p>"
            "<script>evil()</script><ul><li>Item one.</li></ul></body></html>")
    assert html_to_text(html) == "T\n\nFirst para.\n\n- Item one.\n"


def test_find_files_names_folder_files_relative_and_reports_bad_paths(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("A.")
    (tmp_path / "b.txt").write_text("B.")
    (tmp_path / ".hidden.txt").write_text("H.")
    (tmp_path / "c.bin").write_text("C.")
    (tmp_path / "sub" / "README.md").write_text("What this folder holds.")
    found, errors, skipped = find_files([tmp_path, tmp_path / "missing.txt", tmp_path / "c.bin"])
    assert sorted(f.source for f in found) == ["b.txt", "sub/a.md"]
    assert skipped == [str(tmp_path / "sub" / "README.md")]
    # named directly, a README is ingested like any file
    named, _, none_skipped = find_files([tmp_path / "sub" / "README.md"])
    assert [f.source for f in named] == ["README.md"] and none_skipped == []
    assert [e[0] for e in errors] == [str(tmp_path / "missing.txt"), str(tmp_path / "c.bin")]
    assert "no such file" in errors[0][1] and "unsupported" in errors[1][1]


def test_embeddings_are_unit_length_and_semantic() -> None:
    model = MiniLMEmbedder()
    vectors = model.embed_batch([
        "Which forum will China hold in Chongqing?",
        "The Chinese side will hold the Digital Economy Industry Forum in Chongqing next year.",
        "A recipe for apple pie with cinnamon.",
    ])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > 0.6 > vectors[0] @ vectors[2]


def test_batching_and_padding_do_not_change_vectors() -> None:
    model = MiniLMEmbedder(batch_size=2)
    texts = ["short", "a much longer sentence about the Shanghai Cooperation Organization and its work", "mid size"]
    together = model.embed_batch(texts)
    alone = np.vstack([model.embed_batch([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-4)
    # the tokenizer does not pad (tokenizer.json says: to 128); embed_batch pads each batch
    encodings = model._tokenizer.encode_batch(["a b", "c"])
    assert [len(e.ids) for e in encodings] == [4, 3]


def test_batches_group_like_lengths_within_the_item_and_token_limits() -> None:
    lengths = [30, 5, 200, 6, 31, 7, 600]
    groups = embed.batches(lengths, most=2, budget=100)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))  # each item once
    assert groups == [[1, 3], [5, 0], [4], [2], [6]]  # shortest first; 600 alone, over budget
    for g in groups:
        assert len(g) <= 2
        assert len(g) == 1 or max(lengths[i] for i in g) * len(g) <= 100


def test_one_object_serves_chroma_and_langchain() -> None:
    from chromadb.utils.embedding_functions import known_embedding_functions
    from langchain_core.embeddings import Embeddings

    model = MiniLMEmbedder()
    assert isinstance(model, Embeddings)
    assert known_embedding_functions[model.name()] is MiniLMEmbedder
    rebuilt = MiniLMEmbedder.build_from_config(model.get_config())
    assert rebuilt.get_config() == model.get_config()
    assert len(model.embed_query("hello")) == 384
    assert len(model(["hello", "world"])) == 2
    assert np.allclose(model.embed_documents(["hello"])[0], model.embed_query("hello"), atol=1e-6)


def test_a_corrupt_model_file_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "_shared", {})
    path, _ = embed._model_file()
    monkeypatch.setattr(embed, "_model_file", lambda: (path, "0" * 64))
    with pytest.raises(ModelError, match="sha256"):
        MiniLMEmbedder()


def test_threads_run_one_model_call_at_a_time_and_get_the_same_vectors() -> None:
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    embedder = MiniLMEmbedder()
    texts = [f"Question {n}: where will the forum be held in year {2020 + n}?" for n in range(12)]
    alone = embedder.embed_batch(texts)

    class Probe:
        """The shared session, counting how many calls run at once (each made slow)."""

        def __init__(self, session: Any) -> None:
            self.session, self.running, self.most = session, 0, 0
            self.lock = threading.Lock()

        def run(self, *args: Any) -> Any:
            with self.lock:
                self.running += 1
                self.most = max(self.most, self.running)
            try:
                time.sleep(0.02)  # long enough for the other threads to arrive
                return self.session.run(*args)
            finally:
                with self.lock:
                    self.running -= 1

    probe = Probe(embedder._session)
    embedder._session = probe
    with ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(lambda t: embedder.embed_batch([t])[0], texts))
    assert probe.most == 1
    assert np.allclose(np.stack(together), alone, atol=1e-5)
