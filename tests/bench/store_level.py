"""The store-level tables: reading and patching one model as the table grows, no HTTP; then
concurrent writers.

Plain TinyDB (a query per lookup, ``Table.update``; in memory and on its default JSON file) is
the baseline for the mock's store (index + in-place writes; in memory and with the journal).
The second table has 16 threads patching at once: with the journal they share fsyncs (group
commit), so it shows writes per fsync and the journal's throughput relative to memory.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tinydb import Query, TinyDB
from tinydb.storages import JSONStorage
from tinydb.storages import MemoryStorage as TinyMemoryStorage

from handlers.fixtures import load_seed
from handlers.storage import open_db
from handlers.store import ModelStore
from tests.bench.population import TENANT, documents, model_name

JSON_FILE_REPEATS = 5  # a write rewrites the whole file: seconds each at 100,000 models
WRITERS = 16
WRITES_PER_WRITER = 60


def median_us(operation: Callable[[int], object], repeats: int) -> float:
    timings = []
    for i in range(repeats):
        start = time.perf_counter()
        operation(i)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1e6


def spread(size: int) -> Callable[[int], str]:
    """The i-th model to touch, spread over the whole table."""
    return lambda i: model_name((i * 7919) % size)


def plain_tinydb(db: TinyDB, size: int, repeats: int) -> tuple[float, float]:
    table = db.table("models")
    table.insert_multiple(documents(size))
    model, target = Query(), spread(size)
    read = median_us(lambda i: table.get(model.name == target(i)), repeats)
    write = median_us(lambda i: table.update({"summary": str(i)}, model.name == target(i)), repeats)
    return read, write


def bench_store(data_path: Path | None, size: int) -> ModelStore:
    seed = load_seed()
    return ModelStore.seeded(open_db(data_path), seed.tenants, seed.model_types, documents(size))


def mock_store(data_path: Path | None, size: int, repeats: int) -> tuple[float, float]:
    store = bench_store(data_path, size)
    target = spread(size)
    read = median_us(lambda i: store.get(TENANT, target(i)), repeats)
    write = median_us(lambda i: store.update(TENANT, target(i), lambda current: {"summary": str(i)}), repeats)
    store.close()
    return read, write


def print_table(sizes: list[int], repeats: int) -> None:
    print(f"Store level: median µs per operation ({repeats} repeats; JSON-file baseline: {JSON_FILE_REPEATS})")
    print(f"{'models':>8} | {'TinyDB json get':>15} {'patch':>10} | {'TinyDB mem get':>14} {'patch':>10} | "
          f"{'store mem get':>13} {'patch':>8} | {'store journal get':>17} {'patch':>8}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            json_read, json_write = plain_tinydb(
                TinyDB(Path(folder) / "plain.json", storage=JSONStorage), size, JSON_FILE_REPEATS)
            mem_read, mem_write = plain_tinydb(TinyDB(storage=TinyMemoryStorage), size, repeats)
            store_read, store_write = mock_store(None, size, repeats)
            journal_read, journal_write = mock_store(Path(folder) / "state.json", size, repeats)
        print(f"{size:>8} | {json_read:>15.0f} {json_write:>10.0f} | {mem_read:>14.0f} {mem_write:>10.0f} | "
              f"{store_read:>13.1f} {store_write:>8.1f} | {journal_read:>17.1f} {journal_write:>8.1f}", flush=True)


def concurrent_patches(data_path: Path | None, size: int) -> tuple[float, int]:
    """Patches per second by WRITERS threads at once, and the journal writes (each one fsync) they took."""
    store = bench_store(data_path, size)
    journal = getattr(store._db.storage, "journal", None)
    fsyncs = [0]
    if journal is not None:
        append = journal.append

        def counted(entries: list) -> None:
            fsyncs[0] += 1
            append(entries)

        journal.append = counted
    target = spread(size)

    def patch(writer: int) -> None:
        for i in range(WRITES_PER_WRITER):
            store.update(TENANT, target(writer * WRITES_PER_WRITER + i), lambda current, i=i: {"summary": str(i)})

    threads = [threading.Thread(target=patch, args=(writer,)) for writer in range(WRITERS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    store.close()
    return WRITERS * WRITES_PER_WRITER / elapsed, fsyncs[0]


def print_concurrent_table(sizes: list[int]) -> None:
    writes = WRITERS * WRITES_PER_WRITER
    print(f"\nStore level, {WRITERS} threads patching at once ({writes} patches): patches per second; "
          "with the journal, the fsyncs they took (group commit)")
    print(f"{'models':>8} | {'memory /s':>10} | {'journal /s':>10} {'÷ memory':>9} {'fsyncs':>7} {'patches/fsync':>14}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            memory, _ = concurrent_patches(None, size)
            journal, fsyncs = concurrent_patches(Path(folder) / "state.json", size)
        print(f"{size:>8} | {memory:>10.0f} | {journal:>10.0f} {journal / memory:>8.2f}× {fsyncs:>7} "
              f"{writes / max(fsyncs, 1):>14.1f}", flush=True)
