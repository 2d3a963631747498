"""Step 2, impute: fill missing values.

Cross-sectional methods work within each period: ``mean`` / ``median`` of the indicator over
the units, ``group_mean`` / ``group_median`` over the units of the same group (a column of the
units table, e.g. a region). Temporal methods work within each unit over its periods: ``locf``
(last observation carried forward) and ``linear`` (interpolation between two observations),
both with an optional ``max_gap`` in periods. See ``docs/guide/2-impute.md``.

An imputer is ``fn(x, ctx, **params) -> DataFrame`` (same shape as ``x``) giving a value for
each missing cell; the step keeps every observed value as it is and counts what was filled.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..registry import imputers, steps
from .context import BuildContext, StepResult, attribute, bad_param, check_known, number, period_of

STEP = "impute"


@imputers.register("none")
def impute_none(x: pd.DataFrame, ctx: BuildContext) -> pd.DataFrame:
    """Leave missing values missing."""
    return x


def _within(x: pd.DataFrame, keys: list, how: str) -> pd.DataFrame:
    """Missing values filled with the ``how`` statistic of their group (rows sharing ``keys``)."""
    group = pd.Series(0, index=range(len(x))).groupby(keys, sort=False, dropna=True).ngroup()
    group = group.to_numpy()
    stats = x.groupby(group, sort=False).agg(how).reindex(group).to_numpy()
    stats[group < 0] = np.nan  # rows without a group value are not imputed
    return pd.DataFrame(stats, index=x.index, columns=x.columns)


@imputers.register("mean")
def impute_mean(x: pd.DataFrame, ctx: BuildContext) -> pd.DataFrame:
    """The indicator's mean over the units of the same period."""
    return _within(x, [period_of(x)], "mean")


@imputers.register("median")
def impute_median(x: pd.DataFrame, ctx: BuildContext) -> pd.DataFrame:
    """The indicator's median over the units of the same period."""
    return _within(x, [period_of(x)], "median")


def _group_keys(x: pd.DataFrame, ctx: BuildContext, group) -> list:
    if not isinstance(group, str) or not group:
        raise bad_param(STEP, "group", group, "the name of a column of the units table")
    groups = attribute(ctx, group, x.index, STEP, "group")
    return [period_of(x), groups.to_numpy()]


@imputers.register("group_mean")
def impute_group_mean(x: pd.DataFrame, ctx: BuildContext, *, group: str = "") -> pd.DataFrame:
    """The mean over the units of the same group (units column ``group``) and period."""
    return _within(x, _group_keys(x, ctx, group), "mean")


@imputers.register("group_median")
def impute_group_median(x: pd.DataFrame, ctx: BuildContext, *, group: str = "") -> pd.DataFrame:
    """The median over the units of the same group (units column ``group``) and period."""
    return _within(x, _group_keys(x, ctx, group), "median")


def _panel(x: pd.DataFrame, max_gap):
    """Rows sorted by unit and period; for every missing value (row ``r``, column ``c``) the
    value and period of the unit's nearest observations before and after (NaN when none)."""
    if max_gap is not None:
        number(STEP, "max_gap", max_gap, low=0)
    xs = x.sort_index(level=[0, 1])
    try:
        per = pd.to_numeric(period_of(xs)).to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise bad_param(STEP, "method", "locf/linear", "numeric periods (years)") from None
    values = xs.to_numpy(dtype=float, copy=True)
    n = len(values)
    unit = pd.factorize(xs.index.get_level_values(0))[0]
    new = np.r_[True, unit[1:] != unit[:-1]]
    rows = np.arange(n)
    first = np.maximum.accumulate(np.where(new, rows, 0))
    last = np.minimum.accumulate(np.where(np.r_[new[1:], True], rows, n)[::-1])[::-1]
    valid = ~np.isnan(values)
    r, c = np.nonzero(~valid)
    prev = np.maximum.accumulate(np.where(valid, rows[:, None], -1), axis=0)[r, c]
    nxt = np.minimum.accumulate(np.where(valid, rows[:, None], n)[::-1], axis=0)[::-1][r, c]
    before = _at(values, per, np.where(prev < first[r], -1, prev), c)
    after = _at(values, per, np.where(nxt > last[r], -1, nxt), c)
    return xs, values, per[r], (r, c), before, after


