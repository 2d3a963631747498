"""Fixtures of the API tests: eight personas (the six of conftest plus two tokens of the owner).

``token_read`` and ``token_write`` are bearer tokens issued to ``owner`` (city editor of A), the
second with ``can_write``. ``api_call(persona, method, url, body)`` sends JSON;
``assert_api_access(method, url, body=None, **statuses)`` checks all eight personas and that
every error answer is the one envelope. Imported by the ``test_api*`` and ``test_exports*``
modules (this module holds no tests).
"""

from __future__ import annotations

import json

import pytest

API_PERSONAS = ("owner", "colleague", "outsider", "anonymous", "reviewer", "admin",
                "token_read", "token_write")


def assert_envelope(response, status: int | None = None) -> dict:
    """The response is the one error envelope (with ``status`` when given); return its body."""
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    assert isinstance(body, dict), f"{response.status_code}: {body!r}"[:300]
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"status", "code", "message", "details"}, error
    assert error["status"] == response.status_code
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], list)
    if status is not None:
        assert response.status_code == status, body
    return error


@pytest.fixture
def api_client(world, client_for):
    """A Django test client for a persona (tokens sent as ``Authorization: Bearer``)."""
    from django.test import Client

    from rightsmarker.web.accounts.models import ApiToken

    def make(persona: str) -> Client:
        if persona.startswith("token_"):
            _token, plain = ApiToken.issue(world.users["owner"], persona,
                                           can_write=persona == "token_write")
            return Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
        return client_for(persona)

    return make


@pytest.fixture
def api_call(api_client):
    def call(persona: str, method: str, url: str, body=None):
        client = api_client(persona)
        if method == "get":
            return client.get(url, body or {})
        return getattr(client, method)(url, json.dumps(body if body is not None else {}),
                                       content_type="application/json")

    return call


@pytest.fixture
def assert_api_access(api_call):
    def check(method: str, url: str, body=None, **expected: int):
        assert set(expected) == set(API_PERSONAS), f"give all of {API_PERSONAS}"
        failures = []
        for persona in API_PERSONAS:
            response = api_call(persona, method, url, body)
            if response.status_code != expected[persona]:
                failures.append(f"{persona}: {response.status_code} (expected "
                                f"{expected[persona]}) {response.content[:200]!r}")
            elif response.status_code >= 400:
                assert_envelope(response)
        assert not failures, f"{method.upper()} {url}: " + "; ".join(failures)

    return check
