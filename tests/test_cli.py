from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import NEWS, SEEDS, SPEECH

BOT = [sys.executable, "-m", "bot.cli"]


def run(args: list[str], data_dir: Path, stdin: str | None = None,
        **variables: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "CHROMA_", "OPENAI_"))}
    env |= {"BOT_DATA_DIR": str(data_dir), **variables}
    return subprocess.run(BOT + args, capture_output=True, text=True, env=env, input=stdin, timeout=120)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli")
    done = run(["ingest", str(SEEDS), "--quiet"], path)
    assert done.returncode == 0, done.stderr
    assert "added 2" in done.stdout
    # seeds/README.md describes the seeds: skipped, and the output says how to include it
    assert f"skipped {SEEDS / 'README.md'}: taken as the folder's description; name the file to ingest it" \
        in done.stdout
    return path


def test_ask_json(data_dir: Path) -> None:
    done = run(["ask", "Who presided over the meeting?", "--json"], data_dir)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["answered"] and "Putin" in data["answer"]
    assert data["citations"][0]["source"] == NEWS


def test_ask_text_shows_sources(data_dir: Path) -> None:
    done = run(["ask", "How many youth exchange places will China provide?"], data_dir)
    assert done.returncode == 0
    assert "600" in done.stdout and "Sources:" in done.stdout and f"[1] {SPEECH} ¶22" in done.stdout


def test_sources_and_reingest(data_dir: Path) -> None:
    done = run(["sources", "--json"], data_dir)
    assert [s["source"] for s in json.loads(done.stdout)] == [SPEECH, NEWS]
    again = run(["ingest", str(SEEDS), "--quiet"], data_dir)
    assert "unchanged 2" in again.stdout


def test_chat_keeps_the_conversation(data_dir: Path) -> None:
    done = run(["chat"], data_dir, stdin="Which forum will China hold in Chongqing?\nWhat other forum will it host?\n")
    assert done.returncode == 0
    assert "Digital Economy Industry Forum" in done.stdout
    assert "Non-governmental Friendship Forum" in done.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["ask", "   "], "the question is empty"),
    (["ingest", "/no/such/folder"], "no such file or folder"),
])
def test_errors_are_one_line_without_traceback(data_dir: Path, args: list[str], message: str) -> None:
    done = run(args, data_dir)
    assert done.returncode != 0
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_ask_before_ingest_says_what_to_do(tmp_path: Path) -> None:
    done = run(["ask", "Who presided?"], tmp_path / "empty")
    assert done.returncode == 2 and "bot ingest" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("name", ["ab", "-docs", "docs_", "my docs"])
def test_a_collection_name_chroma_refuses_is_named_as_the_problem(tmp_path: Path, name: str) -> None:
    done = run(["sources"], tmp_path, BOT_COLLECTION=name)
    assert done.returncode != 0
    assert "BOT_COLLECTION" in done.stderr and "3-502 letters" in done.stderr
    assert "Traceback" not in done.stderr and "writable" not in done.stderr
