"""Step 3, treat: tame outliers the way COINr does (Winsorisation, then a log transform).

Within each period, an indicator passes when ``|skewness| <= skew_limit`` or
``kurtosis <= kurt_limit`` (sample skewness G1 and sample excess kurtosis G2, COINr's
``e1071`` "type 2" definitions). Otherwise its most extreme value (the highest when skewness
is positive, the lowest when negative) is replaced by the next one, one value at a time,
re-checking after each, up to ``winmax`` times; if it still fails, the original values are
log-transformed instead (``deflog``). Yes/no and stage indicators are never treated.
See ``docs/guide/3-treat.md``.

A treater is ``fn(X, **params) -> (X_treated, info)`` on a 2-D array (rows = units of one
period, columns = indicators); ``info`` holds per-column arrays ``n_low``, ``n_high`` and
``transform`` (the name of the transform applied, or ``""``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..framework.model import QUANTITATIVE
from ..registry import steps, treaters
from .context import BuildContext, StepResult, bad_param, check_known, number

STEP = "treat"
LOG_TYPES = ("ctlog", "log", "giilog", "boxcox", "none")


def skew_kurt(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column-wise sample skewness G1 and sample excess kurtosis G2, ignoring NaN.

    ``G1 = g1 * sqrt(n (n - 1)) / (n - 2)`` and ``G2 = ((n + 1) g2 + 6) (n - 1) / ((n - 2)(n - 3))``
    with ``g1 = m3 / m2^1.5``, ``g2 = m4 / m2^2 - 3`` and ``m_r`` the biased central moments
    (``e1071::skewness`` / ``kurtosis`` type 2, as COINr uses). NaN when ``n < 3`` (``n < 4``
    for G2) or the column is constant.
    """
    m = ~np.isnan(X)
    n = m.sum(axis=0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.where(m, X - np.where(m, X, 0.0).sum(axis=0) / n, 0.0)
        d2 = d * d
        m2 = d2.sum(axis=0) / n
        m3 = (d2 * d).sum(axis=0) / n
        m4 = (d2 * d2).sum(axis=0) / n
        g1 = m3 / m2**1.5
        g2 = m4 / m2**2 - 3.0
        skew = g1 * np.sqrt(n * (n - 1.0)) / (n - 2.0)
        kurt = ((n + 1.0) * g2 + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0))
    bad = m2 <= 0
    skew[(n < 3) | bad] = np.nan
    kurt[(n < 4) | bad] = np.nan
    return skew, kurt


def _failing(skew, kurt, skew_limit, kurt_limit) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return (np.abs(skew) > skew_limit) & (kurt > kurt_limit)


