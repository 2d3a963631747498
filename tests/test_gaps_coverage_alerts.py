"""Disaggregation coverage and gap alerts."""

from __future__ import annotations

import pandas as pd
import pytest

from rightsmarker.framework.model import Framework
from rightsmarker.gaps import coverage_summary, disaggregation_coverage, gap_alerts, gaps

COLS = ["unit", "period", "indicator", "group", "value"]


@pytest.fixture
def fw(tiny_framework_dict) -> Framework:
    """poverty-rate and employment-rate both expect the grounds sex and age."""
    return Framework.model_validate(tiny_framework_dict)


def frame(rows, **extra) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLS).assign(**extra)


COVERAGE_ROWS = [
    # seoul 2022 poverty: sex and age -> fully
    ("seoul", 2022, "poverty-rate", "total", 15.0),
    ("seoul", 2022, "poverty-rate", "sex=female", 17.0),
    ("seoul", 2022, "poverty-rate", "age=65+", 40.0),
    # seoul 2022 employment: sex only -> partly; plus an unexpected ground
    ("seoul", 2022, "employment-rate", "total", 60.0),
    ("seoul", 2022, "employment-rate", "sex=female", 55.0),
    ("seoul", 2022, "employment-rate", "disability=yes", 30.0),
    # busan 2022 poverty: total only -> not
    ("busan", 2022, "poverty-rate", "total", 12.0),
    # busan 2022 employment: a crossed group reports both grounds -> fully
    ("busan", 2022, "employment-rate", "age=65+;sex=female", 20.0),
    # busan 2021 employment: the sex group has no value -> not
    ("busan", 2021, "employment-rate", "total", 61.0),
    ("busan", 2021, "employment-rate", "sex=male", float("nan")),
    # ordinance expects no grounds: left out
    ("busan", 2021, "ordinance", "total", 1.0),
]


def status(cov: pd.DataFrame, unit: str, period: int, indicator: str) -> pd.Series:
    sel = cov[(cov["unit"] == unit) & (cov["period"] == period) & (cov["indicator"] == indicator)]
    assert len(sel) == 1
    return sel.iloc[0]


def test_coverage_is_fully_partly_or_not_disaggregated_against_the_expected_grounds(fw):
    cov = disaggregation_coverage(frame(COVERAGE_ROWS), fw)
    full = status(cov, "seoul", 2022, "poverty-rate")
    assert full["status"] == "fully" and full["expected"] == "age;sex" and full["missing"] == ""
    part = status(cov, "seoul", 2022, "employment-rate")
    assert part["status"] == "partly" and part["reported"] == "disability;sex"
    assert part["missing"] == "age" and part["extra"] == "disability"
    assert (part["n_expected"], part["n_reported"], part["n_groups"]) == (2, 1, 2)
    none = status(cov, "busan", 2022, "poverty-rate")
    assert none["status"] == "not" and none["reported"] == "" and bool(none["has_total"])


def test_a_crossed_group_reports_each_of_its_grounds(fw):
    cov = disaggregation_coverage(frame(COVERAGE_ROWS), fw)
    crossed = status(cov, "busan", 2022, "employment-rate")
    assert crossed["status"] == "fully" and not crossed["has_total"]


def test_a_group_without_a_value_does_not_count_as_reported(fw):
    cov = disaggregation_coverage(frame(COVERAGE_ROWS), fw)
    assert status(cov, "busan", 2021, "employment-rate")["status"] == "not"


def test_indicators_without_expected_grounds_are_left_out_of_coverage(fw):
    cov = disaggregation_coverage(frame(COVERAGE_ROWS), fw)
    assert "ordinance" not in set(cov["indicator"])
    assert len(cov) == 5


def test_the_coverage_summary_counts_statuses_per_unit_and_names_missing_grounds(fw):
    summary = coverage_summary(disaggregation_coverage(frame(COVERAGE_ROWS), fw))
    busan = summary.set_index("unit").loc["busan"]
    assert (busan["n"], busan["fully"], busan["partly"], busan["not"]) == (3, 1, 0, 2)
    assert busan["share_fully"] == pytest.approx(1 / 3)
    assert busan["missing_grounds"] == "age (2), sex (2)"
    assert summary.set_index("unit").loc["seoul", "missing_grounds"] == "age (1)"
    by_period = coverage_summary(disaggregation_coverage(frame(COVERAGE_ROWS), fw),
                                 by_period=True)
    assert len(by_period) == 3


def series(values: dict[int, tuple[float, float]], indicator: str = "poverty-rate"):
    rows = []
    for period, (total, women) in values.items():
        rows += [("seoul", period, indicator, "total", total),
                 ("seoul", period, indicator, "sex=female", women)]
    return frame(rows)


def test_an_alert_is_raised_when_a_value_worsens_beyond_the_relative_threshold(fw):
    # poverty among women 20 -> 22 (10% worse); total 20 -> 22 too, so the gap stays 0
    table = gaps(series({2021: (20.0, 20.0), 2022: (22.0, 22.0)}), fw)
    alerts = gap_alerts(table, worsen_threshold=0.05, framework=fw)
    assert list(alerts["reason"]) == ["value_worsened"]
    alert = alerts.iloc[0]
    assert alert["measure"] == pytest.approx(0.10) and alert["severity"] == pytest.approx(2.0)
    assert alert["message"] == (
        "seoul, Poverty rate, sex=female: worsened from 20 (2021) to 22 (2022), 10.0% worse")
    assert gap_alerts(table, worsen_threshold=0.2).empty


