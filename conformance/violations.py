"""Defects a deployment can have, one exception per defect, named after what is wrong.

Every rule failure is a `ContractViolation`; the report shows the class name as the defect.

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
    ├── AuthNotEnforced                             auth
    ├── SecretExposed                               secrets
    ├── DeletedModelStillThere                      delete
    └── SchemaCheckFailed                           schema_conformance (Schemathesis)
"""

from __future__ import annotations


class ContractViolation(AssertionError):
    """The target broke a rule the contract states; the run exits with status 1."""

    @property
    def defect(self) -> str:
        return type(self).__name__


class NoAnswer(ContractViolation):
    """A request got no HTTP answer in time (timeout, dropped connection)."""


class ServerError(ContractViolation):
    """The target answered 5xx; the contract documents no server errors."""


class NotJson(ContractViolation):
    """A body the contract documents as JSON is not JSON (an HTML error page, plain text)."""


class ResponseTooLarge(ContractViolation):
    """An answer's body, decompressed, exceeds the kit's bound; the kit stopped reading it."""


class UnexpectedStatus(ContractViolation):
    """The status differs from the one the contract fixes for this request."""


class UndocumentedStatus(ContractViolation):
    """The operation answered a status its contract entry does not list."""


class ResponseShapeMismatch(ContractViolation):
    """A response body does not validate against the contract's schema for its status."""


class UnsentFieldChanged(ContractViolation):
    """PATCH changed a field the body did not send."""


class SentFieldNotApplied(ContractViolation):
    """PATCH answered 200 but a sent field does not hold the sent value."""


class PatchResponseDiffersFromGet(ContractViolation):
    """The PATCH response is not what a following GET returns."""


class NullTreatedAsValue(ContractViolation):
    """A null field in a PATCH body changed the stored value."""


class EmptyUpdateAccepted(ContractViolation):
    """A PATCH body without any updatable string field was not answered 422."""


class RejectedRequestChangedState(ContractViolation):
    """A request answered with an error still changed the model."""


class ImmutableFieldChanged(ContractViolation):
    """PATCH changed id, dtype, configuration, created_at or connected_endpoints."""


class UpdatedAtNotAdvanced(ContractViolation):
    """A successful PATCH did not move updated_at forward."""


class UpdatedAtMoved(ContractViolation):
    """A rejected PATCH moved updated_at."""


class CreatedAtMoved(ContractViolation):
    """created_at changed after creation."""


class UpdatedAtBeforeCreatedAt(ContractViolation):
    """updated_at lies before created_at."""


class TimestampWithoutOffset(ContractViolation):
    """A timestamp is not an RFC 3339 date-time with an offset."""


class ConflictIgnored(ContractViolation):
    """A rename onto a name another model holds was not answered 409."""


class ConflictAppliedPartially(ContractViolation):
    """A PATCH answered 409 still applied part of its body."""


class NameComparisonNotExact(ContractViolation):
    """Names differing in case or whitespace were treated as the same name."""


class SelfRenameRejected(ContractViolation):
    """Renaming a model to its own current name was not 200."""


class RenameNotFollowed(ContractViolation):
    """After a rename the model does not answer under the new name with the same id, or the old name still answers."""


class DuplicateCreateAccepted(ContractViolation):
    """POST with a name already taken in the tenant was not answered 409."""


class DeletedNameNotFree(ContractViolation):
    """The name of a deleted model cannot be used again."""


class InvalidNameAccepted(ContractViolation):
    """A name breaking the name rules was not answered 422."""


class InvalidConfigurationAccepted(ContractViolation):
    """A configuration violating the type's config_schema was not answered 422."""


class UnknownDtypeAccepted(ContractViolation):
    """A create with an unknown dtype was not answered 400."""


class PhantomModelCreated(ContractViolation):
    """A request answered with an error left a model behind."""


class TenantLeak(ContractViolation):
    """A model of one tenant was visible or changeable through another tenant."""


class CrossTenantConflict(ContractViolation):
    """A name held only in another tenant was treated as taken."""


class AuthNotEnforced(ContractViolation):
    """A route answered something other than 401 without a valid admin key, or acted on it."""


class SecretExposed(ContractViolation):
    """A secret sent at creation came back in full."""


class DeletedModelStillThere(ContractViolation):
    """A deleted model still answers, is still listed, or delete did not answer as documented."""


class SchemaCheckFailed(ContractViolation):
    """Schemathesis found responses that break the contract."""
