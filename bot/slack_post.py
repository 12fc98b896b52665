"""Posting chat messages to Slack, retried with backoff and logged, never dropped silently.

    deliver(lambda: post_message(client, channel="C1", text="..."), "the answer to event Ev1")

``post_message`` (``chat.postMessage``) and ``post_response`` (a slash command's
``response_url``) turn failures into ``PostError``; ``deliver`` retries the retryable ones
(a timeout, a refused connection, HTTP 429 or 5xx) and logs every failure by what it was
posting, never with the token or the response URL.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.webhook import WebhookClient

log = logging.getLogger(__name__)

#: Posting an answer: attempts, and the first backoff (doubled each time; a 429's
#: Retry-After wins, up to MAX_RETRY_AFTER seconds).
POST_ATTEMPTS = 4
POST_BACKOFF_SECONDS = 0.5
MAX_RETRY_AFTER = 30.0
POST_TIMEOUT_SECONDS = 10
#: Slack API errors worth another attempt (besides HTTP 429 and 5xx).
RETRYABLE_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}


class PostError(Exception):
    """Posting a message failed; ``retryable`` when another attempt may succeed."""

    def __init__(self, reason: str, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retryable, self.retry_after = retryable, retry_after


def deliver(post: Callable[[], None], what: str, attempts: int = POST_ATTEMPTS,
            backoff: float = POST_BACKOFF_SECONDS, sleep: Callable[[float], None] = time.sleep) -> bool:
    """Run ``post`` until it succeeds, retrying with exponential backoff; every failure is
    logged (``what`` names the message, never its secrets). False when it was given up."""
    for attempt in range(1, attempts + 1):
        try:
            post()
            if attempt > 1:
                log.info("posted %s on attempt %d", what, attempt)
            return True
        except PostError as exc:
            if not exc.retryable or attempt == attempts:
                log.error("could not post %s (%s) after %d attempt(s); the answer was not delivered",
                          what, exc, attempt)
                return False
            delay = min(exc.retry_after if exc.retry_after is not None else backoff * 2 ** (attempt - 1),
                        MAX_RETRY_AFTER)
            log.warning("posting %s failed (%s); retry %d of %d in %.1f s", what, exc, attempt, attempts - 1, delay)
            sleep(delay)
    return False


def _retry_after(headers: Any) -> float | None:
    try:
        value = (headers or {}).get("Retry-After") or (headers or {}).get("retry-after")
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def post_message(client: WebClient, **message: Any) -> None:
    """``chat.postMessage``, its failures as ``PostError``."""
    try:
        client.chat_postMessage(**message)
    except SlackApiError as exc:
        status, error = exc.response.status_code, exc.response.get("error")
        retryable = status == 429 or status >= 500 or error in RETRYABLE_ERRORS
        raise PostError(f"Slack answered HTTP {status}: {error}", retryable,
                        _retry_after(exc.response.headers)) from None
    except SlackRequestError as exc:
        raise PostError(f"bad request: {exc}", retryable=False) from None
    except (URLError, OSError) as exc:
        raise PostError(f"cannot reach Slack's API: {getattr(exc, 'reason', exc)}", retryable=True) from None


def post_response(url: str, payload: dict[str, Any]) -> None:
    """POST a message to a slash command's ``response_url``, its failures as ``PostError``."""
    try:
        response = WebhookClient(url, timeout=POST_TIMEOUT_SECONDS, logger=log).send_dict(payload)
    except SlackRequestError as exc:
        raise PostError(f"bad response_url: {exc}", retryable=False) from None
    except (URLError, OSError) as exc:
        raise PostError(f"cannot reach the response_url: {getattr(exc, 'reason', exc)}", retryable=True) from None
    status = response.status_code
    if status != 200:
        raise PostError(f"the response_url answered HTTP {status}: {response.body[:200]}",
                        retryable=status == 429 or status >= 500, retry_after=_retry_after(response.headers))
