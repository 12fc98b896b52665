"""Errors raised by bot. Every message says what went wrong and what to do.

    BotError
    ├── InputError          a question the bot will not take (empty, too long)
    │   └── QuestionTooLongError   over ``Settings.max_question_chars`` (HTTP 413)
    ├── IngestError         a path or file that cannot be ingested
    ├── EmptyIndexError     asking before anything is ingested
    ├── StoreError          the Chroma store cannot be reached or opened
    ├── ModelError          the embedding model files are missing or corrupt
    ├── ConfigError         a bad environment variable or setting
    └── LLMError            the LLM server failed (the bot then answers extractively)

Interfaces (CLI, web, webhook) catch ``BotError`` and show ``str(error)``: one line,
no stack trace.
"""

from __future__ import annotations


class BotError(Exception):
    """Base class of every error bot raises on purpose."""


class InputError(BotError, ValueError):
    """The question is empty, too long or not text."""


class QuestionTooLongError(InputError):
    """The question is longer than the configured limit."""


class IngestError(BotError):
    """A path does not exist or a file cannot be read as text."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class EmptyIndexError(BotError):
    """Nothing has been ingested yet."""


class StoreError(BotError):
    """The vector store cannot be opened or reached."""


class ModelError(BotError):
    """The embedding model is missing, or its file does not match its checksum."""


class ConfigError(BotError, ValueError):
    """A setting (usually an environment variable) has a bad value."""


class LLMError(BotError):
    """The LLM server timed out, refused or kept failing, or replied in no usable form.

    ``reason`` completes "the language model ..." (e.g. "did not answer within 30 s");
    ``Bot`` turns it into a notice on an extractive answer rather than raising it.
    """

    def __init__(self, reason: str, hint: str = "") -> None:
        super().__init__(f"the language model {reason}" + (f"; {hint}" if hint else ""))
        self.reason = reason
