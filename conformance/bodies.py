"""Reading an answer's body with a bound on what it inflates to.

httpx inflates each compressed chunk at once: 64 KiB of a gzip bomb becomes 64 MB in one
call. Here the kit asks only for the encodings it can bound (`ACCEPT_ENCODING`) and inflates
at most `STEP` bytes per call, so reading stops within one step of the limit whatever the
compression ratio.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

ACCEPT_ENCODING = "gzip, deflate"
STEP = 2**20
_WBITS = {
    "gzip": 16 + zlib.MAX_WBITS,
    "x-gzip": 16 + zlib.MAX_WBITS,
    "deflate": 32 + zlib.MAX_WBITS,  # zlib-wrapped, as RFC 9110 says (gzip-wrapped read too)
}


class BodyTooLarge(Exception):
    """The body, decompressed, is larger than the limit."""


class UndecodableBody(Exception):
    """The body's content coding is one the kit did not ask for, or its data is corrupt."""


def _inflated(raw_chunks: Iterable[bytes], coding: str) -> Iterator[bytes]:
    if coding in ("", "identity"):
        yield from raw_chunks
        return
    if coding not in _WBITS:
        raise UndecodableBody(f"Content-Encoding {coding!r}, which the kit did not accept ({ACCEPT_ENCODING})")
    inflater = zlib.decompressobj(_WBITS[coding])
    try:
        for raw in raw_chunks:
            data = raw
            while data:
                yield inflater.decompress(data, STEP)
                data = inflater.unconsumed_tail
        yield inflater.flush()
    except zlib.error as exc:
        raise UndecodableBody(f"Content-Encoding {coding!r} with corrupt data: {exc}") from None


def read_limited(raw_chunks: Iterable[bytes], content_encoding: str, limit: int) -> bytes:
    """The decoded body; `BodyTooLarge` as soon as it passes `limit` bytes."""
    body = bytearray()
    for chunk in _inflated(raw_chunks, content_encoding.strip().lower()):
        if len(body) + len(chunk) > limit:
            body.clear()  # a traceback that keeps this frame alive must not keep the body
            raise BodyTooLarge(f"a body over {limit:,} bytes (decompressed)")
        body += chunk
    return bytes(body)
