"""docs/contract.md §9: one definition of a secret, read from the contract's ``x-secrets``."""

from __future__ import annotations

import pytest

from handlers.contract import document
from handlers.secrets import MASKED, OMITTED, SecretRules

SECRET_NAMES = ["api_key", "apiKey", "api-key", "API_KEY", "secret", "client_secret", "password", "token",
                "access_token", "private_key", "credentials", "authorization", "aws_access_key_id",
                "aws_secret_access_key"]
PLAIN_NAMES = ["tokenizer", "max_tokens", "model", "base_url", "system_prompt", "temperature"]


def test_the_definition_lives_in_the_contract():
    definition = document()["components"]["x-secrets"]
    rules = SecretRules.from_contract()

    assert rules.name_pattern.pattern == definition["name-pattern"]
    assert (rules.write_only_properties, rules.url_userinfo_password) == (True, True)


@pytest.mark.parametrize("key", SECRET_NAMES)
def test_credential_names_are_secrets(key):
    assert SecretRules.from_contract().is_secret(key, "value")


@pytest.mark.parametrize("key", PLAIN_NAMES)
def test_plain_settings_are_not_secrets(key):
    assert not SecretRules.from_contract().is_secret(key, "value")


def test_a_write_only_property_is_a_secret_whatever_its_name():
    assert SecretRules.from_contract().is_secret("org", "value", {"type": "string", "writeOnly": True})


@pytest.mark.parametrize("value, secret", [
    ("https://user:hunter2@proxy.example/v1", True),
    ("postgres://:pw@db:5432/x", True),
    ("https://user@proxy.example/v1", False),
    ("https://user:@proxy.example/v1", False),
    ("http://[::1:80/x@y", False),
    ("mail me at a@b.example", False),
])
def test_a_url_with_a_password_is_a_secret_whatever_its_key(value, secret):
    assert SecretRules.from_contract().is_secret("base_url", value) is secret


CONFIGURATION = {
    "api_key": "sk-live-0123456789",
    "tokenizer": "cl100k",
    "max_tokens": 10,
    "proxy": "https://u:hunter2@proxy.example",
    "extra": [{"api_key": "sk-in-a-list-000"}, "https://u:pw2@h.example", "plain"],
    "nested": {"private_key": "-----BEGIN KEY-----", "credentials": {"user": "u"}, "org": "o"},
}


def test_omitted_mode_leaves_every_secret_out_at_any_depth():
    shown = SecretRules.from_contract(OMITTED).shown(CONFIGURATION)

    assert shown == {"tokenizer": "cl100k", "max_tokens": 10, "extra": [{}, "plain"], "nested": {"org": "o"}}


def test_masked_mode_masks_secret_strings_and_omits_other_secrets():
    shown = SecretRules.from_contract(MASKED).shown(CONFIGURATION)

    assert shown == {"api_key": "sk-...", "tokenizer": "cl100k", "max_tokens": 10, "proxy": "htt...",
                     "extra": [{"api_key": "sk-..."}, "htt...", "plain"],
                     "nested": {"private_key": "---...", "org": "o"}}


def test_write_only_properties_are_found_through_the_schema_at_any_depth():
    schema = {"properties": {"outer": {"properties": {"pin": {"writeOnly": True}}},
                             "pins": {"items": {"writeOnly": True}}}}

    shown = SecretRules.from_contract(OMITTED).shown({"outer": {"pin": "1234", "x": 1}, "pins": ["1", "2"]}, schema)

    assert shown == {"outer": {"x": 1}, "pins": []}


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="masked"):
        SecretRules.from_contract("shown")


@pytest.mark.parametrize("path, value, omitted, masked", [
    (["configuration", "api_key"], "sk-abcdef", None, "sk-..."),
    (["configuration", "extra", 0, "token"], "tk-123456", None, "tk-..."),
    (["configuration", "credentials", "user"], "u", None, "..."),
    (["configuration", "proxy"], "https://u:pw@h", None, "htt..."),
    (["configuration"], {"api_key": "sk-abcdef", "model": "m"}, {"model": "m"}, {"api_key": "sk-...", "model": "m"}),
    ([], {"name": "n", "configuration": {"pin": "1234"}}, {"name": "n", "configuration": {}},
     {"name": "n", "configuration": {"pin": "12..."}}),
    (["summary"], "plain", "plain", "plain"),
])
def test_a_value_found_in_a_request_body_is_shown_with_its_secrets_hidden(path, value, omitted, masked):
    schema = {"properties": {"configuration": {"properties": {"pin": {"writeOnly": True}}}}}

    assert SecretRules.from_contract(OMITTED).shown_at(path, value, schema) == omitted
    assert SecretRules.from_contract(MASKED).shown_at(path, value, schema) == masked
