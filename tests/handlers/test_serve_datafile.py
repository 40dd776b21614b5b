"""``make serve`` with a data file it cannot use: one line naming the file, then exit, no traceback
(issue 8 §1); a write the disk refuses is a JSON 503 that leaves no trace, also after a restart."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from handlers.app import create_app
from handlers.current import SERVICE_KEY
from tests.helpers import assert_json
from tests.live import ROOT, START_GUARD, TOKEN, free_port, wait_until_answering

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def serve(data: Path) -> subprocess.CompletedProcess:
    """Runs ``make serve``'s command on ``data``, expecting it to refuse and exit."""
    return subprocess.run(
        [sys.executable, "-m", "handlers.serve", "--port", str(free_port()), "--data", str(data)],
        cwd=ROOT, capture_output=True, text=True, timeout=START_GUARD, check=False,
    )


def journal_of(data: Path) -> Path:
    return data.with_name(data.name + ".journal")


def assert_refused_in_one_line(result: subprocess.CompletedProcess, named: Path) -> str:
    assert result.returncode == 1, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"syft-models-mock: {named}"), lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""
    return lines[0]


def a_written_data_file(data: Path) -> None:
    """A data file the mock made: seeded, with three acknowledged writes in its journal."""
    store = create_app(data_path=data).app.extensions[SERVICE_KEY].store
    for summary in ("one", "two", "three"):
        store.update("root", "gpt-4-assistant", lambda current, summary=summary: {"summary": summary})
    store._db.storage.journal.close()  # killed: the journal is not folded into the snapshot


@pytest.mark.parametrize("content", [b"\x89PNG garbage", b'{"tenants": {"1": {"na', b"", b"{}"],
                         ids=["garbage", "truncated", "empty", "empty object"])
def test_an_unusable_snapshot_stops_the_start_in_one_line_and_is_left_alone(tmp_path, content):
    data = tmp_path / "state.json"
    data.write_bytes(content)

    assert_refused_in_one_line(serve(data), data)

    assert sorted(tmp_path.iterdir()) == [data] and data.read_bytes() == content


def test_a_directory_and_a_missing_directory_stop_the_start_in_one_line(tmp_path):
    (tmp_path / "a-directory").mkdir()

    assert_refused_in_one_line(serve(tmp_path / "a-directory"), tmp_path / "a-directory")
    assert "does not exist" in assert_refused_in_one_line(serve(tmp_path / "nowhere" / "s.json"), tmp_path / "nowhere" / "s.json")
    assert not (tmp_path / "nowhere").exists()


def test_a_corrupt_journal_line_stops_the_start_and_repair_keeps_the_rest(tmp_path):
    data = tmp_path / "state.json"
    a_written_data_file(data)
    lines = journal_of(data).read_bytes().split(b"\n")
    lines[1] = b"\x00\x00\x00"
    journal_of(data).write_bytes(b"\n".join(lines))
    before = {path: path.read_bytes() for path in tmp_path.iterdir()}

    line = assert_refused_in_one_line(serve(data), data)

    assert f"{journal_of(data)}: line 2 " in line
    assert {path: path.read_bytes() for path in tmp_path.iterdir()} == before
    port = free_port()
    repairing = subprocess.Popen([sys.executable, "-m", "handlers.serve", "--port", str(port), "--data", str(data),
                                  "--repair"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        answer = wait_until_answering(f"http://127.0.0.1:{port}/api/v1/models/gpt-4-assistant", repairing, AUTH)
        summary = answer.json()["summary"]
    finally:
        repairing.terminate()
        _, stderr = repairing.communicate(timeout=START_GUARD)
    assert summary == "three"
    assert "repaired" in stderr and "[2]" in stderr
    assert len(list(tmp_path.glob("*.backup-*"))) == 2



def test_a_write_the_disk_refuses_is_a_json_503_and_leaves_no_trace(tmp_path, monkeypatch, start_server):
    data = tmp_path / "state.json"
    app = create_app(data_path=data, validate_responses=True)
    journal = app.app.extensions[SERVICE_KEY].store._db.storage.journal
    server = start_server(app)
    with server.client() as http:
        assert_json(http.patch("/models/gpt-4-assistant", json={"summary": "told 200"}), 200)

        def full_disk(data: bytes) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(journal, "_write_all", full_disk)
        refused = [http.patch("/models/gpt-4-assistant", json={"summary": "told 503"}),
                   http.post("/models/", json={"name": "told-503", "dtype": "ollama", "configuration": {"model": "m"}}),
                   http.delete("/models/claude-writer")]
        shown = assert_json(http.get("/models/gpt-4-assistant"), 200)
        listed = [model["name"] for model in assert_json(http.get("/models/"), 200)]
    server.stop()
    journal.close()

    for response in refused:
        assert "No space left on device" in assert_json(response, 503)["detail"]
    assert shown["summary"] == "told 200"
    assert "told-503" not in listed and "claude-writer" in listed
    with start_server(data_path=data).client() as http:
        assert assert_json(http.get("/models/gpt-4-assistant"), 200)["summary"] == "told 200"
        assert_json(http.get("/models/claude-writer"), 200)
        assert http.get("/models/told-503").status_code == 404
