"""Treat: COINr-style outlier treatment (Winsorise one value at a time, else log)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from rightsmarker.engine.context import BuildContext
from rightsmarker.engine.treat import skew_kurt, treat
from rightsmarker.errors import MethodError, UnknownNameError

SKEWED = [
    1.0,
    2.0,
    2.5,
    3.0,
    3.2,
    3.5,
    4.0,
    4.1,
    4.4,
    5.0,
    5.5,
    6.0,
    6.1,
    7.0,
    8.0,
    9.0,
    10.0,
    11.0,
    12.0,
    100.0,
]


def _frame(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    idx = pd.MultiIndex.from_product([[f"u{i:02d}" for i in range(n)], [2020]])
    return pd.DataFrame(columns, index=idx, dtype=float)


@pytest.fixture
def ctx(tiny_framework):
    return BuildContext(tiny_framework, None, {})


def test_skewness_and_kurtosis_are_the_sample_g1_and_excess_g2_that_coinr_uses():
    x = np.array([SKEWED, [v**0.5 for v in SKEWED]]).T
    skew, kurt = skew_kurt(x)
    np.testing.assert_allclose(skew, stats.skew(x, bias=False), rtol=1e-12)
    np.testing.assert_allclose(kurt, stats.kurtosis(x, bias=False), rtol=1e-12)


def test_an_indicator_within_the_limits_passes_untouched(ctx):
    data = _frame(x=list(range(20)))
    res = treat(data, ctx)
    assert res.data.equals(data)
    assert res.notes.loc[0, "n_winsorised_high"] == 0 and not res.notes.loc[0, "log_transformed"]


def test_it_winsorises_the_highest_value_to_the_next_one_when_skew_is_positive(ctx):
    res = treat(_frame(x=SKEWED), ctx)
    assert res.data["x"].max() == 12.0 and res.data["x"].tolist()[:-1] == SKEWED[:-1]
    note = res.notes.iloc[0]
    assert (note.n_winsorised_high, note.n_winsorised_low) == (1, 0)
    assert abs(note.skew_after) <= 2 or note.kurt_after <= 3.5
    assert res.learned["winsorised_"] == {"x": 1}


def test_it_winsorises_the_lowest_values_when_skew_is_negative(ctx):
    res = treat(_frame(x=[-v for v in SKEWED]), ctx)
    assert res.data["x"].min() == -12.0
    assert res.notes.iloc[0].n_winsorised_low == 1


def test_past_winmax_it_falls_back_to_the_coin_tool_log_of_the_original_values(ctx):
    x = np.array([1.0] * 15 + [50.0, 60.0, 80.0, 1000.0, 5000.0])
    res = treat(_frame(x=x), ctx, winmax=1)
    expected = np.log(x - x.min() + 0.01 * (x.max() - x.min()))
    np.testing.assert_allclose(res.data["x"], expected)
    assert res.notes.iloc[0]["transform"] == "ctlog"
    assert res.learned["transformed_"] == {"x": "ctlog"}


def test_with_deflog_none_a_failing_indicator_is_returned_untreated(ctx):
    x = [1.0] * 15 + [50.0, 60.0, 80.0, 1000.0, 5000.0]
    res = treat(_frame(x=x), ctx, winmax=1, deflog="none")
    assert res.data["x"].tolist() == x and bool(res.notes.iloc[0].exceeded_winmax)


def test_yes_no_and_stage_indicators_are_never_treated(ctx):
    data = _frame(ordinance=[0.0] * 19 + [1.0], **{"action-plan": [0.0] * 19 + [4.0]})
    res = treat(data, ctx)
    assert res.data.equals(data) and res.notes is None


def test_each_period_is_treated_separately(ctx):
    idx = pd.MultiIndex.from_product([[f"u{i:02d}" for i in range(20)], [2020, 2021]])
    values = np.array([[v, float(i)] for i, v in enumerate(SKEWED)]).ravel()
    res = treat(pd.DataFrame({"x": values}, index=idx), ctx)
    assert res.data.xs(2021, level=1)["x"].tolist() == [float(i) for i in range(20)]
    assert res.data.xs(2020, level=1)["x"].max() == 12.0


def test_overrides_give_one_indicator_its_own_treatment(ctx):
    res = treat(_frame(x=SKEWED, y=SKEWED), ctx, winmax=3, overrides={"y": {"method": "none"}})
    assert res.data["y"].max() == 100.0 and res.data["x"].max() == 12.0


def test_bad_parameters_are_method_errors_naming_the_parameter(ctx):
    data = _frame(x=SKEWED)
    with pytest.raises(MethodError, match="winmax"):
        treat(data, ctx, winmax=-2)
    with pytest.raises(MethodError, match="deflog"):
        treat(data, ctx, deflog="sqrt")
    with pytest.raises(MethodError, match="skew_limits"):
        treat(data, ctx, skew_limits=2)
    with pytest.raises(UnknownNameError):
        treat(data, ctx, method="trim")
