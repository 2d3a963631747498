"""Practices in the web ``world``: a fresh search index file per test and a few records.

``practices``: A's published Korean practice (인권 교육), A's draft, B's submitted practice and
B's published English one; each saved through the services, so each has its versions.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest


@pytest.fixture(autouse=True)
def _practice_index(settings, tmp_path):
    settings.RIGHTSMARKER_PRACTICE_INDEX = tmp_path / "practices-index.sqlite3"


def make(city, code: str, status: str, **data):
    from rightsmarker.web.practices.models import PracticeRecord
    from rightsmarker.web.practices.services import save_version

    record = PracticeRecord(city=city, code=code, status="draft",
                            data={"title": {"en": code}} | data)
    save_version(record, None, "create")
    for step in {"draft": [], "submitted": ["submitted"],
                 "published": ["submitted", "published"]}[status]:
        record.status = step
        save_version(record, None, step)
    return record


@pytest.fixture(name="practices")
def practices_fixture(world):
    rights = make(world.city_a, "aranvale-rights", "published",
                  title={"en": "Rights training for officials", "ko": "공무원 인권 교육"},
                  summary={"ko": "공무원이 인권을 배우는 교육과정을 운영한다."},
                  themes=["CUL"], groups=["migrants"], period={"start": 2020, "end": 2024})
    draft = make(world.city_a, "aranvale-draft", "draft",
                 title={"en": "Secret draft about housing"}, themes=["SPA"])
    submitted = make(world.city_b, "bellmora-submitted", "submitted",
                     title={"en": "Bellmora submitted clinic"}, themes=["SOC"])
    housing = make(world.city_b, "bellmora-housing", "published",
                   title={"en": "Housing First for people sleeping rough"},
                   summary={"en": "Homeless people get a flat of their own with a lease."},
                   themes=["SPA"], groups=["homeless-persons"], period={"start": 2012})
    return SimpleNamespace(rights=rights, draft=draft, submitted=submitted, housing=housing)
