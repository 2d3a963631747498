"""Every API endpoint requested by each of the eight personas (six people, two tokens).

The tokens belong to ``owner`` (city editor of A) and act with the owner's roles; only
``token_write`` may change data. Reads follow the pages' rules (W1's access helpers).
"""

from __future__ import annotations

import json

import pytest
from test_api_helpers import assert_envelope

pytest_plugins = ["test_api_helpers"]  # the api_client, api_call and assert_api_access fixtures
pytestmark = pytest.mark.django_db

ALL_OK = {p: 200 for p in ("owner", "colleague", "outsider", "anonymous", "reviewer", "admin",
                           "token_read", "token_write")}
MEMBERS_ONLY = {**ALL_OK, "outsider": 403, "anonymous": 403}
NO_ANONYMOUS = {**ALL_OK, "anonymous": 403}


def test_it_lists_and_shows_frameworks_to_everyone(world, assert_api_access):
    assert_api_access("get", "/api/frameworks", **ALL_OK)
    assert_api_access("get", f"/api/frameworks/{world.fv.pk}", **ALL_OK)


def test_it_answers_404_for_an_unknown_framework(world, assert_api_access):
    assert_api_access("get", "/api/frameworks/99999", **{p: 404 for p in ALL_OK})


def test_it_shows_a_published_cycle_to_everyone(world, assert_api_access):
    assert_api_access("get", "/api/cycles", **ALL_OK)
    assert_api_access("get", f"/api/cycles/{world.past.pk}", **ALL_OK)


def test_it_hides_an_open_cycle_from_anonymous_callers(world, assert_api_access):
    assert_api_access("get", f"/api/cycles/{world.current.pk}", **NO_ANONYMOUS)


def test_it_lists_only_published_cycles_to_anonymous_callers(world, api_call):
    names = [c["name"] for c in json.loads(api_call("anonymous", "get", "/api/cycles").content)]
    assert names == ["2024 cycle"]
    names = [c["name"] for c in json.loads(api_call("owner", "get", "/api/cycles").content)]
    assert sorted(names) == ["2024 cycle", "2025 cycle"]


@pytest.mark.parametrize("persona, expected", [
    ("anonymous", {"published"}),
    ("outsider", {"published", "other"}),
    ("owner", {"published", "draft"}),
    ("colleague", {"published", "draft"}),
    ("token_read", {"published", "draft"}),
    ("reviewer", {"published", "draft", "other"}),
    ("admin", {"published", "draft", "other"}),
])
def test_it_lists_the_submissions_each_persona_may_see(world, api_call, persona, expected):
    ids = {s["id"] for s in json.loads(api_call(persona, "get", "/api/submissions").content)}
    assert ids == {getattr(world, name).pk for name in expected}


def test_it_shows_a_published_submission_and_its_values_to_everyone(world, assert_api_access):
    pk = world.published.pk
    assert_api_access("get", f"/api/submissions/{pk}", **ALL_OK)
    assert_api_access("get", f"/api/submissions/{pk}/values", **ALL_OK)
    value = world.published.values.get()
    assert_api_access("get", f"/api/submissions/{pk}/values/{value.pk}", **ALL_OK)


def test_it_shows_a_draft_and_its_values_only_to_its_city_and_the_secretariat(
        world, assert_api_access):
    pk = world.draft.pk
    value = world.draft.values.get()
    for url in (f"/api/submissions/{pk}", f"/api/submissions/{pk}/values",
                f"/api/submissions/{pk}/values/{value.pk}"):
        assert_api_access("get", url, **MEMBERS_ONLY)


def test_it_shows_a_value_history_only_to_the_city_and_the_secretariat(world,
                                                                         assert_api_access):
    for sub in (world.published, world.draft):
        value = sub.values.get()
        assert_api_access("get", f"/api/submissions/{sub.pk}/values/{value.pk}/history",
                          **MEMBERS_ONLY)


def test_it_answers_404_for_a_value_of_another_submission(world, assert_api_access):
    other_value = world.other.values.get()
    assert_api_access("get", f"/api/submissions/{world.published.pk}/values/{other_value.pk}",
                      **{p: 404 for p in ALL_OK})


def test_it_lets_everyone_export_a_published_cycle_and_a_city(world, assert_api_access):
    for fmt in ("csv", "xlsx", "parquet"):
        assert_api_access("get", f"/api/exports/cycles/{world.past.pk}/values.{fmt}", **ALL_OK)
        assert_api_access("get", f"/api/exports/cities/aranvale/values.{fmt}", **ALL_OK)


def test_it_refuses_anonymous_exports_of_an_open_cycle(world, assert_api_access):
    assert_api_access("get", f"/api/exports/cycles/{world.current.pk}/values.csv",
                      **NO_ANONYMOUS)


VALUE_WRITERS = {"owner": 201, "colleague": 403, "outsider": 403, "anonymous": 401,
                 "reviewer": 403, "admin": 201, "token_read": 403, "token_write": 201}


@pytest.mark.parametrize("persona, status", VALUE_WRITERS.items())
def test_only_editors_admins_and_write_tokens_create_values(world, api_call, persona, status):
    response = api_call(persona, "post", f"/api/submissions/{world.draft.pk}/values",
                        {"indicator": "ordinance", "value_number": 1})
    assert response.status_code == status, response.content
    if status >= 400:
        assert_envelope(response, status)


@pytest.mark.parametrize("persona, status", VALUE_WRITERS.items())
def test_only_editors_admins_and_write_tokens_update_values(world, api_call, persona, status):
    value = world.draft.values.get()
    response = api_call(persona, "patch", f"/api/submissions/{world.draft.pk}/values/{value.pk}",
                        {"version": value.version, "value_number": 9.5})
    expected = 200 if status == 201 else status
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert_envelope(response, expected)


@pytest.mark.parametrize("persona, status", {
    "owner": 200, "colleague": 403, "outsider": 403, "anonymous": 401, "reviewer": 403,
    "admin": 403, "token_read": 403, "token_write": 200}.items())
def test_only_the_city_editor_submits_a_draft(world, api_call, persona, status):
    response = api_call(persona, "post", f"/api/submissions/{world.draft.pk}/transitions",
                        {"target": "submitted"})
    assert response.status_code == status, response.content
    if status >= 400:
        assert_envelope(response, status)


@pytest.mark.parametrize("persona, status", {
    "owner": 403, "colleague": 403, "outsider": 403, "anonymous": 401, "reviewer": 200,
    "admin": 200, "token_read": 403, "token_write": 403}.items())
def test_only_the_secretariat_approves_a_submitted_submission(world, api_call, persona, status):
    world.draft.status = "submitted"
    world.draft.save()
    response = api_call(persona, "post", f"/api/submissions/{world.draft.pk}/transitions",
                        {"target": "approved", "comment": "fine"})
    assert response.status_code == status, response.content
    if status >= 400:
        assert_envelope(response, status)


@pytest.mark.parametrize("persona, status", VALUE_WRITERS.items())
def test_only_editors_admins_and_write_tokens_delete_values(world, api_call, persona, status):
    value = world.draft.values.get()
    response = api_call(persona, "delete",
                        f"/api/submissions/{world.draft.pk}/values/{value.pk}?version=1")
    expected = 204 if status == 201 else status
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert_envelope(response, expected)
