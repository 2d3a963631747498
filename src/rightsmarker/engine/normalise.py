"""Step 4, normalise: bring every indicator to a common scale where higher is better.

Direction is applied first (``x' = direction * x``), then the method, within each period.
Yes/no and stage indicators are always mapped by their scale (yes = 100, no = 0; stage ``i``
of ``k`` = ``i / (k - 1) * 100``; reversed when ``direction`` is -1), whatever the method; text
indicators are dropped. See ``docs/guide/4-normalise.md`` for every formula.

A normaliser is ``fn(x, direction, by, nodes, **params) -> (scores, learned)``: ``x`` the raw
values of some indicators, ``direction`` a Series of +1/-1 per column, ``by`` the period of
each row, ``nodes`` ``{code: Node | None}``; ``learned`` maps names (``min_``) to a
``period x indicator`` DataFrame or an ``indicator`` Series.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import MethodError, Problem
from ..framework.model import QUALITATIVE
from ..registry import normalisers, steps
from .context import BuildContext, StepResult, bad_param, by_period_json, check_known, number

STEP = "normalise"
TIES = ("min", "average", "max", "dense", "first")


def _per_period(x: pd.DataFrame, by, how: str, **kw) -> tuple[pd.DataFrame, np.ndarray]:
    """A ``period x column`` summary and the same aligned to the rows of ``x``."""
    summary = x.groupby(by, sort=False).agg(how, **kw)
    return summary, summary.reindex(by).to_numpy()


def _frame(values, x: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(values, index=x.index, columns=x.columns)


def _raw_range(mn: pd.DataFrame, mx: pd.DataFrame, direction: pd.Series) -> dict:
    """Raw-scale ``min_`` / ``max_`` from the per-period min and max of the directed values."""
    up = (direction > 0).to_numpy()
    lo = np.where(up, mn.to_numpy(), -mx.to_numpy())
    hi = np.where(up, mx.to_numpy(), -mn.to_numpy())
    return {
        "min_": pd.DataFrame(lo, mn.index, mn.columns),
        "max_": pd.DataFrame(hi, mn.index, mn.columns),
    }


@normalisers.register("minmax")
def minmax(x, direction, by, nodes, *, low: float = 0.0, high: float = 100.0):
    """``(x' - min x') / (max x' - min x') * (high - low) + low``; NaN when the range is 0."""
    xd = x * direction
    mn, amn = _per_period(xd, by, "min")
    mx, amx = _per_period(xd, by, "max")
    with np.errstate(invalid="ignore", divide="ignore"):
        y = (xd.to_numpy() - amn) / (amx - amn) * (high - low) + low
    return _frame(y, x), _raw_range(mn, mx, direction)


@normalisers.register("zscore")
def zscore(x, direction, by, nodes, *, mean: float = 0.0, sd: float = 1.0):
    """``(x' - mean x') / sd x' * sd + mean`` (sample standard deviation, n - 1)."""
    xd = x * direction
    m, am = _per_period(xd, by, "mean")
    s, as_ = _per_period(xd, by, "std")
    with np.errstate(invalid="ignore", divide="ignore"):
        y = (xd.to_numpy() - am) / as_ * sd + mean
    return _frame(y, x), {"mean_": m * direction, "sd_": s}


def _bound(nodes, cols, which: str, given) -> pd.Series:
    """Per-column ``lower`` or ``optimum``: the parameter if given, else the framework's."""
    if given is not None:
        return pd.Series(float(given), index=cols)
    values = {}
    for c in cols:
        node = nodes.get(c)
        lower, optimum = (None, None) if node is None else _goalposts(node)
        values[c] = lower if which == "lower" else optimum
    missing = [c for c, v in values.items() if v is None]
    if missing:
        problems = [
            Problem(f"indicator {c!r} has no {which}", column=which, expected="a number")
            for c in missing
        ]
        raise MethodError(f"step {STEP!r}: goalposts missing in the framework", problems)
    return pd.Series(values, dtype=float)


def _goalposts(node) -> tuple[float | None, float | None]:
    if hasattr(node, "goalposts"):
        return node.goalposts()
    return node.lower, node.optimum


@normalisers.register("goalposts")
def goalposts(x, direction, by, nodes, *, lower=None, optimum=None, clamp=True, high=100.0):
    """``clamp((x - lower) / (optimum - lower), 0, 1) * high``: direction is the bounds' order."""
    lo, opt = _bound(nodes, x.columns, "lower", lower), _bound(nodes, x.columns, "optimum", optimum)
    with np.errstate(invalid="ignore", divide="ignore"):
        y = (x.to_numpy() - lo.to_numpy()) / (opt - lo).to_numpy()
    if clamp:
        y = np.clip(y, 0.0, 1.0)
    return _frame(y * high, x), {"lower_": lo, "optimum_": opt}


