"""Aggregate: bottom up over the tree, weighted, missing children dropped."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rightsmarker.engine.aggregate import aggregate, copeland
from rightsmarker.engine.context import BuildContext
from rightsmarker.errors import DataError, MethodError, UnknownNameError

NAN = np.nan


def _data() -> pd.DataFrame:
    idx = pd.MultiIndex.from_product([["a", "b", "c"], [2020]])
    return pd.DataFrame(
        {
            "ordinance": [100.0, 0.0, 100.0],
            "action-plan": [50.0, 100.0, NAN],
            "poverty-rate": [20.0, 80.0, NAN],
            "employment-rate": [40.0, 10.0, NAN],
        },
        index=idx,
    )


@pytest.fixture
def ctx(tiny_framework):
    weights = {n.code: n.weight for n in tiny_framework.nodes}
    return BuildContext(tiny_framework, None, weights)


def same(actual, expected) -> None:
    np.testing.assert_allclose(np.asarray(actual, float), np.asarray(expected, float))


def test_arithmetic_means_go_bottom_up_and_keep_the_indicator_columns(ctx):
    res = aggregate(_data(), ctx)
    assert list(res.data.columns[:4]) == list(_data().columns)
    same(res.data["rights"], [75.0, 50.0, 100.0])
    same(res.data["inclusion"], [30.0, 45.0, NAN])
    same(res.data["index"], [52.5, 47.5, 100.0])


def test_weights_of_the_children_are_used_and_rescaled_when_one_is_missing(ctx):
    ctx.weights["ordinance"] = 3.0
    res = aggregate(_data(), ctx)
    same(res.data["rights"], [87.5, 25.0, 100.0])  # c has only ordinance: its value


def test_min_coverage_by_weight_or_count_leaves_thin_nodes_unscored(ctx):
    ctx.weights["ordinance"] = 3.0
    by_weight = aggregate(_data(), ctx, min_coverage=0.8)
    same(by_weight.data["rights"], [87.5, 25.0, NAN])  # c has 3/4 of the weight
    by_count = aggregate(_data(), ctx, min_coverage=0.5, coverage_by="count")
    same(by_count.data["rights"], [87.5, 25.0, 100.0])  # c has 1 of 2 children
    assert by_weight.notes.set_index("node").loc["rights", "n_below_coverage"] == 1


def test_geometric_and_harmonic_means_refuse_zeros_unless_offset(ctx):
    with pytest.raises(DataError, match="rights"):
        aggregate(_data(), ctx, method="geometric")
    res = aggregate(_data().clip(lower=1), ctx, method="geometric")
    same(res.data["inclusion"], [np.sqrt(20 * 40), np.sqrt(80 * 10), NAN])
    res = aggregate(_data().clip(lower=1), ctx, method="harmonic")
    same(res.data["inclusion"], [2 / (1 / 20 + 1 / 40), 2 / (1 / 80 + 1 / 10), NAN])
    shifted = aggregate(_data(), ctx, method="geometric", offset=1)
    same(shifted.data["rights"][:2], [np.sqrt(101 * 51) - 1, np.sqrt(1 * 101) - 1])


def test_generalised_mean_with_p_1_is_the_arithmetic_mean(ctx):
    res = aggregate(_data(), ctx, method="generalised", p=1)
    same(res.data["index"], aggregate(_data(), ctx).data["index"])
    sq = aggregate(_data(), ctx, method="generalised", p=2)
    same(sq.data["inclusion"][:1], [np.sqrt((20**2 + 40**2) / 2)])


def test_methods_can_be_set_per_node_and_per_depth(ctx):
    res = aggregate(_data().clip(lower=1), ctx, by_node={"inclusion": "geometric"})
    same(res.data["inclusion"][:1], [np.sqrt(20 * 40)])
    same(res.data["rights"][:1], [75.0])
    by_depth = aggregate(_data().clip(lower=1), ctx, by_depth={"theme": "harmonic"})
    assert by_depth.learned["methods_"] == {
        "rights": "harmonic",
        "inclusion": "harmonic",
        "index": "arithmetic",
    }


def test_copeland_counts_pairwise_wins_minus_losses_within_each_period():
    X = np.array([[3.0, 3.0], [1.0, 2.0], [2.0, 5.0], [NAN, NAN]])
    scores = copeland(X, np.array([1.0, 1.0]), np.array([1, 1, 1, 1]))
    # a beats b (both higher), a ties c (one each), c beats b; d has no data
    same(scores, [1.0, -2.0, 1.0, NAN])


def test_copeland_compares_units_of_the_same_period_only():
    X = np.array([[1.0], [2.0], [9.0], [0.0]])
    same(copeland(X, np.array([1.0]), np.array([1, 1, 2, 2])), [-1.0, 1.0, 1.0, -1.0])


def test_bad_parameters_are_method_errors(ctx):
    with pytest.raises(UnknownNameError):
        aggregate(_data(), ctx, method="median")
    with pytest.raises(MethodError, match="min_coverage"):
        aggregate(_data(), ctx, min_coverage=1.5)
    with pytest.raises(MethodError, match="p"):
        aggregate(_data(), ctx, method="generalised", p=0)
    with pytest.raises(MethodError, match="by_node"):
        aggregate(_data(), ctx, by_node={"poverty-rate": "geometric"})
    with pytest.raises(MethodError, match="offset"):
        aggregate(_data(), ctx, method="arithmetic", offset=1)
