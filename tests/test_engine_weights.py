"""Weight: framework, equal, user and PCA weights; the step sets ctx.weights."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rightsmarker.engine.context import BuildContext
from rightsmarker.engine.weights import first_component_weights, weight
from rightsmarker.errors import MethodError


def _data(n: int = 30) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    base = rng.normal(size=n)
    idx = pd.MultiIndex.from_product([[f"u{i}" for i in range(n)], [2020]])
    return pd.DataFrame(
        {
            "ordinance": rng.integers(0, 2, n) * 100.0,
            "action-plan": rng.integers(0, 5, n) * 25.0,
            "poverty-rate": base + rng.normal(scale=0.1, size=n),
            "employment-rate": base + rng.normal(scale=1.0, size=n),
        },
        index=idx,
    )


@pytest.fixture
def ctx(tiny_framework):
    return BuildContext(tiny_framework, None, {})


def test_framework_weights_are_the_declared_weights_and_set_the_context(ctx):
    res = weight(_data(), ctx)
    assert res.learned["weights_"] == {n.code: n.weight for n in ctx.framework.nodes}
    assert ctx.weights == res.learned["weights_"]
    assert res.data.equals(_data())


def test_user_weights_replace_only_the_given_nodes(ctx):
    res = weight(_data(), ctx, method="user", weights={"ordinance": 2, "inclusion": 0.5})
    assert ctx.weights["ordinance"] == 2.0 and ctx.weights["inclusion"] == 0.5
    assert ctx.weights["action-plan"] == 1.0 and res.learned["weights_"] == ctx.weights


def test_equal_weights_give_every_node_one(ctx):
    weight(_data(), ctx, method="equal")
    assert set(ctx.weights.values()) == {1.0}


def test_pca_weights_are_squared_first_component_loadings_summing_to_one_per_node(ctx):
    weight(_data(), ctx, method="pca")
    w = ctx.weights
    assert w["poverty-rate"] + w["employment-rate"] == pytest.approx(1.0)
    assert w["rights"] + w["inclusion"] == pytest.approx(1.0)
    X = np.array([[1.0, 2.0, 0.0], [2.0, 4.1, 1.0], [3.0, 6.0, 0.0], [4.0, 8.2, 1.0]])
    found = first_component_weights(X)
    corr = np.corrcoef(X, rowvar=False)
    vals, vecs = np.linalg.eigh(corr)
    assert found == pytest.approx(vecs[:, -1] ** 2)


def test_pca_falls_back_to_equal_weights_when_a_child_is_constant(ctx):
    data = _data().assign(ordinance=100.0)
    res = weight(data, ctx, method="pca")
    assert ctx.weights["ordinance"] == ctx.weights["action-plan"] == 0.5
    assert res.notes["node"].tolist() == ["rights"]


def test_user_weights_must_name_known_nodes_and_be_at_least_zero(ctx):
    with pytest.raises(MethodError, match="weights"):
        weight(_data(), ctx, method="user", weights={"nope": 1})
    with pytest.raises(MethodError, match="ordinance"):
        weight(_data(), ctx, method="user", weights={"ordinance": -1})
    with pytest.raises(MethodError, match="weights"):
        weight(_data(), ctx, method="equal", weights={"ordinance": 1})
