"""Step 1, denominate: divide indicators by a size variable (population, GDP, area).

``x' = x / d * scale`` for every indicator with a denominator (``Node.denominator``, or the
``denominators`` parameter), where ``d`` is the unit's value of that column of the units table.
A missing or zero denominator gives a missing value. See ``docs/guide/1-denominate.md``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..registry import steps
from .context import BuildContext, StepResult, attribute, bad_param, check_known, number

STEP = "denominate"


def _plan(
    data: pd.DataFrame, ctx: BuildContext, denominators, scale
) -> dict[str, tuple[str, float]]:
    """``{indicator: (denominator column, scale)}`` for the columns of ``data`` to divide."""
    plan: dict[str, str | None] = {}
    for code in data.columns:
        node = ctx.indicator(code)
        if node is not None and node.denominator:
            plan[code] = node.denominator
    if denominators is not None:
        if not isinstance(denominators, Mapping):
            raise bad_param(
                STEP, "denominators", denominators, "a mapping {indicator: units column}"
            )
        unknown = [k for k in denominators if k not in data.columns]
        if unknown:
            raise bad_param(STEP, "denominators", unknown, "indicator codes present in the data")
        plan.update({k: (v or None) for k, v in denominators.items()})
    if isinstance(scale, Mapping):
        scales = {k: number(STEP, f"scale.{k}", v, low=0, strict=True) for k, v in scale.items()}
    else:
        scales = dict.fromkeys(plan, number(STEP, "scale", scale, low=0, strict=True))
    return {k: (v, scales.get(k, 1.0)) for k, v in plan.items() if v}


@steps.register(STEP)
def denominate(data: pd.DataFrame, ctx: BuildContext, **params) -> StepResult:
    """Divide each indicator that has a denominator by the unit's denominator value.

    Params: ``denominators`` ``{indicator: column}`` (overrides the framework; an empty value
    turns denomination off for that indicator), ``scale`` (a number, or ``{indicator: number}``,
    default 1: e.g. 100000 for "per 100,000").
    """
    check_known(STEP, params, {"denominators", "scale"})
    plan = _plan(data, ctx, params.get("denominators"), params.get("scale", 1.0))
    out = data.copy()
    cache: dict[str, np.ndarray] = {}
    for code, (column, scale) in plan.items():
        if column not in cache:
            den = attribute(ctx, column, data.index, STEP, f"denominator of {code}")
            den = pd.to_numeric(den, errors="coerce").to_numpy(dtype=float)
            cache[column] = np.where(den == 0, np.nan, den)
        values = out[code].to_numpy(dtype=float) / cache[column]
        out[code] = values * scale if scale != 1.0 else values
    learned = {"denominated_": {code: column for code, (column, _) in plan.items()}}
    return StepResult(out, learned)