@normalisers.register("distance_to_target")
def distance_to_target(x, direction, by, nodes, *, target=None, cap=True, high=100.0):
    """``(x' - min x') / (target' - min x') * high`` with ``target`` the optimum; capped at high."""
    t = _bound(nodes, x.columns, "optimum", target) * direction
    xd = x * direction
    mn, amn = _per_period(xd, by, "min")
    with np.errstate(invalid="ignore", divide="ignore"):
        y = (xd.to_numpy() - amn) / (t.to_numpy() - amn) * high
    if cap:
        y = np.minimum(y, high)
    return _frame(y, x), {"target_": t * direction, "worst_": mn * direction}


@normalisers.register("distance_to_max")
def distance_to_max(x, direction, by, nodes, *, high: float = 100.0):
    """``(1 - (max x' - x') / (max x' - min x')) * high`` (COINr ``n_dist2max``)."""
    xd = x * direction
    mn, amn = _per_period(xd, by, "min")
    mx, amx = _per_period(xd, by, "max")
    with np.errstate(invalid="ignore", divide="ignore"):
        y = (1.0 - (amx - xd.to_numpy()) / (amx - amn)) * high
    return _frame(y, x), {"best_": mx * direction}


@normalisers.register("fraction_of_max")
def fraction_of_max(x, direction, by, nodes, *, high: float = 100.0):
    """``x / max x * high``; for direction -1, ``min x / x * high`` (fraction of the best)."""
    mn, amn = _per_period(x, by, "min")
    mx, amx = _per_period(x, by, "max")
    up = (direction > 0).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.where(up, x.to_numpy() / amx, amn / x.to_numpy()) * high
    best = pd.DataFrame(np.where(up, mx.to_numpy(), mn.to_numpy()), mx.index, mx.columns)
    return _frame(y, x), {"best_": best}


def _block_rank(V: np.ndarray, ties: str) -> np.ndarray:
    """Column-wise ascending ranks (1 = lowest) of one period's rows; NaN stays NaN."""
    n = V.shape[0]
    order = np.argsort(V, axis=0, kind="stable")  # NaN last
    S = np.take_along_axis(V, order, axis=0)
    valid = ~np.isnan(S)
    pos = np.broadcast_to(np.arange(n)[:, None], S.shape)
    starts = np.ones(S.shape, dtype=bool)
    starts[1:] = S[1:] != S[:-1]
    ends = np.ones(S.shape, dtype=bool)
    ends[:-1] = starts[1:]
    first = np.maximum.accumulate(np.where(starts, pos, 0), axis=0)
    last = np.minimum.accumulate(np.where(ends, pos, n - 1)[::-1], axis=0)[::-1]
    ranked = {
        "min": lambda: first + 1.0,
        "max": lambda: last + 1.0,
        "average": lambda: (first + last) / 2.0 + 1.0,
        "first": lambda: pos + 1.0,
        "dense": lambda: np.cumsum(starts & valid, axis=0).astype(float),
    }[ties]()
    ranked = np.where(valid, ranked, np.nan)
    out = np.empty_like(ranked)
    np.put_along_axis(out, order, ranked, axis=0)
    return out


