"""``make bench``: the cost of reading and patching one model as the table grows.

Side by side in one run: plain TinyDB (a query per lookup, ``Table.update``; in memory and on
its default JSON file) as the baseline, against the mock's store (index + in-place writes; in
memory and with the journal), and the whole HTTP stack in-process. Prints medians in µs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from tinydb import Query, TinyDB
from tinydb.storages import JSONStorage
from tinydb.storages import MemoryStorage as TinyMemoryStorage

from handlers.app import create_app
from handlers.fixtures import DEFAULT_FIXTURES
from handlers.storage import open_db
from handlers.store import ModelStore

TENANTS = [{"name": "root", "active": True}]


def document(i: int) -> dict:
    return {"tenant": "root", "name": f"model-{i:06d}", "id": f"id-{i}", "dtype": "openai",
            "configuration": {"api_key": "sk-bench-000000"}, "summary": "", "tags": "",
            "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
            "connected_endpoints": []}


def median_us(operation: Callable[[int], object], repeats: int) -> float:
    timings = []
    for i in range(repeats):
        start = time.perf_counter()
        operation(i)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1e6


def plain_tinydb(db: TinyDB, size: int, repeats: int) -> tuple[float, float]:
    table = db.table("models")
    table.insert_multiple(document(i) for i in range(size))
    model = Query()
    target = lambda i: f"model-{(i * 7919) % size:06d}"  # noqa: E731 - spread over the table
    read = median_us(lambda i: table.get(model.name == target(i)), repeats)
    write = median_us(lambda i: table.update({"summary": str(i)}, model.name == target(i)), repeats)
    return read, write


def mock_store(data_path: Path | None, size: int, repeats: int) -> tuple[float, float]:
    store = ModelStore.seeded(open_db(data_path), TENANTS, [], [document(i) for i in range(size)])
    target = lambda i: f"model-{(i * 7919) % size:06d}"  # noqa: E731
    read = median_us(lambda i: store.get("root", target(i)), repeats)
    write = median_us(lambda i: store.update("root", target(i), lambda current: {"summary": str(i)}), repeats)
    return read, write


def http_stack(size: int, repeats: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        fixtures = Path(folder)
        for name in ("tenants.json", "admin_keys.json", "model_types.json"):
            (fixtures / name).write_text((DEFAULT_FIXTURES / name).read_text())
        (fixtures / "models.json").write_text(json.dumps([document(i) for i in range(size)]))
        app = create_app(fixtures)

    async def measure() -> tuple[float, float]:
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": "Bearer demo-admin-key"}
        async with httpx.AsyncClient(transport=transport, base_url="http://bench/api/v1", headers=headers) as http:
            async def timed(request) -> float:
                timings = []
                for i in range(repeats):
                    start = time.perf_counter()
                    response = await request(f"/models/model-{(i * 7919) % size:06d}", i)
                    timings.append(time.perf_counter() - start)
                    assert response.status_code == 200, response.text
                return statistics.median(timings) * 1e6

            read = await timed(lambda path, i: http.get(path))
            write = await timed(lambda path, i: http.patch(path, json={"summary": str(i)}))
            return read, write

    return asyncio.run(measure())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000,10000,100000")
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"median µs per operation ({args.repeats} repeats; JSON-file baseline: 5 repeats)")
    print(f"{'models':>8} | {'TinyDB json get':>15} {'patch':>10} | {'TinyDB mem get':>14} {'patch':>10} | "
          f"{'store mem get':>13} {'patch':>8} | {'store journal get':>17} {'patch':>8} | {'HTTP GET':>9} {'PATCH':>9}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            json_read, json_write = plain_tinydb(TinyDB(Path(folder) / "plain.json", storage=JSONStorage), size, 5)
            mem_read, mem_write = plain_tinydb(TinyDB(storage=TinyMemoryStorage), size, args.repeats)
            store_read, store_write = mock_store(None, size, args.repeats)
            journal_read, journal_write = mock_store(Path(folder) / "state.json", size, args.repeats)
        http_read, http_write = http_stack(size, args.repeats)
        print(f"{size:>8} | {json_read:>15.0f} {json_write:>10.0f} | {mem_read:>14.0f} {mem_write:>10.0f} | "
              f"{store_read:>13.1f} {store_write:>8.1f} | {journal_read:>17.1f} {journal_write:>8.1f} | "
              f"{http_read:>9.0f} {http_write:>9.0f}")


if __name__ == "__main__":
    main()
