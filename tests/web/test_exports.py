"""Exports of approved and published values: CSV, XLSX and Parquet, access, formula injection."""

from __future__ import annotations

import csv
import io

import pytest
from test_api_helpers import assert_envelope

from rightsmarker.web.exports.rows import COLUMNS
from rightsmarker.web.exports.safety import neutralise

pytest_plugins = ["test_api_helpers"]
pytestmark = pytest.mark.django_db

NASTY = {"value_text": "=HYPERLINK(\"http://evil\",\"click\")", "source": "+cmd|' /C calc'!A0",
         "note": "@SUM(A1:A2)", "flag": "-2+3"}


@pytest.fixture
def approved(world):
    """A's 2025 submission approved, with formula-like text and a negative number."""
    from rightsmarker.web.reporting.models import Value

    world.draft.status = "approved"
    world.draft.save()
    Value.objects.create(submission=world.draft, indicator="employment-rate", value_number=-3.5,
                         **NASTY)
    return world.draft


def _csv(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


@pytest.mark.parametrize("text, safe", [
    ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("-3.5", "-3.5"), ("+1e3", "+1e3"), ("plain", "plain"),
    (-3.5, -3.5), (7, 7), (None, None), ("", ""),
])
def test_formula_like_text_gets_an_apostrophe_but_numbers_do_not(text, safe):
    assert neutralise(text) == safe


def test_the_csv_export_has_the_long_columns_and_neutralised_text(approved, api_call):
    response = api_call("owner", "get", f"/api/exports/cycles/{approved.cycle_id}/values.csv")
    assert response["Content-Disposition"].startswith("attachment; filename=\"values-cycle-")
    rows = _csv(response)
    assert list(rows[0]) == COLUMNS
    nasty = next(r for r in rows if r["indicator"] == "employment-rate")
    assert nasty["value"] == "-3.5" and nasty["status"] == "approved"
    assert nasty["unit"] == "aranvale" and nasty["period"] == "2025"
    for column, field in (("text", "value_text"), ("source", "source"), ("note", "note"),
                          ("flag", "flag")):
        assert nasty[column] == "'" + NASTY[field]


def test_drafts_are_never_exported(approved, api_call):
    rows = _csv(api_call("admin", "get", f"/api/exports/cycles/{approved.cycle_id}/values.csv"))
    assert {r["unit"] for r in rows} == {"aranvale"}  # bellmora's draft is left out
    assert {r["status"] for r in rows} == {"approved"}


@pytest.mark.parametrize("persona, periods", [
    ("anonymous", {"2024"}), ("outsider", {"2024"}), ("owner", {"2024", "2025"}),
    ("colleague", {"2024", "2025"}), ("token_read", {"2024", "2025"}),
    ("reviewer", {"2024", "2025"}),
])
def test_a_city_export_holds_what_the_caller_may_see(approved, api_call, persona, periods):
    rows = _csv(api_call(persona, "get", "/api/exports/cities/aranvale/values.csv"))
    assert {r["period"] for r in rows} == periods
    assert all(r["status"] in ("approved", "published") for r in rows)


def test_an_unknown_city_or_format_answers_the_envelope(world, api_call):
    assert_envelope(api_call("anonymous", "get", "/api/exports/cities/nowhere/values.csv"), 404)
    assert_envelope(api_call("anonymous", "get", "/api/exports/cities/aranvale/values.json"), 422)


def test_the_xlsx_export_writes_text_never_formulas(approved, api_call):
    from openpyxl import load_workbook

    response = api_call("owner", "get", f"/api/exports/cycles/{approved.cycle_id}/values.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=False))
    assert [c.value for c in rows[0]] == COLUMNS
    assert all(cell.data_type != "f" for row in rows for cell in row)
    nasty = next(r for r in rows[1:] if r[COLUMNS.index("indicator")].value == "employment-rate")
    value_cell = nasty[COLUMNS.index("value")]
    assert value_cell.value == -3.5 and value_cell.data_type == "n"
    assert nasty[COLUMNS.index("period")].value == 2025
    for column in ("text", "source", "note", "flag"):
        cell = nasty[COLUMNS.index(column)]
        assert cell.data_type == "s" and cell.value.startswith("'"), (column, cell.value)


def test_the_parquet_export_is_readable_by_pandas_with_types(approved, api_call):
    import pandas as pd

    response = api_call("anonymous", "get", "/api/exports/cities/aranvale/values.parquet")
    df = pd.read_parquet(io.BytesIO(response.content))
    assert list(df.columns) == COLUMNS
    assert len(df) == 1 and df["period"].iloc[0] == 2024 and df["value"].iloc[0] == 12.5
    assert str(df["value"].dtype) == "float64"
    owner = pd.read_parquet(io.BytesIO(api_call(
        "owner", "get", f"/api/exports/cycles/{approved.cycle_id}/values.parquet").content))
    nasty = owner[owner["indicator"] == "employment-rate"].iloc[0]
    assert nasty["value"] == -3.5 and nasty["text"] == NASTY["value_text"]  # typed, unchanged


def test_an_empty_export_still_has_its_header(world, api_call):
    for fmt in ("csv", "xlsx", "parquet"):
        response = api_call("reviewer", "get",
                            f"/api/exports/cycles/{world.current.pk}/values.{fmt}")
        assert response.status_code == 200 and response.content
    rows = _csv(api_call("reviewer", "get", f"/api/exports/cycles/{world.current.pk}/values.csv"))
    assert rows == []


def test_the_export_links_partial_links_every_format(world):
    from django.template.loader import render_to_string

    html = render_to_string("api/_export_links.html", {"cycle": world.past})
    for fmt in ("csv", "xlsx", "parquet"):
        assert f"/api/exports/cycles/{world.past.pk}/values.{fmt}" in html
    html = render_to_string("api/_export_links.html", {"city": world.city_a})
    assert "/api/exports/cities/aranvale/values.parquet" in html
    assert render_to_string("api/_export_links.html", {}).strip() == ""
