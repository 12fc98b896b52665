"""Slack (Events API, slash command) and Slack-compatible outgoing webhooks on the web app.

    export SLACK_SIGNING_SECRET=... SLACK_BOT_TOKEN=xoxb-...   # the Slack app's credentials
    export BOT_WEBHOOK_TOKEN=...                                # Mattermost / Rocket.Chat
    bot serve --host 0.0.0.0                                    # Slack must reach it over HTTPS

Routes (added to ``bot.web.create_app``'s app by ``add_chat_routes``):

- ``POST /slack/events``: ``url_verification``; ``app_mention`` and direct messages
  (``message.im``) are acknowledged at once and answered in their thread by
  ``chat.postMessage`` from a worker pool.
- ``POST /slack/commands``: ``/ask [--share] question``: an ephemeral acknowledgement, then
  the answer posted to the command's ``response_url`` (in the channel with ``--share``).
- ``POST /webhook``: an outgoing webhook (form or JSON with ``token`` and ``text``),
  answered inline as ``{"text": ...}``.

Slack requests go through Bolt (``slack_bolt``) and its FastAPI adapter; the signature
(v0 HMAC-SHA256 over timestamp and body, timestamp within 5 minutes, constant-time
compare) is checked before Bolt sees a request, so a refusal is a 401 with a JSON body
saying why. Listeners run before the response (``process_before_response=True``) but only
filter, de-duplicate and queue: the answer is computed and posted by the worker pool, with
retries, so the 3-second acknowledgement never waits for the answerer. Event ids already
taken (Slack's retries) are acknowledged and not answered again. Both the de-duplication
cache and the threads' history live in this process's memory. Posting, with its retries,
is ``bot.slack_post``; the messages' wording and blocks are ``bot.slack_format``.
"""

from __future__ import annotations

import hmac
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier
from starlette.concurrency import run_in_threadpool

from bot.config import Settings
from bot.core import Bot
from bot.errors import BotError
from bot.slack_format import (
    answer_blocks,
    answer_mrkdwn,
    error_blocks,
    escape,
    question_from_slack,
    split_share,
)
from bot.slack_post import POST_TIMEOUT_SECONDS, deliver, post_message, post_response
from bot.types import Answer

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_bolt.adapter.fastapi import SlackRequestHandler

log = logging.getLogger(__name__)

#: Threads answering chat questions and posting the answers.
CHAT_WORKERS = 8
#: Event ids remembered to recognise Slack's retries (Slack retries for about 5 minutes).
SEEN_TTL_SECONDS = 3600.0
SEEN_MAX = 10_000
#: Slack threads whose history is kept, and the messages kept per thread (5 turns).
MAX_THREADS = 1000
MAX_THREAD_MESSAGES = 10
#: Seconds the server waits at shutdown for answers still being worked on.
DRAIN_SECONDS = 5.0
#: Slack refuses requests whose timestamp is further off than this.
MAX_CLOCK_SKEW = 300

SLACK_UNSET = ("Slack is not configured on this server: set {missing} (see README, "
               "'Slack and chat webhooks') and restart it")
WEBHOOK_UNSET = ("the chat webhook is not configured on this server: set BOT_WEBHOOK_TOKEN to the "
                 "outgoing webhook's token and restart it")
FAILED = "something went wrong while answering; the server log has the details"


class SeenEvents:
    """Event ids taken in the last ``ttl`` seconds (at most ``max_items``), to answer each once."""

    def __init__(self, ttl: float = SEEN_TTL_SECONDS, max_items: int = SEEN_MAX,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.max_items, self.clock = ttl, max_items, clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first(self, key: str) -> bool:
        """True the first time ``key`` is offered (within the TTL), False after."""
        now = self.clock()
        with self._lock:
            while self._seen and (len(self._seen) >= self.max_items
                                  or next(iter(self._seen.values())) <= now - self.ttl):
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now
            return True


@dataclass
class Thread:
    """One Slack thread's conversation, oldest message first."""

    limit: int
    messages: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, question: str, answer: str) -> None:
        self.messages += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
        del self.messages[: -self.limit]


