"""The engine is vectorised: 10,000 unit-periods x 300 indicators score in well under a second."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from rightsmarker.engine.aggregate import aggregate
from rightsmarker.engine.context import BuildContext
from rightsmarker.engine.denominate import denominate
from rightsmarker.engine.impute import impute
from rightsmarker.engine.normalise import normalise
from rightsmarker.engine.weights import weight
from rightsmarker.framework.model import Framework


def _big() -> tuple[pd.DataFrame, BuildContext]:
    nodes = [{"code": "I"}]
    for t in range(5):
        nodes.append({"code": f"T{t}", "parent": "I"})
        for s in range(6):
            nodes.append({"code": f"T{t}S{s}", "parent": f"T{t}"})
            for k in range(10):
                nodes.append(
                    {
                        "code": f"T{t}S{s}K{k}",
                        "parent": f"T{t}S{s}",
                        "value_type": "number",
                        "direction": 1 if k % 2 else -1,
                        "lower": 0.0 if k % 2 else 10.0,
                        "optimum": 10.0 if k % 2 else 0.0,
                        "denominator": "population" if k == 0 else None,
                    }
                )
    fw = Framework.model_validate({"code": "big", "nodes": nodes})
    rng = np.random.default_rng(0)
    units = [f"u{i}" for i in range(1000)]
    index = pd.MultiIndex.from_product([units, range(2015, 2025)], names=["unit", "period"])
    values = rng.lognormal(size=(len(index), 300))
    values[rng.random(values.shape) < 0.05] = np.nan
    data = pd.DataFrame(values, index=index, columns=fw.indicator_codes)
    table = pd.DataFrame({"population": rng.uniform(1, 10, 1000)}, index=units)
    return data, BuildContext(fw, table, {n.code: n.weight for n in fw.nodes})


def test_the_default_steps_score_10000_unit_periods_by_300_indicators_in_under_a_second():
    data, ctx = _big()
    started = time.process_time()  # the default method: denominate, goalposts, weights, mean
    data = denominate(data, ctx).data
    data = normalise(data, ctx, method="goalposts").data
    data = weight(data, ctx).data
    out = aggregate(data, ctx, min_coverage=0.5).data
    elapsed = time.process_time() - started
    assert out.shape == (10_000, 300 + 36)
    assert elapsed < 1.0, f"{elapsed:.2f} s of CPU time"


def test_imputation_and_treatment_stay_vectorised_on_10000_unit_periods():
    data, ctx = _big()
    started = time.process_time()
    data = impute(data, ctx, method="linear", max_gap=2).data
    data = impute(data, ctx, method="mean").data
    elapsed = time.process_time() - started
    assert elapsed < 1.5, f"{elapsed:.2f} s of CPU time"
