"""Denominate: indicators divided by a unit attribute (population, area ...)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rightsmarker.engine.context import BuildContext
from rightsmarker.engine.denominate import denominate
from rightsmarker.errors import MethodError
from rightsmarker.framework.model import Framework


def _fw(denominator: str | None = "population") -> Framework:
    return Framework.model_validate(
        {
            "code": "t",
            "nodes": [
                {"code": "index"},
                {
                    "code": "crimes",
                    "parent": "index",
                    "value_type": "number",
                    "denominator": denominator,
                },
                {"code": "parks", "parent": "index", "value_type": "number"},
            ],
        }
    )


def _data() -> pd.DataFrame:
    idx = pd.MultiIndex.from_tuples(
        [("a", 2020), ("b", 2020), ("c", 2020), ("a", 2021)], names=["unit", "period"]
    )
    return pd.DataFrame({"crimes": [10.0, 20.0, 30.0, 40.0], "parks": [1.0, 2.0, 3.0, 4.0]}, idx)


def _units() -> pd.DataFrame:
    return pd.DataFrame(
        {"population": [1000.0, 0.0, np.nan], "area": [2.0, 4.0, 5.0]}, index=["a", "b", "c"]
    )


def test_it_divides_each_indicator_by_its_denominator_and_leaves_others_alone():
    res = denominate(_data(), BuildContext(_fw(), _units()), scale=100000)
    assert res.data["crimes"].tolist()[0] == pytest.approx(10 / 1000 * 100000)
    assert res.data["crimes"].tolist()[3] == pytest.approx(40 / 1000 * 100000)
    assert res.data["parks"].tolist() == [1.0, 2.0, 3.0, 4.0]
    assert res.learned == {"denominated_": {"crimes": "population"}}


def test_a_missing_or_zero_denominator_gives_a_missing_value():
    res = denominate(_data(), BuildContext(_fw(), _units()))
    assert np.isnan(res.data.loc[("b", 2020), "crimes"])
    assert np.isnan(res.data.loc[("c", 2020), "crimes"])


def test_the_denominators_parameter_overrides_and_switches_off_the_framework():
    ctx = BuildContext(_fw(), _units())
    res = denominate(_data(), ctx, denominators={"parks": "area", "crimes": None})
    assert res.data["crimes"].tolist() == [10.0, 20.0, 30.0, 40.0]
    assert res.data["parks"].tolist() == [0.5, 0.5, 0.6, 2.0]


def test_time_varying_denominators_match_unit_and_period():
    units = pd.DataFrame(
        {"period": [2020, 2021, np.nan, np.nan], "population": [100.0, 200.0, 10.0, 5.0]},
        index=pd.Index(["a", "a", "b", "c"], name="unit"),
    )
    res = denominate(_data(), BuildContext(_fw(), units))
    assert res.data["crimes"].tolist() == [0.1, 2.0, 6.0, 0.2]


def test_an_unknown_denominator_column_is_a_method_error_naming_it():
    with pytest.raises(MethodError) as err:
        denominate(_data(), BuildContext(_fw("households"), _units()))
    assert "households" in str(err.value)
    with pytest.raises(MethodError):
        denominate(_data(), BuildContext(_fw(), None))


def test_unknown_parameters_and_bad_scales_are_method_errors():
    ctx = BuildContext(_fw(), _units())
    with pytest.raises(MethodError, match="scales"):
        denominate(_data(), ctx, scales=10)
    with pytest.raises(MethodError, match="scale"):
        denominate(_data(), ctx, scale=-1)


def test_denominator_columns_are_found_whatever_their_case():
    units = _units().rename(columns=str.upper)
    res = denominate(_data(), BuildContext(_fw(), units))
    assert res.data["crimes"].tolist()[0] == 0.01
