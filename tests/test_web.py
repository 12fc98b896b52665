"""The web app over real HTTP: uvicorn on 127.0.0.1, the seeds in a temp Chroma, the real embedder."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot import Bot, ConfigError, Settings
from bot.types import Answer, Citation
from tests.conftest import NEWS, SEEDS, SPEECH
from tests.webserver import running, seeded_app

CHONGQING = "Which forum will China hold in Chongqing?"
LIGHTHOUSE = b"The Aldermoor lighthouse was painted green in 1911 by its keeper, Mara Quill.\n"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Bot]]:
    """The whole app (API + Gradio) over the seeds, on a real server."""
    with seeded_app(tmp_path_factory.mktemp("web"), SEEDS) as served:
        yield served


@pytest.fixture
def url(served: tuple[str, Bot]) -> str:
    return served[0]


def test_healthz(url: str) -> None:
    r = httpx.get(f"{url}/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "documents": 2, "mode": "extractive"}


def test_openapi_docs(url: str) -> None:
    docs = httpx.get(f"{url}/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    schema = httpx.get(f"{url}/openapi.json").json()
    assert {"/api/ask", "/healthz", "/api/documents", "/api/feedback"} <= set(schema["paths"])


def test_the_chat_page_is_served_at_the_root(url: str) -> None:
    page = httpx.get(f"{url}/")
    assert page.status_code == 200 and "gradio" in page.text.lower()
    config = httpx.get(f"{url}/config").json()
    assert any(c.get("props", {}).get("elem_id") == "chatbot" for c in config["components"])


def test_ask_returns_the_answer_dict(url: str) -> None:
    r = httpx.post(f"{url}/api/ask", json={"question": CHONGQING})
    assert r.status_code == 200
    data = r.json()
    assert set(data) == {"answer", "answered", "citations", "mode", "timing"}
    assert data["answered"] and "Digital Economy Industry Forum" in data["answer"] and "[1]" in data["answer"]
    first = data["citations"][0]
    assert (first["source"], first["paragraph"]) == (SPEECH, 20) and first["quote"] in first["text"]


def test_ask_uses_the_history_for_follow_ups(url: str) -> None:
    first = httpx.post(f"{url}/api/ask", json={"question": CHONGQING}).json()
    history = [{"role": "user", "content": CHONGQING}, {"role": "assistant", "content": first["answer"]}]
    r = httpx.post(f"{url}/api/ask", json={"question": "What other forum will it host?", "history": history})
    assert r.status_code == 200 and "Non-governmental Friendship Forum" in r.json()["answer"]


def test_an_unanswerable_question_abstains_with_closest_passages(url: str) -> None:
    data = httpx.post(f"{url}/api/ask", json={"question": "What did the summit decide about the 2031 Olympics?"}).json()
    assert data["answered"] is False and "could not find" in data["answer"]


def _chunked(*parts: bytes) -> Iterator[bytes]:
    yield from parts


@pytest.mark.parametrize(("body", "status", "message"), [
    (b'{"question": ', 400, "not valid JSON"),
    (b"question=hello", 400, "not valid JSON"),
    (b'{"question": 5}', 422, "question: Input should be a valid string"),
    (b"{}", 422, "question: Field required"),
    (b"[]", 422, "invalid request"),
    (b'{"question": "   "}', 400, "the question is empty"),
    (json.dumps({"question": "x" * 2001}).encode(), 413, "over the limit of 2000"),
    (json.dumps({"question": "x" * 300_000}).encode(), 413, "request body is over 256 KB"),
    (b'{"question": "hi", "history": "yesterday"}', 422, "history: Input should be a valid list"),
    (b'{"question": "hi", "history": [{"role": "robot", "content": "x"}]}', 422, "history.0.role"),
    (b'{"question": "hi", "history": [{"role": "user"}]}', 422, "history.0.content: Field required"),
])
def test_bad_input_gets_a_4xx_json_error(url: str, body: bytes, status: int, message: str) -> None:
    r = httpx.post(f"{url}/api/ask", content=body, headers={"content-type": "application/json"})
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    assert message in r.json()["error"]
    assert "Traceback" not in r.text


def test_an_oversized_streamed_body_is_refused_too(url: str) -> None:
    body = _chunked(b'{"question": "', *[b"x" * 10_000] * 40, b'"}')  # no Content-Length: chunked
    r = httpx.post(f"{url}/api/ask", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "over 256 KB" in r.json()["error"]


def test_an_unknown_api_path_is_a_json_404(url: str) -> None:
    r = httpx.delete(f"{url}/api/documents/no-such-file.txt")
    assert r.status_code == 404 and "GET /api/documents" in r.json()["error"]


def test_an_unexpected_failure_is_a_bare_500(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from bot.web import create_app

    def boom() -> None:
        raise RuntimeError("secret internals")

    app = create_app(Bot(Settings(data_dir=tmp_path / "boom")))
    app.add_api_route("/boom", boom)
    app.router.routes.insert(0, app.router.routes.pop())  # ahead of the UI mounted at "/"
    with running(app) as other:
        r = httpx.get(f"{other}/boom")
    assert r.status_code == 500
    assert r.json() == {"error": "internal error; the server log has the details"}
    assert "secret internals" not in r.text and "unexpected error on GET /boom" in caplog.text


def test_twenty_simultaneous_questions_are_all_answered(url: str) -> None:
    cases = [
        (CHONGQING, "Digital Economy Industry Forum"),
        ("Who presided over the meeting?", "Putin"),
        ("How many youth exchange places will China provide?", "600"),
        ("Which UN official attended the meeting?", "Guterres"),
    ] * 5
    start = threading.Barrier(len(cases))

    def ask(case: tuple[str, str]) -> tuple[int, str, str]:
        with httpx.Client(timeout=60) as client:
            start.wait()
            r = client.post(f"{url}/api/ask", json={"question": case[0]})
        return r.status_code, r.json().get("answer", ""), case[1]

    with ThreadPoolExecutor(len(cases)) as pool:
        results = list(pool.map(ask, cases))
    assert [status for status, _, _ in results] == [200] * 20
    assert all(expected in answer for _, answer, expected in results), results


def test_upload_ask_and_remove_a_document(served: tuple[str, Bot]) -> None:
    url, bot = served
    r = httpx.post(f"{url}/api/documents", files=[("files", ("lighthouse.txt", LIGHTHOUSE, "text/plain"))])
    assert r.status_code == 200 and r.json()["added"] == ["lighthouse.txt"]
    try:
        listed = {d["source"]: d for d in httpx.get(f"{url}/api/documents").json()}
        assert set(listed) == {SPEECH, NEWS, "lighthouse.txt"} and listed["lighthouse.txt"]["paragraphs"] == 1
        data = httpx.post(f"{url}/api/ask", json={"question": "Who painted the Aldermoor lighthouse?"}).json()
        assert "Mara Quill" in data["answer"] and data["citations"][0]["source"] == "lighthouse.txt"
        assert (bot.settings.uploads_dir / "lighthouse.txt").read_bytes() == LIGHTHOUSE
    finally:
        gone = httpx.delete(f"{url}/api/documents/lighthouse.txt")
    assert gone.status_code == 200 and gone.json() == {"removed": "lighthouse.txt"}
    assert not (bot.settings.uploads_dir / "lighthouse.txt").exists()
    assert [d["source"] for d in httpx.get(f"{url}/api/documents").json()] == [SPEECH, NEWS]
    after = httpx.post(f"{url}/api/ask", json={"question": "Who painted the Aldermoor lighthouse?"}).json()
    assert "lighthouse.txt" not in {c["source"] for c in after["citations"]}
    assert httpx.delete(f"{url}/api/documents/lighthouse.txt").status_code == 404


@pytest.mark.parametrize(("name", "message"), [("slides.pptx", "unsupported file type"),
                                               ("slides.pdf", "not a readable PDF"),
                                               (".hidden.txt", "not a usable file name")])
def test_bad_uploads_are_refused(served: tuple[str, Bot], name: str, message: str) -> None:
    url, bot = served
    r = httpx.post(f"{url}/api/documents", files=[("files", (name, b"%PDF-1.4", "application/pdf"))])
    assert r.status_code == 400 and message in r.json()["error"]
    assert not (bot.settings.uploads_dir / name).exists(), "a file that could not be ingested is not kept"


def test_feedback_is_appended_as_json_lines(served: tuple[str, Bot]) -> None:
    url, bot = served
    answer = httpx.post(f"{url}/api/ask", json={"question": CHONGQING}).json()
    r = httpx.post(f"{url}/api/feedback", json={"rating": "down", "question": CHONGQING, **{
        k: answer[k] for k in ("answer", "answered", "citations")}})
    assert r.status_code == 201
    lines = bot.settings.feedback_file.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[-1])
    assert record["rating"] == "down" and record["question"] == CHONGQING
    assert record["answer"] == answer["answer"] and record["citations"][0]["paragraph"] == 20
    bad = httpx.post(f"{url}/api/feedback", json={"rating": "meh", "question": "q", "answer": "a"})
    assert bad.status_code == 422 and "rating" in bad.json()["error"]


def test_gradio_client_gets_an_answer_with_sources(url: str) -> None:
    from gradio_client import Client

    client = Client(f"{url}/", verbose=False)
    conversation, box = client.predict(CHONGQING, api_name="/ask")
    assert box == ""
    assert [m["role"] for m in conversation] == ["user", "assistant"]
    shown = conversation[-1]["content"][0]["text"]
    assert "Digital Economy Industry Forum" in shown
    assert "<summary>Sources (" in shown and f"[1] {SPEECH}</strong>, paragraph 20" in shown
    assert "<mark>The Chinese side will hold the China-Shanghai Cooperation Organization Digital Economy" in shown


def test_the_chat_shows_a_bad_question_as_one_line(url: str) -> None:
    from gradio_client import Client

    conversation, _ = Client(f"{url}/", verbose=False).predict("x" * 2001, api_name="/ask")
    shown = conversation[-1]["content"][0]["text"]
    assert shown.startswith("⚠️ the question is 2001 characters long, over the limit of 2000")
    assert "Traceback" not in shown


class GatedBot(Bot):
    """The real bot, but each answer waits until ``parties`` answers are under way at
    once: the chat only answers if its queue really runs that many together."""

    def __init__(self, settings: Settings, parties: int) -> None:
        super().__init__(settings)
        self.gate = threading.Barrier(parties, timeout=60)

    def ask_stream(self, question: str, history: Any = None) -> Iterator[str | Answer]:
        self.gate.wait()
        yield from super().ask_stream(question, history)


@pytest.mark.slow
def test_the_chat_queue_runs_eight_questions_at_once(tmp_path: Path) -> None:
    from gradio_client import Client

    from bot.web import UI_CONCURRENCY, create_app

    assert UI_CONCURRENCY >= 8
    bot = GatedBot(Settings(data_dir=tmp_path / "gated"), parties=8)
    assert bot.ingest([SEEDS / NEWS]).ok
    with running(create_app(bot)) as url:
        client = Client(f"{url}/", verbose=False)
        jobs = [client.submit("Who presided over the meeting?", api_name="/ask") for _ in range(16)]
        answers = [job.result(timeout=120)[0][-1]["content"][0]["text"] for job in jobs]
    assert len(answers) == 16 and all("Putin" in a for a in answers)
    bot.close()


def test_an_empty_index_is_a_409_that_says_what_to_do(tmp_path: Path) -> None:
    from bot.web import create_app

    with running(create_app(Bot(Settings(data_dir=tmp_path / "empty")))) as url:
        r = httpx.post(f"{url}/api/ask", json={"question": CHONGQING})
        health = httpx.get(f"{url}/healthz").json()
    assert r.status_code == 409 and "bot ingest" in r.json()["error"]
    assert health["documents"] == 0


# -- rendering -------------------------------------------------------------------------------
def test_render_marks_the_quote_and_escapes_html() -> None:
    from bot.ui import render_answer

    text = "Intro <b>bold</b>. The keeper painted it green. After."
    citation = Citation("notes.txt", 3, text, "The keeper painted it green.", 0.9)
    shown = render_answer(Answer("The keeper painted it green. [1]", True, [citation]))
    assert shown.startswith("The keeper painted it green. [1]")
    assert "<summary>Sources (1)</summary>" in shown and "[1] notes.txt</strong>, paragraph 3" in shown
    assert "Intro &lt;b&gt;bold&lt;/b&gt;. <mark>The keeper painted it green.</mark> After." in shown
    abstained = render_answer(Answer("I could not find this in the documents.", False, [citation]))
    assert abstained.startswith("**Not answered.**") and "<summary>Closest passages (1)</summary>" in abstained


# -- serve command and settings ---------------------------------------------------------------
def test_host_and_port_come_from_the_environment() -> None:
    settings = Settings.from_env({"BOT_HOST": "0.0.0.0", "BOT_PORT": "8123"})
    assert (settings.host, settings.port) == ("0.0.0.0", 8123)
    assert (Settings.from_env({}).host, Settings.from_env({}).port) == ("127.0.0.1", 7860)
    with pytest.raises(ConfigError, match="BOT_PORT"):
        Settings.from_env({"BOT_PORT": "seventy"})
    with pytest.raises(ConfigError, match="out of range"):
        Settings.from_env({"BOT_PORT": "70000"})


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "CHROMA_", "OPENAI_"))}
    env["BOT_DATA_DIR"] = str(data_dir)
    return env


@pytest.mark.slow
def test_bot_serve_prints_its_url_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", "0"], env=_env(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("bot is serving on http://127.0.0.1:"), line
        base = line.split()[4].rstrip("/")
        assert httpx.get(f"{base}/healthz", timeout=30).json()["documents"] == 0
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130 and "Traceback" not in err


def test_bot_serve_on_a_busy_port_says_what_to_do(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], env=_env(tmp_path),
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "--port" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_cli_does_not_import_the_web_stack() -> None:
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import bot.cli"],
                          capture_output=True, text=True, timeout=60)
    imported = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
    assert "bot" in imported
    assert not imported & {"gradio", "fastapi", "uvicorn", "starlette"}
