"""HTTP access to the target: one place that sends, times out, records and classifies answers.

Every request becomes an `Exchange` handed to the listeners (the transcript for reproductions,
the response-schema observer). No answer in time is `NoAnswer`, a 5xx is `ServerError`: rules
never see a raw transport exception, so a broken target fails a rule instead of crashing the kit.

The kit is pointed at deployments it does not control, so every answer is bounded: a request
ends at its deadline (`--timeout` for the whole request, however slowly the body drips), a body
larger than `MAX_RESPONSE_BYTES` once decompressed is `ResponseTooLarge` (read no further), and
bodies are parsed as RFC 8259 JSON: `NaN` and `Infinity` are not JSON, and nesting deeper than
Python can parse is reported, never raised as a `RecursionError`.
"""

from __future__ import annotations

import codecs
import json
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from conformance import interrupts
from conformance.bodies import ACCEPT_ENCODING, BodyTooLarge, UndecodableBody, read_limited
from conformance.transport import DeadlineTransport
from conformance.violations import (
    ContractViolation,
    NoAnswer,
    NotJson,
    ResponseTooLarge,
    ServerError,
    UnexpectedStatus,
)

TENANT_HEADER = "X-Tenant-Name"
# The token as the kit's own requests carry it; reproductions print `$TOKEN` in its place.
WITH_TOKEN = object()
_NOTHING = object()
# Far above any answer the contract describes (a list of 10,000 models is about 6 MB).
MAX_RESPONSE_BYTES = 32 * 2**20


def _not_json_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON (RFC 8259 has no NaN or Infinity)")


def _text_decoder(charset: str | None) -> codecs.IncrementalDecoder:
    try:
        return codecs.getincrementaldecoder(charset or "utf-8")(errors="replace")
    except LookupError:  # a charset no codec knows: read it as UTF-8
        return codecs.getincrementaldecoder("utf-8")(errors="replace")


def parse_json(text: str) -> Any:
    """Strict RFC 8259 JSON; `ValueError` for anything else, excessive nesting included."""
    try:
        return json.loads(text, parse_constant=_not_json_constant)
    except RecursionError:
        raise ValueError("nested too deeply for the kit to parse") from None


def path_segment(name: str) -> str:
    """Percent-encode a model name for the URL; all-dot names too, so no client collapses them."""
    if name and set(name) == {"."}:
        return "%2E" * len(name)
    # a lone surrogate has no UTF-8 form: its WTF-8 bytes, so a name that was stored can still be sent
    return quote(name, safe="", errors="surrogatepass")


@dataclass
class Exchange:
    """One request and what came back (status `None`: no answer)."""

    method: str
    template: str
    url: str
    tenant: str | None
    authorization: Any  # WITH_TOKEN, a literal header value, or None (header left out)
    body: bytes | None
    name: str | None = None  # the model name filled into the template, if any
    status: int | None = None
    text: str = ""
    content_type: str = ""
    allow: str | None = None  # the Allow header, if the answer had one (405s must)
    error: str = ""

    @property
    def operation(self) -> str:
        """The contract's operation, e.g. `PATCH /models/{name}`."""
        return f"{self.method} {self.template}"

    def json(self) -> Any:
        """The response body as JSON, or `NotJson` naming what came instead."""
        try:
            return parse_json(self.text)
        except ValueError as exc:
            snippet = self.text[:200].replace("\n", " ")
            raise NotJson(
                f"{self.method} {self.url} answered {self.status} with a body that is not JSON "
                f"({exc}; content-type {self.content_type or 'none'}): {snippet!r}",
                expected="a JSON body", actual=f"{exc}; content-type {self.content_type or 'none'}", evidence=[self],
            ) from None

    def describe(self) -> str:
        sent = f" {self.body.decode('utf-8', 'replace')}" if self.body is not None else ""
        return f"{self.method} {self.url}{sent} -> {self.status}"


def read_answer(exchange: Exchange, raw_chunks: Iterable[bytes], coding: str, limit: int) -> bytes:
    """The body of the answer `exchange` got, decoded and at most `limit` bytes; else
    `ResponseTooLarge` (or `NotJson`, a coding the kit cannot bound) with it as evidence.
    Shared by the kit's client and the Schemathesis phase (`conformance.schema_requests`)."""
    try:
        return read_limited(raw_chunks, coding, limit)
    except (BodyTooLarge, UndecodableBody) as exc:
        # published without a status: no listener judges a body the kit did not read
        exchange.error = f"answered {exchange.status} with {exc}; the kit stopped reading it"
        exchange.status = None
        violation = ResponseTooLarge if isinstance(exc, BodyTooLarge) else NotJson
        raise violation(
            f"{exchange.method} {exchange.url} {exchange.error}", actual=str(exc), evidence=[exchange]
        ) from None


