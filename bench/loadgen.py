"""A small closed-loop load generator (asyncio + httpx) for the web app.

    python bench/loadgen.py http://127.0.0.1:7860 --route ask --concurrency 1,4,16,32 --seconds 10

At each concurrency level, that many clients each send a request, wait for the reply and
send the next, for ``--seconds``. Prints one JSON list: per level the requests completed,
throughput, p50/p99 latency and errors (any non-2xx status or transport failure).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent

#: (method, path, JSON body) for the n-th request of a route.
Request = tuple[str, str, dict[str, Any]]


def _questions() -> list[str]:
    gold = ROOT / "evals" / "gold" / "seeds.jsonl"
    items = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [i["user_input"] for i in items if not i.get("history")]


def ask_route() -> Callable[[int], Request]:
    questions = _questions()
    return lambda n: ("POST", "/api/ask", {"question": questions[n % len(questions)]})


# The Slack events route is measured by bench/slack_load.py, which also needs a stand-in
# for Slack's Web API to count the answers.
ROUTES: dict[str, Callable[[], Callable[[int], Request]] | None] = {"ask": ask_route}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def level(url: str, make: Callable[[int], Request], concurrency: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    counter = itertools.count()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        deadline = time.perf_counter() + seconds

        async def client_loop() -> None:
            while time.perf_counter() < deadline:
                method, path, body = make(next(counter))
                started = time.perf_counter()
                try:
                    response = await client.request(method, path, json=body)
                    ok = response.is_success
                    kind = str(response.status_code)
                except httpx.HTTPError as exc:
                    ok, kind = False, type(exc).__name__
                if ok:
                    latencies.append(time.perf_counter() - started)
                else:
                    errors[kind] = errors.get(kind, 0) + 1

        began = time.perf_counter()
        await asyncio.gather(*(client_loop() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    return {"concurrency": concurrency, "requests": len(latencies), "seconds": elapsed,
            "throughput_rps": len(latencies) / elapsed, "p50_ms": percentile(latencies, 0.5) * 1000,
            "p99_ms": percentile(latencies, 0.99) * 1000, "max_ms": max(latencies, default=0) * 1000,
            "errors": sum(errors.values()), "error_kinds": errors}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--route", choices=sorted(ROUTES), default="ask")
    parser.add_argument("--concurrency", default="1,4,16,32")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    route = ROUTES[args.route]
    if route is None:
        print(f"error: the {args.route} route is not on this branch yet (see the TODO in bench/loadgen.py)",
              file=sys.stderr)
        return 2
    make = route()
    results = []
    for c in (int(x) for x in args.concurrency.split(",")):
        results.append(asyncio.run(level(args.url, make, c, args.seconds)))
        print(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in results[-1].items()}),
              file=sys.stderr)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
