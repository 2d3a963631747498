"""Step 6, aggregate: score every aggregate node from its children, bottom up.

Nodes are aggregated deepest first (``Framework.aggregates``), each from its children's
scores with the children's weights (``BuildContext.weights``). A missing child is dropped and
the remaining weights re-scaled; a node whose children's data cover less than ``min_coverage``
(a share of the children's weight, or of their number) gets no score. See
``docs/guide/6-aggregate.md`` for the formulas.

An aggregator is ``fn(X, w, by, **params) -> y``: ``X`` a ``rows x children`` array with NaN
for missing values, ``w`` the children's weights, ``by`` the period of each row; ``y`` one value
per row (NaN when a row has no data).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import DataError
from ..registry import aggregators, steps
from .context import BuildContext, StepResult, bad_param, check_known, number

STEP = "aggregate"


def _parts(X: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The availability mask and, per row, the sum of the weights of the available children."""
    m = ~np.isnan(X)
    return m, m.astype(float) @ w


def _positive(X: np.ndarray, m: np.ndarray, what: str, strict: bool = True) -> None:
    bad = (X[m] <= 0) if strict else (X[m] < 0)
    if bad.any():
        sign = "zero or negative" if strict else "negative"
        raise DataError(
            f"{int(bad.sum())} {sign} value(s): the {what} needs values above "
            f"{'0' if strict else 'or at 0'}; normalise to a positive range or set 'offset'"
        )


@aggregators.register("arithmetic")
def arithmetic(X: np.ndarray, w: np.ndarray, by) -> np.ndarray:
    """Weighted arithmetic mean ``sum(w x) / sum(w)`` over the available children."""
    m, sw = _parts(X, w)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(m, X, 0.0) @ w / np.where(sw > 0, sw, np.nan)


@aggregators.register("geometric")
def geometric(X: np.ndarray, w: np.ndarray, by, *, offset: float = 0.0) -> np.ndarray:
    """Weighted geometric mean ``exp(sum(w ln(x + c)) / sum(w)) - c``, ``c = offset``; x + c > 0."""
    m, sw = _parts(X, w)
    Z = X + offset
    _positive(Z, m, "geometric mean")
    with np.errstate(invalid="ignore", divide="ignore"):
        logs = np.where(m, np.log(np.where(m, Z, 1.0)), 0.0)
        return np.exp(logs @ w / np.where(sw > 0, sw, np.nan)) - offset


@aggregators.register("harmonic")
def harmonic(X: np.ndarray, w: np.ndarray, by, *, offset: float = 0.0) -> np.ndarray:
    """Weighted harmonic mean ``sum(w) / sum(w / (x + offset)) - offset``; needs x + offset > 0."""
    m, sw = _parts(X, w)
    Z = X + offset
    _positive(Z, m, "harmonic mean")
    with np.errstate(invalid="ignore", divide="ignore"):
        inv = np.where(m, 1.0 / np.where(m, Z, 1.0), 0.0)
        return np.where(sw > 0, sw, np.nan) / (inv @ w) - offset