def _rank(x, direction, by, ties: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    if ties not in TIES:
        raise bad_param(STEP, "ties", ties, "one of " + ", ".join(TIES))
    V = (x * direction).to_numpy(dtype=float)
    R = np.empty_like(V)
    for rows in pd.Series(np.arange(len(V))).groupby(np.asarray(by), sort=False).indices.values():
        R[rows] = _block_rank(V[rows], ties)
    return _frame(R, x), x.notna().groupby(by, sort=False).sum()


@normalisers.register("rank")
def rank(x, direction, by, nodes, *, ties: str = "min"):
    """The rank from the worst (1) up: higher is better; ties share the ``ties`` rank."""
    r, n = _rank(x, direction, by, ties)
    return r, {"n_": n}


@normalisers.register("borda")
def borda(x, direction, by, nodes, *, ties: str = "min"):
    """Borda score: rank - 1, the number of units beaten (ties: ``ties`` rank)."""
    r, n = _rank(x, direction, by, ties)
    return r - 1.0, {"n_": n}


@normalisers.register("percentile_rank")
def percentile_rank(x, direction, by, nodes, *, ties: str = "min", high: float = 100.0):
    """``(rank - 1) / (n - 1) * high``, ``n`` the units with a value in the period."""
    r, n = _rank(x, direction, by, ties)
    with np.errstate(invalid="ignore", divide="ignore"):
        y = (r.to_numpy() - 1.0) / (n.reindex(by).to_numpy() - 1.0) * high
    return _frame(y, x), {"n_": n}


def _scale(x: pd.DataFrame, nodes: dict) -> pd.DataFrame:
    """Yes/no and stage indicators by their scale: ``v / max * 100`` (``(max - v) / max * 100``
    when direction is -1)."""
    top = pd.Series({c: nodes[c].scale_max() for c in x.columns}, dtype=float)
    up = pd.Series({c: nodes[c].direction > 0 for c in x.columns})
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.where(up.to_numpy(), x.to_numpy(), top.to_numpy() - x.to_numpy()) / top.to_numpy()
    return _frame(y * 100.0, x)


def _specs(data: pd.DataFrame, nodes: dict, params: dict) -> dict[str, list[str]]:
    """Group the quantitative columns by their effective ``{method, params}`` (JSON text)."""
    overrides = params.pop("overrides", None) or {}
    if not isinstance(overrides, Mapping) or any(
        not isinstance(v, Mapping) for v in overrides.values()
    ):
        raise bad_param(STEP, "overrides", overrides, "a mapping {indicator: {method: ..., ...}}")
    unknown = [c for c in overrides if c not in data.columns]
    if unknown:
        raise bad_param(STEP, "overrides", unknown, "indicator codes present in the data")
    base = {"method": "minmax", **params}
    groups: dict[str, list[str]] = {}
    for code in data.columns:
        node = nodes[code]
        if node is not None and node.value_type in (*QUALITATIVE, "text"):
            continue
        own = dict(overrides.get(code, {}))
        same = own.get("method", base["method"]) == base["method"]
        spec = {**base, **own} if same else own
        groups.setdefault(json.dumps(spec, sort_keys=True, default=str), []).append(code)
    for text in groups:  # each distinct specification checked once
        _check(json.loads(text))
    return groups


def _check(spec: dict) -> None:
    fn = normalisers.get(spec["method"])
    params = {k: v for k, v in spec.items() if k != "method"}
    check_known(STEP, params, fn)
    for name in ("low", "high", "mean", "lower", "optimum", "target"):
        if params.get(name) is not None:
            number(STEP, name, params[name])
    if "sd" in params:
        number(STEP, "sd", params["sd"], low=0, strict=True)
    if "low" in params or "high" in params:
        if params.get("low", 0.0) >= params.get("high", 100.0):
            raise bad_param(STEP, "high", params.get("high", 100.0), "a number above low")
    for flag in ("clamp", "cap"):
        if flag in params and not isinstance(params[flag], bool):
            raise bad_param(STEP, flag, params[flag], "true or false")


def _learned(parts: list[tuple[str, dict]], methods: dict[str, str]) -> dict:
    out: dict = {"methods_": methods}
    for _, learned in parts:
        for key, value in learned.items():
            target = out.setdefault(key, {})
            if isinstance(value, pd.DataFrame):
                target.update(by_period_json(value))
            else:
                target.update(
                    {str(k): (None if pd.isna(v) else float(v)) for k, v in value.items()}
                )
    return out


@steps.register(STEP)
def normalise(data: pd.DataFrame, ctx: BuildContext, **params) -> StepResult:
    """Normalise every indicator; higher is better afterwards.

    Params: ``method`` (a normaliser, default ``minmax``), its parameters (``low``, ``high``,
    ``mean``, ``sd``, ``lower``, ``optimum``, ``target``, ``clamp``, ``cap``, ``ties``) and
    ``overrides`` ``{indicator: {method: ..., ...}}`` (merged with the step's parameters when
    the method is the same, used alone otherwise).
    Learned: ``methods_`` ``{indicator: method}`` and the bounds each method used
    (``min_`` / ``max_``, ``mean_`` / ``sd_``, ``lower_`` / ``optimum_`` ...).
    """
    nodes = {c: ctx.indicator(c) for c in data.columns}
    groups = _specs(data, nodes, dict(params))
    by = data.index.get_level_values(1)
    direction = pd.Series({c: (nodes[c].direction if nodes[c] else 1) for c in data.columns})
    frames, parts, methods = [], [], {}
    for text, cols in groups.items():
        spec = json.loads(text)
        fn = normalisers.get(spec.pop("method"))
        scores, learned = fn(data[cols], direction[cols], by, nodes, **spec)
        frames.append(scores)
        parts.append((fn.__name__, learned))
        methods.update(dict.fromkeys(cols, json.loads(text)["method"]))
    qual = [c for c in data.columns if nodes[c] is not None and nodes[c].value_type in QUALITATIVE]
    if qual:
        frames.append(_scale(data[qual], nodes))
        methods.update(dict.fromkeys(qual, "scale"))
    out = pd.concat(frames, axis=1) if frames else pd.DataFrame(index=data.index)
    keep = [c for c in data.columns if c in out.columns]
    return StepResult(out[keep].astype(float), _learned(parts, methods))
