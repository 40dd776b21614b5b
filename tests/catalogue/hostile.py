"""Hostile wrappers: the mock with one answer meant to exhaust its client (issue 8 §4).

The tenant's model list (``GET /models/``, authorised) answers with a body that is huge, a
decompression bomb, a drip, an endless slow stream, or nested beyond any parser's stack; or
every model answered holds ``Infinity`` (not JSON); or every JSON object answered echoes the
request's headers, the admin key with them. The entries built from them are in
``entries/hostile.py``. Every streaming body stops when the client goes away, and after a
bound of its own.
"""

from __future__ import annotations

import asyncio
import json
import struct
import zlib
from collections.abc import AsyncIterator, Callable
from functools import partial

from starlette.types import ASGIApp, Receive, Scope, Send

from tests.catalogue.wrappers import COLLECTION_PATH, Rewriting, _header, _with_header
from tests.live import TOKEN

MiB = 2**20
HUGE_BYTES = 100 * MiB  # the size of the list the kit once took 3.4 GB and 73 s to read
BOMB_BYTES = 4 * 2**30  # what the bomb inflates to; about 4 MB on the wire
DRIP_SECONDS = 2.0  # one byte per this many seconds
STREAM_LIMIT_SECONDS = 600  # no stream outlives this, client or not
BLANK_MIB = b" " * MiB
JSON = ((b"content-type", b"application/json"),)
GZIP_JSON = JSON + ((b"content-encoding", b"gzip"),)


def _is_list(scope: Scope) -> bool:
    """An authorised GET of the model list (the mock answers the rest, 401s included)."""
    authorised = _header(scope, b"authorization") == f"Bearer {TOKEN}".encode()
    return scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == COLLECTION_PATH and authorised


async def _stream(send: Send, receive: Receive, status: int, headers: list, body: AsyncIterator[bytes]) -> None:
    """Send `body` chunk by chunk until it ends or the client disconnects."""
    gone = asyncio.Event()

    async def watch() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        gone.set()

    watcher = asyncio.ensure_future(watch())
    try:
        await send({"type": "http.response.start", "status": status, "headers": headers})
        async with asyncio.timeout(STREAM_LIMIT_SECONDS):
            async for chunk in body:
                if gone.is_set():
                    return
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    except (TimeoutError, OSError):
        return
    finally:
        watcher.cancel()


def _is_model_read(scope: Scope) -> bool:
    """An authorised GET of one model (``GET /models/{name}``; not the list, not the types)."""
    path = scope.get("path", "")
    one_model = path.startswith(COLLECTION_PATH) and path != COLLECTION_PATH and not path.startswith(
        COLLECTION_PATH + "types")
    return one_model and _is_list({**scope, "path": COLLECTION_PATH})


def _is_off_the_contract(scope: Scope) -> bool:
    """A request to a path outside the models API (Schemathesis' probes of the base URL)."""
    return scope["type"] == "http" and not scope.get("path", "").startswith(COLLECTION_PATH)


class ListAnswers:
    """Answers the model list (or the requests `answers` picks) with the chunks `body()` yields;
    every other request goes to the mock."""

    def __init__(self, app: ASGIApp, body: Callable[[], AsyncIterator[bytes]], headers: tuple = JSON,
                 answers: Callable[[Scope], bool] = _is_list) -> None:
        self.app = app
        self.body = body
        self.headers = list(headers)
        self.answers = answers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.answers(scope):
            await self.app(scope, receive, send)
            return
        await _stream(send, receive, 200, self.headers, self.body())


