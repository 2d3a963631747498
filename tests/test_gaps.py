"""Gap monitoring: gaps to the total or the best-off group, changes and their significance."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest

import rightsmarker
from rightsmarker.errors import ObservationError, UnknownNameError
from rightsmarker.framework.model import Framework
from rightsmarker.gaps import gaps

COLS = ["unit", "period", "indicator", "group", "value"]


@pytest.fixture
def fw(tiny_framework_dict) -> Framework:
    """The tiny framework: poverty-rate (lower is better), employment-rate (higher is better)."""
    return Framework.model_validate(tiny_framework_dict)


def frame(rows, **extra) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=COLS)
    return df.assign(**extra)


def row(result: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=result.index)
    for k, v in where.items():
        mask &= result[k] == v
    assert mask.sum() == 1, f"expected one row for {where}, got {int(mask.sum())}"
    return result[mask].iloc[0]


def test_a_group_below_the_total_is_worse_off_when_higher_is_better(fw):
    df = frame([("seoul", 2022, "employment-rate", "total", 60.0),
                ("seoul", 2022, "employment-rate", "sex=female", 50.0),
                ("seoul", 2022, "employment-rate", "sex=male", 70.0)])
    out = gaps(df, fw)
    women, men = row(out, group="sex=female"), row(out, group="sex=male")
    assert women["gap"] == 10.0 and bool(women["worse"]) is True
    assert men["gap"] == -10.0 and bool(men["worse"]) is False
    assert women["reference_group"] == "total" and women["reference_value"] == 60.0
    assert women["ratio"] == pytest.approx(50 / 60)
    assert women["relative_gap"] == pytest.approx(10 / 60)


def test_a_group_above_the_total_is_worse_off_when_lower_is_better(fw):
    df = frame([("seoul", 2022, "poverty-rate", "total", 15.0),
                ("seoul", 2022, "poverty-rate", "age=65+", 40.0),
                ("seoul", 2022, "poverty-rate", "age=25-64", 10.0)])
    out = gaps(df, fw)
    assert row(out, group="age=65+")["gap"] == 25.0
    assert bool(row(out, group="age=65+")["worse"]) is True
    assert row(out, group="age=25-64")["gap"] == -5.0
    assert bool(row(out, group="age=25-64")["worse"]) is False


def test_totals_are_not_rows_of_the_result(fw):
    df = frame([("seoul", 2022, "poverty-rate", "total", 15.0),
                ("seoul", 2022, "poverty-rate", "sex=female", 17.0)])
    assert list(gaps(df, fw)["group"]) == ["sex=female"]


def test_the_best_reference_is_the_best_off_group_over_the_same_grounds(fw):
    df = frame([("seoul", 2022, "poverty-rate", "total", 15.0),
                ("seoul", 2022, "poverty-rate", "sex=female", 18.0),
                ("seoul", 2022, "poverty-rate", "sex=male", 12.0),
                ("seoul", 2022, "poverty-rate", "age=65+", 40.0),
                ("seoul", 2022, "poverty-rate", "age=25-64", 9.0),
                ("seoul", 2022, "poverty-rate", "age=65+;sex=female", 45.0),
                ("seoul", 2022, "poverty-rate", "age=65+;sex=male", 35.0)])
    out = gaps(df, fw, reference="best")
    assert row(out, group="sex=female")["reference_group"] == "sex=male"
    assert row(out, group="sex=female")["gap"] == 6.0
    assert row(out, group="age=65+")["reference_group"] == "age=25-64"
    assert row(out, group="age=65+")["gap"] == 31.0
    assert row(out, group="age=65+;sex=female")["reference_group"] == "age=65+;sex=male"
    best = row(out, group="sex=male")
    assert best["gap"] == 0.0 and bool(best["worse"]) is False and best["ratio"] == 1.0


def test_the_best_off_group_is_the_highest_when_higher_is_better_and_ties_go_alphabetically(fw):
    df = frame([("seoul", 2022, "employment-rate", "age=18-24", 40.0),
                ("seoul", 2022, "employment-rate", "age=25-64", 75.0),
                ("seoul", 2022, "employment-rate", "age=0-17", 75.0),
                ("seoul", 2022, "employment-rate", "age=65+", float("nan"))])
    out = gaps(df, fw, reference="best")
    assert set(out["reference_group"]) == {"age=0-17"}
    assert row(out, group="age=18-24")["gap"] == 35.0
    assert math.isnan(row(out, group="age=65+")["gap"])
    assert pd.isna(row(out, group="age=65+")["worse"])


def test_a_missing_total_leaves_the_gap_missing(fw):
    df = frame([("seoul", 2022, "poverty-rate", "sex=female", 18.0),
                ("busan", 2022, "poverty-rate", "total", 10.0),
                ("busan", 2022, "poverty-rate", "sex=female", 11.0)])
    out = gaps(df, fw)
    seoul = row(out, unit="seoul")
    assert math.isnan(seoul["gap"]) and pd.isna(seoul["worse"])
    assert pd.isna(seoul["reference_group"])
    assert row(out, unit="busan")["gap"] == 1.0


def test_a_reference_of_zero_gives_no_ratio(fw):
    df = frame([("seoul", 2022, "poverty-rate", "total", 0.0),
                ("seoul", 2022, "poverty-rate", "sex=female", 2.0)])
    women = row(gaps(df, fw), group="sex=female")
    assert women["gap"] == 2.0
    assert math.isnan(women["ratio"]) and math.isnan(women["relative_gap"])


def panel(values: dict[int, tuple[float, float]], indicator="poverty-rate", **extra):
    """total and sex=female values per period for one unit."""
    rows = []
    for period, (total, women) in values.items():
        rows += [("seoul", period, indicator, "total", total),
                 ("seoul", period, indicator, "sex=female", women)]
    return frame(rows, **extra)


def test_the_gap_change_is_measured_since_the_previous_period_with_a_gap(fw):
    df = panel({2019: (10.0, 12.0), 2021: (10.0, 15.0), 2022: (11.0, 15.0)})
    out = gaps(df, fw).set_index("period")
    assert pd.isna(out.loc[2019, "previous_period"]) and math.isnan(out.loc[2019, "gap_change"])
    assert out.loc[2021, "previous_period"] == 2019
    assert out.loc[2021, "gap_change"] == 3.0 and out.loc[2021, "previous_gap"] == 2.0
    assert out.loc[2021, "value_change"] == 3.0 and out.loc[2021, "previous_value"] == 12.0
    assert out.loc[2022, "gap_change"] == -1.0
    assert bool(out.loc[2021, "widened"]) is True and bool(out.loc[2022, "widened"]) is False


def test_a_period_without_a_gap_is_skipped_by_the_next_change(fw):
    df = panel({2019: (10.0, 12.0), 2021: (10.0, 15.0)})
    df = pd.concat([df, frame([("seoul", 2020, "poverty-rate", "sex=female", 14.0)])])
    out = gaps(df, fw).set_index("period")
    assert math.isnan(out.loc[2020, "gap"])
    assert out.loc[2021, "previous_period"] == 2019


def test_a_narrowing_advantage_is_not_a_widened_gap(fw):
    df = panel({2021: (10.0, 6.0), 2022: (10.0, 8.0)})
    last = gaps(df, fw).set_index("period").loc[2022]
    assert last["gap_change"] == 2.0 and bool(last["widened"]) is False


def test_the_change_of_a_gap_is_tested_with_standard_errors_from_confidence_bounds(fw):
    df = panel({2021: (10.0, 12.0), 2022: (10.0, 15.0)})
    half = pd.Series([0.5, 1.0, 0.5, 1.0])  # total +-0.5, women +-1.0 (95% bounds)
    df = df.assign(ci_low=df["value"] - half, ci_high=df["value"] + half)
    last = gaps(df, fw).set_index("period").loc[2022]
    se_t, se_w = 0.5 / 1.959964, 1.0 / 1.959964
    se_gap = math.sqrt(se_t**2 + se_w**2)
    z = 3.0 / math.sqrt(2 * se_gap**2)
    assert last["gap_se"] == pytest.approx(se_gap, rel=1e-6)
    assert last["gap_change_z"] == pytest.approx(z, rel=1e-6)
    assert last["gap_change_p"] == pytest.approx(math.erfc(z / math.sqrt(2)), rel=1e-6)
    assert bool(last["gap_change_significant"]) is True


def test_a_small_change_with_wide_bounds_is_not_significant(fw):
    df = panel({2021: (10.0, 12.0), 2022: (10.0, 13.0)})
    df = df.assign(ci_low=df["value"] - 3, ci_high=df["value"] + 3)
    last = gaps(df, fw).set_index("period").loc[2022]
    assert bool(last["gap_change_significant"]) is False
    assert bool(last["widened"]) is True


def test_significance_is_missing_without_bounds_or_standard_errors(fw):
    df = panel({2021: (10.0, 12.0), 2022: (10.0, 15.0)})
    last = gaps(df, fw).set_index("period").loc[2022]
    assert pd.isna(last["gap_change_significant"]) and math.isnan(last["gap_change_z"])
    partly = df.assign(ci_low=[9.0, 11.0, None, 14.0], ci_high=[11.0, 13.0, None, 16.0])
    last = gaps(partly, fw).set_index("period").loc[2022]
    assert pd.isna(last["gap_change_significant"])


def test_a_standard_error_column_wins_over_bounds(fw):
    df = panel({2021: (10.0, 12.0), 2022: (10.0, 15.0)})
    df = df.assign(se=[0.1, 0.2, 0.1, 0.2], ci_low=df["value"] - 50, ci_high=df["value"] + 50)
    out = gaps(df, fw).set_index("period")
    assert out.loc[2022, "gap_se"] == pytest.approx(math.sqrt(0.01 + 0.04))
    assert bool(out.loc[2022, "gap_change_significant"]) is True


def test_periods_restricts_the_periods_compared(fw):
    df = panel({2019: (10.0, 12.0), 2021: (10.0, 15.0), 2022: (11.0, 15.0)})
    out = gaps(df, fw, periods=[2019, 2022]).set_index("period")
    assert list(out.index) == [2019, 2022]
    assert out.loc[2022, "previous_period"] == 2019 and out.loc[2022, "gap_change"] == 2.0
    assert list(gaps(df, fw, periods=2021)["period"]) == [2021]


def test_without_a_framework_a_direction_column_is_used():
    df = frame([("seoul", 2022, "x", "total", 10.0), ("seoul", 2022, "x", "sex=female", 12.0)])
    assert gaps(df.assign(direction=-1))["gap"].iloc[0] == 2.0
    assert gaps(df)["gap"].iloc[0] == -2.0


def test_it_accepts_an_observations_object(fw):
    df = panel({2021: (10.0, 12.0)})
    obs = SimpleNamespace(data=df, framework=fw)
    assert gaps(obs)["gap"].iloc[0] == 2.0


def test_indicators_not_in_the_framework_are_left_out(fw):
    df = frame([("seoul", 2022, "other", "total", 1.0), ("seoul", 2022, "other", "sex=male", 2.0)])
    assert gaps(df, fw).empty


def test_an_unknown_reference_is_refused(fw):
    with pytest.raises(UnknownNameError, match="best"):
        gaps(panel({2021: (10.0, 12.0)}), fw, reference="median")


def test_duplicate_observations_are_refused(fw):
    df = panel({2021: (10.0, 12.0)})
    with pytest.raises(ObservationError, match="duplicate"):
        gaps(pd.concat([df, df]), fw)


def test_rightsmarker_gaps_is_callable_before_and_after_the_module_is_imported(fw):
    df = panel({2021: (10.0, 12.0)})
    assert rightsmarker.gaps(df, fw)["gap"].iloc[0] == 2.0
    import rightsmarker.gaps as module

    assert module(df, fw)["gap"].iloc[0] == 2.0
    assert rightsmarker.gaps(df, fw)["gap"].iloc[0] == 2.0


def test_an_empty_table_gives_empty_results(fw):
    from rightsmarker.gaps import COLUMNS, disaggregation_coverage, gap_alerts

    empty = pd.DataFrame(columns=COLS)
    for reference in ("total", "best"):
        out = gaps(empty, fw, reference=reference)
        assert out.empty and list(out.columns) == COLUMNS
    assert gap_alerts(gaps(empty, fw)).empty
    assert disaggregation_coverage(empty, fw).empty
