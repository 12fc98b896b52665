"""Settings: the one place that reads environment variables.

Every knob has a named default below. ``Settings.from_env()`` reads the environment
once; code elsewhere receives a ``Settings`` object and never looks at ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.errors import ConfigError

DEFAULT_DATA_DIR = ".bot"
DEFAULT_COLLECTION = "bot"
#: Longest question accepted, in characters (about two pages of text).
DEFAULT_MAX_QUESTION_CHARS = 2000
#: Paragraph candidates handed from retrieval to the answerer.
DEFAULT_TOP_K = 8
#: Candidates fetched from each retriever (dense, lexical) before fusion.
DEFAULT_FETCH_K = 20
#: Abstain when the best sentence's support score is below this. Calibrated on
#: evals/gold/seeds.jsonl with ``python bench/calibrate.py``; see README "Abstention".
DEFAULT_MIN_SUPPORT = 0.30
#: Chunks are split at sentence boundaries when a paragraph is longer than this.
DEFAULT_MAX_CHUNK_CHARS = 800
#: Where ``bot serve`` listens: loopback only unless told otherwise.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number; unset it or set e.g. {name}={default}") from None
    if value < minimum:
        raise ConfigError(f"{name}={value} is too small; use a value of at least {minimum}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number; unset it or set e.g. {name}={default}") from None


def _headers(raw: str | None) -> dict[str, str]:
    """Parse ``CHROMA_HEADERS`` given as ``Name: value; Name2: value2``."""
    headers: dict[str, str] = {}
    if not raw:
        return headers
    for part in raw.split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition(":")
        if not sep or not name.strip():
            raise ConfigError(
                f"CHROMA_HEADERS entry {part.strip()!r} is not 'Name: value'; "
                "separate several headers with ';'"
            )
        headers[name.strip()] = value.strip()
    return headers


@dataclass(frozen=True)
class Settings:
    """Everything configurable about a bot. Build with ``Settings.from_env()`` or directly."""

    data_dir: Path = Path(DEFAULT_DATA_DIR)
    collection: str = DEFAULT_COLLECTION
    chroma_host: str | None = None
    chroma_port: int = 8000
    chroma_ssl: bool = False
    chroma_headers: dict[str, str] = field(default_factory=dict)
    max_question_chars: int = DEFAULT_MAX_QUESTION_CHARS
    top_k: int = DEFAULT_TOP_K
    fetch_k: int = DEFAULT_FETCH_K
    min_support: float = DEFAULT_MIN_SUPPORT
    max_chunk_chars: int = DEFAULT_MAX_CHUNK_CHARS
    #: "hybrid" (dense + BM25, the default), "dense" or "lexical"; evals compare them.
    retrieval: str = "hybrid"
    #: Address of the web app (``bot serve``); port 0 picks a free port.
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"port {self.port} is out of range; use 1-65535 (set BOT_PORT or --port)")
        if self.retrieval not in ("hybrid", "dense", "lexical"):
            raise ConfigError(
                f"retrieval={self.retrieval!r} is unknown; use 'hybrid', 'dense' or 'lexical'"
            )
        if not self.collection or not self.collection.replace("-", "").replace("_", "").isalnum():
            raise ConfigError(
                f"collection name {self.collection!r} must be letters, digits, '-' or '_' (set BOT_COLLECTION)"
            )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read settings from environment variables (``BOT_*``, ``CHROMA_*``)."""
        env = os.environ if env is None else env
        settings = cls(
            data_dir=Path(env.get("BOT_DATA_DIR") or DEFAULT_DATA_DIR),
            collection=env.get("BOT_COLLECTION") or DEFAULT_COLLECTION,
            chroma_host=env.get("CHROMA_HOST") or None,
            chroma_port=_int(env, "CHROMA_PORT", 8000),
            chroma_ssl=(env.get("CHROMA_SSL", "").lower() in ("1", "true", "yes")),
            chroma_headers=_headers(env.get("CHROMA_HEADERS")),
            max_question_chars=_int(env, "BOT_MAX_QUESTION_CHARS", DEFAULT_MAX_QUESTION_CHARS),
            top_k=_int(env, "BOT_TOP_K", DEFAULT_TOP_K),
            fetch_k=_int(env, "BOT_FETCH_K", DEFAULT_FETCH_K),
            min_support=_float(env, "BOT_MIN_SUPPORT", DEFAULT_MIN_SUPPORT),
            retrieval=env.get("BOT_RETRIEVAL") or "hybrid",
            host=env.get("BOT_HOST") or DEFAULT_HOST,
            port=_int(env, "BOT_PORT", DEFAULT_PORT, minimum=0),
        )
        return settings.with_(**overrides) if overrides else settings

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def feedback_file(self) -> Path:
        """JSON lines of thumbs up/down from the web app."""
        return self.data_dir / "feedback.jsonl"

    @property
    def uploads_dir(self) -> Path:
        """Where documents uploaded through the web app are kept (so they can be re-ingested)."""
        return self.data_dir / "uploads"

    def describe(self) -> dict[str, object]:
        """The effective configuration, secrets masked, for ``bot config``."""
        store = (
            f"chroma server http{'s' if self.chroma_ssl else ''}://{self.chroma_host}:{self.chroma_port}"
            if self.chroma_host
            else f"embedded chroma in {self.data_dir.resolve()}"
        )
        return {
            "store": store,
            "collection": self.collection,
            "chroma_headers": {k: "***" for k in self.chroma_headers},
            "retrieval": self.retrieval,
            "top_k": self.top_k,
            "fetch_k": self.fetch_k,
            "min_support": self.min_support,
            "max_question_chars": self.max_question_chars,
            "web": f"http://{self.host}:{self.port}/",
        }
