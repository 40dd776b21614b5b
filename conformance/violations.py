"""Defects a deployment can have, one exception per defect, named after what is wrong.

Every rule failure is a `ContractViolation`; the report shows the class name as the defect.
A violation carries fields besides its message, so reports and other tools need not parse
English: the operation it concerns (`PATCH /models/{name}`), what the contract expected and
what the target did, the exchanges that show it, and the clause of `docs/contract.md` it breaks
(the class's own clause, else the clause of the rule that raised it).

    ContractViolation
    ├── NoAnswer, ServerError, NotJson,
    │   ResponseTooLarge                            the target misbehaves on the wire
    ├── UnexpectedStatus                            a status other than the one the contract fixes
    ├── UndocumentedStatus, ResponseShapeMismatch   response_schema
    ├── UnsentFieldChanged, SentFieldNotApplied,
    │   PatchResponseDiffersFromGet                 partial_update
    ├── NullTreatedAsValue, EmptyUpdateAccepted,
    │   RejectedRequestChangedState                 null_means_unchanged (and every rejected request)
    ├── ImmutableFieldChanged                       immutable_fields
    ├── UpdatedAtNotAdvanced, UpdatedAtMoved,
    │   CreatedAtMoved, UpdatedAtBeforeCreatedAt,
    │   TimestampWithoutOffset                      timestamps
    ├── ConflictIgnored, ConflictAppliedPartially,
    │   NameComparisonNotExact, SelfRenameRejected,
    │   RenameNotFollowed, DuplicateCreateAccepted,
    │   DeletedNameNotFree                          name_conflicts
    ├── InvalidNameAccepted                         name_rules
    ├── InvalidConfigurationAccepted,
    │   UnknownDtypeAccepted                        configuration_validated
    ├── PhantomModelCreated                         a rejected request created a model
    ├── TenantLeak, CrossTenantConflict             tenant_isolation
    ├── UnknownTenantAccepted                       not_found (an unknown tenant)
    ├── AuthNotEnforced                             auth
    ├── TypeSchemaMismatch                          type_schema
    ├── UnknownTypeOrActionAccepted,
    │   ActionChangedModels                         type_actions
    ├── HealthNotPublic                             health_public (TenantLeak: health_tenant_scoped)
    ├── SecretExposed                               secrets
    ├── DeletedModelStillThere, DeleteAnswerMalformed  delete
    ├── StoredDataUnreadable, StoredValueChanged    stored_data_readable
    ├── LengthLimitNotEnforced,
    │   LengthWithinBoundRejected                   length_limits
    ├── SentFieldNotStored,
    │   CreateResponseDiffersFromGet,
    │   ListDiffersFromGet                          create_stored
    ├── AllowHeaderWrong                            method_not_allowed
    ├── SchemaCheckFailed                           schema_conformance (Schemathesis)
    └── FindingsLeftOff                             any rule past the findings it may report
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

CONTRACT_DOC = "docs/contract.md"


class ContractViolation(AssertionError):
    """The target broke a rule the contract states; the run exits with status 1."""

    clause = ""  # "§N" of docs/contract.md; empty: the clause of the rule that found it

    def __init__(
        self,
        message: str,
        *,
        operation: str = "",
        expected: str = "",
        actual: str = "",
        evidence: Sequence[Any] = (),  # `conformance.client.Exchange`s (which import this module)
        clause: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.evidence = list(evidence)
        self.operation = operation or (self.evidence[-1].operation if self.evidence else "")
        self.expected = expected
        self.actual = actual
        if clause:
            self.clause = clause

    @property
    def defect(self) -> str:
        return type(self).__name__


def violation_in(error: BaseException) -> ContractViolation | None:
    """The contract violation inside an exception group (Hypothesis reports flaky failures so)."""
    if isinstance(error, ContractViolation):
        return error
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            found = violation_in(inner)
            if found is not None:
                return found
    return None


class NoAnswer(ContractViolation):
    """A request got no HTTP answer in time (timeout, dropped connection)."""

    clause = "§12"


class ServerError(ContractViolation):
    """The target answered 5xx; the contract documents no server errors."""

    clause = "§4.3"


class NotJson(ContractViolation):
    """A body the contract documents as JSON is not JSON (an HTML error page, plain text)."""

    clause = "§4.3"


class ResponseTooLarge(ContractViolation):
    """An answer's body, decompressed, exceeds the kit's bound; the kit stopped reading it."""


class UnexpectedStatus(ContractViolation):
    """The status differs from the one the contract fixes for this request."""


class UndocumentedStatus(ContractViolation):
    """The operation answered a status its contract entry does not list."""

    clause = "§1.1"


class ResponseShapeMismatch(ContractViolation):
    """A response body does not validate against the contract's schema for its status."""

    clause = "§5"


class UnsentFieldChanged(ContractViolation):
    """PATCH changed a field the body did not send."""

    clause = "§7.3"


class SentFieldNotApplied(ContractViolation):
    """PATCH answered 200 but a sent field does not hold the sent value."""

    clause = "§7.3"


class PatchResponseDiffersFromGet(ContractViolation):
    """The PATCH response is not what a following GET returns."""

    clause = "§7.9"


class NullTreatedAsValue(ContractViolation):
    """A null field in a PATCH body changed the stored value."""

    clause = "§7.1"


