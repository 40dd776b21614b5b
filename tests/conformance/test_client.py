"""The kit's client on its own: strict JSON, bounded bodies, deadlines, and key scrubbing."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import zlib
from dataclasses import dataclass, field

import pytest

from conformance.bodies import BodyTooLarge, UndecodableBody, read_limited
from conformance.client import Client, Exchange, RunOutOfTime, parse_json
from conformance.contract import Contract
from conformance.curl import curl_command
from conformance.options import KitOptions
from conformance.run_context import RunContext
from conformance.scrubbing import MASK, scrub, scrub_text
from conformance.violations import NoAnswer
from tests.catalogue import CATALOGUE
from tests.live import TOKEN, LiveServer

HUNG = 120  # seconds after which a request that should have ended is called hung (a bound)


# --- strict JSON ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["NaN", "[Infinity]", '{"a": -Infinity}', '{"a": [1, NaN]}'])
def test_non_finite_constants_are_not_json(text):
    with pytest.raises(ValueError, match="not JSON"):
        parse_json(text)


def test_nesting_too_deep_for_python_is_a_value_error_not_a_recursion_error():
    with pytest.raises(ValueError, match="nested too deeply"):
        parse_json("[" * 200_000 + "]" * 200_000)


def test_plain_json_still_parses():
    assert parse_json('{"a": [1, 2.5, "x", null, true]}') == {"a": [1, 2.5, "x", None, True]}


# --- bounded bodies ------------------------------------------------------------------------------


def _bomb(inflated: int, wbits: int) -> list[bytes]:
    packer = zlib.compressobj(1, zlib.DEFLATED, wbits)
    chunks = [packer.compress(b" " * 2**20) for _ in range(inflated // 2**20)]
    return [chunk for chunk in chunks if chunk] + [packer.flush()]


@pytest.mark.parametrize("coding, wbits", [("gzip", 16 + zlib.MAX_WBITS), ("deflate", zlib.MAX_WBITS)])
def test_a_compression_bomb_stops_at_the_limit(coding, wbits):
    handed: list[int] = []

    def counted(chunks):
        for chunk in chunks:
            handed.append(len(chunk))
            yield chunk

    with pytest.raises(BodyTooLarge):
        read_limited(counted(_bomb(256 * 2**20, wbits)), coding, 4 * 2**20)
    assert sum(handed) < 64 * 2**10, "read far more of the compressed stream than the limit needs"


def test_a_compressed_body_within_the_limit_is_read_whole():
    assert read_limited([gzip.compress(b'{"a": 1}')], "GZIP", 100) == b'{"a": 1}'


def test_an_encoding_the_kit_did_not_ask_for_is_refused():
    with pytest.raises(UndecodableBody, match="br"):
        read_limited([b"\x00\x01"], "br", 100)


def test_a_plain_body_over_the_limit_is_refused():
    with pytest.raises(BodyTooLarge):
        read_limited([b"x" * 60, b"x" * 60], "", 100)


# --- deadlines -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    errors: list[BaseException] = field(default_factory=list)


def _in_thread(steps) -> Outcome:
    outcome = Outcome()

    def target() -> None:
        try:
            steps()
        except BaseException as error:  # noqa: BLE001  the test judges what was raised
            outcome.errors.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(HUNG)
    assert not thread.is_alive(), "the request did not end"
    return outcome


@pytest.fixture(scope="module")
def drip_server():
    server = LiveServer(CATALOGUE["drip_list"].build())
    yield server
    server.stop()


def test_a_drip_ends_at_the_request_deadline(drip_server):
    """One byte every 2 s never trips a per-read timeout of 3 s; the whole request's does."""
    client = Client.open(drip_server.base_url, TOKEN, None, timeout=3)
    outcome = _in_thread(lambda: client.request("GET", "/models/"))
    assert isinstance(outcome.errors[0], NoAnswer)
    assert "deadline" in str(outcome.errors[0])


def test_the_run_deadline_cuts_a_request_and_then_stops_the_run(drip_server):
    """--max-time bounds requests too: a long timeout does not outlast the run. The request it
    cut had not had its --timeout, so it stops the run (not judged), not NoAnswer (the target's fault)."""
    client = Client.open(drip_server.base_url, TOKEN, None, timeout=10_000)
    client.limits.end_run_at(time.monotonic() + 1)
    outcome = _in_thread(lambda: client.request("GET", "/models/"))
    assert isinstance(outcome.errors[0], RunOutOfTime)
    with pytest.raises(RunOutOfTime):
        client.request("GET", "/models/types/")