class ThreadMemory:
    """The history of the most recent ``max_threads`` threads. ``open`` holds the thread's
    lock, so the turns of one thread are answered one after the other, in arrival order."""

    def __init__(self, max_threads: int = MAX_THREADS, max_messages: int = MAX_THREAD_MESSAGES) -> None:
        self.max_threads, self.max_messages = max_threads, max_messages
        self._threads: OrderedDict[tuple[str, str], Thread] = OrderedDict()
        self._lock = threading.Lock()

    @contextmanager
    def open(self, key: tuple[str, str]) -> Iterator[Thread]:
        with self._lock:
            thread = self._threads.pop(key, None) or Thread(self.max_messages)
            self._threads[key] = thread
            while len(self._threads) > self.max_threads:
                self._threads.popitem(last=False)
        with thread.lock:
            yield thread


def signature_problem(verifier: SignatureVerifier, headers: Any, body: bytes,
                      now: Callable[[], float] = time.time) -> str | None:
    """Why a request is not from Slack (None when it is): headers present, timestamp within
    5 minutes, and a v0 HMAC-SHA256 signature that matches (compared in constant time)."""
    timestamp, signature = headers.get("x-slack-request-timestamp"), headers.get("x-slack-signature")
    if not timestamp or not signature:
        return "the X-Slack-Request-Timestamp and X-Slack-Signature headers are required; only Slack may call this"
    if not timestamp.strip().isdigit():
        return "X-Slack-Request-Timestamp is not a Unix time in seconds"
    if abs(now() - int(timestamp)) > MAX_CLOCK_SKEW:
        return "the request timestamp is over 5 minutes off (a replayed request, or this server's clock is wrong)"
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "the request body is not UTF-8 text"
    if not verifier.is_valid(body, timestamp, signature):
        return "the request signature does not match; check SLACK_SIGNING_SECRET"
    return None


def _bot_user_ids(body: dict[str, Any]) -> set[str]:
    """The app's own bot user ids, as the Events API envelope lists them."""
    return {str(a["user_id"]) for a in body.get("authorizations") or [] if a.get("is_bot") and a.get("user_id")}


def wanted(event: dict[str, Any], bot_ids: set[str]) -> bool:
    """A mention, or a direct message, written by a person (never by a bot, this one included)."""
    if event.get("bot_id") or event.get("subtype") or event.get("user") in bot_ids or not event.get("user"):
        return False
    if event.get("type") == "app_mention":
        return True
    return event.get("type") == "message" and event.get("channel_type") == "im"


