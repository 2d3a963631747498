"""The history pages read as a city officer reads: times to the minute, names instead of ids,
the indicator and group of each value, translated field names, values as the entry page shows
them; the twins keep the raw log (with each value's indicator and group)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed(world):
    """The owner enters 'adopted' for the ordinance and a source for women's poverty rate; the
    reviewer returns the submission (reviewed_by, reviewed_at, status)."""
    from rightsmarker.web.reporting.actor import acting_as
    from rightsmarker.web.reporting.models import Value

    owner = world.users["owner"]
    owner.first_name, owner.last_name = "Ola", "Owner"
    owner.save()
    with acting_as(owner):
        Value.objects.create(submission=world.draft, indicator="action-plan", value_number=2.0)
        Value.objects.create(submission=world.draft, indicator="ordinance", value_number=1.0)
        v = Value.objects.create(submission=world.draft, indicator="poverty-rate",
                                 group="sex=female", value_number=14.0)
        v.source = "census"
        v.save()
    with acting_as(world.users["reviewer"]):
        world.draft.refresh_from_db()
        world.draft.status = "returned"
        world.draft.reviewed_by = world.users["reviewer"]
        world.draft.save()
    return world


def _cells(html: str) -> list[list[str]]:
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_the_submission_history_names_indicators_groups_fields_and_people(changed, client_for):
    html = client_for("owner").get(f"/submissions/{changed.draft.pk}/history/").content.decode()
    rows = _cells(html)
    assert ["Ola Owner", "changed", "poverty-rate Poverty rate", "Sex: female", "Source", "",
            "census"] in [r[1:] for r in rows]
    assert ["Ola Owner", "added", "ordinance Anti-discrimination ordinance", "Total", "Value",
            "", "yes"] in [r[1:] for r in rows]
    assert any(r[3].startswith("action-plan ") and r[5:] == ["Value", "", "2 · Adopted"]
               for r in rows)
    assert any(r[3] == "Submission" and r[5:] == ["Reviewed by", "", "reviewer"] for r in rows)
    assert any(r[3] == "Submission" and r[5:] == ["Status", "draft", "returned"] for r in rows)
    for raw in ("reporting.submission", "reviewed_by_id", "value_number", "{&#x27;", "{'"):
        assert raw not in html, raw
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", rows[0][0])  # to the minute


def test_the_submission_history_speaks_korean(changed, client_for):
    client = client_for("owner")
    html = client.get(f"/submissions/{changed.draft.pk}/history/",
                      HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    rows = [r[1:] for r in _cells(html)]
    assert ["Ola Owner", "변경", "poverty-rate 빈곤율", "성별: 여성", "출처", "",
            "census"] in rows
    assert ["reviewer", "변경", "제출물", "", "상태", "작성 중", "반려됨"] in rows
    assert ["Ola Owner", "추가", "action-plan 인권 기본계획", "전체", "값", "", "2 · 채택"] in rows


def test_the_history_twins_stay_raw_and_name_each_values_indicator_and_group(changed, client_for):
    client = client_for("owner")
    data = client.get(f"/submissions/{changed.draft.pk}/history.json").json()["history"]
    source = next(e for e in data if e["field"] == "source")
    assert source["model"] == "reporting.value" and source["new_value"] == "census"
    assert (source["indicator"], source["group"]) == ("poverty-rate", "sex=female")
    assert any(e["field"] == "reviewed_by_id" and e["new_value"] == changed.users["reviewer"].pk
               for e in data)
    csv = client.get(f"/submissions/{changed.draft.pk}/history.csv").content.decode()
    assert csv.splitlines()[0] == ("at,actor,action,model,object_id,indicator,group,field,"
                                   "old_value,new_value")


def test_the_value_history_shows_values_as_the_entry_page_does(changed, client_for):
    url = f"/submissions/{changed.draft.pk}/value-history/?indicator=action-plan&group=total"
    html = client_for("colleague").get(url).content.decode()
    rows = _cells(html)
    assert [r[1:] for r in rows] == [["Ola Owner", "added", "Value", "", "2 · Adopted"]]
