"""Normalise: direction first, then the method; qualitative indicators by their scale."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rightsmarker.engine.context import BuildContext
from rightsmarker.engine.normalise import normalise
from rightsmarker.errors import MethodError, UnknownNameError

NAN = np.nan


def _data(periods=(2020,)) -> pd.DataFrame:
    """poverty-rate (direction -1, goalposts 40 -> 5) and employment-rate (40 -> 80)."""
    idx = pd.MultiIndex.from_product([["a", "b", "c", "d"], list(periods)])
    n = len(idx)
    pov = [10.0, 20.0, 20.0, 50.0] if len(periods) == 1 else list(np.arange(n, dtype=float))
    emp = [60.0, 70.0, NAN, 85.0] if len(periods) == 1 else list(np.arange(n, dtype=float))
    return pd.DataFrame(
        {
            "ordinance": ([1.0, 0.0, 1.0, NAN] * n)[:n],
            "action-plan": ([0.0, 1.0, 2.0, 4.0] * n)[:n],
            "poverty-rate": pov,
            "employment-rate": emp,
        },
        index=idx,
    )


@pytest.fixture
def ctx(tiny_framework):
    return BuildContext(tiny_framework, None, {})


def col(res, code) -> list[float]:
    return res.data[code].round(10).tolist()


def same(actual, expected) -> None:
    np.testing.assert_allclose(np.asarray(actual, float), np.asarray(expected, float))


def test_minmax_maps_the_best_value_to_100_after_applying_direction(ctx):
    res = normalise(_data(), ctx, method="minmax")
    same(col(res, "poverty-rate"), [100.0, 75.0, 75.0, 0.0])  # lowest poverty is best
    same(col(res, "employment-rate"), [0.0, 40.0, NAN, 100.0])
    assert res.learned["min_"]["poverty-rate"] == {"2020": 10.0}
    assert res.learned["max_"]["poverty-rate"] == {"2020": 50.0}


def test_minmax_takes_low_and_high(ctx):
    res = normalise(_data(), ctx, method="minmax", low=1, high=10)
    same(col(res, "employment-rate"), [1.0, 4.6, NAN, 10.0])


def test_yes_no_and_stage_indicators_always_use_their_scale(ctx):
    for method in ("minmax", "zscore", "rank", "goalposts"):
        res = normalise(_data(), ctx, method=method)
        same(col(res, "ordinance"), [100.0, 0.0, 100.0, NAN])
        same(col(res, "action-plan"), [0.0, 25.0, 50.0, 100.0])  # stage i of 5 -> i / 4
        assert res.learned["methods_"]["ordinance"] == "scale"


def test_zscore_uses_the_sample_standard_deviation_after_direction(ctx):
    res = normalise(_data(), ctx, method="zscore", mean=50, sd=10)
    x = -np.array([10.0, 20.0, 20.0, 50.0])
    same(col(res, "poverty-rate"), (x - x.mean()) / x.std(ddof=1) * 10 + 50)


def test_goalposts_follow_the_sdg_index_formula_and_are_clamped(ctx):
    res = normalise(_data(), ctx, method="goalposts")
    same(col(res, "poverty-rate"), [30 / 35 * 100, 20 / 35 * 100, 20 / 35 * 100, 0.0])
    same(col(res, "employment-rate"), [50.0, 75.0, NAN, 100.0])
    assert res.learned["lower_"]["poverty-rate"] == 40.0


def test_goalposts_without_clamping_can_exceed_100(ctx):
    res = normalise(_data(), ctx, method="goalposts", clamp=False)
    assert col(res, "employment-rate")[3] == pytest.approx(112.5)


def test_distance_to_target_reaches_100_at_the_optimum(ctx):
    res = normalise(_data(), ctx, method="distance_to_target")
    # poverty: worst 50, target 5 -> (50 - x) / 45
    same(col(res, "poverty-rate"), [40 / 45 * 100, 30 / 45 * 100, 30 / 45 * 100, 0.0])
    same(col(res, "employment-rate"), [0.0, 50.0, NAN, 100.0])  # 85 above target capped


def test_distance_to_max_and_fraction_of_max(ctx):
    dist = normalise(_data(), ctx, method="distance_to_max")
    same(col(dist, "employment-rate"), [0.0, 40.0, NAN, 100.0])
    frac = normalise(_data(), ctx, method="fraction_of_max")
    same(col(frac, "employment-rate"), [60 / 85 * 100, 70 / 85 * 100, NAN, 100.0])
    same(col(frac, "poverty-rate"), [100.0, 50.0, 50.0, 20.0])  # lowest / x for direction -1


def test_rank_gives_ties_the_lowest_shared_rank_by_default(ctx):
    res = normalise(_data(), ctx, method="rank")
    same(col(res, "poverty-rate"), [4.0, 2.0, 2.0, 1.0])
    same(col(res, "employment-rate"), [1.0, 2.0, NAN, 3.0])
    same(
        col(normalise(_data(), ctx, method="rank", ties="average"), "poverty-rate"),
        [4, 2.5, 2.5, 1],
    )


def test_borda_and_percentile_rank(ctx):
    same(col(normalise(_data(), ctx, method="borda"), "poverty-rate"), [3.0, 1.0, 1.0, 0.0])
    pr = normalise(_data(), ctx, method="percentile_rank")
    same(col(pr, "poverty-rate"), [100.0, 100 / 3, 100 / 3, 0.0])
    same(col(pr, "employment-rate"), [0.0, 50.0, NAN, 100.0])  # n = 3 units with a value


def test_each_period_is_normalised_on_its_own(ctx):
    res = normalise(_data(periods=(2020, 2021)), ctx, method="minmax")
    emp = res.data["employment-rate"]
    same(emp.xs(2020, level=1), [0.0, 100 / 3, 200 / 3, 100.0])
    same(emp.xs(2021, level=1), [0.0, 100 / 3, 200 / 3, 100.0])


def test_overrides_change_the_method_of_one_indicator(ctx):
    res = normalise(
        _data(), ctx, method="minmax", overrides={"employment-rate": {"method": "goalposts"}}
    )
    same(col(res, "employment-rate"), [50.0, 75.0, NAN, 100.0])
    assert res.learned["methods_"]["employment-rate"] == "goalposts"
    assert res.learned["methods_"]["poverty-rate"] == "minmax"


def test_text_indicators_are_dropped(tiny_framework_dict):
    from rightsmarker.framework.io import load_framework

    tiny_framework_dict["nodes"].append(
        {
            "code": "story",
            "parent": "rights",
            "value_type": "text",
            "labels": {"en": "Story", "ko": "이야기"},
        }
    )
    ctx = BuildContext(load_framework(tiny_framework_dict), None, {})
    data = _data().assign(story=NAN)
    assert "story" not in normalise(data, ctx).data.columns


def test_bad_parameters_are_method_errors_and_unknown_methods_are_refused(ctx):
    with pytest.raises(UnknownNameError):
        normalise(_data(), ctx, method="softmax")
    with pytest.raises(MethodError, match="high"):
        normalise(_data(), ctx, method="minmax", low=100, high=0)
    with pytest.raises(MethodError, match="sd"):
        normalise(_data(), ctx, method="zscore", sd=0)
    with pytest.raises(MethodError, match="ties"):
        normalise(_data(), ctx, method="rank", ties="random")
    with pytest.raises(MethodError, match="mean"):
        normalise(_data(), ctx, method="minmax", mean=3)
