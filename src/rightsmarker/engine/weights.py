"""Step 5, weight: choose the weight of every node (relative to its siblings).

``framework`` keeps the weights declared in the framework, ``equal`` gives every node 1,
``user`` overrides some of them, and ``pca`` derives each aggregate's children's weights from
the first principal component of their normalised values. The step sets
``BuildContext.weights`` (used by aggregate) and returns the data unchanged.
See ``docs/guide/5-weights.md``.

A weighter is ``fn(data, ctx, **params) -> (weights, notes)``: ``weights`` maps every node code
to a weight; ``notes`` is a DataFrame of findings or None.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..registry import steps, weighters
from .aggregate import arithmetic
from .context import BuildContext, StepResult, bad_param, check_known, codes, number

STEP = "weight"


@weighters.register("framework")
def framework_weights(data: pd.DataFrame, ctx: BuildContext):
    """The weights declared in the framework."""
    return {n.code: float(n.weight) for n in ctx.framework.nodes}, None


@weighters.register("equal")
def equal_weights(data: pd.DataFrame, ctx: BuildContext):
    """Every node weighs 1: siblings count equally."""
    return {n.code: 1.0 for n in ctx.framework.nodes}, None


@weighters.register("user")
def user_weights(data: pd.DataFrame, ctx: BuildContext, *, weights=None, base: str = "framework"):
    """``base`` weights (``framework`` or ``equal``) with the given ``weights`` replacing some."""
    given = codes(STEP, "weights", weights if weights is not None else {}, ctx)
    for code, value in given.items():
        number(STEP, f"weights.{code}", value, low=0)
    if base not in ("framework", "equal"):
        raise bad_param(STEP, "base", base, "framework or equal")
    start, _ = (framework_weights if base == "framework" else equal_weights)(data, ctx)
    return {**start, **{k: float(v) for k, v in given.items()}}, None


def first_component_weights(X: np.ndarray) -> np.ndarray | None:
    """Squared loadings of the first principal component of the columns' correlation matrix.

    Uses the rows where every column has a value; the loadings of a unit eigenvector squared
    sum to 1. None when there are too few complete rows or a column is constant.
    """
    complete = X[~np.isnan(X).any(axis=1)]
    if complete.shape[0] <= X.shape[1] or np.any(complete.std(axis=0) == 0):
        return None
    corr = np.corrcoef(complete, rowvar=False)
    values, vectors = np.linalg.eigh(corr)
    loading = vectors[:, np.argmax(values)]
    return loading**2 / np.sum(loading**2)


@weighters.register("pca")
def pca_weights(data: pd.DataFrame, ctx: BuildContext):
    """Within each aggregate node, children's weights from the first principal component.

    Aggregates are scored bottom up (arithmetic mean with the weights just found) so that
    their parents can be weighted too. A node with one child keeps weight 1; a node whose
    children cannot be analysed (too few complete rows, a constant child) gets equal weights.
    """
    fw = ctx.framework
    weights = {n.code: float(n.weight) for n in fw.nodes}
    cols = {c: data[c].to_numpy(dtype=float) for c in data.columns}
    by = data.index.get_level_values(1)
    fallback = []
    for node in fw.aggregates:
        children = [c for c in fw.children(node.code) if c in cols]
        if not children:
            continue
        X = np.column_stack([cols[c] for c in children])
        found = first_component_weights(X) if len(children) > 1 else np.ones(1)
        if found is None:
            found = np.full(len(children), 1.0 / len(children))
            fallback.append(node.code)
        weights.update(zip(children, map(float, found), strict=True))
        cols[node.code] = arithmetic(X, found, by)
    notes = pd.DataFrame({"node": fallback, "finding": "equal weights: PCA not possible"})
    return weights, notes if fallback else None


@steps.register(STEP)
def weight(data: pd.DataFrame, ctx: BuildContext, **params) -> StepResult:
    """Set ``ctx.weights`` with the weighter ``method`` (default ``framework``).

    Params: ``method`` and its parameters (``user``: ``weights`` ``{code: w}``, ``base``).
    Learned: ``weights_`` ``{node code: weight}``.
    """
    params = dict(params)
    fn = weighters.get(params.pop("method", "framework"))
    check_known(STEP, params, fn)
    new, notes = fn(data, ctx, **params)
    if not isinstance(new, Mapping):
        raise bad_param(STEP, "method", fn.__name__, "a weighter returning {code: weight}")
    ctx.weights = {str(k): float(v) for k, v in new.items()}
    return StepResult(data, {"weights_": dict(ctx.weights)}, notes)
