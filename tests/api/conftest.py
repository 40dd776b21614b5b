"""The behaviour tests share one mock (the session's ``client``): each leaves it as it found it."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.helpers import list_models, tenant_header

SEEDED_TENANTS = ("root", "acme")


@pytest.fixture(autouse=True)
def forget_models_the_test_made(request):
    """Deletes, after a test on the session mock, the models it created in the seeded tenants.

    The session mock's lists stay short, so the many list snapshots stay fast.
    """
    if "client" not in request.fixturenames:
        yield
        return
    http = request.getfixturevalue("client")
    before = {tenant: {item["id"] for item in list_models(http, tenant)} for tenant in SEEDED_TENANTS}
    yield
    for tenant in SEEDED_TENANTS:
        for item in list_models(http, tenant):
            if item["id"] not in before[tenant]:
                http.delete(f"/models/{quote(item['name'], safe='')}", headers=tenant_header(tenant))
