"""Data twins of the pages: JSON and CSV carry the same rows; CSV cannot carry a formula."""

from __future__ import annotations

import csv
import io

import pytest

from rightsmarker.web.reporting.models import Value
from rightsmarker.web.twins import safe_cell

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw,cell", [("=1+1", "'=1+1"), ("+3", "'+3"), ("-2", "'-2"),
                                      ("@SUM(A1)", "'@SUM(A1)"), ("ok", "ok"), (-2.5, -2.5),
                                      (None, "")])
def test_a_csv_cell_that_looks_like_a_formula_is_neutralised(raw, cell):
    assert safe_cell(raw) == cell


def test_the_submission_json_twin_lists_its_values(world, client_for):
    data = client_for("owner").get(f"/submissions/{world.draft.pk}.json").json()
    assert data["submission"]["status"] == "draft"
    assert [(v["indicator"], v["group"], v["value"]) for v in data["values"]] == [
        ("poverty-rate", "total", 11.0)]


def test_the_submission_csv_twin_neutralises_formulas(world, client_for):
    Value.objects.create(submission=world.draft, indicator="ordinance", value_number=1,
                         value_text='=HYPERLINK("http://evil.example","x")')
    response = client_for("owner").get(f"/submissions/{world.draft.pk}.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["text"] for r in rows} >= {'\'=HYPERLINK("http://evil.example","x")'}


def test_the_cities_twins_agree_with_each_other(world, client):
    codes_json = [c["code"] for c in client.get("/cities.json").json()["cities"]]
    rows = list(csv.DictReader(io.StringIO(client.get("/cities.csv").content.decode())))
    assert codes_json == [r["code"] for r in rows] == ["aranvale", "bellmora"]


def test_pages_link_their_data_twins(world, client):
    page = client.get("/cycles/").content.decode()
    assert 'href="/cycles.json"' in page and 'href="/cycles.csv"' in page


def test_a_visitor_sees_only_published_submissions_in_a_city_twin(world, client, client_for):
    assert [s["status"] for s in client.get("/cities/aranvale.json").json()["submissions"]] == [
        "published"]
    owner_view = client_for("owner").get("/cities/aranvale.json").json()["submissions"]
    assert sorted(s["status"] for s in owner_view) == ["draft", "published"]


def test_the_history_twin_lists_audit_entries_with_old_and_new_values(world, client_for):
    v = world.draft.values.get()
    v.value_number = 10.0
    v.save()
    history = client_for("owner").get(f"/submissions/{world.draft.pk}/history.json").json()
    assert any(e["field"] == "value_number" and (e["old_value"], e["new_value"]) == (11.0, 10.0)
               for e in history["history"])
