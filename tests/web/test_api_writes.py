"""Writing through the API: values (strict schema, framework checks, optimistic locking, audit
under the caller) and status moves; and what the read endpoints return."""

from __future__ import annotations

import json

import pytest
from test_api_helpers import assert_envelope

pytest_plugins = ["test_api_helpers"]
pytestmark = pytest.mark.django_db


def _values_url(world) -> str:
    return f"/api/submissions/{world.draft.pk}/values"


def test_a_stale_version_answers_409_and_changes_nothing(world, api_call):
    value = world.draft.values.get()
    url = f"{_values_url(world)}/{value.pk}"
    first = api_call("owner", "patch", url, {"version": value.version, "value_number": 30.0})
    assert first.status_code == 200 and json.loads(first.content)["version"] == value.version + 1
    stale = api_call("admin", "patch", url, {"version": value.version, "value_number": 99.0})
    error = assert_envelope(stale, 409)
    assert error["code"] == "stale_version"
    value.refresh_from_db()
    assert value.value_number == 30.0


def test_a_token_write_is_audited_under_the_token_owner(world, api_call):
    from rightsmarker.web.reporting.models import AuditEntry

    value = world.draft.values.get()
    url = f"{_values_url(world)}/{value.pk}"
    response = api_call("token_write", "patch", url, {"version": value.version, "note": "checked"})
    assert response.status_code == 200, response.content
    entry = AuditEntry.objects.get(model="reporting.value", object_id=str(value.pk),
                                   action="update", field="note")
    assert entry.actor == world.users["owner"] and entry.new_value == "checked"
    history = json.loads(api_call("colleague", "get", f"{url}/history").content)
    note = [e for e in history if e["field"] == "note"]
    assert note[0]["actor"] == "owner" and note[0]["old_value"] == ""


def test_a_created_value_is_audited_under_the_session_user(world, api_call):
    from rightsmarker.web.reporting.models import AuditEntry

    response = api_call("admin", "post", _values_url(world),
                        {"indicator": "action-plan", "value_number": 2, "source": "council"})
    assert response.status_code == 201, response.content
    body = json.loads(response.content)
    assert body["group"] == "total" and body["version"] == 1
    entry = AuditEntry.objects.get(model="reporting.value", object_id=str(body["id"]))
    assert entry.action == "create" and entry.actor == world.users["admin"]


def test_a_group_is_stored_in_its_canonical_form(world, api_call):
    response = api_call("owner", "post", _values_url(world),
                        {"indicator": "poverty-rate", "group": "women", "value_number": 14.0})
    assert response.status_code == 201, response.content
    assert json.loads(response.content)["group"] == "sex=female"


def test_a_value_by_district_is_taken_as_uploads_take_it(world, api_call):
    response = api_call("owner", "post", _values_url(world),
                        {"indicator": "poverty-rate", "group": "district=north",
                         "value_number": 12.0})
    assert response.status_code == 201, response.content
    assert json.loads(response.content)["group"] == "district=north"


def test_a_second_value_for_the_same_indicator_and_group_answers_409(world, api_call):
    response = api_call("owner", "post", _values_url(world),
                        {"indicator": "poverty-rate", "value_number": 1.0})
    error = assert_envelope(response, 409)
    assert error["code"] == "already_exists" and error["details"][0]["version"] == 1


@pytest.mark.parametrize("body, field", [
    ({"indicator": "no-such-indicator", "value_number": 1}, "indicator"),
    ({"indicator": "ordinance", "value_number": 3}, "value_number"),
    ({"indicator": "action-plan", "value_number": 1.5}, "value_number"),
    ({"indicator": "poverty-rate", "value_number": 140}, "value_number"),
    ({"indicator": "poverty-rate", "group": "planet=mars", "value_number": 1}, "group"),
    ({"indicator": "poverty-rate", "group": "district=", "value_number": 1}, "group"),
    ({"indicator": "poverty-rate", "group": "district=north", "value_number": 140},
     "value_number"),
])
def test_a_value_that_does_not_fit_the_framework_answers_422(world, api_call, body, field):
    error = assert_envelope(api_call("owner", "post", _values_url(world), body), 422)
    assert [d["loc"][-1] for d in error["details"]] == [field]


@pytest.mark.parametrize("body", [
    {"indicator": "poverty-rate", "value_number": "12"},  # no text for numbers
    {"indicator": "poverty-rate", "value_number": 12, "colour": "red"},  # unknown field
    {"indicator": "poverty-rate", "evidence_url": "javascript:alert(1)"},
    {"indicator": "", "value_number": 1},
])
def test_the_schema_is_strict(world, api_call, body):
    body = {**body, "group": "age=0-17"}
    assert_envelope(api_call("owner", "post", _values_url(world), body), 422)


def test_a_patch_needs_the_version(world, api_call):
    value = world.draft.values.get()
    response = api_call("owner", "patch", f"{_values_url(world)}/{value.pk}", {"note": "x"})
    error = assert_envelope(response, 422)
    assert ["body", "payload", "version"] in [d["loc"] for d in error["details"]]


