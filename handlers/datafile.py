"""The files behind ``--data``: a JSON snapshot and an append-only journal beside it.

Each problem is an exception whose message is one line naming the file, so ``make serve``
can print it and stop:

* :class:`DataFileError`: the files cannot be used as they are (garbage, a truncated
  snapshot, a corrupt journal line that is not the last, a directory, a missing directory, a
  read-only filesystem). Nothing has been changed when it is raised.
* :class:`WriteFailed`: one write could not be made durable. The journal is cut back to where it
  was, so neither the disk nor (see :mod:`handlers.storage`) the memory holds any of it.

Only an unterminated last journal line is a torn write, one whose request was never answered:
it is dropped. Any other unreadable line refuses the start, unless ``repair`` is asked for, which
first copies both files aside and then keeps every readable line.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from handlers import jsonstream
from handlers.doctext import Text, encode, entry_text, tables_chunks

Tables = dict[str, dict[str, Text]]  # table name → document id → the document's JSON text
Changes = dict[str, Text | None]  # document id → its new text, or None: removed


class DataFileError(RuntimeError):
    """The data file cannot be used; the message (one line) names it and says what to do."""


class DataFileInUse(DataFileError):
    """Another process holds the data file: two writers would corrupt it."""


class WriteFailed(RuntimeError):
    """A write could not be made durable; nothing of it was kept."""


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def read_snapshot(path: Path) -> Tables | None:
    """The snapshot's tables (each document as its text), or None when there is no snapshot (a new data file)."""
    if path.is_dir():
        raise DataFileError(f"{path}: is a directory, not a data file")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DataFileError(f"{path}: cannot be read ({_reason(exc)})") from None
    try:
        tables = {name: {doc_id: _document_text(doc_id, document) for doc_id, document in documents}
                  for name, documents in jsonstream.table_documents(raw.decode("utf-8"))}
    except (UnicodeDecodeError, ValueError):
        tables = {}  # parsed whole below, for the precise problem
    if not tables:
        _refuse(path, raw)
    return tables


def _document_text(doc_id: str, document: Any) -> Text:
    if not doc_id.isdigit() or not isinstance(document, dict):
        raise ValueError("not a document of a table")
    return encode(document)


def _refuse(path: Path, raw: bytes) -> NoReturn:
    """Raises the DataFileError that says why ``raw`` is no snapshot."""
    try:
        json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        problem = "is empty" if not raw.strip() else f"is not JSON ({exc})"
        raise DataFileError(f"{path}: {problem}; not a data file of this mock (truncated?). "
                            "Nothing was changed; restore it, or remove it to start from the fixtures") from None
    raise DataFileError(f"{path}: holds no tables of this mock; nothing was changed. "
                        "Restore it, or remove it to start from the fixtures")


def _entry(line: bytes) -> tuple[str, Changes]:
    """One journal line parsed and checked; a ValueError or TypeError says what is wrong with it."""
    entry = json.loads(line.decode("utf-8"))
    if not isinstance(entry, dict) or not isinstance(entry.get("table"), str):
        raise TypeError("not a journal entry")
    changes = entry.get("changes")
    if not isinstance(changes, dict) or not all(
        doc_id.isdigit() and (document is None or isinstance(document, dict)) for doc_id, document in changes.items()
    ):
        raise TypeError("not a journal entry")
    return entry["table"], {doc_id: None if document is None else encode(document) for doc_id, document in changes.items()}


@dataclass
class JournalContents:
    """What a journal file holds: its readable entries, and what was dropped from it."""

    entries: list[tuple[str, Changes]] = field(default_factory=list)
    torn_last_line: bool = False
    skipped_lines: list[int] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.entries or self.torn_last_line or self.skipped_lines)


def read_journal(path: Path, *, repair: bool = False) -> JournalContents:
    """Every entry of the journal; a corrupt line that is not the last refuses unless ``repair``."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return JournalContents()
    except OSError as exc:
        raise DataFileError(f"{path}: cannot be read ({_reason(exc)})") from None
    *complete, last = raw.split(b"\n")
    contents = JournalContents(torn_last_line=bool(last))
    for number, line in enumerate(complete, start=1):
        try:
            contents.entries.append(_entry(line))
        except (ValueError, TypeError) as exc:
            if not repair:
                raise DataFileError(
                    f"{path}: line {number} is corrupt ({exc}) and is not the last line; nothing was changed. "
                    "Start with --repair to keep every readable line (both files are copied aside first)"
                ) from None
            contents.skipped_lines.append(number)
    return contents


def back_up(*paths: Path) -> list[Path]:
    """Copies of the files that exist, named ``<file>.backup-<UTC time>``, made durable."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    copies = []
    for path in paths:
        if path.exists():
            copy = path.with_name(f"{path.name}.backup-{stamp}")
            shutil.copy2(path, copy)
            with open(copy, "rb") as handle:
                os.fsync(handle.fileno())
            copies.append(copy)
    fsync_directory(paths[0].parent)
    return copies


def write_snapshot(path: Path, tables: Tables) -> None:
    """Replace the snapshot atomically: a temporary file, fsynced, renamed over it."""
    temporary = path.with_name(path.name + ".tmp")
    try:
        with open(temporary, "w", encoding="ascii") as handle:
            handle.writelines(tables_chunks(tables))  # never one text of the whole: its copy would stay as unused memory
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)


def fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class Journal:
    """The journal file opened for appending, locked against a second server."""

    def __init__(self, path: Path, data_path: Path) -> None:
        self.path = path
        self._broken: str | None = None
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except FileNotFoundError:
            raise DataFileError(f"{data_path}: cannot be created: the directory {path.parent} does not exist") from None
        except OSError as exc:
            raise DataFileError(f"{data_path}: cannot write its journal {path} ({_reason(exc)})") from None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            raise DataFileInUse(f"{data_path}: in use by another server; give each server its own data file") from None

    @property
    def closed(self) -> bool:
        return self._fd < 0

    def append(self, entries: list[tuple[str, Changes]]) -> None:
        """Write the entries (a line each) and fsync once; on any failure the file is cut back to
        where it was, none of them is kept, and WriteFailed raised."""
        if self._broken is not None:
            raise WriteFailed(self._broken)
        lines = "".join(entry_text(table, changes) + "\n" for table, changes in entries).encode("ascii")
        end = os.lseek(self._fd, 0, os.SEEK_END)
        try:
            self._write_all(lines)
            os.fsync(self._fd)
        except OSError as exc:
            reason = f"writing {self.path} failed ({_reason(exc)}); the change was not saved"
            try:
                os.ftruncate(self._fd, end)
                os.fsync(self._fd)
            except OSError:
                self._broken = f"{reason}, and the journal could not be cut back: restart the server"
            raise WriteFailed(reason) from None

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view):]

    def clear(self) -> None:
        """Empty the journal once a snapshot holds all of it."""
        os.ftruncate(self._fd, 0)
        os.fsync(self._fd)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
