"""The catalogue: one factory per faulty server, each breaking one rule of the contract.

Every factory's docstring names the defect (first line) and the kit rule that must catch it.
``@entry(rule, also=..., exact=...)`` records what the kit must report: ``rule`` and ``also``
are the rules that must fail; with ``exact`` no other rule may fail. Where one defect is, by
the contract's own terms, visible to two rules (a ``created_at`` that moves is both a timestamp
fault and an immutable field changing), both are listed.
"""

from __future__ import annotations

from functools import partial

from handlers.rules import ModelService
from tests.catalogue import services as s
from tests.catalogue import wrappers as w
from tests.catalogue.base import RULE_NAMES, build, entry

# partial_update --------------------------------------------------------------------------------


@entry("partial_update", defects=("UnsentFieldChanged",), may=("null_means_unchanged",))
def patch_clears_unsent_fields():
    """PATCH clears the summary and tags the body did not send (partial_update)."""
    return build(s.PatchClearsUnsentFields)


# null_means_unchanged --------------------------------------------------------------------------


@entry("null_means_unchanged", defects=("NullTreatedAsValue",), may=("partial_update",))
def patch_null_sets_empty():
    """PATCH treats a null summary or tags as "set to the empty string" (null_means_unchanged)."""
    return build(s.PatchNullMeansEmpty)


@entry(
    "null_means_unchanged",
    defects=("EmptyUpdateAccepted",),
    may=("partial_update", "immutable_fields", "timestamps"),  # each checks that such a body is 422
)
def empty_patch_accepted():
    """PATCH without any updatable field ({} or only unknown fields) answers 200 instead of 422 (null_means_unchanged)."""
    return build(wrappers=(w.EmptyPatchAccepted,))


# immutable_fields ------------------------------------------------------------------------------


@entry("immutable_fields", defects=("ImmutableFieldChanged",), may=("partial_update",))
def patch_applies_configuration():
    """PATCH applies a configuration sent in the body (immutable_fields)."""
    return build(s.PatchAppliesConfiguration)


@entry("immutable_fields", defects=("ImmutableFieldChanged",), may=("partial_update",))
def patch_applies_dtype():
    """PATCH applies a dtype sent in the body (immutable_fields)."""
    return build(s.PatchAppliesDtype)


@entry(
    "immutable_fields",
    defects=("ImmutableFieldChanged",),
    # an unsent field changes, and a renamed model no longer has the same id
    may=("partial_update", "null_means_unchanged", "name_conflicts"),
)
def patch_regenerates_id():
    """Every PATCH gives the model a new id (immutable_fields)."""
    return build(s.PatchRegeneratesId)


# timestamps ------------------------------------------------------------------------------------


@entry("timestamps", defects=("UpdatedAtNotAdvanced",))
def updated_at_never_moves():
    """updated_at stays at its creation value through every PATCH (timestamps)."""
    return build(s.UpdatedAtFrozen)


@entry(
    "timestamps",
    defects=("CreatedAtMoved",),
    also=("immutable_fields",),
    may=("partial_update", "null_means_unchanged"),  # created_at is also a field the PATCH did not send
)
def created_at_reset_on_patch():
    """PATCH sets created_at to the time of the update (timestamps; created_at is also an immutable field)."""
    return build(s.CreatedAtResetOnPatch)


@entry("timestamps", defects=("TimestampWithoutOffset",), also=("response_schema",))
def timestamps_without_offset():
    """Timestamps carry no UTC offset, e.g. 2024-03-15T10:30:00.123456 (timestamps; the Timestamp schema in response_schema too)."""
    return build(s.TimestampsWithoutOffset)


# name_conflicts --------------------------------------------------------------------------------


@entry("name_conflicts", defects=("ConflictIgnored",))
def rename_ignores_conflicts():
    """A rename onto a name another model holds answers 200 and replaces that model (name_conflicts)."""
    return build(s.RenameOverwritesTakenName)


@entry("name_conflicts", defects=("ConflictAppliedPartially",), may=("null_means_unchanged",))
def conflict_applies_half_the_request():
    """A rename onto a taken name applies summary and tags, then answers 409 (name_conflicts)."""
    return build(s.ConflictAppliesRestFirst)


