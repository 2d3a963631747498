"""The registries list every built-in method, registered exactly as an extension would be."""

from __future__ import annotations

import numpy as np
import pandas as pd

import rightsmarker.engine  # noqa: F401  (registers the built-ins)
from rightsmarker.engine.context import BuildContext
from rightsmarker.engine.normalise import normalise
from rightsmarker.registry import aggregators, imputers, normalisers, steps, treaters, weighters


def test_each_registry_lists_the_built_in_methods():
    assert {"denominate", "impute", "treat", "normalise", "weight", "aggregate"} <= set(
        steps.names()
    )
    assert set(imputers.names()) >= {
        "none",
        "mean",
        "median",
        "group_mean",
        "group_median",
        "locf",
        "linear",
    }
    assert set(treaters.names()) >= {"none", "winsorise", "ctlog", "log", "giilog", "boxcox"}
    assert set(normalisers.names()) >= {
        "minmax",
        "zscore",
        "goalposts",
        "distance_to_target",
        "distance_to_max",
        "fraction_of_max",
        "percentile_rank",
        "rank",
        "borda",
    }
    assert set(weighters.names()) >= {"framework", "equal", "user", "pca"}
    assert set(aggregators.names()) >= {
        "arithmetic",
        "geometric",
        "harmonic",
        "generalised",
        "copeland",
    }


def test_an_extension_normaliser_is_used_like_a_built_in(tiny_framework):
    @normalisers.register("times-two-test")
    def times_two(x, direction, by, nodes, *, factor: float = 2.0):
        return x * factor, {}

    idx = pd.MultiIndex.from_product([["a", "b"], [2020]])
    data = pd.DataFrame({"employment-rate": [1.0, np.nan]}, index=idx)
    res = normalise(data, BuildContext(tiny_framework, None, {}), method="times-two-test")
    assert res.data["employment-rate"].tolist()[0] == 2.0
    assert res.learned["methods_"] == {"employment-rate": "times-two-test"}
