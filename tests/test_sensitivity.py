"""Sensitivity analysis: the Saltelli design, the Sobol' estimators on functions with known
indices, the analysis of a build, and the remove-each-element analysis."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import rightsmarker as rm
from rightsmarker.sensitivity import remove_elements, sobol_indices
from rightsmarker.ua.design import saltelli_design

ROOT = Path(__file__).resolve().parent.parent
ASEM = ROOT / "examples" / "asem"


def test_the_saltelli_design_has_n_d_plus_2_rows_and_swaps_one_group_per_block():
    n, widths = 8, [1, 3, 1]
    X = saltelli_design(n, widths, seed=0)
    assert X.shape == (n * 5, 5)
    A, B = X[:n], X[n:2 * n]
    AB2 = X[3 * n:4 * n]                    # factor 2 = columns 1..3
    np.testing.assert_array_equal(AB2[:, 1:4], B[:, 1:4])
    np.testing.assert_array_equal(AB2[:, [0, 4]], A[:, [0, 4]])
    np.testing.assert_array_equal(saltelli_design(n, widths, seed=0), X)


def test_the_estimators_recover_the_ishigami_indices():
    n = 2**14
    X = saltelli_design(n, [1, 1, 1], seed=1) * 2 * np.pi - np.pi
    a, b = 7.0, 0.1
    y = np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2 + b * X[:, 2] ** 4 * np.sin(X[:, 0])
    # analytic values (Ishigami and Homma 1990; as in SALib's test suite)
    V = a**2 / 8 + b * np.pi**4 / 5 + b**2 * np.pi**8 / 18 + 0.5
    V1 = 0.5 * (1 + b * np.pi**4 / 5) ** 2
    V2 = a**2 / 8
    V13 = b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    S = np.array([V1, V2, 0]) / V
    ST = np.array([V1 + V13, V2, V13]) / V
    ind = sobol_indices(y, n, ["x1", "x2", "x3"], bootstrap=200, seed=0)
    np.testing.assert_allclose(ind["Si"], S, atol=0.03)
    np.testing.assert_allclose(ind["STi"], ST, atol=0.03)
    assert (ind["Si_low"] <= ind["Si"]).all() and (ind["Si"] <= ind["Si_high"]).all()
    assert (ind["STi_high"] - ind["STi_low"] < 0.1).all()


def test_the_estimators_recover_a_linear_model():
    n, coef = 2**15, np.array([1.0, 2.0, 3.0, 0.0])
    X = saltelli_design(n, [1, 1, 1, 1], seed=2)
    y = X @ coef
    ind = sobol_indices(y, n, list("abcd"), bootstrap=100)
    expected = coef**2 / np.sum(coef**2)            # uniform inputs, additive model
    np.testing.assert_allclose(ind["Si"], expected, atol=0.03)
    np.testing.assert_allclose(ind["STi"], expected, atol=0.03)
    assert ind.loc[3, "Si"] == 0 and ind.loc[3, "STi"] == 0
    assert list(ind.columns) == ["factor", "Si", "STi", "Si_low", "Si_high", "STi_low",
                                 "STi_high"]


@pytest.fixture(scope="module")
def asem():
    fw = rm.load_framework(ASEM / "framework.yaml")
    obs = rm.read_observations(ASEM / "observations.csv", fw)
    units = pd.read_csv(ASEM / "units.csv").set_index("unit")
    return fw, obs, rm.load_method(ASEM / "method.yaml"), units


def test_a_factor_whose_alternatives_are_equal_has_zero_indices(asem):
    fw, obs, method, units = asem
    same = {"method": "minmax", "low": 1, "high": 100}
    factors = [{"name": "normalisation", "type": "normalisation", "alternatives": [same, same]},
               {"name": "weights", "type": "weights", "f": 0.25, "levels": [2, 3]},
               {"name": "aggregation", "type": "aggregation",
                "alternatives": [{"method": "arithmetic"}, {"method": "geometric"}]}]
    res = rm.sensitivity(fw, obs, method, factors, n=40, units=units, bootstrap=50)
    assert len(res.output) == 40 * 5
    ind = res.indices.set_index("factor")
    assert ind.loc["normalisation", "Si"] == 0 and ind.loc["normalisation", "STi"] == 0
    assert ind.loc["aggregation", "STi"] > 0.1
    assert res.uncertainty.scores_runs.shape[0] == 80
    assert (res.output >= 0).all()


def test_the_output_is_the_mean_absolute_rank_shift_of_each_run(asem):
    fw, obs, method, units = asem
    res = rm.sensitivity(fw, obs, method, ASEM / "uncertainty.yaml", n=5, units=units,
                         bootstrap=0)
    j = res.runs_result.plan.agg_nodes.index("Index")
    nominal = res.runs_result.nominal_wide[1][:, j]
    r = 7
    ref = res.runs_result.replay(r)
    ranks = ref.scores[ref.scores["node"] == "Index"].set_index("unit")["rank"]
    ranks = ranks.reindex(res.runs_result.plan.index.get_level_values(0)).to_numpy(float)
    assert res.output[r] == pytest.approx(np.mean(np.abs(ranks - nominal)))
    assert res.indices[["Si_low", "STi_high"]].isna().all().all()


def test_removing_each_element_equals_rescoring_without_it(asem):
    fw, obs, method, units = asem
    out = remove_elements(fw, obs, method, level=2, units=units)
    assert len(out) == 8 and set(out.columns) >= {"element", "mean_abs_rank_change"}
    nominal = rm.score(fw, obs, method, units=units).scores
    nominal = nominal[nominal["node"] == "Index"].set_index("unit")["rank"]
    row = out[out["element"] == "Environ"].iloc[0]
    data = fw.model_dump()
    gone = {"Environ", *fw.descendants("Environ")}
    data["nodes"] = [n for n in data["nodes"] if n["code"] not in gone]
    reduced = rm.Framework.model_validate(data)
    ranks = rm.score(reduced, obs, method, units=units).scores
    ranks = ranks[ranks["node"] == "Index"].set_index("unit")["rank"]
    change = (ranks - nominal.reindex(ranks.index)).abs()
    assert row["mean_abs_rank_change"] == pytest.approx(change.mean())
    assert row["max_abs_rank_change"] == change.max()
    assert out["mean_abs_rank_change"].is_monotonic_decreasing