@aggregators.register("generalised")
def generalised(X: np.ndarray, w: np.ndarray, by, *, p: float = 1.0) -> np.ndarray:
    """Weighted power mean ``(sum(w x^p) / sum(w))^(1/p)``; x >= 0 (x > 0 when p < 0), p != 0."""
    m, sw = _parts(X, w)
    _positive(X, m, f"generalised mean with p = {p}", strict=p < 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        powers = np.where(m, np.where(m, X, 1.0) ** p, 0.0)
        return (powers @ w / np.where(sw > 0, sw, np.nan)) ** (1.0 / p)


def _copeland_block(X: np.ndarray, w: np.ndarray, chunk: int) -> np.ndarray:
    """Copeland scores of the rows of one period (all units compared with all)."""
    n = X.shape[0]
    m = ~np.isnan(X)
    scores = np.zeros(n)
    for start in range(0, n, chunk):
        A, mA = X[start : start + chunk, None, :], m[start : start + chunk, None, :]
        both = mA & m[None, :, :]
        with np.errstate(invalid="ignore"):
            wins = ((A > X[None, :, :]) & both).astype(float) @ w
            ties = ((A == X[None, :, :]) & both).astype(float) @ w
        shared = both.astype(float) @ w
        with np.errstate(invalid="ignore", divide="ignore"):
            orm = (wins + 0.5 * ties) / shared
        vote = np.where(
            np.isclose(orm, 0.5, rtol=0, atol=1e-12) | ~(shared > 0), 0.0, np.sign(orm - 0.5)
        )
        idx = np.arange(start, min(start + chunk, n))
        vote[idx - start, idx] = 0.0
        scores[idx] = vote.sum(axis=1)
    scores[~m.any(axis=1)] = np.nan
    return scores


@aggregators.register("copeland")
def copeland(X: np.ndarray, w: np.ndarray, by) -> np.ndarray:
    """Copeland outranking score within each period: wins minus losses against every other unit.

    Unit ``a`` beats ``b`` when the weight of the children where ``a`` is higher, plus half the
    weight where they are equal, exceeds half the weight of the children both have.
    """
    out = np.full(X.shape[0], np.nan)
    for rows in pd.Series(np.arange(len(by))).groupby(np.asarray(by), sort=False).indices.values():
        block = X[rows]
        chunk = max(1, int(2_000_000 // max(1, block.shape[0] * block.shape[1])))
        out[rows] = _copeland_block(block, w, chunk)
    return out


def _spec(value, where: str, base: dict) -> dict:
    """An aggregation spec ``{method, **params}`` from a method name or a mapping."""
    if isinstance(value, str):
        spec = {"method": value}
    elif isinstance(value, Mapping) and isinstance(value.get("method", base["method"]), str):
        spec = dict(value)
    else:
        raise bad_param(STEP, where, value, "a method name or {method: ..., ...}")
    if spec.get("method", base["method"]) == base["method"]:
        spec = {**base, **spec}
    fn = aggregators.get(spec["method"])
    check_known(STEP, {k: v for k, v in spec.items() if k != "method"}, fn)
    if "offset" in spec:
        number(STEP, "offset", spec["offset"], low=0)
    if "p" in spec and number(STEP, "p", spec["p"]) == 0:
        raise bad_param(STEP, "p", 0, "a number other than 0 (p = 0 is the geometric mean)")
    return spec


def aggregation_plan(ctx: BuildContext, params: dict) -> dict[str, dict]:
    """The aggregation spec of every aggregate node: by_node, else by_depth, else the step's."""
    fw = ctx.framework
    by_node, by_depth = params.pop("by_node", None) or {}, params.pop("by_depth", None) or {}
    base = _spec({"method": params.pop("method", "arithmetic"), **params}, "method", {"method": ""})
    for name, table in (("by_node", by_node), ("by_depth", by_depth)):
        if not isinstance(table, Mapping):
            raise bad_param(STEP, name, table, "a mapping")
    agg = {n.code for n in fw.aggregates}
    if any(k not in agg for k in by_node):
        raise bad_param(
            STEP, "by_node", [k for k in by_node if k not in agg], "aggregate node codes"
        )
    depths = {}
    for key, value in by_depth.items():
        if str(key) in fw.depth_names:
            depth = fw.depth_names.index(str(key))
        elif str(key).lstrip("-").isdigit():
            depth = int(key)
        else:
            raise bad_param(
                STEP, "by_depth", key, "a depth number or one of " + ", ".join(fw.depth_names)
            )
        depths[depth] = _spec(value, f"by_depth.{key}", base)
    plan = {}
    for node in fw.aggregates:
        code = node.code
        if code in by_node:
            plan[code] = _spec(by_node[code], f"by_node.{code}", base)
        else:
            plan[code] = depths.get(fw.depth(code), base)
    return plan


def _coverage(m: np.ndarray, w: np.ndarray, by: str) -> np.ndarray:
    if by == "weight" and w.sum() > 0:
        return m.astype(float) @ w / w.sum()
    return m.sum(axis=1) / m.shape[1]


@steps.register(STEP)
def aggregate(data: pd.DataFrame, ctx: BuildContext, **params) -> StepResult:
    """Add one column per aggregate node, aggregated bottom up with ``ctx.weights``.

    Params: ``method`` (an aggregator, default ``arithmetic``) and its parameters (``offset``,
    ``p``), ``min_coverage`` (0 to 1, default 0: any data), ``coverage_by`` (``weight``, default,
    or ``count``), ``by_node`` ``{node: method or {method: ..., ...}}`` and ``by_depth``
    ``{depth number or depth name: method or {...}}``.
    Learned: ``methods_`` ``{node: method}``. Notes: per node, the rows scored and not scored.
    """
    params = dict(params)
    min_cov = number(STEP, "min_coverage", params.pop("min_coverage", 0.0), low=0, high=1)
    cov_by = params.pop("coverage_by", "weight")
    if cov_by not in ("weight", "count"):
        raise bad_param(STEP, "coverage_by", cov_by, "weight or count")
    plan = aggregation_plan(ctx, params)
    fw, by = ctx.framework, data.index.get_level_values(1)
    cols = {c: data[c].to_numpy(dtype=float) for c in data.columns}
    notes = []
    for node in fw.aggregates:
        code, spec = node.code, dict(plan[node.code])
        children = [c for c in fw.children(code) if c in cols]
        if not children:
            cols[code] = np.full(len(data), np.nan)
            continue
        X = np.column_stack([cols[c] for c in children])
        w = np.array([ctx.weight(c) for c in children], dtype=float)
        fn = aggregators.get(spec.pop("method"))
        try:
            y = fn(X, w, by, **spec)
        except DataError as exc:
            raise DataError(f"cannot aggregate {code!r}: {exc}") from None
        m = ~np.isnan(X)
        short = (_coverage(m, w, cov_by) + 1e-12 < min_cov) | ~m.any(axis=1)
        cols[code] = np.where(short, np.nan, y)
        notes.append(
            (code, plan[code]["method"], int((~np.isnan(cols[code])).sum()), int(short.sum()))
        )
    agg_codes = [n.code for n in fw.aggregates]
    keep = [c for c in data.columns if c not in agg_codes] + agg_codes
    out = pd.DataFrame({c: cols[c] for c in keep}, index=data.index)
    table = pd.DataFrame(notes, columns=["node", "method", "n_scored", "n_below_coverage"])
    learned = {"methods_": {c: s["method"] for c, s in plan.items()}}
    return StepResult(out, learned, table)