@entry("name_conflicts", defects=("NameComparisonNotExact",))
def conflict_check_ignores_case():
    """Names differing only in case or surrounding whitespace conflict on create and rename (name_conflicts)."""
    return build(s.CaseInsensitiveNames)


@entry("name_conflicts", defects=("RenameNotFollowed",))
def old_name_still_answers():
    """After a rename, GET of the old name still returns the model (name_conflicts)."""
    return build(s.OldNameStillAnswers)


@entry(
    "name_conflicts",
    defects=("DeletedNameNotFree",),
    # the kit may reuse a name after deleting it in any rule, and then that rule sees the defect
    may=tuple(RULE_NAMES),
)
def deleted_name_stays_taken():
    """The name of a deleted model cannot be used again: create and rename onto it are 409 (name_conflicts)."""
    return build(s.DeletedNameStaysTaken)


# name_rules ------------------------------------------------------------------------------------


@entry("name_rules", defects=("InvalidNameAccepted",))
def empty_name_accepted():
    """The empty name "" is accepted on create and rename (name_rules)."""
    return build(wrappers=(partial(w.InvalidNamesAccepted, accept=(w.empty_name,)),))


@entry("name_rules", defects=("InvalidNameAccepted",))
def slash_in_name_accepted():
    """Names containing "/" are accepted on create and rename (name_rules)."""
    return build(wrappers=(partial(w.InvalidNamesAccepted, accept=(w.slash_in_name,)),))


# configuration_validated -----------------------------------------------------------------------


@entry("configuration_validated", defects=("InvalidConfigurationAccepted",))
def configuration_not_validated():
    """Create accepts a configuration that breaks its type's config_schema (configuration_validated)."""
    return build(s.ConfigurationNotValidated)


# not_found -------------------------------------------------------------------------------------


@entry(
    "not_found",
    defects=("UnexpectedStatus", "PhantomModelCreated"),
    # PATCH after a delete, or through a tenant that lacks the name, is a PATCH of an unknown name
    may=("delete", "tenant_isolation"),
)
def patch_unknown_creates():
    """PATCH of an unknown name creates the model and answers 200 (not_found)."""
    return build(s.PatchUnknownCreates)


@entry(
    "not_found",
    defects=("UnexpectedStatus",),
    # DELETE after a delete, or through a tenant that lacks the name, is a DELETE of an unknown name
    may=("delete", "tenant_isolation"),
)
def delete_unknown_succeeds():
    """DELETE of an unknown name answers 200 instead of 404 (not_found)."""
    return build(s.DeleteUnknownSucceeds)


@entry(
    "not_found",
    defects=("UnexpectedStatus",),
    also=("delete", "tenant_isolation"),  # each asks for a 404 and gets a 409: a wrong status, no leak
    may=("name_conflicts", "configuration_validated", "auth", "response_schema", "schema_conformance"),
)
def missing_model_is_409():
    """A model that does not exist answers 409 instead of 404 on GET, PATCH and DELETE (not_found)."""
    return build(s.NotFoundAnswers409)


# tenant_isolation ------------------------------------------------------------------------------


@entry("tenant_isolation", defects=("TenantLeak",))
def writes_ignore_tenant():
    """PATCH and DELETE through another tenant reach the default tenant's model (tenant_isolation)."""
    return build(s.WritesFallBackToDefaultTenant)


@entry("tenant_isolation", defects=("CrossTenantConflict",))
def conflicts_across_tenants():
    """A name held in another tenant counts as taken on create (tenant_isolation)."""
    return build(s.NamesUniqueAcrossTenants)


# auth ------------------------------------------------------------------------------------------


@entry("auth", defects=("AuthNotEnforced",))
def auth_ignored_on_delete():
    """DELETE works without a key or with a wrong key (auth)."""
    return build(wrappers=(w.AuthIgnoredOn,))


@entry("auth", defects=("AuthNotEnforced",))
def any_bearer_key_on_patch():
    """PATCH accepts any Bearer key, not only the admin key (auth)."""
    return build(wrappers=(w.AnyBearerKeyOn,))


# secrets ---------------------------------------------------------------------------------------


