"""Web tests: Django settings, a tiny world and the six personas every view test uses.

Settings: ``rightsmarker.web.settings`` with a temporary data folder, a test secret key and demo
mode off; SQLite (in memory) unless ``DATABASE_URL`` points at PostgreSQL, for example
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/test`` (pytest-django then creates
``test_test``).

The world (``world`` fixture): the tiny framework imported as a version; two cities, ``aranvale``
(A) and ``bellmora`` (B); a published 2024 cycle with A's published submission and an open 2025
cycle with drafts of A and B (one value each). Personas:

- ``owner``: city editor of A;  ``colleague``: city viewer of A;  ``outsider``: city editor of B;
- ``anonymous``: not signed in;  ``reviewer``: secretariat reviewer;  ``admin``: secretariat admin.

``assert_access(url, owner=200, colleague=200, outsider=403, anonymous=403, reviewer=200,
admin=200)`` requests the URL as each persona and checks every status; all six must be given.
"""

from __future__ import annotations

import os
import tempfile
from types import SimpleNamespace

import pytest

PERSONAS = ("owner", "colleague", "outsider", "anonymous", "reviewer", "admin")


def pytest_configure(config):
    os.environ.setdefault("RIGHTSMARKER_DATA_DIR", tempfile.mkdtemp(prefix="rightsmarker-test-"))
    os.environ.setdefault("RIGHTSMARKER_SECRET_KEY", "test-secret-key-" + "x" * 40)
    os.environ["RIGHTSMARKER_DEMO"] = "0"
    os.environ["RIGHTSMARKER_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightsmarker.web.settings")
    import django

    django.setup()  # pytest-django read its settings before this conftest was loaded


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A request in Korean leaves Korean active in the thread: each test starts in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def framework_version(db, tiny_framework_dict):
    from rightsmarker.framework.io import yaml_dump
    from rightsmarker.web.frameworks.importing import import_framework

    return import_framework(yaml_dump(tiny_framework_dict), source="tiny.yaml")


@pytest.fixture
def world(db, framework_version):
    from rightsmarker.web.accounts.users import create_user
    from rightsmarker.web.network.models import City
    from rightsmarker.web.reporting.models import Cycle, Submission, Value

    a = City.objects.create(code="aranvale", name_en="Aranvale", name_ko="아란베일",
                            country="Estoria", fictional=True)
    b = City.objects.create(code="bellmora", name_en="Bellmora", name_ko="벨모라",
                            country="Estoria", fictional=True)
    users = {
        "owner": create_user("owner", "o@example.org", "city_editor", "aranvale", "pw-owner"),
        "colleague": create_user("colleague", "c@example.org", "city_viewer", "aranvale", "pw"),
        "outsider": create_user("outsider", "x@example.org", "city_editor", "bellmora", "pw"),
        "reviewer": create_user("reviewer", "r@example.org", "secretariat_reviewer", None, "pw"),
        "admin": create_user("admin", "a@example.org", "secretariat_admin", None, "pw"),
    }
    past = Cycle.objects.create(name="2024 cycle", year=2024, framework_version=framework_version,
                                status="published")
    current = Cycle.objects.create(name="2025 cycle", year=2025,
                                   framework_version=framework_version, status="open")
    published = Submission.objects.create(cycle=past, city=a, status="published")
    draft = Submission.objects.create(cycle=current, city=a, status="draft")
    other = Submission.objects.create(cycle=current, city=b, status="draft")
    for sub, number in ((published, 12.5), (draft, 11.0), (other, 20.0)):
        Value.objects.create(submission=sub, indicator="poverty-rate", value_number=number,
                             source="survey")
    return SimpleNamespace(city_a=a, city_b=b, users=users, past=past, current=current,
                           published=published, draft=draft, other=other, fv=framework_version)


@pytest.fixture
def client_for(world):
    """A test client signed in as the persona (``anonymous``: not signed in)."""
    from django.test import Client

    def make(persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(world.users[persona])
        return client

    return make


@pytest.fixture
def assert_access(client_for):
    """Request ``url`` as each of the six personas and check the status codes."""

    def check(url: str, method: str = "get", data=None, **expected: int):
        missing = [p for p in PERSONAS if p not in expected]
        unknown = [p for p in expected if p not in PERSONAS]
        assert not missing and not unknown, f"missing personas {missing}, unknown {unknown}"
        failures = []
        for persona in PERSONAS:
            response = getattr(client_for(persona), method)(url, data or {})
            if response.status_code != expected[persona]:
                failures.append(f"{persona}: {response.status_code} (expected {expected[persona]})")
        assert not failures, f"{method.upper()} {url}: " + "; ".join(failures)

    return check
