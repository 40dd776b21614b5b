"""Every state the mock serves, and putting it back: the default state and the sandboxes.

The fixtures are loaded once into a pristine store that is never written; the default state
(in memory mode) and every sandbox are copy-on-write forks of it, so a reset or a first use
costs no more than copying the id maps. With a data file the default state lives there, and a
reset or an import rewrites it atomically.
"""

from __future__ import annotations

from collections.abc import Callable

from handlers.errors import ApiError
from handlers.fixtures import Seed
from handlers.mock_admin.sandboxes import Sandboxes
from handlers.rules import ModelService
from handlers.storage import open_db
from handlers.store import ModelStore

ServiceFactory = Callable[[ModelStore], ModelService]


def seeded_store(seed: Seed, data_path=None, repair: bool = False) -> ModelStore:
    return ModelStore.seeded(open_db(data_path, repair=repair), seed.tenants, seed.model_types, seed.models)


class MockState:
    """The default state, the sandboxes, and the fixtures both start from."""

    def __init__(self, seed: Seed, make_service: ServiceFactory, *, data_path=None, repair: bool = False,
                 sandbox_limit: int = 1000, sandbox_idle_seconds: float = 3600) -> None:
        self.durable = data_path is not None
        self._make_service = make_service
        self._pristine = seeded_store(seed)
        store = seeded_store(seed, data_path, repair) if self.durable else self._pristine.fork()
        self.default = make_service(store)
        self.sandboxes = Sandboxes(lambda: make_service(self._pristine.fork()), sandbox_limit, sandbox_idle_seconds)

    def service_for(self, session: str | None) -> ModelService:
        return self.default if session is None else self.sandboxes.service(session)

    def _existing(self, sandbox: str) -> ModelService:
        service = self.sandboxes.existing(sandbox)
        if service is None:
            raise ApiError(404, f"Sandbox '{sandbox}' not found")
        return service

    def reset(self, *, sandbox: str | None = None, tenant: str | None = None) -> None:
        """Back to the fixtures: everything, one sandbox, or one tenant (of the default state or a sandbox)."""
        if tenant is None and sandbox is not None:
            self._existing(sandbox)
            self.sandboxes.discard(sandbox)
            return
        if tenant is None:
            self.reseed(None)
            return
        target = self.default if sandbox is None else self._existing(sandbox)
        fixtures = self._pristine.export()
        if target.store.tenant(tenant) is None and self._pristine.tenant(tenant) is None:
            raise ApiError(404, f"Tenant '{tenant}' not found")
        current = target.store.export()
        models = [doc for doc in current["models"] if doc["tenant"] != tenant]
        models += [doc for doc in fixtures["models"] if doc["tenant"] == tenant]
        target.store.replace(current["tenants"], current["model_types"], models)

    def export(self, sandbox: str | None = None) -> dict[str, list[dict]]:
        return (self.default if sandbox is None else self._existing(sandbox)).store.export()

    def load(self, tenants: list[dict], model_types: list[dict], models: list[dict], sandbox: str | None = None) -> None:
        """Replace a state with one already checked, creating the sandbox if needed."""
        target = self.default if sandbox is None else self.sandboxes.service(sandbox)
        target.store.replace(tenants, model_types, models)

    def reseed(self, seed: Seed | None) -> None:
        """Everything starts over from the fixtures, or from new ones (``--watch``)."""
        if seed is not None:
            self._pristine = seeded_store(seed)
        if self.durable:
            fixtures = self._pristine.export()
            self.default.store.replace(fixtures["tenants"], fixtures["model_types"], fixtures["models"])
        else:
            self.default.store = self._pristine.fork()
        self.sandboxes.discard()
