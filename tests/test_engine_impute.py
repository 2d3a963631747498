"""Impute: cross-sectional (mean, median, group) and temporal (locf, linear) filling."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rightsmarker.engine.context import BuildContext
from rightsmarker.engine.impute import impute
from rightsmarker.errors import MethodError, UnknownNameError

NAN = np.nan


def same(series, expected) -> None:
    np.testing.assert_array_equal(
        np.asarray(series, dtype=float), np.asarray(expected, dtype=float)
    )


def _cross() -> pd.DataFrame:
    idx = pd.MultiIndex.from_tuples(
        [("a", 1), ("b", 1), ("c", 1), ("d", 1), ("a", 2), ("b", 2)], names=["unit", "period"]
    )
    return pd.DataFrame({"x": [1.0, 2.0, 6.0, NAN, 10.0, NAN], "y": [NAN] * 6}, idx)


def _panel() -> pd.DataFrame:
    idx = pd.MultiIndex.from_tuples(
        [("a", 2018), ("a", 2019), ("a", 2020), ("a", 2021), ("a", 2024), ("b", 2019), ("b", 2018)],
        names=["unit", "period"],
    )
    return pd.DataFrame({"x": [1.0, NAN, NAN, 4.0, NAN, NAN, 7.0]}, idx)


@pytest.fixture
def ctx(tiny_framework):
    units = pd.DataFrame({"region": ["n", "n", "s", "s"]}, index=["a", "b", "c", "d"])
    return BuildContext(tiny_framework, units, {})


def test_mean_imputation_uses_the_mean_of_the_same_period_only(ctx):
    res = impute(_cross(), ctx, method="mean")
    assert res.data["x"].tolist() == [1.0, 2.0, 6.0, 3.0, 10.0, 10.0]
    assert res.learned["imputed_"] == {"x": 2, "y": 0}


def test_median_imputation_uses_the_median_of_the_same_period(ctx):
    assert impute(_cross(), ctx, method="median").data["x"].tolist()[3] == 2.0


def test_group_mean_imputation_uses_units_of_the_same_group_and_period(ctx):
    res = impute(_cross(), ctx, method="group_mean", group="region")
    assert res.data["x"].tolist() == [1.0, 2.0, 6.0, 6.0, 10.0, 10.0]
    assert res.data["y"].isna().all()  # nothing to average: stays missing


def test_a_unit_without_a_group_value_is_not_imputed(ctx):
    ctx.units.loc["d", "region"] = None
    res = impute(_cross(), ctx, method="group_median", group="region")
    assert np.isnan(res.data.loc[("d", 1), "x"])


def test_locf_carries_the_last_observation_forward_within_max_gap(ctx):
    res = impute(_panel(), ctx, method="locf", max_gap=2)
    same(res.data["x"], [1.0, 1.0, 1.0, 4.0, NAN, 7.0, 7.0])
    same(impute(_panel(), ctx, method="locf").data["x"], [1.0, 1.0, 1.0, 4.0, 4.0, 7.0, 7.0])


def test_linear_interpolates_between_observations_and_never_extrapolates(ctx):
    res = impute(_panel(), ctx, method="linear")
    same(res.data["x"], [1.0, 2.0, 3.0, 4.0, NAN, NAN, 7.0])
    near = impute(_panel(), ctx, method="linear", max_gap=2).data["x"]
    same(near, [1.0, 2.0, 3.0, 4.0, NAN, NAN, 7.0])  # 2019 and 2020 are 1-2 years from both
    same(impute(_panel(), ctx, method="linear", max_gap=1).data["x"][:4], [1.0, NAN, NAN, 4.0])


def test_observed_values_are_never_changed_and_notes_count_what_was_filled(ctx):
    data = _cross()
    res = impute(data, ctx, method="mean")
    observed = data["x"].notna()
    assert res.data["x"][observed].tolist() == data["x"][observed].tolist()
    notes = res.notes.set_index(["indicator", "period"])
    assert notes.loc[("x", 1), "n_imputed"] == 1 and notes.loc[("y", 1), "n_imputed"] == 0


def test_none_leaves_missing_values_missing(ctx):
    assert impute(_cross(), ctx).data["x"].isna().sum() == 2


def test_an_unknown_method_or_parameter_or_group_is_refused(ctx):
    with pytest.raises(UnknownNameError):
        impute(_cross(), ctx, method="knn")
    with pytest.raises(MethodError, match="max_gap"):
        impute(_cross(), ctx, method="mean", max_gap=2)
    with pytest.raises(MethodError, match="district"):
        impute(_cross(), ctx, method="group_mean", group="district")
    with pytest.raises(MethodError, match="max_gap"):
        impute(_panel(), ctx, method="locf", max_gap=-1)
