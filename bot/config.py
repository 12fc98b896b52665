"""Settings: the one place that reads environment variables.

Every knob has a named default below. ``Settings.from_env()`` reads the environment
once; code elsewhere receives a ``Settings`` object and never looks at ``os.environ``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.errors import ConfigError

DEFAULT_DATA_DIR = ".bot"
DEFAULT_COLLECTION = "bot"
#: Chroma's rule for collection names (3-512 characters), less room for "_sentences".
COLLECTION_MAX = 512 - len("_sentences")
_COLLECTION = re.compile(rf"[A-Za-z0-9](?:[A-Za-z0-9_-]{{1,{COLLECTION_MAX - 2}}})[A-Za-z0-9]")
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
#: Model asked in LLM mode (OpenAI's name; local servers use their own, e.g. "llama3.2").
DEFAULT_LLM_MODEL = "gpt-4o-mini"
#: Seconds to wait for the LLM server (for a streamed answer: between two pieces).
DEFAULT_LLM_TIMEOUT = 30.0
#: Retries after a timeout, 429 or 5xx, with exponential backoff (0.5 s, 1 s, 2 s ...).
DEFAULT_LLM_RETRIES = 2
#: Sent as the API key to a server given by OPENAI_BASE_URL alone (local servers need none,
#: but the OpenAI client refuses to start without one).
PLACEHOLDER_API_KEY = "not-needed"
#: Where ``bot serve`` listens: loopback only unless told otherwise.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
#: Slack's Web API; tests point SLACK_API_URL at a local mock.
DEFAULT_SLACK_API_URL = "https://slack.com/api/"


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


def _mask_url(url: str | None) -> str | None:
    """``https://user:secret@host/v1`` -> ``https://***@host/v1``: a URL may carry credentials."""
    if not url or "@" not in url.partition("://")[2].partition("/")[0]:
        return url
    scheme, _, rest = url.partition("://")
    return f"{scheme}://***@{rest.partition('@')[2]}"


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
    #: LLM answer mode is on when either of these is set (see ``llm_enabled``).
    openai_api_key: str | None = field(default=None, repr=False)
    openai_base_url: str | None = None
    llm_model: str = DEFAULT_LLM_MODEL
    llm_timeout: float = DEFAULT_LLM_TIMEOUT
    llm_retries: int = DEFAULT_LLM_RETRIES
    #: Address of the web app (``bot serve``); port 0 picks a free port.
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    #: Slack app credentials: /slack/events and /slack/commands answer 503 until both are set.
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_api_url: str = DEFAULT_SLACK_API_URL
    #: Shared token of Mattermost / Rocket.Chat outgoing webhooks (POST /webhook).
    webhook_token: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.data_dir, Path):
            object.__setattr__(self, "data_dir", Path(self.data_dir))
        if self.openai_base_url and not self.openai_base_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"OPENAI_BASE_URL={self.openai_base_url!r} is not an http(s) URL; "
                "set it like http://127.0.0.1:11434/v1"
            )
        if self.llm_timeout <= 0:
            raise ConfigError(f"BOT_LLM_TIMEOUT={self.llm_timeout} must be above 0 seconds, e.g. 30")
        if self.llm_retries < 0:
            raise ConfigError(f"BOT_LLM_RETRIES={self.llm_retries} must be 0 or more, e.g. 2")
        if not self.llm_model.strip():
            raise ConfigError("BOT_LLM_MODEL is empty; unset it or name a model, e.g. gpt-4o-mini")
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"port {self.port} is out of range; use 1-65535 (set BOT_PORT or --port)")
        if not self.slack_api_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"SLACK_API_URL={self.slack_api_url!r} is not an http(s) URL; unset it to use {DEFAULT_SLACK_API_URL}"
            )
        if self.retrieval not in ("hybrid", "dense", "lexical"):
            raise ConfigError(
                f"retrieval={self.retrieval!r} is unknown; use 'hybrid', 'dense' or 'lexical'"
            )
        if not _COLLECTION.fullmatch(self.collection):
            raise ConfigError(
                f"collection name {self.collection[:60]!r} must be 3-{COLLECTION_MAX} letters, digits, '-' or '_', "
                "starting and ending with a letter or digit (set BOT_COLLECTION)"
            )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read settings from environment variables (``BOT_*``, ``CHROMA_*``, ``OPENAI_*``, ``SLACK_*``)."""
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
            openai_api_key=env.get("OPENAI_API_KEY") or None,
            openai_base_url=(env.get("OPENAI_BASE_URL") or "").strip() or None,
            llm_model=env.get("BOT_LLM_MODEL") or DEFAULT_LLM_MODEL,
            llm_timeout=_float(env, "BOT_LLM_TIMEOUT", DEFAULT_LLM_TIMEOUT),
            llm_retries=_int(env, "BOT_LLM_RETRIES", DEFAULT_LLM_RETRIES, minimum=0),
            host=env.get("BOT_HOST") or DEFAULT_HOST,
            port=_int(env, "BOT_PORT", DEFAULT_PORT, minimum=0),
            slack_signing_secret=(env.get("SLACK_SIGNING_SECRET") or "").strip() or None,
            slack_bot_token=(env.get("SLACK_BOT_TOKEN") or "").strip() or None,
            slack_api_url=(env.get("SLACK_API_URL") or "").strip() or DEFAULT_SLACK_API_URL,
            webhook_token=(env.get("BOT_WEBHOOK_TOKEN") or "").strip() or None,
        )
        return settings.with_(**overrides) if overrides else settings

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def llm_enabled(self) -> bool:
        """Answers come from an LLM when an API key or a server URL is configured."""
        return bool(self.openai_api_key or self.openai_base_url)

    @property
    def llm_api_key(self) -> str:
        """The key to send: the configured one, or a placeholder for a local server."""
        return self.openai_api_key or PLACEHOLDER_API_KEY

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
            "answer_mode": "llm" if self.llm_enabled else "extractive",
            "openai_api_key": "***" if self.openai_api_key else None,
            "openai_base_url": _mask_url(self.openai_base_url)
            or ("https://api.openai.com/v1 (OpenAI's default)" if self.llm_enabled else None),
            "llm_model": self.llm_model,
            "llm_timeout": self.llm_timeout,
            "llm_retries": self.llm_retries,
            "web": f"http://{self.host}:{self.port}/",
            "slack_signing_secret": "***" if self.slack_signing_secret else None,
            "slack_bot_token": "***" if self.slack_bot_token else None,
            "slack_api_url": _mask_url(self.slack_api_url),
            "webhook_token": "***" if self.webhook_token else None,
        }
