"""Slack and chat webhooks over real HTTP: the whole app under uvicorn on 127.0.0.1, the seeds
in a temp Chroma, the real embedder, and a local mock of Slack's Web API (the only fake: Slack
itself is outside the machine). Requests are signed with slack_sdk's SignatureVerifier."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from slack_sdk.signature import SignatureVerifier

from bot import Bot, Settings
from bot.slack import SeenEvents, ThreadMemory
from bot.slack_format import answer_blocks, answer_mrkdwn, question_from_slack, split_share
from bot.types import Answer, Citation
from tests.conftest import SEEDS, SPEECH
from tests.fake_openai import FakeOpenAI, Reply
from tests.webserver import running

SECRET = "test-signing-secret-5f2a"
TOKEN = "xoxb-test-token-8c1d"
HOOK_TOKEN = "hook-token-77e0"
BOT_USER = "U0BOT"
CHONGQING = "Which forum will China hold in Chongqing?"
FOLLOW_UP = "Where will it be held?"


class MockSlack:
    """Slack's Web API and response_url endpoint on 127.0.0.1: records what the bot posts
    and can be told to fail the next posts."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.reset()

    def reset(self) -> None:
        with self.cond:
            self.posts: list[dict[str, Any]] = []
            self.responses: list[tuple[str, dict[str, Any]]] = []
            self.attempts = 0
            self.fail_next = 0
            self.fail_status = 500

    def app(self) -> FastAPI:
        api = FastAPI()

        @api.post("/api/chat.postMessage")
        async def post_message(request: Request) -> Any:
            raw = (await request.body()).decode()
            data = json.loads(raw) if "json" in request.headers.get("content-type", "") else dict(parse_qsl(raw))
            with self.cond:
                self.attempts += 1
                if self.fail_next > 0:
                    self.fail_next -= 1
                    error = "ratelimited" if self.fail_status == 429 else "internal_error"
                    return JSONResponse({"ok": False, "error": error}, status_code=self.fail_status,
                                        headers={"Retry-After": "0"} if self.fail_status == 429 else None)
                if request.headers.get("authorization") != f"Bearer {TOKEN}":
                    return {"ok": False, "error": "invalid_auth"}
                self.posts.append(data)
                self.cond.notify_all()
            return {"ok": True, "channel": data.get("channel"), "ts": f"{time.time():.6f}"}

        @api.post("/response/{hook}")
        async def response_url(hook: str, request: Request) -> Any:
            with self.cond:
                self.responses.append((hook, await request.json()))
                self.cond.notify_all()
            return PlainTextResponse("ok")

        return api

    def wait_for(self, what: str, count: int, timeout: float = 60.0) -> list[Any]:
        """Wait until ``count`` posts (``what`` = "posts" or "responses") have arrived."""
        with self.cond:
            if not self.cond.wait_for(lambda: len(getattr(self, what)) >= count, timeout):
                raise AssertionError(f"only {len(getattr(self, what))} of {count} {what} arrived")
            return list(getattr(self, what))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, MockSlack, Bot]]:
    """The mock Slack API and the whole app configured for it, both on real servers."""
    from bot.web import create_app

    mock = MockSlack()
    with running(mock.app()) as slack_url:
        settings = Settings(data_dir=tmp_path_factory.mktemp("slack"), slack_signing_secret=SECRET,
                            slack_bot_token=TOKEN, webhook_token=HOOK_TOKEN, slack_api_url=f"{slack_url}/api/")
        bot = Bot(settings)
        assert bot.ingest([SEEDS]).ok
        with running(create_app(bot)) as url:
            yield url, mock, bot
        bot.close()


@pytest.fixture
def url(world: tuple[str, MockSlack, Bot]) -> str:
    return world[0]


@pytest.fixture
def slack(world: tuple[str, MockSlack, Bot]) -> MockSlack:
    world[1].reset()
    return world[1]


def signed(body: str, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature or ""}


def envelope(event: dict[str, Any], event_id: str | None = None) -> str:
    return json.dumps({
        "token": "unused", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}", "event_time": int(time.time()),
        "authorizations": [{"enterprise_id": None, "team_id": "T1", "user_id": BOT_USER, "is_bot": True,
                            "is_enterprise_install": False}],
        "event": event,
    })


def new_ts() -> str:
    return f"{time.time():.6f}{uuid.uuid4().int % 1000:03d}"


