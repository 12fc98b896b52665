"""A scriptable OpenAI-compatible server for tests: FastAPI under uvicorn on 127.0.0.1.

    server = FakeOpenAI.start()            # a free port, its own thread
    server.script(Reply("..."))            # what the next requests get, in order
    server.default = Reply("...")          # after the script runs out
    settings = Settings(openai_base_url=server.url, ...)
    server.requests                        # the JSON bodies received (with headers)

``/v1/chat/completions`` answers plain or as server-sent events (``stream=true``), and
can instead answer with an HTTP error, hang, or stream and then hang.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse


@dataclass
class Reply:
    """One scripted response. ``content`` may be a function of the request body."""

    content: str | Callable[[dict[str, Any]], str] = ""
    status: int = 200
    #: Seconds to wait before answering at all.
    hang: float = 0.0
    #: When streaming: seconds to wait midway, before the last occurrence of ``hang_at``
    #: in the content (or halfway through it).
    hang_midway: float = 0.0
    hang_at: str = ""
    #: Characters per streamed delta.
    piece: int = 6
    headers: dict[str, str] = field(default_factory=dict)
    #: Refuse a request that carries a ``response_format`` (HTTP 400, or as given).
    reject_schema: bool = False
    reject_status: int = 400
    #: Put the request's Authorization header in the error message (as some servers do).
    echo_auth: bool = False


@dataclass
class Seen:
    body: dict[str, Any]
    headers: dict[str, str]


class FakeOpenAI:
    def __init__(self) -> None:
        self.default = Reply("")
        self.requests: list[Seen] = []
        self._script: list[Reply] = []
        self._lock = threading.Lock()
        self.app = FastAPI()
        self.app.post("/v1/chat/completions")(self._chat)
        self.app.get("/v1/models")(self._models)
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._script = list(replies)

    def reset(self) -> None:
        with self._lock:
            self._script = []
            self.requests = []
            self.default = Reply("")

    def _next(self) -> Reply:
        with self._lock:
            return self._script.pop(0) if self._script else self.default

    async def _models(self) -> dict[str, Any]:
        return {"object": "list", "data": [{"id": "fake-model", "object": "model", "owned_by": "tests"}]}

    async def _chat(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append(Seen(body, dict(request.headers)))
        reply = self._next()
        if reply.hang:
            await asyncio.sleep(reply.hang)
        if reply.reject_schema and "response_format" in body:
            refusal = {"message": "response_format: Input should be 'text' or 'json_object'",
                       "type": "invalid_request_error"}
            return JSONResponse({"error": refusal}, status_code=reply.reject_status)
        if reply.status != 200:
            message = f"scripted {reply.status}"
            if reply.echo_auth:
                message += f": bad credentials {request.headers.get('authorization', '')}"
            return JSONResponse({"error": {"message": message, "type": "server_error"}},
                                status_code=reply.status, headers=reply.headers)
        content = reply.content(body) if callable(reply.content) else reply.content
        model = body.get("model", "fake-model")
        if body.get("stream"):
            return StreamingResponse(self._events(content, model, reply), media_type="text/event-stream")
        return JSONResponse({
            "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "finish_reason": "stop", "logprobs": None}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        })

    async def _events(self, content: str, model: str, reply: Reply) -> AsyncIterator[str]:
        def event(delta: dict[str, Any], finish: str | None = None) -> str:
            chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
                     "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish,
                                                  "logprobs": None}]}
            return f"data: {json.dumps(chunk)}\n\n"

        yield event({"role": "assistant", "content": ""})
        middle = content.rfind(reply.hang_at) if reply.hang_at in content else len(content) // 2
        halves = [content[:middle], content[middle:]]
        for n, half in enumerate(halves):
            if n == 1 and reply.hang_midway:
                await asyncio.sleep(reply.hang_midway)
            for i in range(0, len(half), reply.piece):
                yield event({"content": half[i:i + reply.piece]})
                await asyncio.sleep(0)
        yield event({}, "stop")
        yield "data: [DONE]\n\n"

    @classmethod
    def start(cls) -> FakeOpenAI:
        fake = cls()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        fake.port = sock.getsockname()[1]
        config = uvicorn.Config(fake.app, log_level="warning", timeout_graceful_shutdown=1, lifespan="off")
        fake.server = uvicorn.Server(config)
        fake.thread = threading.Thread(target=fake.server.run, kwargs={"sockets": [sock]}, daemon=True)
        fake.thread.start()
        deadline = time.monotonic() + 10
        while not fake.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake OpenAI server did not start")
            time.sleep(0.02)
        fake._socket = sock
        return fake

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(timeout=5)
        self._socket.close()
