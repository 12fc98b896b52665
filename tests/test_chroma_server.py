"""The same code against a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import Bot, Settings, StoreError
from tests.conftest import NEWS, SEEDS, SPEECH

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(path: Path, port: int) -> subprocess.Popen[bytes]:
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    proc = subprocess.Popen([chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("chroma run did not start within 30 s")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Path, int, subprocess.Popen[bytes]]]:
    port = _free_port()
    proc = _start(tmp_path / "chroma", port)
    yield tmp_path / "chroma", port, proc
    proc.kill()
    proc.wait()


def test_ingest_and_ask_through_a_chroma_server_shared_by_two_bots(
        server: tuple[Path, int, subprocess.Popen[bytes]]) -> None:
    _, port, _ = server
    settings = Settings(chroma_host="127.0.0.1", chroma_port=port)
    writer, reader = Bot(settings), Bot(settings)
    assert writer.ingest([SEEDS / NEWS]).added == [NEWS]
    a = reader.ask("Who presided over the meeting?")
    assert a.answered and "Putin" in a.answer and a.citations[0].source == NEWS
    # the reader sees a later ingest by the writer (after its refresh interval)
    writer.ingest([SEEDS / SPEECH])
    reader.retriever._checked = 0.0
    b = reader.ask("Which forum will China hold in Chongqing?")
    assert b.answered and b.citations[0].source == SPEECH
    assert writer.ingest([SEEDS]).unchanged == [SPEECH, NEWS]
    writer.close()
    reader.close()


def test_server_going_away_gives_a_clear_error_and_recovers(
        server: tuple[Path, int, subprocess.Popen[bytes]]) -> None:
    path, port, proc = server
    bot = Bot(Settings(chroma_host="127.0.0.1", chroma_port=port))
    bot.ingest([SEEDS])
    proc.kill()
    proc.wait()
    with pytest.raises(StoreError, match="chroma run"):
        bot.ask("Who presided over the meeting?")
    restarted = _start(path, port)
    try:
        assert "Putin" in bot.ask("Who presided over the meeting?").answer
    finally:
        bot.close()
        restarted.kill()
        restarted.wait()