def _at(values: np.ndarray, per: np.ndarray, pos: np.ndarray, col: np.ndarray):
    """Values and periods at rows ``pos`` of columns ``col``; NaN where ``pos`` is -1."""
    none = pos < 0
    safe = np.where(none, 0, pos)
    return np.where(none, np.nan, values[safe, col]), np.where(none, np.nan, per[safe])


def _frame_of(xs: pd.DataFrame, values: np.ndarray, x: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(values, index=xs.index, columns=xs.columns).reindex(x.index)


@imputers.register("locf")
def impute_locf(x: pd.DataFrame, ctx: BuildContext, *, max_gap: float | None = None):
    """The unit's last earlier observation, if at most ``max_gap`` periods earlier."""
    xs, values, t, where, (prev_v, prev_p), _ = _panel(x, max_gap)
    if max_gap is not None:
        with np.errstate(invalid="ignore"):
            prev_v = np.where(t - prev_p <= max_gap, prev_v, np.nan)
    values[where] = prev_v
    return _frame_of(xs, values, x)


@imputers.register("linear")
def impute_linear(x: pd.DataFrame, ctx: BuildContext, *, max_gap: float | None = None):
    """Linear interpolation in time between the unit's observations before and after.

    No extrapolation: a value before the first or after the last observation stays missing.
    With ``max_gap``, both observations must be at most ``max_gap`` periods away.
    """
    xs, values, t, where, (prev_v, prev_p), (next_v, next_p) = _panel(x, max_gap)
    with np.errstate(invalid="ignore", divide="ignore"):
        span = next_p - prev_p
        interp = prev_v + (next_v - prev_v) * np.where(span > 0, (t - prev_p) / span, 0.0)
        if max_gap is not None:
            near = (t - prev_p <= max_gap) & (next_p - t <= max_gap)
            interp = np.where(near, interp, np.nan)
    values[where] = interp
    return _frame_of(xs, values, x)


def _notes(before: pd.DataFrame, after: pd.DataFrame, method: str) -> pd.DataFrame:
    per = period_of(before)
    miss_b = before.isna().groupby(per).sum()
    miss_a = after.isna().groupby(per).sum()
    notes = pd.DataFrame(
        {
            "indicator": np.tile(miss_b.columns.to_numpy(), len(miss_b)),
            "period": np.repeat(miss_b.index.to_numpy(), miss_b.shape[1]),
            "method": method,
            "n_missing": miss_b.to_numpy().ravel(),
            "n_imputed": (miss_b - miss_a).to_numpy().ravel(),
        }
    )
    return notes[notes["n_missing"] > 0].reset_index(drop=True)


@steps.register(STEP)
def impute(data: pd.DataFrame, ctx: BuildContext, **params) -> StepResult:
    """Fill missing values with the imputer ``method`` (default ``none``); other params go to it.

    Learned: ``imputed_`` ``{indicator: number of values filled}``.
    Notes: per indicator and period, the number missing and the number filled.
    """
    params = dict(params)
    name = params.pop("method", "none")
    fn = imputers.get(name)
    check_known(STEP, params, fn)
    filled = fn(data, ctx, **params)
    before = data.to_numpy(dtype=float)
    missing = np.isnan(before)
    if filled is not data:  # observed values are never changed, whatever the imputer returned
        values = filled.reindex(index=data.index, columns=data.columns).to_numpy(dtype=float)
        before = np.where(missing, values, before)
    out = pd.DataFrame(before, index=data.index, columns=data.columns)
    counts = (missing & ~np.isnan(before)).sum(axis=0)
    learned = {"imputed_": {str(k): int(v) for k, v in zip(data.columns, counts, strict=True)}}
    return StepResult(out, learned, _notes(data, out, name))
