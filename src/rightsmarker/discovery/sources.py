"""Where microdata come from: a pandas DataFrame, a CSV or Parquet file, or a DuckDB table.

A source is described once here and opened by an engine (``engines.py``), which reads files
directly (nothing is loaded into pandas first). Accepted forms:

* a ``pandas.DataFrame``;
* a path to a CSV file (``.csv``, ``.tsv``, ``.txt``, ``.data``, ``.test``, optionally ``.gz``),
  a Parquet file (``.parquet``, ``.pq``) or a directory of Parquet files;
* a table in a DuckDB database file: ``duckdb:PATH::TABLE`` (``duckdb:///abs/path.db::table`` also
  works). Only the DuckDB engine reads DuckDB databases.
* a table or view in a SQLite or PostgreSQL database: ``sqlite:PATH::TABLE``,
  ``postgresql://USER@HOST:PORT/DB::TABLE`` (see ``tables.py``; read-only, only the columns
  asked for are read).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataError, Problem, ValidationError

PARQUET_SUFFIXES = {".parquet", ".pq"}
CSV_SUFFIXES = {".csv", ".tsv", ".txt", ".data", ".test"}


class DiscoveryError(ValidationError):
    """The microdata or the discovery settings cannot be used as asked."""


@dataclass(frozen=True)
class Source:
    """A resolved microdata source: ``kind`` is ``frame``, ``csv``, ``parquet``, ``duckdb`` or
    ``sql`` (``path`` the database URL; ``wanted`` the columns to read, set by ``prepare``)."""

    kind: str
    frame: pd.DataFrame | None = None
    path: str | None = None
    table: str | None = None
    wanted: tuple | None = None

    @property
    def label(self) -> str:
        if self.kind == "frame":
            return "<DataFrame>"
        if self.kind == "duckdb":
            return f"duckdb:{self.path}::{self.table}"
        if self.kind == "sql":
            from .tables import safe_label

            return f"{safe_label(self.path)}::{self.table}"
        return str(self.path)

    def load(self) -> pd.DataFrame:
        """The rows of a ``frame`` or ``sql`` source as a DataFrame."""
        if self.kind == "sql":
            from .tables import read_source

            return read_source(f"{self.path}::{self.table}", self.wanted)
        return self.frame


def resolve_source(source) -> Source:
    """Turn what the user passed into a :class:`Source`, checking that files exist."""
    if isinstance(source, pd.DataFrame):
        return Source("frame", frame=source)
    if not isinstance(source, (str, Path)):
        raise DataError(
            f"cannot read microdata from a {type(source).__name__}; pass a pandas DataFrame, "
            "a CSV or Parquet path, duckdb:PATH::TABLE, sqlite:PATH::TABLE or "
            "postgresql://HOST/DB::TABLE"
        )
    text = str(source)
    if text.startswith("duckdb:"):
        return _duckdb_source(text)
    from .tables import is_table_source, split_source

    if is_table_source(text):
        url, table = split_source(text)
        return Source("sql", path=url, table=table)
    path = Path(text)
    if not path.exists():
        raise DataError(f"microdata file not found: {text}")
    if path.is_dir():
        if not any(path.glob("*.parquet")):
            raise DataError(f"directory {text} holds no .parquet files")
        return Source("parquet", path=str(path / "*.parquet"))
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    if last in PARQUET_SUFFIXES:
        return Source("parquet", path=str(path))
    if last in CSV_SUFFIXES:
        return Source("csv", path=str(path))
    raise DataError(
        f"cannot tell the format of {text}: expected a name ending in "
        f"{', '.join(sorted(PARQUET_SUFFIXES | CSV_SUFFIXES))} (optionally .gz)"
    )


def _duckdb_source(text: str) -> Source:
    body = text[len("duckdb:") :]
    if body.startswith("///"):
        body = body[2:]
    elif body.startswith("//"):
        body = body[2:]
    if "::" not in body:
        raise DataError(f"a DuckDB source is written duckdb:PATH::TABLE; found {text!r}")
    path, table = body.rsplit("::", 1)
    if not Path(path).exists():
        raise DataError(f"DuckDB database not found: {path}")
    if not table:
        raise DataError(f"no table named in {text!r}; write duckdb:PATH::TABLE")
    return Source("duckdb", path=path, table=table)


def resolve_columns(
    available: list[str], wanted: dict[str, str | None], label: str
) -> dict[str, str]:
    """Map each wanted column (by role) to the source's actual column name.

    Names match exactly, or else after stripping surrounding spaces (CSV headers such as
    ``age, workclass`` keep the space). Every missing column is reported in one error.
    """
    stripped = {c.strip(): c for c in available}
    found: dict[str, str] = {}
    problems = []
    for role, name in wanted.items():
        if name is None:
            continue
        if name in available:
            found[role] = name
        elif name.strip() in stripped:
            found[role] = stripped[name.strip()]
        else:
            shown = ", ".join(c.strip() for c in available[:40])
            problems.append(
                Problem(
                    f"no {role.split(':')[0]} column {name!r}",
                    file=label,
                    column=name,
                    expected=f"one of the columns found: {shown}",
                )
            )
    if problems:
        raise DiscoveryError("columns missing from the microdata", problems)
    return found
