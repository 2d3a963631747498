"""Step 2, impute: fill missing values.

Cross-sectional methods work within each period: ``mean`` / ``median`` of the indicator over
the units, ``group_mean`` / ``group_median`` over the units of the same group (a column of the
units table, e.g. a region). Temporal methods work within each unit over its periods: ``locf``
(last observation carried forward) and ``linear`` (interpolation between two observations),
both with an optional ``max_gap`` in periods. See ``docs/guide/2-impute.md``.

An imputer is ``fn(x, ctx, **params) -> DataFrame`` returning ``x`` with missing values filled
(observed values are never changed); the step counts what was filled.
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
    return x.fillna(x.groupby(keys, sort=False, dropna=True).transform(how))


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
    """Sorted values, the row periods, and the period of each observed value (NaN when missing)."""
    if max_gap is not None:
        number(STEP, "max_gap", max_gap, low=0)
    xs = x.sort_index(level=[0, 1])
    try:
        per = pd.to_numeric(period_of(xs)).to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise bad_param(
            STEP, "method", "locf/linear", "numeric periods for temporal imputation"
        ) from None
    seen = pd.DataFrame(
        np.where(xs.notna(), per[:, None], np.nan), index=xs.index, columns=xs.columns
    )
    return xs, per[:, None], seen


@imputers.register("locf")
def impute_locf(
    x: pd.DataFrame, ctx: BuildContext, *, max_gap: float | None = None
) -> pd.DataFrame:
    """The unit's last earlier observation, if at most ``max_gap`` periods earlier."""
    xs, per, seen = _panel(x, max_gap)
    by_unit = xs.groupby(level=0, sort=False)
    filled = by_unit.ffill()
    if max_gap is not None:
        last = seen.groupby(level=0, sort=False).ffill()
        filled = filled.where(xs.notna() | (per - last <= max_gap))
    return filled.reindex(x.index)


@imputers.register("linear")
def impute_linear(
    x: pd.DataFrame, ctx: BuildContext, *, max_gap: float | None = None
) -> pd.DataFrame:
    """Linear interpolation in time between the unit's observations before and after.

    No extrapolation: a value before the first or after the last observation stays missing.
    With ``max_gap``, both observations must be at most ``max_gap`` periods away.
    """
    xs, per, seen = _panel(x, max_gap)
    prev_v, next_v = (
        xs.groupby(level=0, sort=False).ffill(),
        xs.groupby(level=0, sort=False).bfill(),
    )
    by_seen = seen.groupby(level=0, sort=False)
    prev_p, next_p = by_seen.ffill().to_numpy(), by_seen.bfill().to_numpy()
    span = next_p - prev_p
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(span > 0, (per - prev_p) / span, 0.0)
    interp = prev_v.to_numpy() + (next_v.to_numpy() - prev_v.to_numpy()) * frac
    ok = np.isfinite(interp)
    if max_gap is not None:
        ok &= (per - prev_p <= max_gap) & (next_p - per <= max_gap)
    filled = xs.where(
        xs.notna(), pd.DataFrame(np.where(ok, interp, np.nan), index=xs.index, columns=xs.columns)
    )
    return filled.reindex(x.index)


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
    # observed values are never changed, whatever the imputer returned for them
    out = data.where(data.notna(), filled.reindex(index=data.index, columns=data.columns))
    counts = (data.isna() & out.notna()).sum()
    learned = {"imputed_": {str(k): int(v) for k, v in counts.items()}}
    return StepResult(out, learned, _notes(data, out, name))
