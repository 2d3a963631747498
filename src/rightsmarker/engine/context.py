"""What every build step receives and returns, and the helpers the steps share.

A step is ``fn(data, ctx, **params) -> StepResult``: ``data`` is a wide float DataFrame indexed
by ``(unit, period)`` with one column per indicator (aggregate adds one per aggregate node).
Values learned from the data go to ``StepResult.learned`` under names with a trailing
underscore; findings about the data (treatment log, coverage) go to ``StepResult.notes``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import MethodError, Problem
from ..framework.model import Framework, Node


@dataclass
class BuildContext:
    """The framework, the unit attributes and the current weights of one build."""

    framework: Framework
    units: pd.DataFrame | None = None
    weights: dict[str, float] = field(default_factory=dict)

    def weight(self, code: str) -> float:
        """The current weight of a node (the framework's when the weight step has not set it)."""
        if code in self.weights:
            return float(self.weights[code])
        return float(self.framework.node(code).weight) if code in self.framework else 1.0

    def indicator(self, code: str) -> Node | None:
        """The framework node of a data column, or None for a column the framework lacks."""
        return self.framework.node(code) if code in self.framework else None


@dataclass
class StepResult:
    """The new wide table, what was learned from the data, and an optional long table of notes."""

    data: pd.DataFrame
    learned: dict
    notes: pd.DataFrame | None = None


# ---- parameter checks -------------------------------------------------------------------------


def bad_param(step: str, name: str, value: Any, expected: str) -> MethodError:
    """A MethodError naming the step and the parameter, the value found and what was expected."""
    problem = Problem(
        message=f"step {step!r}: bad value for parameter {name!r}",
        column=name,
        value=value,
        expected=expected,
    )
    return MethodError(f"invalid parameters for step {step!r}", [problem])


def check_known(step: str, params: Mapping[str, Any], known: set[str] | Callable) -> None:
    """Reject parameters the step (or the method function ``known``) does not take."""
    if callable(known):
        sig = inspect.signature(known)
        if any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values()):
            return
        known = {n for n, p in sig.parameters.items() if p.kind is p.KEYWORD_ONLY}
    unknown = sorted(set(params) - set(known))
    if unknown:
        problems = [
            Problem(
                message=f"step {step!r}: unknown parameter {name!r}",
                column=name,
                value=params[name],
                expected="one of " + (", ".join(sorted(known)) or "no parameters"),
            )
            for name in unknown
        ]
        raise MethodError(f"invalid parameters for step {step!r}", problems)


def number(step: str, name: str, value: Any, *, low=None, high=None, strict=False) -> float:
    """``value`` as a float in ``[low, high]`` (open when ``strict``), else MethodError."""
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    ok = ok and np.isfinite(value)
    if ok and low is not None:
        ok = value > low if strict else value >= low
    if ok and high is not None:
        ok = value < high if strict else value <= high
    if not ok:
        lo = "" if low is None else (f" above {low}" if strict else f" at least {low}")
        hi = "" if high is None else (f" below {high}" if strict else f" at most {high}")
        raise bad_param(step, name, value, f"a number{lo}{hi}".replace("  ", " "))
    return float(value)


def codes(step: str, name: str, value: Any, ctx: BuildContext) -> dict:
    """A mapping keyed by node codes of the framework, or MethodError."""
    if not isinstance(value, Mapping):
        raise bad_param(step, name, value, "a mapping {node code: value}")
    unknown = [k for k in value if k not in ctx.framework]
    if unknown:
        raise bad_param(step, name, unknown, "node codes of the framework")
    return dict(value)


# ---- data helpers -----------------------------------------------------------------------------


def period_of(data: pd.DataFrame) -> pd.Index:
    """The period label of every row (index level 1)."""
    return data.index.get_level_values(1)


def unit_of(data: pd.DataFrame) -> pd.Index:
    """The unit code of every row (index level 0)."""
    return data.index.get_level_values(0)


def attribute(ctx: BuildContext, column: str, index: pd.MultiIndex, step: str, param: str):
    """The unit attribute ``column`` aligned to the rows of ``index`` (a ``(unit, period)`` index).

    When ``ctx.units`` has a ``period`` column, rows match on unit and period; a units row
    with an empty period applies to every period of its unit.
    """
    units = ctx.units
    if units is not None and column not in units.columns:  # unit tables may lower-case names
        folded = {str(c).casefold(): c for c in units.columns}
        column = folded.get(str(column).casefold(), column)
    if units is None or column not in units.columns:
        known = [] if units is None else [c for c in units.columns if c != "period"]
        raise bad_param(
            step,
            param,
            column,
            "a column of the units table: " + (", ".join(known) or "none given"),
        )
    units_idx = index.get_level_values(0)
    if "period" not in units.columns:
        values = units[column]
        values = values[~values.index.duplicated()]
        return pd.Series(values.reindex(units_idx).to_numpy(), index=index)
    keyed = units.reset_index().rename(columns={units.index.name or "index": "unit"})
    exact = keyed.dropna(subset=["period"]).set_index(["unit", "period"])[column]
    out = exact[~exact.index.duplicated()].reindex(index)
    fallback = keyed[keyed["period"].isna()].set_index("unit")[column]
    if len(fallback):
        fb = fallback[~fallback.index.duplicated()].reindex(units_idx).to_numpy()
        out = out.where(out.notna(), fb)
    return pd.Series(out.to_numpy(), index=index)


def by_period_json(frame: pd.DataFrame) -> dict[str, dict[str, float | None]]:
    """A ``period x indicator`` frame as ``{indicator: {period: value}}`` (JSON-serialisable)."""
    out: dict[str, dict[str, float | None]] = {}
    for code in frame.columns:
        col = frame[code]
        out[str(code)] = {
            str(p): (None if pd.isna(v) else float(v))
            for p, v in zip(col.index, col.to_numpy(), strict=True)
        }
    return out