@entry("secrets", defects=("SecretExposed",))
def api_key_in_full():
    """Responses return the configuration's api_key in full (secrets)."""
    return build(s.SecretsInFull)


# delete ----------------------------------------------------------------------------------------


@entry("delete", defects=("DeletedModelStillThere",))
def list_keeps_deleted():
    """DELETE answers 200 but the deleted model stays in the list (delete)."""
    return build(s.ListKeepsDeleted)


@entry("delete", defects=("DeletedModelStillThere",))
def get_serves_deleted():
    """DELETE answers 200 but GET by name still returns the model (delete)."""
    return build(s.GetServesDeleted)


@entry("delete", defects=("DeleteAnswerMalformed",), may=("response_schema", "schema_conformance"))
def delete_answers_empty_object():
    """DELETE deletes but answers 200 with {} instead of {"message": ...} (delete; not a model still there)."""
    return build(s.DeleteAnswersEmptyObject)


# response_schema -------------------------------------------------------------------------------


@entry(
    "response_schema",
    defects=("ResponseShapeMismatch",),
    also=("partial_update",),  # the PATCH response must equal the following GET, which has them
)
def patch_response_without_endpoints():
    """The PATCH response leaves out connected_endpoints (response_schema)."""
    return build(s.PatchResponseWithoutEndpoints)


@entry("response_schema", defects=("ResponseShapeMismatch",))
def not_found_without_detail():
    """404 bodies are {"error": ...} instead of {"detail": ...} (response_schema)."""
    return build(wrappers=(w.NotFoundWithoutDetail,))


# schema_conformance ----------------------------------------------------------------------------


@entry("schema_conformance", defects=("SchemaCheckFailed",), schema=True)
def non_object_body_crashes():
    """POST or PATCH with a JSON body that is not an object answers a plain-text 500 (schema_conformance)."""
    return build(wrappers=(w.NonObjectBodyCrashes,))


# the real server -------------------------------------------------------------------------------

REAL_SERVER_RULES = (
    "response_schema",  # PATCH response without connected_endpoints; timestamps without offset
    "partial_update",  # the PATCH response is not what the following GET returns (connected_endpoints)
    "timestamps",  # no offset
    "name_rules",  # "" and "/" accepted
    "configuration_validated",  # configuration not checked on create
    "schema_conformance",  # Schemathesis sees the same response shapes and the accepted names
)


@entry(
    "response_schema",
    defects=("ResponseShapeMismatch",),
    also=REAL_SERVER_RULES,
    schema=True,
)
def real_server_today():
    """The real server as it behaves today (contract-notes §10): PATCH response without
    connected_endpoints, timestamps without offset, "" and "/" names accepted, configuration not
    validated on create; api_key omitted (its newest version). Rules: response_schema,
    partial_update, timestamps, name_rules, configuration_validated, schema_conformance.
    """
    return build(
        s.PatchResponseWithoutEndpoints,
        s.TimestampsWithoutOffset,
        s.SecretsOmitted,
        s.ConfigurationNotValidated,
        wrappers=(w.InvalidNamesAccepted,),
    )


@entry(
    "partial_update",
    defects=("SentFieldNotApplied",),
    also=REAL_SERVER_RULES,
    schema=True,
)
def real_server_with_patch_regressions():
    """real_server_today plus two regressions in rules it already fails: PATCH ignores tags
    (partial_update, SentFieldNotApplied) and PATCH leaves updated_at alone (timestamps,
    UpdatedAtNotAdvanced). Neither may hide behind the known failure of its rule.
    """
    return build(
        s.PatchResponseWithoutEndpoints,  # outermost: the modifiers below rebuild the answer
        s.PatchIgnoresTags,
        s.UpdatedAtFrozen,
        s.TimestampsWithoutOffset,
        s.SecretsOmitted,
        s.ConfigurationNotValidated,
        wrappers=(w.InvalidNamesAccepted,),
    )


# correct variants: servers that differ from the mock only where the contract leaves it open ---

CORRECT_VARIANTS = {
    "mock": lambda: build(ModelService),
    "secrets_omitted_numeric_offset": lambda: build(s.SecretsOmitted, s.TimestampsWithNumericOffset),
}
"""The kit must pass these: an omitted secret and ``+00:00`` are as good as the mock's choices."""
