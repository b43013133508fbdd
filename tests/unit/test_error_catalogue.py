"""The spec's "Connection error reference" is all in the catalogue, each code with cause and what-to-do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from socializioz.domain.errors import CATALOGUE, ErrorGroup, ErrorKind, ProviderError, describe, i18n_messages, lookup

SPEC_CODES = {
    ErrorGroup.GENERAL: [
        "no_code",
        "missing_code",
        "missing_state",
        "invalid_state",
        "invalid_state_data",
        "session_expired",
        "state_expired",
        "server_config",
        "server_misconfigured",
        "missing_params",
        "missing_credentials",
        "token_exchange_failed",
        "access_denied",
    ],
    ErrorGroup.META: [
        "missing_permission",
        "no_pages_found",
        "missing_pages_manage_posts",
        "IG_DIRECT_NOT_PUBLISHABLE",
    ],
    ErrorGroup.X: ["x_token_error", "no_access_token", "token_parse_failed", "invalid_client"],
    ErrorGroup.TIKTOK: [
        "invalid_token_response",
        "missing_token_fields",
        "token_creation_failed",
        "social_account_creation_failed",
    ],
    ErrorGroup.LINKEDIN: [
        "user_cancelled_login",
        "user_cancelled_authorize",
        "linkedin_token_error",
        "no_access_token",
        "linkedin_profile_error",
        "invalid_profile",
        "token_creation_failed",
    ],
}


@pytest.mark.parametrize("group,code", [(g, c) for g, codes in SPEC_CODES.items() for c in codes])
def test_every_spec_code_is_in_its_table(group, code):
    entries = [e for e in CATALOGUE if e.group is group and code in e.all_codes]
    assert len(entries) == 1
    assert entries[0].cause and entries[0].what_to_do and entries[0].in_spec


def test_labels_of_codes_with_spaces():
    assert lookup("no_pages_found").displayed == "No Pages found"
    assert lookup("missing_pages_manage_posts").displayed == "Missing pages_manage_posts"


def test_platform_table_wins_for_shared_codes():
    assert "X did not" in lookup("no_access_token", "x").cause
    assert "LinkedIn did not" in lookup("no_access_token", "linkedin").cause
    assert "LinkedIn" in lookup("token_creation_failed", "linkedin").cause


def test_tiktok_codes_pass_through_others_do_not():
    entry = describe("invalid_grant", "tiktok")
    assert entry.code == "invalid_grant" and entry.passthrough and entry.what_to_do
    with pytest.raises(KeyError):
        describe("invalid_grant", "x")


def test_message_keys_are_unique_and_complete():
    keys = [k for e in CATALOGUE for k in (e.cause_key, e.what_to_do_key)]
    assert len(keys) == len(set(keys))
    assert lookup("no_code").cause_key == "error.no_code.cause"
    messages = i18n_messages()
    assert set(keys) <= set(messages) and all(messages.values())


def test_provider_error_text_is_safe_and_explained():
    err = ProviderError(ErrorKind.MISSING_PERMISSION, "missing_permission", "facebook", missing_scope="pages_show_list")
    assert "pages_show_list" in str(err) and err.entry.group is ErrorGroup.META


def test_catalogue_matches_the_spec():
    seed = Path(__file__).resolve().parents[2] / "docs" / "spec-connections.txt"
    text = seed.read_text().split("Connection error reference", 1)[1].split("Mobile-specific issues", 1)[0]
    for entry in CATALOGUE:
        if entry.in_spec:
            assert entry.cause in text and entry.what_to_do in text, entry.code
            assert re.search(re.escape(entry.displayed), text)