class EmptyUpdateAccepted(ContractViolation):
    """A PATCH body without any updatable string field was not answered 422."""

    clause = "§7.2"


class RejectedRequestChangedState(ContractViolation):
    """A request answered with an error still changed the model."""

    clause = "§4.4"


class ImmutableFieldChanged(ContractViolation):
    """PATCH changed id, dtype, configuration, created_at or connected_endpoints."""

    clause = "§7.4"


class UpdatedAtNotAdvanced(ContractViolation):
    """A successful PATCH did not move updated_at forward."""

    clause = "§7.5"


class UpdatedAtMoved(ContractViolation):
    """A rejected PATCH moved updated_at."""

    clause = "§7.5"


class CreatedAtMoved(ContractViolation):
    """created_at changed after creation."""

    clause = "§7.4"


class UpdatedAtBeforeCreatedAt(ContractViolation):
    """updated_at lies before created_at."""

    clause = "§7.5"


class TimestampWithoutOffset(ContractViolation):
    """A timestamp is not an RFC 3339 date-time with an offset."""

    clause = "§5.3"


class ConflictIgnored(ContractViolation):
    """A rename onto a name another model holds was not answered 409."""

    clause = "§7.6"


class ConflictAppliedPartially(ContractViolation):
    """A PATCH answered 409 still applied part of its body."""

    clause = "§7.6"


class NameComparisonNotExact(ContractViolation):
    """Names differing in case or whitespace were treated as the same name."""

    clause = "§6.5"


class SelfRenameRejected(ContractViolation):
    """Renaming a model to its own current name was not 200."""

    clause = "§7.6"


class RenameNotFollowed(ContractViolation):
    """After a rename the model does not answer under the new name with the same id, or the old name still answers."""

    clause = "§7.7"


class DuplicateCreateAccepted(ContractViolation):
    """POST with a name already taken in the tenant was not answered 409."""

    clause = "§6.5"


class DeletedNameNotFree(ContractViolation):
    """The name of a deleted model cannot be used again."""

    clause = "§8.2"


class InvalidNameAccepted(ContractViolation):
    """A name breaking the name rules was not answered 422."""

    clause = "§7.8"


class InvalidConfigurationAccepted(ContractViolation):
    """A configuration violating the type's config_schema was not answered 422."""

    clause = "§6.3"


class UnknownDtypeAccepted(ContractViolation):
    """A create with an unknown dtype was not answered 400."""

    clause = "§6.2"


class PhantomModelCreated(ContractViolation):
    """A request answered with an error left a model behind."""

    clause = "§4.4"


class TenantLeak(ContractViolation):
    """A model of one tenant was visible or changeable through another tenant."""

    clause = "§3.3"


class UnknownTenantAccepted(ContractViolation):
    """A request naming a tenant that does not exist was not answered 404."""

    clause = "§3.2"


class CrossTenantConflict(ContractViolation):
    """A name held only in another tenant was treated as taken."""

    clause = "§3.3"


class AuthNotEnforced(ContractViolation):
    """A route answered something other than 401 without a valid admin key, or acted on it."""

    clause = "§2.1"


class TypeSchemaMismatch(ContractViolation):
    """GET /models/types/{name}/schema is not the config_schema GET /models/types/{name} carries."""


class UnknownTypeOrActionAccepted(ContractViolation):
    """An unknown model type or type action was not answered 404."""


class ActionChangedModels(ContractViolation):
    """A model-type action call changed a stored model."""


class HealthNotPublic(ContractViolation):
    """GET /models/{name}/health refused a request without an admin key."""


class SecretExposed(ContractViolation):
    """A secret sent at creation came back in full."""

    clause = "§9.2"


class DeletedModelStillThere(ContractViolation):
    """A deleted model still answers or is still listed."""

    clause = "§8.2"


class SchemaCheckFailed(ContractViolation):
    """A Schemathesis check failed (one finding per operation sent and check)."""


class FindingsLeftOff(ContractViolation):
    """A rule found more distinct defects than one rule reports; the rest are counted, not
    shown, and still fail the run (no baseline entry for a shown one covers them)."""


class DeleteAnswerMalformed(ContractViolation):
    """DELETE answered 200 without the documented body {"message": <string>}."""

    clause = "§8.1"


class StoredDataUnreadable(ContractViolation):
    """After a write, GET of the model or the tenant's list no longer answers 200 with JSON."""

    clause = "§12.3"


class StoredValueChanged(ContractViolation):
    """An accepted write does not read back exactly: the value stored is not the value accepted."""

    clause = "§12.3"


class LengthLimitNotEnforced(ContractViolation):
    """A name, summary or tags longer than the contract's maxLength was not answered 422."""

    clause = "§12.1"


class LengthWithinBoundRejected(ContractViolation):
    """A value exactly at the contract's maxLength (counted in code points) was refused."""

    clause = "§12.1"


class SentFieldNotStored(ContractViolation):
    """The model read back after a create does not hold what the create sent (or its default)."""

    clause = "§6.7"


class CreateResponseDiffersFromGet(ContractViolation):
    """The 201 answer of a create is not what a following GET returns."""

    clause = "§6.6"


class ListDiffersFromGet(ContractViolation):
    """The tenant's list shows a model otherwise than GET does, or not at all."""

    clause = "§6.7"


class AllowHeaderWrong(ContractViolation):
    """A 405's Allow header does not list exactly the methods the contract defines on the path."""

    clause = "§1.4"
