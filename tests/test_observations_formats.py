"""Observation tables from CSV, XLSX and Parquet; the Observations views and writing back."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest

from rightsmarker.errors import ObservationError
from rightsmarker.observations import read_observations

HEADER = ["unit", "period", "indicator", "group", "value"]
ROWS = [
    ("A", 2023, "ordinance", "total", "yes"),
    ("A", 2023, "action-plan", "total", "adopted"),
    ("A", 2023, "poverty-rate", "total", "12.5"),
    ("A", 2023, "poverty-rate", "women", "14"),
    ("B", 2023, "ordinance", "total", "no"),
    ("B", 2024, "employment-rate", "total", "61"),
]


def test_a_csv_with_a_byte_order_mark_and_blank_lines_keeps_spreadsheet_row_numbers(
        tmp_path, tiny_framework):
    path = tmp_path / "obs.csv"
    text = ("unit,period,indicator,group,value\nA,2023,ordinance,total,yes\n\n"
            ",2023,ordinance,total,no\n")
    path.write_text(text, encoding="utf-8-sig")
    with pytest.raises(ObservationError) as info:
        read_observations(path, tiny_framework)
    (p,) = info.value.problems
    assert (p.file, p.row, p.column) == ("obs.csv", 4, "unit")


def test_a_csv_keeps_leading_zeros_of_unit_codes(tmp_path, tiny_framework):
    path = tmp_path / "obs.csv"
    path.write_text("unit,period,indicator,value\n01010,2023,ordinance,yes\n", encoding="utf-8")
    assert read_observations(path, tiny_framework).units == ["01010"]


def test_an_xlsx_workbook_reads_every_sheet_and_names_the_sheet_in_problems(
        tmp_path, tiny_framework):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "rights"
    ws.append(HEADER)
    ws.append(["A", 2023, "ordinance", "total", "yes"])
    ws2 = wb.create_sheet("inclusion")
    ws2.append(HEADER)
    ws2.append(["A", 2023, "poverty-rate", "total", 12.5])
    ws2.append([None, None, None, None, None])
    ws2.append(["A", 2023, "poverty-rate", "sex=female", "lots"])
    path = tmp_path / "obs.xlsx"
    wb.save(path)
    with pytest.raises(ObservationError) as info:
        read_observations(path, tiny_framework)
    (p,) = info.value.problems
    assert (p.file, p.row, p.column, p.value) == ("obs.xlsx [inclusion]", 4, "value", "lots")
    obs = read_observations(path, tiny_framework, sheet="rights")
    assert obs.data["indicator"].tolist() == ["ordinance"]
    with pytest.raises(ObservationError, match="no sheet"):
        read_observations(path, tiny_framework, sheet="nope")


def test_an_xlsx_cell_shown_as_a_percentage_is_read_as_shown(tmp_path, tiny_framework):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["A", 2023, "poverty-rate", "total", 0.125])
    ws["E2"].number_format = "0.0%"
    path = tmp_path / "obs.xlsx"
    wb.save(path)
    assert read_observations(path, tiny_framework).data.loc[0, "value"] == 12.5


def test_a_parquet_file_is_read_with_its_types(tmp_path, tiny_framework):
    df = pd.DataFrame([("A", 2023, "poverty-rate", "total", 12.5),
                       ("A", 2023, "ordinance", "total", 1.0),
                       ("A", 2023, "action-plan", "total", 3.0)], columns=HEADER)
    path = tmp_path / "obs.parquet"
    df.to_parquet(path, index=False)
    obs = read_observations(path, tiny_framework)
    assert obs.data["value"].tolist() == [12.5, 1.0, 3.0]
    assert obs.data["unit"].map(type).eq(str).all()


def test_a_parquet_file_with_a_bad_value_names_the_row(tmp_path, tiny_framework):
    df = pd.DataFrame([("A", 2023, "poverty-rate", "total", 12.5),
                       ("A", 2023, "ordinance", "total", 3.0)], columns=HEADER)
    path = tmp_path / "obs.parquet"
    df.to_parquet(path, index=False)
    with pytest.raises(ObservationError) as info:
        read_observations(path, tiny_framework)
    (p,) = info.value.problems
    assert (p.file, p.row, p.column, p.value) == ("obs.parquet", 3, "value", 3.0)


def test_an_unknown_file_type_is_refused(tmp_path, tiny_framework):
    path = tmp_path / "obs.json"
    path.write_text("{}")
    with pytest.raises(ObservationError, match="file type"):
        read_observations(path, tiny_framework)


def test_a_missing_file_raises_file_not_found(tmp_path, tiny_framework):
    with pytest.raises(FileNotFoundError):
        read_observations(tmp_path / "nope.csv", tiny_framework)


@pytest.fixture
def obs(tiny_framework):
    return read_observations(pd.DataFrame(ROWS, columns=HEADER), tiny_framework)


def test_totals_keeps_the_total_rows_of_the_periods_asked(obs):
    assert len(obs.totals()) == 5
    assert obs.totals(period=2024)["indicator"].tolist() == ["employment-rate"]
    assert len(obs.totals(period=[2023, 2024])) == 5


def test_wide_has_one_column_per_indicator_in_framework_order(obs, tiny_framework):
    w = obs.wide()
    assert list(w.columns) == tiny_framework.indicator_codes
    assert list(w.index.names) == ["unit", "period"]
    assert list(w.index) == [("A", 2023), ("B", 2023), ("B", 2024)]
    assert w.loc[("A", 2023)].tolist() == [1.0, 2.0, 12.5, pytest.approx(np.nan, nan_ok=True)]
    assert obs.wide("women").loc[("A", 2023), "poverty-rate"] == 14.0


def test_coverage_is_the_share_of_indicators_reported(obs):
    cov = obs.coverage()
    assert cov.loc[("A", 2023), "reported"] == 3
    assert cov.loc[("A", 2023), "coverage"] == 0.75
    assert cov.loc[("B", 2024), "coverage"] == 0.25


def test_to_frame_is_a_copy(obs):
    frame = obs.to_frame()
    frame.loc[0, "value"] = -1
    assert obs.data.loc[0, "value"] != -1


@pytest.mark.parametrize("ext", ["csv", "parquet", "xlsx"])
def test_written_observations_read_back_the_same(tmp_path, obs, tiny_framework, ext):
    path = obs.write(tmp_path / f"out.{ext}")
    back = read_observations(path, tiny_framework)
    pd.testing.assert_frame_equal(back.data, obs.data)
