"""The settings of one run, shared by the command line and the pytest form."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance.contract import DEFAULT_CONTRACT

DEFAULT_EXAMPLES = 20
DEFAULT_MAX_TIME = 100.0
DEFAULT_TIMEOUT = 10.0
# The admin key's environment variable: unlike --token, it shows in no process list or CI log.
TOKEN_VARIABLE = "SYFT_CONFORMANCE_TOKEN"


def tenant_label(tenant: str | None) -> str:
    """How reports name a tenant: no X-Tenant-Name header is "the default tenant"."""
    return "the default tenant" if tenant is None else f"tenant {tenant!r}"


@dataclass
class KitOptions:
    base_url: str
    token: str
    tenant: str | None = None
    other_tenant: str | None = None
    read_only: bool = False
    seed: int | None = None
    examples: int = DEFAULT_EXAMPLES
    max_time: float = DEFAULT_MAX_TIME
    rules: list[str] | None = None
    schema: bool = True
    dtype: str | None = None
    configuration: dict[str, Any] | None = None
    contract: Path = DEFAULT_CONTRACT
    timeout: float = DEFAULT_TIMEOUT