class ChatService:
    """The chat integrations of one app: the worker pool, Slack's Bolt app, the event-id
    cache and the threads' history. ``close()`` (from the app's lifespan) drains the pool."""

    def __init__(self, bot: Bot, settings: Settings) -> None:
        self.bot, self.settings = bot, settings
        self.pool = ThreadPoolExecutor(max_workers=CHAT_WORKERS, thread_name_prefix="bot-chat")
        self.seen = SeenEvents()
        self.threads = ThreadMemory()
        self._pending: set[Future[None]] = set()
        self._pending_lock = threading.Lock()
        self.missing = [name for name, value in (("SLACK_SIGNING_SECRET", settings.slack_signing_secret),
                                                 ("SLACK_BOT_TOKEN", settings.slack_bot_token)) if not value]
        self.client: WebClient | None = None
        self.handler: SlackRequestHandler | None = None
        self.verifier: SignatureVerifier | None = None
        secret, token = settings.slack_signing_secret, settings.slack_bot_token
        if secret and token:
            from slack_bolt.adapter.fastapi import SlackRequestHandler

            self.verifier = SignatureVerifier(secret)
            # retry_handlers=[]: deliver() owns the retries (and logs them).
            self.client = WebClient(token=token, base_url=settings.slack_api_url,
                                    timeout=POST_TIMEOUT_SECONDS, logger=log, retry_handlers=[])
            self.handler = SlackRequestHandler(self._bolt_app(secret, token))

    # -- the worker pool -------------------------------------------------------------------
    def submit(self, job: Callable[..., None], *args: Any) -> None:
        future = self.pool.submit(job, *args)
        with self._pending_lock:
            self._pending.add(future)
        future.add_done_callback(self._finished)

    def _finished(self, future: Future[None]) -> None:
        with self._pending_lock:
            self._pending.discard(future)
        if not future.cancelled() and future.exception() is not None:
            log.error("a chat answer failed", exc_info=future.exception())

    def close(self) -> None:
        """Wait up to DRAIN_SECONDS for answers in progress, then stop the pool; any answer
        still queued is logged as not delivered."""
        with self._pending_lock:
            pending = set(self._pending)
        _, left = wait(pending, timeout=DRAIN_SECONDS)
        self.pool.shutdown(wait=False, cancel_futures=True)
        if left:
            log.error("shutting down with %d chat answer(s) not yet posted; they were not delivered", len(left))

    # -- answering ---------------------------------------------------------------------------
    def compose(self, question: str, history: list[dict[str, str]]) -> tuple[str, list[dict[str, Any]], Answer | None]:
        """The message for ``question``: the answer's text and blocks, or the problem in one line."""
        try:
            answer = self.bot.ask(question, history)
        except BotError as exc:
            return (*error_blocks(str(exc)), None)
        except Exception:
            log.exception("answering a chat question failed")
            return (*error_blocks(FAILED), None)
        return (*answer_blocks(answer), answer)

    def answer_event(self, event_id: str, event: dict[str, Any], bot_ids: set[str]) -> None:
        """Answer a mention or direct message in its thread (a new thread for a top-level
        message); earlier turns of the thread are the history."""
        client = self.client
        if client is None:  # events reach this only when Slack is configured
            return
        channel, root = str(event.get("channel")), str(event.get("thread_ts") or event.get("ts"))
        question = question_from_slack(str(event.get("text") or ""), bot_ids)
        with self.threads.open((channel, root)) as thread:
            text, blocks, answer = self.compose(question, list(thread.messages))
            if answer is not None:
                thread.add(question, answer.answer)
            deliver(lambda: post_message(client, channel=channel, thread_ts=root, text=text, blocks=blocks),
                    f"the answer to event {event_id} in channel {channel}")

    def answer_command(self, question: str, share: bool, response_url: str, where: str) -> None:
        """Answer a slash command through its ``response_url``."""
        text, blocks, _ = self.compose(question, [])
        payload = {"response_type": "in_channel" if share else "ephemeral", "replace_original": False,
                   "text": text, "blocks": blocks}
        deliver(lambda: post_response(response_url, payload), f"the slash command answer {where}")

    # -- Bolt ----------------------------------------------------------------------------------
    def _bolt_app(self, secret: str, token: str) -> App:
        from slack_bolt import App
        from slack_bolt.authorization import AuthorizeResult

        def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
            # No auth.test call: Bolt's default makes one in the request path (or at start-up),
            # which needs Slack reachable; the token is checked by the first chat.postMessage.
            return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token=token)

        app = App(signing_secret=secret, authorize=authorize,
                  process_before_response=True, listener_executor=self.pool,
                  logger=logging.getLogger("bot.slack.bolt"),
                  client=WebClient(base_url=self.settings.slack_api_url, logger=log, retry_handlers=[]))

        def on_event(body: dict[str, Any], event: dict[str, Any], request: Any) -> None:
            bot_ids = _bot_user_ids(body)
            if not wanted(event, bot_ids):
                return
            event_id = str(body.get("event_id") or f"{event.get('channel')}:{event.get('ts')}")
            if not self.seen.first(event_id):
                retry = request.headers.get("x-slack-retry-num", ["?"])[0]
                log.info("event %s was already taken; Slack's retry %s acknowledged, not answered again",
                         event_id, retry)
                return
            self.submit(self.answer_event, event_id, event, bot_ids)

        def on_command(ack: Any, command: dict[str, Any]) -> None:
            name = command.get("command") or "/ask"
            question, share = split_share(str(command.get("text") or ""))
            url = str(command.get("response_url") or "")
            if not question:
                ack(text=f"Usage: `{escape(name)} [--share] your question about the documents`",
                    response_type="ephemeral")
                return
            try:
                question = self.bot.check_question(question)
            except BotError as exc:
                ack(text=f"⚠️ {escape(str(exc))}", response_type="ephemeral")
                return
            if not url.startswith(("https://", "http://")):
                ack(text="⚠️ Slack sent no response_url with this command; try again", response_type="ephemeral")
                return
            ack(text=f"Looking that up: “{escape(question)}”…", response_type="ephemeral")
            where = f"for user {command.get('user_id')} in channel {command.get('channel_id')}"
            self.submit(self.answer_command, question, share, url, where)

        def ignore() -> None:
            """Other events are acknowledged, so Slack does not retry them."""

        app.event("app_mention")(on_event)
        app.event("message")(on_event)
        app.event(re.compile(".*"))(ignore)
        app.command(re.compile("^/"))(on_command)
        return app

    async def slack_request(self, request: Request) -> Response:
        """A request to /slack/events or /slack/commands: 503 until configured, 401 unless
        Slack signed it, else Bolt's answer (the acknowledgement)."""
        if self.handler is None or self.verifier is None:
            raise HTTPException(503, SLACK_UNSET.format(missing=" and ".join(self.missing)))
        problem = signature_problem(self.verifier, request.headers, await request.body())
        if problem:
            log.warning("refused a request to %s: %s", request.url.path, problem)
            return JSONResponse({"error": problem}, status_code=401)
        # Bolt's FastAPI adapter dispatches synchronously on the event loop; run the
        # dispatch (checks, listeners that queue the answer) in a worker thread instead.
        from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
        from starlette.concurrency import run_in_threadpool

        bolt_request = to_bolt_request(request, await request.body())
        return to_starlette_response(await run_in_threadpool(self.handler.app.dispatch, bolt_request))

    # -- Mattermost / Rocket.Chat ------------------------------------------------------------
    async def webhook(self, request: Request) -> dict[str, str]:
        """An outgoing webhook: the token checked in constant time, the answer inline."""
        expected = self.settings.webhook_token
        if not expected:
            raise HTTPException(503, WEBHOOK_UNSET)
        payload = await _webhook_payload(request)
        given = str(payload.get("token") or "")
        if not hmac.compare_digest(given.encode(), expected.encode()):
            log.warning("refused a webhook call: wrong or missing token")
            raise HTTPException(401, "the webhook token is missing or wrong; "
                                     "give the outgoing webhook the token set in BOT_WEBHOOK_TOKEN")
        text, trigger = str(payload.get("text") or ""), str(payload.get("trigger_word") or "")
        if trigger and text.startswith(trigger):
            text = text[len(trigger):]
        question = question_from_slack(text.lstrip(" :,"))
        try:
            answer = await run_in_threadpool(self.bot.ask, question)
        except BotError as exc:
            return {"text": f"⚠️ {escape(str(exc))}"}
        except Exception:  # a chat app shows an error status as silence: say it in the channel
            log.exception("answering a webhook question failed")
            return {"text": f"⚠️ {FAILED}"}
        return {"text": answer_mrkdwn(answer)}


