"""The one aggregation definition behind every discovery statistic.

Every statistic of a group (estimate, interval, test against the rest, test against a parent,
change between waves) is a function of six additive sums over the group's rows::

    n = count(*), sw = sum(w), sw2 = sum(w^2), swy = sum(w*y), sw2y = sum(w^2*y), swy2 = sum(w*y^2)

and the sums of "everyone else" are the population's sums minus the group's. The query is
written once, here, as SQL in the DuckDB dialect, and translated by SQLGlot for other engines
(Spark): one scan groups the rows by *all* attributes into a table of full combinations
(``cells``); rolling that small table up (summing cells) gives every conjunction of up to
``max_depth`` attributes. The roll-up runs in numpy on integer codes (``groups.rollup``) or, as
``GROUPING SETS``, in the engine (:func:`aggregation_sql`). The scan groups raw values (numeric
attributes as bin codes); labels (trimmed text, ``(missing)``) are applied to the few distinct
values afterwards (:func:`label`).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

SUMS = ("n", "sw", "sw2", "swy", "sw2y", "swy2")
MISSING = "(missing)"
SOURCE_VIEW = "rm_source"


def ident(name: str) -> str:
    """Quote an identifier (DuckDB dialect)."""
    return '"' + name.replace('"', '""') + '"'


def literal(value) -> str:
    """A SQL literal for a string, a number or a boolean."""
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    return "'" + str(value).replace("'", "''") + "'"


def is_missing(value) -> bool:
    """NULL, NaN, NaT or pandas.NA (whose comparisons refuse to be true or false)."""
    try:
        return value is None or bool(value != value)
    except TypeError:
        return True


def label(value, na_values: Sequence[str] = ()) -> str:
    """The label of a raw attribute value: trimmed text, whole numbers without ``.0``,
    ``(missing)`` for NULL, NaN, empty text and ``na_values``.

    Applied after the scan to the distinct values in the cells, so the scan groups raw columns
    (no string functions over every row) and cells whose labels coincide are summed in the roll-up.
    """
    if is_missing(value):
        return MISSING
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if not text or text in {t.strip() for t in na_values}:
        return MISSING
    return text


def binned(column: str, edges: Sequence[float]) -> str:
    """A numeric attribute cut at ``edges`` into bin codes 0..len(edges) (NULL stays NULL)."""
    col = ident(column)
    parts = [f"WHEN {col} < {literal(float(e))} THEN {i}" for i, e in enumerate(edges)]
    if not parts:
        return f"CASE WHEN {col} IS NULL THEN NULL ELSE 0 END"
    return f"CASE WHEN {col} IS NULL THEN NULL {' '.join(parts)} ELSE {len(edges)} END"


def one_of(column: str, values: Sequence) -> str:
    """``column IN (values)`` with raw values as found in the data (FALSE for none)."""
    if not values:
        return "FALSE"
    return f"{ident(column)} IN ({', '.join(literal(v) for v in values)})"


@dataclass
class Query:
    """Everything the aggregation needs, as SQL expressions over the source view."""

    attributes: list[str]  # SQL expressions, one per attribute (raw values or bin codes)
    outcome: str  # SQL expression for y (1.0/0.0 or a number)
    weight: str = "1.0"
    filters: list[str] = field(default_factory=list)  # rows kept when all hold
    keys: list[str] = field(default_factory=list)  # extra keys in every grouping set (waves)
    max_depth: int = 3
    min_size: int = 30

    @property
    def aliases(self) -> list[str]:
        return [f"a{i}" for i in range(len(self.attributes))]

    def grouping_sets(self) -> list[tuple[str, ...]]:
        """Every subset of at most ``max_depth`` attributes, the empty set first."""
        depth = min(self.max_depth, len(self.attributes))
        sets: list[tuple[str, ...]] = []
        for d in range(depth + 1):
            sets += list(combinations(self.aliases, d))
        return [tuple(f"k{i}" for i in range(len(self.keys))) + s for s in sets]


def _base_and_cells(q: Query) -> tuple[str, str]:
    keys = [f"k{i}" for i in range(len(q.keys))]
    select = [f"{e} AS {k}" for e, k in zip(q.keys, keys, strict=True)]
    select += [f"{e} AS {a}" for e, a in zip(q.attributes, q.aliases, strict=True)]
    select += [f"CAST({q.outcome} AS DOUBLE) AS y", f"CAST({q.weight} AS DOUBLE) AS w"]
    where = " AND ".join(f"({f})" for f in q.filters) or "TRUE"
    cols = ", ".join(keys + q.aliases)
    cell_sums = (
        "COUNT(*) AS n, SUM(w) AS sw, SUM(w * w) AS sw2, SUM(w * y) AS swy, "
        "SUM(w * w * y) AS sw2y, SUM(w * y * y) AS swy2"
    )
    base = f"SELECT {', '.join(select)} FROM {SOURCE_VIEW} WHERE {where}"
    return base, f"SELECT {cols}, {cell_sums} FROM base GROUP BY {cols}"


def cells_sql(q: Query) -> str:
    """The one scan: the sums per full combination of attribute values (and keys)."""
    base, cells = _base_and_cells(q)
    return f"WITH base AS ({base}) {cells}"


def aggregation_sql(q: Query) -> str:
    """The same sums rolled up in the engine to every conjunction of <= max_depth attributes.

    ``GROUPING SETS`` over the cells; :func:`rightsmarker.discovery.groups.rollup` does the same
    roll-up in numpy, which is faster for the small cells table (a test checks they agree).
    """
    base, cells = _base_and_cells(q)
    cols = ", ".join([f"k{i}" for i in range(len(q.keys))] + q.aliases)
    rolled = ", ".join(["CAST(SUM(n) AS BIGINT) AS n"] + [f"SUM({s}) AS {s}" for s in SUMS[1:]])
    sets = ", ".join("(" + ", ".join(s) + ")" for s in q.grouping_sets())
    return (
        f"WITH base AS ({base}), cells AS ({cells}) "
        f"SELECT {cols}, {rolled} FROM cells GROUP BY GROUPING SETS ({sets}) "
        f"HAVING SUM(n) >= {int(q.min_size)}"
    )


def profile_sql(numeric: Sequence[str], outcome: str | None, weight: str | None) -> str:
    """One pass that sizes up the columns: distinct counts, ranges, negative weights."""
    parts = ["COUNT(*) AS rows"]
    for i, col in enumerate(numeric):
        parts.append(f"APPROX_COUNT_DISTINCT({ident(col)}) AS d{i}")
    if outcome is not None:
        y = ident(outcome)
        parts += [
            f"MIN({y}) AS y_min",
            f"MAX({y}) AS y_max",
            f"SUM(CASE WHEN {y} IS NULL OR {y} IN (0, 1) THEN 0 ELSE 1 END) AS y_other",
        ]
    if weight is not None:
        w = ident(weight)
        parts.append(f"SUM(CASE WHEN {w} < 0 THEN 1 ELSE 0 END) AS w_negative")
    return f"SELECT {', '.join(parts)} FROM {SOURCE_VIEW}"


def histogram_sql(column: str) -> str:
    """Counts of each value of a numeric column (for exact, engine-independent quantiles)."""
    c = ident(column)
    return (
        f"SELECT {c} AS x, COUNT(*) AS n FROM {SOURCE_VIEW} WHERE {c} IS NOT NULL "
        f"GROUP BY {c} ORDER BY x"
    )


def quantile_sql(column: str, probs: Sequence[float]) -> str:
    """Approximate quantiles of a numeric column with many distinct values."""
    qs = ", ".join(literal(float(p)) for p in probs)
    return f"SELECT APPROX_QUANTILE({ident(column)}, [{qs}]) AS q FROM {SOURCE_VIEW}"


def values_sql(column: str, limit: int = 20) -> str:
    """The most frequent raw values of a column with their counts."""
    c = ident(column)
    return (
        f"SELECT {c} AS v, COUNT(*) AS n FROM {SOURCE_VIEW} "
        f"GROUP BY {c} ORDER BY n DESC LIMIT {int(limit)}"
    )


def to_dialect(sql: str, dialect: str) -> str:
    """Translate a query written in the DuckDB dialect for another engine's dialect."""
    if dialect == "duckdb":
        return sql
    import sqlglot

    return sqlglot.transpile(sql, read="duckdb", write=dialect)[0]