def test_values_of_a_submitted_submission_cannot_change(world, api_call):
    world.draft.status = "submitted"
    world.draft.save()
    response = api_call("owner", "post", _values_url(world),
                        {"indicator": "ordinance", "value_number": 1})
    assert assert_envelope(response, 409)["code"] == "not_editable"


def test_a_read_only_token_is_told_why_it_may_not_write(world, api_call):
    response = api_call("token_read", "post", _values_url(world),
                        {"indicator": "ordinance", "value_number": 1})
    assert assert_envelope(response, 403)["code"] == "token_read_only"


def test_a_submission_goes_through_submit_return_submit_approve_publish(world, api_call):
    url = f"/api/submissions/{world.draft.pk}/transitions"
    assert api_call("owner", "post", url, {"target": "submitted"}).status_code == 200
    refused = api_call("reviewer", "post", url, {"target": "returned"})
    assert assert_envelope(refused, 409)["code"] == "transition_refused"  # needs a comment
    back = api_call("reviewer", "post", url, {"target": "returned", "comment": "Check the rate"})
    assert json.loads(back.content)["status"] == "returned"
    detail = json.loads(api_call("owner", "get", f"/api/submissions/{world.draft.pk}").content)
    assert detail["comments"][0]["text"] == "Check the rate" and detail["moves"] == ["submitted"]
    assert api_call("token_write", "post", url, {"target": "submitted"}).status_code == 200
    assert api_call("reviewer", "post", url, {"target": "approved"}).status_code == 200
    done = api_call("admin", "post", url, {"target": "published"})
    assert json.loads(done.content)["status"] == "published"


def test_a_move_with_a_stale_version_answers_409(world, api_call):
    url = f"/api/submissions/{world.draft.pk}/transitions"
    response = api_call("owner", "post", url, {"target": "submitted", "version": 99})
    assert assert_envelope(response, 409)["code"] == "stale_version"


def test_values_can_be_filtered_by_indicator_and_group(world, api_call):
    for group, number in (("women", 13.0), ("children", 15.0)):
        api_call("owner", "post", _values_url(world),
                 {"indicator": "poverty-rate", "group": group, "value_number": number})
    api_call("owner", "post", _values_url(world), {"indicator": "ordinance", "value_number": 1})

    def fetch(**query):
        return json.loads(api_call("owner", "get", _values_url(world), query).content)

    assert len(fetch()) == 4
    assert {v["group"] for v in fetch(indicator="poverty-rate")} == {
        "total", "sex=female", "age=0-17"}
    assert [v["value_number"] for v in fetch(indicator="poverty-rate", group="sex=female")] == [
        13.0]
    assert [v["value_number"] for v in fetch(group="children")] == [15.0]


def test_a_framework_comes_with_its_node_tree(world, api_call):
    body = json.loads(api_call("anonymous", "get", f"/api/frameworks/{world.fv.pk}").content)
    tree = body["tree"]
    assert tree["code"] == "index"
    assert [t["code"] for t in tree["children"]] == ["rights", "inclusion"]
    ordinance = tree["children"][0]["children"][0]
    assert ordinance["code"] == "ordinance" and ordinance["value_type"] == "yes_no"
    assert ordinance["children"] == []
    assert body["framework"]["code"] == "tiny" and "nodes" not in body["framework"]


def test_anonymous_callers_see_no_comments_and_no_moves(world, api_call):
    body = json.loads(api_call("anonymous", "get",
                               f"/api/submissions/{world.published.pk}").content)
    assert body["comments"] == [] and body["moves"] == [] and body["can_write"] is False


def test_a_deleted_value_is_gone_but_kept_in_the_audit_log(world, api_call):
    from rightsmarker.web.reporting.models import AuditEntry

    value = world.draft.values.get()
    url = f"{_values_url(world)}/{value.pk}"
    stale = api_call("owner", "delete", f"{url}?version=7")
    assert assert_envelope(stale, 409)["code"] == "stale_version"
    assert api_call("owner", "delete", f"{url}?version=1").status_code == 204
    assert not world.draft.values.exists()
    entry = AuditEntry.objects.get(model="reporting.value", object_id=str(value.pk),
                                   action="delete")
    assert entry.actor == world.users["owner"] and entry.old_value["value_number"] == 11.0
    assert_envelope(api_call("owner", "delete", f"{url}?version=1"), 404)


def test_the_submission_list_pages_with_limit_and_offset(world, api_call):
    first = api_call("admin", "get", "/api/submissions", {"limit": 2})
    assert first["X-Total-Count"] == "3" and len(json.loads(first.content)) == 2
    rest = json.loads(api_call("admin", "get", "/api/submissions",
                               {"limit": 2, "offset": 2}).content)
    assert len(rest) == 1
    assert_envelope(api_call("admin", "get", "/api/submissions", {"limit": 0}), 422)
