"""The OpenAI-compatible server, through LangChain's ``ChatOpenAI``: prompts from
``prompts/*.md`` in, reply text out, every failure turned into one ``LLMError``.

Timeouts, 429 and 5xx are retried by the OpenAI client ``BOT_LLM_RETRIES`` times with
exponential backoff (0.5 s, 1 s, 2 s ..., or what the server's ``Retry-After`` asks);
``BOT_LLM_TIMEOUT`` bounds each wait. ``langchain_openai`` is imported on first use.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from bot.errors import LLMError
from bot.llm_output import SCHEMA
from bot.prompts import load

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable

log = logging.getLogger(__name__)


class LLMClient:
    """Sends a named prompt with its variables; yields the reply's text."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        #: Cleared for good when the server refuses a JSON-schema ``response_format``.
        self.structured = True
        self._model: Any = None
        self._chains: dict[tuple[str, bool], Runnable[dict[str, Any], Any]] = {}

    @property
    def model(self) -> Any:
        if self._model is None:
            self._model = build_model(self.settings)
        return self._model

    def complete(self, name: str, inputs: dict[str, Any]) -> str:
        """The whole reply to ``prompts/<name>.md`` as plain text (one request, no stream)."""
        return "".join(self.pieces(name, inputs, structured=False, streaming=False))

    def answer_pieces(self, inputs: dict[str, Any], streaming: bool = True) -> Generator[str, None, None]:
        """The reply to the answer prompt: JSON (``prompts/answer.md``) where the server takes
        a JSON schema, else the text format (``prompts/answer_text.md``). A server that
        refuses the schema is asked again, and from then on, in text."""
        while True:
            structured = self.structured
            try:
                yield from self.pieces("answer" if structured else "answer_text", inputs, structured, streaming,
                                       raw_errors=structured)
                return
            except LLMError:
                raise
            except Exception as exc:
                if not _refuses_schema(exc):
                    raise self._failure(exc) from None
                log.info("the server refused structured output (HTTP %s); using the text format", _status(exc))
                self.structured = False

    def pieces(self, name: str, inputs: dict[str, Any], structured: bool, streaming: bool = True,
               raw_errors: bool = False) -> Iterator[str]:
        """The reply's text in pieces (one piece when not streaming). Errors become an
        ``LLMError``, except a 400 when ``raw_errors`` (so the caller can retry without
        the schema)."""
        chain = self._chain(name, structured)
        try:
            if streaming:
                for chunk in chain.stream(inputs):
                    text = _text(chunk.content)
                    if text:
                        yield text
            else:
                yield _text(chain.invoke(inputs).content)
        except Exception as exc:  # the client's errors, after its own retries
            if raw_errors and _refuses_schema(exc):
                raise
            raise self._failure(exc) from None

    def ping(self) -> tuple[str, float]:
        """``bot doctor``: the reply to ``prompts/ping.md`` and the milliseconds it took."""
        started = time.perf_counter()
        reply = self.complete("ping", {}).strip()
        return reply, round((time.perf_counter() - started) * 1000, 1)

    def _chain(self, name: str, structured: bool) -> Runnable[dict[str, Any], Any]:
        key = (name, structured)
        if key not in self._chains:
            from langchain_core.prompts import ChatPromptTemplate

            prompt = ChatPromptTemplate.from_messages(list(load(name)))
            model = self.model
            if structured:
                model = model.bind(response_format={"type": "json_schema", "json_schema": SCHEMA})
            self._chains[key] = prompt | model
        return self._chains[key]

    def _failure(self, exc: Exception) -> LLMError:
        """One line saying what went wrong; the API key never appears in it or in the log."""
        status = _status(exc)
        kind = type(exc).__name__
        if "Timeout" in kind:
            reason = f"did not answer within {self.settings.llm_timeout:g} s"
        elif "Connection" in kind:
            reason = "could not be reached"
        elif status == 429:
            reason = "kept refusing with HTTP 429 (rate limited)"
        elif status in (401, 403):
            reason = f"refused the API key (HTTP {status}); check OPENAI_API_KEY"
        elif status == 404:
            reason = f"does not know the model {self.settings.llm_model!r} (HTTP 404); check BOT_LLM_MODEL"
        elif status is not None and status >= 500:
            reason = f"kept failing with HTTP {status}"
        elif status is not None:
            reason = f"refused the request with HTTP {status}"
        else:
            reason = f"failed ({kind})"
        detail = redact(str(exc), self.settings.openai_api_key)
        log.info("language model error: %s (%s: %s)", reason, kind, detail[:300])
        return LLMError(reason)


def build_model(settings: Settings) -> Any:
    """A ``ChatOpenAI`` for the configured server."""
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    return ChatOpenAI(
        model=settings.llm_model,
        api_key=SecretStr(settings.llm_api_key),
        # Given explicitly so the client never falls back to reading the environment itself.
        base_url=settings.openai_base_url or "https://api.openai.com/v1",
        timeout=settings.llm_timeout,
        max_retries=settings.llm_retries,
        temperature=0,
        stream_usage=False,
    )


def redact(text: str, secret: str | None) -> str:
    """``text`` with ``secret`` masked (and the prefix servers echo, as in "sk-abc...")."""
    if not secret or len(secret) < 8:
        return text
    return text.replace(secret, "***").replace(secret[:-4], "***")


def _refuses_schema(exc: Exception) -> bool:
    """A request refused because of its ``response_format``: HTTP 400 or 422, or a 5xx
    naming it (llama-cpp-python's server answers 500 to a type it does not know)."""
    status = _status(exc)
    if status in (400, 422):
        return True
    return status is not None and status >= 500 and ("response_format" in str(exc) or "json_schema" in str(exc))


def _status(exc: Exception) -> int | None:
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else None


def _text(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content blocks
        return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return ""
