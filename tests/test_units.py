"""Unit tables: one row per unit (or unit and period) with attributes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rightsmarker.errors import ObservationError
from rightsmarker.units import read_units


def test_it_reads_units_indexed_by_unit_with_their_attributes(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("Unit,name,name_ko,region,population,peer_group,beds\n"
                    "01,Jongno,종로구,Seoul,\"141,223\",small,12\n"
                    "02,Jung,중구,Seoul,120000,small,\n", encoding="utf-8")
    units = read_units(path)
    assert units.index.name == "unit" and list(units.index) == ["01", "02"]
    assert units.loc["01", "name_ko"] == "종로구"
    assert units["population"].tolist() == [141223.0, 120000.0]
    assert units.loc["01", "beds"] == 12.0 and np.isnan(units.loc["02", "beds"])
    assert units.loc["02", "region"] == "Seoul"


def test_a_text_attribute_stays_text(tmp_path):
    units = read_units(pd.DataFrame({"unit": ["a", "b"], "code": ["11", "11a"]}))
    assert units["code"].tolist() == ["11", "11a"]


def test_time_varying_rows_keep_a_period_column():
    df = pd.DataFrame({"unit": ["a", "a", "b"], "period": ["2023", 2024, 2023],
                       "population": [1, 2, 3]})
    units = read_units(df)
    assert units.index.name == "unit" and units["period"].tolist() == [2023, 2024, 2023]
    assert units["period"].dtype == np.int64


def test_a_row_with_an_empty_period_applies_to_every_period():
    df = pd.DataFrame({"unit": ["a", "a", "b"], "period": ["", 2024, 2023], "population": 1})
    units = read_units(df)
    assert units["period"].isna().tolist() == [True, False, False]
    assert units.loc["b", "period"] == 2023


def test_a_table_without_a_unit_column_is_refused(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("city,name\na,A\n")
    with pytest.raises(ObservationError) as info:
        read_units(path)
    (p,) = info.value.problems
    assert (p.file, p.row, p.column) == ("units.csv", 1, "unit")


def test_every_problem_names_file_row_column_and_value(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("unit,population,period\na,100,2023\na,200,2023\n,5,2023\nb,many,20x4\n")
    with pytest.raises(ObservationError) as info:
        read_units(path)
    found = [(p.file, p.row, p.column, p.value) for p in info.value.problems]
    assert found == [("units.csv", 3, "unit", "a"), ("units.csv", 4, "unit", ""),
                     ("units.csv", 5, "population", "many"), ("units.csv", 5, "period", "20x4")]
    assert "duplicate of row 2" in info.value.problems[0].message


def test_a_negative_population_is_refused():
    with pytest.raises(ObservationError, match="population"):
        read_units(pd.DataFrame({"unit": ["a"], "population": [-5]}))


def test_a_units_frame_read_before_can_be_read_again(tmp_path):
    units = read_units(pd.DataFrame({"unit": ["a", "b"], "name": ["A", "B"]}))
    again = read_units(units)
    pd.testing.assert_frame_equal(again, units)


def test_an_xlsx_unit_table_is_read_from_its_first_sheet(tmp_path):
    path = tmp_path / "units.xlsx"
    with pd.ExcelWriter(path) as xw:
        units = pd.DataFrame({"unit": ["a"], "population": [10]})
        units.to_excel(xw, sheet_name="units", index=False)
        pd.DataFrame({"note": ["x"]}).to_excel(xw, sheet_name="notes", index=False)
    assert read_units(path).loc["a", "population"] == 10.0
