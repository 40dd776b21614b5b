"""The checked models of a large fixtures file, kept between starts so a start need not check them again.

Checking and encoding 100,000 fixture models costs about 2 s of CPU; reading back their checked
texts costs a tenth of that. What a check produces depends only on the models file's bytes, the
tenants' and model types' names it is checked against, the code that checks and encodes, and
the contract: the cache is keyed by a hash of all of them, so any change makes it a miss.

A cache is only ever a shortcut. Its body carries a checksum: a cache that is truncated, corrupt,
of another format or of other inputs is ignored (and rewritten), never trusted. Failing to read
or write one never stops a start. One file per fixtures file (named by its path), so caches do
not pile up as the fixtures are edited.

Where: ``$SYFT_MOCK_CACHE_DIR`` if set (empty: no cache), else ``$XDG_CACHE_HOME`` or
``~/.cache``, in ``syft-models-mock``. Only models files of at least :data:`MIN_BYTES` are
cached: smaller ones are checked faster than a cache is read.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from handlers.contract import CONTRACT_PATH
from handlers.store import StoredModels

FORMAT = 2
MIN_BYTES = 1 << 20  # about 2,000 models
ENVIRONMENT = "SYFT_MOCK_CACHE_DIR"
# the modules whose code decides what a check of the models produces
_PRODUCERS = ("handlers.fixtures", "handlers.doctext", "handlers.clock", "handlers.store", __name__)

logger = logging.getLogger(__name__)


def folder() -> Path | None:
    """The cache folder, or None when caching is turned off."""
    chosen = os.environ.get(ENVIRONMENT)
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "syft-models-mock"


def location(models_file: Path) -> Path | None:
    """Where the cache of ``models_file`` lives (one per file), or None when caching is off."""
    cache_folder = folder()
    if cache_folder is None:
        return None
    named = hashlib.blake2b(str(models_file.resolve()).encode("utf-8", "surrogateescape"), digest_size=16)
    return cache_folder / f"{named.hexdigest()}.models"


def key(models_bytes: bytes, tenant_names: Iterable[str], type_names: Iterable[str]) -> str:
    """The hash of everything a check of ``models_bytes`` depends on."""
    hashed = hashlib.blake2b(models_bytes, digest_size=32)
    hashed.update(json.dumps([FORMAT, sorted(tenant_names), sorted(type_names)]).encode("ascii"))
    for path in [CONTRACT_PATH, *(Path(sys.modules[name].__file__) for name in _PRODUCERS)]:
        hashed.update(path.read_bytes())
    return hashed.hexdigest()


def _checksum(body: bytes | memoryview) -> int:
    """Catches a torn or damaged body; no digest would stop someone who can write the cache anyway."""
    return zlib.crc32(body)


def read(path: Path, expected_key: str) -> StoredModels | None:
    """The cached models when ``path`` holds an intact cache for ``expected_key``, else None."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    head_end = raw.find(b"\n")
    if head_end < 0:
        return None
    try:
        header = json.loads(raw[:head_end])
        valid = (isinstance(header, dict) and header.get("format") == FORMAT and header.get("key") == expected_key
                 and header.get("checksum") == _checksum(memoryview(raw)[head_end + 1:]))
        if not valid:
            return None
        lines = raw.decode("ascii").split("\n")
        del raw
        tenants, names = json.loads(lines[1]), json.loads(lines[2])
    except (ValueError, UnicodeDecodeError, IndexError):
        return None
    del lines[:3]  # the texts remain
    if not (isinstance(tenants, list) and isinstance(names, list) and len(tenants) == len(names) == len(lines)):
        return None
    return StoredModels(tenants, names, lines)


def write(path: Path, cache_key: str, models: StoredModels) -> None:
    """Keep ``models`` (checked for ``cache_key``) in ``path``: whole or not at all, never failing the caller."""
    # a line each: the tenants and the names (ASCII JSON lists), then every model's text (ASCII JSON, no line break)
    columns = [json.dumps(models.tenants, separators=(",", ":")), json.dumps(models.names, separators=(",", ":"))]
    body = "\n".join(columns + models.texts).encode("ascii")
    header = json.dumps({"format": FORMAT, "key": cache_key, "checksum": _checksum(body)}).encode("ascii")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(header + b"\n")
                file.write(body)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:
        logger.debug("%s: fixtures cache not written (%s)", path, exc)