def unanswered(exchange: Exchange, error: BaseException, deadline_seconds: float | None) -> NoAnswer:
    """`NoAnswer` for `exchange`, whose request failed with `error`; `deadline_seconds`: the
    request's deadline, when that is what ended it."""
    exchange.status = None
    exchange.error = f"{type(error).__name__}: {error}"
    if deadline_seconds is not None:
        exchange.error = f"no complete answer within the request's {deadline_seconds:.3g} s deadline ({exchange.error})"
    return NoAnswer(f"{exchange.method} {exchange.url} got no answer: {exchange.error}",
                    actual=exchange.error, evidence=[exchange])


@dataclass
class Reply:
    """What a rule gets back: the exchange plus checked accessors."""

    exchange: Exchange

    @property
    def status(self) -> int:
        assert self.exchange.status is not None
        return self.exchange.status

    def json(self) -> Any:
        return self.exchange.json()

    def expect(self, status: int, violation: type[ContractViolation] = UnexpectedStatus, why: str = "") -> Any:
        """The JSON body when the status is `status`; otherwise `violation` with the evidence."""
        if self.status != status:
            reason = f" ({why})" if why else ""
            raise violation(
                f"expected {status}{reason}, got {self.status}: {self.exchange.describe()}"
                f" answered {self.exchange.text[:300]!r}",
                expected=f"{status}{reason}", actual=str(self.status), evidence=[self.exchange],
            )
        return self.json()


@dataclass
class Liveness:
    """Whether the target still answers, so a hung target costs a few timeouts, not one each.

    After `limit` requests in a row get no answer, requests fail at once without being sent;
    so does, at once, every later request of an operation (for one tenant) that got no answer
    within its whole --timeout: a list that never ends costs one timeout, and the rules that
    list report it without waiting again. Until :meth:`revive_for_cleanup`.
    """

    limit: int = 2
    silent: int = 0
    timed_out: dict[tuple[str | None, str], str] = field(default_factory=dict)  # (tenant, operation) -> why

    @property
    def gone(self) -> bool:
        return self.silent >= self.limit

    def why_not_send(self, exchange: Exchange) -> str:
        """Why `exchange` is not worth sending (empty: it is)."""
        if self.gone:
            return "the last request got no answer" if self.silent == 1 else f"the last {self.silent} requests got no answer"
        earlier = self.timed_out.get((exchange.tenant, exchange.operation))
        return f"{exchange.operation} got no answer before: {earlier}" if earlier else ""

    def answered(self) -> None:
        self.silent = 0

    def revive_for_cleanup(self) -> None:
        """One more chance, for the cleanup: every operation may be sent again, but the first
        request that gets no answer is the last (`conformance.budget`)."""
        self.silent = 0
        self.limit = 1
        self.timed_out.clear()


class RunOutOfTime(KeyboardInterrupt):
    """The rules' time (`--max-time`, less the cleanup's part) is used up: the run stops like an
    interrupt, between two requests, and what it did not judge is reported as not run."""


@dataclass
class Limits:
    """What bounds the requests of a client and its siblings."""

    timeout: float  # one request, whole
    max_response_bytes: int = MAX_RESPONSE_BYTES
    run_deadline: float = float("inf")  # monotonic: no request runs past it

    def end_run_at(self, deadline: float) -> None:
        self.run_deadline = deadline

    def allow(self, seconds: float) -> None:
        """From now on (the cleanup), each request gets at most `seconds`, whatever the run used."""
        self.run_deadline = float("inf")
        self.timeout = min(self.timeout, seconds)

    def seconds_for_request(self) -> float:
        """The time the next request may take (nothing left: zero or less)."""
        return min(self.timeout, self.run_deadline - time.monotonic())


