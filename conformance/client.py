"""HTTP access to the target: one place that sends, times out, records and classifies answers.

Every request becomes an `Exchange` handed to the listeners (the transcript for reproductions,
the response-schema observer). No answer in time is `NoAnswer`, a 5xx is `ServerError`: rules
never see a raw transport exception, so a broken target fails a rule instead of crashing the kit.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from conformance import interrupts
from conformance.violations import (
    ContractViolation,
    NoAnswer,
    NotJson,
    ServerError,
    UnexpectedStatus,
)

TENANT_HEADER = "X-Tenant-Name"
# The token as the kit's own requests carry it; reproductions print `$TOKEN` in its place.
WITH_TOKEN = object()
_NOTHING = object()


def path_segment(name: str) -> str:
    """Percent-encode a model name for the URL; all-dot names too, so no client collapses them."""
    if name and set(name) == {"."}:
        return "%2E" * len(name)
    return quote(name, safe="")


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
    error: str = ""

    @property
    def operation(self) -> str:
        """The contract's operation, e.g. `PATCH /models/{name}`."""
        return f"{self.method} {self.template}"

    def json(self) -> Any:
        """The response body as JSON, or `NotJson` naming what came instead."""
        try:
            return json.loads(self.text)
        except ValueError:
            snippet = self.text[:200].replace("\n", " ")
            raise NotJson(
                f"{self.method} {self.url} answered {self.status} with a body that is not JSON "
                f"(content-type {self.content_type or 'none'}): {snippet!r}",
                expected="a JSON body", actual=f"content-type {self.content_type or 'none'}", evidence=[self],
            ) from None

    def describe(self) -> str:
        sent = f" {self.body.decode('utf-8', 'replace')}" if self.body is not None else ""
        return f"{self.method} {self.url}{sent} -> {self.status}"


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

    After `limit` requests in a row get no answer, requests fail at once without being sent
    until :meth:`revive` (the cleanup gives the target one more chance).
    """

    limit: int = 2
    silent: int = 0

    @property
    def gone(self) -> bool:
        return self.silent >= self.limit

    def revive(self) -> None:
        self.silent = 0


@dataclass
class Client:
    """Sends requests to one base URL as one tenant; siblings share the connection pool."""

    base_url: str
    token: str
    tenant: str | None
    http: httpx.Client
    listeners: list[Callable[[Exchange], None]] = field(default_factory=list)
    liveness: Liveness = field(default_factory=Liveness)

    @classmethod
    def open(cls, base_url: str, token: str, tenant: str | None, timeout: float) -> Client:
        http = httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False)
        return cls(base_url=base_url.rstrip("/"), token=token, tenant=tenant, http=http)

    def as_tenant(self, tenant: str | None) -> Client:
        return Client(self.base_url, self.token, tenant, self.http, self.listeners, self.liveness)

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
        if self.liveness.gone:
            exchange.error = f"not sent: the last {self.liveness.silent} requests got no answer"
            self._publish(exchange)
            raise NoAnswer(f"{method} {exchange.url} {exchange.error}", actual="not sent", evidence=[exchange])
        try:
            response = self.http.request(method, exchange.url, headers=headers, content=body)
        except httpx.HTTPError as exc:
            if isinstance(exc, (httpx.TimeoutException, httpx.NetworkError)):
                self.liveness.silent += 1
            exchange.error = f"{type(exc).__name__}: {exc}"
            self._publish(exchange)
            raise NoAnswer(
                f"{method} {exchange.url} got no answer: {exchange.error}", actual=exchange.error, evidence=[exchange]
            ) from exc
        self.liveness.revive()
        exchange.status = response.status_code
        exchange.text = response.text
        exchange.content_type = response.headers.get("content-type", "")
        self._publish(exchange)
        if response.status_code >= 500:
            raise ServerError(
                f"{exchange.describe()} (a server error) answered {exchange.text[:300]!r}",
                expected="no server error", actual=str(response.status_code), evidence=[exchange],
            )
        return Reply(exchange)

    def _publish(self, exchange: Exchange) -> None:
        for listener in self.listeners:
            listener(exchange)
