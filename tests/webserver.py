"""Run an ASGI app on a real uvicorn server on 127.0.0.1 (a free port) in a thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from bot import Bot, Settings
from bot.web import bind, create_app


@contextmanager
def running(app: Any, timeout: float = 30.0) -> Iterator[str]:
    """Serve ``app`` until the block ends; yields its base URL (no trailing slash)."""
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()


@contextmanager
def seeded_app(data_dir: Any, corpus: Any) -> Iterator[tuple[str, Bot]]:
    """The whole app (API + Gradio) over ``corpus`` in a fresh store, on a real server."""
    bot = Bot(Settings(data_dir=data_dir))
    assert bot.ingest([corpus]).ok
    try:
        with running(create_app(bot)) as url:
            yield url, bot
    finally:
        bot.close()