def test_an_operation_that_never_answered_is_not_sent_again_for_that_tenant(drip_server):
    """The list drips: it costs one timeout; later lists of that tenant fail at once (the rules
    that list report it without waiting again), while the target's other operations still go."""
    client = Client.open(drip_server.base_url, TOKEN, None, timeout=1)
    first = _in_thread(lambda: client.request("GET", "/models/"))
    assert client.request("GET", "/models/types/").status == 200
    again = _in_thread(lambda: client.request("GET", "/models/"))
    other_tenant = _in_thread(lambda: client.as_tenant("acme").request("GET", "/models/"))
    assert [type(outcome.errors[0]) for outcome in (first, again, other_tenant)] == [NoAnswer] * 3
    assert "deadline" in str(first.errors[0])
    assert "not sent: GET /models/ got no answer before" in str(again.errors[0])
    assert "not sent" not in str(other_tenant.errors[0])


@pytest.mark.parametrize("tenants", [{"other_tenant": "acme"}, {"tenant": "acme"}])
def test_preflight_spends_one_timeout_on_a_list_that_never_ends(drip_server, tenants):
    """Preflight lists up to three tenants; a drip costs the first of them only, and the run goes
    on (its rules report the list), instead of paying one timeout per tenant checked."""
    run = RunContext(KitOptions(base_url=drip_server.base_url, token=TOKEN, timeout=1, **tenants), Contract.load())
    sent: list[Exchange] = []
    run.client.listeners.append(sent.append)
    try:
        _in_thread(run.preflight)
    finally:
        run.close()
    unanswered = [exchange for exchange in sent if exchange.status is None]
    assert len(unanswered) == 1, [exchange.describe() for exchange in sent]
    assert run.recipe is not None  # the model types were read: the run goes on


def test_after_the_run_each_cleanup_request_gets_its_own_bounded_time(drip_server):
    client = Client.open(drip_server.base_url, TOKEN, None, timeout=10_000)
    client.limits.end_run_at(time.monotonic() - 1)
    client.limits.allow(1)
    assert client.request("GET", "/models/types/").status == 200
    outcome = _in_thread(lambda: client.request("GET", "/models/"))
    assert isinstance(outcome.errors[0], NoAnswer)
    assert client.request("GET", "/models/types/").status == 200


# --- scrubbing -----------------------------------------------------------------------------------


def test_every_spelling_of_the_key_is_masked():
    key = 'k"e\\y/1 é$'
    text = f'{key} {key!r} {{"a": "k\\"e\\\\y/1 \\u00e9$"}} k%22e%5Cy%2F1%20%C3%A9%24'
    assert scrub_text(text, key).count(MASK) == 4
    assert "y/1" not in scrub_text(text, key)


def test_scrub_walks_reports_and_keeps_their_types():
    @dataclass
    class Inner:
        reason: str
        notes: list[str]

    scrubbed = scrub({"x": Inner("key=secret-key", ["secret-key", "fine"]), "n": 3}, "secret-key")
    assert scrubbed == {"x": Inner(f"key={MASK}", [MASK, "fine"]), "n": 3}


def test_a_malformed_header_with_the_key_replays_through_the_shell_variable():
    exchange = Exchange("GET", "/models/", "http://h/api/v1/models/", None, f"bearer {TOKEN}", None)
    command = scrub_text(curl_command(exchange), TOKEN)
    assert '-H "Authorization: bearer $TOKEN"' in command and TOKEN not in command


# --- idle connections ----------------------------------------------------------------------------


class _ClosesIdleConnections(threading.Thread):
    """Answers each connection's first request; a request on a connection idle for longer than
    `idle` seconds is dropped unanswered, as a server closing it at that moment does."""

    idle = 0.5

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]

    def run(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection) -> None:
        answered_at = None
        with connection:
            while connection.recv(65536):
                if answered_at is not None and time.monotonic() - answered_at > self.idle:
                    return  # closed as the request arrived: no answer
                body = b'{"ok": true}'
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                                   + str(len(body)).encode() + b"\r\n\r\n" + body)
                answered_at = time.monotonic()


def test_a_connection_idle_past_the_keepalive_expiry_is_not_reused():
    server = _ClosesIdleConnections()
    server.start()
    client = Client.open(f"http://127.0.0.1:{server.port}", TOKEN, None, timeout=30)
    try:
        assert client.request("GET", "/models/").status == 200
        time.sleep(1.5)  # idle longer than the kit keeps a connection (and than the server does)
        assert client.request("GET", "/models/").status == 200
    finally:
        client.close()
        server.listener.close()
