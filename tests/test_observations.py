"""Observation tables: every validation rule names the file, row, column and value found."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rightsmarker.errors import ObservationError
from rightsmarker.framework.io import load_framework
from rightsmarker.observations import (
    COLUMNS,
    MAX_PROBLEMS,
    Observations,
    canonical_group,
    read_observations,
)

HEADER = ["unit", "period", "indicator", "group", "value"]


@pytest.fixture
def fw(tiny_framework_dict):
    """The tiny framework plus a number, a rate and a text indicator."""
    nodes = tiny_framework_dict["nodes"]
    labels = {"en": "x", "ko": "x"}
    nodes += [
        {"code": "budget", "parent": "inclusion", "kind": "process", "value_type": "number",
         "labels": labels, "lower": 0, "optimum": 100},
        {"code": "complaints", "parent": "inclusion", "kind": "outcome", "value_type": "rate",
         "labels": labels, "lower": 0, "optimum": 1},
        {"code": "story", "parent": "rights", "kind": "process", "value_type": "text",
         "labels": labels},
    ]
    return load_framework(tiny_framework_dict)


def write_csv(tmp_path, rows, header=HEADER, name="obs.csv"):
    path = tmp_path / name
    pd.DataFrame(rows, columns=header).to_csv(path, index=False)
    return path


def problems_of(tmp_path, fw, rows, header=HEADER):
    path = write_csv(tmp_path, rows, header)
    with pytest.raises(ObservationError) as info:
        read_observations(path, fw)
    return info.value.problems


def only_problem(tmp_path, fw, rows, header=HEADER):
    problems = problems_of(tmp_path, fw, rows, header)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


GOOD = ("A", 2023, "ordinance", "total", "yes")


# ---------------------------------------------------------------- a good table
def test_it_reads_a_good_table_into_the_contract_columns_and_dtypes(tmp_path, fw):
    rows = [GOOD, ("A", 2023, "poverty-rate", "sex=female", "12.5"),
            ("B", 2024, "action-plan", "total", "adopted"), ("B", 2024, "budget", "total", "-3")]
    obs = read_observations(write_csv(tmp_path, rows), fw)
    assert list(obs.data.columns) == list(COLUMNS)
    assert obs.data["period"].dtype == np.int64
    assert obs.data["value"].dtype == np.float64
    assert obs.data["value"].tolist() == [1.0, 12.5, 2.0, -3.0]
    assert obs.source == "obs.csv" and obs.framework is fw and len(obs) == 4
    assert obs.units == ["A", "B"] and obs.periods == [2023, 2024]


def test_header_names_are_case_insensitive_and_stripped(fw):
    df = pd.DataFrame([GOOD], columns=[" Unit", "PERIOD ", "Indicator", "Group", " Value "])
    assert read_observations(df, fw).data.loc[0, "value"] == 1.0


def test_a_missing_group_column_means_total(fw):
    df = pd.DataFrame([("A", 2023, "ordinance", "no")], columns=["unit", "period", "indicator",
                                                                "value"])
    assert read_observations(df, fw).data["group"].tolist() == ["total"]


def test_the_optional_source_note_and_flag_columns_are_kept(fw):
    df = pd.DataFrame([(*GOOD, "city survey", "checked", "")],
                      columns=[*HEADER, "source", "note", "flag"])
    row = read_observations(df, fw).data.iloc[0]
    assert (row["source"], row["note"], row["flag"]) == ("city survey", "checked", None)


def test_unknown_extra_columns_are_ignored(fw):
    df = pd.DataFrame([(*GOOD, "x")], columns=[*HEADER, "comments by the statistics office"])
    assert list(read_observations(df, fw).data.columns) == list(COLUMNS)


# ---------------------------------------------------------------- columns
def test_a_missing_required_column_is_reported_with_the_file_and_column(tmp_path, fw):
    p = only_problem(tmp_path, fw, [("A", 2023, "ordinance", "yes")],
                     ["unit", "period", "indicator", "score"])
    assert (p.file, p.row, p.column) == ("obs.csv", 1, "value")
    assert "missing required column" in p.message


def test_a_misspelt_column_is_reported_as_a_likely_typo(tmp_path, fw):
    p = only_problem(tmp_path, fw, [("A", 2023, "ordinance", "yes")],
                     ["unit", "period", "indicator", "valeu"])
    assert p.column == "valeu" and "misspelling" in p.message and "'value'" in p.message


def test_a_misspelt_optional_column_is_reported_too(tmp_path, fw):
    p = only_problem(tmp_path, fw, [(*GOOD, "survey")], [*HEADER, "sourse"])
    assert p.column == "sourse" and "'source'" in p.message


def test_a_column_given_twice_is_reported(tmp_path, fw):
    path = tmp_path / "obs.csv"
    path.write_text("unit,period,indicator,value,Value\nA,2023,ordinance,yes,no\n")
    with pytest.raises(ObservationError) as info:
        read_observations(path, fw)
    (p,) = info.value.problems
    assert (p.row, p.column) == (1, "value") and "twice" in p.message


# ---------------------------------------------------------------- unit and period
def test_an_empty_unit_is_reported_with_file_row_column_and_value(tmp_path, fw):
    p = only_problem(tmp_path, fw, [GOOD, ("  ", 2023, "budget", "total", "1")])
    assert (p.file, p.row, p.column) == ("obs.csv", 3, "unit")
    assert p.value == "  " and "empty unit" in p.message


@pytest.mark.parametrize("bad", ["FY2023", "2023.5", "23", "", "twenty"])
def test_a_period_that_is_not_a_year_is_reported(tmp_path, fw, bad):
    p = only_problem(tmp_path, fw, [("A", bad, "ordinance", "total", "yes")])
    assert (p.row, p.column) == (2, "period") and "year" in p.expected


def test_a_period_written_as_a_float_or_text_is_accepted(fw):
    df = pd.DataFrame([("A", "2023", "ordinance", "total", "yes"),
                       ("A", 2024.0, "ordinance", "total", "no")], columns=HEADER)
    assert read_observations(df, fw).data["period"].tolist() == [2023, 2024]


# ---------------------------------------------------------------- indicators
def test_an_unknown_indicator_is_reported_with_the_closest_code(tmp_path, fw):
    p = only_problem(tmp_path, fw, [("A", 2023, "povrty-rate", "total", "3")])
    assert (p.row, p.column, p.value) == (2, "indicator", "povrty-rate")
    assert "did you mean 'poverty-rate'" in p.expected


def test_a_theme_code_is_not_an_indicator(tmp_path, fw):
    p = only_problem(tmp_path, fw, [("A", 2023, "rights", "total", "3")])
    assert p.column == "indicator" and "not an indicator" in p.message


# ---------------------------------------------------------------- groups
def test_groups_are_written_in_canonical_form_sorted_by_ground(fw):
    df = pd.DataFrame([("A", 2023, "poverty-rate", " AGE=65+ ; Sex=Female", "3"),
                       ("A", 2023, "poverty-rate", "TOTAL", "4"),
                       ("A", 2023, "poverty-rate", "", "5")], columns=HEADER)
    df.loc[2, "unit"] = "B"
    assert read_observations(df, fw).data["group"].tolist() == [
        "age=65+;sex=female", "total", "total"]


def test_a_group_code_is_expanded_to_its_definition(fw):
    assert canonical_group("women", fw) == "sex=female"
    assert canonical_group("older-persons; women", fw) == "age=65+;sex=female"
    refugees = canonical_group("refugees-asylum-seekers", fw)
    assert refugees == "migration-status=refugee|asylum-seeker"
    df = pd.DataFrame([("A", 2023, "poverty-rate", "women", "3")], columns=HEADER)
    assert read_observations(df, fw).data.loc[0, "group"] == "sex=female"


def test_a_ground_without_a_value_list_accepts_any_value(fw):
    assert canonical_group("income=q1", fw) == "income=q1"


@pytest.mark.parametrize(("group", "says"), [
    ("gender=female", "unknown ground 'gender'"),
    ("sex=", "no value given"),
    ("sex=female;sex=male", "given twice"),
    ("sex=f", "not a value of ground 'sex'"),
    ("womn", "did you mean 'women'"),
    ("women;sex=male", "given twice"),
])
def test_a_bad_group_is_reported_with_what_is_wrong(tmp_path, fw, group, says):
    p = only_problem(tmp_path, fw, [("A", 2023, "poverty-rate", group, "3")])
    assert (p.row, p.column, p.value) == (2, "group", group)
    assert says in p.message and "ground=value" in p.expected


# ---------------------------------------------------------------- values
@pytest.mark.parametrize(("indicator", "raw", "expected"), [
    ("budget", "1,234.5", 1234.5), ("budget", "-7", -7.0), ("budget", "1e3", 1000.0),
    ("poverty-rate", "12%", 12.0), ("poverty-rate", "0", 0.0), ("poverty-rate", "100", 100.0),
    ("complaints", "0.25", 0.25),
    ("ordinance", "YES", 1.0), ("ordinance", "n", 0.0), ("ordinance", "True", 1.0),
    ("ordinance", "0", 0.0), ("ordinance", "예", 1.0), ("ordinance", "아니요", 0.0),
    ("ordinance", "네", 1.0), ("ordinance", "아니오", 0.0),
    ("action-plan", "none", 0.0), ("action-plan", "Implemented", 3.0), ("action-plan", "채택", 2.0),
    ("action-plan", "4", 4.0),
])
def test_values_are_read_by_value_type(fw, indicator, raw, expected):
    df = pd.DataFrame([("A", 2023, indicator, "total", raw)], columns=HEADER)
    assert read_observations(df, fw).data.loc[0, "value"] == expected


def test_a_text_indicator_keeps_its_text_and_no_value(fw):
    df = pd.DataFrame([("A", 2023, "story", "total", " A new office opened. ")], columns=HEADER)
    row = read_observations(df, fw).data.iloc[0]
    assert np.isnan(row["value"]) and row["text"] == "A new office opened."


@pytest.mark.parametrize(("indicator", "raw", "says"), [
    ("budget", "n/a", "not a number"),
    ("budget", "12,5", "not a number"),
    ("budget", "12%", "not a number"),
    ("budget", "inf", "not a number"),
    ("poverty-rate", "101", "from 0 to 100"),
    ("poverty-rate", "-1", "from 0 to 100"),
    ("poverty-rate", "about 12", "not a percentage"),
    ("complaints", "-0.5", "cannot be negative"),
    ("ordinance", "maybe", "not yes or no"),
    ("ordinance", "2", "not yes or no"),
    ("action-plan", "finished", "not a stage"),
    ("action-plan", "5", "not a stage"),
])
def test_a_bad_value_is_reported_with_the_expected_form(tmp_path, fw, indicator, raw, says):
    p = only_problem(tmp_path, fw, [("A", 2023, indicator, "total", raw)])
    assert (p.file, p.row, p.column, p.value) == ("obs.csv", 2, "value", raw)
    assert says in p.message and p.expected


def test_a_stage_problem_lists_the_stage_codes(tmp_path, fw):
    p = only_problem(tmp_path, fw, [("A", 2023, "action-plan", "total", "done")])
    assert "none, planned, adopted, implemented, evaluated" in p.expected


def test_an_empty_value_is_an_error_unless_a_flag_says_why(tmp_path, fw):
    p = only_problem(tmp_path, fw, [("A", 2023, "budget", "total", "")])
    assert (p.row, p.column) == (2, "value") and "flag" in p.expected
    df = pd.DataFrame([("A", 2023, "budget", "total", "", "missing")], columns=[*HEADER, "flag"])
    row = read_observations(df, fw).data.iloc[0]
    assert np.isnan(row["value"]) and row["flag"] == "missing"


def test_a_numeric_value_column_is_checked_by_value_type(fw):
    df = pd.DataFrame([("A", 2023, "ordinance", "total", 2.0),
                       ("A", 2023, "action-plan", "total", 1.5),
                       ("A", 2023, "poverty-rate", "total", 120.0)], columns=HEADER)
    with pytest.raises(ObservationError) as info:
        read_observations(df, fw)
    assert [(p.row, p.value) for p in info.value.problems] == [(2, 2.0), (3, 1.5), (4, 120.0)]


# ---------------------------------------------------------------- duplicates, all at once
def test_a_duplicate_key_is_reported_with_both_rows(tmp_path, fw):
    rows = [GOOD, ("A", 2023, "budget", "total", "1"), ("A", "2023.0", "ordinance", "total", "no")]
    p = only_problem(tmp_path, fw, rows)
    assert p.row == 4 and "row 2" in p.message and "duplicate" in p.message
    assert p.value == "A | 2023 | ordinance | total"


def test_groups_that_mean_the_same_are_duplicates(tmp_path, fw):
    rows = [("A", 2023, "poverty-rate", "women", "1"),
            ("A", 2023, "poverty-rate", "sex=female", "2")]
    p = only_problem(tmp_path, fw, rows)
    assert p.row == 3 and "row 2" in p.message


def test_every_problem_is_reported_at_once_in_row_order(tmp_path, fw):
    rows = [GOOD, ("", "x", "nope", "sex=f", "?"), ("A", 2023, "poverty-rate", "total", "300"),
            ("A", 2023, "ordinance", "total", "yes")]
    problems = problems_of(tmp_path, fw, rows)
    where = [(p.row, p.column) for p in problems]
    assert where == [(3, "unit"), (3, "period"), (3, "indicator"), (3, "group"), (4, "value"),
                     (5, None)]
    assert all(p.file == "obs.csv" for p in problems)


def test_nothing_is_loaded_when_anything_is_wrong(tmp_path, fw):
    path = write_csv(tmp_path, [GOOD, ("A", 2023, "budget", "total", "lots")])
    with pytest.raises(ObservationError) as info:
        read_observations(path, fw)
    assert "nothing was loaded" in str(info.value)


def test_problems_beyond_the_cap_are_counted_not_listed(fw):
    n = MAX_PROBLEMS + 50
    df = pd.DataFrame({"unit": [f"u{i}" for i in range(n)], "period": 2023,
                       "indicator": "budget", "group": "total", "value": "lots"})
    with pytest.raises(ObservationError) as info:
        read_observations(df, fw)
    problems = info.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert "50 more" in problems[-1].message


def test_a_dataframe_source_counts_rows_as_a_spreadsheet_would(fw):
    df = pd.DataFrame([GOOD, ("A", 2023, "budget", "total", "x")], columns=HEADER, index=[7, 9])
    with pytest.raises(ObservationError) as info:
        Observations.from_frame(df, fw)
    p = info.value.problems[0]
    assert (p.file, p.row) == ("DataFrame", 3)


def test_the_framework_may_be_given_as_a_dict_or_a_bundled_name(tiny_framework_dict):
    df = pd.DataFrame([GOOD], columns=HEADER)
    assert len(read_observations(df, tiny_framework_dict)) == 1
    with pytest.raises(ObservationError):  # 'ordinance' is not in the bundled framework
        read_observations(df, "social-inclusion-marker")


def test_a_large_table_is_validated(fw):
    n_units, codes = 5000, ["budget", "poverty-rate", "ordinance", "action-plan", "complaints"]
    df = pd.DataFrame({
        "unit": np.repeat([f"u{i}" for i in range(n_units)], len(codes) * 4),
        "period": np.tile(np.repeat(np.arange(2020, 2024), len(codes)), n_units),
        "indicator": np.tile(codes, n_units * 4), "group": "total",
        "value": np.tile([5.0, 50.0, 1.0, 3.0, 0.5], n_units * 4)})
    obs = read_observations(df, fw)
    assert len(obs) == 100_000
    assert obs.wide().shape == (n_units * 4, len(fw.indicator_codes))


def test_a_bare_framework_gets_the_default_grounds_and_groups():
    from rightsmarker.framework.model import Framework

    bare = Framework.model_validate({"code": "x", "nodes": [
        {"code": "r"}, {"code": "i", "parent": "r", "value_type": "number"}]})
    assert canonical_group("older-persons;disability=yes", bare) == "age=65+;disability=yes"


def test_a_framework_that_redefines_a_ground_uses_its_own_values(tiny_framework_dict):
    tiny_framework_dict["grounds"] = [{"code": "sex", "values": ["f", "m"]}]
    fw = load_framework(tiny_framework_dict)
    assert canonical_group("sex=F", fw) == "sex=f"
    with pytest.raises(ValueError, match="not a value of ground 'sex'"):
        canonical_group("sex=female", fw)
