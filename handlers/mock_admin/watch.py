"""``--watch``: edits to the fixtures and to the rules file apply without a restart.

A background thread polls the files' modification times (no extra dependency, works on every
file system). A change that fails the checks is reported in one line and the running state is
kept. With a data file the fixtures seed only a new file, so their edits are not applied.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from handlers.errors import ApiError
from handlers.fixtures import FILES, FixtureError, load_seed
from handlers.mock_admin.controls import Controls, ruleset_schema
from handlers.mock_admin.scenarios import load_rules_file

console = logging.getLogger("syft_models_mock.watch")
DATA_FILE_NOTE = ("--watch: edits to the fixtures are not applied with --data: the data file holds the "
                  "state and the fixtures seed only a new file (POST /__mock/reset puts it back to them)")


def _stamp(paths: list[Path]) -> tuple:
    stamps = []
    for path in paths:
        try:
            info = path.stat()
            stamps.append((info.st_mtime_ns, info.st_size))
        except OSError:
            stamps.append(None)
    return tuple(stamps)


class Watcher:
    """Polls every ``interval`` seconds until :meth:`stop`."""

    def __init__(self, controls: Controls, fixtures_dir: str | Path | None, rules_file: str | Path | None,
                 interval: float = 0.5) -> None:
        self.interval = interval
        self._stop = threading.Event()
        self._watched: list[tuple[list[Path], Callable[[], None]]] = []
        if fixtures_dir is not None:
            folder = Path(fixtures_dir)
            self._watched.append(([folder / name for name in FILES.values()], lambda: self._reseed(controls, folder)))
        if rules_file is not None:
            self._watched.append(([Path(rules_file)], lambda: self._reload_rules(controls, rules_file)))
        self._thread = threading.Thread(target=self._run, name="mock-watch", daemon=True)

    def start(self) -> Watcher:
        self._stamps = [_stamp(paths) for paths, _ in self._watched]  # taken now: an edit right after counts
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        stamps = self._stamps
        while not self._stop.wait(self.interval):
            for number, (paths, apply) in enumerate(self._watched):
                now = _stamp(paths)
                if now != stamps[number]:
                    stamps[number] = now
                    apply()

    @staticmethod
    def _reseed(controls: Controls, folder: Path) -> None:
        try:
            seed = load_seed(folder)
        except FixtureError as exc:
            console.warning("fixtures not applied (the running state is kept): %s", exc)
            return
        controls.state.reseed(seed)
        console.warning("fixtures applied: %d models; the default state and every sandbox start over", len(seed.models))

    @staticmethod
    def _reload_rules(controls: Controls, rules_file: str | Path) -> None:
        try:
            controls.rules.replace(load_rules_file(rules_file, ruleset_schema()))
        except (ValueError, ApiError) as exc:
            console.warning("rules not applied (the rules in force are kept): %s", getattr(exc, "detail", exc))
            return
        console.warning("rules applied from %s: %d rules", rules_file, len(controls.rules.shown()))
