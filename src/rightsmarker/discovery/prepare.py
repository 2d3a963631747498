"""Checking the request against the data and building the aggregation query (the boundary).

All checks of columns, outcome and weights happen here, once, with errors that name the column
and the values found; the rest of the package trusts what this module returns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..errors import DataError, Problem
from .binning import BinPlan, plan_numeric
from .engines import Engine, open_engine
from .sources import DiscoveryError, resolve_columns, resolve_source
from .sums import Query, category, ident, literal, profile_sql, text_value, values_sql


@dataclass
class Prepared:
    engine: Engine
    label: str
    attributes: list[str]
    plans: dict[str, BinPlan | None]
    query: Query
    binary: bool
    positive: object
    columns: dict[str, str]
    rows: int
    notes: list[str] = field(default_factory=list)


def _values_found(engine: Engine, column: str) -> str:
    vals = engine.query(values_sql(column, 10))
    return ", ".join(f"{v!r} ({n})" for v, n in zip(vals["v"], vals["n"], strict=True))


def _check_request(outcome: str, attributes: Sequence[str], max_depth: int, min_size: int, alpha):
    problems = []
    if not attributes:
        problems.append(Problem("no attributes given", expected="one or more column names"))
    dupes = sorted({a for a in attributes if list(attributes).count(a) > 1})
    if dupes:
        problems.append(Problem("attribute named twice", value=", ".join(dupes)))
    if outcome in attributes:
        problems.append(Problem("the outcome is also an attribute", column=outcome))
    if max_depth < 1:
        problems.append(Problem("max_depth too small", value=max_depth, expected="1 or more"))
    if min_size < 1:
        problems.append(Problem("min_size too small", value=min_size, expected="1 or more"))
    if not 0 < alpha < 1:
        problems.append(Problem("alpha out of range", value=alpha, expected="0 < alpha < 1"))
    if problems:
        raise DiscoveryError("discovery settings are invalid", problems)


def _outcome(engine, column, kind, positive, na_values, profile, label):
    """Return (y expression, row filter, binary, positive)."""
    col = ident(column)
    if positive is None:
        if kind == "boolean":
            return f"CASE WHEN {col} THEN 1.0 ELSE 0.0 END", f"{col} IS NOT NULL", True, True
        if kind == "numeric":
            binary = int(profile["y_other"]) == 0
            return f"CAST({col} AS DOUBLE)", f"{col} IS NOT NULL", binary, (1 if binary else None)
        raise DiscoveryError(
            "the outcome is not numeric",
            [
                Problem(
                    "name the value that counts as the worse outcome (positive=...)",
                    file=label,
                    column=column,
                    value=_values_found(engine, column),
                    expected="a numeric column, or positive= one of these values",
                )
            ],
            hint="for example --positive '<=50K'",
        )
    if kind == "numeric":
        try:
            number = float(positive)
        except (TypeError, ValueError):
            raise DiscoveryError(
                "the positive value does not fit the outcome",
                [
                    Problem(
                        "the outcome is numeric but the positive value is not a number",
                        file=label,
                        column=column,
                        value=positive,
                        expected=f"one of {_values_found(engine, column)}",
                    )
                ],
            ) from None
        y = f"CASE WHEN {col} = {literal(number)} THEN 1.0 ELSE 0.0 END"
        return y, f"{col} IS NOT NULL", True, positive
    text = text_value(column, na_values)
    y = f"CASE WHEN {text} = {literal(str(positive).strip())} THEN 1.0 ELSE 0.0 END"
    return y, f"{text} IS NOT NULL", True, positive


def check_positive_found(prep: Prepared, positives: float, outcome: str) -> None:
    """A named positive value that never occurs is a typo: say which values exist."""
    if prep.binary and prep.positive is not None and positives == 0:
        column = prep.columns["outcome"]
        raise DiscoveryError(
            "the positive value never occurs in the outcome",
            [
                Problem(
                    "no row has this outcome value",
                    file=prep.label,
                    column=outcome,
                    value=prep.positive,
                    expected=f"one of {_values_found(prep.engine, column)}",
                )
            ],
        )


def prepare(
    source,
    outcome: str,
    attributes: Sequence[str],
    *,
    positive=None,
    weight: str | None = None,
    max_depth: int = 3,
    min_size: int = 30,
    alpha: float = 0.05,
    engine: str = "duckdb",
    bins=4,
    na_values: Sequence[str] = (),
    wave: str | None = None,
    waves: Sequence | None = None,
    progress: Callable[[str], None] | None = None,
) -> Prepared:
    """Open the source, check the request and build the one aggregation query."""
    attributes = list(attributes)
    _check_request(outcome, attributes, max_depth, min_size, alpha)
    src = resolve_source(source)
    if progress:
        progress("reading")
    eng = open_engine(engine, src)
    try:
        return _build(
            eng,
            src.label,
            outcome,
            attributes,
            positive,
            weight,
            max_depth,
            min_size,
            bins,
            list(na_values),
            wave,
            waves,
        )
    except BaseException:
        eng.close()
        raise


def _build(
    eng,
    label,
    outcome,
    attributes,
    positive,
    weight,
    max_depth,
    min_size,
    bins,
    na_values,
    wave,
    waves,
) -> Prepared:
    kinds = eng.columns()
    wanted = {"outcome": outcome, "weight": weight, "wave": wave}
    wanted.update({f"attribute:{a}": a for a in attributes})
    cols = resolve_columns(list(kinds), wanted, label)
    if weight is not None and kinds[cols["weight"]] != "numeric":
        raise DiscoveryError(
            "the weight is not numeric",
            [
                Problem(
                    "weights must be numbers",
                    file=label,
                    column=weight,
                    value=_values_found(eng, cols["weight"]),
                    expected="positive numbers",
                )
            ],
        )
    numeric = [a for a in attributes if kinds[cols[f"attribute:{a}"]] == "numeric"]
    ykind = kinds[cols["outcome"]]
    prof = eng.query(
        profile_sql(
            [cols[f"attribute:{a}"] for a in numeric],
            cols["outcome"] if ykind == "numeric" else None,
            cols.get("weight"),
        )
    ).iloc[0]
    if weight is not None and int(prof["w_negative"]) > 0:
        raise DiscoveryError(
            "negative weights",
            [
                Problem(
                    f"{int(prof['w_negative'])} rows have a weight below zero",
                    file=label,
                    column=weight,
                    expected="weights of zero or more (zero drops the row)",
                )
            ],
        )
    y, y_filter, binary, positive = _outcome(
        eng, cols["outcome"], ykind, positive, na_values, prof, label
    )
    plans: dict[str, BinPlan | None] = {}
    exprs = []
    for a in attributes:
        column = cols[f"attribute:{a}"]
        plan = None
        if a in numeric:
            spec = bins.get(a, 4) if isinstance(bins, dict) else bins
            distinct = int(prof[f"d{numeric.index(a)}"])
            plan = plan_numeric(eng, a, column, distinct, spec, min_size)
        plans[a] = plan
        exprs.append(plan.expression() if plan else category(column, na_values))
    filters = [y_filter]
    w_expr = "1.0"
    if weight is not None:
        w_expr = f"CAST({ident(cols['weight'])} AS DOUBLE)"
        filters.append(f"{w_expr} > 0")
    keys = []
    if wave is not None:
        wave_text = text_value(cols["wave"])
        keys.append(wave_text)
        filters.append(f"{wave_text} IN ({', '.join(literal(str(v).strip()) for v in waves)})")
    query = Query(exprs, y, w_expr, filters, keys, max_depth, min_size)
    return Prepared(eng, label, attributes, plans, query, binary, positive, cols, int(prof["rows"]))


def ordered_values(agg: pd.DataFrame, prep: Prepared) -> list[list[str]]:
    """The values of each attribute present in the aggregated rows, in display order."""
    from .binning import order_values

    return [
        order_values(agg[f"a{j}"].dropna().unique(), prep.plans[a])
        for j, a in enumerate(prep.attributes)
    ]


def no_rows_error(prep: Prepared, min_size: int) -> DataError:
    return DataError(
        f"fewer than min_size={min_size} usable rows in {prep.label} (rows with a missing outcome "
        "or weight, or a zero weight, are left out)"
    )
