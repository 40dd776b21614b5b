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

from handlers.app import create_app
from handlers.rules import ModelService

RULE_NAMES = frozenset({
    "schema_conformance", "response_schema", "partial_update", "null_means_unchanged",
    "immutable_fields", "timestamps", "name_conflicts", "name_rules", "configuration_validated",
    "not_found", "tenant_isolation", "auth", "secrets", "delete",
})

Wrapper = Callable  # (asgi_app) -> asgi_app


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
class Entry:
    """One faulty server: how to build it, and what the kit must say about it.

    ``rule`` is the rule the defect breaks and ``defects`` the names the kit may give the
    failure it finds there. ``rules`` (``rule`` plus ``also``) must all fail; ``may`` lists rules
    that may fail as well because, by the contract's own terms, they see the same defect (a
    ``created_at`` that moves also changes an unsent field). No rule outside ``rules | may`` may
    fail. ``schema`` says the entry needs the Schemathesis phase to be seen.
    """

    name: str
    factory: Callable[[], object]
    rule: str
    defects: frozenset[str]
    rules: frozenset[str]
    may: frozenset[str]
    schema: bool

    @property
    def defect(self) -> str:
        """The first paragraph of the factory's docstring, on one line."""
        return " ".join((self.factory.__doc__ or "").strip().split("\n\n")[0].split())

    @property
    def allowed(self) -> frozenset[str]:
        return self.rules | self.may

    def build(self):
        return self.factory()


class Catalogue:
    """Entries in registration order, refusing duplicate names and unknown rules."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}

    def entry(
        self,
        rule: str,
        *,
        defects: tuple[str, ...],
        also: tuple[str, ...] = (),
        may: tuple[str, ...] = (),
        schema: bool = False,
    ) -> Callable[[Callable[[], object]], Callable[[], object]]:
        """Register the decorated factory under its own name; it must break ``rule``."""
        expected = frozenset({rule, *also})
        unknown = (expected | set(may)) - RULE_NAMES
        if unknown:
            raise ValueError(f"unknown kit rule(s) {sorted(unknown)}; the kit's rules are {sorted(RULE_NAMES)}")

        def register(factory: Callable[[], object]) -> Callable[[], object]:
            if factory.__name__ in self._entries:
                raise ValueError(f"a catalogue entry named {factory.__name__!r} already exists")
            if not factory.__doc__ or rule not in factory.__doc__:
                raise ValueError(f"{factory.__name__}: the docstring must name the defect and the rule {rule!r}")
            self._entries[factory.__name__] = Entry(
                factory.__name__, factory, rule, frozenset(defects), expected, frozenset(may) - expected, schema
            )
            return factory

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