def mention(text: str, ts: str, thread_ts: str | None = None, channel: str = "C1") -> dict[str, Any]:
    event = {"type": "app_mention", "user": "U0ALICE", "text": f"<@{BOT_USER}> {text}", "ts": ts,
             "channel": channel, "event_ts": ts}
    return event | ({"thread_ts": thread_ts} if thread_ts else {})


def dm(text: str, ts: str, **extra: Any) -> dict[str, Any]:
    return {"type": "message", "channel_type": "im", "user": "U0ALICE", "text": text, "ts": ts,
            "channel": "D1", "event_ts": ts} | extra


def send(url: str, body: str, headers: dict[str, str] | None = None, path: str = "/slack/events",
         content_type: str = "application/json", client: httpx.Client | None = None) -> httpx.Response:
    sent = {"content-type": content_type, **signed(body), **(headers or {})}
    if client is None:
        return httpx.post(f"{url}{path}", content=body, headers=sent, timeout=30)
    return client.post(f"{url}{path}", content=body, headers=sent)


def section(post: dict[str, Any]) -> str:
    return str(post["blocks"][0]["text"]["text"])


def context(post: dict[str, Any]) -> list[str]:
    return [e["text"] for e in post["blocks"][1]["elements"]]


def test_url_verification_answers_the_challenge(url: str) -> None:
    body = json.dumps({"token": "unused", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                       "type": "url_verification"})
    r = send(url, body)
    assert r.status_code == 200
    assert r.json()["challenge"] == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"


def test_a_mention_is_answered_in_its_thread_with_blocks_and_citations(url: str, slack: MockSlack) -> None:
    ts = new_ts()
    started = time.perf_counter()
    r = send(url, envelope(mention(CHONGQING, ts)))
    assert r.status_code == 200 and time.perf_counter() - started < 3
    [post] = slack.wait_for("posts", 1)
    assert post["channel"] == "C1" and post["thread_ts"] == ts
    assert [b["type"] for b in post["blocks"]] == ["section", "context"]
    assert post["blocks"][0]["text"]["type"] == "mrkdwn"
    assert "Digital Economy Industry Forum" in section(post) and "[1]" in section(post)
    sources = context(post)
    assert sources[0] == "*Sources:*"
    assert sources[1].startswith(f"[1] *{SPEECH}* ¶20: “") and "Chongqing" in sources[1]
    assert "Digital Economy Industry Forum" in post["text"] and f"{SPEECH} ¶20" in post["text"]


def test_a_direct_message_is_answered(url: str, slack: MockSlack) -> None:
    ts = new_ts()
    assert send(url, envelope(dm("Who presided over the meeting?", ts))).status_code == 200
    [post] = slack.wait_for("posts", 1)
    assert post["channel"] == "D1" and post["thread_ts"] == ts
    assert "Putin" in section(post)


def test_an_unanswerable_question_says_so_plainly(url: str, slack: MockSlack) -> None:
    send(url, envelope(mention("What did the summit decide about the 2031 Olympics?", new_ts())))
    [post] = slack.wait_for("posts", 1)
    assert section(post).startswith("I could not find this in the documents.")
    assert context(post)[0] == "*Closest passages:*" and len(context(post)) > 1


