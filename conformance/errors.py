"""Why the kit could not run at all (exit 2), as opposed to the target breaking the contract.

    KitError
    ├── BadOption          the command line or an override makes no sense
    ├── InvalidContract    openapi.yaml is missing or not a valid OpenAPI document
    ├── TargetUnreachable  no HTTP answer from the base URL at start-up
    └── KeyRejected        the target answers 401 to the given admin key

Failures of the deployment itself live in `conformance.violations`.
"""

from __future__ import annotations


class KitError(Exception):
    """The kit cannot judge the target; the run exits with status 2."""


class BadOption(KitError):
    """An option is malformed or contradicts another one."""


class InvalidContract(KitError):
    """The contract file cannot be read or is not valid OpenAPI."""


class TargetUnreachable(KitError):
    """The base URL gives no HTTP answer (refused, DNS, timeout) before any rule ran."""


class KeyRejected(KitError):
    """The target refuses the admin key: nothing can be checked with it."""
