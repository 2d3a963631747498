"""Tokens through the API: issued from a browser session, shown once, used, revoked."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from test_api_helpers import assert_envelope

pytest_plugins = ["test_api_helpers"]
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona, status", {
    "owner": 200, "colleague": 200, "outsider": 200, "anonymous": 401, "reviewer": 200,
    "admin": 200, "token_read": 403, "token_write": 403}.items())
def test_only_a_signed_in_session_lists_its_tokens(world, api_call, persona, status):
    response = api_call(persona, "get", "/api/tokens")
    assert response.status_code == status
    if status >= 400:
        assert_envelope(response, status)


def test_an_issued_token_works_once_shown_and_stops_when_revoked(world, api_call, client_for):
    session = client_for("owner")
    issued = session.post("/api/tokens", json.dumps({"name": "laptop", "can_write": True}),
                          content_type="application/json")
    assert issued.status_code == 201, issued.content
    body = json.loads(issued.content)
    plain, token_id = body["plain"], body["token"]["id"]
    listed = json.loads(session.get("/api/tokens").content)
    assert [t["name"] for t in listed] == ["laptop"] and "plain" not in listed[0]
    assert plain not in session.get("/api/tokens").content.decode()

    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    created = bearer.post(f"/api/submissions/{world.draft.pk}/values",
                          json.dumps({"indicator": "ordinance", "value_number": 1}),
                          content_type="application/json")
    assert created.status_code == 201, created.content
    assert_envelope(bearer.delete(f"/api/tokens/{token_id}"), 403)  # tokens do not revoke

    assert session.delete(f"/api/tokens/{token_id}").status_code == 200
    assert_envelope(bearer.get("/api/cycles"), 401)


def test_nobody_revokes_another_persons_token(world, client_for):
    from rightsmarker.web.accounts.models import ApiToken

    token, _plain = ApiToken.issue(world.users["owner"], "mine")
    assert_envelope(client_for("admin").delete(f"/api/tokens/{token.pk}"), 404)
    token.refresh_from_db()
    assert token.revoked is None
