"""The XLSX data-entry template: layout, drop-downs, and the round trip back to observations."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from rightsmarker.errors import ObservationError
from rightsmarker.framework.io import load_framework
from rightsmarker.observations import read_observations
from rightsmarker.template import HEADERS, expected_groups, write_template

FILL = {"yes_no": "yes", "stage": "implemented", "percent": 12.5, "number": 3, "rate": 0.5,
        "text": "a remark"}


def fill(path, out, skip_groups=()):
    """Fill every value cell of the template with a valid value for its value type."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets[1:]:
        if ws.sheet_state == "hidden":
            continue
        for row in ws.iter_rows(min_row=2, max_row=ws.max_row):
            group = row[HEADERS.index("group")].value
            if group in skip_groups or group.endswith("="):
                continue
            row[HEADERS.index("value")].value = FILL[row[HEADERS.index("value type")].value]
    wb.save(out)
    return out


def test_the_template_has_instructions_and_one_sheet_per_theme(tmp_path, tiny_framework):
    path = write_template(tiny_framework, tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Instructions", "rights", "inclusion"]
    text = " ".join(str(c.value) for r in wb["Instructions"].iter_rows() for c in r if c.value)
    assert "flag" in text and "예 또는 아니오" in text and "none (0) = None" in text
    ws = wb["rights"]
    assert [c.value for c in ws[1]] == list(HEADERS)
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["D"].width > 20


def test_an_indicator_gets_a_total_row_then_one_row_per_ground_value(tiny_framework):
    groups = expected_groups(tiny_framework.node("poverty-rate"), tiny_framework)
    assert groups[:4] == ["total", "sex=female", "sex=male", "sex=other"]
    assert "age=65+" in groups
    assert expected_groups(tiny_framework.node("ordinance"), tiny_framework) == ["total"]


def test_a_ground_without_values_gets_one_row_to_complete(tiny_framework_dict):
    tiny_framework_dict["nodes"][5]["disaggregations"] = ["income"]
    fw = load_framework(tiny_framework_dict)
    assert expected_groups(fw.node("poverty-rate"), fw) == ["total", "income="]


def test_value_cells_have_drop_downs_and_number_checks(tmp_path, tiny_framework):
    wb = openpyxl.load_workbook(write_template(tiny_framework, tmp_path / "t.xlsx"))
    rights = {dv.formula1: str(dv.sqref) for dv in wb["rights"].data_validations.dataValidation}
    assert rights == {'"yes,no"': "I2", '"none,planned,adopted,implemented,evaluated"': "I3"}
    (dv,) = wb["inclusion"].data_validations.dataValidation
    assert (dv.type, dv.formula1, dv.formula2) == ("decimal", "0", "100")


def test_units_and_periods_are_pre_filled(tmp_path, tiny_framework):
    units = tmp_path / "units.csv"
    table = pd.DataFrame({"unit": ["seoul", "busan"], "name": ["Seoul", "Busan"]})
    table.to_csv(units, index=False)
    path = write_template(tiny_framework, tmp_path / "t.xlsx", units=units, periods=[2024, 2025])
    rows = list(openpyxl.load_workbook(path)["rights"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (u, p, i) for u in ("seoul", "busan") for p in (2024, 2025)
        for i in ("ordinance", "action-plan")]


def test_labels_follow_the_language(tmp_path, tiny_framework):
    path = write_template(tiny_framework, tmp_path / "t.xlsx", lang="ko")
    assert openpyxl.load_workbook(path)["rights"]["D2"].value == "차별금지 조례"


def test_a_filled_template_reads_back_as_observations(tmp_path, tiny_framework):
    path = write_template(tiny_framework, tmp_path / "t.xlsx", units=["A", "B"], periods=2025)
    obs = read_observations(fill(path, tmp_path / "filled.xlsx"), tiny_framework)
    assert len(obs) == 2 * (1 + 1 + 2 * (1 + 3 + 4))
    assert obs.wide().loc[("B", 2025)].tolist() == [1.0, 3.0, 12.5, 12.5]
    assert set(obs.data["group"]) >= {"total", "sex=female", "age=65+"}


def test_rows_left_empty_in_a_template_are_skipped(tmp_path, tiny_framework):
    path = write_template(tiny_framework, tmp_path / "t.xlsx", units=["A"], periods=2025)
    assert len(read_observations(path, tiny_framework)) == 0
    filled = fill(path, tmp_path / "filled.xlsx", skip_groups={"sex=other"})
    assert "sex=other" not in set(read_observations(filled, tiny_framework).data["group"])


def test_a_template_without_pre_filled_units_reports_the_missing_unit(tmp_path, tiny_framework):
    path = fill(write_template(tiny_framework, tmp_path / "t.xlsx"), tmp_path / "f.xlsx")
    with pytest.raises(ObservationError) as info:
        read_observations(path, tiny_framework)
    p = info.value.problems[0]
    assert (p.file, p.row, p.column) == ("f.xlsx [rights]", 2, "unit")


def test_the_bundled_framework_template_round_trips(tmp_path):
    fw = load_framework("social-inclusion-marker")
    path = write_template(fw, tmp_path / "t.xlsx", units=["X"], periods=2025)
    obs = read_observations(fill(path, tmp_path / "filled.xlsx"), fw)
    assert set(obs.data["indicator"]) == set(fw.indicator_codes)
    assert obs.coverage().loc[("X", 2025), "coverage"] == 1.0


def test_long_theme_codes_become_unique_sheet_titles(tmp_path, tiny_framework_dict):
    nodes = tiny_framework_dict["nodes"]
    for n in nodes:
        if n["code"] in ("rights", "inclusion"):
            n["code"] = ("a-very-long-theme-code-that-goes-on-" + n["code"])[:40]
        if n.get("parent") in ("rights", "inclusion"):
            n["parent"] = ("a-very-long-theme-code-that-goes-on-" + n["parent"])[:40]
    fw = load_framework(tiny_framework_dict)
    names = openpyxl.load_workbook(write_template(fw, tmp_path / "t.xlsx")).sheetnames
    assert len(names) == 3 and all(len(n) <= 31 for n in names) and len(set(names)) == 3