def test_an_improving_value_raises_no_alert_whatever_the_direction(fw):
    poverty_falls = gaps(series({2021: (20.0, 20.0), 2022: (15.0, 15.0)}), fw)
    jobs_rise = gaps(series({2021: (50.0, 50.0), 2022: (60.0, 60.0)}, "employment-rate"), fw)
    assert gap_alerts(poverty_falls, 0.0, 0.0).empty
    assert gap_alerts(jobs_rise, 0.0, 0.0).empty
    jobs_fall = gaps(series({2021: (50.0, 50.0), 2022: (40.0, 40.0)}, "employment-rate"), fw)
    assert list(gap_alerts(jobs_fall, 0.1)["reason"]) == ["value_worsened"]


def test_an_absolute_threshold_is_in_the_indicators_unit(fw):
    table = gaps(series({2021: (20.0, 20.0), 2022: (22.0, 22.0)}), fw)
    assert gap_alerts(table, worsen_threshold=2.5, relative=False).empty
    absolute = gap_alerts(table, worsen_threshold=2.0, relative=False)
    assert absolute.iloc[0]["message"].endswith("to 22 (2022), worse by 2")


def test_an_alert_is_raised_when_a_worse_off_groups_gap_widens_beyond_the_threshold(fw):
    # women's poverty 12 -> 15 while the total stays 10: gap 2 -> 5, +30% of the reference
    table = gaps(series({2021: (10.0, 12.0), 2022: (10.0, 15.0)}), fw)
    widened = gap_alerts(table, worsen_threshold=1.0, widen_threshold=0.25, framework=fw)
    assert list(widened["reason"]) == ["gap_widened"]
    assert widened.iloc[0]["measure"] == pytest.approx(0.30)
    assert widened.iloc[0]["message"] == (
        "seoul, Poverty rate, sex=female: gap to total widened from 2 (2021) to 5 (2022), "
        "by 3 (30.0% of the reference value)")
    assert gap_alerts(table, worsen_threshold=1.0, widen_threshold=0.35).empty
    absolute = gap_alerts(table, worsen_threshold=100, widen_threshold=3, relative=False)
    assert list(absolute["reason"]) == ["gap_widened"]
    assert absolute.iloc[0]["message"].endswith("to 5 (2022), by 3")


def test_a_better_off_group_losing_its_advantage_raises_no_gap_alert(fw):
    table = gaps(series({2021: (10.0, 5.0), 2022: (10.0, 9.0)}), fw)
    assert "gap_widened" not in set(gap_alerts(table, 1.0, 0.0)["reason"])


def test_a_gap_that_shrinks_while_the_reference_falls_raises_no_gap_alert(fw):
    # gap 10 -> 8 (narrower) although the relative gap grows (10/10 -> 8/4)
    table = gaps(series({2021: (10.0, 20.0), 2022: (4.0, 12.0)}), fw)
    assert table.set_index("period").loc[2022, "relative_gap_change"] > 0
    assert gap_alerts(table, 1.0, 0.0).empty


def test_alerts_may_require_a_significant_change(fw):
    df = series({2021: (10.0, 12.0), 2022: (10.0, 15.0)})
    table = gaps(df.assign(ci_low=df["value"] - 5, ci_high=df["value"] + 5), fw)
    assert len(gap_alerts(table, 0.05, 0.05)) == 2
    assert gap_alerts(table, 0.05, 0.05, require_significance=True).empty
    tight = gaps(df.assign(ci_low=df["value"] - 0.1, ci_high=df["value"] + 0.1), fw)
    kept = gap_alerts(tight, 0.05, 0.05, require_significance=True)
    assert set(kept["reason"]) == {"gap_widened", "value_worsened"}
    assert kept["significant"].all() and kept["message"].str.endswith("significant").all()
    no_bounds = gaps(df, fw)
    assert gap_alerts(no_bounds, 0.05, 0.05, require_significance=True).empty


def test_alerts_are_sorted_most_severe_first(fw):
    table = gaps(series({2021: (10.0, 12.0), 2022: (10.0, 15.0)}), fw)
    alerts = gap_alerts(table, 0.05, 0.05)
    assert list(alerts["severity"]) == sorted(alerts["severity"], reverse=True)


def test_gaps_with_alert_thresholds_marks_the_alerting_rows(fw):
    table = gaps(series({2021: (10.0, 12.0), 2022: (10.0, 15.0)}), fw,
                 alert_thresholds={"worsen_threshold": 0.05, "widen_threshold": 0.05})
    last = table.set_index("period").loc[2022]
    assert bool(last["alert"]) is True and last["alert_reasons"] == "value_worsened;gap_widened"
    assert table.set_index("period").loc[2021, "alert_reasons"] == ""
