"""The web app: one FastAPI app with the JSON API and the Gradio chat mounted at ``/``.

    bot serve                       # http://127.0.0.1:7860/ (BOT_HOST, BOT_PORT, --host, --port)
    curl -s localhost:7860/api/ask -H 'content-type: application/json' \\
         -d '{"question": "Which forum will China hold in Chongqing?"}'

Routes: ``POST /api/ask``, ``GET /healthz``, ``GET|POST /api/documents``,
``DELETE /api/documents/{source}``, ``POST /api/feedback``, the chat integrations
``POST /slack/events``, ``POST /slack/commands`` and ``POST /webhook`` (``bot.slack``),
the OpenAPI page at ``/docs`` and the chat at ``/``. Every error is a JSON body
``{"error": "..."}`` with a 4xx status (a 500 says only that something failed; the
details go to the log).
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

from fastapi import FastAPI, File, HTTPException, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Message, Receive, Scope, Send

from bot.config import Settings
from bot.core import Bot
from bot.errors import (
    BotError,
    EmptyIndexError,
    IngestError,
    InputError,
    ModelError,
    QuestionTooLongError,
    StoreError,
)
from bot.feedback import FeedbackLog
from bot.load import MAX_FILE_BYTES, SUPPORTED_SUFFIXES

if TYPE_CHECKING:
    from bot.slack import ChatService

log = logging.getLogger(__name__)

#: Questions the chat runs at once (Gradio queue) and threads for the async answer path.
UI_CONCURRENCY = 8
#: Largest JSON body accepted by /api/ask and /api/feedback: far above any valid request.
MAX_JSON_BYTES = 256 * 1024
#: Largest upload request to /api/documents (several files, each at most the loader's limit).
MAX_UPLOAD_BYTES = 4 * MAX_FILE_BYTES
MAX_HISTORY_MESSAGES = 100


class Turn(BaseModel):
    role: Literal["user", "assistant", "system"]
    content: str


class AskRequest(BaseModel):
    question: str = Field(description="the question; at most BOT_MAX_QUESTION_CHARS characters")
    history: list[Turn] | None = Field(
        default=None, max_length=MAX_HISTORY_MESSAGES,
        description="earlier turns, oldest first, for follow-up questions")


class CitationIn(BaseModel):
    source: str
    paragraph: int
    text: str = ""
    quote: str = ""
    score: float = 0.0


class FeedbackRequest(BaseModel):
    rating: Literal["up", "down"]
    question: str = Field(min_length=1, max_length=20_000)
    answer: str = Field(max_length=50_000)
    answered: bool | None = None
    citations: list[CitationIn] = Field(default_factory=list, max_length=50)
    history: list[Turn] = Field(default_factory=list, max_length=MAX_HISTORY_MESSAGES)


class BodyLimit:
    """Refuse request bodies over a per-path limit with a JSON 413 before anything parses
    them: at once when Content-Length says so, else as soon as the streamed body passes it."""

    def __init__(self, app: Any, limits: dict[str, int]) -> None:
        self.app, self.limits = app, limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.limits.get(scope.get("path", "")) if scope["type"] == "http" else None
        if limit is None:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:  # FastAPI passes an HTTPException raised while reading the body on
                raise HTTPException(413, _too_large_message(limit))
            return message

        await self.app(scope, counted, send)


def _too_large_message(limit: int) -> str:
    return f"the request body is over {limit // 1024} KB; send less (a question is at most a few KB)"


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse({"error": _too_large_message(limit)}, status_code=413)


def _status(exc: BotError) -> int:
    if isinstance(exc, QuestionTooLongError):
        return 413
    if isinstance(exc, (InputError, IngestError)):
        return 400
    if isinstance(exc, EmptyIndexError):
        return 409
    if isinstance(exc, (StoreError, ModelError)):
        return 503
    return 400


def _validation_message(errors: list[Any]) -> tuple[int, str]:
    if any(e.get("type") == "json_invalid" for e in errors):
        return 400, "the request body is not valid JSON; send e.g. {\"question\": \"...\"}"
    parts = []
    for e in errors[:5]:
        where = ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {e.get('msg', 'invalid')}")
    return 422, "invalid request: " + "; ".join(parts)


def _install_error_handlers(app: FastAPI) -> None:
    async def bot_error(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=_status(cast(BotError, exc)))

    async def invalid(request: Request, exc: Exception) -> JSONResponse:
        errors = list(cast(RequestValidationError, exc).errors())
        status, message = _validation_message(errors)
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in errors]
        return JSONResponse({"error": message, "detail": detail}, status_code=status)

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        exc = cast(StarletteHTTPException, exc)
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return JSONResponse({"error": "internal error; the server log has the details"}, status_code=500)

    app.add_exception_handler(BotError, bot_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)


def save_uploads(settings: Settings, files: list[tuple[str, bytes]]) -> list[Path]:
    """Keep uploaded documents under ``<data dir>/uploads`` by their bare file names (the
    names they get in the index) and return their paths. Every file is checked first, so
    one bad file stores none."""
    checked = []
    for name, data in files:
        clean = Path(name.replace("\\", "/")).name
        if not clean or clean.startswith("."):
            raise IngestError(f"{name!r} is not a usable file name; rename the file and upload it again")
        if Path(clean).suffix.lower() not in SUPPORTED_SUFFIXES:
            raise IngestError(f"{clean}: unsupported file type; upload {', '.join(sorted(SUPPORTED_SUFFIXES))} files")
        if len(data) > MAX_FILE_BYTES:
            raise IngestError(f"{clean} is over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit; split it")
        checked.append((clean, data))
    if not checked:
        raise IngestError("no file was uploaded; attach one or more .txt, .md or .html files")
    settings.uploads_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for clean, data in checked:
        target = settings.uploads_dir / clean
        target.write_bytes(data)
        paths.append(target)
    return paths


def remove_document(bot: Bot, source: str) -> bool:
    """Remove a document from the index and, when it was uploaded here, its kept copy."""
    path = Path(str(bot.store.documents().get(source, {}).get("path", "")))
    removed = bot.remove(source)
    if removed and path.parent == bot.settings.uploads_dir.resolve() and path.is_file():
        path.unlink()
    return removed


def create_app(bot: Bot | None = None, settings: Settings | None = None) -> FastAPI:
    """The whole web app over ``bot`` (built from ``settings`` or the environment when not given)."""
    import gradio as gr

    from bot.slack import add_chat_routes
    from bot.ui import CSS, build_ui

    owned = bot is None
    bot = bot or Bot(settings or Settings.from_env())
    settings = bot.settings
    feedback = FeedbackLog(settings.feedback_file)
    chat: ChatService | None = None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The chat's answers run through asyncio.to_thread; the default pool has only
        # cpu_count + 4 threads, fewer than the questions the queue lets run at once.
        executor = ThreadPoolExecutor(max_workers=UI_CONCURRENCY * 2, thread_name_prefix="bot-ask")
        asyncio.get_running_loop().set_default_executor(executor)
        try:
            yield
        finally:
            if chat is not None:
                chat.close()
            executor.shutdown(wait=False, cancel_futures=True)
            if owned:
                bot.close()

    # FastAPIOffline is FastAPI whose /docs page loads Swagger UI from the package, not a CDN.
    app = FastAPIOffline(title="bot", version="0.1.0", lifespan=lifespan, redoc_url=None,
                         description="Answers questions only from its documents, citing paragraphs.")
    _install_error_handlers(app)

    @app.get("/healthz", tags=["status"])
    def healthz() -> dict[str, Any]:
        """Liveness and what is indexed."""
        return {"status": "ok", "documents": len(bot.sources()), "mode": bot.answerer.mode}

    @app.post("/api/ask", tags=["ask"])
    def api_ask(request: AskRequest) -> dict[str, Any]:
        """Answer a question: ``Answer.to_dict()`` (answer, answered, citations, mode, timing)."""
        history = [m.model_dump() for m in request.history or []]
        return bot.ask(request.question, history).to_dict()

    @app.get("/api/documents", tags=["documents"])
    def list_documents() -> list[dict[str, Any]]:
        """Indexed documents with paragraph and chunk counts."""
        return [s.to_dict() for s in bot.sources()]

    @app.post("/api/documents", tags=["documents"])
    def upload_documents(files: Annotated[list[UploadFile], File(description=".txt, .md, .html or .pdf files")]
                         ) -> dict[str, Any]:
        """Upload and ingest documents (re-uploading a file updates it)."""
        paths = save_uploads(settings, [(f.filename or "", f.file.read(MAX_FILE_BYTES + 1)) for f in files])
        report = bot.ingest(paths)
        for failed, _ in report.errors:  # keep no copy of a file that could not be ingested
            Path(failed).unlink(missing_ok=True)
        if report.errors and not (report.added or report.updated or report.unchanged):
            # nothing usable was uploaded: say why (a mixed batch is a 200 listing its errors)
            raise HTTPException(400, "; ".join(error for _, error in report.errors))
        return report.to_dict()

    @app.delete("/api/documents/{source:path}", tags=["documents"])
    def delete_document(source: str) -> dict[str, Any]:
        """Remove one document from the index."""
        if not remove_document(bot, source):
            raise HTTPException(404, f"no document named {source!r} is indexed; GET /api/documents lists them")
        return {"removed": source}

    @app.post("/api/feedback", status_code=201, tags=["feedback"])
    def api_feedback(request: FeedbackRequest) -> dict[str, Any]:
        """Record a thumbs up or down on an answer."""
        answer = {"answer": request.answer, "answered": request.answered,
                  "citations": [c.model_dump() for c in request.citations], "mode": None}
        feedback.add(request.rating, request.question, answer, [m.model_dump() for m in request.history])
        return {"recorded": True}

    chat = add_chat_routes(app, bot, settings)
    app.add_middleware(BodyLimit, limits={"/api/ask": MAX_JSON_BYTES, "/api/feedback": MAX_JSON_BYTES,
                                          "/api/documents": MAX_UPLOAD_BYTES, "/slack/events": MAX_JSON_BYTES,
                                          "/slack/commands": MAX_JSON_BYTES, "/webhook": MAX_JSON_BYTES})

    def mount() -> None:
        # show_error=False: the chat shows bot errors itself; anything else is logged, not
        # shown to the browser.
        blocks = build_ui(bot, feedback)
        blocks.queue(default_concurrency_limit=UI_CONCURRENCY)
        gr.mount_gradio_app(app, blocks, path="/", server_name=settings.host, server_port=settings.port,
                            footer_links=["api"], run_history=False,
                            max_file_size=MAX_FILE_BYTES, show_error=False, css=CSS)

    _inside_a_loop(mount)
    return app


def _inside_a_loop(build: Callable[[], None]) -> None:
    """Run ``build`` with an event loop running. Gradio makes asyncio locks while it builds
    the UI, and outside a running loop it opens a new event loop for each one and never
    closes it; a short-lived loop of our own is closed properly."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        async def run() -> None:
            build()

        asyncio.run(run())
        return
    build()


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, or a ``BotError`` saying how to pick another address."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise BotError(f"cannot listen on {host}:{port} ({exc.strerror}); "
                       "pick another port with --port or BOT_PORT") from None
    sock.listen(128)
    return sock


def serve(settings: Settings, announce: Callable[[str], None]) -> None:
    """Run the web app until Ctrl-C; ``announce`` gets its URL once it is listening."""
    import uvicorn

    sock = bind(settings.host, settings.port)
    host, port = sock.getsockname()[:2]
    app = create_app(Bot(settings))
    announce(f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/")
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
