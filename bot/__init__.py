"""bot: answers questions from your documents, with verified paragraph citations.

    from bot import ask
    a = ask("Which forum will China hold in Chongqing?")
    a.answer, a.answered, a.citations

Importing ``bot`` is cheap; models and the Chroma client load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.config import Settings
from bot.errors import (
    BotError,
    ConfigError,
    EmptyIndexError,
    IngestError,
    InputError,
    LLMError,
    ModelError,
    QuestionTooLongError,
    StoreError,
)
from bot.types import Answer, Citation, IngestReport, SourceInfo

if TYPE_CHECKING:
    from bot.core import Bot

__all__ = [
    "Answer", "Bot", "BotError", "Citation", "ConfigError", "EmptyIndexError", "IngestError",
    "IngestReport", "InputError", "LLMError", "ModelError", "QuestionTooLongError", "Settings", "SourceInfo",
    "StoreError", "ask",
]


def ask(question: str, history: list[dict[str, str]] | None = None) -> Answer:
    """Answer ``question`` from the indexed documents (``Bot.from_env()``, shared)."""
    from bot.core import ask as _ask

    return _ask(question, history)


def __getattr__(name: str) -> Any:
    if name == "Bot":
        from bot.core import Bot

        return Bot
    raise AttributeError(name)
