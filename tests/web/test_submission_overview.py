"""The submission overview shows groups and values as the entry page does ('Age: 18-24',
'yes', '2 · Adopted', '11 %'), not the stored codes and floats ('age=18-24', '1.0 yes/no')."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def values(world):
    from rightsmarker.web.reporting.models import Value

    for indicator, group, number in (("ordinance", "total", 1.0), ("action-plan", "total", 2.0),
                                     ("poverty-rate", "age=18-24", 14.5)):
        Value.objects.create(submission=world.draft, indicator=indicator, group=group,
                             value_number=number)
    return world


def _rows(html: str) -> list[list[str]]:
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>",
                                                                   row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)]


def test_the_overview_shows_groups_and_values_as_the_entry_page_does(values, client_for):
    html = client_for("owner").get(f"/submissions/{values.draft.pk}/").content.decode()
    rows = _rows(html)
    assert ["ordinance Anti-discrimination ordinance", "Total", "yes", "", ""] in rows
    assert ["action-plan Human rights action plan", "Total", "2 · Adopted", "", ""] in rows
    assert ["", "Age: 18-24", "14.5 %", "", ""] in rows
    assert any(r[1:3] == ["Total", "11 %"] for r in rows)
    cells = [c for r in rows for c in r]
    for raw in ("age=18-24", "1.0", "2.0", "1.0 yes/no", "2.0 stage (0-4)"):
        assert raw not in cells, raw
    assert not any(c.endswith(("yes/no", "stage (0-4)")) for c in cells)


def test_the_overview_in_korean_names_groups_and_stages_in_korean(values, client_for):
    html = client_for("owner").get(f"/submissions/{values.draft.pk}/",
                                   HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "2 · 채택" in html and ">예<" in html and "연령: 18-24" in html


def test_the_overview_twins_keep_the_stored_codes_and_numbers(values, client_for):
    data = client_for("owner").get(f"/submissions/{values.draft.pk}.json").json()["values"]
    assert {(v["indicator"], v["group"], v["value"]) for v in data} >= {
        ("ordinance", "total", 1.0), ("action-plan", "total", 2.0),
        ("poverty-rate", "age=18-24", 14.5)}
