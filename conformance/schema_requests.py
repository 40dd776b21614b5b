"""The Schemathesis phase's requests, bounded as the kit's own are (docs/contract.md §12.7).

Schemathesis sends with `requests`, not through the kit's client. Two extension points bound
each call it makes: its `before_call` hook gives the request a deadline (the least of
`--timeout`, the run's time and the phase's time left), as requests' timeout (connecting and
each wait for the headers) and as a response hook, which requests runs before the body is read
(Schemathesis streams). The hook reads the body itself, through the kit's `read_answer` (the
size cap after decompression), while a watchdog shuts the socket at the deadline, so a drip or
an endless body ends with the request. Each request that ends without a complete answer is kept
as the kit's own violation (`NoAnswer`, `ResponseTooLarge`, `NotJson`) for the rule to report.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import requests
import urllib3
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
    """The answer broke a bound (its size, its coding); `violation` says which."""


@dataclass(frozen=True)
class _Call:
    seconds: float  # the request's deadline, from when it is sent
    by_budget: bool  # set by the time left to the run or the phase, shorter than --timeout


class BoundedCalls:
    """The hooks that bound Schemathesis' calls, and what they met: the target's violations,
    and whether the time budget, not the target, ended a call."""

    def __init__(self, limits: Limits, token: str, deadline: float) -> None:
        self.limits = limits
        self.token = token
        self.deadline = deadline  # monotonic: the phase's end
        self.violations: list[ContractViolation] = []
        self.budget_ended = False
        self._current = threading.local()  # .call: the `_Call` in flight on this thread

    def before_call(self, case: Any, kwargs: dict[str, Any]) -> None:
        seconds = min(self.limits.seconds_for_request(), self.deadline - time.monotonic())
        if seconds <= 0:
            self.budget_ended = True
            raise PhaseOutOfTime("the time budget (--max-time) is used up")
        call = self._current.call = _Call(seconds, seconds < self.limits.timeout)
        if case.headers is None:
            case.headers = {}
        case.headers["Accept-Encoding"] = ACCEPT_ENCODING  # only what read_answer can bound
        kwargs["timeout"] = seconds
        kwargs["hooks"] = {"response": [lambda response, **_: self._read(case, response, call)]}

    def after_network_error(self, case: Any, request: requests.PreparedRequest) -> None:
        """Called while Schemathesis handles the exception that ended the call."""
        error = sys.exception()
        call = getattr(self._current, "call", None)
        if isinstance(error, _Refused):
            self.violations.append(error.violation)
        elif isinstance(error, requests.Timeout) and call is not None and call.by_budget:
            self.budget_ended = True  # the run's time ran out, not the target's: nothing judged
        elif isinstance(error, _Unanswered):
            self.violations.append(error.violation)
        elif isinstance(error, requests.RequestException):
            seconds = call.seconds if isinstance(error, requests.Timeout) and call is not None else None
            self.violations.append(unanswered(self._exchange(case, request), error, seconds))

    @staticmethod
    def took(error: BaseException) -> bool:
        """Whether `error`, an engine error of Schemathesis, is one the hooks kept (a failed
        call) or the phase's own end: neither is an error of the engine."""
        error = getattr(error, "original_error", error)  # as Schemathesis wraps a hook's error
        return isinstance(error, PhaseOutOfTime) or (
            isinstance(error, requests.RequestException) and isinstance(error.request, requests.PreparedRequest))

    def _read(self, case: Any, response: requests.Response, call: _Call) -> requests.Response:
        """Read the body within the cap and the deadline; raise what stops it."""
        exchange = self._exchange(case, response.request, status=response.status_code)
        exchange.content_type = response.headers.get("content-type", "")
        coding = response.headers.get("content-encoding", "")
        try:
            broken: Exception | None = None
            with _shut_at(response, call.seconds - response.elapsed.total_seconds()) as expired:
                try:
                    body = read_answer(exchange, response.raw.stream(READ_STEP, decode_content=False),
                                       coding, self.limits.max_response_bytes)
                except (urllib3.exceptions.HTTPError, OSError) as exc:
                    broken = exc
            if expired.is_set():  # whatever was read: the socket is shut, the answer not whole
                never_ended = TimeoutError("the body never ended")
                raise _failed(_Unanswered, unanswered(exchange, never_ended, call.seconds), response)
            if broken is not None:
                raise _failed(_Unanswered, unanswered(exchange, broken, None), response)
        except ContractViolation as violation:
            response.close()
            raise _failed(_Refused, violation, response) from None
        except _Unanswered:
            response.close()
            raise
        response._content = body
        response._content_consumed = True
        response.raw.release_conn()
        return response

    def _exchange(self, case: Any, request: requests.PreparedRequest, status: int | None = None) -> Exchange:
        exchange = exchange_of(case.operation.path, Request.from_prepared_request(request), self.token)
        exchange.status = status
        return exchange


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


def _failed(kind: type, violation: ContractViolation, response: requests.Response) -> requests.RequestException:
    error = kind(violation.message, request=response.request, response=response)
    error.violation = violation
    return error


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