def _win_once(Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Replace each column's maximum (all tied copies) by the next highest value.

    Returns the new array and whether each column could be Winsorised (at least two distinct
    values must remain).
    """
    with np.errstate(invalid="ignore"):
        top = np.nanmax(np.where(np.isnan(Y), -np.inf, Y), axis=0)
        at_top = Y == top
        below = np.where(at_top | np.isnan(Y), -np.inf, Y)
        second = below.max(axis=0, initial=-np.inf)
        lowest = np.nanmin(np.where(np.isnan(Y), np.inf, Y), axis=0)
    can = np.isfinite(second) & (lowest < second)
    hit = at_top & can
    return np.where(hit, second, Y), can


def _transform(X: np.ndarray, kind: str, boxlam: float | None) -> tuple[np.ndarray, np.ndarray]:
    """Apply a log-type transform to every column; returns values and whether each was applied."""
    ok = np.ones(X.shape[1], dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        lo, hi = np.nanmin(X, axis=0), np.nanmax(X, axis=0)
        if kind == "ctlog":
            return np.log(X - lo + 0.01 * (hi - lo)), ok
        if kind == "giilog":
            return np.log((hi - 1.0) * (X - lo) / (hi - lo) + 1.0), ok
        if kind == "boxcox":
            shifted = X - lo + 1.0
            out = np.log(shifted) if boxlam == 0 else (shifted**boxlam - 1.0) / boxlam
            return out, ok
        if kind == "log":
            ok = ~np.any(X <= 0, axis=0)
            return np.where(ok, np.log(np.where(ok, X, 1.0)), X), ok
    return X.copy(), ok & False


@treaters.register("none")
def treat_none(X: np.ndarray) -> tuple[np.ndarray, dict]:
    """No treatment."""
    k = X.shape[1]
    return X.copy(), {
        "n_low": np.zeros(k, int),
        "n_high": np.zeros(k, int),
        "transform": np.full(k, ""),
    }


def _forced(kind: str):
    def fn(X: np.ndarray, *, boxlam: float | None = None) -> tuple[np.ndarray, dict]:
        out, ok = _transform(X, kind, boxlam)
        info = treat_none(X)[1]
        info["transform"] = np.where(ok, kind, "")
        return out, info

    fn.__doc__ = f"Always apply the {kind!r} transform (no Winsorisation)."
    return fn


for _kind in ("ctlog", "log", "giilog", "boxcox"):
    treaters.register(_kind, _forced(_kind))


@treaters.register("winsorise")
def winsorise(
    X: np.ndarray,
    *,
    skew_limit: float = 2.0,
    kurt_limit: float = 3.5,
    winmax: int | None = 5,
    winchange: bool = True,
    deflog: str = "ctlog",
    boxlam: float | None = None,
) -> tuple[np.ndarray, dict]:
    """COINr's default treatment: Winsorise one value at a time, then fall back to ``deflog``.

    ``winmax`` None means 10% of the units, rounded up (COINr's default). With ``winchange``
    (default) the side is re-chosen from the sign of the skewness after each value; otherwise
    the side chosen first is kept.
    """
    k = X.shape[1]
    limit = math.ceil(0.1 * X.shape[0]) if winmax is None else int(winmax)
    skew, kurt = skew_kurt(X)
    first_high = skew > 0
    active = _failing(skew, kurt, skew_limit, kurt_limit)
    W = X.copy()
    done = np.zeros(k, int)
    stuck = np.zeros(k, dtype=bool)
    for _ in range(limit):
        cols = np.flatnonzero(active)
        if cols.size == 0:
            break
        high = skew[cols] >= 0 if winchange else first_high[cols]
        sign = np.where(high, 1.0, -1.0)
        Y, can = _win_once(W[:, cols] * sign)
        W[:, cols] = Y * sign
        done[cols] += can
        stuck[cols] |= ~can
        skew[cols], kurt[cols] = skew_kurt(W[:, cols])
        active[cols] = _failing(skew[cols], kurt[cols], skew_limit, kurt_limit) & can
    with np.errstate(invalid="ignore"):
        n_high, n_low = np.sum(W < X, axis=0), np.sum(W > X, axis=0)  # units changed, each side
    failed = _failing(skew, kurt, skew_limit, kurt_limit) & ((done >= limit) | stuck)
    transform = np.full(k, "", dtype=object)
    if failed.any():  # as COINr: start again from the original values, then transform them
        cols = np.flatnonzero(failed)
        W[:, cols] = X[:, cols]
        n_low[cols] = n_high[cols] = 0
        if deflog != "none":
            logged, ok = _transform(X[:, cols], deflog, boxlam)
            W[:, cols[ok]] = logged[:, ok]
            transform[cols[ok]] = deflog
    info = {"n_low": n_low, "n_high": n_high, "transform": transform.astype(str), "failed": failed}
    return W, info


def _check(params: dict) -> None:
    """Validate the parameters of one treatment specification."""
    if "skew_limit" in params:
        number(STEP, "skew_limit", params["skew_limit"], low=0)
    if "kurt_limit" in params:
        number(STEP, "kurt_limit", params["kurt_limit"])
    if params.get("winmax") is not None:
        w = params["winmax"]
        if isinstance(w, bool) or not isinstance(w, int) or w < 0:
            raise bad_param(
                STEP, "winmax", w, "a whole number of 0 or more, or null (10% of units)"
            )
    if "deflog" in params and params["deflog"] not in LOG_TYPES:
        raise bad_param(STEP, "deflog", params["deflog"], "one of " + ", ".join(LOG_TYPES))
    uses_box = params.get("deflog") == "boxcox" or params.get("method") == "boxcox"
    if uses_box:
        number(STEP, "boxlam", params.get("boxlam"))
    if "winchange" in params and not isinstance(params["winchange"], bool):
        raise bad_param(STEP, "winchange", params["winchange"], "true or false")


def _specs(data: pd.DataFrame, ctx: BuildContext, params: dict) -> dict[str, list[str]]:
    """Group the treatable columns by their effective treatment specification (JSON text)."""
    overrides = params.pop("overrides", None) or {}
    if not isinstance(overrides, Mapping) or any(
        not isinstance(v, Mapping) for v in overrides.values()
    ):
        raise bad_param(STEP, "overrides", overrides, "a mapping {indicator: {method: ..., ...}}")
    unknown = [c for c in overrides if c not in data.columns]
    if unknown:
        raise bad_param(STEP, "overrides", unknown, "indicator codes present in the data")
    groups: dict[str, list[str]] = {}
    for code in data.columns:
        node = ctx.indicator(code)
        if node is not None and node.value_type not in QUANTITATIVE:
            continue  # yes/no and stage indicators are never treated
        own, base = dict(overrides.get(code, {})), {"method": "winsorise", **params}
        same = own.get("method", base["method"]) == base["method"]
        spec = {**base, **own} if same else own  # another method: only its own parameters
        groups.setdefault(json.dumps(spec, sort_keys=True, default=str), []).append(code)
    for text in groups:  # each distinct specification checked once
        spec = json.loads(text)
        fn = treaters.get(spec["method"])
        check_known(STEP, {k: v for k, v in spec.items() if k != "method"}, fn)
        _check(spec)
    return groups


def _treat_period(
    X: np.ndarray, groups: list[tuple[dict, np.ndarray]]
) -> tuple[np.ndarray, list[dict]]:
    """Treat one period's rows: each group of columns with its own specification."""
    out = X.copy()
    infos = []
    for spec, cols in groups:
        params = {k: v for k, v in spec.items() if k != "method"}
        treated, info = treaters.get(spec["method"])(X[:, cols], **params)
        out[:, cols] = treated
        infos.append({"cols": cols, "method": spec["method"], **info})
    return out, infos


NOTE_COLUMNS = [
    "indicator", "period", "method", "n_winsorised_low", "n_winsorised_high", "log_transformed",
    "transform", "exceeded_winmax", "skew_before", "kurt_before", "skew_after", "kurt_after",
]  # fmt: skip


def _period_notes(codes, period, X, T, infos) -> list[dict]:
    """The treatment log of one period: one dict of equal-length arrays per group of columns."""
    sb, kb = skew_kurt(X)
    sa, ka = skew_kurt(T)
    out = []
    for info in infos:
        c = info["cols"]
        out.append(
            {
                "indicator": codes[c],
                "period": np.full(len(c), period, dtype=object),
                "method": np.full(len(c), info["method"], dtype=object),
                "n_winsorised_low": info["n_low"],
                "n_winsorised_high": info["n_high"],
                "log_transformed": info["transform"] != "",
                "transform": info["transform"],
                "exceeded_winmax": info.get("failed", np.zeros(len(c), dtype=bool)),
                "skew_before": sb[c],
                "kurt_before": kb[c],
                "skew_after": sa[c],
                "kurt_after": ka[c],
            }
        )
    return out


def _log(parts: list[dict]) -> pd.DataFrame | None:
    if not parts:
        return None
    table = pd.DataFrame({k: np.concatenate([p[k] for p in parts]) for k in NOTE_COLUMNS})
    return table.infer_objects()


@steps.register(STEP)
def treat(data: pd.DataFrame, ctx: BuildContext, **params) -> StepResult:
    """Treat outliers of every quantitative indicator, each period separately.

    Params: ``method`` (a treater: ``winsorise`` (default), ``none``, or a forced transform
    ``ctlog``, ``log``, ``giilog``, ``boxcox``), the treater's own parameters (``skew_limit``,
    ``kurt_limit``, ``winmax``, ``winchange``, ``deflog``, ``boxlam``) and ``overrides``
    ``{indicator: {method: ..., ...}}``.
    Learned: ``winsorised_`` ``{indicator: values replaced}``, ``transformed_``
    ``{indicator: transform}``. Notes: the treatment log, one row per indicator and period.
    """
    params = dict(params)
    spec_groups = _specs(data, ctx, params)
    codes = data.columns.to_numpy()
    pos = {c: i for i, c in enumerate(codes)}
    groups = [(json.loads(s), np.array([pos[c] for c in cs])) for s, cs in spec_groups.items()]
    values = data.to_numpy(dtype=float, copy=True)
    notes = []
    if groups:
        for period, rows in data.groupby(level=1, sort=False).indices.items():
            X = values[rows]
            T, infos = _treat_period(X, groups)
            values[rows] = T
            notes += _period_notes(codes, period, X, T, infos)
    out = pd.DataFrame(values, index=data.index, columns=data.columns)
    log = _log(notes)
    return StepResult(out, _learned(log), log)


def _learned(log: pd.DataFrame | None) -> dict:
    if log is None or log.empty:
        return {"winsorised_": {}, "transformed_": {}}
    n = (
        (log["n_winsorised_low"] + log["n_winsorised_high"])
        .groupby(log["indicator"], sort=False)
        .sum()
    )
    tr = log[log["log_transformed"]]
    return {
        "winsorised_": {str(k): int(v) for k, v in n.items() if v},
        "transformed_": {
            str(k): str(v) for k, v in zip(tr["indicator"], tr["transform"], strict=True)
        },
    }
