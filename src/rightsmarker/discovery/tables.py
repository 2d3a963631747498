"""Microdata in a SQL database table or view (SQLite or PostgreSQL), read through DB-API.

Sources are written ``sqlite:PATH::TABLE`` or ``postgresql://USER@HOST:PORT/DB::TABLE``
(``postgres://`` too); ``TABLE`` may be ``schema.table``. The table name is only ever used as
a quoted identifier (never pasted into SQL as text), and the database is opened read-only
(SQLite ``mode=ro``; a PostgreSQL session with ``default_transaction_read_only``). Only the
columns a discovery needs are read, in batches, into a DataFrame the engine then scans.

:func:`read_table` also takes any open DB-API connection (the web app passes Django's).
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pandas as pd

from ..errors import DataError

SCHEMES = ("sqlite:", "postgresql://", "postgres://")
BATCH = 50_000
_PART = re.compile(r"^[^\x00]{1,128}$")


def is_table_source(text: str) -> bool:
    return str(text).startswith(SCHEMES)


def ansi_quote(name: str) -> str:
    """A quoted identifier in standard SQL (SQLite and PostgreSQL)."""
    return '"' + name.replace('"', '""') + '"'


def table_parts(name: str) -> list[str]:
    """``table`` or ``schema.table`` as its parts; anything else raises :class:`DataError`."""
    parts = str(name).strip().split(".")
    if not 1 <= len(parts) <= 2 or not all(_PART.match(p) and p.strip() for p in parts):
        raise DataError(f"not a table name: {name!r}; expected TABLE or SCHEMA.TABLE")
    return parts


def quote_table(name: str, quote: Callable[[str], str] = ansi_quote) -> str:
    return ".".join(quote(p) for p in table_parts(name))


def split_source(text: str) -> tuple[str, str]:
    """``URL::TABLE`` -> ``(URL, TABLE)``, the table name checked."""
    if "::" not in text:
        raise DataError(f"a table source is written URL::TABLE; found {safe_label(text)!r}")
    url, table = text.rsplit("::", 1)
    table_parts(table)
    if url.startswith("sqlite:"):
        path = _sqlite_path(url)
        if not Path(path).exists():
            raise DataError(f"SQLite database not found: {path}")
    return url, table


def safe_label(text: str) -> str:
    """The source as shown in messages: a PostgreSQL URL without its password."""
    if not text.startswith(("postgresql://", "postgres://")):
        return text
    parts = urlsplit(text)
    if parts.password is None:
        return text
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def _sqlite_path(url: str) -> str:
    body = url[len("sqlite:"):]
    return body[2:] if body.startswith("///") else body.removeprefix("//")


def connect(url: str):
    """A read-only DB-API connection to ``url`` (``sqlite:PATH`` or a PostgreSQL URL)."""
    if url.startswith("sqlite:"):
        import sqlite3

        path = Path(_sqlite_path(url)).resolve()
        return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        import psycopg
    except ImportError as exc:
        raise DataError("reading PostgreSQL tables needs psycopg (pip install psycopg)") from exc
    try:
        return psycopg.connect(url, options="-c default_transaction_read_only=on")
    except psycopg.Error as exc:
        raise DataError(f"cannot connect to {safe_label(url)}: {str(exc).strip()}") from exc


def table_columns(connection, table: str, quote: Callable[[str], str] = ansi_quote) -> list[str]:
    """The column names of ``table`` (no rows read); DataError when it cannot be read."""
    sql = f"SELECT * FROM {quote_table(table, quote)} WHERE 1 = 0"
    cursor = connection.cursor()
    try:
        cursor.execute(sql)
        return [d[0] for d in cursor.description]
    except Exception as exc:  # each driver has its own error classes
        _rollback(connection)
        raise DataError(f"cannot read table {table!r}: {str(exc).strip().splitlines()[0]}") from exc
    finally:
        cursor.close()


def read_table(
    connection,
    table: str,
    columns: Sequence[str] | None = None,
    quote: Callable[[str], str] = ansi_quote,
    limit: int | None = None,
) -> pd.DataFrame:
    """Rows of ``table`` (only ``columns`` when given; at most ``limit``) as a DataFrame.

    Decimal columns (PostgreSQL ``numeric``) become floats, so engines see numbers.
    """
    names = table_columns(connection, table, quote)
    if columns is not None:
        missing = [c for c in columns if c not in names]
        if missing:
            raise DataError(f"table {table!r} has no column {missing[0]!r}; it has "
                            f"{', '.join(names[:40])}")
        names = list(dict.fromkeys(columns))
    select = ", ".join(quote(c) for c in names)
    sql = f"SELECT {select} FROM {quote_table(table, quote)}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    cursor = connection.cursor()
    try:
        cursor.execute(sql)
        chunks = []
        while batch := cursor.fetchmany(BATCH):
            chunks.append(pd.DataFrame.from_records(list(batch), columns=names))
    except Exception as exc:
        _rollback(connection)
        raise DataError(f"cannot read table {table!r}: {str(exc).strip().splitlines()[0]}") from exc
    finally:
        cursor.close()
    frame = (pd.concat(chunks, ignore_index=True) if chunks
             else pd.DataFrame({c: pd.Series(dtype=object) for c in names}))
    return _numbers(frame)


def _numbers(frame: pd.DataFrame) -> pd.DataFrame:
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object:
            present = values.dropna()
            if len(present) and all(isinstance(v, decimal.Decimal) for v in present):
                frame[column] = values.astype(float)
    return frame


def _rollback(connection) -> None:
    try:
        connection.rollback()
    except Exception:  # noqa: S110 - nothing to undo, or autocommit
        pass


def read_source(text: str, wanted: Sequence[str] | None = None) -> pd.DataFrame:
    """Read a ``URL::TABLE`` source: the columns named in ``wanted`` that exist (all when
    ``wanted`` is None; names also match with surrounding spaces stripped)."""
    url, table = split_source(text)
    connection = connect(url)
    try:
        columns = None
        if wanted is not None:
            names = table_columns(connection, table)
            keep = {str(w).strip() for w in wanted if w is not None}
            columns = [c for c in names if c in keep or c.strip() in keep]
            if len(columns) < len(keep):  # no rows: the caller reports the missing columns
                return read_table(connection, table, limit=0)
        return read_table(connection, table, columns)
    finally:
        connection.close()