async def _webhook_payload(request: Request) -> dict[str, Any]:
    """The webhook's fields, from JSON or a form (Mattermost sends either)."""
    if "json" in request.headers.get("content-type", ""):
        try:
            data = await request.json()
        except ValueError:
            raise HTTPException(400, 'the request body is not valid JSON; send {"token": ..., "text": ...}') from None
        if not isinstance(data, dict):
            raise HTTPException(400, "the JSON body must be an object with token and text")
        return data
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


def add_chat_routes(app: FastAPI, bot: Bot, settings: Settings) -> ChatService:
    """Add /slack/events, /slack/commands and /webhook to ``app``; the caller closes the
    returned service when the app stops."""
    chat = ChatService(bot, settings)

    @app.post("/slack/events", tags=["chat"])
    async def slack_events(request: Request) -> Response:
        """Slack's Events API (signed by Slack): url_verification, app_mention, message.im."""
        return await chat.slack_request(request)

    @app.post("/slack/commands", tags=["chat"])
    async def slack_commands(request: Request) -> Response:
        """Slack slash commands (signed by Slack): `/ask [--share] question`."""
        return await chat.slack_request(request)

    @app.post("/webhook", tags=["chat"])
    async def webhook(request: Request) -> dict[str, str]:
        """A Slack-compatible outgoing webhook (Mattermost, Rocket.Chat): form or JSON with
        `token` and `text`; answers `{"text": ...}`."""
        return await chat.webhook(request)

    return chat