def test_a_retry_of_a_taken_event_is_acknowledged_but_not_answered_twice(url: str, slack: MockSlack) -> None:
    ts, event_id = new_ts(), "Ev0RETRY0001"
    body = envelope(mention(CHONGQING, ts), event_id)
    assert send(url, body).status_code == 200
    retry = send(url, body, {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert retry.status_code == 200
    later = new_ts()  # a new event in the same channel, answered after the retry was refused
    send(url, envelope(mention("Who presided over the meeting?", later)))
    posts = slack.wait_for("posts", 2)
    time.sleep(1.0)  # time for a wrongly accepted retry to be posted too
    threads = [p["thread_ts"] for p in slack.posts]
    assert sorted(threads) == sorted([ts, later]), posts


@pytest.mark.parametrize(("case", "message"), [
    ("bad signature", "signature does not match; check SLACK_SIGNING_SECRET"),
    ("stale timestamp", "over 5 minutes off"),
    ("missing header", "X-Slack-Signature headers are required"),
    ("not a number", "not a Unix time"),
])
@pytest.mark.parametrize("path", ["/slack/events", "/slack/commands"])
def test_unsigned_requests_are_refused_with_401(url: str, slack: MockSlack, case: str, message: str,
                                               path: str) -> None:
    body = envelope(mention(CHONGQING, new_ts()))
    headers = {
        "bad signature": signed(body, secret="not-the-secret"),
        "stale timestamp": signed(body, timestamp=int(time.time()) - 6 * 60),
        "missing header": {"X-Slack-Request-Timestamp": str(int(time.time()))},
        "not a number": {**signed(body), "X-Slack-Request-Timestamp": "soon"},
    }[case]
    r = httpx.post(f"{url}{path}", content=body, headers={"content-type": "application/json", **headers})
    assert r.status_code == 401 and r.headers["content-type"] == "application/json"
    assert message in r.json()["error"]
    time.sleep(0.5)
    assert slack.attempts == 0  # refused requests are not processed


def test_an_oversized_body_is_refused_with_413(url: str, slack: MockSlack) -> None:
    body = envelope(mention("x" * 300_000, new_ts()))
    r = send(url, body)
    assert r.status_code == 413 and "over 256 KB" in r.json()["error"]


@pytest.mark.parametrize("event", [
    dm("I am the bot", "1.1", user=BOT_USER),                                  # its own user id
    dm("bot reply", "1.2", bot_id="B0BOT", user=BOT_USER),                     # its own posts
    dm("other bot", "1.3", subtype="bot_message", bot_id="B0OTHER", user=None),  # another bot
    dm("edited", "1.4", subtype="message_changed"),                             # not a new message
    {**dm("channel chatter", "1.5"), "channel_type": "channel"},               # not a DM
])
def test_bot_messages_and_other_events_are_ignored(url: str, slack: MockSlack, event: dict[str, Any]) -> None:
    assert send(url, envelope({k: v for k, v in event.items() if v is not None})).status_code == 200
    sentinel = new_ts()
    send(url, envelope(dm("Who presided over the meeting?", sentinel)))
    slack.wait_for("posts", 1)
    time.sleep(0.5)
    assert [p["thread_ts"] for p in slack.posts] == [sentinel]


def test_other_event_types_are_acknowledged(url: str) -> None:
    r = send(url, envelope({"type": "reaction_added", "user": "U0ALICE", "reaction": "thumbsup",
                            "item": {"type": "message", "channel": "C1", "ts": "1.1"}, "event_ts": "1.2"}))
    assert r.status_code == 200


def command(text: str, hook: str, base: str) -> str:
    return urlencode({"token": "unused", "team_id": "T1", "channel_id": "C1", "user_id": "U0ALICE",
                      "command": "/ask", "text": text, "response_url": f"{base}/response/{hook}",
                      "trigger_id": "1.2.3"})


@pytest.mark.parametrize(("text", "response_type"), [
    (CHONGQING, "ephemeral"), (f"--share {CHONGQING}", "in_channel"),
])
def test_the_slash_command_answers_through_its_response_url(world: tuple[str, MockSlack, Bot], slack: MockSlack,
                                                            text: str, response_type: str) -> None:
    started = time.perf_counter()  # the response_url points at the mock's /response/ endpoint
    r = send(world[0], command(text, "h1", _mock_url(world)), path="/slack/commands",
             content_type="application/x-www-form-urlencoded")
    assert r.status_code == 200 and time.perf_counter() - started < 3
    ack = r.json()
    assert ack["response_type"] == "ephemeral" and ack["text"] == f"Looking that up: “{CHONGQING}”…"
    [(hook, payload)] = slack.wait_for("responses", 1)
    assert hook == "h1" and payload["response_type"] == response_type
    assert "Digital Economy Industry Forum" in payload["blocks"][0]["text"]["text"]
    assert f"*{SPEECH}* ¶20" in payload["blocks"][1]["elements"][1]["text"]
    assert "Digital Economy Industry Forum" in payload["text"]


def _mock_url(world: tuple[str, MockSlack, Bot]) -> str:
    return world[2].settings.slack_api_url.removesuffix("/api/")


def test_the_slash_command_without_a_question_shows_its_usage(world: tuple[str, MockSlack, Bot],
                                                              slack: MockSlack) -> None:
    r = send(world[0], command("  --share ", "h2", _mock_url(world)), path="/slack/commands",
             content_type="application/x-www-form-urlencoded")
    assert r.status_code == 200 and r.json()["text"].startswith("Usage: `/ask [--share] your question")
    time.sleep(0.5)
    assert slack.responses == []


def test_the_slash_command_refuses_a_too_long_question_at_once(world: tuple[str, MockSlack, Bot],
                                                                slack: MockSlack) -> None:
    r = send(world[0], command("why " * 600, "h3", _mock_url(world)), path="/slack/commands",
             content_type="application/x-www-form-urlencoded")
    assert r.status_code == 200 and r.json()["response_type"] == "ephemeral"
    assert r.json()["text"].startswith("⚠️ the question is 2399 characters long, over the limit of 2000")
    time.sleep(0.5)
    assert slack.responses == []


@pytest.mark.parametrize("as_json", [False, True])
def test_the_mattermost_webhook_answers_inline(url: str, as_json: bool) -> None:
    fields = {"token": HOOK_TOKEN, "team_domain": "team", "channel_name": "town-square", "user_name": "alice",
              "text": f"bot: {CHONGQING}", "trigger_word": "bot"}
    r = httpx.post(f"{url}/webhook", json=fields, timeout=30) if as_json else \
        httpx.post(f"{url}/webhook", data=fields, timeout=30)
    assert r.status_code == 200
    text = r.json()["text"]
    assert "Digital Economy Industry Forum" in text and "[1]" in text
    assert "*Sources:*" in text and f"> [1] *{SPEECH}* ¶20: “" in text


def test_the_webhook_reports_a_bad_question_inline(url: str) -> None:
    r = httpx.post(f"{url}/webhook", data={"token": HOOK_TOKEN, "text": "bot", "trigger_word": "bot"})
    assert r.status_code == 200 and r.json() == {"text": "⚠️ the question is empty; type a question about the documents"}


def test_the_webhook_reports_an_unexpected_failure_in_the_channel(world: tuple[str, MockSlack, Bot],
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: Any, **kwargs: Any) -> Answer:
        raise RuntimeError("disk on fire at /secret/path")

    monkeypatch.setattr(world[2], "ask", broken)
    r = httpx.post(f"{world[0]}/webhook", data={"token": HOOK_TOKEN, "text": CHONGQING}, timeout=30)
    assert r.status_code == 200
    assert r.json() == {"text": "⚠️ something went wrong while answering; the server log has the details"}
    assert "/secret/path" not in r.text and "disk on fire" in caplog.text


@pytest.mark.parametrize("as_json", [False, True])
@pytest.mark.parametrize("token", ["wrong-token", "", None])
def test_the_webhook_refuses_a_wrong_token(url: str, as_json: bool, token: str | None) -> None:
    fields = {"text": CHONGQING} | ({"token": token} if token is not None else {})
    r = httpx.post(f"{url}/webhook", json=fields) if as_json else httpx.post(f"{url}/webhook", data=fields)
    assert r.status_code == 401 and "BOT_WEBHOOK_TOKEN" in r.json()["error"]


def test_a_failed_post_is_retried_and_logged(url: str, slack: MockSlack, caplog: pytest.LogCaptureFixture) -> None:
    slack.fail_next = 2
    with caplog.at_level(logging.INFO, logger="bot"):
        send(url, envelope(mention(CHONGQING, new_ts())))
        [post] = slack.wait_for("posts", 1)
        _wait_for_log(caplog, "on attempt 3")
    assert "Digital Economy Industry Forum" in section(post)
    assert slack.attempts == 3
    assert "(Slack answered HTTP 500: internal_error); retry 1 of 3 in 0.5 s" in caplog.text
    assert "retry 2 of 3 in 1.0 s" in caplog.text and "retry 3 of 3" not in caplog.text
    for secret in (SECRET, TOKEN):
        assert secret not in caplog.text


def _wait_for_log(caplog: pytest.LogCaptureFixture, text: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in caplog.text:
        assert time.monotonic() < deadline, f"{text!r} was never logged"
        time.sleep(0.05)


@pytest.mark.slow
def test_a_post_that_keeps_failing_is_logged_as_not_delivered(url: str, slack: MockSlack,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    slack.fail_next, slack.fail_status = 10, 429
    with caplog.at_level(logging.INFO, logger="bot"):
        send(url, envelope(mention(CHONGQING, new_ts(), channel="C9")))
        _wait_for_log(caplog, "not delivered")
    assert slack.attempts == 4 and slack.posts == []
    assert "could not post the answer to event" in caplog.text and "in channel C9" in caplog.text
    assert "HTTP 429: ratelimited" in caplog.text and "after 4 attempt(s); the answer was not delivered" in caplog.text
    assert TOKEN not in caplog.text


def test_a_thread_follow_up_uses_the_earlier_turns(url: str, slack: MockSlack) -> None:
    root = new_ts()
    send(url, envelope(mention(CHONGQING, root)))
    slack.wait_for("posts", 1)
    send(url, envelope(mention(FOLLOW_UP, new_ts(), thread_ts=root)))
    follow = slack.wait_for("posts", 2)[1]
    assert follow["thread_ts"] == root
    assert "Digital Economy Industry Forum in Chongqing" in section(follow)
    # the same words in a new thread have no history to lean on
    send(url, envelope(mention(FOLLOW_UP, new_ts())))
    alone = slack.wait_for("posts", 3)[2]
    assert section(alone).startswith("I could not find this in the documents.")


@pytest.mark.slow
def test_a_hundred_simultaneous_events_get_a_hundred_answers(url: str, slack: MockSlack) -> None:
    questions = [CHONGQING, "Who presided over the meeting?", "How many youth exchange places will China provide?",
                 "Which UN official attended the meeting?"]
    bodies = [(new_ts(), f"Ev{n:08d}") for n in range(100)]
    events = [envelope(mention(questions[n % 4], ts), event_id) for n, (ts, event_id) in enumerate(bodies)]
    retries = events[::5]  # 20 of them delivered twice, as Slack's retries
    start = threading.Barrier(len(events) + len(retries))

    def deliver(item: tuple[str, dict[str, str]]) -> tuple[int, float]:
        body, extra = item
        with httpx.Client(timeout=30) as client:
            start.wait()
            began = time.perf_counter()
            r = send(url, body, extra, client=client)
            return r.status_code, time.perf_counter() - began

    work = [(b, {}) for b in events] + [(b, {"X-Slack-Retry-Num": "1"}) for b in retries]
    with ThreadPoolExecutor(len(work)) as pool:
        results = list(pool.map(deliver, work))
    assert [status for status, _ in results] == [200] * len(work)
    slowest = max(seconds for _, seconds in results)
    assert slowest < 3, f"slowest acknowledgement took {slowest:.2f} s"
    posts = slack.wait_for("posts", 100, timeout=180)
    time.sleep(1.0)
    assert len(slack.posts) == 100
    assert sorted(p["thread_ts"] for p in posts) == sorted(ts for ts, _ in bodies)
    expected = {ts: ["Digital Economy", "Putin", "600", "Guterres"][n % 4] for n, (ts, _) in enumerate(bodies)}
    assert all(expected[p["thread_ts"]] in section(p) for p in posts)


@pytest.mark.slow
def test_a_slow_language_model_does_not_delay_the_acknowledgement(world: tuple[str, MockSlack, Bot],
                                                                 slack: MockSlack) -> None:
    """Sixteen mentions at once while every answer waits 4 s for the (fake) LLM server: all
    are acknowledged at once, all answered later."""
    from bot.web import create_app

    llm = FakeOpenAI.start()
    llm.default = Reply("", hang=4)  # an unreadable reply after 4 s: the extractive fallback answers
    settings = world[2].settings.with_(openai_base_url=llm.url, llm_timeout=10.0, llm_retries=0)
    try:
        with Bot(settings) as bot, running(create_app(bot)) as slow_url:
            threads = [new_ts() for _ in range(16)]
            started = time.perf_counter()
            with ThreadPoolExecutor(len(threads)) as pool:
                acks = list(pool.map(lambda ts: send(slow_url, envelope(mention(CHONGQING, ts))), threads))
            acked = time.perf_counter() - started
            posts = slack.wait_for("posts", len(threads), timeout=60)
            answered = time.perf_counter() - started
    finally:
        llm.stop()
    assert [r.status_code for r in acks] == [200] * len(threads)
    assert acked < 3 and answered >= 4  # two rounds of 8 workers: about 8 s
    assert sorted(p["thread_ts"] for p in posts) == sorted(threads)
    assert all("Digital Economy Industry Forum" in section(p) for p in posts)


def test_answers_still_queued_at_shutdown_are_logged(world: tuple[str, MockSlack, Bot], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    from bot import slack as chat_module

    monkeypatch.setattr(chat_module, "DRAIN_SECONDS", 0.2)
    service = chat_module.ChatService(world[2], Settings(data_dir=tmp_path))
    release = threading.Event()
    for _ in range(chat_module.CHAT_WORKERS + 2):
        service.submit(release.wait, 5)
    try:
        service.close()
    finally:
        release.set()
    assert "shutting down with 10 chat answer(s) not yet posted; they were not delivered" in caplog.text


def test_routes_answer_503_until_configured(tmp_path: Path) -> None:
    from bot.web import create_app

    with Bot(Settings(data_dir=tmp_path, slack_bot_token=TOKEN)) as bot, running(create_app(bot)) as other:
        events = send(other, envelope(mention(CHONGQING, "1.1")))
        command = send(other, "text=hi", path="/slack/commands", content_type="application/x-www-form-urlencoded")
        hook = httpx.post(f"{other}/webhook", data={"token": "x", "text": CHONGQING})
    assert events.status_code == command.status_code == hook.status_code == 503
    assert events.json()["error"] == ("Slack is not configured on this server: set SLACK_SIGNING_SECRET "
                                      "(see README, 'Slack and chat webhooks') and restart it")
    assert "set BOT_WEBHOOK_TOKEN" in hook.json()["error"]


def test_secrets_come_from_the_environment_and_stay_masked() -> None:
    s = Settings.from_env({"SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": TOKEN, "BOT_WEBHOOK_TOKEN": HOOK_TOKEN,
                           "SLACK_API_URL": "http://127.0.0.1:9/api/"})
    assert (s.slack_signing_secret, s.slack_bot_token, s.webhook_token) == (SECRET, TOKEN, HOOK_TOKEN)
    assert s.slack_api_url == "http://127.0.0.1:9/api/"
    shown = repr(s) + json.dumps(s.describe())
    assert SECRET not in shown and TOKEN not in shown and HOOK_TOKEN not in shown
    assert s.describe()["slack_bot_token"] == "***" and Settings().describe()["slack_bot_token"] is None
    assert Settings().slack_api_url == "https://slack.com/api/"


def test_slack_text_becomes_a_plain_question() -> None:
    text = f"<@{BOT_USER}> what did <@U0BOB|bob> say in <#C1|general> about &lt;tags&gt; &amp; <https://x.org|this>?"
    assert question_from_slack(text, {BOT_USER}) == "what did @bob say in #general about <tags> & this?"
    assert question_from_slack("<@U0SOMEONE> hello there") == "hello there"  # bot id unknown: leading mention
    assert split_share("--share  Who presided? ") == ("Who presided?", True)
    assert split_share("Who presided? --share") == ("Who presided?", True)
    assert split_share("Who shares --shares?") == ("Who shares --shares?", False)


def test_answers_are_escaped_for_slack() -> None:
    cite = Citation("a&b<c>.txt", 3, "It is <b>bold</b> & true.", "<b>bold</b> & true", 0.9)
    text, blocks = answer_blocks(Answer("It is <b>bold</b> & true. [1]", True, [cite]))
    assert blocks[0]["text"]["text"] == "It is &lt;b&gt;bold&lt;/b&gt; &amp; true. [1]"
    assert blocks[1]["elements"][1]["text"] == "[1] *a&amp;b&lt;c&gt;.txt* ¶3: “&lt;b&gt;bold&lt;/b&gt; &amp; true”"
    assert text.startswith("It is <b>bold</b> & true. [1]")  # the fallback is plain text
    assert "&lt;b&gt;" in answer_mrkdwn(Answer("<b>", True, [cite]))
    long = Citation("d.txt", 1, "word " * 100, "word " * 100, 0.5)
    quote = answer_blocks(Answer("x", True, [long]))[1][1]["elements"][1]["text"]
    assert quote.endswith("…”") and len(quote) < 180


def test_seen_events_expire_and_stay_bounded() -> None:
    now = [0.0]
    seen = SeenEvents(ttl=10, max_items=3, clock=lambda: now[0])
    assert seen.first("a") and not seen.first("a")
    now[0] = 11
    assert seen.first("a")  # expired, taken again
    assert seen.first("b") and seen.first("c") and seen.first("d")
    assert seen.first("a")  # pushed out by the bound (oldest first)


def test_thread_memory_keeps_the_last_turns_of_recent_threads() -> None:
    memory = ThreadMemory(max_threads=2, max_messages=4)
    for n in range(3):
        with memory.open(("C1", "1")) as thread:
            thread.add(f"q{n}", f"a{n}")
    with memory.open(("C1", "1")) as thread:
        assert [m["content"] for m in thread.messages] == ["q1", "a1", "q2", "a2"]
    for key in (("C1", "2"), ("C1", "3")):
        with memory.open(key):
            pass
    with memory.open(("C1", "1")) as thread:
        assert thread.messages == []  # the least recently used thread was dropped
