"""Unit tables: one row per unit (city, district), optionally per period, with its attributes.

:func:`read_units` reads a CSV, XLSX or Parquet file or a DataFrame and returns a DataFrame
indexed by ``unit`` (str). Usual columns are ``name``, ``name_ko``, ``region``, ``country``,
``population`` and ``peer_group``; any other column is kept as an attribute (a grouping
variable or a denominator). A ``period`` column makes the table time-varying: then a unit has one
row per period and ``period`` stays a column (a row with an empty period applies to every
period of its unit). Every problem is reported at once, as for
observations (:mod:`rightsmarker.observations`), and nothing is loaded when anything is wrong.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import ObservationError, Problem
from .observations import _factor, _read_parts, _Report, _to_number


def read_units(source, *, sheet: str | int | None = 0) -> pd.DataFrame:
    """Read and check a table of units; raise ObservationError listing every problem.

    Columns: ``unit`` (required); ``period`` (optional, a year: one row per unit and period);
    an empty ``period`` makes the row apply to every period of its unit;
    ``population`` (a number 0 or more); any other column is an attribute, kept as numbers when
    every filled cell is a number and as text otherwise. Header names are case-insensitive.
    """
    if isinstance(source, pd.DataFrame) and "unit" in source.index.names:
        source = source.reset_index()
    name, parts, _ = _read_parts(source, sheet)
    parts = parts[:1]
    if not parts:
        frame = pd.DataFrame(columns=["unit"])
    else:
        frame = parts[0].frame
        frame = frame.set_axis([str(c).strip().casefold() for c in frame.columns], axis=1)
        frame = frame.loc[:, [c != "" and not c.startswith("unnamed:") for c in frame.columns]]
        parts[0].frame = frame
    rep = _Report(parts)
    if "unit" not in frame.columns:
        raise ObservationError(f"{name}: the unit table has no 'unit' column", [Problem(
            "missing required column 'unit'", file=parts[0].label if parts else name, row=1,
            column="unit", expected="a header row naming a 'unit' column (the unit code)")])
    dupes = [c for c in frame.columns if list(frame.columns).count(c) > 1]
    for c in dict.fromkeys(dupes):
        rep.problems.append((0, 1, _problem(rep, "column given twice", c)))
        rep.count += 1
    out = {c: _column(frame, c, rep) for c in dict.fromkeys(frame.columns) if c not in dupes}
    table = pd.DataFrame(out, index=pd.RangeIndex(len(frame)))
    _check_duplicates(table, rep)
    rep.raise_if_any(name, "unit table")
    return table.set_index("unit")


def _problem(rep: _Report, message: str, column: str) -> Problem:
    label = rep.parts[0].label if rep.parts else None
    return Problem(message, file=label, row=1, column=column, value=column)


def _column(frame: pd.DataFrame, name: str, rep: _Report) -> np.ndarray:
    """The checked values of one column: text, a year, or numbers."""
    col = frame[name]
    codes, texts = _factor(col)
    cells = texts[codes]
    if name == "unit":
        rep.rows_where(cells == "", "empty unit", "unit", col, "a unit code")
        return cells
    num = _to_number(pd.Series(texts, dtype=object))[codes]
    filled = cells != ""
    if name == "period":  # an empty period: the row applies to every period of its unit
        with np.errstate(invalid="ignore"):
            ok = np.isfinite(num) & (np.mod(num, 1) == 0) & (num >= 1000) & (num <= 9999)
        rep.rows_where(filled & ~ok, "the period is not a year", "period", col,
                       "a year as a whole number, such as 2023, or empty for every period")
        if filled.all():
            return np.where(ok, num, 0).astype(np.int64)
        return pd.array(np.where(ok, num, np.nan), dtype="Int64")
    if name == "population":
        with np.errstate(invalid="ignore"):
            bad = filled & ~(np.isfinite(num) & (num >= 0))
        rep.rows_where(bad, "the population is not a number 0 or more", name, col,
                       "a number such as 250000 or 1,234,567 (or an empty cell)")
        return num
    if filled.any() and np.isfinite(num[filled]).all():
        return num  # a numeric attribute (a denominator, a grouping score)
    return np.where(filled, cells, None)


def _check_duplicates(table: pd.DataFrame, rep: _Report) -> None:
    keys = ["unit", "period"] if "period" in table else ["unit"]
    dup = table.duplicated(keys, keep=False).to_numpy() & (table["unit"] != "").to_numpy()
    if not dup.any():
        return
    first = table.groupby(keys, sort=False).cumcount().to_numpy()
    firsts = table.reset_index().groupby(keys, sort=False)["index"].transform("first").to_numpy()
    mask = dup & (first > 0)
    what = "unit and period" if "period" in table else "unit"

    def message(i: int) -> str:
        return f"duplicate of row {rep.locate(int(firsts[i]))[2]}: the same {what}"

    rep.rows_where(mask, message, "unit", table["unit"], f"one row per {what}")
