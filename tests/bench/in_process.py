"""The mock's own CPU per request, without sockets: its ASGI app driven directly, one request at a time.

wrk's figures include uvicorn and, at 16 connections, the contention between the event loop and
the thread pool, which moves with whatever else the machine runs. Driven in process, one request
at a time, the figure is what the app itself costs (every middleware, Connexion, the thread hop
to Flask, the handler); the console log is off, as with ``--quiet``. GET and PATCH alternate
request by request and each request's CPU time is taken on its own, so that a slower or faster
spell of a shared machine falls on both alike; the medians are printed, overall and per round
(their spread shows how steady the machine was).

    .venv/bin/python -m tests.bench.in_process --size 100 --requests 300 --rounds 10
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import tempfile
import time
import warnings
from pathlib import Path

from handlers import fixture_cache
from tests.bench.population import model_name, write_fixtures
from tests.live import TOKEN

PATCH_BODY = json.dumps({"summary": "GPT-4 model optimized for customer support",
                         "tags": "openai,gpt-4,support,production"}).encode()


def _scope(method: str, path: str, body: bytes) -> dict:
    headers = [(b"host", b"127.0.0.1"), (b"authorization", f"Bearer {TOKEN}".encode())]
    if body:
        headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": headers,
            "server": ("127.0.0.1", 8080), "client": ("127.0.0.1", 50000)}


async def _request(app, method: str, path: str, body: bytes = b"") -> int:
    """One request through the whole app; its status."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]
    never = asyncio.Event()

    async def receive() -> dict:
        if pending:
            return pending.pop()
        await never.wait()  # the client stays connected
        return {"type": "http.disconnect"}

    status = []

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(_scope(method, path, body), receive, send)
    return status[0]


async def _measure(app, size: int, requests: int, rounds: int) -> list[dict[str, list[float]]]:
    """Per round, each method's CPU µs per request, GET and PATCH alternating (which goes first alternates too)."""
    paths = [f"/api/v1/models/{model_name(index % size)}" for index in range(requests)]
    bodies = {"GET": b"", "PATCH": PATCH_BODY}
    for method in ("GET", "PATCH") * 100:  # warm up
        await _request(app, method, paths[0], bodies[method])
    results = []
    for _ in range(rounds):
        costs: dict[str, list[float]] = {"GET": [], "PATCH": []}
        for index, path in enumerate(paths):
            for method in ("GET", "PATCH") if index % 2 == 0 else ("PATCH", "GET"):
                began = time.process_time()
                status = await _request(app, method, path, bodies[method])
                costs[method].append((time.process_time() - began) * 1e6)
                if status != 200:
                    raise SystemExit(f"{method} {path} answered {status}")
        results.append(costs)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.in_process", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--requests", type=int, default=300, help="requests per round and method")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    os.environ[fixture_cache.ENVIRONMENT] = ""  # the fixtures are temporary: no cache of them
    from handlers.app import create_app  # after the filter: Connexion warns about httpx on import

    with tempfile.TemporaryDirectory(prefix="bench-in-process-") as folder:
        app = create_app(write_fixtures(Path(folder), args.size))
    gc.freeze()  # as make serve does after loading
    rounds = asyncio.run(_measure(app, args.size, args.requests, args.rounds))
    get = statistics.median(cost for costs in rounds for cost in costs["GET"])
    patch = statistics.median(cost for costs in rounds for cost in costs["PATCH"])
    per_round = sorted(statistics.median(costs["PATCH"]) / statistics.median(costs["GET"]) for costs in rounds)
    print(f"CPU µs per request (median), {args.size} models, {args.rounds} rounds of {args.requests} of each:")
    print(f"  GET {get:,.0f}, PATCH {patch:,.0f}, PATCH ÷ GET {patch / get:.2f}")
    print(f"  PATCH ÷ GET per round: median {statistics.median(per_round):.2f}, "
          f"from {per_round[0]:.2f} to {per_round[-1]:.2f}")

if __name__ == "__main__":
    main()
