"""Load on the Slack events route: bursts of signed app_mention events against `bot serve`.

    python bench/slack_load.py [--bursts 1,10,50,100] [--out bench/results/slack_load.json]

`bot serve` runs in its own process over the seeds, configured with a signing secret and
a bot token, and with SLACK_API_URL pointing at a stand-in for Slack's Web API that this
process serves on 127.0.0.1 (it counts each chat.postMessage). For each burst size, that
many distinct events are sent at once; the report gives the ack latency (p50 / max, must
stay under Slack's 3 s), how many answers arrived, and how many were lost or doubled.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from bench_scale import free_port, stop  # the same process helpers as the scale benchmark
from slack_sdk.signature import SignatureVerifier

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench-token"
BOT_USER = "UBENCHBOT"
QUESTIONS = ["Which forum will China hold in Chongqing?", "Who presided over the meeting?",
             "How many youth exchange places will China provide?", "What did Modi say at the meeting?"]


class FakeSlack(ThreadingHTTPServer):
    """Counts chat.postMessage calls per thread (the event's ts), answering like Slack."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.posts: Counter[str] = Counter()


class _Handler(BaseHTTPRequestHandler):
    server: FakeSlack

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length") or 0)).decode()
        if self.path.endswith("/chat.postMessage"):
            data = json.loads(body) if "json" in (self.headers.get("content-type") or "") else {}
            with self.server.lock:
                self.server.posts[str(data.get("thread_ts"))] += 1
        reply = json.dumps({"ok": True, "ts": f"{time.time():.6f}"}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args: Any) -> None:
        pass


def event(ts: str, question: str) -> str:
    return json.dumps({
        "type": "event_callback", "team_id": "T1", "api_app_id": "A1",
        "event_id": f"Ev{uuid.uuid4().hex[:12].upper()}", "event_time": int(time.time()),
        "authorizations": [{"team_id": "T1", "user_id": BOT_USER, "is_bot": True}],
        "event": {"type": "app_mention", "user": "U0LOAD", "text": f"<@{BOT_USER}> {question}", "ts": ts,
                  "channel": "C1", "event_ts": ts},
    })


async def burst(url: str, size: int, offset: int) -> tuple[list[float], int, list[str]]:
    verifier = SignatureVerifier(SECRET)

    async def one(client: httpx.AsyncClient, n: int) -> tuple[float, bool, str]:
        ts = f"{time.time():.6f}{n:04d}"
        body = event(ts, QUESTIONS[n % len(QUESTIONS)])
        stamp = str(int(time.time()))
        headers = {"content-type": "application/json", "X-Slack-Request-Timestamp": stamp,
                   "X-Slack-Signature": verifier.generate_signature(timestamp=stamp, body=body) or ""}
        started = time.perf_counter()
        try:
            response = await client.post(f"{url}/slack/events", content=body, headers=headers)
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        return time.perf_counter() - started, ok, ts

    limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        results = await asyncio.gather(*(one(client, offset + n) for n in range(size)))
    return [r[0] for r in results if r[1]], sum(not r[1] for r in results), [r[2] for r in results if r[1]]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bursts", default="1,10,50,100")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "slack_load.json"))
    args = parser.parse_args()
    slack = FakeSlack()
    threading.Thread(target=slack.serve_forever, daemon=True).start()
    tmp = Path(tempfile.mkdtemp(prefix="bot-slack-load-"))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "CHROMA_", "OPENAI_", "SLACK_"))}
    env |= {"BOT_DATA_DIR": str(tmp), "SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_API_URL": f"http://127.0.0.1:{slack.server_address[1]}/api/"}
    subprocess.run([sys.executable, "-m", "bot.cli", "ingest", str(ROOT / "seeds")], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    rows = []
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1).close()
                break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("bot serve did not come up") from None
                time.sleep(0.1)
        offset = 0
        for size in (int(x) for x in args.bursts.split(",")):
            began = time.perf_counter()
            acks, failed, sent = asyncio.run(burst(url, size, offset))
            offset += size
            wait_until = time.monotonic() + 120
            while time.monotonic() < wait_until:
                with slack.lock:
                    if sum(slack.posts[ts] > 0 for ts in sent) >= len(sent):
                        break
                time.sleep(0.05)
            with slack.lock:
                answered = sum(slack.posts[ts] > 0 for ts in sent)
                doubled = sum(slack.posts[ts] > 1 for ts in sent)
            ordered = sorted(acks)
            row = {"events": size, "acked": len(acks), "ack_failures": failed,
                   "ack_p50_ms": round(ordered[len(ordered) // 2] * 1000, 1) if ordered else None,
                   "ack_max_ms": round(ordered[-1] * 1000, 1) if ordered else None,
                   "answers": answered, "lost": len(sent) - answered, "doubled": doubled,
                   "all_answered_s": round(time.perf_counter() - began, 2)}
            rows.append(row)
            print(json.dumps(row), file=sys.stderr)
    finally:
        stop(server)
        slack.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"bursts": rows}, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(rows))
    return 0 if all(r["lost"] == 0 and r["doubled"] == 0 and (r["ack_max_ms"] or 0) < 3000 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
