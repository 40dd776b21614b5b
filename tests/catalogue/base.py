"""The catalogue's machinery: the base server, stacking modifiers, and the entry registry.

A faulty server is the unmodified mock (``create_app``) with

* service modifiers: subclasses of :class:`~handlers.rules.ModelService` that override one
  rule and call ``super()`` for everything else, so several stack into one class
  (:func:`stack`), and
* transport modifiers: ASGI wrappers around the app (:mod:`tests.catalogue.wrappers`), for
  faults that live before the service (authentication, request validation, response bytes).

Every faulty server runs with response validation off: its answers break the contract on
purpose, and the kit, not Connexion, has to notice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx

from handlers.app import create_app
from handlers.rules import ModelService
from tests.kit import RULE_NAMES

Wrapper = Callable  # (asgi_app) -> asgi_app
Probe = Callable[[httpx.Client], bool]


def stack(*modifiers: type[ModelService], name: str | None = None) -> type[ModelService]:
    """One service class with every modifier's override; the first modifier is outermost."""
    if not modifiers:
        return ModelService
    bases = tuple(modifiers) + (() if ModelService in modifiers else (ModelService,))
    return type(name or "+".join(m.__name__ for m in modifiers), bases, {})


def build(*modifiers: type[ModelService], wrappers: tuple[Wrapper, ...] = ()):
    """The mock on its fixtures with the modifiers stacked in, wrapped by ``wrappers`` (innermost first)."""
    app = create_app(validate_responses=False, service_class=stack(*modifiers))
    for wrap in wrappers:
        app = wrap(app)
    return app


@dataclass(frozen=True)
class Server:
    """A server the kit is run against: the mock with ``services`` stacked in and ``wrappers`` around it.

    ``schema`` says whether the kit's Schemathesis phase runs against it.
    """

    name: str
    services: tuple[type[ModelService], ...] = ()
    wrappers: tuple[Wrapper, ...] = ()
    schema: bool = True

    def build(self):
        return build(*self.services, wrappers=self.wrappers)


@dataclass(frozen=True, kw_only=True)
class Entry(Server):
    """One faulty server, what the kit must say about it, and the probe that shows its defect.

    ``rule`` is the rule the defect breaks and ``defects`` the names the kit may give the
    failure it finds there. ``rules`` (``rule`` plus ``also``) must all fail; ``may`` lists rules
    that may fail as well because, by the contract's own terms, they see the same defect (a
    ``created_at`` that moves also changes an unsent field). No rule outside ``rules | may`` may
    fail. ``never`` lists defects the kit must not name for this server, from any rule: the
    defect named must be the defect seen. ``schema`` says the entry needs the Schemathesis phase
    to be seen.

    ``probe`` asks the server directly over HTTP and returns True when the defect shows; it
    touches only models it creates. Its docstring names the defect.
    """

    rule: str
    defects: frozenset[str]
    rules: frozenset[str]
    may: frozenset[str]
    never: frozenset[str]
    probe: Probe

    @property
    def defect(self) -> str:
        """The first paragraph of the probe's docstring, on one line."""
        return " ".join((self.probe.__doc__ or "").strip().split("\n\n")[0].split())

    @property
    def allowed(self) -> frozenset[str]:
        return self.rules | self.may


class Catalogue:
    """Entries in registration order, refusing duplicate names and unknown rules."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}

    def entry(
        self,
        rule: str,
        *,
        defects: tuple[str, ...],
        services: tuple[type[ModelService], ...] = (),
        wrappers: tuple[Wrapper, ...] = (),
        also: tuple[str, ...] = (),
        may: tuple[str, ...] = (),
        never: tuple[str, ...] = (),
        schema: bool = False,
    ) -> Callable[[Probe], Entry]:
        """Register the decorated probe, under its own name, as the entry built from ``services``
        and ``wrappers``; the entry must break ``rule``. The name is bound to the :class:`Entry`."""
        expected = frozenset({rule, *also})
        unknown = (expected | set(may)) - RULE_NAMES
        if unknown:
            raise ValueError(f"unknown kit rule(s) {sorted(unknown)}; the kit's rules are {sorted(RULE_NAMES)}")
        if not services and not wrappers:
            raise ValueError("an entry needs at least one service modifier or wrapper")

        def register(probe: Probe) -> Entry:
            name = probe.__name__
            if name in self._entries:
                raise ValueError(f"a catalogue entry named {name!r} already exists")
            if not probe.__doc__ or rule not in probe.__doc__:
                raise ValueError(f"{name}: the docstring must name the defect and the rule {rule!r}")
            self._entries[name] = Entry(
                name=name, services=tuple(services), wrappers=tuple(wrappers), schema=schema, rule=rule,
                defects=frozenset(defects), rules=expected, may=frozenset(may) - expected,
                never=frozenset(never), probe=probe,
            )
            return self._entries[name]

        return register

    def __getitem__(self, name: str) -> Entry:
        return self._entries[name]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def names(self) -> list[str]:
        return list(self._entries)


CATALOGUE = Catalogue()
entry = CATALOGUE.entry