async def huge_list() -> AsyncIterator[bytes]:
    """A 100 MB JSON array of strings."""
    item = json.dumps("x" * 1000).encode() + b","
    chunk = item * (MiB // len(item))
    yield b"["
    for _ in range(HUGE_BYTES // len(chunk)):
        yield chunk
        await asyncio.sleep(0)
    yield b'"end"]'


def _bomb_parts() -> tuple[bytes, bytes]:
    """The gzip stream's start ("[" and 1 MiB of blanks) and one more MiB of blanks, each
    sync-flushed: once the window holds only blanks, that block decodes the same every time it
    is repeated, so the server sends 4 GiB without compressing more than 2 MiB."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    start = packer.compress(b"[" + BLANK_MIB) + packer.flush(zlib.Z_SYNC_FLUSH)
    return start, packer.compress(BLANK_MIB) + packer.flush(zlib.Z_SYNC_FLUSH)


async def gzip_bomb() -> AsyncIterator[bytes]:
    """4 GiB of JSON whitespace in an array, gzip-compressed to about 4 MB; a valid gzip stream."""
    start, block = _bomb_parts()
    yield start
    crc = zlib.crc32(b"[" + BLANK_MIB)
    for _ in range(BOMB_BYTES // MiB - 1):
        yield block
        crc = zlib.crc32(BLANK_MIB, crc)
        await asyncio.sleep(0)
    end = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)  # "]" as the final raw deflate block
    size = 1 + BOMB_BYTES + 1
    yield end.compress(b"]") + end.flush() + struct.pack("<II", zlib.crc32(b"]", crc), size % 2**32)


async def drip() -> AsyncIterator[bytes]:
    """The start of a list, then one byte every two seconds, never finished."""
    yield b"["
    while True:
        await asyncio.sleep(DRIP_SECONDS)
        yield b" "


async def endless_chunks() -> AsyncIterator[bytes]:
    """A list that never ends: a small chunk every 50 ms (far below any size cap)."""
    yield b"["
    while True:
        await asyncio.sleep(0.05)
        yield b'"more",' * 100


async def deep_nesting() -> AsyncIterator[bytes]:
    """200,000 nested arrays: valid JSON no recursive parser can descend."""
    yield b"[" * 200_000 + b"]" * 200_000


class InfinityInModels(Rewriting):
    """Every model answered (GET, list, create, PATCH) carries ``"temperature": Infinity``."""

    def response(self, scope, status, headers, body):
        if not body.startswith((b"{", b"[")) or scope["path"].startswith(COLLECTION_PATH + "types"):
            return status, headers, body
        shown = json.loads(body)
        models = shown if isinstance(shown, list) else [shown]
        if not all(isinstance(model, dict) and "dtype" in model for model in models):
            return status, headers, body
        text = json.dumps(shown).replace('"dtype": ', '"temperature": Infinity, "dtype": ')
        return status, headers, text.encode()


class HeaderEcho(Rewriting):
    """Echoes the request's headers (the admin key among them) into every JSON object answer,
    and takes ``bearer <key>`` (lowercase scheme, a malformed header) as the admin key."""

    def request(self, scope, body):
        offered = dict(scope["headers"]).get(b"authorization", b"")
        if offered.startswith(b"bearer "):
            scope = _with_header(scope, b"authorization", b"Bearer " + offered[len(b"bearer "):])
        return scope, body

    def response(self, scope, status, headers, body):
        if not body.startswith(b"{"):
            return status, headers, body
        echoed = {key.decode("latin-1"): value.decode("latin-1") for key, value in scope["headers"]}
        shown = json.loads(body)
        shown["request_headers"] = echoed
        return status, headers, json.dumps(shown).encode()


huge_list_answers = partial(ListAnswers, body=huge_list)
gzip_bomb_answers = partial(ListAnswers, body=gzip_bomb, headers=GZIP_JSON)
drip_answers = partial(ListAnswers, body=drip)
drip_model_answers = partial(ListAnswers, body=drip, answers=_is_model_read)  # the list, preflight's, is fine
drip_off_the_contract = partial(ListAnswers, body=drip, answers=_is_off_the_contract)  # every route answers
gzip_bomb_off_the_contract = partial(ListAnswers, body=gzip_bomb, headers=GZIP_JSON, answers=_is_off_the_contract)
endless_chunks_answers = partial(ListAnswers, body=endless_chunks)
deep_nesting_answers = partial(ListAnswers, body=deep_nesting)
