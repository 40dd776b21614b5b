"""Which configuration values are secrets, as the contract's `components.x-secrets` says.

One definition for the mock and the kit (each reads it from the contract; neither hard-codes
it): a key matching `name-pattern` (searched case-insensitively) holds a secret at any depth,
lists included; with `write-only-properties`, so does a property marked `writeOnly` in the
type's `config_schema`; with `url-userinfo-password`, a URL carrying a password in its userinfo
is a secret (the password is what must never come back).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from conformance.errors import InvalidContract


def url_password(value: Any) -> str | None:
    """The password in a URL's userinfo, if `value` is such a URL."""
    if not isinstance(value, str) or "://" not in value or "@" not in value:
        return None
    try:
        return urlsplit(value).password or None
    except ValueError:  # not a URL after all
        return None


def _properties(schema: Any) -> dict[str, Any]:
    properties = schema.get("properties") if isinstance(schema, dict) else None
    return properties if isinstance(properties, dict) else {}


@dataclass(frozen=True)
class SecretDefinition:
    name_pattern: re.Pattern[str]
    write_only_properties: bool
    url_userinfo_password: bool

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> SecretDefinition:
        try:
            definition = document["components"]["x-secrets"]
            return cls(
                name_pattern=re.compile(definition["name-pattern"], re.IGNORECASE),
                write_only_properties=definition.get("write-only-properties") is True,
                url_userinfo_password=definition.get("url-userinfo-password") is True,
            )
        except (KeyError, TypeError, re.error) as exc:
            raise InvalidContract(f"the contract's components.x-secrets is missing or malformed: {exc!r}") from exc

    def secret_name(self, key: str) -> bool:
        return bool(self.name_pattern.search(key))

    def is_secret(self, key: str | None, value: Any, declared: Any = None) -> bool:
        """Whether `value`, held under `key` (None inside a list) and declared by `declared`, is a secret."""
        if key is not None and self.secret_name(key):
            return True
        if self.write_only_properties and isinstance(declared, dict) and declared.get("writeOnly") is True:
            return True
        return self.url_userinfo_password and url_password(value) is not None

    def secrets_in(
        self, value: Any, schema: Any = None, path: str = "configuration", inside: bool = False
    ) -> Iterator[tuple[str, str]]:
        """(where, text that must never come back) for every secret string of a configuration;
        every string inside a secret object or list is one too."""
        if isinstance(value, dict):
            properties = _properties(schema)
            members = [(key, item, properties.get(key), f"{path}.{key}") for key, item in value.items()]
        elif isinstance(value, list):
            items = schema.get("items") if isinstance(schema, dict) else None
            members = [(None, item, items, f"{path}[{index}]") for index, item in enumerate(value)]
        else:
            return
        for key, item, declared, where in members:
            secret = inside or self.is_secret(key, item, declared)
            if not isinstance(item, str):
                yield from self.secrets_in(item, declared, where, secret)
            elif secret:
                yield where, item
                password = url_password(item) if self.url_userinfo_password else None
                if password is not None:
                    yield f"{where} (its password)", password
