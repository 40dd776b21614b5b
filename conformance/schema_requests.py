"""The Schemathesis phase's requests, bounded as the kit's own are (docs/contract.md §12.7).

Schemathesis sends with `requests`, not through the kit's client, and not only the calls it
generates: it also probes the base URL before it starts and sends requests again inside its
checks, from sessions it makes itself. Every one of them passes through the transport adapter
of `requests`, so for the phase's duration that adapter's `send` is wrapped: each request gets a
deadline (the least of `--timeout`, the run's time and the phase's time left), its answer is
read through the kit's `read_answer` (the size cap after decompression) while a watchdog shuts
the socket at the deadline, so a drip or an endless body ends with the request. The
`before_call` hook marks which request is a generated call, and for which operation.

What a bound ended becomes the kit's own violation (`NoAnswer`, `ResponseTooLarge`, `NotJson`)
for the rule to report. For Schemathesis' own requests only an answer the kit refused to read
whole is one: whether a probe that got no answer says anything is Schemathesis' to decide, and
an error in a re-sent check reaches the rule as Schemathesis' error.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from schemathesis.core.transport import Response
from schemathesis.engine.recorder import Request

from conformance.bodies import ACCEPT_ENCODING
from conformance.client import TENANT_HEADER, WITH_TOKEN, Exchange, Limits, read_answer, unanswered
from conformance.violations import ContractViolation

READ_STEP = 2**16  # bytes asked of the socket per read


class PhaseOutOfTime(requests.exceptions.RequestException):
    """The phase's (or the run's) time is used up: the call is not sent."""


class _Unanswered(requests.exceptions.Timeout):
    """The body did not end within the request's deadline (a Timeout, so Schemathesis stops
    sending to that operation, as for its own timeouts)."""


class _Refused(requests.exceptions.RequestException):
    """The answer broke a bound (its size, its coding)."""


@dataclass(frozen=True)
class _Call:
    seconds: float  # the request's deadline, from when it is sent
    by_budget: bool  # set by the time left to the run or the phase, shorter than --timeout
    operation: str | None  # the generated call's path template; None: Schemathesis' own request


class BoundedCalls:
    """Bounds every request Schemathesis sends, and keeps what the bounds met: the target's
    violations, and whether the time budget, not the target, ended a call."""

    def __init__(self, limits: Limits, token: str, deadline: float) -> None:
        self.limits = limits
        self.token = token
        self.deadline = deadline  # monotonic: the phase's end
        self.violations: list[ContractViolation] = []
        self.budget_ended = False
        self._generated = threading.local()  # .operation: set by `before_call`, taken by the next send

    def before_call(self, case: Any, kwargs: dict[str, Any]) -> None:
        """The next request this thread sends is the call generated for `case`."""
        if self._seconds() <= 0:
            self.budget_ended = True
            raise PhaseOutOfTime("the time budget (--max-time) is used up")
        self._generated.operation = case.operation.path

    @contextmanager
    def on_every_request(self) -> Iterator[None]:
        """Bound every request sent through `requests` in this process while the block runs."""
        send = HTTPAdapter.send

        def bounded_send(adapter: HTTPAdapter, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
            return self._send(lambda **sent: send(adapter, request, **sent), request, kwargs)

        HTTPAdapter.send = bounded_send
        try:
            yield
        finally:
            HTTPAdapter.send = send

    @staticmethod
    def took(error: BaseException) -> bool:
        """Whether `error`, an engine error of Schemathesis, is one the bounds kept (a violation,
        or the time budget's end): neither is an error of the engine."""
        error = getattr(error, "original_error", error)  # as Schemathesis wraps a hook's error
        return isinstance(error, PhaseOutOfTime) or getattr(error, "kept_by_bounds", False)

    def _seconds(self) -> float:
        return min(self.limits.seconds_for_request(), self.deadline - time.monotonic())

    def _send(self, send: Callable[..., requests.Response], request: requests.PreparedRequest,
              kwargs: dict[str, Any]) -> requests.Response:
        seconds = self._seconds()
        call = _Call(seconds, seconds < self.limits.timeout, getattr(self._generated, "operation", None))
        self._generated.operation = None
        exchange = exchange_of(call.operation or urlsplit(request.url).path,
                               Request.from_prepared_request(request), self.token)
        if seconds <= 0:
            self.budget_ended = True
            raise _kept(PhaseOutOfTime("the time budget (--max-time) is used up", request=request))
        request.headers["Accept-Encoding"] = ACCEPT_ENCODING  # only what read_answer can bound
        started = time.monotonic()
        try:
            response = send(**{**kwargs, "timeout": seconds})
        except requests.RequestException as error:
            raise self._failed(call, exchange, error) from None
        return self._read(call, exchange, response, seconds - (time.monotonic() - started))

    def _read(self, call: _Call, exchange: Exchange, response: requests.Response, seconds: float) -> requests.Response:
        """Read the body within the cap and `seconds`; raise what stops it."""
        exchange.status = response.status_code
        exchange.content_type = response.headers.get("content-type", "")
        coding = response.headers.get("content-encoding", "")
        refused: ContractViolation | None = None
        broken: Exception | None = None
        with _shut_at(response, seconds) as expired:
            try:
                body = read_answer(exchange, response.raw.stream(READ_STEP, decode_content=False),
                                   coding, self.limits.max_response_bytes)
            except ContractViolation as violation:
                refused = violation
            except (urllib3.exceptions.HTTPError, OSError) as error:
                broken = error
        if expired.is_set() or isinstance(broken, (urllib3.exceptions.ReadTimeoutError, TimeoutError)):
            # whatever was read: the socket is shut, the answer not whole
            broken = _Unanswered("the body never ended", request=response.request, response=response)
        elif broken is not None:
            broken = requests.ConnectionError(broken, request=response.request, response=response)
        elif refused is not None:
            self.violations.append(refused)
            broken = _kept(_Refused(refused.message, request=response.request, response=response))
        if broken is not None:
            response.close()
            raise self._failed(call, exchange, broken) from None
        response._content = body
        response._content_consumed = True
        response.raw.release_conn()
        return response

    def _failed(self, call: _Call, exchange: Exchange, error: requests.RequestException) -> Exception:
        """The exception to raise for a request that got no whole answer, kept as the phase's
        end, or as the target's violation where that is what it is."""
        if getattr(error, "kept_by_bounds", False):
            return error
        if isinstance(error, requests.Timeout) and call.by_budget:
            self.budget_ended = True  # the run's time ran out, not the target's: nothing judged
            return _kept(error)
        if call.operation is None:
            return error  # Schemathesis' own request: its own handling decides what it says
        if isinstance(error, requests.Timeout):
            cause = TimeoutError("the body never ended") if isinstance(error, _Unanswered) else error
            self.violations.append(unanswered(exchange, cause, call.seconds))
        else:
            self.violations.append(unanswered(exchange, error, None))
        return _kept(error)


def _kept(error: Exception) -> Exception:
    error.kept_by_bounds = True
    return error


def exchange_of(template: str, request: Request, token: str, response: Response | None = None) -> Exchange:
    """A call Schemathesis made (as its recorder keeps it) as the kit's evidence shows one."""
    headers = {name.lower(): values[0] for name, values in request.headers.items() if values}
    authorization = headers.get("authorization")
    exchange = Exchange(
        method=request.method.upper(),
        template=template,
        url=request.uri,
        tenant=headers.get(TENANT_HEADER.lower()),
        authorization=WITH_TOKEN if authorization == f"Bearer {token}" else authorization,
        body=request.body,
    )
    if response is not None:
        answered = {name.lower(): values[0] for name, values in response.headers.items() if values}
        exchange.status = response.status_code
        exchange.content_type = answered.get("content-type", "")
        exchange.allow = answered.get("allow")
        exchange.text = response.text_lossy()
    return exchange


@contextmanager
def _shut_at(response: requests.Response, seconds: float) -> Iterator[threading.Event]:
    """Shut the answer's socket `seconds` from now, unless the block is over by then (never
    after: the connection may be reused); the event says whether it was shut."""
    expired = threading.Event()
    sock = getattr(response.raw.connection, "sock", None)
    over = threading.Lock()

    def shut() -> None:
        if not over.acquire(blocking=False):
            return
        expired.set()
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    timer = threading.Timer(max(seconds, 0), shut)
    timer.daemon = True
    timer.start()
    try:
        yield expired
    finally:
        over.acquire(blocking=False)  # from here on, shut() does nothing
        timer.cancel()