@dataclass
class Client:
    """Sends requests to one base URL as one tenant; siblings share the connection pool."""

    base_url: str
    token: str
    tenant: str | None
    http: httpx.Client
    transport: DeadlineTransport
    limits: Limits
    listeners: list[Callable[[Exchange], None]] = field(default_factory=list)
    liveness: Liveness = field(default_factory=Liveness)

    @classmethod
    def open(cls, base_url: str, token: str, tenant: str | None, timeout: float) -> Client:
        """`timeout` bounds each request as a whole: connecting, sending and the entire answer."""
        transport = DeadlineTransport()
        http = httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False, transport=transport)
        return cls(base_url.rstrip("/"), token, tenant, http, transport, Limits(timeout))

    def as_tenant(self, tenant: str | None) -> Client:
        return Client(
            self.base_url, self.token, tenant, self.http, self.transport, self.limits,
            self.listeners, self.liveness,
        )

    def close(self) -> None:
        self.http.close()

    def request(
        self,
        method: str,
        template: str,
        *,
        name: str | None = None,
        params: Mapping[str, str] | None = None,
        json_body: Any = _NOTHING,
        raw_body: bytes | None = None,
        authorization: Any = WITH_TOKEN,
    ) -> Reply:
        """Send one request; `template` is the contract path, `{name}` filled from `name` and
        any other `{parameter}` from `params`."""
        path = template if name is None else template.replace("{name}", path_segment(name))
        for parameter, value in (params or {}).items():
            path = path.replace("{" + parameter + "}", path_segment(value))
        headers = {"Accept": "application/json"}
        if authorization is WITH_TOKEN:
            headers["Authorization"] = f"Bearer {self.token}"
        elif authorization is not None:
            headers["Authorization"] = authorization
        if self.tenant is not None:
            headers[TENANT_HEADER] = self.tenant
        body = raw_body
        if json_body is not _NOTHING:
            body = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
        if body is not None:
            headers["Content-Type"] = "application/json"
        exchange = Exchange(
            method=method,
            template=template,
            url=self.base_url + path,
            tenant=self.tenant,
            authorization=authorization,
            body=body,
            name=name,
        )
        interrupts.raise_if_requested()
        why_not = self.liveness.why_not_send(exchange)
        if why_not:
            exchange.error = f"not sent: {why_not}"
            self._publish(exchange)
            raise NoAnswer(f"{method} {exchange.url} {exchange.error}", actual="not sent", evidence=[exchange])
        seconds = self.limits.seconds_for_request()
        if seconds <= 0:
            raise RunOutOfTime("the run's time budget (--max-time) is used up")
        try:
            with self.transport.deadline_in(seconds):
                self._receive(exchange, headers)
        except httpx.HTTPError as exc:
            if isinstance(exc, httpx.TimeoutException) and seconds < self.limits.timeout:
                # the run's time ended it, before the target's --timeout: nothing to judge
                raise RunOutOfTime("the run's time budget (--max-time) ended a request") from exc
            if isinstance(exc, (httpx.TimeoutException, httpx.NetworkError)):
                self.liveness.silent += 1
            violation = unanswered(exchange, exc, seconds if isinstance(exc, httpx.TimeoutException) else None)
            if isinstance(exc, httpx.TimeoutException):
                self.liveness.timed_out[(exchange.tenant, exchange.operation)] = exchange.error
            self._publish(exchange)
            raise violation from exc
        except (ResponseTooLarge, NotJson):
            self.liveness.answered()
            self._publish(exchange)
            raise
        self.liveness.answered()
        self._publish(exchange)
        if exchange.status >= 500:
            raise ServerError(
                f"{exchange.describe()} (a server error) answered {exchange.text[:300]!r}",
                expected="no server error", actual=str(exchange.status), evidence=[exchange],
            )
        return Reply(exchange)

    def _receive(self, exchange: Exchange, headers: dict[str, str]) -> None:
        """Send the request and read the answer into `exchange`, at most `max_response_bytes`
        of it once decompressed (a gzip bomb is cut off, not inflated)."""
        headers = {**headers, "Accept-Encoding": ACCEPT_ENCODING}
        request = self.http.build_request(exchange.method, exchange.url, headers=headers, content=exchange.body)
        response = self.http.send(request, stream=True)
        try:
            exchange.status = response.status_code
            exchange.content_type = response.headers.get("content-type", "")
            exchange.allow = response.headers.get("allow")
            coding = response.headers.get("content-encoding", "")
            body = read_answer(exchange, response.iter_raw(), coding, self.limits.max_response_bytes)
        finally:
            response.close()
        exchange.text = _text_decoder(response.charset_encoding).decode(body, final=True)

    def _publish(self, exchange: Exchange) -> None:
        for listener in self.listeners:
            listener(exchange)
