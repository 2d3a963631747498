"""Reading observation tables: CSV, XLSX (also filled-in templates), Parquet or a DataFrame.

Each source becomes one or more ``_Part`` tables with the spreadsheet row number of every row,
so that problems can name the row a person sees.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import ObservationError, Problem

COLUMNS = ("unit", "period", "indicator", "group", "value", "text", "source", "note", "flag")
REQUIRED = ("unit", "period", "indicator", "value")
TEMPLATE_COLUMNS = ("indicator label", "kind", "value type", "unit of measure")

@dataclass
class _Part:
    """One table read from the source: a file or one sheet of a workbook."""

    label: str
    frame: pd.DataFrame
    rows: np.ndarray | None = None  # spreadsheet row of each frame row; None: position + 2


def _read_parts(source, sheet) -> tuple[str, list[_Part], bool]:
    """(name, parts, is_template) of a path or DataFrame."""
    if isinstance(source, pd.DataFrame):
        frame = source.reset_index(drop=True)
        return "DataFrame", [_Part("DataFrame", frame)], False
    path = Path(source)
    if not path.is_file():
        raise FileNotFoundError(2, "No such file", str(path))
    ext = path.suffix.lower()
    if ext in (".xlsx", ".xlsm"):
        return path.name, *_read_xlsx(path, sheet)
    if ext in (".parquet", ".pq"):
        import pyarrow as pa
        import pyarrow.parquet as pq

        strings = [f.name for f in pq.read_schema(path)
                   if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
        # one file: ParquetFile reads it without importing pyarrow.dataset (0.05 s or more)
        frame = pq.ParquetFile(path, read_dictionary=strings).read().to_pandas()
        frame.index = pd.RangeIndex(len(frame))
        return path.name, [_Part(path.name, frame)], False
    if ext in (".csv", ".tsv", ".txt"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False,
                            encoding="utf-8-sig", sep="\t" if ext == ".tsv" else ",")
        keep = frame.fillna("").apply(lambda c: c.str.strip() != "").any(axis=1).to_numpy()
        rows = np.flatnonzero(keep) + 2
        return path.name, [_Part(path.name, frame[keep].reset_index(drop=True), rows)], False
    raise ObservationError(f"{path.name}: cannot read this file type", [Problem(
        "unsupported file type", file=path.name, value=path.suffix,
        expected="a .csv, .xlsx or .parquet file")])


def _read_xlsx(path: Path, sheet) -> tuple[list[_Part], bool]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        names = wb.sheetnames
        is_template = any(n.casefold() == "instructions" for n in names)
        if sheet is None:
            chosen = [n for n in names if n.casefold() != "instructions" and not n.startswith("_")]
        elif isinstance(sheet, int) and 0 <= sheet < len(names):
            chosen = [names[sheet]]
        elif sheet in names:
            chosen = [sheet]
        else:
            raise ObservationError(f"{path.name}: no sheet {sheet!r}", [Problem(
                "no such sheet", file=path.name, value=sheet,
                expected=f"one of {', '.join(names)}")])
        parts = [_sheet_part(f"{path.name} [{n}]", wb[n]) for n in chosen]
    finally:
        wb.close()
    return [p for p in parts if p is not None], is_template


def _cell_value(cell) -> object:
    """A cell's value as shown: a number formatted as a percentage (0.12 shown 12%) is 12."""
    v = cell.value
    if isinstance(v, int | float) and not isinstance(v, bool) and "%" in (cell.number_format or ""):
        return float(f"{v * 100:.12g}")
    return v


def _sheet_part(label: str, ws) -> _Part | None:
    rows = [tuple(_cell_value(c) for c in r) for r in ws.iter_rows()]
    if not rows:
        return None
    header = ["" if h is None else str(h) for h in rows[0]]
    data, numbers = [], []
    for i, r in enumerate(rows[1:], start=2):
        if any(v is not None and str(v).strip() != "" for v in r):
            data.append(list(r[: len(header)]) + [None] * (len(header) - len(r)))
            numbers.append(i)
    frame = pd.DataFrame(data, columns=header, dtype=object) if data else pd.DataFrame(
        columns=header, dtype=object)
    return _Part(label, frame, np.array(numbers, dtype=np.int64))


def _select_columns(parts: list[_Part], name: str) -> None:
    """Rename each part's columns to the known names; report missing and misspelt columns."""
    problems = []
    for part in parts:
        names = [str(c).strip().casefold() for c in part.frame.columns]
        seen: set[str] = set()
        for n in names:
            base = re.sub(r"\.\d+$", "", n)  # pandas renames a repeated CSV header to 'value.1'
            if base in COLUMNS and (n in seen or (base != n and base in seen)):
                problems.append(Problem("column given twice", file=part.label, row=1, column=base))
            seen.add(n)
        unknown = [n for n in names if n not in COLUMNS and n not in TEMPLATE_COLUMNS]
        for col in (c for c in COLUMNS if c not in seen):
            typo = difflib.get_close_matches(col, unknown, n=1, cutoff=0.75)
            if typo:
                problems.append(Problem(f"missing column {col!r}; is {typo[0]!r} a misspelling?",
                                        file=part.label, row=1, column=typo[0], value=typo[0],
                                        expected=f"a column named {col!r}"))
            elif col in REQUIRED:
                problems.append(Problem(f"missing required column {col!r}", file=part.label, row=1,
                                        column=col, expected="a header row with unit, period, "
                                        "indicator, group, value (source, note, flag optional)"))
        keep = [n in COLUMNS for n in names]
        frame = part.frame.set_axis(names, axis=1, copy=False)
        part.frame = frame if all(keep) else frame.loc[:, keep]
    if problems:
        raise ObservationError(f"{name}: the observation table's columns are not as expected",
                               problems, hint="the header row must name the columns; see "
                               "docs/guide/0-observations.md")


def _blank(col: pd.Series | None) -> np.ndarray:
    if col is None:
        return np.ones(0, bool)
    return (col.isna() | (col.astype(str).str.strip() == "")).to_numpy()


def _drop_unfilled(part: _Part) -> None:
    """Template rows with no value, text or flag are rows not filled in: skip them."""
    f = part.frame
    unfilled = np.ones(len(f), bool)
    for c in ("value", "text", "flag"):
        if c in f:
            unfilled &= _blank(f[c])
    rows = np.arange(len(f)) + 2 if part.rows is None else part.rows
    part.frame, part.rows = f[~unfilled].reset_index(drop=True), rows[~unfilled]
