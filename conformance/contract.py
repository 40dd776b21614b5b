"""The contract (`openapi.yaml`): loaded once, checked for validity, and asked about responses.

Rules ask it which statuses an operation documents and whether a body fits the schema of the
status it came with; the auth rule asks it for every secured operation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import referencing
import yaml
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate as validate_openapi
from referencing.jsonschema import DRAFT7

from conformance.errors import InvalidContract
from conformance.secret_definition import SecretDefinition

DEFAULT_CONTRACT = Path(__file__).resolve().parent / "openapi.yaml"  # a link to the repository's, a copy when installed
_DOCUMENT_URI = "urn:syft-models-contract"
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Operation:
    """One method on one path template, e.g. PATCH /models/{name}."""

    method: str
    path: str
    statuses: frozenset[str]
    secured: bool


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class Contract:
    """A parsed, validated OpenAPI document with response validation by JSON pointer."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._registry = referencing.Registry().with_resource(
            _DOCUMENT_URI, DRAFT7.create_resource(document)
        )
        self.operations = tuple(self._collect_operations())
        self.secrets = SecretDefinition.from_document(document)  # components.x-secrets
        self._by_key = {(op.method, op.path): op for op in self.operations}

    @classmethod
    def load(cls, path: str | Path = DEFAULT_CONTRACT) -> Contract:
        """Read and validate the file; any problem is an `InvalidContract` (exit 2)."""
        try:
            document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise InvalidContract(f"cannot read contract {path}: {exc}") from exc
        if not isinstance(document, dict):
            raise InvalidContract(f"contract {path} is not a YAML mapping")
        try:
            validate_openapi(document)
        except Exception as exc:  # the validator raises several unrelated types
            raise InvalidContract(f"contract {path} is not valid OpenAPI: {exc}") from exc
        return cls(document)

    def _collect_operations(self):
        global_security = self.document.get("security")
        for path, item in self.document.get("paths", {}).items():
            for method in _HTTP_METHODS:
                if method not in item:
                    continue
                operation = item[method]
                security = operation.get("security", global_security)
                yield Operation(
                    method=method.upper(),
                    path=path,
                    statuses=frozenset(str(code) for code in operation.get("responses", {})),
                    secured=bool(security),
                )

    def operation(self, method: str, path: str) -> Operation:
        try:
            return self._by_key[(method.upper(), path)]
        except KeyError:
            raise KeyError(f"the contract has no operation {method.upper()} {path}") from None

    def _response_pointer(self, method: str, path: str, status: str) -> str:
        """JSON pointer of the response object, following a `$ref` to components."""
        pointer = f"/paths/{_escape(path)}/{method.lower()}/responses/{status}"
        node = self._resolve_pointer(pointer)
        while isinstance(node, dict) and "$ref" in node:
            pointer = node["$ref"].lstrip("#")
            node = self._resolve_pointer(pointer)
        return pointer

    def _resolve_pointer(self, pointer: str) -> Any:
        node: Any = self.document
        for token in pointer.strip("/").split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
        return node

    def response_problems(self, method: str, path: str, status: int, body: Any) -> list[str]:
        """Why this answer breaks the contract: undocumented status or a body off its schema."""
        operation = self.operation(method, path)
        if str(status) not in operation.statuses:
            documented = ", ".join(sorted(operation.statuses))
            return [f"status {status} is not documented for {operation.method} {path} ({documented})"]
        pointer = self._response_pointer(method, path, str(status))
        content = self._resolve_pointer(pointer).get("content", {})
        if "application/json" not in content or "schema" not in content["application/json"]:
            return []
        schema = {"$ref": f"{_DOCUMENT_URI}#{pointer}/content/application~1json/schema"}
        # OpenAPI 3.0 schemas: `nullable: true` admits null (ProviderModel.name), which Draft 7 would refuse
        validator = OAS30Validator(
            schema, registry=self._registry, format_checker=jsonschema.FormatChecker()
        )
        return [
            f"{'/'.join(str(p) for p in error.absolute_path) or '<body>'}: {error.message}"
            for error in sorted(validator.iter_errors(body), key=lambda e: list(map(str, e.path)))
        ]
