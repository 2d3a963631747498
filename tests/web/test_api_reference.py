"""docs/reference/api.md stays true: its endpoint table is exactly the schema's routes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
DOC = Path(__file__).resolve().parents[2] / "docs" / "reference" / "api.md"


def test_the_reference_lists_every_route_of_the_schema_and_no_other(db):
    schema = json.loads(Client().get("/api/openapi.json").content)
    routes = {(m.upper(), p) for p, methods in schema["paths"].items() for m in methods}
    documented = set(re.findall(r"^\| (GET|POST|PATCH|PUT|DELETE) \| `([^`]+)` \|",
                                DOC.read_text(encoding="utf-8"), re.M))
    assert documented == routes


def test_the_reference_names_every_error_code_the_api_uses(db):
    from rightsmarker.web.api.errors import CODES

    text = DOC.read_text(encoding="utf-8")
    for status, code in CODES.items():
        if status != 429:
            assert f"`{code}`" in text, code
