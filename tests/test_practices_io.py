"""Import and export of practices: round trips and errors that name the row and field."""

from __future__ import annotations

import json

import pytest

from rightsmarker.practices import PracticeError
from rightsmarker.practices.examples import example_practices
from rightsmarker.practices.io import read_practices, write_practices


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_practices_survive_an_export_and_import_round_trip(tmp_path, fmt):
    practices = example_practices()
    practices[0] = practices[0].model_copy(update={"evidence": []}).revised(
        description={"en": "<p>Audits <strong>before</strong> works</p>"},
        evidence=[{"kind": "link", "url": "https://example.org/a", "title": "Audit"},
                  {"kind": "file", "url": "audit.pdf", "size": 1000}],
        contact={"name": "Kim", "email": "kim@example.org"}, partners=["DPO; Seoul", "NGO"][1:],
        rights=["CRPD 9", "ICESCR 11"])
    path = tmp_path / f"practices.{fmt}"
    write_practices(practices, path)
    assert read_practices(path) == practices


def test_a_csv_import_names_the_row_and_column_of_every_problem(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,city,title_en,title_ko,period_start,themes,budget_amount,budget_currency\n"
                    "ok,SEO,Fine,,2020,SPA,,\n"
                    "bad id,SEO,,,abc,SPA,,\n"
                    "p3,SEO,T,,2020,NOPE,10,KRW\n"
                    "ok,SEO,Again,,2021,SPA,10,krw\n", encoding="utf-8")
    with pytest.raises(PracticeError) as info:
        read_practices(path)
    found = {(p.row, p.column) for p in info.value.problems}
    assert found == {(3, "id"), (3, "title"), (3, "period_start"), (4, "themes"),
                     (5, "budget_currency")}
    assert all(p.file == str(path) for p in info.value.problems)


def test_a_json_import_names_the_item_and_field(tmp_path):
    path = tmp_path / "bad.json"
    items = [{"id": "a", "city": "SEO", "title": {"en": "A"}},
             {"id": "b", "city": "SEO", "title": {"en": "B"}, "groups": ["aliens"],
              "status": "approved"}]
    path.write_text(json.dumps({"practices": items}), encoding="utf-8")
    with pytest.raises(PracticeError) as info:
        read_practices(path)
    assert [(p.row, p.column) for p in info.value.problems] == [(2, "status")]


def test_it_refuses_files_that_are_not_json_or_csv(tmp_path):
    path = tmp_path / "p.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(PracticeError, match="not a .json or .csv"):
        read_practices(path)


def test_html_in_imported_csv_is_sanitised(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text('id,city,title_en,description_en\n'
                    'x,SEO,"<script>alert(1)</script>Title","<p onmouseover=x>Hi</p>"\n',
                    encoding="utf-8")
    (p,) = read_practices(path)
    assert p.title == {"en": "Title"} and p.description == {"en": "<p>Hi</p>"}
