"""The OpenAPI schema, the docs page, and the one error envelope on every route of the schema."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from test_api_helpers import assert_envelope

pytest_plugins = ["test_api_helpers"]
pytestmark = pytest.mark.django_db

MISSING = {"pk": "999999", "value_id": "999999", "code": "nowhere", "fmt": "csv"}


def _schema(client=None) -> dict:
    response = (client or Client()).get("/api/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def _routes(schema: dict):
    for path, methods in schema["paths"].items():
        for method in methods:
            yield path, method


def _url(template: str, **values: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), MISSING[m.group(1)]), template)


def test_it_serves_an_openapi_3_schema_that_validates(world):
    schema = _schema()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "rightsmarker API"
    assert len(list(_routes(schema))) >= 13
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(schema)


def test_every_operation_documents_the_error_envelope(world):
    schema = _schema()
    assert "ErrorOut" in schema["components"]["schemas"]
    for path, method in _routes(schema):
        responses = schema["paths"][path][method]["responses"]
        errors = [code for code in responses if code.startswith(("4", "5"))]
        assert errors, f"{method} {path} documents no error response"
        for code in errors:
            ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorOut"), (method, path, code)


def test_reads_say_they_work_without_authentication_and_writes_do_not(world):
    schema = _schema()
    for path, method in _routes(schema):
        security = schema["paths"][path][method]["security"]
        assert {"BearerToken": []} in security
        public = method == "get" and not path.startswith("/api/tokens")
        assert ({} in security) == public, (method, path)


def test_the_docs_page_loads_every_asset_from_this_server(world):
    client = Client()
    page = client.get("/api/docs").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for url in assets:
        assert not url.startswith(("http:", "https:", "//")), f"external asset {url}"
        assert client.get(url).status_code == 200, url
    assert client.get("/api/docs/assets/../../settings.py").status_code == 404


def test_every_route_answers_an_unauthenticated_call_with_the_envelope(world):
    client = Client()
    for path, method in _routes(_schema()):
        if method == "get":
            response = client.get(_url(path))
            if path == "/api/tokens":
                assert_envelope(response, 401)
            elif "{" not in path:  # a list: anonymous callers read what is published
                assert response.status_code == 200
            else:
                assert_envelope(response, 404)
        else:
            response = getattr(client, method)(_url(path), "{}", content_type="application/json")
            assert_envelope(response, 401)


def test_every_route_answers_a_wrong_token_with_the_401_envelope(world):
    client = Client(HTTP_AUTHORIZATION="Bearer rm_not-a-real-token")
    for path, method in _routes(_schema()):
        url = _url(path, pk=str(world.published.pk), code="aranvale")
        error = assert_envelope(getattr(client, method)(url), 401)
        assert error["code"] == "not_authenticated"


def test_every_route_answers_an_unknown_method_with_the_405_envelope(world):
    client = Client()
    for path in _schema()["paths"]:
        response = client.put(_url(path, pk=str(world.published.pk), code="aranvale"))
        assert_envelope(response, 405)
        assert response.has_header("Allow")


def test_every_write_answers_an_invalid_body_with_the_422_envelope(world, api_call):
    value = world.draft.values.get()
    schema = _schema()
    writes = [(p, m) for p, m in _routes(schema) if "requestBody" in schema["paths"][p][m]]
    assert len(writes) >= 4
    for path, method in writes:
        url = _url(path, pk=str(world.draft.pk), value_id=str(value.pk))
        error = assert_envelope(api_call("owner", method, url, {"unexpected": 1}), 422)
        assert error["code"] == "validation_error"
        assert all({"loc", "message", "type"} <= set(d) for d in error["details"])


def test_an_invalid_path_value_answers_the_envelope(world):
    client = Client()
    assert_envelope(client.get(f"/api/exports/cycles/{world.past.pk}/values.exe"), 422)
    assert_envelope(client.get("/api/cycles/not-a-number"), 404)
    assert_envelope(client.get("/api/no/such/address"), 404)


def test_a_body_that_is_not_json_answers_400(world, api_client):
    response = api_client("owner").post(f"/api/submissions/{world.draft.pk}/values",
                                        "{not json", content_type="application/json")
    assert assert_envelope(response, 400)["code"] == "invalid_request"


def test_a_body_over_the_limit_answers_413(world, api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"indicator": "ordinance", "note": "x" * 5000})
    response = api_client("owner").post(f"/api/submissions/{world.draft.pk}/values", body,
                                        content_type="application/json")
    assert assert_envelope(response, 413)["code"] == "request_too_large"


def test_an_unexpected_server_error_answers_500_without_internals(world, monkeypatch):
    from rightsmarker.web.api import serialize

    def broken(_fv):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(serialize, "framework_row", broken)
    response = Client().get("/api/frameworks")
    error = assert_envelope(response, 500)
    assert "secret" not in response.content.decode() and error["code"] == "server_error"


def test_a_session_write_without_the_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["owner"])
    response = client.post(f"/api/submissions/{world.draft.pk}/values",
                           json.dumps({"indicator": "ordinance", "value_number": 1}),
                           content_type="application/json")
    assert assert_envelope(response, 403)["code"] == "csrf_failed"


def test_a_session_write_with_the_csrf_token_is_accepted(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["owner"])
    client.get("/api/docs")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(f"/api/submissions/{world.draft.pk}/values",
                           json.dumps({"indicator": "ordinance", "value_number": 1}),
                           content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.content


def _check_answer(schema: dict, path: str, method: str, response) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    documented = schema["paths"][path][method]["responses"][str(response.status_code)]
    body_schema = documented["content"]["application/json"]["schema"]
    root = {**body_schema, "components": schema["components"]}
    jsonschema.Draft202012Validator(root).validate(json.loads(response.content))


def test_every_answer_matches_its_documented_schema(world, api_call):
    value = world.draft.values.get()
    schema = _schema()
    ids = {"pk": str(world.draft.pk), "value_id": str(value.pk), "code": "aranvale"}
    for path, method in _routes(schema):
        if method != "get" or "exports" in path:
            continue
        pk = str(world.fv.pk) if "frameworks" in path else str(world.current.pk) \
            if "cycles" in path else ids["pk"]
        response = api_call("admin", "get", _url(path, **{**ids, "pk": pk}))
        assert response.status_code == 200, (path, response.content)
        _check_answer(schema, path, method, response)
    writes = [
        ("/api/submissions/{pk}/values", "post", {"indicator": "ordinance", "value_number": 1}),
        ("/api/submissions/{pk}/values/{value_id}", "patch", {"version": 1, "note": "n"}),
        ("/api/submissions/{pk}/transitions", "post", {"target": "submitted"}),
        ("/api/tokens", "post", {"name": "t"}),
    ]
    for path, method, body in writes:
        response = api_call("owner", method, _url(path, **ids), body)
        assert response.status_code in (200, 201), (path, response.content)
        _check_answer(schema, path, method, response)
