"""Checking the request against the data and building the aggregation query (the boundary).

All checks of columns, outcome and weights happen here, once, with errors that name the column
and the values found; the rest of the package trusts what this module returns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from ..errors import DataError, Problem
from .binning import BinPlan, plan_numeric
from .engines import Engine, open_engine
from .sources import DiscoveryError, resolve_columns, resolve_source
from .sums import MISSING, Query, ident, is_missing, literal, one_of, profile_sql, values_sql
from .sums import label as value_label


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
    na_values: list[str] = field(default_factory=list)
    outcome: str = ""


VALUES_LIMIT = 10_000


def _values(engine: Engine, column: str, limit: int = VALUES_LIMIT) -> pd.DataFrame:
    return engine.query(values_sql(column, limit))


def _values_found(engine: Engine, column: str, na_values=()) -> str:
    vals = _values(engine, column, 10)
    return ", ".join(
        f"{value_label(v, na_values)!r} ({n})" for v, n in zip(vals["v"], vals["n"], strict=True)
    )


def _trimmed(column: str, na_values) -> str:
    """Trimmed text, NULL when missing: for columns with too many values to list."""
    expr = f"NULLIF(TRIM(CAST({ident(column)} AS VARCHAR)), '')"
    for token in na_values:
        expr = f"NULLIF({expr}, {literal(token.strip())})"
    return expr


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
    vals = _values(engine, column)
    if len(vals) >= VALUES_LIMIT:
        text = _trimmed(column, na_values)
        y = f"CASE WHEN {text} = {literal(str(positive).strip())} THEN 1.0 ELSE 0.0 END"
        return y, f"{text} IS NOT NULL", True, positive
    labels = [value_label(v, na_values) for v in vals["v"]]
    hits = [v for v, lab in zip(vals["v"], labels, strict=True) if lab == str(positive).strip()]
    missing = [
        v
        for v, lab in zip(vals["v"], labels, strict=True)
        if lab == MISSING and not is_missing(v)
    ]
    y = f"CASE WHEN {one_of(column, hits)} THEN 1.0 ELSE 0.0 END"
    keep = f"{col} IS NOT NULL" + (f" AND NOT {one_of(column, missing)}" if missing else "")
    return y, keep, True, positive


def check_positive_found(prep: Prepared, positives: float) -> None:
    """A named positive value that never occurs is a typo: say which values exist."""
    if prep.binary and prep.positive is not None and positives == 0:
        column = prep.columns["outcome"]
        raise DiscoveryError(
            "the positive value never occurs in the outcome",
            [
                Problem(
                    "no row has this outcome value",
                    file=prep.label,
                    column=prep.outcome,
                    value=prep.positive,
                    expected=f"one of {_values_found(prep.engine, column, prep.na_values)}",
                )
            ],
        )


@dataclass
class Request:
    """What the user asked for (checked once, here)."""

    outcome: str
    attributes: list[str]
    positive: object = None
    weight: str | None = None
    max_depth: int = 3
    min_size: int = 30
    bins: object = 4
    na_values: list[str] = field(default_factory=list)
    wave: str | None = None
    waves: Sequence | None = None


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
    req = Request(
        outcome,
        list(attributes),
        positive,
        weight,
        max_depth,
        min_size,
        bins,
        list(na_values),
        wave,
        waves,
    )
    _check_request(outcome, req.attributes, max_depth, min_size, alpha)
    src = resolve_source(source)
    if src.kind == "sql":  # read only the columns asked for
        src = replace(src, wanted=(outcome, weight, wave, *req.attributes))
    if progress:
        progress("reading")
    eng = open_engine(engine, src)
    try:
        return _build(eng, src.label, req)
    except BaseException:
        eng.close()
        raise


def _build(eng: Engine, label: str, req: Request) -> Prepared:
    kinds = eng.columns()
    wanted = {"outcome": req.outcome, "weight": req.weight, "wave": req.wave}
    wanted.update({f"attribute:{a}": a for a in req.attributes})
    cols = resolve_columns(list(kinds), wanted, label)
    numeric = [a for a in req.attributes if kinds[cols[f"attribute:{a}"]] == "numeric"]
    ykind = kinds[cols["outcome"]]
    if req.weight is not None and kinds[cols["weight"]] != "numeric":
        raise _weight_error(eng, cols, req, label, "weights must be numbers", True)
    prof = eng.query(
        profile_sql(
            [cols[f"attribute:{a}"] for a in numeric],
            cols["outcome"] if ykind == "numeric" else None,
            cols.get("weight"),
        )
    ).iloc[0]
    if req.weight is not None and int(prof["w_negative"]) > 0:
        raise _weight_error(
            eng, cols, req, label, f"{int(prof['w_negative'])} rows have a weight below zero", False
        )
    y, y_filter, binary, positive = _outcome(
        eng, cols["outcome"], ykind, req.positive, req.na_values, prof, label
    )
    plans, exprs = _attributes(eng, req, cols, numeric, prof)
    filters = [y_filter]
    w_expr = "1.0"
    if req.weight is not None:
        w_expr = f"CAST({ident(cols['weight'])} AS DOUBLE)"
        filters.append(f"{w_expr} > 0")
    keys = []
    if req.wave is not None:
        keys.append(ident(cols["wave"]))
        filters.append(_wave_filter(eng, cols["wave"], req.wave, req.waves, label))
    query = Query(exprs, y, w_expr, filters, keys, req.max_depth, req.min_size)
    return Prepared(
        eng,
        label,
        req.attributes,
        plans,
        query,
        binary,
        positive,
        cols,
        int(prof["rows"]),
        req.na_values,
        req.outcome,
    )


def _weight_error(eng, cols, req: Request, label: str, message: str, show_values: bool):
    found = _values_found(eng, cols["weight"]) if show_values else None
    return DiscoveryError(
        "non-numeric weights" if show_values else "negative weights",
        [
            Problem(
                message,
                file=label,
                column=req.weight,
                value=found,
                expected="numbers of zero or more (zero drops the row)",
            )
        ],
    )


def _attributes(eng: Engine, req: Request, cols: dict, numeric: list[str], prof):
    """Bin plans of numeric attributes and the SQL expression of every attribute."""
    plans: dict[str, BinPlan | None] = {}
    exprs = []
    for a in req.attributes:
        column = cols[f"attribute:{a}"]
        plan = None
        if a in numeric:
            spec = req.bins.get(a, 4) if isinstance(req.bins, dict) else req.bins
            distinct = int(prof[f"d{numeric.index(a)}"])
            plan = plan_numeric(eng, a, column, distinct, spec, req.min_size)
        plans[a] = plan
        exprs.append(plan.expression() if plan else ident(column))
    return plans, exprs


def _wave_filter(eng: Engine, column: str, wave: str, waves, source_label: str) -> str:
    """Rows of the two waves, matched on their labels; an unknown wave names those found."""
    vals = _values(eng, column)
    wanted = {str(w).strip() for w in waves}
    raw = [v for v in vals["v"] if value_label(v) in wanted]
    found = {value_label(v) for v in raw}
    if found != wanted:
        raise DiscoveryError(
            "a wave has no rows",
            [
                Problem(
                    "wave value not found",
                    file=source_label,
                    column=wave,
                    value=sorted(wanted - found),
                    expected=f"values among {_values_found(eng, column)}",
                )
            ],
        )
    return one_of(column, raw)


def labeller(plan: BinPlan | None, na_values, value) -> str:
    """The label of a raw value of an attribute (a bin code when the attribute is binned)."""
    if plan is not None:
        return MISSING if is_missing(value) else plan.labels[int(value)]
    return value_label(value, na_values)


def labelled(frame: pd.DataFrame, prep: Prepared, waves=()) -> pd.DataFrame:
    """Replace raw values (and bin codes) in ``a0..ak`` (and ``k0``) by their labels.

    Where the engine rolled up (columns ``g0..gk`` from ``GROUPING``), a grouped-away attribute
    stays NULL ("any value").
    """
    out = frame.copy()
    for j, a in enumerate(prep.attributes):
        col = f"a{j}"
        plan = prep.plans[a]
        uniq = pd.unique(out[col])
        names = {v: labeller(plan, prep.na_values, v) for v in uniq}
        mapped = out[col].map(names) if len(out) else out[col]
        if f"g{j}" in out:
            mapped = mapped.where(out[f"g{j}"] == 0, None)
        out[col] = mapped
    if waves:
        out["k0"] = out["k0"].map({v: value_label(v) for v in pd.unique(out["k0"])})
    return out


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
